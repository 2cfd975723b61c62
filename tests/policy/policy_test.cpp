// Policy files: strict parsing with line numbers, every rule on both sides of its boundary, SPDX
// expressions, and a real SBOM (the shared defects image) evaluated with the example policy.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "pipeline/inventory.h"
#include "policy/policy.h"
#include "support/support.h"

namespace fs = std::filesystem;
using namespace waybill;

namespace {

policy::Policy must_parse(const std::string& yaml) {
  auto p = policy::parse_policy("test.yaml", yaml);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : policy::Policy{};
}

std::vector<std::string> rules_of(const std::vector<model::PolicyViolation>& v) {
  std::vector<std::string> r;
  for (const auto& x : v) r.push_back(x.rule);
  return r;
}

bool has_rule(const std::vector<model::PolicyViolation>& v, const std::string& rule) {
  return std::any_of(v.begin(), v.end(), [&](const auto& x) { return x.rule == rule; });
}

model::Component comp(std::string name, std::string version, std::string purl = "",
                      std::string supplier = "", std::vector<std::string> lic = {"MIT"}) {
  model::Component c;
  c.name = name;
  c.version = version;
  c.bom_ref = name + "@" + version;
  c.purl = purl;
  c.supplier = supplier;
  c.licenses = lic;
  return c;
}

vuln::Finding finding(std::string id, std::string sev, double score, bool kev = false,
                      std::optional<double> epss = std::nullopt) {
  vuln::Finding f;
  f.id = id;
  f.severity = sev;
  f.score = score;
  f.kev = kev;
  f.epss = epss;
  f.component_name = "busybox";
  f.component_version = "1.35.0";
  return f;
}

}  // namespace

TEST(PolicyParse, UnknownKeyIsAnErrorWithLine) {
  auto p = policy::parse_policy("p.yaml", "version: 1\nvulnerabilities:\n  max_severty: high\n");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("p.yaml:3"), std::string::npos) << p.error().message;
  EXPECT_NE(p.error().message.find("max_severty"), std::string::npos);
}

TEST(PolicyParse, MalformedYamlNamesLine) {
  auto p = policy::parse_policy("bad.yaml", "version: 1\nlicenses: [MIT\n  deny: x\n");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("bad.yaml:"), std::string::npos) << p.error().message;
}

TEST(PolicyParse, BadValuesAreRejected) {
  EXPECT_FALSE(policy::parse_policy("p", "version: 2\n").ok());
  EXPECT_FALSE(policy::parse_policy("p", "checks: {fail_on: high}\n").ok());  // no version
  EXPECT_FALSE(policy::parse_policy("p", "version: 1\nvulnerabilities: {kev: maybe}\n").ok());
  EXPECT_FALSE(policy::parse_policy("p", "version: 1\nvulnerabilities: {max_epss: 2}\n").ok());
  EXPECT_FALSE(
      policy::parse_policy("p", "version: 1\ncomponents: {banned: [{name: x, versions: '<<1'}]}\n")
          .ok());
  EXPECT_FALSE(
      policy::parse_policy("p", "version: 1\nvulnerabilities: {ignore: [{id: CVE-1}]}\n").ok())
      << "an ignore without a reason must be refused";
  EXPECT_FALSE(policy::parse_policy("p", "version: 1\nsuppliers: [{name: A, keys: [abc]}]\n").ok());
}

TEST(PolicyParse, ExampleFileParses) {
  auto p = policy::load_policy(std::string(WAYBILL_SOURCE_DIR_DEFAULT) + "/examples/policy.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->suppliers.size(), 3u);
  EXPECT_EQ(p->banned.size(), 2u);
  EXPECT_EQ(p->max_severity, "high");
  EXPECT_EQ(p->kev, "deny");
  ASSERT_TRUE(p->max_epss.has_value());
  EXPECT_DOUBLE_EQ(*p->max_epss, 0.5);
}

TEST(PolicyUtil, Constraints) {
  auto c = policy::parse_constraint(">=3.0, <3.0.13", "generic");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(policy::satisfies(*c, "3.0.12"));
  EXPECT_FALSE(policy::satisfies(*c, "3.0.13"));
  EXPECT_FALSE(policy::satisfies(*c, "2.9"));
  EXPECT_TRUE(policy::satisfies(*c, "3.0"));
  auto exact = policy::parse_constraint("2.9", "generic");
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE(policy::satisfies(*exact, "2.90")) << "2.9 and 2.90 are different versions";
  auto deb = policy::parse_constraint("<1:1.35.0-4+deb12u1", "deb");
  ASSERT_TRUE(deb.ok());
  EXPECT_TRUE(policy::satisfies(*deb, "1:1.35.0-4"));
  EXPECT_FALSE(policy::satisfies(*deb, "1:1.35.0-4+deb12u1"));
}

TEST(PolicyUtil, Globs) {
  EXPECT_TRUE(policy::glob_match_ci("pkg:deb/debian/*", "pkg:deb/debian/busybox@1.35"));
  EXPECT_TRUE(policy::glob_match_ci("ACME*", "acme modules"));
  EXPECT_FALSE(policy::glob_match_ci("acme", "acme modules"));
  EXPECT_TRUE(policy::glob_match_ci("CVE-2023-4236?", "CVE-2023-42363"));
}

TEST(PolicyUtil, LicenseExpressions) {
  std::vector<std::string> none;
  std::vector<std::string> deny{"GPL-3.0-only", "AGPL-*"};
  EXPECT_EQ(policy::judge_license("MIT OR GPL-3.0-only", none, deny), "");
  EXPECT_NE(policy::judge_license("MIT AND GPL-3.0-only", none, deny), "");
  EXPECT_NE(policy::judge_license("AGPL-3.0-or-later", none, deny), "");
  EXPECT_EQ(policy::judge_license("GPL-2.0-only WITH Linux-syscall-note", none, deny), "");
  std::vector<std::string> allow{"MIT", "BSD-3-Clause", "GPL-2.0"};
  EXPECT_EQ(policy::judge_license("GPL-2.0-only AND BSD-3-Clause", allow, none), "");
  EXPECT_EQ(policy::judge_license("GPL-2.0-or-later", allow, none), "")
      << "a family entry without suffix covers -only and -or-later";
  EXPECT_NE(policy::judge_license("Apache-2.0", allow, none).find("not in the allowed"),
            std::string::npos);
  EXPECT_EQ(policy::judge_license("(MIT OR Apache-2.0) AND BSD-3-Clause", allow, none), "");
  EXPECT_NE(policy::judge_license("(MIT AND", allow, none).find("not a valid"), std::string::npos);
}

TEST(PolicyRules, VulnerabilityBoundaries) {
  auto p = must_parse(
      "version: 1\ntoday: 2026-11-25\nvulnerabilities:\n  max_severity: high\n  kev: deny\n"
      "  max_epss: 0.5\n  ignore:\n"
      "    - {id: CVE-2000-0003, reason: accepted, expires: 2027-01-01}\n"
      "    - {id: CVE-2000-0004, reason: old, expires: 2026-01-01}\n");
  model::Report r;
  r.findings = {finding("CVE-2000-0001", "high", 8.9),
                finding("CVE-2000-0002", "critical", 9.8),
                finding("CVE-2000-0003", "critical", 9.8),
                finding("CVE-2000-0004", "critical", 9.1),
                finding("CVE-2000-0005", "low", 2.0, true),
                finding("CVE-2000-0006", "low", 2, false, 0.5),
                finding("CVE-2000-0007", "low", 2, false, 0.51)};
  auto v = policy::evaluate(p, r);
  auto subjects = [&](const std::string& rule) {
    std::vector<std::string> s;
    for (const auto& x : v)
      if (x.rule == rule) s.push_back(x.subject);
    return s;
  };
  EXPECT_EQ(subjects("vuln-severity"),
            (std::vector<std::string>{"CVE-2000-0002", "CVE-2000-0004"}));
  EXPECT_EQ(subjects("vuln-kev"), (std::vector<std::string>{"CVE-2000-0005"}));
  EXPECT_EQ(subjects("vuln-epss"), (std::vector<std::string>{"CVE-2000-0007"}));
  EXPECT_EQ(subjects("vuln-ignore-expired"), (std::vector<std::string>{"CVE-2000-0004"}));
  EXPECT_TRUE(policy::policy_failed(v));
  // Suppressed by VEX: not counted unless count_suppressed.
  r.findings = {finding("CVE-2000-0002", "critical", 9.8)};
  r.findings[0].suppressed = true;
  EXPECT_FALSE(has_rule(policy::evaluate(p, r), "vuln-severity"));
}

TEST(PolicyRules, ComponentsSuppliersLicenses) {
  auto p = must_parse(R"(version: 1
suppliers:
  unlisted: error
  list:
    - {name: Debian, match: {purl: "pkg:deb/debian/*"}, trust: trusted}
    - {name: Evil, match: {supplier: "Evil*"}, trust: untrusted}
components:
  require_supplier: error
  banned:
    - {name: busybox, versions: "<1.36.0", reason: old}
  end_of_life:
    - {name: openssl, versions: "<3.0", date: 2023-09-11}
licenses:
  deny: [GPL-3.0-only]
  unknown: warn
on_violation:
  license-unknown: off
)");
  model::Report r;
  r.sbom.components = {
      comp("busybox", "1.35.0", "pkg:deb/debian/busybox@1.35.0", "Debian", {"GPL-2.0-only"}),
      comp("busybox2", "1.36.0", "pkg:deb/debian/busybox2@1.36.0", "Debian"),
      comp("openssl", "1.1.1w", "pkg:deb/debian/openssl@1.1.1w", "Debian", {"OpenSSL"}),
      comp("libevil", "1.0", "pkg:generic/libevil@1.0", "Evil Corp", {"GPL-3.0-only"}),
      comp("mystery", "0.1", "pkg:generic/mystery@0.1", "", {})};
  auto v = policy::evaluate(p, r);
  auto count = [&](const std::string& rule, const std::string& subject) {
    return std::count_if(v.begin(), v.end(),
                         [&](const auto& x) { return x.rule == rule && x.subject == subject; });
  };
  EXPECT_EQ(count("banned-component", "busybox@1.35.0"), 1);
  EXPECT_EQ(count("banned-component", "busybox2@1.36.0"), 0);
  EXPECT_EQ(count("end-of-life", "openssl@1.1.1w"), 1);
  EXPECT_EQ(count("supplier-untrusted", "libevil@1.0"), 1);
  EXPECT_EQ(count("license-denied", "libevil@1.0"), 1);
  EXPECT_EQ(count("supplier-unlisted", "mystery@0.1"), 1);
  EXPECT_EQ(count("supplier-missing", "mystery@0.1"), 1);
  EXPECT_FALSE(has_rule(v, "license-unknown")) << "turned off by on_violation";
  for (const auto& x : v) EXPECT_FALSE(x.message.empty()) << x.rule;
}

TEST(PolicyRules, ChecksAndTrust) {
  auto p = must_parse(R"(version: 1
checks:
  fail_on: high
  ignore: [{check: "crypto/*", path: "/etc/ssl/*", reason: test key}]
trust:
  require: [signature, provenance]
)");
  model::Report r;
  model::CheckFinding a;
  a.check = "accounts/passwords";
  a.severity = "high";
  a.path = "/etc/shadow";
  a.line = 1;
  a.title = "root password is a default";
  model::CheckFinding b = a;
  b.check = "crypto/private-keys";
  b.path = "/etc/ssl/private/router.key";
  model::CheckFinding c = a;
  c.severity = "medium";
  r.checks = {a, b, c};
  model::TrustVerdict sig{"signature", "fw.bin", "pass", "ok", "sha256:ab", {}};
  model::TrustVerdict bad{"dsse", "fw.intoto.jsonl", "fail", "signature does not verify", "", {}};
  r.trust = {sig, bad};
  auto v = policy::evaluate(p, r);
  EXPECT_EQ(
      std::count_if(v.begin(), v.end(), [](const auto& x) { return x.rule == "check-severity"; }),
      1);
  EXPECT_TRUE(has_rule(v, "trust-required")) << "provenance is required and absent";
  EXPECT_TRUE(has_rule(v, "trust-failed"));
  for (const auto& x : v) {
    if (x.rule == "trust-required") {
      EXPECT_NE(x.message.find("provenance"), std::string::npos);
    }
  }
}

TEST(PolicyRules, RealFirmwareWithExamplePolicy) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path img = shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
  ASSERT_TRUE(fs::exists(img));
  pipeline::InventoryOptions io;
  auto inv = pipeline::build_inventory(img.string(), io);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  auto p = policy::load_policy(std::string(WAYBILL_SOURCE_DIR_DEFAULT) + "/examples/policy.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  p->today = "2026-11-25";
  model::Report r;
  r.sbom = inv->sbom;
  auto v = policy::evaluate(*p, r);
  // busybox 1.35.0 (package busybox-static, upstream busybox) is in the image and banned below
  // 1.36.0; the OpenWrt-style packages match the "OpenWrt" supplier, so no unlisted warnings.
  bool banned_busybox = false;
  for (const auto& x : v)
    if (x.rule == "banned-component" && x.message.find("@1.35.0") != std::string::npos &&
        x.message.find("busybox") != std::string::npos)
      banned_busybox = true;
  EXPECT_TRUE(banned_busybox) << ::testing::PrintToString(rules_of(v));
  // Only components that are not OpenWrt packages stay unlisted: the kernel and the OS.
  for (const auto& x : v) {
    if (x.rule != "supplier-unlisted") continue;
    EXPECT_TRUE(x.message.find("pkg:openwrt/") == std::string::npos) << x.message;
    EXPECT_EQ(x.severity, "warning");
  }
  // No signature was verified, and the example requires one.
  EXPECT_TRUE(has_rule(v, "trust-required"));
  EXPECT_TRUE(policy::policy_failed(v));
}
