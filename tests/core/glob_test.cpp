#include <gtest/gtest.h>

#include "catalog/file_index.h"

using waybill::catalog::glob_match;

TEST(Glob, SingleSegmentStar) {
  EXPECT_TRUE(glob_match("/var/lib/dpkg/info/*.list", "/var/lib/dpkg/info/busybox.list"));
  EXPECT_FALSE(glob_match("/var/lib/dpkg/info/*.list", "/var/lib/dpkg/info/x/busybox.list"));
  EXPECT_FALSE(glob_match("/var/lib/dpkg/info/*.list", "/var/lib/dpkg/info/busybox.md5sums"));
  EXPECT_TRUE(glob_match("/usr/lib/lib?.so", "/usr/lib/libz.so"));
}

TEST(Glob, DoubleStarMatchesWholeSegmentsOnly) {
  EXPECT_TRUE(glob_match("**/curl", "/usr/bin/curl"));
  EXPECT_TRUE(glob_match("**/curl", "/curl"));
  EXPECT_FALSE(glob_match("**/curl", "/usr/bin/libcurl"));
  EXPECT_TRUE(glob_match("/**/legal-info/manifest.csv", "/legal-info/manifest.csv"));
  EXPECT_TRUE(glob_match("/**/legal-info/manifest.csv", "/a/b/legal-info/manifest.csv"));
  EXPECT_TRUE(glob_match("**/sbin/*", "/usr/sbin/dnsmasq"));
  EXPECT_FALSE(glob_match("**/sbin/*", "/usr/sbin/x/dnsmasq"));
  EXPECT_TRUE(glob_match("**", "/anything/at/all"));
}
