// Version schemes: known pitfalls per scheme (dpkg/rpm/apk docs and test suites, real versions
// from the shared NVD/OSV records) and ordering properties on random and curated strings.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/support.h"
#include "vuln/version/scheme.h"

using waybill::vuln::scheme_for_ecosystem;
using waybill::vuln::version_scheme;
using waybill::vuln::version_schemes;
using waybill::vuln::VersionScheme;

namespace {

struct Case {
  const char* a;
  const char* b;
  int expected;  // sign of compare(a, b)
};

int sgn(int v) {
  return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

void check_table(const char* id, const std::vector<Case>& cases) {
  const VersionScheme& s = version_scheme(id);
  ASSERT_EQ(s.describe().id, id);
  for (const Case& c : cases) {
    EXPECT_EQ(sgn(s.compare(c.a, c.b)), c.expected)
        << id << ": compare(" << c.a << ", " << c.b << ")";
    EXPECT_EQ(sgn(s.compare(c.b, c.a)), -c.expected)
        << id << ": compare(" << c.b << ", " << c.a << ")";
  }
}

}  // namespace

TEST(VersionSchemes, RegistryHasFiveSchemesAndFallsBackToGeneric) {
  ASSERT_EQ(version_schemes().size(), 5u);
  for (const char* id : {"deb", "rpm", "apk", "semver", "generic"})
    EXPECT_NE(version_schemes().find(id), nullptr) << id;
  EXPECT_EQ(version_scheme("no-such-scheme").describe().id, "generic");
}

TEST(VersionSchemes, EcosystemMapping) {
  struct {
    const char* eco;
    const char* id;
  } rows[] = {{"Debian:12", "deb"},
              {"debian", "deb"},
              {"Ubuntu:Pro:14.04:LTS", "deb"},
              {"Alpine:v3.18", "apk"},
              {"ALPINE:v3.12", "apk"},
              {"Red Hat", "rpm"},
              {"Red Hat:enterprise_linux:9", "rpm"},
              {"AlmaLinux:8", "rpm"},
              {"Rocky Linux:9", "rpm"},
              {"openSUSE:Leap 15.5", "rpm"},
              {"SUSE:Linux Enterprise Server 15", "rpm"},
              {"Go", "semver"},
              {"npm", "semver"},
              {"crates.io", "semver"},
              {"NuGet", "semver"},
              {"Hex", "semver"},
              {"Pub", "semver"},
              {"Maven", "generic"},
              {"OSS-Fuzz", "generic"},
              {"PyPI", "generic"},
              {"", "generic"},
              {"Gopher", "generic"}};
  for (const auto& r : rows) EXPECT_EQ(scheme_for_ecosystem(r.eco).describe().id, r.id) << r.eco;
}

TEST(VersionDeb, Pitfalls) {
  check_table("deb", {
                         {"1:1.0", "2.0", 1},                     // epoch wins
                         {"2:1.0", "1:9.9", 1},                   //
                         {"0:1.0", "1.0", 0},                     // absent epoch = 0
                         {"1.0~rc1", "1.0", -1},                  // ~ before everything
                         {"1.0~~", "1.0~~a", -1},                 // deb-version(7) example
                         {"1.0~~a", "1.0~", -1},                  //
                         {"1.0~", "1.0", -1},                     //
                         {"1.0", "1.0a", -1},                     //
                         {"1.0a", "1.0+", -1},                    // letters before non-letters
                         {"1.0a", "1.0.1", -1},                   //
                         {"1.0~beta1~svn1245", "1.0~beta1", -1},  //
                         {"1.0-1", "1.0-1+deb12u1", -1},          //
                         {"1.35.0-4+deb12u1", "1.35.0-4+deb12u1+b1", -1},
                         {"1.01", "1.1", 0},                    // leading zeros
                         {"1.0", "1.0-0", 0},                   // absent revision = 0
                         {"1.2.3-2", "1.2.3-10", -1},           // digit runs numerically
                         {"0.9.8", "0.10", -1},                 //
                         {"3.0.11-1~deb12u2", "3.0.11-1", -1},  // backport before release
                         {"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1},
                         {"9.2p1-2+deb12u2", "9.2p1-2+deb12u3", -1},
                         {"2.8.95~2430-0ubuntu5.1", "2.8.94-0ubuntu1.4", 1},  // NVD CVE-2014-1424
                         {"1.0+dfsg-1", "1.0-1", 1},                          //
                         {"1.0-1ubuntu1", "1.0-1", 1},                        //
                         {"1.0-1", "1.0.1-1", -1},                            //
                         {"1:2.3-1", "1:2.3-1", 0},                           //
                     });
}

TEST(VersionDeb, Validity) {
  const VersionScheme& s = version_scheme("deb");
  for (const char* v : {"1.0", "1:2.0-1", "1.35.0-4+deb12u1+b1", "2.8.95~2430-0ubuntu5.1", "0"})
    EXPECT_TRUE(s.valid(v)) << v;
  for (const char* v : {"", "abc", "x:1.0", "1.0-", "1.0 beta", "-1", "1.0-a_b"})
    EXPECT_FALSE(s.valid(v)) << v;
}

TEST(VersionRpm, Pitfalls) {
  // Most rows from rpm's own tests/rpmvercmp.at.
  check_table("rpm", {
                         {"1.0", "1.0", 0},
                         {"1.0", "2.0", -1},
                         {"2.0.1", "2.0", 1},
                         {"2.0.1a", "2.0.1", 1},  // a letter run after the end is newer
                         {"5.5p1", "5.5p2", -1},
                         {"5.5p10", "5.5p1", 1},
                         {"10xyz", "10.1xyz", -1},
                         {"xyz10", "xyz10.1", -1},
                         {"xyz.4", "8", -1},  // letters older than digits
                         {"1.0aa", "1.0a", 1},
                         {"1.05", "1.5", 0},  // leading zeros
                         {"1.0010", "1.9", 1},
                         {"a+", "a_", 0},         // separators only separate
                         {"1.0~rc1", "1.0", -1},  // ~ sorts before the end
                         {"1.0~rc1", "1.0~rc2", -1},
                         {"1.0~rc1~git123", "1.0~rc1", -1},
                         {"1.0^", "1.0", 1},        // ^ sorts after the end ...
                         {"1.0^git1", "1.01", -1},  // ... but before more version
                         {"1.0^git1", "1.0a", -1},
                         {"1.0^20160101", "1.0^20160102", -1},
                         {"1.0^20160101^git1", "1.0^20160101", 1},
                         {"1.0~rc1^git1", "1.0~rc1", 1},
                         {"1.0^git1~pre", "1.0^git1", -1},
                         {"1:1.0", "2.0", 1},  // epoch
                         {"0:1.0", "1.0", 0},
                         {"1.0-1", "1.0-2", -1},  // release
                         {"1.0-1.el8", "1.0-1.el9", -1},
                         {"2.0.1-2.el8_7", "2.0.1-2.el8_8", -1},
                         {"1.0", "1.0-1", -1},  // absent release first (documented)
                         {"3.0.7-27.el9", "3.0.7-24.el9", 1},
                     });
}

TEST(VersionApk, Pitfalls) {
  check_table("apk", {
                         {"1.0", "1.0.1", -1},
                         {"1.0_alpha", "1.0_beta", -1},
                         {"1.0_beta", "1.0_pre", -1},
                         {"1.0_pre", "1.0_rc", -1},
                         {"1.0_rc", "1.0", -1},
                         {"1.0", "1.0_cvs", -1},
                         {"1.0_cvs", "1.0_svn", -1},
                         {"1.0_svn", "1.0_git", -1},
                         {"1.0_git", "1.0_hg", -1},
                         {"1.0_hg", "1.0_p1", -1},
                         {"1.0_rc9", "1.0_rc10", -1},
                         {"1.0a", "1.0", 1},
                         {"1.0a", "1.0b", -1},
                         {"1.0a", "1.0.1", -1},
                         {"1.0-r9", "1.0-r10", -1},
                         {"10.4.25-r0", "10.5.16-r0", -1},  // OSV Alpine mariadb fixes
                         {"10.6.8-r0", "10.6.7-r3", 1},
                         {"1.2.3_p1-r0", "1.2.3-r5", 1},
                         {"1.0_rc1-r5", "1.0-r0", -1},
                         {"1.02", "1.1", -1},  // fractional rule
                         {"2.0", "1.99999", 1},
                         {"1.36.1-r2", "1.36.1-r15", -1},
                         {"3.0.8-r0", "3.0.10-r0", -1},
                         {"1.0_alpha1", "1.0_alpha", 1},
                         {"1.0_p1_p2", "1.0_p1", 1},
                     });
  const VersionScheme& s = version_scheme("apk");
  for (const char* v : {"1.2.3-r0", "1.0_rc1", "2.4b_p1-r2", "10.6.8-r0"}) EXPECT_TRUE(s.valid(v));
  for (const char* v : {"", "abc", "1.2_foo", "1.0-r", "1.0 "}) EXPECT_FALSE(s.valid(v)) << v;
}

TEST(VersionSemver, Pitfalls) {
  // The precedence chain of semver.org section 11.
  const char* chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                         "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                         "1.0.0-rc.1",  "1.0.0",         "2.0.0",
                         "2.1.0",       "2.1.1"};
  const VersionScheme& s = version_scheme("semver");
  for (std::size_t i = 0; i + 1 < std::size(chain); ++i)
    EXPECT_LT(s.compare(chain[i], chain[i + 1]), 0) << chain[i] << " < " << chain[i + 1];
  check_table("semver", {
                            {"1.0.0+build", "1.0.0", 0},  // build metadata ignored
                            {"1.0.0+a", "1.0.0+b", 0},
                            {"v1.2.3", "1.2.3", 0},  // Go's v prefix
                            {"1.10.0", "1.9.0", 1},
                            {"1.0.0-1", "1.0.0-a", -1},  // numeric ids before alphanumeric
                            {"1.0.0-2", "1.0.0-10", -1},
                            {"v0.0.0-20220314234659-1baeb1ce4c0b",
                             "v0.0.0-20220525230936-793ad666bf5e", -1},  // OSV Go pseudo-versions
                            {"0.0.0-20240116172146-2a6ca2d4e64d", "0.1.0", -1},
                            {"1.2", "1.2.0", 0},  // lenient (invalid) forms
                            {"0", "0.0.0", 0},
                            {"latest", "0.0.1", -1},  // unparsable first
                            {"1.0.0-rc.1+build.1", "1.0.0-rc.1", 0},
                            {"2.0.0-rc.1", "1.9.9", 1},
                            {"1.0.0-alpha-1", "1.0.0-alpha", 1},
                        });
  for (const char* v :
       {"1.2.3", "v1.2.3", "1.0.0-alpha.1+b.2", "0.0.0-20220314234659-1baeb1ce4c0b"})
    EXPECT_TRUE(s.valid(v)) << v;
  for (const char* v : {"1.2", "01.2.3", "1.2.3-01", "latest", "", "1.2.3-", "1.2.3+"})
    EXPECT_FALSE(s.valid(v)) << v;
}

TEST(VersionGeneric, Pitfalls) {
  check_table("generic", {
                             {"1.1.1w", "1.1.1z", -1},  // OpenSSL letter releases
                             {"1.1.1z", "1.1.1za", -1},    {"1.1.1za", "1.1.1zb", -1},
                             {"1.1.1", "1.1.1a", -1},      {"1.0.2zh", "1.0.3", -1},
                             {"2.9", "2.90", -1},                                       // not equal
                             {"2.9", "2.10", -1},          {"2022.83", "2024.84", -1},  // dropbear
                             {"20210101", "20220101", -1}, {"1.2.3-rc1", "1.2.3", -1},
                             {"6.8-rc4", "6.8", -1},       {"6.8-rc4", "6.8-rc10", -1},
                             {"6.8-rc1", "6.8.0-rc1", 0},  {"1.0-alpha", "1.0-beta", -1},
                             {"1.0-beta", "1.0-pre", -1},  {"1.0-pre", "1.0-rc1", -1},
                             {"1.0-dev", "1.0-alpha", -1}, {"1.2.3-RC1", "1.2.3-rc1", 0},
                             {"v1.2", "1.2", 0},           {"1.0+dfsg", "1.0", 1},
                             {"1.0", "1.0.0", 0},          {"1.0.0", "1", 0},
                             {"9.3p1", "9.3", 1},          {"9.3p1", "9.3p2", -1},
                             {"9.3p2", "9.4", -1},         {"116.0.5845.187", "116.0.5845.96", 1},
                             {"5.15.148", "5.15.149", -1}, {"1.0~rc1", "1.0", -1},
                             {"1.2.3", "1.2.3.1", -1},     {"1.2.3a", "1.2.3.1", -1},
                             {"0.9.8", "0.10", -1},        {"2.8.94-0ubuntu1.4", "2.8.95", -1},
                         });
  const VersionScheme& s = version_scheme("generic");
  for (const char* v : {"1.1.1w", "2022.83", "6.8-rc4", "v1.2", "1.0+dfsg", "2.8.94-0ubuntu1.4"})
    EXPECT_TRUE(s.valid(v)) << v;
  for (const char* v : {"", "latest", "1.0 beta", "*"}) EXPECT_FALSE(s.valid(v)) << v;
}

namespace {

std::string xz_text(const std::filesystem::path& p) {
  std::string cmd = "xz -dc '" + p.string() + "'";
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

// The JSON string values of the given keys, e.g. versionEndExcluding, in text (no regex: GCC 12
// warns inside std::regex under -Werror with sanitizers).
std::vector<std::string> json_values(const std::string& text, std::vector<std::string> keys) {
  std::set<std::string> seen;
  for (const std::string& key : keys) {
    const std::string needle = "\"" + key + "\":\"";
    for (std::size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + 1)) {
      std::string v;
      for (std::size_t i = pos + needle.size(); i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        v.push_back(text[i]);
      }
      seen.insert(v);
    }
  }
  return {seen.begin(), seen.end()};
}

const std::vector<std::string> kRangeKeys = {"versionStartIncluding", "versionStartExcluding",
                                             "versionEndIncluding", "versionEndExcluding"};

std::vector<std::string> curated() {
  return {
      "",         "0",          "00",        "1",           "1.0",
      "1.0.0",    "1.00",       "1.0~rc1",   "1.0~",        "1.0~~",
      "1.0a",     "1.0+",       "1.0-1",     "1.0-0",       "1:1.0",
      "0:1.0",    "1:",         ":",         "-",           "--",
      "~",        "^",          "1.0^",      "1.0^git1",    "1.0_rc1",
      "1.0_p1",   "1.0-r1",     "1.0_alpha", "v1.2.3",      "V1",
      "v",        "1.2.3-rc.1", "1.2.3+b",   "1.1.1w",      "1.1.1za",
      "2022.83",  "6.8-rc4",    "a",         "abc",         "1a1a1a",
      "1..2",     ".1",         "1.",        "1-",          "1-2-3",
      "1_2",      "rc",         "rc1",       "1rc",         "1.0-rc",
      "1.0.rc.1", "x:1",        "1:x",       "1.0-a_b",     "99999999999999999999",
      "1.0-dev",  "1.0.0-0",    "1.0.0-00",  "1.0~beta",    "1.2.3b_rc1_p2-r3",
      "zz",       "1.0+dfsg",   "1.0-pre",   "1.0-preview", "0.0.0-20220314234659-1baeb1ce4c0b"};
}

std::vector<std::string> random_strings(std::size_t n, unsigned seed) {
  static const std::string alphabet = "0123456789.-_+~^:abprcvz";
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t len = rng() % 9;
    std::string s;
    for (std::size_t k = 0; k < len; ++k) {
      if (rng() % 40 == 0)
        s.push_back(static_cast<char>(rng() % 256));  // any byte, including NUL and high bytes
      else
        s.push_back(alphabet[rng() % alphabet.size()]);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void check_properties(const VersionScheme& s, const std::vector<std::string>& pool,
                      std::size_t triple_sample) {
  const std::string id(s.describe().id);
  // Reflexive on all; antisymmetric for every string against the first 200.
  for (const auto& a : pool) {
    ASSERT_EQ(s.compare(a, a), 0) << id << " reflexive: " << a;
    for (std::size_t j = 0; j < std::min<std::size_t>(200, pool.size()); ++j) {
      const std::string& b = pool[j];
      ASSERT_EQ(sgn(s.compare(a, b)), -sgn(s.compare(b, a))) << id << ": " << a << " vs " << b;
    }
  }
  // Transitive on all triples of a sample (for <, = and <=).
  std::size_t m = std::min(triple_sample, pool.size());
  std::vector<std::vector<int>> c(m, std::vector<int>(m));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) c[i][j] = sgn(s.compare(pool[i], pool[j]));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      for (std::size_t k = 0; k < m; ++k) {
        if (c[i][j] <= 0 && c[j][k] <= 0) {
          int want = (c[i][j] == 0 && c[j][k] == 0) ? 0 : -1;
          ASSERT_EQ(c[i][k], want) << id << ": " << pool[i] << " / " << pool[j] << " / " << pool[k];
        }
      }
  // std::sort behaves and yields a sorted sequence.
  std::vector<std::string> sorted = pool;
  auto less = [&](const std::string& a, const std::string& b) { return s.compare(a, b) < 0; };
  std::sort(sorted.begin(), sorted.end(), less);
  ASSERT_TRUE(std::is_sorted(sorted.begin(), sorted.end(), less)) << id;
  for (std::size_t i = 0; i + 1 < sorted.size(); ++i)
    ASSERT_LE(s.compare(sorted[i], sorted[i + 1]), 0) << id;
}

}  // namespace

TEST(VersionProperties, TotalPreorderOnCuratedAndRandomStrings) {
  std::vector<std::string> pool = curated();
  auto rnd = random_strings(3000, 20261125);
  // Triples: curated plus the first random strings; pairs and sorting: everything.
  std::vector<std::string> all = pool;
  all.insert(all.end(), rnd.begin(), rnd.end());
  for (const auto& s : version_schemes().all()) {
    SCOPED_TRACE(std::string(s->describe().id));
    check_properties(*s, all, 160);
  }
}

TEST(VersionProperties, TransitiveOnRandomPrefixHeavyStrings) {
  // Short strings over a tiny alphabet collide on prefixes, the case where orderings break.
  std::vector<std::string> pool;
  const std::string alpha = "0.1~a-";
  std::mt19937 rng(7);
  for (int i = 0; i < 220; ++i) {
    std::string s;
    std::size_t len = rng() % 6;
    for (std::size_t k = 0; k < len; ++k) s.push_back(alpha[rng() % alpha.size()]);
    pool.push_back(s);
  }
  for (const auto& s : version_schemes().all()) {
    SCOPED_TRACE(std::string(s->describe().id));
    check_properties(*s, pool, 220);
  }
}

TEST(VersionRealData, NvdRangeVersionsParseAndOrder) {
  WAYBILL_REQUIRE_SHARED(shared);
  std::vector<std::string> v =
      json_values(xz_text(shared / "data/vuln/nvd/nvd_cve_2.0.jsonl.xz"), kRangeKeys);
  auto iot = json_values(xz_text(shared / "data/vuln/nvd/nvd_iot_cve_2.0.jsonl.xz"), kRangeKeys);
  v.insert(v.end(), iot.begin(), iot.end());
  ASSERT_GT(v.size(), 200u);
  const VersionScheme& g = version_scheme("generic");
  for (const auto& x : v) EXPECT_TRUE(g.valid(x)) << x;
  // 1.0.2zg < 1.0.2zh and 1.1.1t < 1.1.1u are among the real bounds.
  EXPECT_NE(std::find(v.begin(), v.end(), "1.0.2zh"), v.end());
  EXPECT_LT(g.compare("1.0.2zg", "1.0.2zh"), 0);
  EXPECT_LT(g.compare("1.1.1t", "1.1.1u"), 0);
  for (const auto& s : version_schemes().all()) {
    SCOPED_TRACE(std::string(s->describe().id));
    check_properties(*s, v, 120);
  }
}

TEST(VersionRealData, OsvEventsAreValidInTheirEcosystemScheme) {
  WAYBILL_REQUIRE_SHARED(shared);
  // Only affected[].ranges[].events (ecosystem_specific.custom_ranges hold non-semver text).
  std::set<std::string> go_set;
  std::istringstream lines(xz_text(shared / "data/vuln/osv/osv_go.jsonl.xz"));
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    for (const auto& a : j.value("affected", nlohmann::json::array()))
      for (const auto& r : a.value("ranges", nlohmann::json::array()))
        for (const auto& e : r.value("events", nlohmann::json::array()))
          for (const auto& [k, v] : e.items())
            if (v.is_string() && (k == "introduced" || k == "fixed")) go_set.insert(v);
  }
  std::vector<std::string> go(go_set.begin(), go_set.end());
  ASSERT_GT(go.size(), 20u);
  const VersionScheme& sem = scheme_for_ecosystem("Go");
  for (const auto& x : go)
    if (x != "0") {  // "0" is OSV's "since the beginning"
      EXPECT_TRUE(sem.valid(x)) << x;
    }
  check_properties(sem, go, 120);
  std::vector<std::string> distro;
  for (const auto& x :
       json_values(xz_text(shared / "data/vuln/osv/osv_distro_samples.jsonl.xz"), {"fixed"}))
    if (x.find("-r") != std::string::npos) distro.push_back(x);  // the Alpine fixes
  ASSERT_GE(distro.size(), 3u);
  const VersionScheme& apk = scheme_for_ecosystem("Alpine:v3.16");
  for (const auto& x : distro) EXPECT_TRUE(apk.valid(x)) << x;
}
