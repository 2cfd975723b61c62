// zip. probe() walks local headers, the central directory and the end-of-central-directory
// record (zip64 aware) for the exact extent; libarchive reads the entries from the central
// directory.
#include <cstring>
#include <optional>

#include "unpack/formats/formats.h"
#include "unpack/formats/libarchive_reader.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"PK\x03\x04", 0}};
constexpr std::string_view kLocal = "PK\x03\x04";
constexpr std::string_view kCentral = "PK\x01\x02";
constexpr std::string_view kEnd = "PK\x05\x06";
constexpr std::string_view kEnd64 = "PK\x06\x06";
constexpr std::string_view kLocator64 = "PK\x06\x07";

bool known_method(std::uint16_t m) {
  switch (m) {
    case 0:
    case 1:
    case 6:
    case 8:
    case 9:
    case 12:
    case 14:
    case 18:
    case 19:
    case 93:
    case 95:
    case 96:
    case 97:
    case 98:
    case 99:
      return true;
    default:
      return false;
  }
}

// Compressed size from the zip64 extra field (id 1) when the 32-bit field is 0xffffffff.
std::optional<std::uint64_t> zip64_csize(ByteView extra, bool usize_too) {
  std::uint64_t p = 0;
  while (extra.has(p, 4)) {
    std::uint16_t id = *extra.le16(p), len = *extra.le16(p + 2);
    if (id == 1) return extra.sub(p + 4, len).le64(usize_too ? 8 : 0);
    p += 4 + len;
  }
  return std::nullopt;
}

// The end-of-central-directory record at `e` if it is consistent with a zip starting at 0.
std::optional<std::uint64_t> end_record(ByteView v, std::uint64_t e) {
  if (!v.starts_with(e, kEnd) || !v.has(e, 22)) return std::nullopt;
  std::uint64_t cd_size = *v.le32(e + 12), cd_off = *v.le32(e + 16);
  const std::uint16_t comment = *v.le16(e + 20);
  if (*v.le16(e + 4) != 0 && *v.le16(e + 4) != 0xffff) return std::nullopt;  // multi-disk
  if (cd_off == 0xffffffff || cd_size == 0xffffffff) {
    if (e < 20 || !v.starts_with(e - 20, kLocator64)) return std::nullopt;
    std::uint64_t rec = *v.le64(e - 20 + 8);
    if (!v.starts_with(rec, kEnd64) || !v.has(rec, 56)) return std::nullopt;
    cd_size = *v.le64(rec + 40);
    cd_off = *v.le64(rec + 48);
    if (cd_off > rec || cd_size != rec - cd_off) return std::nullopt;
  } else if (cd_off > e || cd_size != e - cd_off) {
    return std::nullopt;
  }
  if (cd_size > 0 && !v.starts_with(cd_off, kCentral)) return std::nullopt;
  if (!v.has(e + 22, comment)) return std::nullopt;
  return e + 22 + comment;
}

class ZipUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const Magic> magics() const override { return kMagics; }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView v = data.sub(start);
    auto ver = v.le16(4);
    auto method = v.le16(8);
    auto nlen = v.le16(26);
    if (!ver || !method || !nlen || (*ver & 0xff) > 90 || !known_method(*method) || *nlen == 0)
      return Error(Errc::not_this_format, "bad zip local header");
    std::uint64_t pos = 0, entries = 0;
    bool need_search = false;
    // Local headers and their data.
    while (v.starts_with(pos, kLocal)) {
      if (!v.has(pos, 30)) return Error(Errc::truncated, "zip local header truncated", pos);
      const std::uint16_t flags = *v.le16(pos + 6);
      std::uint64_t csize = *v.le32(pos + 18);
      const std::uint16_t n = *v.le16(pos + 26), x = *v.le16(pos + 28);
      if (csize == 0xffffffff) {
        auto c64 = zip64_csize(v.sub(pos + 30 + n, x), *v.le32(pos + 22) == 0xffffffff);
        if (!c64) return Error(Errc::corrupt, "zip64 size missing", pos);
        csize = *c64;
      }
      if ((flags & 0x08) && csize == 0) {  // sizes in a data descriptor after the data
        need_search = true;
        break;
      }
      std::uint64_t next = pos + 30 + n + x;
      if (csize > v.size() || next > v.size() - csize) {
        return Error(Errc::truncated, "zip entry data runs past the end of the buffer", pos);
      }
      pos = next + csize;
      ++entries;
    }
    std::optional<std::uint64_t> end;
    if (!need_search) {
      // Central directory, then the (zip64) end records.
      while (v.starts_with(pos, kCentral) && v.has(pos, 46)) {
        pos += 46 + std::uint64_t{*v.le16(pos + 28)} + *v.le16(pos + 30) + *v.le16(pos + 32);
      }
      if (v.starts_with(pos, kEnd64) && v.has(pos, 12)) {
        std::uint64_t len = *v.le64(pos + 4);
        if (len < v.size()) pos += 12 + len;
      }
      if (v.starts_with(pos, kLocator64)) pos += 20;
      end = end_record(v, pos);
    }
    if (!end) {
      // Data descriptors (or an unexpected layout): the first consistent end record.
      std::uint64_t from = pos;
      while (!end) {
        std::size_t e = v.find(kEnd, from);
        if (e == std::string_view::npos) break;
        end = end_record(v, e);
        from = e + 1;
      }
    }
    if (!end) return Error(Errc::truncated, "no end of central directory record found");
    Chunk c;
    c.size = *end;
    c.confidence = 90;
    c.description = "zip";
    if (!need_search) c.description += ", " + std::to_string(entries) + " entries";
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk&, Sink& sink) const override {
    return libarchive::extract(libarchive::Format::zip, desc_.id, data, sink);
  }

 private:
  Descriptor desc_{"zip", "zip archives (libarchive)"};
};

}  // namespace

std::unique_ptr<Unpacker> make_zip_unpacker() {
  return std::make_unique<ZipUnpacker>();
}

}  // namespace waybill::unpack
