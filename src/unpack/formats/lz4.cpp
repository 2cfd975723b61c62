// lz4 frame format (04 22 4d 18) via liblz4, plus the legacy format (02 21 4c 18) that
// `lz4 -l` and Linux kernel images use.
#include "unpack/formats/codec.h"
#include "unpack/formats/formats.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"\x04\x22\x4d\x18", 0}, {"\x02\x21\x4c\x18", 0}};

// The frame decoder and the legacy decoder are different codecs; one unpacker id serves both.
class Lz4Unpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const Magic> magics() const override { return kMagics; }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView v = data.sub(start);
    Chunk c;
    c.size = v.size();
    c.size_exact = false;
    c.confidence = 60;
    if (v.le32(0) == 0x184D2204u) {
      // FLG: version 01, reserved bit 1 zero; BD: reserved bits zero, block max size 4..7.
      auto flg = v.u8(4);
      auto bd = v.u8(5);
      if (!flg || !bd || (*flg >> 6) != 1 || (*flg & 0x02) || (*bd & 0x8f) || ((*bd >> 4) & 7) < 4)
        return Error(Errc::not_this_format, "bad lz4 frame descriptor");
      c.description = "lz4 frame";
    } else {
      auto first = v.le32(4);
      if (!first || *first == 0 || *first > (8u << 20) + (8u << 20) / 255 + 16)
        return Error(Errc::not_this_format, "bad lz4 legacy block size");
      c.description = "lz4 legacy";
      c.confidence = 50;
    }
    if (!codec::trial_decode(kind(v), v)) return Error(Errc::not_this_format, "does not decode");
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk&, Sink& sink) const override {
    return codec::decompress_to_sink(kind(data), desc_.id, data, sink);
  }

 private:
  static codec::Kind kind(ByteView v) {
    return v.le32(0) == 0x184D2204u ? codec::Kind::lz4_frame : codec::Kind::lz4_legacy;
  }
  Descriptor desc_{"lz4", "lz4 frame and legacy streams (liblz4)"};
};

}  // namespace

std::unique_ptr<Unpacker> make_lz4_unpacker() {
  return std::make_unique<Lz4Unpacker>();
}

}  // namespace waybill::unpack
