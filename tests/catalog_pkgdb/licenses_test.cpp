#include "catalog/pkgdb/licenses.h"

#include <gtest/gtest.h>

namespace waybill::catalog {
namespace {

using V = std::vector<std::string>;

TEST(Licenses, DebianNamesToSpdx) {
  EXPECT_EQ(license_to_spdx("GPL-2"), "GPL-2.0-only");
  EXPECT_EQ(license_to_spdx("GPL-2+"), "GPL-2.0-or-later");
  EXPECT_EQ(license_to_spdx("LGPL-2.1+"), "LGPL-2.1-or-later");
  EXPECT_EQ(license_to_spdx("GPL-2.0-or-later"), "GPL-2.0-or-later");
  EXPECT_EQ(license_to_spdx("GPL-3.0-only"), "GPL-3.0-only");
  EXPECT_EQ(license_to_spdx("BSD-3-clause"), "BSD-3-Clause");
  EXPECT_EQ(license_to_spdx("Expat"), "MIT");
  EXPECT_EQ(license_to_spdx("public-domain"), "LicenseRef-public-domain");
  EXPECT_EQ(license_to_spdx("zlib"), "Zlib");
  EXPECT_EQ(license_to_spdx("Apache-2.0"), "Apache-2.0");
  EXPECT_EQ(license_to_spdx("MPL-1.1+"), "MPL-1.1+");
  EXPECT_EQ(license_to_spdx("OLDAP-2.8"), "OLDAP-2.8");
  EXPECT_EQ(license_to_spdx("BSD-4-clause-UC"), "BSD-4-Clause-UC");
  EXPECT_EQ(license_to_spdx("LGPL-2.1-or-later"), "LGPL-2.1-or-later");
  EXPECT_EQ(license_to_spdx("Some Odd/Name"), "LicenseRef-Some-Odd-Name");
  EXPECT_EQ(license_to_spdx(" "), "");
}

TEST(Licenses, SplitExpressions) {
  EXPECT_EQ(split_licenses("GPL-2+ or Artistic"), (V{"GPL-2.0-or-later", "Artistic-1.0-Perl"}));
  EXPECT_EQ(split_licenses("GPL-2.0+, LGPL-2.1+"), (V{"GPL-2.0-or-later", "LGPL-2.1-or-later"}));
  EXPECT_EQ(split_licenses("MIT AND BSD-3-Clause"), (V{"MIT", "BSD-3-Clause"}));
  EXPECT_EQ(split_licenses("GPL-2+ with OpenSSL exception"), (V{"GPL-2.0-or-later"}));
  EXPECT_EQ(split_licenses("(MIT OR Apache-2.0) AND ISC"), (V{"MIT", "Apache-2.0", "ISC"}));
  EXPECT_EQ(split_licenses("public domain"), (V{"LicenseRef-public-domain"}));
  EXPECT_EQ(split_licenses(""), V{});
}

TEST(Licenses, Dep5CopyrightFile) {
  std::string_view text =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
      "Upstream-Name: foo\n"
      "\n"
      "Files: *\n"
      "Copyright: 2020 Someone\n"
      "License: GPL-2+\n"
      "\n"
      "Files: lib/*\n"
      "Copyright: 2020 Someone\n"
      "License: BSD-3-clause or Expat\n"
      "\n"
      "License: GPL-2+\n"
      " This program is free software ...\n";
  auto r = licenses_from_copyright(text);
  EXPECT_EQ(r.method, "dep5");
  EXPECT_EQ(r.licenses, (V{"GPL-2.0-or-later", "BSD-3-Clause", "MIT"}));
}

TEST(Licenses, PlainCopyrightFiles) {
  auto r = licenses_from_copyright(
      "This package was debianized by someone.\n"
      "You can redistribute it under the terms of the GNU General Public License version 2.\n"
      "On Debian systems, see /usr/share/common-licenses/GPL-2.\n");
  EXPECT_EQ(r.method, "common-licenses");
  EXPECT_EQ(r.licenses, (V{"GPL-2.0-only"}));

  r = licenses_from_copyright(
      "either version 2.1 of the License, or (at your option) any later version.\n"
      "See /usr/share/common-licenses/LGPL-2.1 and /usr/share/common-licenses/GPL.\n");
  EXPECT_EQ(r.licenses, (V{"LGPL-2.1-or-later"}));

  r = licenses_from_copyright(
      "The overall license for libxcrypt is the GNU Lesser General Public\n"
      "License, version 2.1 (or, at your option, any later version); see COPYING.LIB\n");
  EXPECT_EQ(r.method, "text");
  EXPECT_EQ(r.licenses, (V{"LGPL-2.1-or-later"}));

  r = licenses_from_copyright("All rights reserved.\n");
  EXPECT_TRUE(r.licenses.empty());
  EXPECT_EQ(r.method, "");
}

}  // namespace
}  // namespace waybill::catalog

// Found by fuzz_catalog_pkgdb_apk: a carriage return inside a licence field used to loop forever.
TEST(Licenses, CarriageReturnsTerminate) {
  auto v = waybill::catalog::split_licenses("GPL-2.0-only\rMIT");
  EXPECT_FALSE(v.empty());
  auto w = waybill::catalog::split_licenses("\r\r\r");
  EXPECT_TRUE(w.empty());
  auto x = waybill::catalog::split_licenses("MIT \r\n OR \r Apache-2.0\r");
  EXPECT_EQ(x.size(), 2u);
}
