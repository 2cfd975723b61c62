// The documented traps of the shared NVD and CVE 5 records (data/vuln/README.md), one by one,
// on the real records imported into a temporary database.
#include <gtest/gtest.h>

#include <set>

#include "vuln_match/match_support.h"

namespace waybill::vuln {
namespace {

using test::component;

class Traps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto shared = test::shared_dir();
    if (!shared) return;
    db_ = test::make_db(*shared, {"nvd/nvd_iot_cve_2.0.jsonl.xz", "nvd/nvd_cve_2.0.jsonl.xz",
                                  "cve5/cve5_records.jsonl.xz"})
              .release();
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    if (!db_) GTEST_SKIP() << "../shared not found (set WAYBILL_SHARED); skipping real-data test";
  }
  VulnRecord rec(const std::string& id, const std::string& source = "nvd") {
    auto r = test::record(*db_->db, id, source);
    EXPECT_TRUE(r.has_value()) << id << " (" << source << ") not in the database";
    return r.value_or(VulnRecord{});
  }
  // Evaluates one record (by source) against a component alone in its SBOM.
  std::optional<MatchExplanation> eval(const std::string& id, const model::Component& c,
                                       const std::string& source = "nvd", NoMatch* why = nullptr) {
    VulnRecord r = rec(id, source);
    MatchContext ctx;
    return match_record(r, c, ctx, why);
  }
  static test::TempDb* db_;
};
test::TempDb* Traps::db_ = nullptr;

TEST_F(Traps, BusyboxEndIncludingMatchesAtTheBoundary) {
  auto e = eval("CVE-2022-28391", component("busybox", "1.35.0", "busybox:busybox"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "nvd");
  EXPECT_EQ(e->method, "cpe-configuration");
  EXPECT_EQ(e->criteria, "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*");
  EXPECT_NE(e->range.find("versionEndIncluding 1.35.0"), std::string::npos) << e->range;
  EXPECT_NE(e->comparison.find("1.35.0 = 1.35.0"), std::string::npos) << e->comparison;
  EXPECT_EQ(e->scheme, "generic");
  EXPECT_FALSE(eval("CVE-2022-28391", component("busybox", "1.35.1", "busybox:busybox")));
  EXPECT_FALSE(eval("CVE-2022-28391", component("busybox", "1.36.0", "busybox:busybox")));
}

TEST_F(Traps, DnsmasqEndExcludingDoesNotMatchAtTheBoundary) {
  NoMatch why;
  EXPECT_FALSE(
      eval("CVE-2023-28450", component("dnsmasq", "2.90", "thekelleys:dnsmasq"), "nvd", &why));
  EXPECT_NE(why.reason.find("2.90"), std::string::npos) << why.reason;
  EXPECT_TRUE(eval("CVE-2023-28450", component("dnsmasq", "2.89", "thekelleys:dnsmasq")));
}

TEST_F(Traps, Dnsmasq29IsNot290) {
  // CVE-2023-49441 names the exact version 2.9.
  EXPECT_FALSE(eval("CVE-2023-49441", component("dnsmasq", "2.90", "thekelleys:dnsmasq")));
  auto e = eval("CVE-2023-49441", component("dnsmasq", "2.9", "thekelleys:dnsmasq"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->range, "v = 2.9 (criteria version)");
  EXPECT_FALSE(eval("CVE-2023-49441", component("dnsmasq", "2.9.1", "thekelleys:dnsmasq")));
}

TEST_F(Traps, ZlibTwoRangesAround1213) {
  auto z = component("zlib", "1.2.13", "zlib:zlib");
  EXPECT_FALSE(eval("CVE-2022-37434", z));  // <= 1.2.12
  EXPECT_TRUE(eval("CVE-2022-37434", component("zlib", "1.2.12", "zlib:zlib")));
  auto e = eval("CVE-2023-45853", z);  // <= 1.3
  ASSERT_TRUE(e);
  EXPECT_NE(e->comparison.find("1.2.13 < 1.3"), std::string::npos) << e->comparison;
  EXPECT_FALSE(eval("CVE-2023-45853", component("zlib", "1.3.1", "zlib:zlib")));
}

TEST_F(Traps, ExactVersionRecords) {
  EXPECT_TRUE(eval("CVE-2017-8786", component("pcre2", "10.23", "pcre:pcre2")));
  EXPECT_FALSE(eval("CVE-2017-8786", component("pcre2", "10.42", "pcre:pcre2")));
  EXPECT_FALSE(eval("CVE-2017-8786", component("pcre2", "10.230", "pcre:pcre2")));
  EXPECT_FALSE(eval("CVE-2017-8786", component("pcre2", "10.22", "pcre:pcre2")));
  EXPECT_TRUE(eval("CVE-2003-0107", component("zlib", "1.1.4", "zlib:zlib")));
  EXPECT_FALSE(eval("CVE-2003-0107", component("zlib", "1.2.13", "zlib:zlib")));
}

TEST_F(Traps, BoostAndZlibInSeparateConfigurations) {
  // CVE-2016-9840: boost < 1.78.0 first, zlib 1.2.0.6 <= v < 1.2.9 second.
  auto b = eval("CVE-2016-9840", component("boost", "1.77.0", "boost:boost"));
  ASSERT_TRUE(b);
  EXPECT_NE(b->criteria.find("boost:boost"), std::string::npos);
  auto z = eval("CVE-2016-9840", component("zlib", "1.2.8", "zlib:zlib"));
  ASSERT_TRUE(z);
  EXPECT_NE(z->criteria.find("zlib:zlib"), std::string::npos);
  EXPECT_NE(z->comparison.find("configuration 2"), std::string::npos) << z->comparison;
  EXPECT_FALSE(eval("CVE-2016-9840", component("zlib", "1.2.13", "zlib:zlib")));
  EXPECT_FALSE(eval("CVE-2016-9840", component("zlib", "1.2.0.5", "zlib:zlib")));
  // A boost version would never match zlib's criteria and vice versa.
  EXPECT_FALSE(eval("CVE-2016-9840", component("boost", "1.78.0", "boost:boost")));
}

TEST_F(Traps, PcreAndPcre2InOneNode) {
  // CVE-2017-7186: one OR node with pcre:pcre 8.40 and pcre:pcre2 10.23.
  auto a = eval("CVE-2017-7186", component("pcre", "8.40", "pcre:pcre"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->criteria, "cpe:2.3:a:pcre:pcre:8.40:*:*:*:*:*:*:*");
  auto b = eval("CVE-2017-7186", component("pcre2", "10.23", "pcre:pcre2"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->criteria, "cpe:2.3:a:pcre:pcre2:10.23:*:*:*:*:*:*:*");
  EXPECT_FALSE(eval("CVE-2017-7186", component("pcre2", "8.40", "pcre:pcre2")));
  EXPECT_FALSE(eval("CVE-2017-7186", component("pcre", "10.23", "pcre:pcre")));
  EXPECT_FALSE(eval("CVE-2017-7186", component("pcre2", "10.42", "pcre:pcre2")));
}

model::Component netapp(const std::string& product, const char* part) {
  model::Component c;
  c.name = product;
  c.bom_ref = product;
  c.type = part[0] == 'h' ? "device" : "firmware";
  c.cpes.push_back(std::string("cpe:2.3:") + part + ":netapp:" + product + ":-:*:*:*:*:*:*:*");
  return c;
}

TEST_F(Traps, AndConfigurationNeedsThePlatformInTheSbom) {
  // CVE-2022-1587: AND(netapp h300s_firmware vulnerable, netapp h300s hardware platform).
  VulnRecord r = rec("CVE-2022-1587");
  auto fw = netapp("h300s_firmware", "o");
  std::vector<model::Component> alone{fw};
  MatchContext ctx;
  ctx.sbom = alone;
  NoMatch why;
  // Nothing in the SBOM satisfies the platform node: the configuration does not apply.
  EXPECT_FALSE(match_configurations(r, alone[0], ctx, &why));
  EXPECT_NE(why.reason.find("requires platform cpe:2.3:h:netapp:h300s:-"), std::string::npos)
      << why.reason;
  std::vector<model::Component> with_hw{fw, netapp("h300s", "h")};
  ctx.sbom = with_hw;
  auto e = match_configurations(r, with_hw[0], ctx);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->criteria, "cpe:2.3:o:netapp:h300s_firmware:-:*:*:*:*:*:*:*");
  EXPECT_NE(e->comparison.find("running on cpe:2.3:h:netapp:h300s:-"), std::string::npos)
      << e->comparison;
  // The platform itself is not vulnerable.
  EXPECT_FALSE(match_configurations(r, with_hw[1], ctx));
  // pcre2 matches through its own configuration, independent of the NetApp ones.
  EXPECT_TRUE(match_configurations(r, component("pcre2", "10.39", "pcre:pcre2"), ctx));
  EXPECT_FALSE(match_configurations(r, component("pcre2", "10.40", "pcre:pcre2"), ctx));
}

TEST_F(Traps, KernelUpdateFieldIsAnExactVersion) {
  // CVE-2024-1086: "cpe:2.3:o:linux:linux_kernel:6.8:rc1" next to 6.7 <= v < 6.7.3.
  auto k = [](const std::string& v) { return component("linux", v, "linux:linux_kernel", "o"); };
  auto e = eval("CVE-2024-1086", k("6.8-rc1"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->criteria, "cpe:2.3:o:linux:linux_kernel:6.8:rc1:*:*:*:*:*:*");
  EXPECT_FALSE(eval("CVE-2024-1086", k("6.8")));
  EXPECT_FALSE(eval("CVE-2024-1086", k("6.8-rc2")));
  EXPECT_TRUE(eval("CVE-2024-1086", k("6.7.2")));
  EXPECT_FALSE(eval("CVE-2024-1086", k("6.7.3")));
  EXPECT_TRUE(eval("CVE-2024-1086", k("6.1.75")));
  EXPECT_FALSE(eval("CVE-2024-1086", k("6.1.76")));
}

// The 32 kernel records against 6.1.176, expectation worked out by hand from the configurations:
//  - one range spanning all of 6.1 (10): CVE-2023-3390 (3.16 <= v < 6.4), CVE-2023-3776
//    (2.6 <= v < 6.5), CVE-2023-4206, -4208, -4244 (v < 6.5), CVE-2023-4622 (v <= 6.4.15),
//    CVE-2023-5717 (4.4 <= v < 6.6), CVE-2023-6932 (2.6.12 <= v < 6.7), CVE-2023-31436
//    (v < 6.2.13), CVE-2023-32233 (v <= 6.3.1);
//  - fixed inside 6.1 before .176 (19): CVE-2023-0266 (6.1.6), -0461 (6.1.5), -1829 (6.1.18),
//    -2163 (6.1.26), -3609 (6.1.35), -6817 (6.1.68), CVE-2024-1085 (6.1.75), -1086 (6.1.76),
//    -26581 (6.1.78), -26642 (6.1.84), -26809 (6.1.83), -27397 (6.1.97), -41009 (6.1.97),
//    -50264, -50302, -53104 (6.1.117), -53150, -53197 (6.1.120), CVE-2025-21756 (6.1.131);
//  - not 6.1 at all (3): CVE-2022-2588 (<= 5.19.17), CVE-2023-35001 (3.13-rc1 only),
//    CVE-2023-4623 (<= 2.5.75 and 2.6.12-rc1; NVD data errors kept as published).
TEST_F(Traps, Kernel61176AgainstAllKernelRecords) {
  const std::set<std::string> expected = {
      "CVE-2023-3390", "CVE-2023-3776", "CVE-2023-4206", "CVE-2023-4208",  "CVE-2023-4244",
      "CVE-2023-4622", "CVE-2023-5717", "CVE-2023-6932", "CVE-2023-31436", "CVE-2023-32233"};
  const std::vector<std::string> all = {
      "CVE-2022-2588",  "CVE-2023-0266",  "CVE-2023-0461",  "CVE-2023-1829",  "CVE-2023-2163",
      "CVE-2023-3390",  "CVE-2023-3609",  "CVE-2023-3776",  "CVE-2023-4206",  "CVE-2023-4208",
      "CVE-2023-4244",  "CVE-2023-4622",  "CVE-2023-4623",  "CVE-2023-5717",  "CVE-2023-6817",
      "CVE-2023-6932",  "CVE-2023-31436", "CVE-2023-32233", "CVE-2023-35001", "CVE-2024-1085",
      "CVE-2024-1086",  "CVE-2024-26581", "CVE-2024-26642", "CVE-2024-26809", "CVE-2024-27397",
      "CVE-2024-41009", "CVE-2024-50264", "CVE-2024-50302", "CVE-2024-53104", "CVE-2024-53150",
      "CVE-2024-53197", "CVE-2025-21756"};
  ASSERT_EQ(all.size(), 32u);
  auto k = component("linux", "6.1.176", "linux:linux_kernel", "o");
  std::set<std::string> got;
  for (const auto& id : all)
    if (eval(id, k)) got.insert(id);
  EXPECT_EQ(got, expected);
  // The data-error records match what they say.
  EXPECT_TRUE(eval("CVE-2023-35001", component("linux", "3.13-rc1", "linux:linux_kernel", "o")));
  EXPECT_TRUE(eval("CVE-2023-4623", component("linux", "2.6.12-rc1", "linux:linux_kernel", "o")));
  EXPECT_FALSE(eval("CVE-2023-4623", component("linux", "2.6.12", "linux:linux_kernel", "o")));
}

// ---- CVE 5 ----

model::Component kernel(const std::string& v) {
  return component("linux", v, "linux:linux_kernel", "o");
}

TEST_F(Traps, Cve5KernelOrgBackportRanges) {
  // CVE-2024-26642 (kernel.org CNA): git ranges, then defaultStatus affected with 4.1 affected,
  // 0 <= v < 4.1 unaffected, 6.1.84 <= v <= 6.1.* unaffected ... 6.8 <= v <= * unaffected.
  NoMatch why;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("6.1.176"), {}, &why));
  EXPECT_NE(why.reason.find("unaffected"), std::string::npos) << why.reason;
  EXPECT_NE(why.reason.find("6.1.84 <= v <= 6.1.*"), std::string::npos) << why.reason;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("6.1.84"), {}));
  auto e = match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("6.1.83"), {});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->method, "cve5-affected");
  EXPECT_EQ(e->range, "defaultStatus affected");
  EXPECT_NE(e->criteria.find("linux:linux"), std::string::npos) << e->criteria;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("4.0"), {}));  // 0..<4.1
  EXPECT_TRUE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("4.1"), {}));
  EXPECT_TRUE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("6.2.5"), {}));
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("6.8"), {}));
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-26642", "cve5"), kernel("6.12.3"), {}));
  // CVE-2024-27397: 6.1.97 <= v <= 6.1.* unaffected (semver versionType).
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-27397", "cve5"), kernel("6.1.176"), {}));
  EXPECT_TRUE(match_cve5_affected(rec("CVE-2024-27397", "cve5"), kernel("6.1.96"), {}));
  // Every kernel.org record leaves 6.1.176 unaffected (all fixed in 6.1 before .176).
  for (const char* id :
       {"CVE-2024-26581", "CVE-2024-26642", "CVE-2024-26809", "CVE-2024-27397", "CVE-2024-41009",
        "CVE-2024-50264", "CVE-2024-50302", "CVE-2024-53104", "CVE-2024-53150", "CVE-2025-21756"})
    EXPECT_FALSE(match_record(rec(id, "cve5"), kernel("6.1.176"), {})) << id;
  // Google CNA CVE-2024-1086: Linux/Kernel 3.15 <= v < 6.8 (no backport data) -> affected.
  auto g = match_cve5_affected(rec("CVE-2024-1086", "cve5"), kernel("6.1.176"), {});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->range, "3.15 <= v < 6.8 (affected)");
}

TEST_F(Traps, Cve5CloudflareZlibForkIsNotZlib) {
  auto z = component("zlib", "1.2.13", "zlib:zlib");
  NoMatch why;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2023-6992", "cve5"), z, {}, &why));
  EXPECT_NE(why.reason.find("no affected entry names"), std::string::npos) << why.reason;
  for (const auto& k : component_keys(z, AliasTable::builtin()))
    EXPECT_EQ(k.find("cloudflare"), std::string::npos) << k;
}

TEST_F(Traps, Cve5OddVersionStrings) {
  // "< 3.49.1" (CVE-2025-3277)
  auto s = match_cve5_affected(rec("CVE-2025-3277", "cve5"),
                               component("sqlite", "3.40.1", "sqlite:sqlite"), {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->range, "v < 3.49.1 (affected)");
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2025-3277", "cve5"),
                                   component("sqlite", "3.49.1", "sqlite:sqlite"), {}));
  // ">= 1.6.0, < 1.6.51" (CVE-2025-64720, vendor pnggroup is an alias of libpng)
  auto p = match_cve5_affected(rec("CVE-2025-64720", "cve5"),
                               component("libpng", "1.6.39", "libpng:libpng"), {});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->range, "1.6.0 <= v < 1.6.51 (affected)");
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2025-64720", "cve5"),
                                   component("libpng", "1.5.30", "libpng:libpng"), {}));
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2025-64720", "cve5"),
                                   component("libpng", "1.6.51", "libpng:libpng"), {}));
  // "= 10.45" (CVE-2025-58050)
  EXPECT_TRUE(match_cve5_affected(rec("CVE-2025-58050", "cve5"),
                                  component("pcre2", "10.45", "pcre:pcre2"), {}));
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2025-58050", "cve5"),
                                   component("pcre2", "10.42", "pcre:pcre2"), {}));
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2025-58050", "cve5"),
                                   component("pcre2", "10.450", "pcre:pcre2"), {}));
  // "n/a" vendor/product names nothing; free text never read as a version.
  NoMatch why;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2023-49441", "cve5"),
                                   component("dnsmasq", "2.9", "thekelleys:dnsmasq"), {}, &why));
  EXPECT_TRUE(why.reason.starts_with("undetermined")) << why.reason;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2021-3448", "cve5"),
                                   component("dnsmasq", "2.84", "thekelleys:dnsmasq"), {}));
}

TEST_F(Traps, Cve5AliasesAndAdpCpes) {
  // glibc CNA "The GNU C Library"/glibc, 2.1.93 <= v < 2.40.
  auto g = match_cve5_affected(rec("CVE-2024-2961", "cve5"),
                               component("glibc", "2.36", "gnu:glibc"), {});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->range, "2.1.93 <= v < 2.40 (affected)");
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-2961", "cve5"),
                                   component("glibc", "2.40", "gnu:glibc"), {}));
  // CISA ADP writes libexpat:expat for CVE-2024-45491; the component says libexpat_project.
  auto x = match_cve5_affected(rec("CVE-2024-45491", "cve5"),
                               component("expat", "2.5.0", "libexpat_project:libexpat"), {});
  ASSERT_TRUE(x);
  EXPECT_NE(x->criteria.find("CISA-ADP"), std::string::npos) << x->criteria;
  EXPECT_FALSE(match_cve5_affected(rec("CVE-2024-45491", "cve5"),
                                   component("expat", "2.6.3", "libexpat_project:libexpat"), {}));
  // BusyBox "0" <= v <= 1.37.0 (semver).
  EXPECT_TRUE(match_record(rec("CVE-2024-58251", "cve5"),
                           component("busybox", "1.35.0", "busybox:busybox"), {}));
  EXPECT_FALSE(match_record(rec("CVE-2024-58251", "cve5"),
                            component("busybox", "1.37.1", "busybox:busybox"), {}));
  // OpenSSL letter versions, custom scheme: 1.1.1 <= v < 1.1.1x (CVE-2024-0727).
  EXPECT_TRUE(match_record(rec("CVE-2024-0727", "cve5"),
                           component("openssl", "1.1.1w", "openssl:openssl"), {}));
  EXPECT_FALSE(match_record(rec("CVE-2024-0727", "cve5"),
                            component("openssl", "1.1.1x", "openssl:openssl"), {}));
  EXPECT_FALSE(match_record(rec("CVE-2024-0727", "cve5"),
                            component("openssl", "3.0.20", "openssl:openssl"), {}));
  EXPECT_TRUE(match_record(rec("CVE-2024-0727", "cve5"),
                           component("openssl", "3.0.12", "openssl:openssl"), {}));
}

TEST_F(Traps, RecordsWithoutConfigurationsAreUndetermined) {
  NoMatch why;
  EXPECT_FALSE(match_configurations(rec("CVE-2024-58251"),
                                    component("busybox", "1.35.0", "busybox:busybox"), {}, &why));
  EXPECT_TRUE(why.reason.starts_with("undetermined")) << why.reason;
}

}  // namespace
}  // namespace waybill::vuln
