// The package-database and OS catalogers on small databases written for these tests.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/walker.h"
#include "catalog_pkgdb/pkgdb_test_util.h"

namespace waybill::test {
namespace {

using V = std::vector<std::string>;

bool has_diag(const catalog::CatalogOutput& out, std::string_view needle) {
  for (const auto& d : out.diagnostics.items())
    if (d.message.find(needle) != std::string::npos) return true;
  return false;
}

const model::FileHash* find_file(const model::Component& c, std::string_view path) {
  for (const auto& f : c.files)
    if (f.path == path) return &f;
  return nullptr;
}

std::vector<MemFile> dpkg_tree() {
  return {
      {"/etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n"},
      {"/var/lib/dpkg/status",
       "Package: foo\n"
       "Status: install ok installed\n"
       "Maintainer: Jane Doe <jane@example.org>\n"
       "Architecture: amd64\n"
       "Source: foosrc (1:2.0+dfsg1-1)\n"
       "Version: 1:2.0+dfsg1-1+b1\n"
       "Depends: libc6 (>= 2.34), bar | baz\n"
       "Pre-Depends: dpkg (>= 1.19)\n"
       "Description: foo tool\n"
       " Long text.\n"
       "Homepage: https://foo.example.org/\n"
       "\n"
       "Package: removed\n"
       "Status: deinstall ok config-files\n"
       "Architecture: amd64\n"
       "Version: 1.0-1\n"
       "\n"
       "Package: nover\n"
       "Status: install ok installed\n"
       "Architecture: all\n"
       "\n"
       "Package: libfoo1\n"
       "Status: install ok unpacked\n"
       "Architecture: amd64\n"
       "Multi-Arch: same\n"
       "Source: foosrc\n"
       "Version: 2.0+dfsg1-1~deb12u1\n"},
      {"/var/lib/dpkg/info/foo.list",
       "/.\n/usr\n/usr/bin\n/usr/bin/foo\n/usr/bin/foo-link\n/usr/share/doc/foo/copyright\n"},
      {"/var/lib/dpkg/info/libfoo1:amd64.list", "/lib\n/lib/libfoo.so.1\n"},
      {"/usr", "", "", true},
      {"/usr/bin", "", "", true},
      {"/usr/bin/foo", "#!/bin/sh\necho foo\n"},
      {"/usr/bin/foo-link", "", "foo"},
      {"/usr/lib/libfoo.so.1",
       "\x7f"
       "ELF fake"},
      {"/lib", "", "usr/lib"},
      {"/usr/share/doc/foo/copyright",
       "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
       "Files: *\nCopyright: 2020 Jane\nLicense: GPL-2+\n\n"
       "Files: debian/*\nCopyright: 2020 Jane\nLicense: Expat\n"},
  };
}

TEST(Dpkg, StatusListsAndCopyright) {
  auto index = index_of(dpkg_tree());
  auto out = run_cataloger("pkgdb/dpkg", index);
  ASSERT_EQ(out.components.size(), 3u);  // "removed" is not installed
  EXPECT_EQ(find_component(out, "removed"), nullptr);

  const auto* foo = find_component(out, "foo");
  ASSERT_NE(foo, nullptr);
  EXPECT_EQ(foo->version, "2.0");
  EXPECT_EQ(foo->package_version, "1:2.0+dfsg1-1+b1");
  EXPECT_EQ(foo->source_package, "foosrc");
  EXPECT_EQ(foo->properties.at("waybill:deb:source_version"), "1:2.0+dfsg1-1");
  EXPECT_EQ(foo->arch, "amd64");
  EXPECT_EQ(foo->ecosystem, "deb");
  EXPECT_EQ(foo->distro, "debian-12");
  EXPECT_EQ(foo->purl, "pkg:deb/debian/foo@1:2.0%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12");
  EXPECT_EQ(foo->supplier, "Jane Doe <jane@example.org>");
  EXPECT_EQ(foo->description, "foo tool");
  EXPECT_EQ(foo->homepage, "https://foo.example.org/");
  EXPECT_EQ(foo->depends, (V{"dpkg", "libc6", "bar", "baz"}));
  EXPECT_EQ(foo->licenses, (V{"GPL-2.0-or-later", "MIT"}));
  // Regular files only: no directories, no symlink.
  ASSERT_EQ(foo->files.size(), 2u);
  const auto* bin = find_file(*foo, "/usr/bin/foo");
  ASSERT_NE(bin, nullptr);
  EXPECT_EQ(bin->sha256, catalog::sha256_hex(ByteView(std::string_view("#!/bin/sh\necho foo\n"))));
  EXPECT_EQ(bin->root, "rootfs");
  EXPECT_EQ(find_file(*foo, "/usr/bin/foo-link"), nullptr);
  ASSERT_EQ(foo->evidence.size(), 1u);
  EXPECT_EQ(foo->evidence[0].method, "package-db/dpkg");
  EXPECT_EQ(foo->evidence[0].source, "pkgdb/dpkg");
  EXPECT_EQ(foo->evidence[0].path, "/var/lib/dpkg/status");
  EXPECT_EQ(foo->evidence[0].detail, "Package: foo (line 1)");
  EXPECT_EQ(foo->evidence[0].offset, 0u);

  // Multi-Arch: same list name, file reached through the /lib -> usr/lib symlink.
  const auto* lib = find_component(out, "libfoo1");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->version, "2.0");
  EXPECT_EQ(lib->purl, "pkg:deb/debian/libfoo1@2.0%2Bdfsg1-1~deb12u1?arch=amd64&distro=debian-12");
  ASSERT_EQ(lib->files.size(), 1u);
  EXPECT_EQ(lib->files[0].path, "/lib/libfoo.so.1");
  EXPECT_EQ(lib->evidence[0].detail, "Package: libfoo1 (line 22)");

  const auto* nover = find_component(out, "nover");
  ASSERT_NE(nover, nullptr);
  EXPECT_EQ(nover->version, "");
  EXPECT_TRUE(has_diag(out, "line 18: package nover has no Version"));
}

TEST(Dpkg, DistroInferredForDerivatives) {
  auto files = dpkg_tree();
  files[0].content = "NAME=Router\nID=router\nID_LIKE=debian\nVERSION_ID=1.0\n";
  auto out = run_cataloger("pkgdb/dpkg", index_of(files));
  const auto* lib = find_component(out, "libfoo1");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->distro, "debian-12");  // from "~deb12u1"
  EXPECT_EQ(lib->properties.count("waybill:distro_inferred_from"), 1u);

  files[0].content = "ID=router\n";
  files[3] = {"/etc/debian_version", "11.9\n"};
  out = run_cataloger("pkgdb/dpkg", index_of(files));
  ASSERT_NE(find_component(out, "foo"), nullptr);
  EXPECT_EQ(find_component(out, "foo")->distro, "debian-11");
}

TEST(Dpkg, DistrolessStatusD) {
  auto index = index_of({
      {"/var/lib/dpkg/status.d/base",
       "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"},
      {"/var/lib/dpkg/status.d/base.md5sums", "d41d8cd98f00b204e9800998ecf8427e  etc/issue\n"},
      {"/etc/issue", "Debian\n"},
  });
  auto out = run_cataloger("pkgdb/dpkg", index);
  ASSERT_EQ(out.components.size(), 1u);
  EXPECT_EQ(out.components[0].name, "base-files");
  EXPECT_EQ(out.components[0].version, "12.4");
  EXPECT_EQ(out.components[0].purl,
            "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12");
  ASSERT_EQ(out.components[0].files.size(), 1u);
  EXPECT_EQ(out.components[0].files[0].path, "/etc/issue");
  EXPECT_TRUE(out.diagnostics.items().empty());
}

TEST(Dpkg, GarbageAndMalformedStanzasGiveDiagnostics) {
  std::string garbage = "Package: good\nStatus: install ok installed\nVersion: 1.0-1\n\n";
  for (int i = 0; i < 2000; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  garbage += "\n\nVersion: 1\nStatus: install ok installed\n\nPackage: bad\nVersion: :x\n";
  auto out = run_cataloger("pkgdb/dpkg", index_of({{"/var/lib/dpkg/status", garbage}}));
  ASSERT_NE(find_component(out, "good"), nullptr);
  EXPECT_TRUE(has_diag(out, "stanza without Package"));
  EXPECT_TRUE(has_diag(out, "invalid Version"));
  EXPECT_TRUE(has_diag(out, "has no Status"));
  for (const auto& d : out.diagnostics.items()) {
    EXPECT_EQ(d.source, "pkgdb/dpkg");
    EXPECT_EQ(d.file, "rootfs/var/lib/dpkg/status");
    EXPECT_EQ(d.message.rfind("line ", 0), 0u) << d.message;
  }
}

TEST(Opkg, StatusWithControlFiles) {
  auto index = index_of({
      {"/etc/openwrt_release", "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='23.05.2'\n"},
      {"/usr/lib/opkg/status",
       "Package: busybox\nVersion: 1.36.1-r2\nDepends: libc\nStatus: install user installed\n"
       "Architecture: mipsel_24kc\nInstalled-Time: 1700000000\n\n"
       "Package: gone\nVersion: 1-r1\nStatus: deinstall user not-installed\nArchitecture: all\n"},
      {"/usr/lib/opkg/info/busybox.control",
       "Package: busybox\nVersion: 1.36.1-r2\nLicense: GPL-2.0-only\n"
       "Source: package/utils/busybox\nSourceName: busybox\nMaintainer: Felix <f@example.org>\n"
       "Description: Core utilities\n"},
      {"/usr/lib/opkg/info/busybox.list", "/bin/busybox\n/bin/sh\n"},
      {"/bin/busybox", "busybox binary"},
      {"/bin/sh", "", "busybox"},
  });
  auto out = run_cataloger("pkgdb/opkg", index);
  ASSERT_EQ(out.components.size(), 1u);
  const auto& c = out.components[0];
  EXPECT_EQ(c.name, "busybox");
  EXPECT_EQ(c.version, "1.36.1");
  EXPECT_EQ(c.package_version, "1.36.1-r2");
  EXPECT_EQ(c.ecosystem, "opkg");
  EXPECT_EQ(c.distro, "openwrt-23.05.2");
  EXPECT_EQ(c.purl, "pkg:openwrt/busybox@1.36.1-r2?arch=mipsel_24kc");
  EXPECT_EQ(c.licenses, (V{"GPL-2.0-only"}));
  EXPECT_EQ(c.supplier, "Felix <f@example.org>");
  EXPECT_EQ(c.source_package, "busybox");
  EXPECT_EQ(c.depends, (V{"libc"}));
  ASSERT_EQ(c.files.size(), 1u);
  EXPECT_EQ(c.files[0].path, "/bin/busybox");
  EXPECT_EQ(c.evidence[0].method, "package-db/opkg");
}

constexpr std::string_view kApkDb =
    "C:Q1abc=\n"
    "P:musl\n"
    "V:1.2.4_git20230717-r4\n"
    "A:x86_64\n"
    "T:the musl c library\n"
    "U:https://musl.libc.org/\n"
    "L:MIT\n"
    "o:musl\n"
    "m:Someone <s@example.org>\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1xyz=\n"
    "R:libc.musl-x86_64.so.1\n"
    "\n"
    "P:busybox-binsh\n"
    "V:1.36.1-r15\n"
    "A:x86_64\n"
    "L:GPL-2.0-only\n"
    "o:busybox\n"
    "D:busybox=1.36.1-r15 so:libc.musl-x86_64.so.1 !bash-binsh\n"
    "F:bin\n"
    "R:sh\n"
    "\n"
    "V:1.0-r0\n";

TEST(Apk, InstalledDatabase) {
  auto index = index_of({
      {"/etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"},
      {"/lib/apk/db/installed", std::string(kApkDb)},
      {"/lib/ld-musl-x86_64.so.1", "musl"},
      {"/lib/libc.musl-x86_64.so.1", "", "ld-musl-x86_64.so.1"},
      {"/bin/sh", "sh"},
  });
  auto out = run_cataloger("pkgdb/apk", index);
  ASSERT_EQ(out.components.size(), 2u);
  const auto* musl = find_component(out, "musl");
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ(musl->version, "1.2.4_git20230717");
  EXPECT_EQ(musl->package_version, "1.2.4_git20230717-r4");
  EXPECT_EQ(musl->purl,
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
  EXPECT_EQ(musl->licenses, (V{"MIT"}));
  EXPECT_EQ(musl->ecosystem, "apk");
  ASSERT_EQ(musl->files.size(), 1u);  // the other one is a symlink
  EXPECT_EQ(musl->files[0].path, "/lib/ld-musl-x86_64.so.1");
  EXPECT_EQ(musl->properties.at("waybill:apk:checksum"), "Q1abc=");
  const auto* sh = find_component(out, "busybox-binsh");
  ASSERT_NE(sh, nullptr);
  EXPECT_EQ(sh->version, "1.36.1");
  EXPECT_EQ(sh->source_package, "busybox");
  EXPECT_EQ(sh->depends, (V{"busybox"}));
  EXPECT_EQ(sh->evidence[0].detail, "P:busybox-binsh (line 16)");
  EXPECT_TRUE(has_diag(out, "line 25: stanza without P:"));
}

TEST(Buildroot, LegalInfoManifest) {
  auto index = index_of({
      {"/output/legal-info/manifest.csv",
       "\"PACKAGE\",\"VERSION\",\"LICENSE\",\"LICENSE FILES\",\"SOURCE ARCHIVE\",\"SOURCE SITE\","
       "\"DEPENDENCIES WITH LICENSES\"\r\n"
       "\"busybox\",\"1.36.1\",\"GPL-2.0, bzip2-1.0.6\",\"LICENSE archival/libarchive/bz/LICENSE\","
       "\"busybox-1.36.1.tar.bz2\",\"https://www.busybox.net/downloads\",\"\"\r\n"
       "\"dropbear\",\"2022.83\",\"MIT, BSD-2-Clause, Public domain\",\"LICENSE\","
       "\"dropbear-2022.83.tar.bz2\",\"https://matt.ucc.asn.au/dropbear/releases\",\"\"\r\n"
       "\"\",\"1\"\r\n"},
      {"/output/legal-info/host-manifest.csv", "\"PACKAGE\",\"VERSION\"\n\"host-gcc\",\"12\"\n"},
  });
  auto out = run_cataloger("pkgdb/buildroot", index);
  ASSERT_EQ(out.components.size(), 2u);
  const auto* bb = find_component(out, "busybox");
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ(bb->version, "1.36.1");
  EXPECT_EQ(bb->ecosystem, "buildroot");
  EXPECT_EQ(bb->licenses, (V{"GPL-2.0-only", "bzip2-1.0.6"}));
  EXPECT_EQ(bb->purl,
            "pkg:generic/busybox@1.36.1?download_url=https://www.busybox.net/downloads/"
            "busybox-1.36.1.tar.bz2");
  EXPECT_EQ(bb->evidence[0].method, "build-manifest/buildroot");
  EXPECT_EQ(find_component(out, "dropbear")->licenses,
            (V{"MIT", "BSD-2-Clause", "LicenseRef-public-domain"}));
  EXPECT_TRUE(has_diag(out, "line 4: row without PACKAGE"));
}

TEST(Yocto, ImageManifest) {
  auto index = index_of({
      {"/deploy/core-image-minimal-qemux86-64.manifest",
       "base-files qemux86_64 3.0.14-r89\nbusybox core2_64 1:1.36.1-r0\nlibc6 core2_64 "
       "2.38+git0+abc-r0\n"},
      {"/usr/share/app/app.manifest", "<?xml version=\"1.0\"?>\n<assembly>\n</assembly>\n"},
  });
  auto out = run_cataloger("pkgdb/yocto", index);
  ASSERT_EQ(out.components.size(), 3u);
  EXPECT_TRUE(out.diagnostics.items().empty());
  const auto* bb = find_component(out, "busybox");
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ(bb->version, "1.36.1");
  EXPECT_EQ(bb->package_version, "1:1.36.1-r0");
  EXPECT_EQ(bb->arch, "core2_64");
  EXPECT_EQ(bb->ecosystem, "yocto");
  EXPECT_EQ(find_component(out, "libc6")->version, "2.38+git0+abc");
  EXPECT_EQ(bb->evidence[0].detail, "line 2");
}

TEST(OsRelease, OsReleaseAndFallbacks) {
  auto out = run_cataloger(
      "os/os-release",
      index_of({{"/usr/lib/os-release",
                 "# comment\nNAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID='12'\n"
                 "VERSION=\"12 (bookworm)\"\nPRETTY_NAME=\"Debian \\\"12\\\"\"\nbroken line\n"},
                {"/etc/os-release", "", "../usr/lib/os-release"}}));
  ASSERT_EQ(out.operating_systems.size(), 1u);
  EXPECT_EQ(out.operating_systems[0].id, "debian");
  EXPECT_EQ(out.operating_systems[0].version_id, "12");
  EXPECT_EQ(out.operating_systems[0].pretty_name, "Debian \"12\"");
  ASSERT_EQ(out.components.size(), 1u);
  EXPECT_EQ(out.components[0].type, "operating-system");
  EXPECT_EQ(out.components[0].name, "debian");
  EXPECT_EQ(out.components[0].version, "12");
  EXPECT_EQ(out.components[0].evidence[0].method, "os-release");
  EXPECT_EQ(out.components[0].evidence[0].detail, "ID=debian (line 3)");

  out =
      run_cataloger("os/os-release", index_of({{"/etc/openwrt_release",
                                                "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='23.05.2'\n"
                                                "DISTRIB_REVISION='r23630'\n"}}));
  ASSERT_EQ(out.components.size(), 1u);
  EXPECT_EQ(out.components[0].name, "openwrt");
  EXPECT_EQ(out.components[0].version, "23.05.2");

  out = run_cataloger("os/os-release", index_of({{"/etc/debian_version", "bookworm/sid\n"}}));
  ASSERT_EQ(out.components.size(), 1u);
  EXPECT_EQ(out.components[0].name, "debian");
  EXPECT_EQ(out.components[0].version, "12");

  out = run_cataloger("os/os-release", index_of({{"/etc/os-release", "NAME=x\n"}}));
  EXPECT_TRUE(out.components.empty());
  EXPECT_FALSE(out.diagnostics.items().empty());

  out = run_cataloger("os/os-release", index_of({{"/etc/passwd", "root:x:0:0::/root:/bin/sh\n"}}));
  EXPECT_TRUE(out.components.empty());
}

TEST(Registration, AllPackageDbCatalogersRegistered) {
  catalog::CatalogerRegistry r;
  catalog::register_builtin_catalogers(r);
  for (auto id : {"pkgdb/dpkg", "pkgdb/opkg", "pkgdb/apk", "pkgdb/buildroot", "pkgdb/yocto",
                  "os/os-release"}) {
    const auto* c = r.find(id);
    ASSERT_NE(c, nullptr) << id;
    EXPECT_FALSE(c->wants().empty());
  }
}

}  // namespace
}  // namespace waybill::test
