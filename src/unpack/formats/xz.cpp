// xz (.xz container, one stream) via liblzma.
#include "unpack/formats/codec.h"
#include "unpack/formats/formats.h"

#include <zlib.h>

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{std::string_view("\xfd"
                                               "7zXZ\x00\x00",
                                               6),
                              0}};

class XzUnpacker final : public codec::StreamUnpacker {
 public:
  XzUnpacker()
      : StreamUnpacker(codec::Kind::xz, {"xz", "xz compressed stream (liblzma)"}, kMagics) {}

 protected:
  Status check_header(ByteView v, Chunk& c) const override {
    // Stream flags (2 bytes) are protected by a CRC32 in the 12-byte stream header.
    auto crc = v.le32(8);
    if (!crc || crc32(0, v.data() + 6, 2) != *crc)
      return Error(Errc::not_this_format, "bad xz stream header CRC");
    static constexpr const char* kChecks[16] = {"none",  "crc32", nullptr, nullptr,
                                                "crc64", nullptr, nullptr, nullptr,
                                                nullptr, nullptr, "sha256"};
    const char* check = kChecks[*v.u8(7) & 0x0f];
    c.description = std::string("xz, check ") + (check ? check : "unknown");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_xz_unpacker() {
  return std::make_unique<XzUnpacker>();
}

}  // namespace waybill::unpack
