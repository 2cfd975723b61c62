// squashfs 4.0 little-endian through libsquashfs (squashfs-tools-ng), read from memory.
#include <sqfs/compressor.h>
#include <sqfs/data_reader.h>
#include <sqfs/dir.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/id_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/super.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "unpack/formats/formats.h"

namespace waybill::unpack {

namespace {

constexpr Magic kMagics[] = {{"hsqs", 0}};
constexpr std::uint64_t kSuperSize = 96;

const char* comp_name(std::uint16_t id) {
  switch (id) {
    case SQFS_COMP_GZIP:
      return "gzip";
    case SQFS_COMP_LZMA:
      return "lzma";
    case SQFS_COMP_LZO:
      return "lzo";
    case SQFS_COMP_XZ:
      return "xz";
    case SQFS_COMP_LZ4:
      return "lz4";
    case SQFS_COMP_ZSTD:
      return "zstd";
    default:
      return "unknown";
  }
}

Errc errc_of(int sqfs_err) {
  switch (sqfs_err) {
    case SQFS_ERROR_OUT_OF_BOUNDS:
      return Errc::truncated;
    case SQFS_ERROR_UNSUPPORTED:
      return Errc::unsupported;
    case SQFS_ERROR_ALLOC:
    case SQFS_ERROR_INTERNAL:
      return Errc::internal;
    default:
      return Errc::corrupt;
  }
}

std::string sqfs_msg(int err) {
  switch (err) {
    case SQFS_ERROR_ALLOC:
      return "out of memory";
    case SQFS_ERROR_IO:
      return "read error";
    case SQFS_ERROR_COMPRESSOR:
      return "decompression failed";
    case SQFS_ERROR_CORRUPTED:
      return "corrupted structure";
    case SQFS_ERROR_UNSUPPORTED:
      return "unsupported feature";
    case SQFS_ERROR_OVERFLOW:
      return "numeric overflow";
    case SQFS_ERROR_OUT_OF_BOUNDS:
      return "reference past the end of the image";
    case SQFS_ERROR_SUPER_BLOCK_SIZE:
      return "bad block size";
    case SQFS_ERROR_LINK_LOOP:
      return "directory loop";
    default:
      return "libsquashfs error " + std::to_string(err);
  }
}

// Read-only sqfs_file_t over a ByteView: the image never leaves memory.
struct MemFile : sqfs_file_t {
  ByteView view;

  explicit MemFile(ByteView v) : sqfs_file_t{}, view(v) {
    base.destroy = [](sqfs_object_t*) {};  // owned by the caller's stack frame
    base.copy = [](const sqfs_object_t*) -> sqfs_object_t* { return nullptr; };
    read_at = [](sqfs_file_t* f, sqfs_u64 off, void* buf, size_t n) -> int {
      const ByteView& v = static_cast<MemFile*>(f)->view;
      if (!v.has(off, n)) return SQFS_ERROR_OUT_OF_BOUNDS;
      if (n) std::memcpy(buf, v.data() + off, n);
      return 0;
    };
    write_at = [](sqfs_file_t*, sqfs_u64, const void*, size_t) -> int { return SQFS_ERROR_IO; };
    get_size = [](const sqfs_file_t* f) -> sqfs_u64 {
      return static_cast<const MemFile*>(f)->view.size();
    };
    truncate = [](sqfs_file_t*, sqfs_u64) -> int { return SQFS_ERROR_IO; };
  }
};

struct SqfsDestroy {
  void operator()(void* p) const { sqfs_destroy(p); }
};
template <class T>
using Owned = std::unique_ptr<T, SqfsDestroy>;
struct SqfsFree {
  void operator()(void* p) const { sqfs_free(p); }
};
using InodePtr = std::unique_ptr<sqfs_inode_generic_t, SqfsFree>;

struct Superblock {
  std::uint32_t inodes = 0, block_size = 0;
  std::uint16_t comp = 0, block_log = 0, flags = 0;
  std::uint64_t bytes_used = 0;
};

// Cheap validation of the 96-byte superblock; nullopt when it is not one.
std::optional<Superblock> parse_super(ByteView v, std::string* why) {
  Cursor c(v);
  if (c.u32() != 0x73717368u) return std::nullopt;  // "hsqs"
  Superblock s;
  s.inodes = c.u32();
  c.skip(4);  // mkfs time
  s.block_size = c.u32();
  const std::uint32_t frag_count = c.u32();
  s.comp = c.u16();
  s.block_log = c.u16();
  s.flags = c.u16();
  c.skip(2);  // id count
  const std::uint16_t major = c.u16(), minor = c.u16();
  c.skip(8);  // root inode ref
  s.bytes_used = c.u64();
  const std::uint64_t id_tbl = c.u64(), xattr_tbl = c.u64(), inode_tbl = c.u64(), dir_tbl = c.u64(),
                      frag_tbl = c.u64(), export_tbl = c.u64();
  if (!c.ok()) return std::nullopt;
  auto fail = [&](const char* m) -> std::optional<Superblock> {
    if (why) *why = m;
    return std::nullopt;
  };
  if (major != 4 || minor != 0) return fail("not squashfs 4.0");
  if (s.block_size < 4096 || s.block_size > (1u << 20) || (s.block_size & (s.block_size - 1)) ||
      s.block_log > 20 || (1u << s.block_log) != s.block_size)
    return fail("inconsistent block size");
  if (s.comp < SQFS_COMP_MIN || s.comp > SQFS_COMP_MAX) return fail("unknown compressor");
  if (s.bytes_used < kSuperSize) return fail("bytes_used too small");
  if (s.inodes == 0 || s.inodes > s.bytes_used) return fail("implausible inode count");
  // libsquashfs allocates 16 bytes per fragment up front: a forged count must not turn a tiny
  // image into a multi-gigabyte allocation. Every fragment belongs to at least one file inode.
  if (frag_count > s.inodes || std::uint64_t{frag_count} * 16 > (256ull << 20))
    return fail("implausible fragment count");
  auto in_image = [&](std::uint64_t off) { return off >= kSuperSize && off <= s.bytes_used; };
  auto optional_table = [&](std::uint64_t off) { return off == ~0ull || in_image(off); };
  if (!in_image(inode_tbl) || !in_image(dir_tbl) || inode_tbl > dir_tbl || !in_image(id_tbl) ||
      !optional_table(frag_tbl) || !optional_table(export_tbl) || !optional_table(xattr_tbl))
    return fail("table offsets outside the image");
  return s;
}

EntryType entry_type(std::uint16_t t) {
  switch (t) {
    case SQFS_INODE_DIR:
    case SQFS_INODE_EXT_DIR:
      return EntryType::directory;
    case SQFS_INODE_SLINK:
    case SQFS_INODE_EXT_SLINK:
      return EntryType::symlink;
    case SQFS_INODE_BDEV:
    case SQFS_INODE_CDEV:
    case SQFS_INODE_EXT_BDEV:
    case SQFS_INODE_EXT_CDEV:
      return EntryType::device;
    case SQFS_INODE_FIFO:
    case SQFS_INODE_EXT_FIFO:
      return EntryType::fifo;
    case SQFS_INODE_SOCKET:
    case SQFS_INODE_EXT_SOCKET:
      return EntryType::socket;
    default:
      return EntryType::file;
  }
}

// Listing size as stored: 3 more than the bytes of entries ("." and ".." are implicit).
std::uint32_t listing_size(const sqfs_inode_generic_t& in) {
  return in.base.type == SQFS_INODE_EXT_DIR ? in.data.dir_ext.size : in.data.dir.size;
}

// Location of a directory's listing, used to refuse loops and shared subtrees. Empty
// directories all point at the same spot and are never descended.
std::uint64_t listing_key(const sqfs_inode_generic_t& in) {
  if (in.base.type == SQFS_INODE_EXT_DIR)
    return (std::uint64_t{in.data.dir_ext.start_block} << 16) | in.data.dir_ext.offset;
  return (std::uint64_t{in.data.dir.start_block} << 16) | in.data.dir.offset;
}

// File contents are read by worker threads, each with its own compressor and data reader
// (libsquashfs objects are not thread-safe), a bounded distance ahead of the thread that hands
// entries to the sink in walk order. Decompression then overlaps with whatever the sink does.
constexpr std::size_t kMaxAheadFiles = 32;
constexpr std::uint64_t kMaxAheadBytes = 16ull << 20;  // bounds memory; the worker pool stays busy

struct FileResult {
  bool done = false;
  std::unique_ptr<std::uint8_t[]> data;
  std::uint64_t size = 0;
  std::optional<Error> stop;  // a limit: extraction ends here
  std::optional<Error> skip;  // unreadable data: diagnostic, next file
};

class Extractor {
 public:
  Extractor(ByteView data, Sink& sink) : data_(data), file_(data), sink_(sink) {}
  ~Extractor() { stop_workers(); }

  Result<std::uint64_t> run();

 private:
  struct Item {
    std::string path;
    InodePtr inode;
  };
  struct Worker {
    Owned<sqfs_compressor_t> cmp;
    Owned<sqfs_data_reader_t> reader;
    std::thread thread;
  };

  Error err(int rc, const std::string& what, std::optional<std::uint64_t> off = std::nullopt) {
    return Error(errc_of(rc), "squashfs: " + what + ": " + sqfs_msg(rc), off);
  }
  Status walk(InodePtr root);
  Status emit(const Item& it, FileResult* content);
  FileResult read_file(sqfs_data_reader_t* reader, const Item& it);
  Owned<sqfs_compressor_t> make_compressor(int* rc) const;
  void start_workers();
  void stop_workers();
  void work(Worker& w);

  ByteView data_;
  MemFile file_;
  Sink& sink_;
  sqfs_super_t super_{};
  sqfs_compressor_config_t cfg_{};
  Owned<sqfs_compressor_t> cmp_;
  Owned<sqfs_id_table_t> ids_;
  Owned<sqfs_dir_reader_t> dirs_;
  bool warned_ids_ = false;

  std::vector<Item> items_;         // walk order
  std::vector<std::size_t> files_;  // indices of regular files in items_
  std::atomic<std::uint64_t> produced_{0};

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex mu_;
  std::condition_variable cv_work_, cv_done_;
  std::vector<FileResult> results_;  // per entry of files_
  std::size_t next_take_ = 0, consumed_ = 0;
  std::uint64_t in_flight_ = 0;
  bool quit_ = false;
};

Owned<sqfs_compressor_t> Extractor::make_compressor(int* rc) const {
  sqfs_compressor_t* cmp = nullptr;
  *rc = sqfs_compressor_create(&cfg_, &cmp);
  Owned<sqfs_compressor_t> owned(cmp);
  if (*rc) return nullptr;
  if (super_.flags & SQFS_FLAG_COMPRESSOR_OPTIONS) {
    MemFile f(data_);
    *rc = owned->read_options(owned.get(), &f);
    if (*rc) return nullptr;
  }
  return owned;
}

Result<std::uint64_t> Extractor::run() {
  int rc = sqfs_super_read(&super_, &file_);
  if (rc) return err(rc, "superblock", 0);
  if (super_.bytes_used > data_.size()) {
    return Error(Errc::truncated,
                 "squashfs: image is " + std::to_string(super_.bytes_used) + " bytes but only " +
                     std::to_string(data_.size()) + " are present",
                 data_.size());
  }
  rc = sqfs_compressor_config_init(&cfg_, static_cast<SQFS_COMPRESSOR>(super_.compression_id),
                                   super_.block_size, SQFS_COMP_FLAG_UNCOMPRESS);
  if (!rc) cmp_ = make_compressor(&rc);
  if (rc || !cmp_) {
    if (rc == SQFS_ERROR_UNSUPPORTED)
      return Error(Errc::unsupported,
                   std::string("squashfs: compressor ") + comp_name(super_.compression_id) +
                       " is not supported",
                   20);
    return err(rc, "compressor options", kSuperSize);
  }
  ids_.reset(sqfs_id_table_create(0));
  if (!ids_) return Error(Errc::internal, "squashfs: out of memory");
  rc = sqfs_id_table_read(ids_.get(), &file_, &super_, cmp_.get());
  if (rc) return err(rc, "id table", super_.id_table_start);
  dirs_.reset(sqfs_dir_reader_create(&super_, cmp_.get(), &file_, 0));
  if (!dirs_) return Error(Errc::internal, "squashfs: out of memory");

  sqfs_inode_generic_t* raw = nullptr;
  rc = sqfs_dir_reader_get_root_inode(dirs_.get(), &raw);
  if (rc) return err(rc, "root inode", super_.inode_table_start);
  InodePtr root(raw);
  if (entry_type(root->base.type) != EntryType::directory)
    return Error(Errc::corrupt, "squashfs: root inode is not a directory",
                 super_.inode_table_start);

  // Metadata first (cheap), so that file data can be read ahead in parallel.
  Status walked = walk(std::move(root));

  if (!files_.empty()) {
    results_.resize(files_.size());
    start_workers();
    if (workers_.empty()) return Error(Errc::internal, "squashfs: cannot set up data readers");
  }
  std::size_t fi = 0;
  for (const Item& it : items_) {
    if (entry_type(it.inode->base.type) != EntryType::file) {
      if (auto st = emit(it, nullptr); !st) return st.error();
      continue;
    }
    FileResult r;
    {
      std::unique_lock lk(mu_);
      cv_done_.wait(lk, [&] { return results_[fi].done; });
      r = std::move(results_[fi]);
    }
    Status st = r.stop ? Status(*r.stop) : emit(it, &r);
    {
      std::lock_guard lk(mu_);
      in_flight_ -= std::min(in_flight_, r.size);
      consumed_ = ++fi;
    }
    cv_work_.notify_all();
    if (!st) return st.error();
  }
  stop_workers();
  if (!walked) return walked.error();
  return super_.bytes_used;
}

Status Extractor::walk(InodePtr root) {
  // Iterative: one open directory at a time; subdirectories wait on a stack with their path, so
  // each path is built once.
  struct Pending {
    std::string path;
    const sqfs_inode_generic_t* inode;
  };
  std::vector<Pending> stack;
  std::unordered_set<std::uint64_t> seen{listing_key(*root)};
  const std::uint64_t max_items = sink_.budget().limits().max_files;
  items_.push_back({"", std::move(root)});
  stack.push_back({"", items_.back().inode.get()});
  struct Child {
    std::string name;
    InodePtr inode;
  };
  std::vector<Child> children;
  std::vector<Pending> subdirs;
  while (!stack.empty()) {
    Pending dir = std::move(stack.back());
    stack.pop_back();
    const std::uint64_t dir_off = super_.directory_table_start + (listing_key(*dir.inode) >> 16);
    int rc = sqfs_dir_reader_open_dir(dirs_.get(), dir.inode, 0);
    if (rc) return err(rc, "directory table at '/" + dir.path + "'", dir_off);
    children.clear();
    for (;;) {
      sqfs_dir_entry_t* ent = nullptr;
      rc = sqfs_dir_reader_read(dirs_.get(), &ent);
      if (rc > 0) break;
      if (rc < 0) return err(rc, "directory table at '/" + dir.path + "'", dir_off);
      std::string name(reinterpret_cast<const char*>(ent->name), std::size_t{ent->size} + 1);
      sqfs_free(ent);
      sqfs_inode_generic_t* in = nullptr;
      rc = sqfs_dir_reader_get_inode(dirs_.get(), &in);
      if (rc) return err(rc, "inode of '" + dir.path + "/" + name + "'", super_.inode_table_start);
      children.push_back({std::move(name), InodePtr(in)});
    }
    subdirs.clear();
    for (auto& ch : children) {
      // The sink stops at max_files anyway; do not hold more than that in memory.
      if (items_.size() > max_items) return Status::success();
      std::string path = dir.path.empty() ? ch.name : dir.path + "/" + ch.name;
      const EntryType t = entry_type(ch.inode->base.type);
      if (t == EntryType::file) files_.push_back(items_.size());
      const sqfs_inode_generic_t* in = ch.inode.get();
      items_.push_back({path, std::move(ch.inode)});
      if (t == EntryType::directory && listing_size(*in) > 3) {
        if (!seen.insert(listing_key(*in)).second) {
          sink_.diagnostic(Severity::warning, Errc::corrupt, dir_off,
                           "squashfs: directory '" + path +
                               "' reuses a listing already walked (loop); not descended");
          continue;
        }
        subdirs.push_back({std::move(path), in});
      }
    }
    // Pushed in reverse so that subdirectories are walked in listing order.
    stack.insert(stack.end(), std::make_move_iterator(subdirs.rbegin()),
                 std::make_move_iterator(subdirs.rend()));
  }
  return Status::success();
}

void Extractor::start_workers() {
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = std::min<std::size_t>({2, hw, files_.size()});
  for (std::size_t i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>();
    int rc = 0;
    w->cmp = make_compressor(&rc);
    if (!w->cmp) break;
    w->reader.reset(sqfs_data_reader_create(&file_, super_.block_size, w->cmp.get(), 0));
    if (!w->reader) break;
    rc = sqfs_data_reader_load_fragment_table(w->reader.get(), &super_);
    if (rc) {
      // Without a fragment table only files without tails are readable; say so once.
      if (i == 0)
        sink_.diagnostic(Severity::warning, errc_of(rc), super_.fragment_table_start,
                         "squashfs: fragment table: " + sqfs_msg(rc));
    }
    workers_.push_back(std::move(w));
  }
  for (auto& w : workers_) {
    Worker* wp = w.get();
    w->thread = std::thread([this, wp] { work(*wp); });
  }
}

void Extractor::stop_workers() {
  {
    std::lock_guard lk(mu_);
    quit_ = true;
  }
  cv_work_.notify_all();
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

void Extractor::work(Worker& w) {
  for (;;) {
    std::size_t i;
    {
      std::unique_lock lk(mu_);
      cv_work_.wait(lk, [&] {
        return quit_ || next_take_ >= files_.size() ||
               (next_take_ < consumed_ + kMaxAheadFiles &&
                (in_flight_ < kMaxAheadBytes || next_take_ == consumed_));
      });
      if (quit_ || next_take_ >= files_.size()) return;
      i = next_take_++;
      sqfs_u64 size = 0;
      sqfs_inode_get_file_size(items_[files_[i]].inode.get(), &size);
      in_flight_ += size;
    }
    FileResult r;
    try {
      r = read_file(w.reader.get(), items_[files_[i]]);
    } catch (const std::exception& ex) {  // out of memory; must not escape the thread
      r = FileResult{};
      r.stop = Error(Errc::internal, std::string("squashfs: reader failed: ") + ex.what());
    }
    {
      std::lock_guard lk(mu_);
      if (r.stop) quit_ = true;  // later files are not needed
      results_[i] = std::move(r);
      results_[i].done = true;
    }
    cv_done_.notify_all();
    cv_work_.notify_all();
  }
}

FileResult Extractor::read_file(sqfs_data_reader_t* reader, const Item& it) {
  FileResult r;
  const sqfs_inode_generic_t& in = *it.inode;
  sqfs_u64 size = 0;
  sqfs_inode_get_file_size(&in, &size);
  r.size = size;
  Budget& budget = sink_.budget();
  if (auto st = budget.check_file_size(size); !st) {
    r.stop = Error(st.error().code, "squashfs: " + it.path + ": " + st.error().message);
    return r;
  }
  // Charged before allocating: a sparse file can claim gigabytes in a few bytes of metadata.
  if (auto st = budget.charge_bytes(size, data_.size(), produced_.fetch_add(size)); !st) {
    r.stop = Error(st.error().code, "squashfs: " + st.error().message);
    return r;
  }
  if (size == 0) return r;
  r.data.reset(new (std::nothrow) std::uint8_t[size]);
  if (!r.data) {
    r.stop = Error(Errc::limit_exceeded,
                   "squashfs: cannot allocate " + std::to_string(size) + " bytes for " + it.path);
    return r;
  }
  sqfs_u64 done = 0;
  while (done < size) {
    const auto n = static_cast<sqfs_u32>(std::min<sqfs_u64>(size - done, 1u << 30));
    sqfs_s32 got = sqfs_data_reader_read(reader, &in, done, r.data.get() + done, n);
    if (got <= 0) {
      sqfs_u64 start = 0;
      sqfs_inode_get_file_block_start(&in, &start);
      r.skip =
          Error(got < 0 ? errc_of(got) : Errc::truncated,
                "squashfs: cannot read '" + it.path + "' at byte " + std::to_string(done) + ": " +
                    (got < 0 ? sqfs_msg(got) : std::string("short read")) + "; file skipped",
                start);
      r.data.reset();
      return r;
    }
    done += static_cast<sqfs_u64>(got);
  }
  return r;
}

Status Extractor::emit(const Item& it, FileResult* content) {
  const sqfs_inode_generic_t& in = *it.inode;
  if (it.path.empty()) return Status::success();  // the root directory
  Entry e;
  e.path = it.path;
  e.type = entry_type(in.base.type);
  e.mode = in.base.mode & 07777u;
  e.mtime = in.base.mod_time;
  if (sqfs_id_table_index_to_id(ids_.get(), in.base.uid_idx, &e.uid) ||
      sqfs_id_table_index_to_id(ids_.get(), in.base.gid_idx, &e.gid)) {
    if (!warned_ids_) {
      sink_.diagnostic(Severity::warning, Errc::corrupt, super_.id_table_start,
                       "squashfs: uid/gid index outside the id table (first at '" + e.path + "')");
      warned_ids_ = true;
    }
  }
  if (e.type == EntryType::symlink) {
    const std::uint32_t n = in.base.type == SQFS_INODE_EXT_SLINK ? in.data.slink_ext.target_size
                                                                 : in.data.slink.target_size;
    if (n > in.payload_bytes_used) {
      sink_.diagnostic(Severity::warning, Errc::corrupt, std::nullopt,
                       "squashfs: symlink '" + e.path + "' has a truncated target");
      return Status::success();
    }
    e.link_target.assign(reinterpret_cast<const char*>(in.extra), n);
  }
  if (e.type != EntryType::file || !content) return sink_.entry(e, {});
  if (content->skip) {
    sink_.diagnostic(Severity::warning, content->skip->code, content->skip->offset,
                     content->skip->message);
    return Status::success();
  }
  e.size = content->size;
  return sink_.entry(e, ByteView(content->data.get(), static_cast<std::size_t>(content->size)));
}

class SquashfsUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const Magic> magics() const override { return kMagics; }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    ByteView v = data.sub(start);
    std::string why;
    auto s = parse_super(v, &why);
    if (!s) return Error(Errc::not_this_format, why.empty() ? "no squashfs superblock" : why);
    Chunk c;
    c.confidence = 95;
    c.size = std::min<std::uint64_t>(s->bytes_used, v.size());
    c.description = std::string("squashfs 4.0 ") + comp_name(s->comp) + ", " +
                    std::to_string(s->inodes) + " inodes, " + std::to_string(s->block_size >> 10) +
                    " KiB blocks";
    c.info = {{"compression", comp_name(s->comp)},
              {"block_size", std::to_string(s->block_size)},
              {"inodes", std::to_string(s->inodes)},
              {"bytes_used", std::to_string(s->bytes_used)}};
    if (s->bytes_used > v.size()) c.description += ", truncated";
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk&, Sink& sink) const override {
    Extractor x(data, sink);
    return x.run();
  }

 private:
  Descriptor desc_{"squashfs", "squashfs 4.0 filesystems (libsquashfs)"};
};

}  // namespace

std::unique_ptr<Unpacker> make_squashfs_unpacker() {
  return std::make_unique<SquashfsUnpacker>();
}

}  // namespace waybill::unpack
