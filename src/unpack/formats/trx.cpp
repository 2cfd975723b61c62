// Broadcom TRX ("HDR0"), little-endian:
//   u32 magic "HDR0" | u32 len (whole image incl. header) | u32 crc32 (over bytes 12..len)
//   u16 flags | u16 version (1 or 2) | u32 offsets[3] (v1) or [4] (v2), from the header start.
// Partition N runs from its offset to the next larger non-zero offset, or to len.
// The CRC is accepted in both conventions seen in the wild: OpenWrt's trx tool stores the
// running CRC without the final inversion, others store the standard CRC-32.
#include <algorithm>
#include <string>

#include "unpack/formats/formats.h"
#include "unpack/formats/fw_common.h"

namespace waybill::unpack {

namespace {

struct Trx {
  std::uint32_t len = 0, crc = 0;
  std::uint16_t flags = 0, version = 0;
  std::uint64_t header_size = 0;
  std::vector<std::uint32_t> offsets;  // non-zero, ascending
};

std::optional<Trx> parse(ByteView d) {
  Cursor c(d, 0, /*big_endian=*/false);
  if (c.u32() != 0x30524448u) return std::nullopt;
  Trx t;
  t.len = c.u32();
  t.crc = c.u32();
  t.flags = c.u16();
  t.version = c.u16();
  if (!c.ok() || (t.version != 1 && t.version != 2)) return std::nullopt;
  const int n = t.version == 1 ? 3 : 4;
  t.header_size = 16 + 4 * static_cast<std::uint64_t>(n);
  for (int i = 0; i < n; ++i) {
    std::uint32_t o = c.u32();
    if (o != 0) t.offsets.push_back(o);
  }
  if (!c.ok() || t.len < t.header_size) return std::nullopt;
  for (std::size_t i = 0; i < t.offsets.size(); ++i) {
    if (t.offsets[i] < t.header_size || t.offsets[i] >= t.len) return std::nullopt;
    if (i > 0 && t.offsets[i] <= t.offsets[i - 1]) return std::nullopt;
  }
  if (t.offsets.empty()) return std::nullopt;
  return t;
}

class TrxUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"trx", "Broadcom TRX firmware image (v1/v2)"};
    return d;
  }

  std::span<const Magic> magics() const override {
    static const Magic m[] = {{"HDR0", 0}};
    return m;
  }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView d = data.sub(start);
    auto t = parse(d);
    if (!t) return Error(Errc::not_this_format, "");
    Chunk c;
    c.size = t->len;
    const bool complete = d.has(0, t->len);
    std::optional<bool> crc_ok;
    if (complete) {
      std::uint32_t calc = fw::crc32(d.sub(12, t->len - 12));
      crc_ok = calc == t->crc || (calc ^ 0xffffffffu) == t->crc;
    }
    c.confidence = crc_ok.value_or(false) ? 95 : 60;
    c.description = "TRX v" + std::to_string(t->version) + ", " +
                    std::to_string(t->offsets.size()) + " partitions";
    c.info.emplace_back("version", std::to_string(t->version));
    c.info.emplace_back("flags", fw::hex(t->flags));
    c.info.emplace_back("length", std::to_string(t->len));
    c.info.emplace_back("crc_ok", crc_ok ? (*crc_ok ? "true" : "false") : "truncated");
    for (std::size_t i = 0; i < t->offsets.size(); ++i)
      c.info.emplace_back("partition-" + std::to_string(i) + ".offset",
                          std::to_string(t->offsets[i]));
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& /*chunk*/, Sink& sink) const override {
    auto t = parse(data);
    if (!t) return Error(Errc::corrupt, "TRX header unreadable", 0);
    const bool complete = data.has(0, t->len);
    if (complete) {
      std::uint32_t calc = fw::crc32(data.sub(12, t->len - 12));
      if (calc != t->crc && (calc ^ 0xffffffffu) != t->crc) {
        sink.diagnostic(
            Severity::warning, Errc::corrupt, 8,
            "TRX CRC mismatch: stored " + fw::hex32(t->crc) + ", computed " + fw::hex32(calc));
      }
    }
    for (std::size_t i = 0; i < t->offsets.size(); ++i) {
      std::uint64_t beg = t->offsets[i];
      std::uint64_t end = i + 1 < t->offsets.size() ? t->offsets[i + 1] : t->len;
      ByteView part = data.sub(beg, end - beg);
      if (part.empty()) continue;
      if (auto st = sink.stream("partition-" + std::to_string(i), part); !st) return st.error();
    }
    if (!complete) {
      return Error(Errc::truncated,
                   "TRX truncated: header says " + std::to_string(t->len) + " bytes, " +
                       std::to_string(data.size()) + " present",
                   data.size());
    }
    return std::uint64_t{t->len};
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_trx_unpacker() {
  return std::make_unique<TrxUnpacker>();
}

}  // namespace waybill::unpack
