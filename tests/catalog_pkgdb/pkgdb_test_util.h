// Test helpers for the package-database catalogers: build a FileIndex through the real Walker,
// from in-memory files or from an extracted directory.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/catalogers.h"
#include "catalog/walker.h"

namespace waybill::test {

inline catalog::CatalogerRegistry pkgdb_registry() {
  catalog::CatalogerRegistry r;
  (void)r.add(catalog::make_dpkg_cataloger());
  (void)r.add(catalog::make_opkg_cataloger());
  (void)r.add(catalog::make_apk_cataloger());
  (void)r.add(catalog::make_buildroot_cataloger());
  (void)r.add(catalog::make_yocto_cataloger());
  (void)r.add(catalog::make_os_release_cataloger());
  return r;
}

struct MemFile {
  MemFile(std::string p, std::string c, std::string l = {}, bool d = false)
      : path(std::move(p)), content(std::move(c)), link(std::move(l)), dir(d) {}
  std::string path;
  std::string content;
  std::string link;  // non-empty: a symlink to this target
  bool dir = false;
};

inline catalog::WalkOptions quick_walk() {
  catalog::WalkOptions o;
  o.signatures = false;
  o.elf = false;
  return o;
}

inline catalog::FileIndex index_of(const std::vector<MemFile>& files,
                                   const std::string& root = "rootfs") {
  auto reg = pkgdb_registry();
  catalog::FileIndex index;
  catalog::Walker w(reg, nullptr, index, quick_walk());
  for (const auto& f : files) {
    unpack::VEntry e;
    e.root = root;
    e.path = f.path;
    if (f.dir) {
      e.type = unpack::EntryType::directory;
      EXPECT_TRUE(w.directory(e).ok());
    } else if (!f.link.empty()) {
      e.type = unpack::EntryType::symlink;
      e.link_target = f.link;
      EXPECT_TRUE(w.link(e).ok());
    } else {
      e.type = unpack::EntryType::file;
      e.size = f.content.size();
      EXPECT_TRUE(w.file(e, ByteView(std::string_view(f.content))).ok());
    }
  }
  return index;
}

inline catalog::FileIndex index_directory(const std::filesystem::path& dir,
                                          const std::string& root = "rootfs") {
  namespace fs = std::filesystem;
  auto reg = pkgdb_registry();
  catalog::FileIndex index;
  catalog::Walker w(reg, nullptr, index, quick_walk());
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::none);
       it != fs::recursive_directory_iterator(); ++it) {
    const auto& de = *it;
    unpack::VEntry e;
    e.root = root;
    // lexically: fs::relative would resolve symlinks to their targets' paths
    e.path = "/" + de.path().lexically_relative(dir).generic_string();
    if (de.is_symlink()) {
      e.type = unpack::EntryType::symlink;
      e.link_target = fs::read_symlink(de.path()).string();
      EXPECT_TRUE(w.link(e).ok());
    } else if (de.is_directory()) {
      e.type = unpack::EntryType::directory;
      EXPECT_TRUE(w.directory(e).ok());
    } else if (de.is_regular_file()) {
      std::ifstream in(de.path(), std::ios::binary);
      std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      e.type = unpack::EntryType::file;
      e.size = data.size();
      EXPECT_TRUE(w.file(e, ByteView(std::string_view(data))).ok());
    }
  }
  return index;
}

inline catalog::CatalogOutput run_cataloger(std::string_view id, const catalog::FileIndex& index) {
  auto reg = pkgdb_registry();
  catalog::CatalogOutput out;
  const catalog::Cataloger* c = reg.find(id);
  EXPECT_NE(c, nullptr) << id;
  if (c) c->catalog(index, out);
  return out;
}

inline const model::Component* find_component(const catalog::CatalogOutput& out,
                                              std::string_view name) {
  for (const auto& c : out.components)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace waybill::test
