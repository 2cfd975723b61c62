// Input reader for the importers: files and directories (recursively), gzip/xz/zstd/bzip2
// compressed files (by magic), tar and zip archives (libarchive), nested up to a depth limit.
// Every decompressed input is bounded by max_input_bytes; failures become issues, never aborts.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "vuln/db/internal.h"

namespace waybill::vuln::db {
namespace {

namespace fs = std::filesystem;

// Bytes of one document plus zeroed simdjson padding after them.
struct Buffer {
  std::vector<char> bytes;
  std::size_t size = 0;
  void finish() { bytes.resize(size + simdjson::SIMDJSON_PADDING, '\0'); }
  std::string_view view() const { return {bytes.data(), size}; }
};

bool is_container(ByteView d) {
  static const std::string_view magics[] = {
      "\x1f\x8b",         std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6),
      "\x28\xb5\x2f\xfd", "BZh",
      "PK\x03\x04",       "PK\x05\x06"};
  for (auto m : magics)
    if (d.starts_with(0, m)) return true;
  return d.starts_with(257, "ustar");
}

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

class Reader {
 public:
  Reader(const InputLimits& lim, const DocFn& doc, const IssueFn& issue)
      : lim_(lim), doc_(doc), issue_(issue) {}

  void bytes(const std::string& name, ByteView data, int depth) {
    if (depth < lim_.max_depth && is_container(data)) return container(name, data, depth);
    if (data.size() > lim_.max_input_bytes)
      return issue_(name, "larger than the input limit of " + std::to_string(lim_.max_input_bytes) +
                              " bytes; skipped");
    Buffer b;
    b.bytes.assign(data.begin(), data.end());
    b.size = data.size();
    b.finish();
    doc_(InputDoc{name, b.view()});
  }

  void file(const fs::path& p, std::vector<std::string>& files_read) {
    std::string name = p.string();
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec) return issue_(name, "cannot read: " + ec.message());
    if (size > lim_.max_input_bytes)
      return issue_(name, "larger than the input limit of " + std::to_string(lim_.max_input_bytes) +
                              " bytes; skipped");
    std::ifstream in(p, std::ios::binary);
    if (!in) return issue_(name, "cannot open");
    Buffer b;
    b.bytes.resize(size + simdjson::SIMDJSON_PADDING, '\0');  // padded once, no second copy
    in.read(b.bytes.data(), static_cast<std::streamsize>(size));
    b.size = static_cast<std::size_t>(in.gcount());
    if (b.size != size) return issue_(name, "short read");
    files_read.push_back(name);
    ByteView v(reinterpret_cast<const std::uint8_t*>(b.bytes.data()), b.size);
    if (is_container(v)) return container(name, v, 0);
    doc_(InputDoc{name, b.view()});
  }

 private:
  void container(const std::string& name, ByteView data, int depth) {
    std::unique_ptr<archive, ArchiveFree> a(archive_read_new());
    if (!a) return issue_(name, "libarchive: out of memory");
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_xz(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_filter_bzip2(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_zip(a.get());
    archive_read_support_format_raw(a.get());
    if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK)
      return issue_(name, std::string("cannot open as archive: ") + err(a.get()));
    std::uint64_t total = 0;
    for (;;) {
      archive_entry* e = nullptr;
      int r = archive_read_next_header(a.get(), &e);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) return issue_(name, std::string("corrupt archive: ") + err(a.get()));
      bool raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
      if (!raw && archive_entry_filetype(e) != AE_IFREG) continue;
      const char* path = archive_entry_pathname(e);
      std::string member = raw ? name : name + ":" + (path ? path : "?");
      Buffer b;
      bool ok = true, over = false;
      char chunk[1 << 16];
      for (;;) {
        la_ssize_t n = archive_read_data(a.get(), chunk, sizeof chunk);
        if (n == 0) break;
        if (n < 0) {
          ok = false;
          break;
        }
        total += static_cast<std::uint64_t>(n);
        if (total > lim_.max_input_bytes) {
          over = true;
          break;
        }
        b.bytes.insert(b.bytes.end(), chunk, chunk + n);
      }
      if (over)
        return issue_(member, "decompressed data exceeds the input limit of " +
                                  std::to_string(lim_.max_input_bytes) + " bytes; rest skipped");
      if (!ok) return issue_(member, std::string("corrupt compressed data: ") + err(a.get()));
      b.size = b.bytes.size();
      ByteView v(reinterpret_cast<const std::uint8_t*>(b.bytes.data()), b.size);
      if (depth + 1 < lim_.max_depth && is_container(v)) {
        container(member, v, depth + 1);
      } else {
        b.finish();
        doc_(InputDoc{member, b.view()});
      }
      if (raw) break;
    }
  }

  static const char* err(archive* a) {
    const char* s = archive_error_string(a);
    return s ? s : "unknown error";
  }

  const InputLimits& lim_;
  const DocFn& doc_;
  const IssueFn& issue_;
};

}  // namespace

void read_paths(const std::vector<std::string>& paths, const InputLimits& lim, const DocFn& doc,
                const IssueFn& issue, std::vector<std::string>& files_read) {
  Reader reader(lim, doc, issue);
  for (const auto& p : paths) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec) {
      issue(p, "cannot read: " + ec.message());
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<fs::path> files;
      fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec),
          end;
      for (; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path());
      }
      if (ec) issue(p, "directory walk stopped: " + ec.message());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) reader.file(f, files_read);
    } else if (fs::is_regular_file(st)) {
      reader.file(p, files_read);
    } else {
      issue(p, "not a regular file or directory");
    }
  }
}

void read_buffer(std::string_view name, ByteView data, const InputLimits& lim, const DocFn& doc,
                 const IssueFn& issue) {
  Reader reader(lim, doc, issue);
  reader.bytes(std::string(name), data, 0);
}

}  // namespace waybill::vuln::db
