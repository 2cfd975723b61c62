// Helpers of the content-check tests: a FileIndex from an image (the walk with the checks'
// wants, as the pipeline does) or from inline files, and running the content checks.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/walker.h"
#include "checks/check.h"
#include "core/mapped_file.h"
#include "unpack/engine.h"

namespace waybill::test {

inline const checks::CheckRegistry& content_checks() {
  static const checks::CheckRegistry r = [] {
    checks::CheckRegistry all;  // every builtin check; the tests run only the content ones
    checks::register_builtin_checks(all);
    return all;
  }();
  return r;
}

inline bool is_content_check(std::string_view id) {
  return id == "accounts/passwords" || id == "secrets/credentials" || id == "crypto/private-keys" ||
         id == "crypto/certificates" || id == "services/insecure";
}

inline std::vector<std::string> content_wants() {
  std::vector<std::string> w;
  for (const auto& c : content_checks().all())
    if (is_content_check(c->describe().id))
      for (auto p : c->wants()) w.emplace_back(p);
  return w;
}

// The single walk over an image, retaining what the content checks want (no catalogers).
inline std::unique_ptr<catalog::FileIndex> index_image(const std::filesystem::path& image) {
  auto index = std::make_unique<catalog::FileIndex>();
  static const unpack::UnpackerRegistry unpackers = [] {
    unpack::UnpackerRegistry r;
    unpack::register_builtin_unpackers(r);
    return r;
  }();
  static const catalog::CatalogerRegistry no_catalogers;
  catalog::WalkOptions wo;
  wo.signatures = false;
  wo.extra_wants = content_wants();
  catalog::Walker walker(no_catalogers, nullptr, *index, wo);
  auto m = MappedFile::open(image.string());
  EXPECT_TRUE(m.ok()) << image;
  if (!m.ok()) return index;
  unpack::Engine engine(unpackers, unpack::UnpackOptions{});
  engine.run(m->view(), image.filename().string(), walker);
  return index;
}

// An index from inline files, walked like image files (so the key-material trigger applies).
inline std::unique_ptr<catalog::FileIndex> index_files(
    const std::map<std::string, std::string>& files) {
  auto index = std::make_unique<catalog::FileIndex>();
  static const catalog::CatalogerRegistry no_catalogers;
  catalog::WalkOptions wo;
  wo.signatures = false;
  wo.extra_wants = content_wants();
  catalog::Walker walker(no_catalogers, nullptr, *index, wo);
  for (const auto& [path, content] : files) {
    unpack::VEntry e;
    e.root = "test.img.extract/0x0-squashfs";
    e.path = path;
    e.size = content.size();
    e.mode = 0644;
    EXPECT_TRUE(walker.file(e, ByteView(content)).ok());
  }
  return index;
}

inline checks::CheckOutput run_content_checks(const catalog::FileIndex& index,
                                              checks::CheckOptions opts = {}) {
  checks::CheckOutput out;
  for (const auto& c : content_checks().all())
    if (is_content_check(c->describe().id)) c->run(index, opts, out);
  return out;
}

inline std::string key_of(const model::CheckFinding& f) {
  return f.check + " " + f.rule + " " + f.path + ":" + (f.line ? std::to_string(*f.line) : "-");
}

inline std::vector<std::string> keys_of(const checks::CheckOutput& out) {
  std::vector<std::string> k;
  for (const auto& f : out.findings) k.push_back(key_of(f));
  std::sort(k.begin(), k.end());
  return k;
}

}  // namespace waybill::test
