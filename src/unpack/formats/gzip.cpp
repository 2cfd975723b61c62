// gzip (RFC 1952), one member; the engine carves a following member as its own chunk.
#include "unpack/formats/codec.h"
#include "unpack/formats/formats.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"\x1f\x8b\x08", 0}};

class GzipUnpacker final : public codec::StreamUnpacker {
 public:
  GzipUnpacker()
      : StreamUnpacker(codec::Kind::gzip, {"gzip", "gzip compressed stream (zlib)"}, kMagics) {}

 protected:
  Status check_header(ByteView v, Chunk& c) const override {
    auto flags = v.u8(3);
    auto os = v.u8(9);
    if (!flags || !os || (*flags & 0xe0) != 0 || (*os > 13 && *os != 255))
      return Error(Errc::not_this_format, "bad gzip header");
    c.description = "gzip";
    if (*flags & 0x08) {  // FNAME, after the optional FEXTRA field
      std::uint64_t off = 10;
      if (*flags & 0x04) off += 2 + v.le16(10).value_or(0);
      std::string_view name = v.cstr(off, 256);
      if (!name.empty() && name.size() < 256) {
        c.description += ", original name \"" + std::string(name) + "\"";
        c.info.emplace_back("original_name", std::string(name));
      }
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_gzip_unpacker() {
  return std::make_unique<GzipUnpacker>();
}

}  // namespace waybill::unpack
