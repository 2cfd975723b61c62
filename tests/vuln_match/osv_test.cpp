// OSV records (Go SEMVER ranges, OSS-Fuzz GIT ranges, distribution samples) against components.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "vuln_match/match_support.h"

namespace waybill::vuln {
namespace {

using nlohmann::json;

std::vector<json> read_jsonl_xz(const std::filesystem::path& p) {
  std::vector<json> out;
  FILE* f = popen(("xz -dc '" + p.string() + "'").c_str(), "r");
  if (!f) return out;
  std::string acc;
  char buf[65536];
  while (std::size_t n = fread(buf, 1, sizeof buf, f)) acc.append(buf, n);
  pclose(f);
  std::size_t pos = 0;
  while (pos < acc.size()) {
    auto nl = acc.find('\n', pos);
    if (nl == std::string::npos) nl = acc.size();
    if (nl > pos) out.push_back(json::parse(acc.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  return out;
}

class Osv : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto shared = test::shared_dir();
    if (!shared) return;
    shared_ = *shared;
    db_ = test::make_db(*shared, {"osv/osv_go.jsonl.xz", "osv/osv_oss-fuzz.jsonl.xz",
                                  "osv/osv_distro_samples.jsonl.xz"})
              .release();
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    if (!db_) GTEST_SKIP() << "../shared not found (set WAYBILL_SHARED); skipping real-data test";
  }
  VulnRecord rec(const std::string& id) {
    auto r = test::record(*db_->db, id, "osv");
    EXPECT_TRUE(r.has_value()) << id << " not in the database";
    return r.value_or(VulnRecord{});
  }
  static test::TempDb* db_;
  static std::filesystem::path shared_;
};
test::TempDb* Osv::db_ = nullptr;
std::filesystem::path Osv::shared_;

model::Component go_module(const std::string& module, const std::string& version) {
  model::Component c;
  c.name = module;
  c.version = version;
  c.ecosystem = "golang";
  c.purl = "pkg:golang/" + module + "@v" + version;
  c.bom_ref = c.purl;
  return c;
}

// Every Go record with one affected package and one SEMVER range introduced X / fixed Y:
// X matches, Y does not (the fixed event is exclusive).
TEST_F(Osv, GoSemverIntroducedFixed) {
  int checked = 0;
  for (const auto& d : read_jsonl_xz(test::vuln_data(shared_, "osv/osv_go.jsonl.xz"))) {
    if (d.contains("withdrawn")) continue;
    const auto& aff = d.at("affected");
    if (aff.size() != 1 || aff[0].value("ranges", json::array()).size() != 1) continue;
    const auto& range = aff[0]["ranges"][0];
    if (range.value("type", "") != "SEMVER") continue;
    const auto& ev = range.at("events");
    if (ev.size() != 2 || !ev[0].contains("introduced") || !ev[1].contains("fixed")) continue;
    std::string id = d.at("id"), module = aff[0]["package"]["name"];
    std::string intro = ev[0]["introduced"], fixed = ev[1]["fixed"];
    VulnRecord r = rec(id);
    MatchContext ctx;
    if (intro != "0") {
      auto e = match_osv_affected(r, go_module(module, intro), ctx);
      EXPECT_TRUE(e) << id << " at introduced " << intro;
      if (e) {
        EXPECT_EQ(e->source, "osv");
        EXPECT_EQ(e->method, "osv-range");
        EXPECT_EQ(e->scheme, "semver");
        EXPECT_EQ(e->range, intro + " <= v < " + fixed + " (SEMVER)");
      }
    }
    NoMatch why;
    EXPECT_FALSE(match_osv_affected(r, go_module(module, fixed), ctx, &why))
        << id << " at fixed " << fixed;
    EXPECT_NE(why.reason.find(fixed), std::string::npos) << why.reason;
    // Another module with the same version never matches.
    EXPECT_FALSE(
        match_osv_affected(r, go_module(module + "x", intro == "0" ? "0.0.1" : intro), ctx));
    ++checked;
  }
  EXPECT_GT(checked, 200);
}

TEST_F(Osv, GoPrereleaseBeforeFixIsAffected) {
  // GO-2021-0090: 0.33.0 <= v < 0.34.0-dev1.0.20200702134149-480b995a3172 (a Go pseudo-version).
  VulnRecord r = rec("GO-2021-0090");
  const std::string m = "github.com/tendermint/tendermint";
  EXPECT_TRUE(match_osv_affected(r, go_module(m, "0.33.9"), {}));
  EXPECT_TRUE(match_osv_affected(r, go_module(m, "0.34.0-dev1.0.20200101000000-000000000000"), {}));
  EXPECT_FALSE(match_osv_affected(r, go_module(m, "0.34.0"), {}));
  EXPECT_FALSE(match_osv_affected(r, go_module(m, "0.32.9"), {}));
}

TEST_F(Osv, WithdrawnNeverMatches) {
  int checked = 0;
  for (const auto& d : read_jsonl_xz(test::vuln_data(shared_, "osv/osv_go.jsonl.xz"))) {
    if (!d.contains("withdrawn")) continue;
    VulnRecord r = rec(d.at("id"));
    EXPECT_TRUE(r.withdrawn) << r.id;
    for (const auto& a : r.affected) {
      NoMatch why;
      EXPECT_FALSE(match_record(r, go_module(a.package, "0.0.1"), {}, &why));
      EXPECT_NE(why.reason.find("withdrawn"), std::string::npos);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

TEST_F(Osv, OssFuzzGitOnlyIsExplainedNotMatched) {
  // OSV-2017-10: open62541, GIT range only, empty versions list.
  VulnRecord r = rec("OSV-2017-10");
  model::Component c;
  c.name = c.upstream_name = "open62541";
  c.version = "1.3.5";
  NoMatch why;
  EXPECT_FALSE(match_osv_affected(r, c, {}, &why));
  EXPECT_NE(why.reason.find("only GIT ranges"), std::string::npos) << why.reason;
  // OSV-2017-101: GIT range plus a versions list (git tags) -> the listed versions match.
  VulnRecord r2 = rec("OSV-2017-101");
  c.version = "0.2.1";
  auto e = match_osv_affected(r2, c, {});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->method, "osv-versions");
  c.version = "1.3.5";
  EXPECT_FALSE(match_osv_affected(r2, c, {}, &why));
  EXPECT_NE(why.reason.find("GIT ranges skipped"), std::string::npos) << why.reason;
}

model::Component alpine_pkg(const std::string& name, const std::string& ver,
                            const std::string& distro) {
  model::Component c;
  c.name = c.source_package = c.upstream_name = name;
  c.ecosystem = "apk";
  c.distro = distro;
  c.package_version = ver;
  c.version = ver.substr(0, ver.find('-'));
  c.purl = "pkg:apk/alpine/" + name + "@" + ver;
  return c;
}

TEST_F(Osv, AlpineUsesApkOrderPerRelease) {
  // CVE-2022-27449 mariadb: Alpine v3.16 fixed 10.6.8-r0, v3.13 fixed 10.5.16-r0.
  VulnRecord r = rec("CVE-2022-27449");
  auto e = match_osv_affected(r, alpine_pkg("mariadb", "10.6.7-r3", "alpine-3.16.2"), {});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "osv:Alpine:v3.16");
  EXPECT_EQ(e->method, "distro-package");
  EXPECT_EQ(e->scheme, "apk");
  EXPECT_EQ(e->component_version, "10.6.7-r3");
  // apk: _rc sorts before the release, -r revisions after.
  EXPECT_TRUE(match_osv_affected(r, alpine_pkg("mariadb", "10.6.8_rc1-r0", "alpine-3.16"), {}));
  EXPECT_FALSE(match_osv_affected(r, alpine_pkg("mariadb", "10.6.8-r0", "alpine-3.16"), {}));
  EXPECT_FALSE(match_osv_affected(r, alpine_pkg("mariadb", "10.6.8-r1", "alpine-3.16"), {}));
  EXPECT_FALSE(match_osv_affected(r, alpine_pkg("mariadb", "10.6.10-r0", "alpine-3.16"), {}));
  // The same version on v3.13 (fixed 10.5.16-r0) is past the fix there.
  EXPECT_FALSE(match_osv_affected(r, alpine_pkg("mariadb", "10.6.7-r3", "alpine-3.13"), {}));
  EXPECT_TRUE(match_osv_affected(r, alpine_pkg("mariadb", "10.5.15-r0", "alpine-3.13"), {}));
  // A release with no entry: not named.
  NoMatch why;
  EXPECT_FALSE(match_osv_affected(r, alpine_pkg("mariadb", "10.6.7-r3", "alpine-3.19"), {}, &why));
  EXPECT_NE(why.reason.find("no affected entry"), std::string::npos) << why.reason;
}

TEST_F(Osv, UbuntuProEcosystem) {
  VulnRecord r = rec("UBUNTU-CVE-2025-38094");
  model::Component c;
  c.name = c.source_package = "linux";
  c.ecosystem = "deb";
  c.distro = "ubuntu-14.04";
  c.package_version = "3.13.0-24.46";
  c.version = "3.13.0";
  auto e = match_osv_affected(r, c, {});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "osv:Ubuntu:Pro:14.04:LTS");
  EXPECT_EQ(e->scheme, "deb");
  EXPECT_EQ(e->component_version, "3.13.0-24.46");
  c.distro = "ubuntu-22.04";
  EXPECT_FALSE(match_osv_affected(r, c, {}));
}

TEST_F(Osv, MavenByPurl) {
  VulnRecord r = rec("GHSA-838r-hvwh-24h8");
  model::Component c;
  c.name = "apache-any23";
  c.version = "2.4";
  c.purl = "pkg:maven/org.apache.any23/apache-any23@2.4";
  auto e = match_osv_affected(r, c, {});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->criteria, "Maven/org.apache.any23:apache-any23");
  c.version = "2.5";
  c.purl = "pkg:maven/org.apache.any23/apache-any23@2.5";
  EXPECT_FALSE(match_osv_affected(r, c, {}));
}

}  // namespace
}  // namespace waybill::vuln
