#include "unpack/formats/libarchive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace waybill::unpack::libarchive {

namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string message(archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unreadable header or unexpected end of data";
}

Errc classify(const std::string& msg) {
  for (const char* t : {"runcated", "remature", "nexpected end", "end of file"})
    if (msg.find(t) != std::string::npos) return Errc::truncated;
  return Errc::corrupt;
}

std::optional<std::uint64_t> at(std::int64_t pos) {
  if (pos < 0) return std::nullopt;
  return static_cast<std::uint64_t>(pos);
}

EntryType type_of(archive_entry* e) {
  switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
      return EntryType::directory;
    case AE_IFLNK:
      return EntryType::symlink;
    case AE_IFCHR:
    case AE_IFBLK:
      return EntryType::device;
    case AE_IFIFO:
      return EntryType::fifo;
    case AE_IFSOCK:
      return EntryType::socket;
    default:
      return EntryType::file;
  }
}

}  // namespace

Result<std::uint64_t> extract(Format f, std::string_view id, ByteView data, Sink& sink,
                              Options opts) {
  std::unique_ptr<archive, ArchiveFree> a(archive_read_new());
  if (!a) return Error(Errc::internal, "archive_read_new failed");
  switch (f) {
    case Format::tar:
      archive_read_support_format_tar(a.get());
      break;
    case Format::cpio:
      archive_read_support_format_cpio(a.get());
      break;
    case Format::zip:
      archive_read_support_format_zip_seekable(a.get());
      break;
  }
  const std::string fmt(id);
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK)
    return Error(Errc::corrupt, fmt + ": " + message(a.get()), 0);

  Budget& budget = sink.budget();
  std::vector<std::uint8_t> buf;  // reused; its size only grows, `len` is the content length
  std::uint64_t produced = 0;
  int retries = 0;
  auto fail = [&](std::string msg, std::int64_t pos) -> Error {
    Errc code = classify(msg);
    if (!opts.terminated && pos >= 0 && static_cast<std::uint64_t>(pos) >= data.size()) {
      code = opts.unterminated_code;
      msg = "archive ends without its end marker (" + msg + ")";
    }
    return Error(code, fmt + ": " + msg, at(pos));
  };

  // cpio (newc) stores the data of a hard-linked file with its last name; libarchive reports the
  // earlier names as an empty file (the first) and links to that first name. They wait here
  // until the data arrives and are then reported as hard links to the name holding the data.
  std::map<std::string, std::vector<Entry>> pending;
  auto read_all = [&]() -> Result<std::uint64_t> {
    for (;;) {
      archive_entry* e = nullptr;
      // Bytes consumed so far = where the next header starts (tar, cpio; zip reads the directory).
      const std::int64_t hdr_pos = archive_filter_bytes(a.get(), 0);
      int r = archive_read_next_header(a.get(), &e);
      if (r == ARCHIVE_EOF) break;
      if (r == ARCHIVE_RETRY) {
        sink.diagnostic(Severity::warning, Errc::corrupt, at(hdr_pos),
                        fmt + ": " + message(a.get()) + "; skipping");
        if (++retries > 16) return fail("too many damaged headers", hdr_pos);
        continue;
      }
      if (r == ARCHIVE_FATAL || r == ARCHIVE_FAILED || e == nullptr)
        return fail(message(a.get()), hdr_pos);
      if (r == ARCHIVE_WARN) {
        sink.diagnostic(Severity::info, Errc::corrupt, at(hdr_pos), fmt + ": " + message(a.get()));
      }

      const char* name = archive_entry_pathname(e);
      if (!name) name = archive_entry_pathname_utf8(e);
      if (!name) {
        sink.diagnostic(Severity::warning, Errc::corrupt, at(hdr_pos),
                        fmt + ": entry without a name");
        continue;
      }
      Entry ent;
      ent.path = name;
      ent.type = type_of(e);
      ent.mode = static_cast<std::uint32_t>(archive_entry_perm(e));
      ent.mtime = archive_entry_mtime(e);
      ent.uid = static_cast<std::uint32_t>(archive_entry_uid(e));
      ent.gid = static_cast<std::uint32_t>(archive_entry_gid(e));
      const std::int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
      const char* hard = archive_entry_hardlink(e);
      if (ent.type == EntryType::symlink) {
        const char* t = archive_entry_symlink(e);
        ent.link_target = t ? t : "";
      } else if (hard && declared <= 0) {
        // A hard link without data of its own (tar; cpio links before the one holding the data).
        ent.type = EntryType::hardlink;
        ent.link_target = hard;
      }
      if (f == Format::cpio) {
        if (ent.type == EntryType::file && !hard && declared == 0 && archive_entry_nlink(e) > 1) {
          pending[ent.path].push_back(ent);
          continue;
        }
        if (ent.type == EntryType::hardlink) {
          if (auto it = pending.find(ent.link_target); it != pending.end()) {
            it->second.push_back(ent);
            continue;
          }
        }
      }
      if (ent.type != EntryType::file) {
        if (auto st = sink.entry(ent, {}); !st) return st.error();
        continue;
      }
      const std::string hard_target = hard ? hard : "";
      if (declared > 0) {
        if (auto st = budget.check_file_size(static_cast<std::uint64_t>(declared)); !st)
          return Error(st.error().code, fmt + ": " + ent.path + ": " + st.error().message,
                       at(hdr_pos));
      }
      std::size_t len = 0;
      bool bad = false;
      for (;;) {
        constexpr std::size_t kRead = 1u << 20;
        if (buf.size() - len < kRead) buf.resize(len + kRead);
        la_ssize_t n = archive_read_data(a.get(), buf.data() + len, buf.size() - len);
        if (n == 0) break;
        if (n < 0) {
          std::string msg = message(a.get());
          if (n == ARCHIVE_FATAL) {
            sink.diagnostic(Severity::warning, classify(msg), at(hdr_pos),
                            fmt + ": " + ent.path + ": " + msg + "; file dropped");
            return fail(msg, archive_filter_bytes(a.get(), 0));
          }
          sink.diagnostic(Severity::warning, classify(msg), at(hdr_pos),
                          fmt + ": " + ent.path + ": " + msg + "; file dropped");
          bad = true;
          break;
        }
        const auto un = static_cast<std::uint64_t>(n);
        if (auto st = budget.check_file_size(len + un); !st)
          return Error(st.error().code, fmt + ": " + ent.path + ": " + st.error().message,
                       at(hdr_pos));
        if (auto st = budget.charge_bytes(un, data.size(), produced); !st)
          return Error(st.error().code, fmt + ": " + st.error().message, at(hdr_pos));
        produced += un;
        len += static_cast<std::size_t>(un);
      }
      if (bad) continue;
      ent.size = len;
      if (auto st = sink.entry(ent, ByteView(buf.data(), len)); !st) return st.error();
      if (auto it = pending.find(hard_target); !hard_target.empty() && it != pending.end()) {
        for (Entry& p : it->second) {
          p.type = EntryType::hardlink;
          p.link_target = ent.path;
          if (auto st = sink.entry(p, {}); !st) return st.error();
        }
        pending.erase(it);
      }
    }
    return static_cast<std::uint64_t>(data.size());
  };
  Result<std::uint64_t> res = read_all();
  // Names whose data never came: genuinely empty hard-linked files.
  for (auto& [first, group] : pending) {
    for (Entry& p : group) {
      p.type = EntryType::file;
      p.link_target.clear();
      if (auto st = sink.entry(p, {}); !st)
        return res.ok() ? Result<std::uint64_t>(st.error()) : res;
    }
  }
  return res;
}

Options options_from(const Chunk& chunk) {
  Options o;
  for (const auto& [k, val] : chunk.info) {
    if (k == "end") {
      o.terminated = false;
      o.unterminated_code = val == "truncated" ? Errc::truncated : Errc::corrupt;
    }
  }
  return o;
}

}  // namespace waybill::unpack::libarchive
