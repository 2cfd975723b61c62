// cpio: SVR4 newc ("070701"), newc with CRC ("070702") and POSIX odc ("070707"). probe() walks
// the headers to the TRAILER!!! record for the exact extent; libarchive reads the entries.
#include <optional>

#include "unpack/formats/formats.h"
#include "unpack/formats/libarchive_reader.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"070701", 0}, {"070702", 0}, {"070707", 0}};
constexpr std::uint64_t kMaxName = 4096;

std::optional<std::uint64_t> parse(ByteView f, unsigned base) {
  if (f.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (std::uint8_t c : f) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

struct Record {
  std::uint64_t next = 0;  // offset after this record
  bool trailer = false;
};

// One header at `pos`; nullopt when it is not a valid header of the same variant.
std::optional<Record> read_record(ByteView v, std::uint64_t pos, bool odc, bool& short_data) {
  const std::uint64_t hdr = odc ? 76 : 110;
  short_data = false;
  if (!v.has(pos, hdr)) {
    short_data = true;
    return std::nullopt;
  }
  std::optional<std::uint64_t> namesize, filesize;
  if (odc) {
    if (!v.starts_with(pos, "070707")) return std::nullopt;
    // dev ino mode uid gid nlink rdev: 6 each from 6; mtime 11 at 48; namesize 6 at 59;
    // filesize 11 at 65.
    for (std::uint64_t off = 6; off < 48; off += 6)
      if (!parse(v.sub(pos + off, 6), 8)) return std::nullopt;
    if (!parse(v.sub(pos + 48, 11), 8)) return std::nullopt;
    namesize = parse(v.sub(pos + 59, 6), 8);
    filesize = parse(v.sub(pos + 65, 11), 8);
  } else {
    if (!v.starts_with(pos, "070701") && !v.starts_with(pos, "070702")) return std::nullopt;
    for (std::uint64_t off = 6; off < 110; off += 8)
      if (!parse(v.sub(pos + off, 8), 16)) return std::nullopt;
    filesize = parse(v.sub(pos + 54, 8), 16);
    namesize = parse(v.sub(pos + 94, 8), 16);
  }
  if (!namesize || !filesize || *namesize == 0 || *namesize > kMaxName) return std::nullopt;
  std::uint64_t p = pos + hdr;
  if (!v.has(p, *namesize)) {
    short_data = true;
    return std::nullopt;
  }
  if (v.data()[p + *namesize - 1] != 0) return std::nullopt;  // name must be NUL-terminated
  Record r;
  r.trailer = v.str(p, *namesize - 1) == "TRAILER!!!";
  p += *namesize;
  if (!odc) p = (p + 3) & ~std::uint64_t{3};
  if (*filesize > v.size() || p + *filesize > v.size()) {
    short_data = true;
    return std::nullopt;
  }
  p += *filesize;
  if (!odc) p = (p + 3) & ~std::uint64_t{3};
  r.next = p;
  return r;
}

class CpioUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const Magic> magics() const override { return kMagics; }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView v = data.sub(start);
    const bool odc = v.starts_with(0, "070707");
    std::uint64_t pos = 0, entries = 0;
    bool terminated = false, short_data = false;
    for (;;) {
      auto r = read_record(v, pos, odc, short_data);
      if (!r) break;
      pos = std::min<std::uint64_t>(r->next, v.size());
      if (r->trailer) {
        terminated = true;
        break;
      }
      ++entries;
    }
    if (pos == 0) return Error(Errc::not_this_format, "bad cpio header");
    Chunk c;
    c.confidence = 90;
    c.description = std::string(odc                          ? "cpio odc"
                                : v.starts_with(0, "070702") ? "cpio newc+crc"
                                                             : "cpio newc") +
                    ", " + std::to_string(entries) + " entries";
    if (terminated) {
      c.size = pos;
    } else if (short_data) {
      c.size = v.size();  // the archive runs to the end of the buffer
      c.info.emplace_back("end", "truncated");
    } else {
      c.size = pos;  // stops at an invalid header
      c.info.emplace_back("end", "invalid header");
    }
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& chunk, Sink& sink) const override {
    return libarchive::extract(libarchive::Format::cpio, desc_.id, data, sink,
                               libarchive::options_from(chunk));
  }

 private:
  Descriptor desc_{"cpio", "cpio archives: newc, newc+crc, odc (libarchive)"};
};

}  // namespace

std::unique_ptr<Unpacker> make_cpio_unpacker() {
  return std::make_unique<CpioUnpacker>();
}

}  // namespace waybill::unpack
