// CramFS, read directly from memory (no Debian library reads it). Layout (all fields in the
// image's byte order; little-endian is the norm, big-endian images from `mkfs.cramfs -N big`):
//   superblock: u32 magic 0x28cd3d45 | u32 size | u32 flags | u32 future | "Compressed ROMFS"
//               | fsid {u32 crc, edition, blocks, files} | name[16] | root inode (offset 64)
//   inode (12 bytes, bit fields): mode:16 uid:16 | size:24 gid:8 | namelen:6 offset:26
//     followed by the name (namelen*4 bytes, NUL padded). offset*4 is the byte offset of a
//     directory's entries or a file's block pointer table.
//   files: u32 block pointers (end of each zlib block), data starts after the table; 4 KiB pages.
//     With CRAMFS_FLAG_EXT_BLOCK_POINTERS, bit 31 = stored uncompressed, bit 30 = direct pointer.
// Only the page size 4096 is supported (mkfs.cramfs's default on the usual targets).
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>

#include "unpack/formats/formats.h"
#include "unpack/formats/fw_common.h"

namespace waybill::unpack {

namespace {

constexpr std::uint32_t kMagic = 0x28cd3d45;
constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kSuperSize = 76;
constexpr std::uint32_t kFlagV2 = 0x1, kFlagShifted = 0x400, kFlagExtPtrs = 0x800;
constexpr std::uint32_t kSupportedFlags = 0xff | 0x100 | 0x200 | kFlagShifted | kFlagExtPtrs;
constexpr std::uint32_t kBlkUncompressed = 1u << 31, kBlkDirect = 1u << 30;
constexpr std::size_t kMaxDepth = 128;

struct Inode {
  std::uint32_t mode = 0, uid = 0, size = 0, gid = 0, namelen = 0;
  std::uint64_t offset = 0;  // in bytes
};

struct Super {
  bool be = false;
  std::uint32_t size = 0, flags = 0, crc = 0, edition = 0, blocks = 0, files = 0;
  std::string_view name;
  Inode root;
};

std::optional<std::uint32_t> rd32(ByteView d, std::uint64_t off, bool be) {
  return be ? d.be32(off) : d.le32(off);
}

std::optional<Inode> read_inode(ByteView d, std::uint64_t off, bool be) {
  auto w0 = rd32(d, off, be), w1 = rd32(d, off + 4, be), w2 = rd32(d, off + 8, be);
  if (!w0 || !w1 || !w2) return std::nullopt;
  Inode i;
  if (be) {
    i.mode = *w0 >> 16;
    i.uid = *w0 & 0xffff;
    i.size = *w1 >> 8;
    i.gid = *w1 & 0xff;
    i.namelen = *w2 >> 26;
    i.offset = static_cast<std::uint64_t>(*w2 & 0x3ffffff) * 4;
  } else {
    i.mode = *w0 & 0xffff;
    i.uid = *w0 >> 16;
    i.size = *w1 & 0xffffff;
    i.gid = *w1 >> 24;
    i.namelen = *w2 & 0x3f;
    i.offset = static_cast<std::uint64_t>(*w2 >> 6) * 4;
  }
  return i;
}

std::optional<Super> parse_super(ByteView d) {
  auto m = d.le32(0);
  if (!m) return std::nullopt;
  Super s;
  if (*m == kMagic) {
    s.be = false;
  } else if (*m == 0x453dcd28u) {
    s.be = true;
  } else {
    return std::nullopt;
  }
  if (!d.starts_with(16, "Compressed ROMFS") || !d.has(0, kSuperSize)) return std::nullopt;
  s.size = *rd32(d, 4, s.be);
  s.flags = *rd32(d, 8, s.be);
  s.crc = *rd32(d, 32, s.be);
  s.edition = *rd32(d, 36, s.be);
  s.blocks = *rd32(d, 40, s.be);
  s.files = *rd32(d, 44, s.be);
  s.name = d.cstr(48, 16);
  s.root = *read_inode(d, 64, s.be);
  if (s.size < kSuperSize) return std::nullopt;
  if ((s.root.mode & 0170000) != 0040000) return std::nullopt;
  return s;
}

std::uint32_t fs_crc(ByteView d, std::uint32_t size) {
  static constexpr std::uint8_t zeros[4] = {0, 0, 0, 0};
  std::uint32_t c = fw::crc32(d.sub(0, 32));
  c = fw::crc32(ByteView(zeros, 4), c);
  return fw::crc32(d.sub(36, size - 36), c);
}

class Inflater {
 public:
  Inflater() { ok_ = inflateInit(&z_) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // Inflate one zlib block that must produce exactly `want` bytes into `out`.
  bool block(ByteView in, std::uint8_t* out, std::uint64_t want) {
    if (!ok_ || inflateReset(&z_) != Z_OK) return false;
    z_.next_in = const_cast<Bytef*>(in.data());
    z_.avail_in = static_cast<uInt>(in.size());
    std::uint8_t buf[kPage + 1];
    z_.next_out = buf;
    z_.avail_out = sizeof buf;
    int r = inflate(&z_, Z_FINISH);
    if (r != Z_STREAM_END) return false;
    std::uint64_t got = sizeof buf - z_.avail_out;
    if (got != want) return false;
    std::memcpy(out, buf, got);
    return true;
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

class Reader {
 public:
  Reader(ByteView d, const Super& s, Sink& sink) : d_(d), s_(s), sink_(sink) {}

  Status walk() {
    struct Dir {
      std::uint64_t off, size;
      std::string path;
      std::size_t depth;
    };
    std::vector<Dir> todo{{s_.root.offset, s_.root.size, "", 0}};
    std::set<std::uint64_t> seen;
    while (!todo.empty()) {
      Dir dir = std::move(todo.back());
      todo.pop_back();
      if (dir.size == 0) continue;
      if (!seen.insert(dir.off).second) {
        sink_.diagnostic(Severity::warning, Errc::corrupt, dir.off,
                         "cramfs directory referenced twice (loop?); skipped");
        continue;
      }
      if (dir.depth >= kMaxDepth) {
        sink_.diagnostic(Severity::warning, Errc::limit_exceeded, dir.off,
                         "cramfs directories nested too deeply; skipped");
        continue;
      }
      if (!d_.has(dir.off, dir.size) || dir.off < kSuperSize) {
        sink_.diagnostic(Severity::warning, Errc::corrupt, dir.off,
                         "cramfs directory '" + dir.path + "' outside the image");
        continue;
      }
      std::uint64_t pos = dir.off;
      const std::uint64_t end = dir.off + dir.size;
      while (pos + 12 <= end) {
        auto ino = read_inode(d_, pos, s_.be);
        if (!ino) break;
        const std::uint64_t name_len = static_cast<std::uint64_t>(ino->namelen) * 4;
        if (name_len == 0 || pos + 12 + name_len > end) {
          sink_.diagnostic(Severity::warning, Errc::corrupt, pos, "cramfs bad directory entry");
          break;
        }
        std::string path = dir.path + "/" + std::string(d_.cstr(pos + 12, name_len));
        pos += 12 + name_len;
        if (auto st = emit(*ino, path, dir.depth, todo); !st) return st;
      }
    }
    return Status::success();
  }

 private:
  template <class Todo>
  Status emit(const Inode& ino, const std::string& path, std::size_t depth, Todo& todo) {
    Entry e;
    e.path = path;
    e.mode = ino.mode & 07777;
    e.uid = ino.uid;
    e.gid = ino.gid;
    switch (ino.mode & 0170000) {
      case 0040000:
        e.type = EntryType::directory;
        if (auto st = sink_.entry(e, {}); !st) return st;
        todo.push_back({ino.offset, ino.size, path, depth + 1});
        return Status::success();
      case 0100000:
      case 0120000: {
        std::vector<std::uint8_t> content;
        if (auto st = read_file(ino, path, content); !st) {
          if (st.error().code == Errc::limit_exceeded) return st;
          sink_.diagnostic(Severity::warning, st.error().code, st.error().offset,
                           "cramfs '" + path + "': " + st.error().message);
          return Status::success();
        }
        if ((ino.mode & 0170000) == 0120000) {
          e.type = EntryType::symlink;
          e.link_target.assign(content.begin(), content.end());
          return sink_.entry(e, {});
        }
        e.type = EntryType::file;
        e.size = content.size();
        return sink_.entry(e, ByteView(content.data(), content.size()));
      }
      case 0020000:
      case 0060000:
        e.type = EntryType::device;
        return sink_.entry(e, {});
      case 0010000:
        e.type = EntryType::fifo;
        return sink_.entry(e, {});
      case 0140000:
        e.type = EntryType::socket;
        return sink_.entry(e, {});
      default:
        sink_.diagnostic(Severity::warning, Errc::corrupt, std::nullopt,
                         "cramfs '" + path + "': unknown file type " + fw::hex(ino.mode));
        return Status::success();
    }
  }

  Status read_file(const Inode& ino, const std::string& /*path*/, std::vector<std::uint8_t>& out) {
    const std::uint64_t size = ino.size;
    if (size == 0) return Status::success();
    Budget& b = sink_.budget();
    if (auto st = b.check_file_size(size); !st) return st;
    if (auto st = b.charge_bytes(size, d_.size(), produced_); !st) return st;
    produced_ += size;
    const std::uint64_t nblocks = (size + kPage - 1) / kPage;
    const std::uint64_t table = ino.offset;
    if (table < kSuperSize || !d_.has(table, nblocks * 4))
      return Error(Errc::corrupt, "block table outside the image", table);
    out.assign(size, 0);
    const bool ext = (s_.flags & kFlagExtPtrs) != 0;
    for (std::uint64_t i = 0; i < nblocks; ++i) {
      const std::uint64_t want = std::min(kPage, size - i * kPage);
      std::uint32_t ptr = *rd32(d_, table + i * 4, s_.be);
      bool uncompressed = false;
      std::uint64_t start = 0, len = 0;
      if (ext) {
        uncompressed = (ptr & kBlkUncompressed) != 0;
        const bool direct = (ptr & kBlkDirect) != 0;
        ptr &= ~(kBlkUncompressed | kBlkDirect);
        if (direct) {
          start = static_cast<std::uint64_t>(ptr) << 2;
          if (uncompressed) {
            len = want;
          } else {
            auto l = s_.be ? d_.be16(start) : d_.le16(start);
            if (!l) return Error(Errc::corrupt, "direct block outside the image", start);
            len = *l;
            start += 2;
          }
        } else {
          if (i == 0) {
            start = table + nblocks * 4;
          } else {
            std::uint32_t prev = *rd32(d_, table + (i - 1) * 4, s_.be);
            if (prev & kBlkDirect) {
              // The previous block was placed directly: this one follows it.
              std::uint64_t ps = static_cast<std::uint64_t>(prev & ~(kBlkUncompressed | kBlkDirect))
                                 << 2;
              if (prev & kBlkUncompressed) {
                start = ps + kPage;
              } else {
                auto l = s_.be ? d_.be16(ps) : d_.le16(ps);
                if (!l) return Error(Errc::corrupt, "direct block outside the image", ps);
                start = ps + 2 + *l;
              }
            } else {
              start = prev & ~(kBlkUncompressed | kBlkDirect);
            }
          }
          if (ptr < start) return Error(Errc::corrupt, "block pointers go backwards", table);
          len = ptr - start;
        }
      } else {
        start = i == 0 ? table + nblocks * 4 : *rd32(d_, table + (i - 1) * 4, s_.be);
        if (ptr < start) return Error(Errc::corrupt, "block pointers go backwards", table);
        len = ptr - start;
      }
      std::uint8_t* dst = out.data() + i * kPage;
      if (len == 0) continue;  // hole: zeros
      ByteView src = d_.sub(start, len);
      if (src.size() != len) return Error(Errc::corrupt, "block outside the image", start);
      if (uncompressed) {
        std::memcpy(dst, src.data(), std::min<std::uint64_t>(len, want));
      } else if (!z_.block(src, dst, want)) {
        return Error(Errc::corrupt, "zlib block " + std::to_string(i) + " does not inflate", start);
      }
    }
    return Status::success();
  }

  ByteView d_;
  const Super& s_;
  Sink& sink_;
  Inflater z_;
  std::uint64_t produced_ = 0;
};

class CramfsUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"cramfs", "CramFS compressed ROM filesystem (little/big endian)"};
    return d;
  }

  std::span<const Magic> magics() const override {
    static const Magic m[] = {{std::string_view("\x45\x3d\xcd\x28", 4), 0},
                              {std::string_view("\x28\xcd\x3d\x45", 4), 0}};
    return m;
  }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView d = data.sub(start);
    auto s = parse_super(d);
    if (!s) return Error(Errc::not_this_format, "");
    if (s->flags & ~kSupportedFlags)
      return Error(Errc::unsupported, "cramfs with unknown flags " + fw::hex(s->flags), 8);
    Chunk c;
    c.size = s->size;
    c.confidence = 90;
    c.description = std::string("cramfs ") + (s->be ? "big" : "little") + " endian, " +
                    std::to_string(s->files) + " files, \"" + std::string(s->name) + "\"";
    c.info.emplace_back("endianness", s->be ? "big" : "little");
    c.info.emplace_back("name", std::string(s->name));
    c.info.emplace_back("size", std::to_string(s->size));
    c.info.emplace_back("flags", fw::hex(s->flags));
    c.info.emplace_back("edition", std::to_string(s->edition));
    c.info.emplace_back("blocks", std::to_string(s->blocks));
    c.info.emplace_back("files", std::to_string(s->files));
    if ((s->flags & kFlagV2) != 0 && d.has(0, s->size))
      c.info.emplace_back("crc_ok", fs_crc(d, s->size) == s->crc ? "true" : "false");
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& /*chunk*/, Sink& sink) const override {
    auto s = parse_super(data);
    if (!s) return Error(Errc::corrupt, "cramfs superblock unreadable", 0);
    if (s->flags & kFlagShifted)
      return Error(Errc::unsupported, "cramfs with shifted root offset", 8);
    const bool complete = data.has(0, s->size);
    if (!complete) {
      sink.diagnostic(Severity::warning, Errc::truncated, data.size(),
                      "cramfs truncated: superblock says " + std::to_string(s->size) + " bytes, " +
                          std::to_string(data.size()) + " present");
    } else if ((s->flags & kFlagV2) != 0) {
      std::uint32_t calc = fs_crc(data, s->size);
      if (calc != s->crc) {
        sink.diagnostic(
            Severity::warning, Errc::corrupt, 32,
            "cramfs CRC mismatch: stored " + fw::hex32(s->crc) + ", computed " + fw::hex32(calc));
      }
    }
    Reader r(data.sub(0, s->size), *s, sink);
    if (auto st = r.walk(); !st) return st.error();
    return std::uint64_t{s->size};
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_cramfs_unpacker() {
  return std::make_unique<CramfsUnpacker>();
}

}  // namespace waybill::unpack
