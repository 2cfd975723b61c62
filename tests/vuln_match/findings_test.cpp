// Whole-SBOM matching: end to end on the shipped firmware, source precedence, distribution data,
// de-duplication, KEV/EPSS enrichment and ordering.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/embedded.h"
#include "pipeline/inventory.h"
#include "vuln_match/match_support.h"

namespace waybill::vuln {
namespace {

using test::component;

std::set<std::string> ids_for(const std::vector<Finding>& fs, const std::string& name) {
  std::set<std::string> out;
  for (const auto& f : fs)
    if (f.component_name == name) out.insert(f.id);
  return out;
}

const Finding* find(const std::vector<Finding>& fs, const std::string& name,
                    const std::string& id) {
  for (const auto& f : fs)
    if (f.component_name == name && f.id == id) return &f;
  return nullptr;
}

// build_inventory on the shipped opkg-defects image, NVD (IoT) + CVE 5 + KEV + EPSS, match.
// Expected sets, worked out by hand from the records:
//  busybox 1.35.0: CVE-2022-28391 (NVD v <= 1.35.0; the other 12 NVD busybox records end before
//    1.35.0); CVE-2024-58251 and CVE-2025-46394 (NVD has no configurations, so CVE 5 decides:
//    BusyBox 0 <= v <= 1.37.0). CVE-2023-42363 is NOT found: NVD has no configurations and the
//    CVE 5 record says only vendor/product "n/a" (a known gap, nothing to match on).
//  dnsmasq 2.90: nothing. CVE-2023-28450 ends at 2.90 exclusive, CVE-2023-49441 is exactly 2.9,
//    the other 9 NVD records end earlier; the CVE 5 dnsmasq records are "n/a" or free text.
//  zlib 1.2.13: CVE-2023-45853 (v <= 1.3). Not CVE-2022-37434 (<= 1.2.12), not CVE-2023-6992
//    (Cloudflare's fork).
//  linux 6.1.176: the 10 records whose one range spans all of 6.1 (see traps_test.cpp); the
//    kernel.org CVE 5 records agree (backports), and CVE-2024-1086's Google CNA range
//    (3.15 <= v < 6.8) is overruled by NVD's configurations (6.1 <= v < 6.1.76).
TEST(Findings, EndToEndOnTheOpkgDefectsImage) {
  WAYBILL_REQUIRE_SHARED(shared);
  auto image = shared / "corpus" / "firmware" / "armhf" / "fw-armhf-opkg-defects.uImage";
  ASSERT_TRUE(std::filesystem::exists(image)) << image;
  pipeline::InventoryOptions io;
  auto inv = pipeline::build_inventory(image.string(), io);
  ASSERT_TRUE(inv.ok()) << inv.error().to_string();
  const auto& comps = inv->sbom.components;
  auto db = test::make_db(
      shared, {"nvd/nvd_iot_cve_2.0.jsonl.xz", "cve5/cve5_records.jsonl.xz",
               "kev/known_exploited_vulnerabilities.json.xz", "epss/epss_api_records.jsonl.xz"});
  ASSERT_TRUE(db);
  auto found = match_components(comps, *db->db, {});
  ASSERT_TRUE(found.ok()) << found.error().to_string();

  std::map<std::string, std::string> version_of;
  for (const auto& c : comps) version_of[c.name] = c.version;
  ASSERT_EQ(version_of["busybox-static"], "1.35.0");
  ASSERT_EQ(version_of["dnsmasq-base"], "2.90");
  ASSERT_EQ(version_of["zlib1g"], "1.2.13");
  ASSERT_EQ(version_of["linux"], "6.1.176");

  EXPECT_EQ(ids_for(*found, "busybox-static"),
            (std::set<std::string>{"CVE-2022-28391", "CVE-2024-58251", "CVE-2025-46394"}));
  EXPECT_EQ(ids_for(*found, "dnsmasq-base"), std::set<std::string>{});
  EXPECT_EQ(ids_for(*found, "zlib1g"), std::set<std::string>{"CVE-2023-45853"});
  EXPECT_EQ(
      ids_for(*found, "linux"),
      (std::set<std::string>{"CVE-2023-3390", "CVE-2023-3776", "CVE-2023-4206", "CVE-2023-4208",
                             "CVE-2023-4244", "CVE-2023-4622", "CVE-2023-5717", "CVE-2023-6932",
                             "CVE-2023-31436", "CVE-2023-32233"}));

  // Each finding explains itself.
  const Finding* bb = find(*found, "busybox-static", "CVE-2022-28391");
  ASSERT_TRUE(bb);
  ASSERT_EQ(bb->matches.size(), 1u);
  EXPECT_EQ(bb->matches[0].source, "nvd");
  EXPECT_NE(bb->matches[0].comparison.find("1.35.0 = 1.35.0"), std::string::npos);
  EXPECT_FALSE(bb->summary.empty());
  EXPECT_NE(bb->severity, "");
  const Finding* c5 = find(*found, "busybox-static", "CVE-2024-58251");
  ASSERT_TRUE(c5);
  EXPECT_EQ(c5->matches[0].source, "cve5");
  EXPECT_EQ(c5->matches[0].method, "cve5-affected");
  EXPECT_EQ(c5->matches[0].range, "v <= 1.37.0 (affected)");
  // Ordered by risk.
  EXPECT_TRUE(std::is_sorted(found->begin(), found->end(), risk_before));
}

class Enrichment : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto shared = test::shared_dir();
    if (!shared) return;
    db_ = test::make_db(
              *shared, {"nvd/nvd_iot_cve_2.0.jsonl.xz", "nvd/nvd_cve_2.0.jsonl.xz",
                        "cve5/cve5_records.jsonl.xz", "kev/known_exploited_vulnerabilities.json.xz",
                        "epss/epss_api_records.jsonl.xz"})
              .release();
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    if (!db_) GTEST_SKIP() << "../shared not found (set WAYBILL_SHARED); skipping real-data test";
  }
  static test::TempDb* db_;
};
test::TempDb* Enrichment::db_ = nullptr;

TEST_F(Enrichment, KevEpssFixedVersionDedupAndOrder) {
  std::vector<model::Component> sbom = {
      component("linux", "6.1.50", "linux:linux_kernel", "o"),
      component("lighttpd", "1.4.60", "lighttpd:lighttpd"),
      component("dnsmasq", "2.86", "thekelleys:dnsmasq"),
  };
  auto found = match_components(sbom, *db_->db, {});
  ASSERT_TRUE(found.ok()) << found.error().to_string();

  // KEV join: CVE-2024-1086 (KEV catalog: added 2024-05-30, due 2024-06-20).
  const Finding* k = find(*found, "linux", "CVE-2024-1086");
  ASSERT_TRUE(k);
  EXPECT_TRUE(k->kev);
  EXPECT_EQ(k->kev_date_added, "2024-05-30");
  EXPECT_EQ(k->kev_due_date, "2024-06-20");
  // NVD and CVE 5 both hold CVE-2024-1086: one finding, decided by NVD's configurations.
  EXPECT_EQ(std::count_if(found->begin(), found->end(),
                          [](const Finding& f) { return f.id == "CVE-2024-1086"; }),
            1);
  for (const auto& m : k->matches) EXPECT_EQ(m.source, "nvd");
  // Fixed version: smallest fix above 6.1.50 among 6.1.76, 6.6.15, 6.7.3.
  EXPECT_EQ(k->fixed_version, "6.1.76");
  const Finding* k2 = find(*found, "linux", "CVE-2024-26642");
  ASSERT_TRUE(k2);
  EXPECT_EQ(k2->fixed_version, "6.1.84");

  // EPSS join (FIRST API records): CVE-2022-22707 lighttpd 1.4.46 <= v <= 1.4.63.
  const Finding* l = find(*found, "lighttpd", "CVE-2022-22707");
  ASSERT_TRUE(l);
  ASSERT_TRUE(l->epss.has_value());
  EXPECT_DOUBLE_EQ(*l->epss, 0.02251);
  EXPECT_DOUBLE_EQ(l->epss_percentile.value_or(0), 0.89327);
  EXPECT_FALSE(l->kev);
  EXPECT_DOUBLE_EQ(l->score, 5.9);  // NVD primary CVSS 3.1
  EXPECT_EQ(l->severity, "medium");
  const Finding* d = find(*found, "dnsmasq", "CVE-2022-0934");
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(d->epss.value_or(0), 0.00163);
  EXPECT_EQ(d->severity, "high");
  EXPECT_EQ(d->fixed_version, "2.87");

  // Order: every KEV finding first, then EPSS x score: lighttpd (0.0225 x 5.9) before dnsmasq
  // (0.00163 x 7.5).
  EXPECT_TRUE(std::is_sorted(found->begin(), found->end(), risk_before));
  auto first_non_kev =
      std::find_if(found->begin(), found->end(), [](const Finding& f) { return !f.kev; });
  EXPECT_TRUE(std::none_of(first_non_kev, found->end(), [](const Finding& f) { return f.kev; }));
  EXPECT_GT(first_non_kev - found->begin(), 3);  // 1086, 50302, 53104, 53150, 53197 at 6.1.50
  auto pos = [&](const Finding* f) { return f - found->data(); };
  EXPECT_LT(pos(l), pos(d));
}

// Debian OSV records made by the test (the shared corpus has no Debian data): when the database
// holds the distro's record for the package, it decides.
TEST_F(Enrichment, DistroDataDecidesForDistroPackages) {
  const std::string debian =
      R"({"id":"DEBIAN-CVE-2022-28391","modified":"2024-01-01T00:00:00Z","published":"2022-04-03T00:00:00Z",)"
      R"("affected":[{"package":{"ecosystem":"Debian:12","name":"busybox"},"ranges":[{"type":"ECOSYSTEM",)"
      R"("events":[{"introduced":"0"},{"fixed":"1:1.35.0-4+deb12u1"}]}]}]})"
      "\n"
      R"({"id":"DEBIAN-CVE-2025-46394","modified":"2025-06-01T00:00:00Z","published":"2025-04-23T00:00:00Z",)"
      R"("affected":[{"package":{"ecosystem":"Debian:12","name":"busybox"},"ranges":[{"type":"ECOSYSTEM",)"
      R"("events":[{"introduced":"0"},{"fixed":"1:1.35.0-4+deb12u2"}]}]}]})"
      "\n";
  auto tmp = test::make_db(*test::shared_dir(),
                           {"nvd/nvd_iot_cve_2.0.jsonl.xz", "cve5/cve5_records.jsonl.xz"});
  ASSERT_TRUE(tmp);
  auto rep = tmp->db->import_buffer(
      "debian-osv.jsonl",
      ByteView(reinterpret_cast<const std::uint8_t*>(debian.data()), debian.size()), {});
  ASSERT_TRUE(rep.ok()) << rep.error().to_string();
  ASSERT_EQ(rep->sources["osv"].inserted, 2u);

  model::Component c = component("busybox-static", "1.35.0", "busybox:busybox");
  c.upstream_name = "busybox";
  c.source_package = "busybox";
  c.ecosystem = "deb";
  c.distro = "debian-12";
  c.package_version = "1:1.35.0-4+deb12u1+b1";
  c.properties["waybill:deb:source_version"] = "1:1.35.0-4+deb12u1";
  c.purl = "pkg:deb/debian/busybox-static@1:1.35.0-4%2Bdeb12u1%2Bb1?arch=armhf&distro=debian-12";
  std::vector<model::Component> sbom{c};

  auto with = match_components(sbom, *tmp->db, {});
  ASSERT_TRUE(with.ok());
  // Debian fixed CVE-2022-28391 in 1:1.35.0-4+deb12u1: the upstream NVD match is suppressed.
  EXPECT_FALSE(find(*with, "busybox-static", "CVE-2022-28391"));
  // Debian's fix for CVE-2025-46394 is later than the installed package: Debian decides.
  const Finding* f = find(*with, "busybox-static", "CVE-2025-46394");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->matches[0].source, "osv:Debian:12");
  EXPECT_EQ(f->matches[0].scheme, "deb");
  EXPECT_EQ(f->matches[0].component_version, "1:1.35.0-4+deb12u1");
  EXPECT_EQ(f->fixed_version, "1:1.35.0-4+deb12u2");
  EXPECT_NE(std::find(f->aliases.begin(), f->aliases.end(), "DEBIAN-CVE-2025-46394"),
            f->aliases.end());
  // No Debian record for CVE-2024-58251: the upstream CVE 5 match stands and says so.
  const Finding* u = find(*with, "busybox-static", "CVE-2024-58251");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->matches[0].source, "cve5");

  MatchOptions no_distro;
  no_distro.distro_data = false;
  auto without = match_components(sbom, *tmp->db, no_distro);
  ASSERT_TRUE(without.ok());
  const Finding* n = find(*without, "busybox-static", "CVE-2022-28391");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->matches[0].source, "nvd");
  const Finding* n2 = find(*without, "busybox-static", "CVE-2025-46394");
  ASSERT_TRUE(n2);
  EXPECT_EQ(n2->matches[0].source, "cve5");
}

TEST(Findings, ComponentKeysIncludeAliases) {
  auto parsed = AliasTable::parse(data::vuln_aliases_json());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_FALSE(AliasTable::parse("[1,2]").ok());
  EXPECT_FALSE(AliasTable::parse(R"({"products":[{"cpes":["novendorproduct"]}]})").ok());
  const AliasTable& t = AliasTable::builtin();
  ASSERT_GT(t.groups.size(), 10u);
  auto has = [](const std::vector<std::string>& v, const std::string& k) {
    return std::find(v.begin(), v.end(), k) != v.end();
  };
  auto k = component_keys(component("linux", "6.1.176", "linux:linux_kernel", "o"), t);
  EXPECT_TRUE(has(k, "cpe:linux:linux_kernel"));
  EXPECT_TRUE(has(k, "cpe:linux:linux"));
  EXPECT_TRUE(has(k, "cpe:linux:kernel"));
  auto e = component_keys(component("expat", "2.5.0", "libexpat_project:libexpat"), t);
  EXPECT_TRUE(has(e, "cpe:libexpat:expat"));
  auto g = component_keys(component("glibc", "2.36", "gnu:glibc"), t);
  EXPECT_TRUE(has(g, "cpe:the_gnu_c_library:glibc"));
  auto dr =
      component_keys(component("dropbear", "2022.83", "dropbear_ssh_project:dropbear_ssh"), t);
  EXPECT_TRUE(has(dr, "cpe:matt_johnston:dropbear_ssh_server"));
  model::Component deb = component("busybox-static", "1.35.0", "busybox:busybox");
  deb.source_package = "busybox";
  deb.ecosystem = "deb";
  deb.distro = "debian-12";
  auto d = component_keys(deb, t);
  EXPECT_TRUE(has(d, "osv:debian:12:busybox"));
  EXPECT_TRUE(has(d, "osv:debian:12:busybox-static"));
  // No guessing from a bare name.
  model::Component bare;
  bare.name = "somethingelse";
  bare.version = "1.0";
  for (const auto& key : component_keys(bare, t)) EXPECT_FALSE(key.starts_with("cpe:")) << key;
  EXPECT_EQ(t.distro_ecosystems("alpine-3.18.4"), std::vector<std::string>{"Alpine:v3.18"});
  EXPECT_EQ(t.purl_ecosystem("golang"), "Go");
}

TEST(Findings, SeverityPreference) {
  std::vector<CvssScore> s(5);
  s[0] = {"nvd@nist.gov", "2.0", "AV:N", 10.0, "HIGH", true};
  s[1] = {"cna@example", "3.1", "CVSS:3.1/x", 5.0, "MEDIUM", false};
  s[2] = {"nvd@nist.gov", "3.0", "CVSS:3.0/x", 6.0, "MEDIUM", true};
  s[3] = {"nvd@nist.gov", "4.0", "CVSS:4.0/x", 8.0, "HIGH", true};
  s[4] = {"nvd@nist.gov", "3.1", "CVSS:3.1/y", 9.1, "CRITICAL", true};
  EXPECT_EQ(pick_severity_score(s), &s[4]);
  s.pop_back();
  EXPECT_EQ(pick_severity_score(s), &s[3]);
  s.pop_back();
  EXPECT_EQ(pick_severity_score(s), &s[2]);
  s.pop_back();
  EXPECT_EQ(pick_severity_score(s), &s[1]);
  s.pop_back();
  EXPECT_EQ(pick_severity_score(s), &s[0]);
  s.clear();
  EXPECT_EQ(pick_severity_score(s), nullptr);
}

}  // namespace
}  // namespace waybill::vuln
