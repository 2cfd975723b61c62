#include "unpack/engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

#include <filesystem>
#include <system_error>

#include "core/mapped_file.h"
#include "unpack/magic_scanner.h"

namespace waybill::unpack {

namespace {

std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

bool is_padding(ByteView v) {
  if (v.empty()) return true;
  std::uint8_t b = v.data()[0];
  if (b != 0x00 && b != 0xff) return false;
  return std::all_of(v.begin(), v.end(), [b](std::uint8_t x) { return x == b; });
}

std::string join_root(const std::string& buffer_vpath, std::uint64_t off, std::string_view fmt) {
  std::string prefix = buffer_vpath.empty() ? "" : buffer_vpath + ".extract/";
  std::string id(fmt);
  std::replace(id.begin(), id.end(), '/', '_');
  return prefix + hex(off) + "-" + id;
}

}  // namespace

std::optional<std::string> normalize_entry_path(std::string_view raw) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= raw.size()) {
    std::size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view part = raw.substr(i, j - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else {
      if (part.find('\0') != std::string_view::npos) return std::nullopt;
      parts.push_back(part);
    }
    i = j + 1;
  }
  if (parts.empty()) return std::nullopt;
  std::string out;
  for (auto p : parts) {
    out += '/';
    out += p;
  }
  return out;
}

bool UnpackReport::recognised() const {
  for (const auto& c : chunks)
    if (c.status == "extracted" || c.status == "partial") return true;
  return false;
}

struct Engine::Impl {
  const UnpackerRegistry& registry;
  UnpackOptions opts;
  MagicScanner scanner;
  std::vector<const Unpacker*> by_tag;
  Status scanner_status;

  // per run
  UnpackReport* report = nullptr;
  TreeVisitor* visitor = nullptr;
  Budget* budget = nullptr;

  Impl(const UnpackerRegistry& r, UnpackOptions o) : registry(r), opts(o) {
    for (const auto& u : registry.all()) {
      auto tag = static_cast<std::uint32_t>(by_tag.size());
      by_tag.push_back(u.get());
      for (const auto& m : u->magics()) scanner.add(m.bytes, m.offset, tag);
    }
    scanner_status = scanner.compile();
  }

  void diag(Severity s, Errc c, std::string source, std::string file,
            std::optional<std::uint64_t> off, std::string msg) {
    report->diagnostics.add(s, c, std::move(source), std::move(file), off, std::move(msg));
  }

  // Carve `data` (named `vpath`) and extract each chunk. `carve_all`: search the whole buffer;
  // otherwise only a chunk starting at offset 0 is accepted (files inside filesystems).
  // Returns true when at least one chunk was found.
  bool process_buffer(ByteView data, const std::string& vpath, std::uint32_t depth, int parent,
                      bool carve_all, bool visit_uncarved);
  Status extract_chunk(ByteView data, const std::string& vpath, const Unpacker& u, Chunk chunk,
                       std::uint32_t depth, int parent, std::uint64_t* consumed);
  void visit_blob(const std::string& root, const std::string& name, ByteView content,
                  int chunk_id, std::uint32_t depth);
};

// The sink handed to one unpacker for one chunk.
class ChunkSink final : public Sink {
 public:
  ChunkSink(Engine::Impl& eng, ChunkRecord& rec, std::uint64_t input_size)
      : eng_(eng), rec_id_(rec.id), input_size_(input_size) {}

  ChunkRecord& rec() { return eng_.report->chunks[static_cast<std::size_t>(rec_id_)]; }

  Status entry(const Entry& e, ByteView content) override {
    if (auto st = eng_.budget->charge_file(); !st) return st;
    if (auto st = eng_.budget->check_time(); !st) return st;
    ChunkRecord& r = rec();
    const std::string root = r.extract_root;
    const std::uint32_t depth = r.depth;
    const int id = r.id;
    auto path = normalize_entry_path(e.path);
    if (!path) {
      if (e.path.empty() || e.path == "." || e.path == "./" || e.path == "/") return Status::success();
      ++eng_.report->refused_unsafe;
      eng_.diag(Severity::warning, Errc::unsafe, r.format, root, std::nullopt,
                "entry '" + e.path + "' points outside the extraction root; skipped");
      return Status::success();
    }
    if (!e.path.empty() && e.path[0] == '/' && e.type != EntryType::directory) {
      if (!warned_absolute_) {
        eng_.diag(Severity::info, Errc::unsafe, r.format, root, std::nullopt,
                  "absolute entry paths (e.g. '" + e.path +
                      "') are placed relative to the extraction root");
        warned_absolute_ = true;
      }
    }
    VEntry v;
    v.root = root;
    v.path = *path;
    v.type = e.type;
    v.mode = e.mode;
    v.size = e.size;
    v.mtime = e.mtime;
    v.uid = e.uid;
    v.gid = e.gid;
    v.chunk_id = id;
    v.depth = depth;
    ++r.entries;
    ++eng_.report->total_entries;
    switch (e.type) {
      case EntryType::directory:
        return eng_.visitor->directory(v);
      case EntryType::symlink:
        v.link_target = e.link_target;
        return eng_.visitor->link(v);
      case EntryType::hardlink: {
        auto target = normalize_entry_path(e.link_target);
        if (!target) {
          ++eng_.report->refused_unsafe;
          eng_.diag(Severity::warning, Errc::unsafe, r.format, root + v.path, std::nullopt,
                    "hard link target '" + e.link_target + "' is outside the root; skipped");
          return Status::success();
        }
        v.link_target = *target;
        return eng_.visitor->link(v);
      }
      case EntryType::device:
      case EntryType::fifo:
      case EntryType::socket:
        ++eng_.report->skipped_special;
        return Status::success();
      case EntryType::file:
        break;
    }
    r.bytes += content.size();
    eng_.report->total_bytes += content.size();
    if (auto st = eng_.visitor->file(v, content); !st) return st;
    // Nested containers inside files: offset 0 only unless --deep.
    if (content.size() >= 16 && eng_.budget->check_depth(depth + 1).ok()) {
      eng_.process_buffer(content, v.full_path(), depth + 1, id, eng_.opts.deep, false);
    }
    return Status::success();
  }

  Status stream(std::string_view name, ByteView content) override {
    if (auto st = eng_.budget->charge_file(); !st) return st;
    ChunkRecord& r = rec();
    std::string nm(name);
    auto safe = normalize_entry_path(nm);
    std::string vpath = r.extract_root + (safe ? *safe : "/stream");
    const std::uint32_t depth = r.depth;
    const int id = r.id;
    ++r.entries;
    r.bytes += content.size();
    eng_.report->total_entries++;
    eng_.report->total_bytes += content.size();
    if (auto st = eng_.budget->check_depth(depth + 1); !st) {
      eng_.diag(Severity::warning, Errc::limit_exceeded, r.format, vpath, std::nullopt,
                st.error().message + "; nested data kept as a blob");
      eng_.report->limit_hit = true;
      eng_.visit_blob(r.extract_root, safe ? *safe : "/stream", content, id, depth);
      return Status::success();
    }
    eng_.process_buffer(content, vpath, depth + 1, id, true, true);
    return Status::success();
  }

  void diagnostic(Severity s, Errc code, std::optional<std::uint64_t> offset,
                  std::string message) override {
    ChunkRecord& r = rec();
    std::optional<std::uint64_t> abs;
    if (offset) abs = r.offset + *offset;
    eng_.diag(s, code, r.format, r.buffer.empty() ? eng_.report->input : r.buffer, abs,
              std::move(message));
  }

  Budget& budget() override { return *eng_.budget; }

 private:
  Engine::Impl& eng_;
  int rec_id_;
  std::uint64_t input_size_;
  bool warned_absolute_ = false;
};

void Engine::Impl::visit_blob(const std::string& root, const std::string& name, ByteView content,
                              int chunk_id, std::uint32_t depth) {
  if (!opts.visit_blobs || content.empty()) return;
  VEntry v;
  v.root = root;
  v.path = name.empty() || name[0] != '/' ? "/" + name : name;
  v.type = EntryType::file;
  v.size = content.size();
  v.chunk_id = chunk_id;
  v.blob = true;
  v.depth = depth;
  (void)visitor->file(v, content);
}

Status Engine::Impl::extract_chunk(ByteView data, const std::string& vpath, const Unpacker& u,
                                   Chunk chunk, std::uint32_t depth, int parent,
                                   std::uint64_t* consumed) {
  ChunkRecord rec;
  rec.id = static_cast<int>(report->chunks.size());
  rec.parent = parent;
  rec.buffer = vpath;
  rec.format = std::string(u.describe().id);
  rec.offset = chunk.offset;
  rec.size = chunk.size;
  rec.confidence = chunk.confidence;
  rec.description = chunk.description;
  rec.info = chunk.info;
  rec.extract_root = join_root(vpath, chunk.offset, rec.format);
  rec.depth = depth;
  rec.status = "extracted";
  report->chunks.push_back(rec);
  int id = rec.id;
  visitor->chunk_begin(id, rec.extract_root);

  ByteView region = data.sub(chunk.offset, chunk.size_exact ? chunk.size : UINT64_MAX);
  ChunkSink sink(*this, report->chunks[static_cast<std::size_t>(id)], region.size());
  Result<std::uint64_t> res = Error(Errc::internal, "not run");
  try {
    res = u.extract(region, chunk, sink);
  } catch (const std::exception& ex) {
    res = Error(Errc::internal, std::string("unexpected exception: ") + ex.what());
  } catch (...) {
    res = Error(Errc::internal, "unexpected exception");
  }
  ChunkRecord& r = report->chunks[static_cast<std::size_t>(id)];
  if (res.ok()) {
    std::uint64_t used = std::min<std::uint64_t>(res.value(), region.size());
    if (used == 0) used = chunk.size_exact ? chunk.size : region.size();
    r.size = used;
    *consumed = used;
    return Status::success();
  }
  const Error& e = res.error();
  r.status = r.entries > 0 ? "partial" : "failed";
  r.error = e.to_string();
  if (e.code == Errc::limit_exceeded) report->limit_hit = true;
  std::optional<std::uint64_t> off;
  if (e.offset) off = chunk.offset + *e.offset;
  diag(r.entries > 0 ? Severity::warning : Severity::error, e.code, r.format,
       vpath.empty() ? report->input : vpath, off,
       e.message + (r.entries > 0 ? " (partial results kept)" : ""));
  // A stream whose end is unknown: resume carving where the decoder stopped (it reports that
  // in the error offset), so one corrupt stream does not hide the rest of the buffer.
  if (chunk.size_exact)
    *consumed = chunk.size;
  else
    *consumed = std::max<std::uint64_t>(1, e.offset ? std::min(*e.offset, region.size()) : 1);
  return Status(e);
}

bool Engine::Impl::process_buffer(ByteView data, const std::string& vpath, std::uint32_t depth,
                                  int parent, bool carve_all, bool visit_uncarved) {
  if (!budget->check_depth(depth).ok()) return false;
  const bool input = depth == 0 && parent < 0 && opts.after_input_scan;
  std::vector<MagicHit> hits = scanner.scan(carve_all ? data : data.sub(0, 4096),
                                            input ? opts.after_input_scan : nullptr);
  struct Found {
    std::uint64_t off, size;
  };
  std::vector<Found> found;
  std::uint64_t pos = 0;
  std::size_t hi = 0;
  bool stop = false;
  while (hi < hits.size() && !stop) {
    const MagicHit h = hits[hi++];
    if (h.start < pos) continue;
    if (!carve_all && h.start != 0) break;
    const Unpacker* u = by_tag[h.tag];
    Result<Chunk> pr = Error(Errc::not_this_format, "");
    try {
      pr = u->probe(data, h.start);
    } catch (...) {
      pr = Error(Errc::internal, "probe threw");
    }
    if (!pr.ok()) {
      if (pr.error().code != Errc::not_this_format) {
        // The unpacker recognised its format but cannot use it (truncated, corrupt ...).
        diag(Severity::warning, pr.error().code, std::string(u->describe().id),
             vpath.empty() ? report->input : vpath, h.start,
             pr.error().message);
      }
      continue;
    }
    Chunk c = pr.value();
    c.offset = h.start;
    if (c.size == 0 || !data.has(c.offset, 1)) continue;
    if (c.size_exact && !data.has(c.offset, c.size)) c.size = data.size() - c.offset;
    if (auto st = budget->charge_chunk(); !st) {
      diag(Severity::error, Errc::limit_exceeded, "engine", vpath.empty() ? report->input : vpath,
           c.offset, st.error().message);
      report->limit_hit = true;
      break;
    }
    std::uint64_t consumed = 0;
    Status st = extract_chunk(data, vpath, *u, c, depth, parent, &consumed);
    found.push_back({c.offset, consumed});
    pos = c.offset + consumed;
    if (!st.ok() && st.error().code == Errc::limit_exceeded) {
      // Total-size, file-count and time limits end the whole run; ratio and per-file limits
      // only end this chunk.
      if (!budget->check_time().ok() || budget->total_bytes() > budget->limits().max_total_bytes ||
          budget->files() > budget->limits().max_files)
        stop = true;
    }
  }
  if (found.empty()) {
    if (visit_uncarved) {
      // The whole buffer is raw data: analyse it as one blob.
      auto slash = vpath.rfind('/');
      std::string root = slash == std::string::npos ? "" : vpath.substr(0, slash);
      std::string name = slash == std::string::npos ? vpath : vpath.substr(slash);
      if (name.empty()) name = report->input;
      visit_blob(root, name, data, parent, depth);
    }
    return false;
  }
  // Record gaps between chunks as unknown or padding, and analyse unknown gaps as blobs.
  std::uint64_t cur = 0;
  auto gap = [&](std::uint64_t s, std::uint64_t e) {
    if (e <= s) return;
    ChunkRecord g;
    g.id = static_cast<int>(report->chunks.size());
    g.parent = parent;
    g.buffer = vpath;
    g.offset = s;
    g.size = e - s;
    g.depth = depth;
    ByteView region = data.sub(s, e - s);
    bool pad = is_padding(region);
    g.format = pad ? "padding" : "unknown";
    g.status = g.format;
    if (pad) g.description = region.data()[0] == 0xff ? "0xff fill" : "0x00 fill";
    report->chunks.push_back(g);
    if (!pad) {
      std::string root = vpath.empty() ? "" : vpath + ".extract";
      visit_blob(root, "/" + hex(s) + "-" + hex(e) + ".unknown", region, g.id, depth);
    }
  };
  for (const auto& f : found) {
    gap(cur, f.off);
    cur = std::max(cur, f.off + f.size);
  }
  gap(cur, data.size());
  return true;
}

Engine::Engine(const UnpackerRegistry& registry, UnpackOptions opts)
    : impl_(std::make_unique<Impl>(registry, opts)) {}
Engine::~Engine() = default;

UnpackReport Engine::run(ByteView data, const std::string& name, TreeVisitor& visitor) {
  UnpackReport report;
  report.input = name;
  report.input_size = data.size();
  Budget budget(impl_->opts.limits);
  impl_->report = &report;
  impl_->visitor = &visitor;
  impl_->budget = &budget;
  if (!impl_->scanner_status.ok()) {
    report.diagnostics.add(Severity::error, impl_->scanner_status.error().code, "engine", name,
                           std::nullopt, impl_->scanner_status.error().message);
  } else if (data.empty()) {
    report.diagnostics.add(Severity::error, Errc::truncated, "engine", name, std::nullopt,
                           "input is empty");
  } else {
    impl_->process_buffer(data, "", 0, -1, true, false);
    if (!report.recognised()) {
      // Nothing carved: analyse the input itself (a single binary, a raw kernel ...).
      impl_->visit_blob("", "/" + name, data, -1, 0);
    }
  }
  report.seconds = budget.elapsed_seconds();
  impl_->report = nullptr;
  impl_->visitor = nullptr;
  impl_->budget = nullptr;
  return report;
}

UnpackReport Engine::run_directory(const std::string& dir, TreeVisitor& visitor) {
  namespace fs = std::filesystem;
  UnpackReport report;
  report.input = dir;
  Budget budget(impl_->opts.limits);
  impl_->report = &report;
  impl_->visitor = &visitor;
  impl_->budget = &budget;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    report.diagnostics.add(Severity::error, Errc::io, "engine", dir, std::nullopt,
                           "cannot read directory: " + ec.message());
  }
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string rel = "/" + p.lexically_relative(dir).generic_string();
    if (ec) break;
    VEntry v;
    v.path = rel;
    v.depth = 0;
    auto st = it->symlink_status(ec);
    if (ec) {
      report.diagnostics.add(Severity::warning, Errc::io, "engine", p.string(), std::nullopt,
                             ec.message());
      ec.clear();
      continue;
    }
    if (!budget.charge_file().ok()) {
      report.limit_hit = true;
      report.diagnostics.add(Severity::error, Errc::limit_exceeded, "engine", dir, std::nullopt,
                             "file count exceeds --max-files; the rest of the tree is skipped");
      break;
    }
    v.mode = static_cast<std::uint32_t>(st.permissions()) & 07777;
    ++report.total_entries;
    if (fs::is_symlink(st)) {
      v.type = EntryType::symlink;
      v.link_target = fs::read_symlink(p, ec).string();
      ec.clear();
      (void)visitor.link(v);
    } else if (fs::is_directory(st)) {
      v.type = EntryType::directory;
      (void)visitor.directory(v);
    } else if (fs::is_regular_file(st)) {
      auto m = MappedFile::open(p.string());
      if (!m) {
        report.diagnostics.add(Severity::warning, Errc::io, "engine", p.string(), std::nullopt,
                               m.error().message);
        continue;
      }
      ByteView content = m->view();
      v.type = EntryType::file;
      v.size = content.size();
      report.total_bytes += content.size();
      (void)visitor.file(v, content);
      if (content.size() >= 16)
        impl_->process_buffer(content, v.full_path(), 1, -1, impl_->opts.deep, false);
    } else {
      ++report.skipped_special;
    }
  }
  report.seconds = budget.elapsed_seconds();
  impl_->report = nullptr;
  impl_->visitor = nullptr;
  impl_->budget = nullptr;
  return report;
}

}  // namespace waybill::unpack
