// Legacy U-Boot image ("uImage"): a 64-byte big-endian header followed by the payload.
//
// Acceptance rule (probe): the magic 0x27051956 alone is too weak, so a candidate is accepted
// when EITHER the header CRC matches (the header is then authentic even if its fields are
// unusual, e.g. vendor os/arch codes) OR, with a wrong header CRC, all fields are plausible
// (known os/arch/type/comp codes, printable name, non-zero size) AND the whole payload is
// present. Random bytes after a stray magic pass neither test. A wrong header or data CRC on an
// accepted image is reported as a warning diagnostic, never a rejection.
#include <array>
#include <string>

#include "unpack/formats/formats.h"
#include "unpack/formats/fw_common.h"

namespace waybill::unpack {

namespace {

constexpr std::uint64_t kHeaderSize = 64;
constexpr std::uint8_t kTypeMulti = 4;
constexpr std::size_t kMaxSubImages = 256;

struct Header {
  std::uint32_t hcrc = 0, time = 0, size = 0, load = 0, ep = 0, dcrc = 0;
  std::uint8_t os = 0, arch = 0, type = 0, comp = 0;
  std::string_view name;
  bool hcrc_ok = false;
  std::uint32_t hcrc_calc = 0;
};

struct SubImage {
  std::uint64_t offset, size;  // offset relative to the chunk start
};

// Indexed by the IH_OS_*, IH_ARCH_*, IH_TYPE_*, IH_COMP_* values of U-Boot's include/image.h.
constexpr std::array<std::string_view, 30> kOs = {"invalid",  "openbsd",
                                                  "netbsd",   "freebsd",
                                                  "4_4bsd",   "linux",
                                                  "svr4",     "esix",
                                                  "solaris",  "irix",
                                                  "sco",      "dell",
                                                  "ncr",      "lynxos",
                                                  "vxworks",  "psos",
                                                  "qnx",      "u-boot",
                                                  "rtems",    "artos",
                                                  "unity",    "integrity",
                                                  "ose",      "plan9",
                                                  "openrtos", "arm-trusted-firmware",
                                                  "tee",      "opensbi",
                                                  "efi",      "elf"};
constexpr std::array<std::string_view, 27> kArch = {
    "invalid", "alpha",   "arm",     "x86",  "ia64",  "mips",       "mips64", "powerpc",  "s390",
    "sh",      "sparc",   "sparc64", "m68k", "nios",  "microblaze", "nios2",  "blackfin", "avr32",
    "st200",   "sandbox", "nds32",   "or1k", "arm64", "arc",        "x86_64", "xtensa",   "riscv"};
constexpr std::array<std::string_view, 15> kType = {
    "invalid",  "standalone", "kernel",     "ramdisk",  "multi",
    "firmware", "script",     "filesystem", "flat_dt",  "kwbimage",
    "imximage", "ublimage",   "omapimage",  "aisimage", "kernel_noload"};
constexpr std::array<std::string_view, 7> kComp = {"none", "gzip", "bzip2", "lzma",
                                                   "lzo",  "lz4",  "zstd"};

template <std::size_t N>
std::string name_of(const std::array<std::string_view, N>& table, std::uint8_t v) {
  if (v < N) return std::string(table[v]);
  return std::to_string(v);
}

std::optional<Header> parse_header(ByteView d) {
  Cursor c(d, 0, /*big_endian=*/true);
  if (c.u32() != 0x27051956u) return std::nullopt;
  Header h;
  h.hcrc = c.u32();
  h.time = c.u32();
  h.size = c.u32();
  h.load = c.u32();
  h.ep = c.u32();
  h.dcrc = c.u32();
  h.os = c.u8();
  h.arch = c.u8();
  h.type = c.u8();
  h.comp = c.u8();
  if (!c.ok() || !d.has(0, kHeaderSize)) return std::nullopt;
  h.name = d.cstr(32, 32);
  static constexpr std::uint8_t zeros[4] = {0, 0, 0, 0};
  std::uint32_t crc = fw::crc32(d.sub(0, 4));
  crc = fw::crc32(ByteView(zeros, 4), crc);
  crc = fw::crc32(d.sub(8, kHeaderSize - 8), crc);
  h.hcrc_calc = crc;
  h.hcrc_ok = crc == h.hcrc;
  return h;
}

bool plausible(const Header& h) {
  return h.os < kOs.size() && h.arch < kArch.size() && h.type < 96 && h.comp < kComp.size() &&
         h.size > 0 && fw::printable(h.name);
}

// Sub-image table of a MULTI image: big-endian u32 sizes ending with 0, then the images, each
// padded to 4 bytes. nullopt when the table is not terminated inside the payload or an image
// overruns the declared payload.
std::optional<std::vector<SubImage>> parse_multi(ByteView d, const Header& h) {
  std::vector<std::uint32_t> sizes;
  const std::uint64_t end = kHeaderSize + h.size;
  std::uint64_t off = kHeaderSize;
  for (;;) {
    if (off + 4 > end || sizes.size() > kMaxSubImages) return std::nullopt;
    auto v = d.be32(off);
    if (!v) return std::nullopt;
    off += 4;
    if (*v == 0) break;
    sizes.push_back(*v);
  }
  std::vector<SubImage> out;
  for (std::uint32_t s : sizes) {
    if (off + s > end) return std::nullopt;
    out.push_back({off, s});
    off += (static_cast<std::uint64_t>(s) + 3) & ~std::uint64_t{3};
  }
  return out;
}

std::string_view stream_name(std::uint8_t type) {
  switch (type) {
    case 2:   // kernel
    case 14:  // kernel_noload
      return "kernel";
    case 3:
      return "ramdisk";
    case 7:
      return "filesystem";
    default:
      return "image";
  }
}

class UImageUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"uimage", "legacy U-Boot image (uImage), incl. multi-file images"};
    return d;
  }

  std::span<const Magic> magics() const override {
    static const Magic m[] = {{std::string_view("\x27\x05\x19\x56", 4), 0}};
    return m;
  }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView d = data.sub(start);
    auto h = parse_header(d);
    if (!h) return Error(Errc::not_this_format, "");
    const std::uint64_t total = kHeaderSize + h->size;
    const bool complete = d.has(0, total);
    if (!h->hcrc_ok && !(plausible(*h) && complete)) return Error(Errc::not_this_format, "");

    Chunk c;
    c.size = total;
    c.confidence = h->hcrc_ok ? 95 : 60;
    c.description = "uImage " + name_of(kType, h->type) + ", " + name_of(kOs, h->os) + "/" +
                    name_of(kArch, h->arch) + ", " + name_of(kComp, h->comp) + ", \"" +
                    std::string(h->name) + "\"";
    auto& i = c.info;
    i.emplace_back("name", std::string(h->name));
    i.emplace_back("type", name_of(kType, h->type));
    i.emplace_back("os", name_of(kOs, h->os));
    i.emplace_back("arch", name_of(kArch, h->arch));
    i.emplace_back("compression", name_of(kComp, h->comp));
    i.emplace_back("load", fw::hex32(h->load));
    i.emplace_back("entry", fw::hex32(h->ep));
    i.emplace_back("timestamp", std::to_string(h->time));
    i.emplace_back("data_size", std::to_string(h->size));
    i.emplace_back("header_crc_ok", h->hcrc_ok ? "true" : "false");
    if (complete) {
      bool ok = fw::crc32(d.sub(kHeaderSize, h->size)) == h->dcrc;
      i.emplace_back("data_crc_ok", ok ? "true" : "false");
    } else {
      i.emplace_back("data_crc_ok", "truncated");
    }
    if (h->type == kTypeMulti) {
      if (auto subs = parse_multi(d, *h)) {
        for (std::size_t n = 0; n < subs->size(); ++n) {
          std::string k = "image-" + std::to_string(n);
          i.emplace_back(k + ".offset", std::to_string((*subs)[n].offset));
          i.emplace_back(k + ".size", std::to_string((*subs)[n].size));
        }
      }
    }
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& /*chunk*/, Sink& sink) const override {
    auto h = parse_header(data);
    if (!h) return Error(Errc::corrupt, "uImage header unreadable", 0);
    if (!h->hcrc_ok) {
      sink.diagnostic(Severity::warning, Errc::corrupt, 0,
                      "uImage header CRC mismatch: stored " + fw::hex32(h->hcrc) + ", computed " +
                          fw::hex32(h->hcrc_calc));
    }
    const std::uint64_t total = kHeaderSize + h->size;
    ByteView payload = data.sub(kHeaderSize, h->size);
    const bool complete = payload.size() == h->size;
    if (complete) {
      std::uint32_t calc = fw::crc32(payload);
      if (calc != h->dcrc) {
        sink.diagnostic(Severity::warning, Errc::corrupt, kHeaderSize,
                        "uImage data CRC mismatch: stored " + fw::hex32(h->dcrc) + ", computed " +
                            fw::hex32(calc));
      }
    }

    if (h->type == kTypeMulti) {
      auto subs = parse_multi(data, *h);
      if (!subs) {
        sink.diagnostic(Severity::warning, Errc::corrupt, kHeaderSize,
                        "multi-file uImage: sub-image table is inconsistent; payload kept whole");
      }
      if (subs) {
        for (std::size_t n = 0; n < subs->size(); ++n) {
          ByteView sub = data.sub((*subs)[n].offset, (*subs)[n].size);
          if (sub.empty()) continue;
          if (auto st = sink.stream("image-" + std::to_string(n), sub); !st) return st.error();
        }
      } else if (!payload.empty()) {
        if (auto st = sink.stream("image", payload); !st) return st.error();
      }
    } else if (!payload.empty()) {
      // Compressed payloads (comp != none) are left to the compressor unpackers, which the
      // engine finds at offset 0 of the stream.
      if (auto st = sink.stream(stream_name(h->type), payload); !st) return st.error();
    }

    if (!complete) {
      return Error(Errc::truncated,
                   "uImage payload truncated: header says " + std::to_string(h->size) + " bytes, " +
                       std::to_string(payload.size()) + " present",
                   kHeaderSize + payload.size());
    }
    return total;
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_uimage_unpacker() {
  return std::make_unique<UImageUnpacker>();
}

}  // namespace waybill::unpack
