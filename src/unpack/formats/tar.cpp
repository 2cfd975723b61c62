// tar (ustar, GNU, pax). probe() walks the 512-byte headers to find the exact end; libarchive
// reads the entries.
#include <algorithm>
#include <optional>

#include "unpack/formats/formats.h"
#include "unpack/formats/libarchive_reader.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"ustar", 257}};

// Octal (space/NUL padded) or GNU base-256 numeric field.
std::optional<std::uint64_t> tar_number(ByteView f) {
  if (f.empty()) return std::nullopt;
  if (f.data()[0] & 0x80) {
    if (f.data()[0] != 0x80) return std::nullopt;  // negative or > 2^63
    std::uint64_t v = 0;
    for (std::size_t i = 1; i < f.size(); ++i) {
      if (v >> 56) return std::nullopt;
      v = (v << 8) | f.data()[i];
    }
    return v;
  }
  std::uint64_t v = 0;
  std::size_t i = 0;
  while (i < f.size() && (f.data()[i] == ' ' || f.data()[i] == 0)) ++i;
  bool digits = false;
  for (; i < f.size(); ++i) {
    std::uint8_t c = f.data()[i];
    if (c == ' ' || c == 0) break;
    if (c < '0' || c > '7' || (v >> 60)) return std::nullopt;
    v = v * 8 + (c - '0');
    digits = true;
  }
  for (; i < f.size(); ++i)
    if (f.data()[i] != ' ' && f.data()[i] != 0) return std::nullopt;
  if (!digits) return std::nullopt;
  return v;
}

bool checksum_ok(ByteView h) {
  auto stored = tar_number(h.sub(148, 8));
  if (!stored) return false;
  std::uint64_t unsigned_sum = 0;
  std::int64_t signed_sum = 0;
  for (std::size_t i = 0; i < 512; ++i) {
    std::uint8_t c = (i >= 148 && i < 156) ? ' ' : h.data()[i];
    unsigned_sum += c;
    signed_sum += static_cast<std::int8_t>(c);
  }
  return *stored == unsigned_sum || static_cast<std::int64_t>(*stored) == signed_sum;
}

bool all_zero(ByteView b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t c) { return c == 0; });
}

class TarUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const Magic> magics() const override { return kMagics; }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView v = data.sub(start);
    if (!v.has(0, 512) || !checksum_ok(v.sub(0, 512)))
      return Error(Errc::not_this_format, "bad tar header checksum");
    const bool gnu = v.starts_with(257, std::string_view("ustar  \0", 8));
    if (!gnu && !v.starts_with(257, std::string_view("ustar\0", 6)))
      return Error(Errc::not_this_format, "bad ustar magic");
    std::uint64_t pos = 0, entries = 0;
    bool terminated = false;
    Errc why = Errc::truncated;
    while (v.has(pos, 512)) {
      ByteView h = v.sub(pos, 512);
      if (all_zero(h)) {
        pos += 512;
        if (v.has(pos, 512) && all_zero(v.sub(pos, 512))) pos += 512;
        terminated = true;
        break;
      }
      if (!checksum_ok(h)) {
        why = Errc::corrupt;
        break;
      }
      auto size = tar_number(h.sub(124, 12));
      if (!size) {
        why = Errc::corrupt;
        break;
      }
      const std::uint8_t type = h.data()[156];
      std::uint64_t data_size = *size;
      // Links, devices, directories and fifos carry no data in ustar/GNU archives.
      if (type >= '1' && type <= '6') data_size = 0;
      pos += 512;
      if (type == 'S' && h.data()[482] != 0) {  // old GNU sparse: extension headers follow
        while (v.has(pos, 512) && v.data()[pos + 504] != 0) pos += 512;
        pos += 512;
      }
      const std::uint64_t padded = (data_size + 511) & ~std::uint64_t{511};
      if (padded < data_size || padded > v.size() - std::min<std::uint64_t>(pos, v.size())) {
        pos = v.size();  // data runs past the buffer
        break;
      }
      pos += padded;
      ++entries;
    }
    pos = std::min<std::uint64_t>(pos, v.size());
    Chunk c;
    c.size = pos;
    c.confidence = 90;
    c.description = std::string(gnu ? "GNU tar" : "ustar/pax tar") + ", " +
                    std::to_string(entries) + " headers";
    if (!terminated)
      c.info.emplace_back("end", why == Errc::corrupt ? "invalid header" : "truncated");
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& chunk, Sink& sink) const override {
    return libarchive::extract(libarchive::Format::tar, desc_.id, data, sink,
                               libarchive::options_from(chunk));
  }

 private:
  Descriptor desc_{"tar", "tar archives: ustar, GNU, pax (libarchive)"};
};

}  // namespace

std::unique_ptr<Unpacker> make_tar_unpacker() {
  return std::make_unique<TarUnpacker>();
}

}  // namespace waybill::unpack
