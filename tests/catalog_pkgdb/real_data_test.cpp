// The catalogers on the corpus firmware (real Debian 12 packages), against its ground truth.
// The root filesystems are extracted with squashfs-tools' unsquashfs.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "catalog_pkgdb/pkgdb_test_util.h"
#include "support/support.h"

namespace waybill::test {
namespace {

namespace fs = std::filesystem;

struct Extracted {
  fs::path dir;
  nlohmann::json truth;
  catalog::FileIndex index;
  bool ok = false;
};

// Extracts the squashfs layer of a corpus image once per process.
Extracted& extracted(const fs::path& shared, const std::string& image) {
  static std::map<std::string, Extracted> cache;
  auto it = cache.find(image);
  if (it != cache.end()) return it->second;
  Extracted& e = cache[image];
  fs::path img = shared / "corpus/firmware/armhf" / image;
  e.truth = nlohmann::json::parse(read_text(img.string() + ".truth.json"));
  std::uint64_t offset = 0;
  for (const auto& layer : e.truth["container_layers"])
    if (layer["format"] == "squashfs") offset = layer["offset"].get<std::uint64_t>();
  if (run("command -v unsquashfs").exit_code != 0) return e;
  e.dir = temp_dir("pkgdb-real");
  fs::remove_all(e.dir);  // unsquashfs wants to create it
  std::string cmd = "unsquashfs -n -q -o " + std::to_string(offset) + " -d '" + e.dir.string() +
                    "' '" + img.string() + "'";
  RunResult r = run(cmd);
  e.ok = fs::exists(e.dir / "etc");
  if (!e.ok) ADD_FAILURE() << cmd << " failed: " << r.err;
  if (e.ok) e.index = index_directory(e.dir);
  fs::remove_all(e.dir);
  return e;
}

#define REQUIRE_EXTRACTED(var, image)        \
  WAYBILL_REQUIRE_SHARED(shared);            \
  Extracted& var = extracted(shared, image); \
  if (!var.ok) GTEST_SKIP() << "unsquashfs (squashfs-tools) not available"

bool copyright_present(const catalog::FileIndex& index, const nlohmann::json& c) {
  if (!c.contains("copyright_file") || !c["copyright_file"].is_string()) return false;
  return index.lookup("rootfs", c["copyright_file"].get<std::string>()) != nullptr;
}

TEST(RealData, DpkgMatchesGroundTruth) {
  REQUIRE_EXTRACTED(fw, "fw-armhf-dpkg.sqfs-xz.img");
  auto out = run_cataloger("pkgdb/dpkg", fw.index);
  for (const auto& d : out.diagnostics.items()) ADD_FAILURE() << d.to_string();
  const auto& truth = fw.truth["components"];
  EXPECT_EQ(out.components.size(), truth.size());
  for (const auto& t : truth) {
    std::string name = t["name"];
    SCOPED_TRACE(name);
    const model::Component* c = find_component(out, name);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->version, t["upstream_version"].get<std::string>());
    EXPECT_EQ(c->package_version, t["debian_version"].get<std::string>());
    EXPECT_EQ(c->purl, t["purl"].get<std::string>());
    EXPECT_EQ(c->source_package, t["source_package"].get<std::string>());
    EXPECT_EQ(c->arch, t["architecture"].get<std::string>());
    EXPECT_EQ(c->ecosystem, "deb");
    EXPECT_EQ(c->distro, "debian-12");
    EXPECT_FALSE(c->supplier.empty());
    ASSERT_FALSE(c->files.empty());
    for (const auto& f : c->files) {
      EXPECT_EQ(f.sha256.size(), 64u) << f.path;
      EXPECT_EQ(f.root, "rootfs");
    }
    for (const auto& bin : t["main_binaries"]) {
      bool owned = false;
      for (const auto& f : c->files) owned = owned || f.path == bin.get<std::string>();
      EXPECT_TRUE(owned) << bin;
    }
    if (copyright_present(fw.index, t)) {
      EXPECT_FALSE(c->licenses.empty());
    }
    for (const auto& l : c->licenses) EXPECT_EQ(l.find(' '), std::string::npos) << l;
    ASSERT_EQ(c->evidence.size(), 1u);
    EXPECT_EQ(c->evidence[0].method, "package-db/dpkg");
    EXPECT_EQ(c->evidence[0].path, "/var/lib/dpkg/status");
    EXPECT_EQ(c->evidence[0].detail.rfind("Package: " + name + " (line ", 0), 0u);
  }
  const auto* curl = find_component(out, "curl");
  ASSERT_NE(curl, nullptr);
  EXPECT_NE(std::find(curl->depends.begin(), curl->depends.end(), "libcurl4"), curl->depends.end());
  EXPECT_NE(std::find(curl->licenses.begin(), curl->licenses.end(), "curl"), curl->licenses.end());
}

TEST(RealData, OpkgMatchesGroundTruth) {
  REQUIRE_EXTRACTED(fw, "fw-armhf-opkg-defects.uImage");
  auto out = run_cataloger("pkgdb/opkg", fw.index);
  for (const auto& d : out.diagnostics.items()) ADD_FAILURE() << d.to_string();
  const auto& truth = fw.truth["components"];
  EXPECT_EQ(out.components.size(), truth.size());
  for (const auto& t : truth) {
    std::string name = t["name"];
    SCOPED_TRACE(name);
    const model::Component* c = find_component(out, name);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->version, t["upstream_version"].get<std::string>());
    EXPECT_EQ(c->package_version, t["debian_version"].get<std::string>());
    EXPECT_EQ(c->source_package, t["source_package"].get<std::string>());
    EXPECT_EQ(c->ecosystem, "opkg");
    EXPECT_EQ(c->purl.rfind("pkg:openwrt/" + name + "@", 0), 0u) << c->purl;
    EXPECT_NE(c->purl.find("?arch=" + c->arch), std::string::npos) << c->purl;
    EXPECT_FALSE(c->arch.empty());
    EXPECT_FALSE(c->supplier.empty());
    ASSERT_FALSE(c->files.empty());
    for (const auto& f : c->files) EXPECT_EQ(f.sha256.size(), 64u) << f.path;
    EXPECT_EQ(c->evidence[0].method, "package-db/opkg");
    EXPECT_EQ(c->evidence[0].path, "/usr/lib/opkg/status");
  }
}

TEST(RealData, OsReleaseOfBothImages) {
  for (const char* image : {"fw-armhf-dpkg.sqfs-xz.img", "fw-armhf-opkg-defects.uImage"}) {
    REQUIRE_EXTRACTED(fw, image);
    auto out = run_cataloger("os/os-release", fw.index);
    ASSERT_EQ(out.operating_systems.size(), 1u) << image;
    EXPECT_EQ(out.operating_systems[0].id, "corpusrouter");
    EXPECT_EQ(out.operating_systems[0].id_like, "debian");
    EXPECT_EQ(out.operating_systems[0].name, "CorpusRouter");
    ASSERT_EQ(out.components.size(), 1u);
    EXPECT_EQ(out.components[0].type, "operating-system");
    EXPECT_EQ(out.components[0].version, "1.0.0");
  }
}

TEST(RealData, OtherCatalogersFindNothingAndStayQuiet) {
  REQUIRE_EXTRACTED(fw, "fw-armhf-dpkg.sqfs-xz.img");
  for (const char* id : {"pkgdb/opkg", "pkgdb/apk", "pkgdb/buildroot", "pkgdb/yocto"}) {
    auto out = run_cataloger(id, fw.index);
    EXPECT_TRUE(out.components.empty()) << id;
    EXPECT_TRUE(out.diagnostics.items().empty()) << id;
  }
}

}  // namespace
}  // namespace waybill::test
