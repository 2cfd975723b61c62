// Shared helpers of the archive tests: run the real engine over a file and record what the
// visitor sees.
#pragma once

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/support.h"
#include "unpack/engine.h"
#include "unpack/unpacker.h"

namespace waybill::test::archives {

inline std::string sha256(ByteView v) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(v.data(), v.size(), md, &n, EVP_sha256(), nullptr);
  std::string hex;
  char b[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%02x", md[i]);
    hex += b;
  }
  return hex;
}

// sha256("hello waybill\n"), the content of etc/hello.txt in every sample.
inline constexpr const char* kHelloSha =
    "ec4a024f6cc5d552de0314a536a7812e30c99a8a819ecb6c7ad50318679f1b09";

struct Seen {
  unpack::VEntry e;
  std::string sha;      // files only
  std::string content;  // files up to 1 MiB
};

class Recorder : public unpack::TreeVisitor {
 public:
  Status file(const unpack::VEntry& e, ByteView content) override {
    Seen s{e, sha256(content), content.size() <= (1u << 20) ? std::string(content.str()) : ""};
    all.push_back(s);
    return Status::success();
  }
  Status directory(const unpack::VEntry& e) override {
    all.push_back({e, "", ""});
    return Status::success();
  }
  Status link(const unpack::VEntry& e) override {
    all.push_back({e, "", ""});
    return Status::success();
  }

  // Entries (not blobs) whose in-root path is `path`.
  const Seen* find(const std::string& path) const {
    for (const auto& s : all)
      if (!s.e.blob && s.e.path == path) return &s;
    return nullptr;
  }
  std::vector<const Seen*> blobs() const {
    std::vector<const Seen*> r;
    for (const auto& s : all)
      if (s.e.blob) r.push_back(&s);
    return r;
  }
  std::size_t count(unpack::EntryType t) const {
    std::size_t n = 0;
    for (const auto& s : all)
      if (!s.e.blob && s.e.type == t) ++n;
    return n;
  }

  std::vector<Seen> all;
};

struct Outcome {
  unpack::UnpackReport report;
  Recorder rec;

  std::vector<const unpack::ChunkRecord*> chunks(const std::string& format) const {
    std::vector<const unpack::ChunkRecord*> r;
    for (const auto& c : report.chunks)
      if (c.format == format) r.push_back(&c);
    return r;
  }
  bool has_diag(Errc code, const std::string& needle = "") const {
    for (const auto& d : report.diagnostics.items())
      if (d.code == code && d.message.find(needle) != std::string::npos) return true;
    return false;
  }
  std::string diags() const {
    std::string s;
    for (const auto& d : report.diagnostics.items()) s += d.to_string() + "\n";
    return s;
  }
};

inline const unpack::UnpackerRegistry& registry() {
  static const unpack::UnpackerRegistry* r = [] {
    auto* reg = new unpack::UnpackerRegistry;
    unpack::register_builtin_unpackers(*reg);
    return reg;
  }();
  return *r;
}

inline Outcome unpack_bytes(ByteView data, const std::string& name, Limits limits = {}) {
  unpack::UnpackOptions opts;
  opts.limits = limits;
  unpack::Engine engine(registry(), opts);
  Outcome o;
  o.report = engine.run(data, name, o.rec);
  return o;
}

inline Outcome unpack_file(const std::filesystem::path& p, Limits limits = {}) {
  auto bytes = read_file(p);
  return unpack_bytes(ByteView(bytes), p.filename().string(), limits);
}

inline std::string fixture_text(const std::string& name) {
  return read_text(fixtures_dir() / "archives" / name);
}

}  // namespace waybill::test::archives

// Skip when an archive sample was not built.
#define ARCHIVE_FIXTURE(var, name) WAYBILL_REQUIRE_FIXTURE(var, std::string("archives/") + (name))
