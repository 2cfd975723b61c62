// bzip2 via libbz2. No trial decode (a block needs up to 900 kB of input before any output);
// the 10-byte header plus block magic is specific enough.
#include "unpack/formats/codec.h"
#include "unpack/formats/formats.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"BZh", 0}};

class Bzip2Unpacker final : public codec::StreamUnpacker {
 public:
  Bzip2Unpacker()
      : StreamUnpacker(codec::Kind::bzip2, {"bzip2", "bzip2 compressed stream (libbz2)"}, kMagics,
                       /*trial=*/false) {}

 protected:
  Status check_header(ByteView v, Chunk& c) const override {
    auto level = v.u8(3);
    if (!level || *level < '1' || *level > '9')
      return Error(Errc::not_this_format, "bad bzip2 block size");
    // First block (pi) or, for an empty stream, the end-of-stream marker (sqrt(pi)).
    if (!v.starts_with(4, "\x31\x41\x59\x26\x53\x59") &&
        !v.starts_with(4, "\x17\x72\x45\x38\x50\x90"))
      return Error(Errc::not_this_format, "no bzip2 block magic");
    c.description = std::string("bzip2, ") + static_cast<char>(*level) + "00k blocks";
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_bzip2_unpacker() {
  return std::make_unique<Bzip2Unpacker>();
}

}  // namespace waybill::unpack
