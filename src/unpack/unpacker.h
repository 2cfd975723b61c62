// Stage 1 of the pipeline: one Unpacker per container format.
//
// An unpacker never writes anywhere itself. It recognises its format (`magics` + `probe`) and
// reports what is inside through a Sink (`extract`). The engine (unpack/engine.h) does carving,
// recursion and limits; the sink decides whether entries go to disk (safely, see
// core/sandbox.h) or straight into the inventory without touching disk.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/diagnostic.h"
#include "core/limits.h"
#include "core/registry.h"
#include "core/result.h"

namespace waybill::unpack {

// A magic byte string that appears `offset` bytes after the start of a chunk.
struct Magic {
  std::string_view bytes;
  std::uint32_t offset = 0;
};

// A validated region of the input.
struct Chunk {
  std::uint64_t offset = 0;  // start inside the buffer that was probed
  std::uint64_t size = 0;    // extent; see size_exact
  // False when the extent is only known after extraction (e.g. a compressed stream whose end is
  // found by decompressing). `size` is then an upper bound and extract() returns the real size.
  bool size_exact = true;
  int confidence = 50;       // 0..100
  std::string description;   // short human text, e.g. "squashfs 4.0 xz, 761 inodes"
  std::vector<std::pair<std::string, std::string>> info;  // header facts for the manifest
};

enum class EntryType { file, directory, symlink, hardlink, device, fifo, socket };

struct Entry {
  EntryType type = EntryType::file;
  std::string path;         // as stored in the container; untrusted (may contain "..", "/x")
  std::uint32_t mode = 0;   // permission bits incl. setuid/setgid/sticky (no type bits needed)
  std::uint64_t size = 0;   // file size for regular files
  std::int64_t mtime = 0;
  std::uint32_t uid = 0, gid = 0;
  std::string link_target;  // symlink target, or hard-link target path
};

// Receives what an unpacker finds. Returned errors (limits, I/O) must stop the unpacker: it
// returns the same error from extract(). Content views are valid only during the call.
class Sink {
 public:
  virtual ~Sink() = default;
  // An entry of an archive or filesystem. For regular files `content` is the file data.
  virtual Status entry(const Entry& e, ByteView content) = 0;
  // A nested payload that is not a filesystem entry (decompressed stream, uImage sub-image, FIT
  // sub-image, TRX partition ...). The engine carves it recursively. `name` is a file-name
  // suggestion ("image-0", "kernel", "decompressed").
  virtual Status stream(std::string_view name, ByteView content) = 0;
  // A problem that does not stop extraction (bad CRC, one unreadable file ...).
  virtual void diagnostic(Severity s, Errc code, std::optional<std::uint64_t> offset,
                          std::string message) = 0;
  virtual Budget& budget() = 0;
};

class Unpacker {
 public:
  virtual ~Unpacker() = default;
  virtual const Descriptor& describe() const = 0;
  // Magic bytes used by the carver to find candidate chunk starts.
  virtual std::span<const Magic> magics() const = 0;
  // Validate a chunk starting at `start` inside `data` and return its extent. Must not allocate
  // much or decompress much; returns Errc::not_this_format silently when it does not match.
  virtual Result<Chunk> probe(ByteView data, std::uint64_t start) const = 0;
  // Extract the chunk (`data` is exactly the probed extent, or up to the end of the buffer when
  // the size was not exact). Returns the number of bytes the chunk really occupies.
  virtual Result<std::uint64_t> extract(ByteView data, const Chunk& chunk, Sink& sink) const = 0;
};

using UnpackerRegistry = Registry<Unpacker>;

// unpack/builtin.cpp: the one list of container formats.
void register_builtin_unpackers(UnpackerRegistry& r);

}  // namespace waybill::unpack
