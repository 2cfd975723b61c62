// Report outputs (CycloneDX with vulnerabilities, SARIF, HTML, native JSON, table) on a Report
// built from the real inventory of the shipped opkg-defects firmware image plus findings modelled
// on real records: busybox CVE-2022-28391 / CVE-2022-48174 (NVD CVSS, CWE, EPSS), the kernel's
// CVE-2024-1086 (CISA KEV), a VEX-suppressed dnsmasq finding, check findings for the planted
// defects (root password 'admin' in /etc/shadow line 1, telnetd in /etc/init.d/rcS line 11),
// trust verdicts and policy violations. Schema validity uses the official schemas through
// tools/validate (ajv for JSON, xmllint for XML).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "pipeline/inventory.h"
#include "report/encoders.h"
#include "report/report_util.h"
#include "report/table.h"
#include "sbom/encoder.h"
#include "sbom/native/native_json.h"
#include "support/encoders.h"
#include "support/support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using namespace waybill;

sbom::EncoderRegistry& registry() {
  return test::encoder_registry();
}

std::string encode(std::string_view id, const model::Report& r) {
  return test::encode_report(id, r);
}

fs::path source_dir() {
  return test::source_tree();
}

std::string quote(const fs::path& p) {
  return "'" + p.string() + "'";
}

fs::path write_temp(const std::string& name, const std::string& text) {
  static fs::path dir = test::temp_dir("report");
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string validator_missing(bool xml, bool needs_shared = true) {
  if (needs_shared && !test::shared_dir()) return "../shared not found (set WAYBILL_SHARED)";
  if (xml) return test::run("command -v xmllint").exit_code != 0 ? "xmllint not installed" : "";
  if (test::run("command -v node").exit_code != 0) return "node not installed";
  if (!fs::exists(source_dir() / "tools/validate/node_modules/ajv"))
    return "tools/validate/node_modules missing (run scripts/setup.sh)";
  return "";
}

test::RunResult validate(const std::string& kind, const fs::path& f) {
  if (kind == "xml")
    return test::run("sh " + quote(source_dir() / "tools/validate/validate-xml.sh") + " " +
                     quote(f));
  return test::run("node " + quote(source_dir() / "tools/validate/validate.js") + " " + kind + " " +
                   quote(f));
}

const model::Component* by_name(const model::Sbom& s, const std::string& name) {
  for (const auto& c : s.components)
    if (c.name == name) return &c;
  return nullptr;
}

vuln::Finding finding_on(const model::Component& c, std::string id) {
  vuln::Finding f;
  f.id = std::move(id);
  f.component_ref = c.bom_ref;
  f.component_name = c.name;
  f.component_version = c.version;
  f.component_purl = c.purl;
  return f;
}

// The real inventory of the shipped defects image (built once), or nullptr without ../shared.
const model::Sbom* defects_sbom() {
  static std::optional<model::Sbom> sbom = []() -> std::optional<model::Sbom> {
    auto shared = test::shared_dir();
    if (!shared) return std::nullopt;
    fs::path img = *shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
    if (!fs::exists(img)) return std::nullopt;
    pipeline::InventoryOptions opts;
    opts.tool_version = "0.1.0-test";
    auto inv = pipeline::build_inventory(img.string(), opts);
    if (!inv.ok()) return std::nullopt;
    inv->sbom.timestamp = "2026-11-25T01:00:00Z";
    return inv->sbom;
  }();
  return sbom ? &*sbom : nullptr;
}

model::Report realistic_report(const model::Sbom& sbom) {
  model::Report r;
  r.sbom = sbom;
  r.vulnerabilities_matched = true;
  r.checks_run = true;
  r.vuln_sources = {{"nvd", "2026-06-17T04:38:29Z"}, {"kev", "2026-09-29"}, {"epss", "2026-09-29"}};
  const model::Component* busybox = by_name(sbom, "busybox-static");
  const model::Component* linux = by_name(sbom, "linux");
  const model::Component* dnsmasq = by_name(sbom, "dnsmasq-base");
  EXPECT_TRUE(busybox && linux && dnsmasq) << "inventory of the defects image changed";
  if (!busybox || !linux || !dnsmasq) return r;

  // NVD CVE-2022-28391 as published (metrics, weakness of the secondary source, configuration).
  vuln::Finding a = finding_on(*busybox, "CVE-2022-28391");
  a.summary =
      "BusyBox through 1.35.0 allows remote attackers to execute arbitrary code if netstat is used "
      "to print a DNS PTR record's value to a VT compatible terminal.";
  a.cvss = {
      {"nvd@nist.gov", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "HIGH", true},
      {"nvd@nist.gov", "2.0", "AV:N/AC:M/Au:N/C:P/I:P/A:P", 6.8, "MEDIUM", true}};
  a.severity = "high";
  a.score = 8.8;
  a.cwes = {"NVD-CWE-noinfo", "CWE-88"};
  a.epss = 0.00425;
  a.epss_percentile = 0.61;
  a.published = "2022-04-03T21:15:08.207";
  a.modified = "2026-06-17T04:38:29.550";
  a.references = {"https://bugs.busybox.net/show_bug.cgi?id=14716"};
  a.matches = {{"nvd", "CVE-2022-28391", "cpe-configuration",
                "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*", "v <= 1.35.0 (versionEndIncluding)",
                "1.35.0 <= 1.35.0 by generic", "generic", "1.35.0"}};
  a.risk = 6.1;

  vuln::Finding b = finding_on(*busybox, "CVE-2022-48174");
  b.summary = "There is a stack overflow vulnerability in ash.c:6030 in busybox before 1.35.";
  b.cvss = {{"nvd@nist.gov", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL",
             true}};
  b.severity = "critical";
  b.score = 9.8;
  b.cwes = {"CWE-787"};
  b.epss = 0.00134;
  b.epss_percentile = 0.47756;
  b.fixed_version = "1.36.0";
  b.aliases = {"GHSA-fake-0000-0000"};
  b.published = "2023-08-22T19:16:19.667";
  b.matches = {{"nvd", "CVE-2022-48174", "cpe-configuration",
                "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*", "v < 1.36.0 (versionEndExcluding)",
                "1.35.0 < 1.36.0 by generic", "generic", "1.35.0"}};
  b.risk = 7.2;

  // CISA KEV entry of CVE-2024-1086 (date added 2024-05-30, due 2024-06-20).
  vuln::Finding k = finding_on(*linux, "CVE-2024-1086");
  k.summary =
      "A use-after-free vulnerability in the Linux kernel's netfilter: nf_tables component "
      "can be exploited to achieve local privilege escalation.";
  k.cvss = {
      {"nvd@nist.gov", "3.1", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "HIGH", true}};
  k.severity = "high";
  k.score = 7.8;
  k.cwes = {"CWE-416"};
  k.epss = 0.8386;
  k.epss_percentile = 0.9925;
  k.kev = true;
  k.kev_date_added = "2024-05-30";
  k.kev_due_date = "2024-06-20";
  k.kev_ransomware = "Known";
  k.published = "2024-01-31T13:15:10.827";
  k.matches = {{"cve5", "CVE-2024-1086", "cve5-affected", "linux:linux_kernel",
                "6.1 <= v < 6.1.76 (lessThan)", "6.1.176 in [6.1, 6.1.76) by semver", "semver",
                "6.1.176"}};
  k.risk = 9.5;

  vuln::Finding s = finding_on(*dnsmasq, "CVE-2023-50868");
  s.summary = "NSEC3 closest encloser proof can exhaust CPU resources.";
  s.cvss = {
      {"nvd@nist.gov", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "HIGH", true}};
  s.severity = "high";
  s.score = 7.5;
  s.vex = vuln::VexStatement{"not_affected",
                             "vulnerable_code_not_in_execute_path",
                             "DNSSEC validation is disabled in dnsmasq.conf",
                             "",
                             "vex/corpusrouter.openvex.json",
                             "openvex"};
  s.suppressed = true;
  s.matches = {{"nvd", "CVE-2023-50868", "cpe-configuration",
                "cpe:2.3:a:thekelleys:dnsmasq:*:*:*:*:*:*:*:*", "v < 2.90", "2.90 < 2.90 false",
                "generic", "2.90"}};
  s.risk = 1.0;
  r.findings = {a, b, k, s};

  model::CheckFinding pw;
  pw.check = "credentials/weak-password";
  pw.rule = "default-password-list";
  pw.severity = "high";
  pw.title = "Account root has a well-known password";
  pw.detail = "The sha512-crypt hash of root in /etc/shadow matches 'a***n' from the default list.";
  pw.path = "/etc/shadow";
  pw.line = 1;
  pw.evidence = "root:$6$corpusfw$********:...";
  pw.catalog = {{"etsi-en-303-645", "5.1-1"}, {"enisa-gp", "GP-TM-08"}};
  model::CheckFinding tel;
  tel.check = "services/telnetd";
  tel.severity = "high";
  tel.title = "telnetd started at boot with a shell and no login";
  tel.detail = "busybox telnetd -l /bin/sh gives an unauthenticated root shell on tcp/23.";
  tel.path = "/etc/init.d/rcS";
  tel.line = 11;
  tel.evidence = "/usr/sbin/telnetd -l /bin/sh -p 23";
  tel.catalog = {{"etsi-en-303-645", "5.6-1"}};
  model::CheckFinding key;
  key.check = "crypto/private-key";
  key.severity = "medium";
  key.title = "Unencrypted RSA private key";
  key.path = "/etc/ssl/private/router.key";
  key.offset = 0;
  key.evidence = "-----BEGIN RSA PRIVATE KEY-----";
  r.checks = {tel, pw, key};

  r.trust = {{"signature",
              sbom.target.name,
              "fail",
              "uImage has no signature and no FIT image",
              "",
              {"uImage header CRC ok"}},
             {"sbom-hashes",
              "fw-armhf-opkg-defects.cdx.json",
              "pass",
              "all 602 file hashes match the SBOM",
              "",
              {}}};
  r.policy = {
      {"max-severity",
       "error",
       "CVE-2022-48174",
       "critical finding CVE-2022-48174 on busybox-static@1.35.0 exceeds max severity high",
       {"cvss 9.8"}},
      {"banned-component", "warning", "services/telnetd", "telnetd must not be enabled", {}}};
  return r;
}

#define REQUIRE_REPORT(var)                                                  \
  const model::Sbom* var##_sbom = defects_sbom();                            \
  if (!var##_sbom) GTEST_SKIP() << "../shared firmware image not available"; \
  model::Report var = realistic_report(*var##_sbom);                         \
  ASSERT_EQ(var.findings.size(), 4u)

const json* prop(const json& props, const std::string& name) {
  for (const auto& p : props)
    if (p.value("name", "") == name) return &p;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------

TEST(ReportEncoders, Registered) {
  for (auto id : {"sarif", "html", "cyclonedx-json", "cyclonedx-xml", "json"})
    EXPECT_NE(registry().find(id), nullptr) << id;
  EXPECT_EQ(registry().find("sarif")->file_extension(), ".sarif");
  EXPECT_EQ(registry().find("html")->file_extension(), ".html");
}

TEST(ReportUtil, Conversions) {
  EXPECT_EQ(report::rfc3339("2022-04-03T21:15:08.207"), "2022-04-03T21:15:08.207Z");
  EXPECT_EQ(report::rfc3339("2024-05-30"), "2024-05-30T00:00:00Z");
  EXPECT_EQ(report::rfc3339("2024-05-30T10:00:00+02:00"), "2024-05-30T10:00:00+02:00");
  EXPECT_EQ(report::rfc3339("May 2024"), "");
  EXPECT_EQ(report::rfc3339("2024-05-30T10:00"), "");
  EXPECT_EQ(report::cwe_number("CWE-88"), 88);
  EXPECT_FALSE(report::cwe_number("NVD-CWE-noinfo"));
  EXPECT_EQ(report::relative_uri("/etc/init.d/rcS"), "etc/init.d/rcS");
  EXPECT_EQ(report::relative_uri("/a b/<x>"), "a%20b/%3Cx%3E");
  EXPECT_EQ(report::vuln_url("CVE-2024-1086"), "https://nvd.nist.gov/vuln/detail/CVE-2024-1086");
  EXPECT_EQ(report::vuln_url("x\"><script>"), "");
  EXPECT_EQ(report::sarif_level("CRITICAL"), "error");
  EXPECT_EQ(report::sarif_level("moderate"), "warning");
  EXPECT_EQ(report::sarif_level("low"), "note");
  EXPECT_EQ(report::short_number(8.8, 1), "8.8");
  EXPECT_EQ(report::short_number(0.00134), "0.00134");
  EXPECT_EQ(report::cdx_method("3.1"), "CVSSv31");
  EXPECT_EQ(report::cdx_method("4.0"), "CVSSv4");
}

TEST(CycloneDxVulnerabilities, JsonContent) {
  REQUIRE_REPORT(r);
  json doc = json::parse(encode("cyclonedx-json", r));
  ASSERT_TRUE(doc.contains("vulnerabilities"));
  const json& vs = doc["vulnerabilities"];
  ASSERT_EQ(vs.size(), 4u);
  std::set<std::string> refs;
  for (const auto& c : doc["components"]) refs.insert(c["bom-ref"].get<std::string>());
  // Ordered by risk: the KEV kernel finding first, the suppressed one last.
  EXPECT_EQ(vs[0]["id"], "CVE-2024-1086");
  EXPECT_EQ(vs[3]["id"], "CVE-2023-50868");
  for (const auto& v : vs) {
    ASSERT_TRUE(v.contains("affects"));
    EXPECT_TRUE(refs.count(v["affects"][0]["ref"].get<std::string>())) << v["id"];
  }
  const json* bb = nullptr;
  for (const auto& v : vs)
    if (v["id"] == "CVE-2022-28391") bb = &v;
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ((*bb)["source"]["name"], "NVD");
  EXPECT_EQ((*bb)["source"]["url"], "https://nvd.nist.gov/vuln/detail/CVE-2022-28391");
  ASSERT_EQ((*bb)["ratings"].size(), 2u);
  EXPECT_EQ((*bb)["ratings"][0]["method"], "CVSSv31");
  EXPECT_EQ((*bb)["ratings"][0]["score"], 8.8);
  EXPECT_EQ((*bb)["ratings"][0]["severity"], "high");
  EXPECT_EQ((*bb)["ratings"][0]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
  EXPECT_EQ((*bb)["ratings"][1]["method"], "CVSSv2");
  EXPECT_EQ((*bb)["cwes"], json::array({88}));
  EXPECT_EQ((*bb)["published"], "2022-04-03T21:15:08.207Z");
  EXPECT_EQ((*bb)["affects"][0]["versions"][0]["version"], "1.35.0");
  EXPECT_EQ((*bb)["affects"][0]["versions"][0]["status"], "affected");
  const json& props = (*bb)["properties"];
  ASSERT_NE(prop(props, "waybill:epss"), nullptr);
  EXPECT_EQ((*prop(props, "waybill:epss"))["value"], "0.00425");
  ASSERT_NE(prop(props, "waybill:match:comparison"), nullptr);
  EXPECT_EQ((*prop(props, "waybill:match:comparison"))["value"], "1.35.0 <= 1.35.0 by generic");
  EXPECT_EQ((*prop(props, "waybill:match:criteria"))["value"],
            "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*");
  EXPECT_NE((*bb)["detail"].get<std::string>().find("busybox-static@1.35.0"), std::string::npos);

  const json& kev = vs[0];
  EXPECT_EQ((*prop(kev["properties"], "waybill:kev"))["value"], "true");
  EXPECT_EQ((*prop(kev["properties"], "waybill:kev_due_date"))["value"], "2024-06-20");
  EXPECT_EQ(kev["cwes"], json::array({416}));

  const json& crit = vs[1];
  EXPECT_EQ(crit["id"], "CVE-2022-48174");
  EXPECT_EQ(crit["references"][0]["id"], "GHSA-fake-0000-0000");
  EXPECT_EQ(crit["references"][0]["source"]["name"], "GitHub");
  EXPECT_NE(crit["recommendation"].get<std::string>().find("1.36.0"), std::string::npos);

  const json& sup = vs[3];
  EXPECT_EQ(sup["analysis"]["state"], "not_affected");
  EXPECT_EQ(sup["analysis"]["justification"], "code_not_reachable");
  EXPECT_NE(sup["analysis"]["detail"].get<std::string>().find("corpusrouter.openvex.json"),
            std::string::npos);
  EXPECT_EQ(sup["affects"][0]["versions"][0]["status"], "unaffected");

  // No findings, no vulnerabilities array: SBOM-only documents stay as they were.
  model::Report plain;
  plain.sbom = *r_sbom;
  EXPECT_FALSE(json::parse(encode("cyclonedx-json", plain)).contains("vulnerabilities"));
}

TEST(CycloneDxVulnerabilities, ValidAgainstOfficialSchemas) {
  std::string why = validator_missing(false);
  if (!why.empty()) GTEST_SKIP() << why;
  REQUIRE_REPORT(r);
  fs::path j = write_temp("vulns.cdx.json", encode("cyclonedx-json", r));
  test::RunResult v = validate("cyclonedx-json", j);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("VALID"), std::string::npos);

  // The validator does look at vulnerabilities: a bad rating method is refused.
  std::string bad = encode("cyclonedx-json", r);
  auto pos = bad.find("\"CVSSv31\"");
  ASSERT_NE(pos, std::string::npos);
  bad.replace(pos, 9, "\"CVSS31x\"");
  v = validate("cyclonedx-json", write_temp("bad.cdx.json", bad));
  EXPECT_EQ(v.exit_code, 1) << v.out;

  if (!validator_missing(true).empty()) GTEST_SKIP() << validator_missing(true);
  std::string xml = encode("cyclonedx-xml", r);
  v = validate("xml", write_temp("vulns.cdx.xml", xml));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // Element order matters in the XSD: swapping two children breaks it.
  std::string swapped = std::regex_replace(xml, std::regex("<cwes>"), "<cwes><bogus/>",
                                           std::regex_constants::format_first_only);
  v = validate("xml", write_temp("bad.cdx.xml", swapped));
  EXPECT_EQ(v.exit_code, 1) << v.out;
}

TEST(CycloneDxVulnerabilities, XmlCarriesTheSameFindings) {
  REQUIRE_REPORT(r);
  std::string xml = encode("cyclonedx-xml", r);
  for (const auto& f : r.findings)
    EXPECT_NE(xml.find("<id>" + f.id + "</id>"), std::string::npos) << f.id;
  EXPECT_NE(xml.find("<method>CVSSv31</method>"), std::string::npos);
  EXPECT_NE(xml.find("<cwe>88</cwe>"), std::string::npos);
  EXPECT_NE(xml.find("<state>not_affected</state>"), std::string::npos);
  EXPECT_NE(xml.find("<justification>code_not_reachable</justification>"), std::string::npos);
  EXPECT_NE(xml.find("name=\"waybill:kev_due_date\">2024-06-20<"), std::string::npos);
}

TEST(Sarif, Content) {
  REQUIRE_REPORT(r);
  json doc = json::parse(encode("sarif", r));
  EXPECT_EQ(doc["version"], "2.1.0");
  ASSERT_EQ(doc["runs"].size(), 1u);
  const json& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "waybill");
  EXPECT_EQ(run["tool"]["driver"]["version"], "0.1.0-test");
  std::map<std::string, json> rules;
  for (const auto& rule : run["tool"]["driver"]["rules"]) rules[rule["id"]] = rule;
  for (auto id : {"CVE-2022-28391", "CVE-2022-48174", "CVE-2024-1086", "CVE-2023-50868",
                  "credentials/weak-password", "services/telnetd", "crypto/private-key",
                  "policy/max-severity", "policy/banned-component", "trust/signature"})
    EXPECT_TRUE(rules.count(id)) << id;
  EXPECT_EQ(rules["CVE-2022-28391"]["properties"]["security-severity"], "8.8");
  EXPECT_EQ(rules["CVE-2022-28391"]["helpUri"], "https://nvd.nist.gov/vuln/detail/CVE-2022-28391");
  EXPECT_EQ(rules["services/telnetd"]["properties"]["security-severity"], "8");
  auto tags = rules["credentials/weak-password"]["properties"]["tags"];
  EXPECT_NE(std::find(tags.begin(), tags.end(), "etsi-en-303-645:5.1-1"), tags.end());

  std::map<std::string, const json*> results;
  for (const auto& res : run["results"]) results[res["ruleId"]] = &res;
  const json& bb = *results.at("CVE-2022-28391");
  EXPECT_EQ(bb["level"], "error");
  std::string msg = bb["message"]["text"];
  EXPECT_NE(msg.find("busybox-static@1.35.0"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1.35.0 <= 1.35.0 by generic"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cpe:2.3:a:busybox:busybox"), std::string::npos) << msg;
  const json& loc = bb["locations"][0];
  EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"], "bin/busybox");
  EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uriBaseId"], "TARGETROOT");
  EXPECT_EQ(loc["logicalLocations"][0]["name"], "busybox-static");

  const json& pw = *results.at("credentials/weak-password");
  EXPECT_EQ(pw["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "etc/shadow");
  EXPECT_EQ(pw["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
  const json& tel = *results.at("services/telnetd");
  EXPECT_EQ(tel["locations"][0]["physicalLocation"]["region"]["startLine"], 11);
  EXPECT_NE(tel["message"]["text"].get<std::string>().find("telnetd -l /bin/sh"),
            std::string::npos);
  EXPECT_EQ((*results.at("crypto/private-key"))["level"], "warning");

  const json& sup = *results.at("CVE-2023-50868");
  ASSERT_TRUE(sup.contains("suppressions"));
  EXPECT_EQ(sup["suppressions"][0]["kind"], "external");
  EXPECT_NE(sup["suppressions"][0]["justification"].get<std::string>().find(
                "vulnerable_code_not_in_execute_path"),
            std::string::npos);
  EXPECT_FALSE(bb.contains("suppressions"));

  // Fingerprints: present, distinct per finding, stable across runs.
  std::set<std::string> fps;
  for (const auto& res : run["results"]) fps.insert(res["partialFingerprints"]["waybill/v1"]);
  EXPECT_EQ(fps.size(), run["results"].size());
  json again = json::parse(encode("sarif", r));
  EXPECT_EQ(again["runs"][0]["results"], run["results"]);
  // Independent of the component version (a finding keeps its identity across releases).
  model::Report newer = r;
  for (auto& f : newer.findings) f.component_version += ".1";
  json n = json::parse(encode("sarif", newer));
  EXPECT_EQ(n["runs"][0]["results"][0]["partialFingerprints"],
            run["results"][0]["partialFingerprints"]);
}

TEST(Sarif, ValidAgainstOfficialSchema) {
  std::string why = validator_missing(false, false);
  if (!why.empty()) GTEST_SKIP() << why;
  if (!fs::exists(
          source_dir() /
          "tools/validate/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"))
    GTEST_SKIP() << "SARIF schema package missing (npm ci in tools/validate)";
  REQUIRE_REPORT(r);
  test::RunResult v = validate("sarif", write_temp("r.sarif", encode("sarif", r)));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  model::Report empty;
  v = validate("sarif", write_temp("empty.sarif", encode("sarif", empty)));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // The validator can fail: a level outside the enum and a wrong ruleIndex are refused.
  std::string bad = encode("sarif", r);
  auto pos = bad.find("\"level\":\"error\"");
  ASSERT_NE(pos, std::string::npos);
  bad.replace(pos, 15, "\"level\":\"fatal\"");
  v = validate("sarif", write_temp("bad.sarif", bad));
  EXPECT_EQ(v.exit_code, 1) << v.out;
  std::string badidx =
      std::regex_replace(encode("sarif", r), std::regex("\"ruleIndex\":0,"), "\"ruleIndex\":1,",
                         std::regex_constants::format_first_only);
  v = validate("sarif", write_temp("badidx.sarif", badidx));
  EXPECT_EQ(v.exit_code, 1) << v.out;
}

// Hostile strings everywhere a firmware or a feed can put them.
model::Report hostile_report(const model::Sbom* base) {
  model::Report r;
  if (base) r.sbom = *base;
  r.sbom.target.name = "<img src=x onerror=alert(1)>.bin";
  model::Component c;
  c.bom_ref = "evil";
  c.name = "<script>alert('x')</script>";
  c.version = "1.0\"><svg onload=alert(2)>";
  c.type = "application";
  c.evidence.push_back({"binary-signature", "sig", "/usr/bin/</script><script>x()", "", 16,
                        "\033]0;owned\007 matched", "1.0", 0.9, "detail & more"});
  r.sbom.components.push_back(c);
  vuln::Finding f;
  f.id = "CVE-2099-0001\"><a href=\"https://evil.example/\">";
  f.component_ref = "evil";
  f.component_name = c.name;
  f.component_version = c.version;
  f.summary = "</td></tr></table><script src=\"https://evil.example/x.js\"></script>";
  f.severity = "high";
  f.score = 8.0;
  f.epss = 0.5;
  f.references = {"javascript:alert(3)", "https://evil.example/advisory"};
  f.matches = {
      {"nvd", f.id, "cpe-configuration", "cpe:2.3:a:<b>:x:*", "<", "1 < 2", "generic", "1"}};
  r.findings.push_back(f);
  r.vulnerabilities_matched = true;
  model::CheckFinding ch;
  ch.check = "x/<style>";
  ch.severity = "high";
  ch.title = "<iframe src=//evil.example>";
  ch.path = "/etc/\033[31mred";
  ch.line = 3;
  ch.evidence = "url(https://evil.example/a.png) @import 'x'";
  r.checks.push_back(ch);
  r.checks_run = true;
  r.trust.push_back(
      {"x509", "<link rel=stylesheet href=//evil.example/a.css>", "fail", "<b>", "", {}});
  r.policy.push_back({"license", "error", "<base href=//evil.example/>", "&amp; <x>", {}});
  return r;
}

TEST(Html, SelfContainedAndComplete) {
  REQUIRE_REPORT(r);
  std::string h = encode("html", r);
  write_temp("report.html", h);  // left in the test's temp folder for a look in a browser
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  // Works offline: a CSP forbids network loads, and nothing refers outside the file.
  EXPECT_NE(h.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  for (auto bad : {"<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
                   "src=", "href=", "xlink:", "//fonts.", "<base"})
    EXPECT_EQ(h.find(bad), std::string::npos) << bad;
  std::regex external_attr(R"re(\s(src|href|action|data|poster)\s*=)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(h, external_attr));
  // Exactly one (inline) script.
  std::size_t scripts = 0;
  for (std::size_t p = h.find("<script"); p != std::string::npos; p = h.find("<script", p + 1))
    ++scripts;
  EXPECT_EQ(scripts, 1u);
  EXPECT_NE(h.find("<script>"), std::string::npos);
  // Header, cards, four charts, tables.
  EXPECT_NE(h.find(r.sbom.target.sha256), std::string::npos);
  EXPECT_NE(h.find("0.1.0-test"), std::string::npos);
  EXPECT_NE(h.find("nvd (newest record 2026-06-17T04:38:29Z)"), std::string::npos);
  std::size_t svgs = 0;
  for (std::size_t p = h.find("<svg"); p != std::string::npos; p = h.find("<svg", p + 1)) ++svgs;
  EXPECT_EQ(svgs, 4u);
  for (auto id :
       {"id=\"vulns\"", "id=\"checks\"", "id=\"trust\"", "id=\"policy\"", "id=\"components\""})
    EXPECT_NE(h.find(id), std::string::npos) << id;
  for (const auto& f : r.findings) EXPECT_NE(h.find(f.id), std::string::npos) << f.id;
  EXPECT_NE(h.find("<details><summary>match</summary>"), std::string::npos);
  EXPECT_NE(h.find("1.35.0 &lt;= 1.35.0 by generic"), std::string::npos);
  EXPECT_NE(h.find("/etc/init.d/rcS:11"), std::string::npos);
  EXPECT_NE(h.find("/etc/shadow:1"), std::string::npos);
  EXPECT_NE(h.find("<span class=\"kev\">KEV</span> due 2024-06-20"), std::string::npos);
  // Cards: 3 open, 1 critical, 1 KEV, 1 suppressed.
  EXPECT_NE(h.find(">3</div><div class=\"l\">open vulnerabilities"), std::string::npos);
  EXPECT_NE(h.find(">1</div><div class=\"l\">known exploited (KEV)"), std::string::npos);
  EXPECT_NE(h.find(">1</div><div class=\"l\">suppressed by VEX"), std::string::npos);
  // Every component is listed.
  for (const auto& c : r.sbom.components)
    EXPECT_NE(h.find("<tr><td>" + c.name + "</td>"), std::string::npos) << c.name;
}

TEST(Html, EscapesHostileStrings) {
  model::Report r = hostile_report(defects_sbom());
  std::string h = encode("html", r);
  for (auto raw : {"<script>alert", "</script><script>", "<img src=x", "<svg onload", "<iframe",
                   "<a href", "<link rel", "<base href", "x/<style>", "\033"})
    EXPECT_EQ(h.find(raw), std::string::npos) << raw;
  EXPECT_NE(h.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(h.find("1.0&quot;&gt;&lt;svg onload=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(h.find("&amp;amp; &lt;x&gt;"), std::string::npos);
  std::size_t scripts = 0;
  for (std::size_t p = h.find("<script"); p != std::string::npos; p = h.find("<script", p + 1))
    ++scripts;
  EXPECT_EQ(scripts, 1u);
  // Data may mention "src=" as text, but no element has such an attribute.
  EXPECT_NE(h.find("&lt;img src=x"), std::string::npos);
  std::regex attr(R"re(<[a-zA-Z][^<>]*\s(src|href|action|formaction|data)\s*=)re");
  EXPECT_FALSE(std::regex_search(h, attr));
}

TEST(HostileStrings, MachineFormatsStayValid) {
  model::Report r = hostile_report(nullptr);
  json s = json::parse(encode("sarif", r));
  EXPECT_EQ(s["runs"][0]["results"].size(), 4u);  // vuln, check, policy, failed trust
  // The id is not URL-safe, so the rule gets no helpUri.
  EXPECT_FALSE(s["runs"][0]["tool"]["driver"]["rules"][0].contains("helpUri"));
  std::string uri =
      s["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_EQ(uri, "etc/%1B%5B31mred");
  json n = json::parse(encode("json", r));
  EXPECT_EQ(n["findings"][0]["componentName"], "<script>alert('x')</script>");
  if (validator_missing(false, false).empty()) {
    test::RunResult v = validate("sarif", write_temp("hostile.sarif", encode("sarif", r)));
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    if (test::shared_dir()) {
      v = validate("cyclonedx-json", write_temp("hostile.cdx.json", encode("cyclonedx-json", r)));
      EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    }
  }
  if (validator_missing(true).empty()) {
    test::RunResult v = validate("xml", write_temp("hostile.cdx.xml", encode("cyclonedx-xml", r)));
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }
}

TEST(NativeJson, CarriesResultsAndStillDecodes) {
  REQUIRE_REPORT(r);
  std::string text = encode("json", r);
  json doc = json::parse(text);
  EXPECT_EQ(doc["waybill"], "sbom");
  EXPECT_TRUE(doc["vulnerabilitiesMatched"].get<bool>());
  ASSERT_EQ(doc["findings"].size(), 4u);
  EXPECT_EQ(doc["findings"][0]["id"], "CVE-2022-28391");
  EXPECT_EQ(doc["findings"][0]["matches"][0]["comparison"], "1.35.0 <= 1.35.0 by generic");
  EXPECT_EQ(doc["findings"][2]["kevDueDate"], "2024-06-20");
  EXPECT_EQ(doc["findings"][3]["vex"]["justification"], "vulnerable_code_not_in_execute_path");
  EXPECT_TRUE(doc["findings"][3]["suppressed"].get<bool>());
  ASSERT_EQ(doc["checks"].size(), 3u);
  EXPECT_EQ(doc["checks"][1]["path"], "/etc/shadow");
  EXPECT_EQ(doc["checks"][1]["line"], 1);
  EXPECT_EQ(doc["checks"][1]["catalog"][0]["item"], "5.1-1");
  EXPECT_EQ(doc["trust"][0]["verdict"], "fail");
  EXPECT_EQ(doc["policy"][0]["rule"], "max-severity");
  EXPECT_EQ(doc["vulnSources"][0]["source"], "nvd");

  std::istringstream in(text);
  auto back = sbom::decode_native_json(in);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->components.size(), r.sbom.components.size());
  // An SBOM-only report writes no result sections.
  model::Report plain;
  plain.sbom = r.sbom;
  json p = json::parse(encode("json", plain));
  EXPECT_FALSE(p.contains("findings"));
}

std::string table(const model::Report& r, report::TableOptions o = {}) {
  std::ostringstream out;
  report::print_table(out, r, o);
  return out.str();
}

TEST(Table, ShowsEverySection) {
  REQUIRE_REPORT(r);
  std::string t = table(r);
  EXPECT_EQ(t.find('\033'), std::string::npos) << "no colour unless asked";
  EXPECT_NE(t.find("waybill scan of fw-armhf-opkg-defects.uImage"), std::string::npos);
  EXPECT_NE(t.find("busybox-static"), std::string::npos);
  EXPECT_NE(t.find("3 open (critical 1, high 2); 1 in CISA KEV; 1 suppressed by VEX (not listed)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("database: nvd (newest record 2026-06-17T04:38:29Z)"), std::string::npos);
  // Top findings in risk order with component, severity, score, EPSS, KEV, fixed version.
  std::regex kev_row(
      R"(CVE-2024-1086\s+linux@6\.1\.176\s+HIGH\s+7\.8\s+83\.86%\s+yes \(due 2024-06-20\)\s+-)");
  EXPECT_TRUE(std::regex_search(t, kev_row)) << t;
  std::regex crit_row(
      R"(CVE-2022-48174\s+busybox-static@1\.35\.0\s+CRITICAL\s+9\.8\s+0\.13%\s+-\s+1\.36\.0)");
  EXPECT_TRUE(std::regex_search(t, crit_row)) << t;
  EXPECT_LT(t.find("CVE-2024-1086"), t.find("CVE-2022-48174"));
  EXPECT_LT(t.find("CVE-2022-48174"), t.find("CVE-2022-28391"));
  EXPECT_EQ(t.find("CVE-2023-50868"), std::string::npos) << "suppressed ones only counted";
  // Checks, trust, policy.
  EXPECT_TRUE(
      std::regex_search(t, std::regex(R"(HIGH\s+credentials/weak-password\s+/etc/shadow:1\s)")));
  EXPECT_TRUE(
      std::regex_search(t, std::regex(R"(HIGH\s+services/telnetd\s+/etc/init\.d/rcS:11\s)")));
  EXPECT_TRUE(std::regex_search(
      t, std::regex(R"(MEDIUM\s+crypto/private-key\s+/etc/ssl/private/router\.key\+0x0)")));
  EXPECT_TRUE(
      std::regex_search(t, std::regex(R"(FAIL\s+signature\s+fw-armhf-opkg-defects\.uImage)")));
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(PASS\s+sbom-hashes)")));
  EXPECT_NE(t.find("policy FAILED: 1 errors, 1 warnings"), std::string::npos);

  report::TableOptions o;
  o.show_suppressed = true;
  o.top = 2;
  std::string t2 = table(r, o);
  EXPECT_NE(t2.find("... 2 more"), std::string::npos) << t2;
  EXPECT_NE(t2.find("suppressed CVE-2023-50868 on dnsmasq-base@2.90: not_affected "
                    "(vulnerable_code_not_in_execute_path)"),
            std::string::npos)
      << t2;
  o.color = true;
  EXPECT_NE(table(r, o).find("\033["), std::string::npos);
}

TEST(Table, NoDatabaseAndHostileText) {
  model::Report r = hostile_report(nullptr);
  r.findings.clear();
  r.vulnerabilities_matched = false;
  std::string t = table(r);
  EXPECT_NE(t.find("not matched (no vulnerability database available"), std::string::npos) << t;
  EXPECT_EQ(t.find('\033'), std::string::npos) << "escape sequences from firmware are removed";
  EXPECT_EQ(t.find('\007'), std::string::npos);
  // An SBOM-only report prints no result sections at all.
  model::Report plain;
  plain.sbom.target.name = "x";
  EXPECT_EQ(table(plain).find("Vulnerabilities"), std::string::npos);
}

}  // namespace
