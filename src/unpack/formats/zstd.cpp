// zstd frames via libzstd (concatenated frames are one stream).
#include "unpack/formats/codec.h"
#include "unpack/formats/formats.h"

// ZSTD_getFrameHeader is in the "experimental" section; it is exported by the shared library.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"\x28\xb5\x2f\xfd", 0}};

class ZstdUnpacker final : public codec::StreamUnpacker {
 public:
  ZstdUnpacker()
      : StreamUnpacker(codec::Kind::zstd, {"zstd", "zstd compressed stream (libzstd)"}, kMagics) {}

 protected:
  Status check_header(ByteView v, Chunk& c) const override {
    ZSTD_frameHeader h{};
    std::size_t rc = ZSTD_getFrameHeader(&h, v.data(), v.size());
    if (ZSTD_isError(rc) || rc != 0 || h.frameType != ZSTD_frame)
      return Error(Errc::not_this_format, "bad zstd frame header");
    if (h.windowSize > (1ull << 27))
      return Error(Errc::unsupported, "zstd window of " + std::to_string(h.windowSize) +
                                          " bytes exceeds the 128 MiB decoder limit");
    c.description = "zstd";
    if (h.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN) {
      c.description += ", " + std::to_string(h.frameContentSize) + " bytes uncompressed";
      c.info.emplace_back("uncompressed_size", std::to_string(h.frameContentSize));
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_zstd_unpacker() {
  return std::make_unique<ZstdUnpacker>();
}

}  // namespace waybill::unpack
