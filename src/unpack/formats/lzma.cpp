// Legacy .lzma ("LZMA alone") streams via liblzma. The 13-byte header has no magic, so it is
// validated strictly: "5d 00 00" occurs often in random data.
#include "unpack/formats/codec.h"
#include "unpack/formats/formats.h"

namespace waybill::unpack {

namespace {

// Properties byte 0x5d (lc=3 lp=0 pb=2, what every encoder uses by default) followed by the two
// low bytes of a power-of-two dictionary size >= 64 KiB.
constexpr Magic kMagics[] = {{std::string_view("\x5d\x00\x00", 3), 0}};

class LzmaUnpacker final : public codec::StreamUnpacker {
 public:
  LzmaUnpacker()
      : StreamUnpacker(codec::Kind::lzma, {"lzma", "legacy .lzma (LZMA alone) stream"}, kMagics) {}

 protected:
  Status check_header(ByteView v, Chunk& c) const override {
    auto props = v.u8(0);
    auto dict = v.le32(1);
    auto usize = v.le64(5);
    auto first = v.u8(13);
    if (!props || !dict || !usize || !first)
      return Error(Errc::not_this_format, "short lzma header");
    if (*props >= 9 * 5 * 5) return Error(Errc::not_this_format, "bad lzma properties");
    // Dictionary: 2^n or 2^n + 2^(n-1), 64 KiB .. 1 GiB (what encoders write).
    const std::uint32_t d = *dict;
    bool plausible = false;
    for (int n = 16; n <= 30; ++n)
      if (d == (1u << n) || d == (1u << n) + (1u << (n - 1))) plausible = true;
    if (!plausible) return Error(Errc::not_this_format, "implausible lzma dictionary size");
    // Uncompressed size: unknown (-1) or below 256 GiB.
    if (*usize != UINT64_MAX && *usize >= (1ull << 38))
      return Error(Errc::not_this_format, "implausible lzma uncompressed size");
    if (*usize == 0) return Error(Errc::not_this_format, "empty lzma stream");
    // The range coder's first output byte is always zero.
    if (*first != 0) return Error(Errc::not_this_format, "bad lzma range coder start");
    c.description = "lzma, dictionary " + std::to_string(d >> 10) + " KiB";
    if (*usize != UINT64_MAX) {
      c.description += ", " + std::to_string(*usize) + " bytes uncompressed";
      c.info.emplace_back("uncompressed_size", std::to_string(*usize));
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_lzma_unpacker() {
  return std::make_unique<LzmaUnpacker>();
}

}  // namespace waybill::unpack
