#include <gtest/gtest.h>

#include "catalog/binary/kernel.h"
#include "catalog/binary/signature_table.h"
#include "catalog/catalogers.h"

namespace waybill::catalog {
namespace {

TEST(KernelBanner, Debian) {
  auto k = parse_kernel_banner(
      "Linux version 6.1.0-50-armmp (debian-kernel@lists.debian.org) (gcc-12 (Debian "
      "12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian 6.1.176-1 "
      "(2026-07-02)");
  EXPECT_EQ(k.release, "6.1.0-50-armmp");
  EXPECT_EQ(k.version, "6.1.176");
  EXPECT_EQ(k.package_version, "6.1.176-1");
  EXPECT_EQ(k.distro, "debian");
  k = parse_kernel_banner(
      "Linux version 6.1.0-50-armmp (debian-kernel@lists.debian.org) (gcc-12 (Debian "
      "12.2.0-14+deb12u1) "
      "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) # SMP Debian 6.1.176-1 (2026-07-02)");
  EXPECT_EQ(k.version, "6.1.176");
  k = parse_kernel_banner(
      "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) "
      "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 "
      "(2024-02-01)");
  EXPECT_EQ(k.version, "6.1.76");
  EXPECT_EQ(k.package_version, "6.1.76-1");
}

TEST(KernelBanner, Ubuntu) {
  auto k = parse_kernel_banner(
      "Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu "
      "11.4.0-1ubuntu1~22.04) "
      "11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 "
      "(Ubuntu 5.15.0-91.101-generic 5.15.131)");
  EXPECT_EQ(k.release, "5.15.0-91-generic");
  EXPECT_EQ(k.version, "5.15.131");
  EXPECT_EQ(k.package_version, "5.15.0-91.101");
  EXPECT_EQ(k.distro, "ubuntu");
}

TEST(KernelBanner, Upstream) {
  auto k = parse_kernel_banner(
      "Linux version 5.10.161-rt-xyz (builder@buildhost) (mipsel-openwrt-linux-musl-gcc (OpenWrt "
      "GCC 11.2.0 r20028-43d71ad93e) 11.2.0, GNU ld (GNU Binutils) 2.37) #0 SMP Mon Jan 2 2023");
  EXPECT_EQ(k.release, "5.10.161-rt-xyz");
  EXPECT_EQ(k.version, "5.10.161");
  EXPECT_EQ(k.package_version, "");
  k = parse_kernel_banner("Linux version 4.14.180 (builder@buildhost) (gcc version 7.5.0) #0");
  EXPECT_EQ(k.version, "4.14.180");
  EXPECT_TRUE(parse_kernel_banner("Linux version %s (%s)").release.empty());
  EXPECT_TRUE(parse_kernel_banner("no banner here").release.empty());
}

TEST(KernelVermagic, Releases) {
  auto k = parse_kernel_release("6.1.0-50-armmp SMP mod_unload modversions ARMv7 p2v8 ");
  EXPECT_EQ(k.release, "6.1.0-50-armmp");
  EXPECT_EQ(k.version, "");  // Debian ABI name: upstream patch level unknown
  k = parse_kernel_release("5.4.143 SMP mod_unload MIPS32_R2 32BIT ");
  EXPECT_EQ(k.version, "5.4.143");
  k = parse_kernel_release("5.10.161-rt-xyz preempt mod_unload");
  EXPECT_EQ(k.version, "5.10.161");
}

TEST(KernelCataloger, FromBannerHitAndVermagic) {
  auto cat = make_kernel_cataloger();
  FileIndex index;
  FileRecord blob;
  blob.root = "img";
  blob.path = "/decompressed";
  blob.blob = true;
  SignatureHit h;
  h.signature = static_cast<std::uint32_t>(SignatureTable::builtin().index_of(kKernelSignatureId));
  h.offset = 59045;
  h.matched =
      "Linux version 6.1.0-50-armmp (debian-kernel@lists.debian.org) (gcc-12) # SMP Debian "
      "6.1.176-1 (2026-07-02)";
  h.version = "6.1.0-50-armmp";
  blob.hits.push_back(h);
  index.add(blob);
  FileRecord ko;
  ko.root = "img.extract/rootfs";
  ko.path = "/lib/modules/6.1.0-50-armmp/kernel/fs/foo.ko";
  ko.elf = ElfInfo{};
  ko.elf->vermagic = "6.1.0-50-armmp SMP mod_unload modversions ARMv7 p2v8 ";
  index.add(ko);
  CatalogOutput out;
  cat->catalog(index, out);
  ASSERT_EQ(out.components.size(), 1u);
  const auto& c = out.components[0];
  EXPECT_EQ(c.name, "linux");
  EXPECT_EQ(c.type, "operating-system");
  EXPECT_EQ(c.version, "6.1.176");
  EXPECT_EQ(c.package_version, "6.1.176-1");
  EXPECT_EQ(c.properties.at("waybill:kernel:release"), "6.1.0-50-armmp");
  EXPECT_EQ(c.purl, "pkg:generic/linux@6.1.176");
  ASSERT_FALSE(c.cpes.empty());
  EXPECT_EQ(c.cpes[0], "cpe:2.3:o:linux:linux_kernel:6.1.176:*:*:*:*:*:*:*");
  EXPECT_EQ(c.licenses, std::vector<std::string>{"GPL-2.0-only"});
  EXPECT_EQ(c.evidence.size(), 2u);
}

}  // namespace
}  // namespace waybill::catalog
