#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/binary/signature_table.h"
#include "catalog/component_db.h"
#include "support/support.h"

namespace waybill::catalog {
namespace {

TEST(ComponentDb, AliasesAndCanonicalNames) {
  const auto* c = lookup_component("libssl3");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name, "openssl");
  EXPECT_EQ(lookup_component("openssl"), c);
  ASSERT_NE(lookup_component("dropbear-bin"), nullptr);
  EXPECT_GE(lookup_component("dropbear-bin")->cpes.size(), 2u);
  EXPECT_EQ(lookup_component("libip4tc2")->name, "iptables");
  EXPECT_EQ(lookup_component("libnl-genl-3-200")->name, "libnl");
  EXPECT_EQ(lookup_component("nonexistent-thing"), nullptr);
  EXPECT_GE(all_components().size(), 60u);
}

TEST(ComponentDb, EverySignatureComponentIsKnown) {
  for (const auto& s : SignatureTable::builtin().all()) {
    const auto* c = lookup_component(s.name);
    ASSERT_NE(c, nullptr) << s.id << " -> " << s.name;
    EXPECT_EQ(c->name, s.name);
    EXPECT_FALSE(c->license.empty()) << s.name;
  }
}

TEST(ComponentDb, CoversGroundTruthPackages) {
  WAYBILL_REQUIRE_SHARED(shared);
  auto truth = nlohmann::json::parse(
      test::read_text(shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img.truth.json"));
  int n = 0;
  for (const auto& t : truth["components"]) {
    std::string name = t["name"];
    const auto* c = lookup_component(name);
    EXPECT_NE(c, nullptr) << name;
    // "wpa" builds both hostapd and wpa_supplicant, so it is deliberately not an alias.
    if (c && t["source_package"] != "wpa") {
      EXPECT_FALSE(c->supplier.empty()) << name;
      EXPECT_NE(lookup_component(t["source_package"].get<std::string>()), nullptr)
          << t["source_package"];
    }
    ++n;
  }
  EXPECT_EQ(n, 37);
}

TEST(ComponentDb, Cpe23Escaping) {
  EXPECT_EQ(make_cpe23("openssl:openssl", "3.0.20"),
            "cpe:2.3:a:openssl:openssl:3.0.20:*:*:*:*:*:*:*");
  EXPECT_EQ(make_cpe23("w1.fi:hostapd", ""), "cpe:2.3:a:w1.fi:hostapd:*:*:*:*:*:*:*:*");
  EXPECT_EQ(make_cpe23("linux:linux_kernel", "6.1.176", "o"),
            "cpe:2.3:o:linux:linux_kernel:6.1.176:*:*:*:*:*:*:*");
  EXPECT_EQ(make_cpe23("busybox:busybox", "1.35.0+git:x*y?"),
            "cpe:2.3:a:busybox:busybox:1.35.0\\+git\\:x\\*y\\?:*:*:*:*:*:*:*");
  EXPECT_EQ(make_cpe23("Vendor:Pro duct", "1.0 beta"),
            "cpe:2.3:a:vendor:pro_duct:1.0_beta:*:*:*:*:*:*:*");
}

TEST(LibraryFiles, VersionOnlyWhereTheNameCarriesIt) {
  auto f = lookup_library_file("libz.so.1.2.13");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->project, "zlib");
  EXPECT_EQ(f->version, "1.2.13");
  f = lookup_library_file("libcap.so.2.66");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->version, "2.66");
  f = lookup_library_file("libpng16.so.16.39.0");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->version, "1.6.39");
  f = lookup_library_file("libglib-2.0.so.0.7400.6");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->version, "2.74.6");
  f = lookup_library_file("libnl-3.so.200.26.0");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->project, "libnl");
  EXPECT_EQ(f->version, "");
  f = lookup_library_file("libssl.so.3");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->version, "");  // not OpenSSL "3"
  EXPECT_FALSE(lookup_library_file("libfoo.so.1"));
}

}  // namespace
}  // namespace waybill::catalog
