// Raw compressed streams (gzip, xz, lzma, bzip2, zstd, lz4): one decoder interface over the codec
// libraries, a budgeted decompress loop, and a base class the per-format unpackers share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "unpack/unpacker.h"

namespace waybill::unpack::codec {

enum class Kind { gzip, xz, lzma, bzip2, zstd, lz4_frame, lz4_legacy };

struct Step {
  enum Status { ok, end, error } status = ok;
  std::size_t in_used = 0;
  std::size_t out_used = 0;
  std::string message;  // set with Status::error
};

// An incremental decoder of one stream. `in` is everything not yet consumed (the whole rest of
// the buffer), `out` the free space to write into.
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual Step step(ByteView in, std::span<std::uint8_t> out) = 0;
};

// nullptr when the library could not set up its state (out of memory).
std::unique_ptr<Decoder> make_decoder(Kind k);

// Cheap check for probe(): decodes at most `max_out` bytes from at most `max_in` input bytes and
// returns true when no decoding error showed up.
bool trial_decode(Kind k, ByteView data, std::size_t max_out = 4096,
                  std::size_t max_in = 64 * 1024);

// Decompress one stream starting at data[0] in budgeted steps and hand the result to
// sink.stream("decompressed"). Returns the exact number of input bytes the stream occupies.
// Truncated or corrupt streams: the decoded prefix is still emitted, then the error is returned.
Result<std::uint64_t> decompress_to_sink(Kind k, std::string_view format, ByteView data,
                                         Sink& sink);

// Base of the compressor unpackers: subclasses validate the header, the base does a trial decode
// (unless disabled) and the extraction.
class StreamUnpacker : public Unpacker {
 public:
  StreamUnpacker(Kind k, Descriptor d, std::span<const Magic> magics, bool trial = true)
      : kind_(k), desc_(d), magics_(magics), trial_(trial) {}
  const Descriptor& describe() const override { return desc_; }
  std::span<const Magic> magics() const override { return magics_; }
  Result<Chunk> probe(ByteView data, std::uint64_t start) const override;
  Result<std::uint64_t> extract(ByteView data, const Chunk& chunk, Sink& sink) const override;

 protected:
  // Validate the stream header at v[0]; fill description/info. not_this_format when it is not.
  virtual Status check_header(ByteView v, Chunk& c) const = 0;

 private:
  Kind kind_;
  Descriptor desc_;
  std::span<const Magic> magics_;
  bool trial_;
};

}  // namespace waybill::unpack::codec
