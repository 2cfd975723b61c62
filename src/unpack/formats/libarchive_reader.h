// Extraction of tar, cpio and zip through libarchive, reading from memory. The format files do
// their own cheap header walk in probe() to find the exact extent; this reads the entries.
#pragma once

#include <string_view>

#include "unpack/unpacker.h"

namespace waybill::unpack::libarchive {

enum class Format { tar, cpio, zip };

struct Options {
  // How the probe's walk ended: false when the archive has no proper end marker (trailer,
  // zero blocks), so an error at the very end is reported as truncated/corrupt, not as success.
  bool terminated = true;
  Errc unterminated_code = Errc::truncated;
};

// Options from the probe's Chunk::info ("end" = "truncated" / "invalid header").
Options options_from(const Chunk& chunk);

// Report every entry of the archive occupying exactly `data` to `sink`. Returns data.size() on
// success; on failure the entries read so far stay reported (partial result).
Result<std::uint64_t> extract(Format f, std::string_view id, ByteView data, Sink& sink,
                              Options opts = {});

}  // namespace waybill::unpack::libarchive
