// Distribution fingerprint (data/toolchains.json), the distribution library table
// (data/distro-libraries.json) and their use by the soname cataloger.
#include <gtest/gtest.h>

#include <map>

#include "catalog/binary/signature_table.h"
#include "catalog/catalogers.h"
#include "catalog/component_db.h"
#include "catalog/os/distro_fingerprint.h"

namespace waybill::catalog {
namespace {

using os::DistroFingerprint;
using os::FileIdents;
using os::fingerprint_from_idents;

std::vector<FileIdents> files(const std::vector<std::pair<std::string, std::size_t>>& spec) {
  std::vector<FileIdents> out;
  int n = 0;
  for (const auto& [ident, count] : spec)
    for (std::size_t i = 0; i < count; ++i)
      out.push_back({"/usr/bin/f" + std::to_string(n++), {ident}});
  return out;
}

std::string key(const DistroFingerprint& fp) {
  return fp.release ? fp.release->key() : "unknown";
}

TEST(DistroFingerprint, IdentsNameOneRelease) {
  auto one = [](std::string_view ident) {
    auto r = os::releases_of_ident(ident);
    return r.size() == 1 ? os::known_releases()[r[0]].key() : "n=" + std::to_string(r.size());
  };
  EXPECT_EQ(one("GCC: (Debian 12.2.0-14) 12.2.0"), "debian-12");
  EXPECT_EQ(one("GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"), "debian-12");
  EXPECT_EQ(one("GCC: (Debian 10.2.1-6) 10.2.1 20210110"), "debian-11");
  EXPECT_EQ(one("GCC: (Debian 14.2.0-19) 14.2.0"), "debian-13");
  EXPECT_EQ(one("GCC: (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0"), "ubuntu-22.04");
  EXPECT_EQ(one("GCC: (Ubuntu 13.2.0-23ubuntu4) 13.2.0"), "ubuntu-24.04");
  EXPECT_EQ(one("GCC: (OpenWrt GCC 12.3.0 r23630-842932a63d) 12.3.0"), "openwrt");
  EXPECT_EQ(one("GCC: (Buildroot 2023.02.1) 11.3.0"), "buildroot");
  EXPECT_EQ(one("GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36"),
            "debian-12");
  EXPECT_EQ(one("GNU C Library (Ubuntu GLIBC 2.35-0ubuntu3.8) stable release version 2.35"),
            "ubuntu-22.04");
  EXPECT_EQ(one("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)"), "debian-12");
  // A plain GNU toolchain, a Debian release we do not know, a bare version: nothing.
  EXPECT_EQ(one("GCC: (GNU) 12.2.0"), "n=0");
  EXPECT_EQ(one("GCC: (Debian 8.3.0-6) 8.3.0"), "n=0");
  EXPECT_EQ(one("Dropbear sshd v2022.83"), "n=0");
}

TEST(DistroFingerprint, Debian12) {
  auto fp = fingerprint_from_idents(files({{"GCC: (Debian 12.2.0-14) 12.2.0", 142}}), nullptr);
  ASSERT_TRUE(fp.release);
  EXPECT_EQ(key(fp), "debian-12");
  EXPECT_EQ(fp.release->name, "Debian 12 (bookworm)");
  EXPECT_EQ(fp.source, "binaries");
  EXPECT_EQ(fp.votes, 142u);
  EXPECT_EQ(fp.voters, 142u);
  EXPECT_NE(fp.summary().find("142 of 142 ELF files"), std::string::npos) << fp.summary();
  EXPECT_NE(fp.summary().find("GCC: (Debian 12.2.0-14) 12.2.0"), std::string::npos);
}

TEST(DistroFingerprint, UbuntuAndOpenWrt) {
  EXPECT_EQ(key(fingerprint_from_idents(files({{"GCC: (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0", 3}}),
                                        nullptr)),
            "ubuntu-22.04");
  EXPECT_EQ(
      key(fingerprint_from_idents(files({{"GCC: (Ubuntu 13.2.0-23ubuntu4) 13.2.0", 3}}), nullptr)),
      "ubuntu-24.04");
  auto owrt = fingerprint_from_idents(
      files({{"GCC: (OpenWrt GCC 12.3.0 r23630-842932a63d) 12.3.0", 20}}), nullptr);
  EXPECT_EQ(key(owrt), "openwrt");
  // A family, not a release: the library table has nothing for it.
  EXPECT_FALSE(os::lookup_distro_library(*owrt.release, "libnl-3.so.200.26.0"));
}

TEST(DistroFingerprint, MixedTakesTheMajority) {
  auto fp = fingerprint_from_idents(files({{"GCC: (Debian 12.2.0-14) 12.2.0", 30},
                                           {"GCC: (Debian 10.2.1-6) 10.2.1 20210110", 5},
                                           {"GCC: (GNU) 12.2.0", 40}}),
                                    nullptr);
  EXPECT_EQ(key(fp), "debian-12");
  EXPECT_EQ(fp.votes, 30u);
  EXPECT_EQ(fp.voters, 35u);  // files without a distribution ident do not vote
  // No strict majority, or a tie: unknown.
  EXPECT_EQ(key(fingerprint_from_idents(files({{"GCC: (Debian 12.2.0-14) 12.2.0", 5},
                                               {"GCC: (Debian 10.2.1-6) 10.2.1", 5}}),
                                        nullptr)),
            "unknown");
  EXPECT_EQ(key(fingerprint_from_idents(files({{"GCC: (Debian 12.2.0-14) 12.2.0", 4},
                                               {"GCC: (Debian 10.2.1-6) 10.2.1", 3},
                                               {"GCC: (OpenWrt GCC 12.3.0 r1) 12.3.0", 3}}),
                                        nullptr)),
            "unknown");
  // One file naming one release through two idents votes once.
  std::vector<FileIdents> two = {{"/lib/libc.so.6",
                                  {"GCC: (Debian 12.2.0-14) 12.2.0",
                                   "GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release "
                                   "version 2.36"}}};
  EXPECT_EQ(fingerprint_from_idents(two, nullptr).votes, 1u);
}

TEST(DistroFingerprint, NoneIsUnknown) {
  EXPECT_EQ(key(fingerprint_from_idents({}, nullptr)), "unknown");
  EXPECT_EQ(key(fingerprint_from_idents(files({{"GCC: (GNU) 9.3.0", 12}}), nullptr)), "unknown");
}

TEST(DistroFingerprint, OsReleaseWinsWhenItNamesARelease) {
  model::OperatingSystem os;
  os.id = "debian";
  os.version_id = "12";
  auto fp = fingerprint_from_idents({}, &os);
  EXPECT_EQ(key(fp), "debian-12");
  EXPECT_EQ(fp.source, "os-release");
  os.id = "openwrt";
  os.version_id = "23.05.3";
  EXPECT_EQ(key(fingerprint_from_idents(files({{"GCC: (Debian 12.2.0-14) 12.2.0", 3}}), &os)),
            "openwrt");
  // A vendor os-release (ID_LIKE=debian, no Debian release) leaves it to the binaries.
  os.id = "corpusrouter";
  os.version_id = "1.0.0";
  os.id_like = "debian";
  auto v = fingerprint_from_idents(files({{"GCC: (Debian 12.2.0-14) 12.2.0", 3}}), &os);
  EXPECT_EQ(key(v), "debian-12");
  EXPECT_EQ(v.source, "binaries");
  os.id = "debian";
  os.version_id = "120";  // not "12"
  EXPECT_EQ(key(fingerprint_from_idents({}, &os)), "unknown");
}

const os::DistroRelease& release(std::string_view k) {
  for (const auto& r : os::known_releases())
    if (r.key() == k) return r;
  static const os::DistroRelease none;
  return none;
}

TEST(DistroLibraries, Debian12Table) {
  const auto& deb12 = release("debian-12");
  ASSERT_EQ(deb12.id, "debian");
  auto nl = os::lookup_distro_library(deb12, "libnl-3.so.200.26.0");
  ASSERT_TRUE(nl);
  EXPECT_EQ(nl->package, "libnl-3-200");
  EXPECT_EQ(nl->project, "libnl");
  EXPECT_EQ(nl->version, "3.7.0");
  EXPECT_EQ(nl->package_version, "3.7.0-0.2+b1");
  struct {
    const char* file;
    const char* project;
    const char* version;
  } want[] = {{"libnl-genl-3.so.200.26.0", "libnl", "3.7.0"},
              {"libmnl.so.0.2.0", "libmnl", "1.0.4"},
              {"libdaemon.so.0.5.0", "libdaemon", "0.14"},
              {"libcrypt.so.1.1.0", "libxcrypt", "4.4.33"}};
  for (const auto& w : want) {
    auto l = os::lookup_distro_library(deb12, w.file);
    ASSERT_TRUE(l) << w.file;
    EXPECT_EQ(l->project, w.project) << w.file;
    EXPECT_EQ(l->version, w.version) << w.file;
  }
  EXPECT_FALSE(os::lookup_distro_library(deb12, "libnl-3.so.200"));  // soname, not the file
  EXPECT_FALSE(os::lookup_distro_library(deb12, "libfoo.so.1.0.0"));
  EXPECT_FALSE(os::lookup_distro_library(release("debian-11"), "libnl-3.so.200.26.0"));
  EXPECT_NE(os::distro_library_source(deb12).find("bookworm"), std::string::npos);
  EXPECT_GE(os::distro_libraries(deb12).size(), 30u);
}

TEST(DistroLibraries, ProjectsLineUpWithTheComponentTable) {
  for (const auto& r : os::known_releases())
    for (const auto& l : os::distro_libraries(r)) {
      // The soname cataloger names a library after data/components.json; the table must agree
      // where that table knows the file's library, or the library is not reported.
      std::string base = l.file.substr(0, l.file.find(".so"));
      const ComponentInfo* c = lookup_component(base);
      if (!c && base.rfind("lib", 0) == 0) c = lookup_component(base.substr(3));
      if (c) {
        EXPECT_EQ(c->name, l.project) << l.file;
      }
      EXPECT_FALSE(l.version.empty()) << l.file;
      // Versions the file name identifies by itself never need the table.
      auto fact = lookup_library_file(l.file);
      if (fact && !fact->project.empty()) {
        EXPECT_EQ(fact->project, l.project) << l.file;
      }
    }
}

// The soname cataloger with a Debian 12 fingerprint from the libc banner (Debian strips .comment
// from packaged binaries, so the banner and +debNuM revisions are what such images carry).
FileIndex debian12_index(bool with_banner) {
  FileIndex index;
  FileRecord libc;
  libc.root = "r";
  libc.path = "/lib/arm-linux-gnueabihf/libc.so.6";
  libc.elf = ElfInfo{};
  libc.elf->type = 3;
  libc.elf->soname = "libc.so.6";
  if (with_banner) {
    SignatureHit h;
    h.signature = static_cast<std::uint32_t>(SignatureTable::builtin().index_of("glibc"));
    h.matched = "GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36";
    h.version = "2.36";
    libc.hits.push_back(h);
  }
  index.add(libc);
  for (const char* p : {"/lib/arm-linux-gnueabihf/libnl-3.so.200.26.0",
                        "/lib/arm-linux-gnueabihf/libnl-genl-3.so.200.26.0",
                        "/usr/lib/arm-linux-gnueabihf/libmnl.so.0.2.0"}) {
    FileRecord lib;
    lib.root = "r";
    lib.path = p;
    lib.elf = ElfInfo{};
    lib.elf->type = 3;
    std::string base(p);
    base = base.substr(base.rfind('/') + 1);
    lib.elf->soname =
        base.substr(0, base.find(".so") + 3) + (base.find("libmnl") == 0 ? ".0" : ".200");
    index.add(lib);
  }
  return index;
}

TEST(SonameCataloger, VersionFromTheFingerprintedRelease) {
  auto cat = make_soname_cataloger();
  FileIndex index = debian12_index(true);
  CatalogOutput out;
  cat->catalog(index, out);
  std::map<std::string, const model::Component*> by;
  for (const auto& c : out.components) by[c.name] = &c;
  ASSERT_TRUE(by.count("libnl"));
  const auto& nl = *by["libnl"];
  EXPECT_EQ(nl.version, "3.7.0");
  EXPECT_EQ(nl.package_version, "3.7.0-0.2+b1");
  EXPECT_EQ(nl.distro, "debian-12");
  EXPECT_EQ(nl.properties.at("waybill:version_inferred"), "true");
  ASSERT_EQ(nl.evidence.size(), 2u);
  for (const auto& e : nl.evidence) {
    EXPECT_EQ(e.method, "distro-archive");
    EXPECT_EQ(e.version, "3.7.0");
    EXPECT_DOUBLE_EQ(e.confidence, 0.5);
    EXPECT_NE(e.detail.find("Debian 12 (bookworm) ships"), std::string::npos) << e.detail;
    EXPECT_NE(e.detail.find("1 of 1 ELF files"), std::string::npos) << e.detail;
  }
  EXPECT_NE(nl.properties.at("waybill:distro_packages").find("libnl-genl-3-200 3.7.0-0.2+b1"),
            std::string::npos);
  ASSERT_FALSE(nl.notes.empty());
  EXPECT_NE(nl.notes[0].find("inferred"), std::string::npos);
  ASSERT_TRUE(by.count("libmnl"));
  EXPECT_EQ(by["libmnl"]->version, "1.0.4");
  EXPECT_EQ(by["libmnl"]->purl, "pkg:generic/libmnl@1.0.4");
}

TEST(SonameCataloger, NoFingerprintNoVersion) {
  auto cat = make_soname_cataloger();
  FileIndex index = debian12_index(false);
  CatalogOutput out;
  cat->catalog(index, out);
  bool seen = false;
  for (const auto& c : out.components)
    if (c.name == "libnl") {
      seen = true;
      EXPECT_EQ(c.version, "");
      for (const auto& e : c.evidence) EXPECT_EQ(e.method, "elf-soname");
    }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace waybill::catalog
