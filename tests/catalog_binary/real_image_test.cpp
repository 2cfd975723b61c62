// On real data: the dpkg corpus image, unpacked with unsquashfs (squashfs-tools), walked with
// the catalog walker and catalogued by the binary catalogers only (no package database use).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/binary/signature_table.h"
#include "catalog/catalogers.h"
#include "catalog/component_db.h"
#include "catalog/walker.h"
#include "support/support.h"

namespace fs = std::filesystem;

namespace waybill::catalog {
namespace {

struct Inventory {
  FileIndex index;
  CatalogOutput out;
  double scan_seconds = 0;
  std::uint64_t bytes = 0;
};

// Unpack once for all tests of this file.
const Inventory* inventory(const fs::path& shared) {
  static std::unique_ptr<Inventory> inv;
  static bool tried = false;
  if (tried) return inv.get();
  tried = true;
  if (test::run("command -v unsquashfs").exit_code != 0) return nullptr;
  fs::path dir = test::temp_dir("h3-dpkg");
  fs::path img = shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img";
  auto r = test::run("unsquashfs -no-xattrs -q -n -d '" + (dir / "root").string() + "' '" +
                     img.string() + "'");
  if (r.exit_code != 0) return nullptr;
  auto result = std::make_unique<Inventory>();
  CatalogerRegistry reg;
  (void)reg.add(make_signature_cataloger());
  (void)reg.add(make_soname_cataloger());
  (void)reg.add(make_kernel_cataloger());
  SignatureScanner scanner(SignatureTable::builtin());
  if (!scanner.compile().ok()) return nullptr;
  Walker walker(reg, &scanner, result->index);
  fs::path root = dir / "root";
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    unpack::VEntry e;
    e.root = "fw-armhf-dpkg.sqfs-xz.img.extract/0-squashfs";
    e.path = "/" + fs::relative(it->path(), root).string();
    if (it->is_symlink()) {
      e.type = unpack::EntryType::symlink;
      e.link_target = fs::read_symlink(it->path()).string();
      (void)walker.link(e);
    } else if (it->is_directory()) {
      e.type = unpack::EntryType::directory;
      (void)walker.directory(e);
    } else if (it->is_regular_file()) {
      auto bytes = test::read_file(it->path());
      e.size = bytes.size();
      auto t0 = std::chrono::steady_clock::now();
      (void)walker.file(e, ByteView(bytes));
      result->scan_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      result->bytes += bytes.size();
    }
  }
  for (const auto& c : reg.all()) c->catalog(result->index, result->out);
  fs::remove_all(dir);
  inv = std::move(result);
  return inv.get();
}

TEST(RealImage, VersionStringComponentsFoundWithExactVersions) {
  WAYBILL_REQUIRE_SHARED(shared);
  const Inventory* inv = inventory(shared);
  if (!inv) GTEST_SKIP() << "unsquashfs not available";
  auto truth = nlohmann::json::parse(
      test::read_text(shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img.truth.json"));
  std::map<std::string, std::set<std::string>> found;  // name -> versions
  for (const auto& c : inv->out.components) found[c.name].insert(c.version);
  int expected = 0, ok = 0;
  std::string table;
  for (const auto& t : truth["components"]) {
    if (t["version_string_evidence"].empty()) continue;
    ++expected;
    std::string pkg = t["name"], want = t["upstream_version"];
    const ComponentInfo* info = lookup_component(pkg);
    std::string name = info ? info->name : pkg;
    bool hit = found.count(name) && found[name].count(want);
    ok += hit;
    std::string got;
    if (found.count(name))
      for (const auto& v : found[name]) got += (got.empty() ? "" : ",") + (v.empty() ? "\"\"" : v);
    char line[256];
    std::snprintf(line, sizeof line, "%-20s %-16s %-10s %-20s %s\n", pkg.c_str(), name.c_str(),
                  want.c_str(), got.c_str(), hit ? "ok" : "MISSING");
    table += line;
  }
  std::printf("recall %d/%d, scanned %.1f MB in %.2f s (%.0f MB/s incl. hashing and ELF)\n%s", ok,
              expected, inv->bytes / 1e6, inv->scan_seconds,
              inv->bytes / 1e6 / std::max(inv->scan_seconds, 1e-9), table.c_str());
  EXPECT_EQ(ok, expected) << table;
}

TEST(RealImage, NoSpuriousComponents) {
  WAYBILL_REQUIRE_SHARED(shared);
  const Inventory* inv = inventory(shared);
  if (!inv) GTEST_SKIP() << "unsquashfs not available";
  auto truth = nlohmann::json::parse(
      test::read_text(shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img.truth.json"));
  std::map<std::string, std::set<std::string>> truth_versions;
  for (const auto& t : truth["components"]) {
    const ComponentInfo* info = lookup_component(t["name"].get<std::string>());
    truth_versions[info ? info->name : t["name"].get<std::string>()].insert(
        t["upstream_version"].get<std::string>());
  }
  int spurious = 0;
  std::string report;
  for (const auto& c : inv->out.components) {
    bool known = truth_versions.count(c.name) &&
                 (c.version.empty() || truth_versions[c.name].count(c.version));
    report += (known ? "  " : "! ") + c.name + " " + c.version + " (" + c.evidence[0].method + " " +
              c.evidence[0].path + ")\n";
    if (!known) ++spurious;
  }
  std::printf("%zu components, %d spurious\n%s", inv->out.components.size(), spurious,
              report.c_str());
  EXPECT_EQ(spurious, 0) << report;
}

TEST(RealImage, SonameComponentsForLibrariesWithoutVersionStrings) {
  WAYBILL_REQUIRE_SHARED(shared);
  const Inventory* inv = inventory(shared);
  if (!inv) GTEST_SKIP() << "unsquashfs not available";
  std::map<std::string, const model::Component*> by_name;
  for (const auto& c : inv->out.components)
    if (!c.evidence.empty() && c.evidence[0].source == "elf/soname") by_name[c.name] = &c;
  // Their file names do not identify the release; the image's glibc banner ("Debian GLIBC
  // 2.36-9+deb12u14") fingerprints Debian 12, whose archive ships them under these names.
  for (auto [n, v] : {std::pair{"libnl", "3.7.0"}, std::pair{"libmnl", "1.0.4"},
                      std::pair{"libdaemon", "0.14"}, std::pair{"libxcrypt", "4.4.33"}}) {
    ASSERT_TRUE(by_name.count(n)) << n;
    EXPECT_EQ(by_name[n]->version, v) << n;
    EXPECT_EQ(by_name[n]->distro, "debian-12") << n;
    for (const auto& e : by_name[n]->evidence) EXPECT_EQ(e.method, "distro-archive") << n;
  }
  // Libraries with a signature hit are not reported again by the soname cataloger; the other
  // libraries of a project found by a signature (libip4tc next to xtables-multi, libm next to
  // libc) take that version, so that the merge step groups them into one component.
  std::map<std::string, std::string> signed_version;
  std::set<std::string> signed_files;
  for (const auto& c : inv->out.components)
    for (const auto& e : c.evidence)
      if (e.method == "binary-signature") {
        signed_version[c.name] = c.version;
        signed_files.insert(e.path);
      }
  for (const char* n : {"openssl", "glibc", "iptables"}) {
    if (!by_name.count(n)) continue;
    EXPECT_EQ(by_name[n]->version, signed_version[n]) << n;
    for (const auto& e : by_name[n]->evidence) {
      EXPECT_FALSE(signed_files.count(e.path)) << e.path;
      EXPECT_NE(e.detail.find("(inferred)"), std::string::npos) << e.detail;
    }
  }
  EXPECT_TRUE(by_name.count("iptables"));  // libip4tc, libip6tc, libxtables
  EXPECT_FALSE(by_name["libnl"]->depends.empty());
}

TEST(RealImage, SignatureEvidenceIsComplete) {
  WAYBILL_REQUIRE_SHARED(shared);
  const Inventory* inv = inventory(shared);
  if (!inv) GTEST_SKIP() << "unsquashfs not available";
  for (const auto& c : inv->out.components) {
    if (c.evidence.empty() || c.evidence[0].method != "binary-signature") continue;
    EXPECT_FALSE(c.purl.empty()) << c.name;
    EXPECT_FALSE(c.cpes.empty()) << c.name;
    EXPECT_FALSE(c.licenses.empty()) << c.name;
    EXPECT_FALSE(c.files.empty()) << c.name;
    for (const auto& f : c.files) EXPECT_EQ(f.sha256.size(), 64u) << c.name << " " << f.path;
    for (const auto& e : c.evidence) {
      EXPECT_TRUE(e.offset.has_value());
      EXPECT_FALSE(e.matched.empty());
      EXPECT_FALSE(e.detail.empty());
    }
  }
}

}  // namespace
}  // namespace waybill::catalog

#include <lzma.h>

namespace waybill::catalog {
namespace {

// The kernel of the defects image: an ARM zImage whose payload is an xz stream. The unpack
// engine hands such payloads to the walk as blobs; here the test decompresses it itself.
std::vector<std::uint8_t> kernel_payload(const std::vector<std::uint8_t>& img) {
  static const std::uint8_t kMagic[] = {0xfd, '7', 'z', 'X', 'Z', 0};
  for (std::size_t i = 0; i + 6 < img.size() && i < (8u << 20); ++i) {
    if (std::memcmp(&img[i], kMagic, 6) != 0) continue;
    lzma_stream s = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK) return {};
    std::vector<std::uint8_t> out(64u << 20);
    s.next_in = &img[i];
    s.avail_in = img.size() - i;
    s.next_out = out.data();
    s.avail_out = out.size();
    lzma_ret r = lzma_code(&s, LZMA_FINISH);
    out.resize(out.size() - s.avail_out);
    lzma_end(&s);
    if ((r == LZMA_STREAM_END || r == LZMA_DATA_ERROR) && out.size() > (1u << 20)) return out;
  }
  return {};
}

TEST(RealImage, KernelFromDecompressedPayload) {
  WAYBILL_REQUIRE_SHARED(shared);
  auto img = test::read_file(shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage");
  auto payload = kernel_payload(img);
  ASSERT_FALSE(payload.empty());
  SignatureScanner scanner(SignatureTable::builtin());
  ASSERT_TRUE(scanner.compile().ok());
  FileIndex index;
  FileRecord r;
  r.root = "fw-armhf-opkg-defects.uImage";
  r.path = "/image-0.decompressed";
  r.blob = true;
  r.size = payload.size();
  r.hits = scanner.scan(ByteView(payload), r.path);
  index.add(r);
  CatalogOutput out;
  make_signature_cataloger()->catalog(index, out);
  std::string others;
  for (const auto& c : out.components) others += c.name + " " + c.version + "\n";
  EXPECT_TRUE(out.components.empty()) << "the kernel payload is not these components:\n" << others;
  out = {};
  make_kernel_cataloger()->catalog(index, out);
  ASSERT_EQ(out.components.size(), 1u);
  EXPECT_EQ(out.components[0].version, "6.1.176");
  EXPECT_EQ(out.components[0].package_version, "6.1.176-1");
  EXPECT_EQ(out.components[0].properties.at("waybill:kernel:release"), "6.1.0-50-armmp");
}

}  // namespace
}  // namespace waybill::catalog
