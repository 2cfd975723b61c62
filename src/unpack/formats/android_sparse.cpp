// Android sparse image (libsparse, img2simg), little-endian:
//   header: u32 magic 0xed26ff3a | u16 major (1) | u16 minor | u16 file_hdr_sz | u16 chunk_hdr_sz
//           | u32 blk_sz | u32 total_blks | u32 total_chunks | u32 image_checksum
//   chunk:  u16 type | u16 reserved | u32 chunk_sz (blocks) | u32 total_sz (bytes incl. header)
//   RAW 0xCAC1 (chunk_sz*blk_sz bytes), FILL 0xCAC2 (u32 pattern), DONT_CARE 0xCAC3 (nothing),
//   CRC32 0xCAC4 (u32 crc of the output so far).
// The expansion is a natural decompression bomb, so the full output size is charged to the budget
// before anything is allocated.
#include <algorithm>
#include <cstring>
#include <string>

#include "unpack/formats/formats.h"
#include "unpack/formats/fw_common.h"

namespace waybill::unpack {

namespace {

constexpr std::uint16_t kRaw = 0xCAC1, kFill = 0xCAC2, kDontCare = 0xCAC3, kCrc = 0xCAC4;

struct SparseChunk {
  std::uint16_t type;
  std::uint32_t blocks;
  std::uint64_t data_off;  // payload offset from the image start
};

struct Sparse {
  std::uint32_t blk_sz = 0, total_blks = 0, total_chunks = 0, checksum = 0;
  std::uint64_t blocks = 0;  // sum of chunk sizes
  std::uint64_t end = 0;     // bytes used by the sparse image
  std::vector<SparseChunk> chunks;
};

Result<Sparse> parse(ByteView d) {
  Cursor c(d, 0, false);
  if (c.u32() != 0xed26ff3au) return Error(Errc::not_this_format, "");
  std::uint16_t major = c.u16();
  c.u16();  // minor
  std::uint16_t file_hdr = c.u16();
  std::uint16_t chunk_hdr = c.u16();
  Sparse s;
  s.blk_sz = c.u32();
  s.total_blks = c.u32();
  s.total_chunks = c.u32();
  s.checksum = c.u32();
  if (!c.ok() || major != 1 || file_hdr < 28 || chunk_hdr < 12 || s.blk_sz == 0 ||
      s.blk_sz % 4 != 0)
    return Error(Errc::not_this_format, "");
  std::uint64_t pos = file_hdr;
  for (std::uint32_t i = 0; i < s.total_chunks; ++i) {
    Cursor h(d, pos, false);
    std::uint16_t type = h.u16();
    h.u16();
    std::uint32_t blocks = h.u32();
    std::uint32_t total = h.u32();
    if (!h.ok()) return Error(Errc::truncated, "sparse chunk header truncated", pos);
    std::uint64_t want = chunk_hdr;
    switch (type) {
      case kRaw:
        want += static_cast<std::uint64_t>(blocks) * s.blk_sz;
        break;
      case kFill:
      case kCrc:
        want += 4;
        break;
      case kDontCare:
        break;
      default:
        return Error(Errc::corrupt, "unknown sparse chunk type " + fw::hex(type), pos);
    }
    if (total != want) return Error(Errc::corrupt, "sparse chunk size mismatch", pos);
    if (type == kCrc && blocks != 0) return Error(Errc::corrupt, "CRC32 chunk with blocks", pos);
    s.chunks.push_back({type, blocks, pos + chunk_hdr});
    s.blocks += blocks;
    if (s.blocks > UINT64_MAX / s.blk_sz) return Error(Errc::corrupt, "sparse size overflow", pos);
    pos += total;
  }
  s.end = pos;
  return s;
}

class AndroidSparseUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"android-sparse", "Android sparse image (img2simg)"};
    return d;
  }

  std::span<const Magic> magics() const override {
    static const Magic m[] = {{std::string_view("\x3a\xff\x26\xed", 4), 0}};
    return m;
  }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    auto s = parse(data.sub(start));
    if (!s) return s.error();
    Chunk c;
    c.size = s->end;
    c.confidence = s->blocks == s->total_blks ? 90 : 60;
    const std::uint64_t out = s->blocks * s->blk_sz;
    c.description = "Android sparse image, " + std::to_string(s->chunks.size()) + " chunks, " +
                    std::to_string(out) + " bytes expanded";
    c.info.emplace_back("block_size", std::to_string(s->blk_sz));
    c.info.emplace_back("total_blocks", std::to_string(s->total_blks));
    c.info.emplace_back("chunks", std::to_string(s->chunks.size()));
    c.info.emplace_back("expanded_size", std::to_string(out));
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& /*chunk*/, Sink& sink) const override {
    auto s = parse(data);
    if (!s) return s.error();
    if (s->blocks != s->total_blks) {
      sink.diagnostic(Severity::warning, Errc::corrupt, 12,
                      "sparse header says " + std::to_string(s->total_blks) +
                          " blocks, chunks cover " + std::to_string(s->blocks));
    }
    const std::uint64_t out_size = s->blocks * s->blk_sz;
    Budget& b = sink.budget();
    if (auto st = b.check_file_size(out_size); !st) return st.error();
    if (auto st = b.charge_bytes(out_size, data.size(), 0); !st) return st.error();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(out_size), 0);
    std::uint64_t cur = 0;
    for (const SparseChunk& ch : s->chunks) {
      const std::uint64_t n = static_cast<std::uint64_t>(ch.blocks) * s->blk_sz;
      switch (ch.type) {
        case kRaw: {
          ByteView src = data.sub(ch.data_off, n);
          if (src.size() != n) return Error(Errc::truncated, "raw chunk truncated", ch.data_off);
          std::memcpy(out.data() + cur, src.data(), n);
          break;
        }
        case kFill: {
          auto fill = data.sub(ch.data_off, 4);
          if (fill.size() != 4) return Error(Errc::truncated, "fill chunk truncated", ch.data_off);
          for (std::uint64_t i = 0; i < n; i += 4)
            std::memcpy(out.data() + cur + i, fill.data(), 4);
          break;
        }
        case kCrc: {
          auto want = data.le32(ch.data_off);
          if (!want) return Error(Errc::truncated, "CRC chunk truncated", ch.data_off);
          std::uint32_t calc = fw::crc32(ByteView(out.data(), cur));
          if (calc != *want) {
            sink.diagnostic(Severity::warning, Errc::corrupt, ch.data_off,
                            "sparse CRC32 chunk mismatch: stored " + fw::hex32(*want) +
                                ", computed " + fw::hex32(calc));
          }
          break;
        }
        default:  // DONT_CARE: already zero
          break;
      }
      cur += n;
    }
    if (s->checksum != 0) {
      std::uint32_t calc = fw::crc32(ByteView(out.data(), out.size()));
      if (calc != s->checksum) {
        sink.diagnostic(Severity::warning, Errc::corrupt, 24,
                        "sparse image checksum mismatch: stored " + fw::hex32(s->checksum) +
                            ", computed " + fw::hex32(calc));
      }
    }
    if (auto st = sink.stream("raw.img", ByteView(out.data(), out.size())); !st) return st.error();
    return s->end;
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_android_sparse_unpacker() {
  return std::make_unique<AndroidSparseUnpacker>();
}

}  // namespace waybill::unpack
