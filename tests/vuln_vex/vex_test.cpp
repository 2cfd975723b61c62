// VEX: reading OpenVEX, CycloneDX VEX and CSAF (the real documents of the shared corpus and their
// validity labels), applying statements to findings, and writing OpenVEX / CycloneDX VEX (schema
// validation, round trip).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "pipeline/inventory.h"
#include "sbom/encoder.h"
#include "support/encoders.h"
#include "support/support.h"
#include "vuln/vex/purl.h"
#include "vuln/vex/vex.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace waybill;
using vuln::apply_vex;
using vuln::Finding;
using vuln::parse_vex;
using vuln::read_vex;
using vuln::VexDocument;

namespace {

fs::path docs_dir(const fs::path& shared) {
  return shared / "corpus/documents";
}

json manifest(const fs::path& dir) {
  return json::parse(test::read_text(dir / "manifest.json"));
}

bool has_diag(const VexDocument& d, const std::string& needle) {
  for (const auto& x : d.diagnostics)
    if (x.message.find(needle) != std::string::npos) return true;
  return false;
}

std::string diags(const VexDocument& d) {
  std::string s;
  for (const auto& x : d.diagnostics) s += x.to_string() + "\n";
  return s;
}

Finding finding(std::string id, const model::Component& c) {
  Finding f;
  f.id = std::move(id);
  f.component_ref = c.bom_ref;
  f.component_name = c.name;
  f.component_version = c.version;
  f.component_purl = c.purl;
  return f;
}

model::Component component(std::string ref, std::string name, std::string version,
                           std::string purl = "", std::vector<std::string> cpes = {}) {
  model::Component c;
  c.bom_ref = std::move(ref);
  c.name = std::move(name);
  c.version = std::move(version);
  c.purl = std::move(purl);
  c.cpes = std::move(cpes);
  return c;
}

VexDocument must_parse(std::string_view name, std::string_view text) {
  auto r = parse_vex(name, text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? *r : VexDocument{};
}

}  // namespace

// ---- purl ----

TEST(Purl, ParsesAndDecodesPerSpec) {
  auto p =
      purl::parse_purl("pkg:deb/debian/busybox@1%3A1.35.0-4%2Bdeb12u1?distro=debian-12&arch=armhf");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, "deb");
  EXPECT_EQ(p->ns, "debian");
  EXPECT_EQ(p->name, "busybox");
  EXPECT_EQ(p->version, "1:1.35.0-4+deb12u1");
  EXPECT_EQ(p->qualifier("arch"), "armhf");
  EXPECT_EQ(p->qualifier("distro"), "debian-12");
  auto g = purl::parse_purl("pkg:golang/github.com/go-homedir@v1.1.0#sub/./dir");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->ns, "github.com");
  EXPECT_EQ(g->name, "go-homedir");
  EXPECT_EQ(g->subpath, "sub/dir");
  auto oci = purl::parse_purl(
      "pkg:oci/nginx@sha256%3A13d22ec63300e16014d4a42aed735207a8b33c223cff19627dd3042e5a10a3a0");
  ASSERT_TRUE(oci);
  EXPECT_EQ(oci->version.substr(0, 7), "sha256:");
  EXPECT_FALSE(purl::parse_purl("pkg:maven/@1.3.4"));  // no name
  EXPECT_FALSE(purl::parse_purl("cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"));
  EXPECT_FALSE(purl::parse_purl("pkg:"));
}

TEST(Purl, MatchIgnoresQualifiersTheStatementDoesNotGive) {
  auto comp = *purl::parse_purl("pkg:apk/alpine/git@2.39.0-r1?arch=armv7&distro=alpine-3.17");
  EXPECT_TRUE(purl::purl_matches(*purl::parse_purl("pkg:apk/alpine/git@2.39.0-r1"), comp));
  EXPECT_TRUE(purl::purl_matches(*purl::parse_purl("pkg:apk/alpine/git"), comp));
  EXPECT_TRUE(
      purl::purl_matches(*purl::parse_purl("pkg:apk/alpine/git@2.39.0-r1?arch=armv7"), comp));
  EXPECT_FALSE(
      purl::purl_matches(*purl::parse_purl("pkg:apk/alpine/git@2.39.0-r1?arch=x86_64"), comp));
  EXPECT_FALSE(purl::purl_matches(*purl::parse_purl("pkg:apk/alpine/git@2.39.0-r2"), comp));
  EXPECT_FALSE(purl::purl_matches(*purl::parse_purl("pkg:apk/wolfi/git@2.39.0-r1"), comp));
  // Case-insensitive types lowercase the name.
  EXPECT_TRUE(purl::purl_matches(*purl::parse_purl("pkg:APK/Alpine/GIT"), comp));
}

// ---- reading the shared corpus ----

TEST(OpenVex, EveryCorpusDocumentParses) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "openvex";
  int files = 0;
  for (const auto& e : manifest(dir)) {
    ASSERT_EQ(e["expected"], "valid");
    auto r = read_vex((dir / e["file"].get<std::string>()).string());
    ASSERT_TRUE(r.ok()) << e["file"] << ": " << r.error().to_string();
    EXPECT_EQ(r->format, "openvex");
    EXPECT_FALSE(r->entries.empty()) << e["file"];
    for (const auto& x : r->entries) {
      EXPECT_TRUE(vuln::is_openvex_status(x.statement.status));
      EXPECT_FALSE(x.timestamp.empty()) << e["file"] << " " << x.where;
    }
    ++files;
  }
  EXPECT_EQ(files, 11);
}

TEST(OpenVex, OldAndNewContextsMapTheSameWay) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "openvex/pkg/ctl/testdata";
  auto v1 = read_vex((dir / "v001-1.vex.json").string());
  ASSERT_TRUE(v1.ok());
  ASSERT_EQ(v1->entries.size(), 1u);
  EXPECT_EQ(v1->entries[0].id, "CVE-1234-5678");
  EXPECT_EQ(v1->entries[0].purls, std::vector<std::string>{"pkg:apk/wolfi/bash@1.0.0"});
  EXPECT_EQ(v1->entries[0].statement.status, "under_investigation");
  EXPECT_EQ(v1->entries[0].timestamp, "2022-12-22T16:36:43-05:00");
  auto v2 = read_vex((dir / "v020-1.vex.json").string());
  ASSERT_TRUE(v2.ok());
  ASSERT_EQ(v2->entries.size(), 1u);
  EXPECT_EQ(v2->entries[0].id, "CVE-9876-54321");
  EXPECT_EQ(v2->entries[0].purls, std::vector<std::string>{"pkg:apk/wolfi/bash@1.0.0"});

  auto h =
      read_vex((docs_dir(shared) / "openvex/examples/sarif/sample-history.openvex.json").string());
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->entries.size(), 2u);
  EXPECT_EQ(h->entries[0].statement.status, "not_affected");
  EXPECT_EQ(h->entries[0].statement.justification, "component_not_present");
  EXPECT_EQ(h->entries[0].aliases, std::vector<std::string>{"SNYK-DEBIAN12-LIBDE265-3361563"});
  // The second statement has no timestamp of its own: the document's.
  EXPECT_EQ(h->entries[1].timestamp, "2023-08-16T19:55:22.076684217-06:00");
}

TEST(CycloneDxVex, EveryCorpusDocumentParsesWithMappedStates) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "cyclonedx-examples";
  int files = 0;
  std::size_t entries = 0;
  for (const auto& e : manifest(dir)) {
    std::string f = e["file"];
    if (f.rfind("VEX/", 0) != 0) continue;
    ASSERT_EQ(e["expected"], "valid") << f;
    auto r = read_vex((dir / f).string());
    ASSERT_TRUE(r.ok()) << f << ": " << r.error().to_string();
    EXPECT_EQ(r->format, "cyclonedx");
    for (const auto& x : r->entries) {
      EXPECT_TRUE(vuln::is_openvex_status(x.statement.status)) << f;
      EXPECT_FALSE(x.bom_refs.empty()) << f;
    }
    entries += r->entries.size();
    ++files;
  }
  EXPECT_EQ(files, 33);
  EXPECT_EQ(entries, 138u);  // one per affects element with analysis.state (one dropped)

  fs::path c1 = dir / "VEX/CISA-Use-Cases/Case-1";
  // file -> (status, name and version of the metadata.component the affects ref names)
  std::map<std::string, std::tuple<std::string, std::string, std::string>> expect = {
      {"vex-affected.json", {"affected", "DEF", "1.0"}},
      {"vex-fixed.json", {"fixed", "DEF", "1.1"}},
      {"vex-not_affected.json", {"not_affected", "ABC", "4.2"}},
      {"vex-under_investigation.json", {"under_investigation", "GHI", "17.4"}}};
  for (const auto& [file, want] : expect) {
    const auto& [status, name, version] = want;
    auto r = read_vex((c1 / file).string());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->entries.size(), 1u) << file;
    const auto& x = r->entries[0];
    EXPECT_EQ(x.id, "CVE-2021-44228");
    EXPECT_EQ(x.statement.status, status) << file;
    // The affects ref ("product-ABC" ...) resolves to the document's metadata.component.
    ASSERT_EQ(x.name_versions.size(), 1u) << file;
    EXPECT_EQ(x.name_versions[0], (std::pair<std::string, std::string>{name, version}));
    EXPECT_EQ(x.timestamp, "2022-03-03T00:00:00Z");
  }
  auto na = read_vex((c1 / "vex-not_affected.json").string());
  EXPECT_EQ(na->entries[0].source_justification, "code_not_present");
  EXPECT_EQ(na->entries[0].statement.justification, "vulnerable_code_not_present");
  EXPECT_EQ(na->entries[0].statement.action, "will_not_fix");
}

TEST(CycloneDxVex, BomLinksRangesAndMissingAffects) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "cyclonedx-examples/VEX";
  auto c13 = read_vex((dir / "Use-Cases/Case-13/vex.json").string());
  ASSERT_TRUE(c13.ok());
  ASSERT_EQ(c13->entries.size(), 3u);  // one per affects element
  EXPECT_EQ(c13->entries[0].bom_refs[0],
            "urn:cdx:2c385cf7-e1ee-46e9-a51c-13de1ecb380a/1#acme-product-1");
  EXPECT_EQ(c13->entries[0].statement.justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(c13->entries[2].statement.status, "affected");
  // The references[] ids are aliases.
  auto c9 = read_vex((dir / "Use-Cases/Case-9/vex.json").string());
  ASSERT_TRUE(c9.ok());
  EXPECT_EQ(c9->entries.size(), 57u);
  // Case-7: a vulnerability without affects is not a statement about anything.
  auto c7 = read_vex((dir / "Use-Cases/Case-7/vex.json").string());
  ASSERT_TRUE(c7.ok());
  EXPECT_TRUE(c7->entries.empty());
  EXPECT_TRUE(has_diag(*c7, "affects nothing")) << diags(*c7);
  // CISA Case-7: exact versions and ranges on affects.
  auto cc7 = read_vex((dir / "CISA-Use-Cases/Case-7/vex.json").string());
  ASSERT_TRUE(cc7.ok());
  ASSERT_FALSE(cc7->entries.empty());
  EXPECT_EQ(cc7->entries[0].versions, (std::vector<std::string>{"2.4", "2.6"}));
  // A BOM without vulnerabilities has no statements, and says so.
  auto bom = read_vex((dir / "Use-Cases/Case-13/bom-1.json").string());
  ASSERT_TRUE(bom.ok());
  EXPECT_TRUE(bom->entries.empty());
  EXPECT_FALSE(bom->diagnostics.empty());
}

TEST(CsafVex, OfficialVexExamplesParse) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "csaf";
  int files = 0;
  for (const auto& e : manifest(dir)) {
    std::string f = e["file"];
    if (f.find("csaf_vex/") == std::string::npos) continue;
    auto r = read_vex((dir / f).string());
    ASSERT_TRUE(r.ok()) << f << ": " << r.error().to_string();
    EXPECT_EQ(r->format, "csaf");
    EXPECT_FALSE(r->entries.empty()) << f << "\n" << diags(*r);
    EXPECT_FALSE(has_diag(*r, "(CSAF 6.1.")) << f << "\n" << diags(*r);
    ++files;
  }
  EXPECT_EQ(files, 7);

  auto na = read_vex((dir / "examples/csaf/csaf_vex/2022-evd-uc-01-na-001.json").string());
  ASSERT_TRUE(na.ok());
  ASSERT_EQ(na->entries.size(), 1u);
  const auto& x = na->entries[0];
  EXPECT_EQ(x.id, "CVE-2021-44228");
  EXPECT_EQ(x.statement.status, "not_affected");
  EXPECT_EQ(x.source_status, "known_not_affected");
  EXPECT_EQ(x.statement.impact, "Class with vulnerable code was removed before shipping.");
  ASSERT_EQ(x.name_versions.size(), 1u);
  EXPECT_EQ(x.name_versions[0], (std::pair<std::string, std::string>{"ABC", "4.2"}));
  EXPECT_EQ(x.timestamp, "2022-03-03T11:00:00.000Z");

  // Statuses of the other use cases.
  std::map<std::string, std::string> expect = {{"2022-evd-uc-01-a-001.json", "affected"},
                                               {"2022-evd-uc-01-f-001.json", "fixed"}};
  for (const auto& [file, status] : expect) {
    auto r = read_vex((dir / "examples/csaf/csaf_vex" / file).string());
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->entries.empty());
    EXPECT_EQ(r->entries[0].statement.status, status) << file;
  }
  // vexctl's input (published as an example, fails the schema): read, with its helper purls.
  auto vx = read_vex((dir / "vexctl/csaf.json").string());
  ASSERT_TRUE(vx.ok()) << vx.error().to_string();
  ASSERT_EQ(vx->entries.size(), 1u);
  EXPECT_EQ(vx->entries[0].id, "CVE-2009-4487");
}

// Every CSAF validator test document parses or fails with an error naming it; the invalid ones
// whose mandatory test concerns VEX decisions (product ids, groups, statuses, flags, VEX profile,
// version ranges) produce a diagnostic naming that test; the valid ones produce none of those.
TEST(CsafVex, ValidatorTestSetLabels) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "csaf";
  const std::set<std::string> checked = {"6.1.1",    "6.1.2",     "6.1.4",    "6.1.5",
                                         "6.1.6",    "6.1.23",    "6.1.27.7", "6.1.27.8",
                                         "6.1.27.9", "6.1.27.10", "6.1.31",   "6.1.32"};
  int valid = 0, invalid_checked = 0, invalid_other = 0;
  for (const auto& e : manifest(dir)) {
    std::string f = e["file"];
    if (f.find("validator-tests") == std::string::npos) continue;
    auto r = read_vex((dir / f).string());
    std::string label = e["expected"];
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find(f.substr(f.rfind('/') + 1)), std::string::npos)
          << r.error().message;
      EXPECT_EQ(label, "invalid") << f << ": " << r.error().to_string();
      continue;
    }
    if (label == "valid" || label == "valid-with-findings") {
      ++valid;
      for (const auto& t : checked)
        EXPECT_FALSE(has_diag(*r, "(CSAF " + t + ")")) << f << "\n" << diags(*r);
      continue;
    }
    std::string notes = e["notes"];  // "fails mandatory test 6.1.6; ..."
    auto p = notes.find("test ");
    std::string test = notes.substr(p + 5, notes.find(';') - p - 5);
    if (checked.count(test)) {
      ++invalid_checked;
      EXPECT_TRUE(has_diag(*r, "(CSAF " + test + ")")) << f << "\n" << diags(*r);
    } else {
      ++invalid_other;  // revision history, CVSS, CWE ...: not VEX decisions (documented)
    }
  }
  EXPECT_GT(valid, 100);
  EXPECT_GE(invalid_checked, 17);
  EXPECT_GT(invalid_other, 0);
}

TEST(Vex, MalformedDocumentsAreClearErrors) {
  auto bad = parse_vex("broken.json", "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", ");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("broken.json"), std::string::npos);
  auto nostmt = parse_vex("nostmt.json", R"({"@context": "https://openvex.dev/ns/v0.2.0"})");
  ASSERT_FALSE(nostmt.ok());
  EXPECT_NE(nostmt.error().message.find("nostmt.json"), std::string::npos);
  EXPECT_NE(nostmt.error().message.find("statements"), std::string::npos);
  auto other = parse_vex("other.json", R"({"hello": 1})");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("not a VEX document"), std::string::npos);
  std::string deep(200, '[');
  EXPECT_FALSE(parse_vex("deep.json", deep).ok());
  auto missing = read_vex("/nonexistent/vex.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/vex.json"), std::string::npos);
  // Statement-level problems are diagnostics, the rest is read.
  auto partial = must_parse("partial.json", R"({
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
    "timestamp": "2024-01-01T00:00:00Z", "version": 1,
    "statements": [
      {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:generic/a@1"}],
       "status": "maybe"},
      {"vulnerability": {"name": "CVE-2"}, "products": [], "status": "fixed"},
      {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:generic/a@1"}],
       "status": "not_affected"},
      {"vulnerability": {"name": "CVE-4"}, "products": [{"@id": "pkg:generic/a@1"}],
       "status": "affected", "action_statement": "update"}]})");
  ASSERT_EQ(partial.entries.size(), 2u);
  EXPECT_TRUE(has_diag(partial, "unknown status \"maybe\"")) << diags(partial);
  EXPECT_TRUE(has_diag(partial, "names no product")) << diags(partial);
  EXPECT_TRUE(has_diag(partial, "not_affected without justification")) << diags(partial);
  EXPECT_EQ(partial.diagnostics[0].file, "partial.json");
}

// ---- apply ----

TEST(ApplyVex, MatchesByIdAndProduct) {
  std::vector<model::Component> comps = {
      component("pkg:deb/debian/busybox@1:1.35.0-4?arch=armhf&distro=debian-12", "busybox",
                "1.35.0", "pkg:deb/debian/busybox@1:1.35.0-4?arch=armhf&distro=debian-12",
                {"cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"}),
      component("waybill:dropbear@2022.83", "dropbear", "2022.83", "",
                {"cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*"})};
  auto doc = must_parse("a.openvex.json", R"({
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "d", "author": "supplier",
    "timestamp": "2024-05-01T00:00:00Z", "version": 1, "statements": [
      {"vulnerability": {"name": "CVE-2022-28391"},
       "products": [{"@id": "pkg:deb/debian/busybox@1:1.35.0-4"}],
       "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
      {"vulnerability": {"name": "CVE-2022-48174"},
       "products": [{"@id": "pkg:deb/debian/busybox@1:1.35.0-5"}], "status": "fixed"},
      {"vulnerability": {"name": "GHSA-xxxx", "aliases": ["CVE-2023-48795"]},
       "products": [{"@id": "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*"}],
       "status": "affected", "action_statement": "upgrade to 2024.84"},
      {"vulnerability": {"name": "CVE-2021-36369"},
       "products": [{"@id": "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2020.81:*:*:*:*:*:*:*"}],
       "status": "not_affected", "justification": "component_not_present"}]})");
  std::vector<Finding> fs = {
      finding("CVE-2022-28391", comps[0]), finding("CVE-2022-48174", comps[0]),
      finding("CVE-2023-48795", comps[1]), finding("CVE-2021-36369", comps[1]),
      finding("CVE-2099-0001", comps[0])};
  apply_vex(std::span<const VexDocument>(&doc, 1), fs, comps);
  ASSERT_TRUE(fs[0].vex);
  EXPECT_EQ(fs[0].vex->status, "not_affected");
  EXPECT_EQ(fs[0].vex->justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(fs[0].vex->document, "a.openvex.json");
  EXPECT_EQ(fs[0].vex->format, "openvex");
  EXPECT_TRUE(fs[0].suppressed);
  EXPECT_FALSE(fs[1].vex) << "package version differs: no match";
  EXPECT_FALSE(fs[1].suppressed);
  ASSERT_TRUE(fs[2].vex) << "matched through the statement's alias and the CPE";
  EXPECT_EQ(fs[2].vex->status, "affected");
  EXPECT_FALSE(fs[2].suppressed);
  EXPECT_FALSE(fs[3].vex) << "CPE version differs";
  EXPECT_FALSE(fs[4].vex);
}

TEST(ApplyVex, LaterTimestampThenLaterDocumentWins) {
  std::vector<model::Component> comps = {
      component("c1", "openssl", "3.0.11", "pkg:generic/openssl@3.0.11")};
  auto older = must_parse("old.json", R"({"@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "o", "author": "a", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
    "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:generic/openssl"}],
      "status": "under_investigation", "timestamp": "2024-03-01T00:00:00+02:00"}]})");
  auto newer = must_parse("new.json", R"({"@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "n", "author": "a", "timestamp": "2024-02-01T00:00:00Z", "version": 1,
    "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:generic/openssl"}],
      "status": "not_affected", "justification": "vulnerable_code_not_present",
      "timestamp": "2024-02-29T23:30:00Z"}]})");
  std::vector<Finding> fs = {finding("CVE-1", comps[0])};
  // 2024-03-01T00:00+02:00 is 2024-02-29T22:00Z: earlier than the "new" statement.
  std::vector<VexDocument> docs = {older, newer};
  apply_vex(docs, fs, comps);
  ASSERT_TRUE(fs[0].vex);
  EXPECT_EQ(fs[0].vex->status, "not_affected");
  EXPECT_EQ(fs[0].vex->document, "new.json");
  // Document order does not matter when timestamps differ.
  std::vector<Finding> fs2 = {finding("CVE-1", comps[0])};
  std::vector<VexDocument> rev = {newer, older};
  apply_vex(rev, fs2, comps);
  EXPECT_EQ(fs2[0].vex->status, "not_affected");
  // Equal timestamps: the later document wins.
  auto same = newer;
  same.path = "same.json";
  for (auto& e : same.entries) {
    e.statement.status = "affected";
    e.statement.document = "same.json";
  }
  std::vector<Finding> fs3 = {finding("CVE-1", comps[0])};
  std::vector<VexDocument> tie = {newer, same};
  apply_vex(tie, fs3, comps);
  EXPECT_EQ(fs3[0].vex->status, "affected");
  EXPECT_FALSE(fs3[0].suppressed);
}

TEST(ApplyVex, BomRefsBomLinksAndNameVersion) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs_dir(shared) / "cyclonedx-examples/VEX";
  // Case-13: bom-links into three product BOMs; only product 1 and 2 are not_affected.
  auto vex = read_vex((dir / "Use-Cases/Case-13/vex.json").string());
  ASSERT_TRUE(vex.ok());
  std::vector<model::Component> comps = {component("acme-product-1", "Acme Product 1", ""),
                                         component("acme-product-3", "Acme Product 3", "")};
  std::vector<Finding> fs = {finding("CVE-2020-25649", comps[0]),
                             finding("CVE-2020-25649", comps[1])};
  auto fs_wrong_serial = fs;
  apply_vex(std::span<const VexDocument>(&*vex, 1), fs, comps,
            "urn:uuid:2c385cf7-e1ee-46e9-a51c-13de1ecb380a");
  ASSERT_TRUE(fs[0].vex);
  EXPECT_TRUE(fs[0].suppressed);
  EXPECT_FALSE(fs[1].vex) << "product 3's link names another BOM serial";
  apply_vex(std::span<const VexDocument>(&*vex, 1), fs_wrong_serial, comps,
            "urn:uuid:00000000-0000-0000-0000-000000000000");
  EXPECT_FALSE(fs_wrong_serial[0].vex);

  // CISA Case-1 not_affected: the affects ref resolves to metadata.component ABC 4.2, so a
  // component ABC 4.2 of another SBOM matches by name and version, ABC 4.3 does not.
  auto na = read_vex((dir / "CISA-Use-Cases/Case-1/vex-not_affected.json").string());
  ASSERT_TRUE(na.ok());
  std::vector<model::Component> abc = {component("x1", "ABC", "4.2"),
                                       component("x2", "abc", "4.3")};
  std::vector<Finding> f2 = {finding("CVE-2021-44228", abc[0]), finding("CVE-2021-44228", abc[1])};
  apply_vex(std::span<const VexDocument>(&*na, 1), f2, abc);
  ASSERT_TRUE(f2[0].vex);
  EXPECT_EQ(f2[0].vex->status, "not_affected");
  EXPECT_EQ(f2[0].vex->format, "cyclonedx");
  EXPECT_TRUE(f2[0].suppressed);
  EXPECT_FALSE(f2[1].vex);

  // CISA Case-7: exploitable for product-ABC versions 2.4 and 2.6 only.
  auto c7 = read_vex((dir / "CISA-Use-Cases/Case-7/vex.json").string());
  ASSERT_TRUE(c7.ok());
  std::vector<model::Component> p = {component("product-ABC", "ABC", "2.6"),
                                     component("product-ABC", "ABC", "3.0")};
  std::vector<Finding> f3 = {finding("CVE-2021-44228", p[0])};
  apply_vex(std::span<const VexDocument>(&*c7, 1), f3, {p[0]});
  ASSERT_TRUE(f3[0].vex);
  EXPECT_EQ(f3[0].vex->status, "affected");
  std::vector<Finding> f4 = {finding("CVE-2021-44228", p[1])};
  apply_vex(std::span<const VexDocument>(&*c7, 1), f4, {p[1]});
  EXPECT_FALSE(f4[0].vex);
}

TEST(ApplyVex, CsafProductTreeIdentifiers) {
  WAYBILL_REQUIRE_SHARED(shared);
  auto vx = read_vex((docs_dir(shared) / "csaf/vexctl/csaf.json").string());
  ASSERT_TRUE(vx.ok());
  // CSAFPID-0001 carries the (nameless, hence unusable) purl "pkg:maven/@1.3.4" and sits under
  // product_name ABC without a version branch: it matches component ABC of any version.
  std::vector<model::Component> comps = {component("r", "ABC", "9.9")};
  std::vector<Finding> fs = {finding("CVE-2009-4487", comps[0])};
  apply_vex(std::span<const VexDocument>(&*vx, 1), fs, comps);
  ASSERT_TRUE(fs[0].vex);
  EXPECT_EQ(fs[0].vex->status, "not_affected");
  EXPECT_EQ(fs[0].vex->format, "csaf");
  EXPECT_EQ(fs[0].vex->impact, "Class with vulnerable code was removed before shipping.");
}

TEST(ApplyVex, CsafContradictionsNeverSuppress) {
  auto doc = must_parse("c.json", R"({
    "document": {"category": "csaf_vex", "csaf_version": "2.0",
      "tracking": {"id": "T", "current_release_date": "2024-01-01T00:00:00Z"}},
    "product_tree": {"full_product_names": [
      {"product_id": "P1", "name": "busybox 1.36.1",
       "product_identification_helper": {"purl": "pkg:generic/busybox@1.36.1"}}]},
    "vulnerabilities": [{"cve": "CVE-2023-42363",
      "product_status": {"known_not_affected": ["P1"], "known_affected": ["P1"]},
      "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["P1"]}]}]})");
  EXPECT_TRUE(doc.entries.empty());
  EXPECT_TRUE(has_diag(doc, "(CSAF 6.1.6)")) << diags(doc);
}

// ---- writing ----

namespace {

std::string encode(std::string_view id, const model::Report& r) {
  return test::encode_report(id, r);
}

fs::path source_dir() {
  return test::source_tree();
}

std::string quote(const fs::path& p) {
  return "'" + p.string() + "'";
}

// A real inventory (the shipped opkg-defects image) with findings modelled on real records.
const model::Report& real_report() {
  static model::Report report = [] {
    model::Report r;
    auto shared = test::shared_dir();
    if (!shared) return r;
    pipeline::InventoryOptions opts;
    opts.tool_version = "0.1.0";
    auto inv = pipeline::build_inventory(
        (*shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage").string(), opts);
    if (!inv.ok()) return r;
    r.sbom = std::move(inv->sbom);
    r.sbom.timestamp = "2026-11-24T22:00:00Z";
    const model::Component* bb = nullptr;
    const model::Component* other = nullptr;
    for (const auto& c : r.sbom.components) {
      if (c.name.find("busybox") != std::string::npos && !bb) bb = &c;
      if (c.name.find("busybox") == std::string::npos && !c.purl.empty() && !other) other = &c;
    }
    if (!bb || !other) return r;
    Finding a = finding("CVE-2022-28391", *bb);
    a.aliases = {"GHSA-fake-0001"};
    a.cvss.push_back(
        {"nvd@nist.gov", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "HIGH", true});
    a.severity = "high";
    a.score = 8.8;
    a.cwes = {"CWE-79"};
    a.summary = "BusyBox through 1.35.0 allows remote attackers to execute arbitrary code.";
    a.fixed_version = "1.36.0";
    vuln::MatchExplanation m;
    m.source = "nvd";
    m.record = "CVE-2022-28391";
    m.method = "cpe-configuration";
    a.matches.push_back(m);
    Finding b = finding("CVE-2022-48174", *bb);
    b.vex = vuln::VexStatement{
        "not_affected", "vulnerable_code_not_in_execute_path", "", "", "supplier.openvex.json",
        "openvex"};
    b.suppressed = true;
    Finding c = finding("CVE-2023-42363", *bb);
    c.vex = vuln::VexStatement{"fixed", "", "", "", "supplier.cdx.json", "cyclonedx"};
    c.suppressed = true;
    Finding d = finding("CVE-2024-0001", *other);
    d.vex = vuln::VexStatement{"under_investigation", "", "", "", "x.json", "csaf"};
    Finding e = finding("CVE-2024-0002", *other);
    e.vex = vuln::VexStatement{"not_affected", "",    "only reachable with IPv6 enabled", "",
                               "x.json",       "csaf"};
    e.suppressed = true;
    Finding f;  // a finding whose component is not in the SBOM
    f.id = "OSV-2024-1";
    f.component_name = "libfoo";
    f.component_version = "1.0";
    f.component_purl = "pkg:generic/libfoo@1.0";
    r.findings = {a, b, c, d, e, f};
    r.vulnerabilities_matched = true;
    return r;
  }();
  return report;
}

}  // namespace

TEST(VexOutput, OpenVexIsStructurallyValidAndDeterministic) {
  WAYBILL_REQUIRE_SHARED(shared);
  const model::Report& r = real_report();
  ASSERT_EQ(r.findings.size(), 6u) << "inventory of the shared image failed";
  std::string text = encode("openvex", r);
  EXPECT_EQ(text, encode("openvex", r)) << "same report, same bytes";
  json j = json::parse(text);
  EXPECT_EQ(j["@context"], "https://openvex.dev/ns/v0.2.0");
  EXPECT_EQ(j["@id"].get<std::string>().rfind("urn:uuid:", 0), 0u);
  EXPECT_FALSE(j["author"].get<std::string>().empty());
  EXPECT_EQ(j["timestamp"], "2026-11-24T22:00:00Z");
  EXPECT_EQ(j["version"], 1);
  ASSERT_EQ(j["statements"].size(), 6u);
  for (const auto& s : j["statements"]) {
    ASSERT_TRUE(s["vulnerability"]["name"].is_string());
    ASSERT_FALSE(s["products"].empty());
    for (const auto& p : s["products"]) EXPECT_FALSE(p["@id"].get<std::string>().empty());
    std::string st = s["status"];
    EXPECT_TRUE(vuln::is_openvex_status(st)) << st;
    if (st == "not_affected") {
      EXPECT_TRUE(s.contains("justification") || s.contains("impact_statement")) << s.dump();
    }
    if (st == "affected") {
      EXPECT_TRUE(s.contains("action_statement")) << s.dump();
    }
    if (s.contains("justification")) {
      EXPECT_TRUE(vuln::is_openvex_justification(s["justification"].get<std::string>()));
    }
  }
  EXPECT_EQ(j["statements"][0]["status"], "affected");
  EXPECT_NE(j["statements"][0]["action_statement"].get<std::string>().find("1.36.0"),
            std::string::npos);
  EXPECT_EQ(j["statements"][0]["vulnerability"]["aliases"][0], "GHSA-fake-0001");
  EXPECT_EQ(j["statements"][1]["justification"], "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(j["statements"][5]["products"][0]["@id"], "pkg:generic/libfoo@1.0");
}

TEST(VexOutput, CycloneDxVexValidatesAgainstTheSchema) {
  WAYBILL_REQUIRE_SHARED(shared);
  const model::Report& r = real_report();
  ASSERT_EQ(r.findings.size(), 6u);
  std::string text = encode("cyclonedx-vex", r);
  EXPECT_EQ(text, encode("cyclonedx-vex", r));
  json j = json::parse(text);
  EXPECT_EQ(j["specVersion"], "1.6");
  ASSERT_EQ(j["vulnerabilities"].size(), 6u);
  const json& v0 = j["vulnerabilities"][0];
  EXPECT_EQ(v0["analysis"]["state"], "exploitable");
  EXPECT_EQ(v0["analysis"]["response"][0], "update");
  EXPECT_EQ(v0["ratings"][0]["method"], "CVSSv31");
  EXPECT_EQ(v0["cwes"][0], 79);
  EXPECT_EQ(j["vulnerabilities"][1]["analysis"]["state"], "not_affected");
  EXPECT_EQ(j["vulnerabilities"][1]["analysis"]["justification"], "code_not_reachable");
  EXPECT_EQ(j["vulnerabilities"][2]["analysis"]["state"], "resolved");
  EXPECT_EQ(j["vulnerabilities"][3]["analysis"]["state"], "in_triage");
  // Every affects ref names a component of the document.
  std::set<std::string> refs;
  for (const auto& c : j["components"]) refs.insert(c["bom-ref"].get<std::string>());
  for (const auto& v : j["vulnerabilities"])
    for (const auto& a : v["affects"]) EXPECT_TRUE(refs.count(a["ref"].get<std::string>()));

  if (test::run("command -v node").exit_code != 0 ||
      !fs::exists(source_dir() / "tools/validate/node_modules/ajv"))
    GTEST_SKIP() << "schema validator not installed (node / tools/validate/node_modules)";
  fs::path dir = test::temp_dir("vex-cdx");
  fs::path out = dir / "report.vex.cdx.json";
  std::ofstream(out) << text;
  auto res = test::run("node " + quote(source_dir() / "tools/validate/validate.js") +
                       " cyclonedx-json " + quote(out));
  EXPECT_EQ(res.exit_code, 0) << res.out << res.err;
  // The validator can fail: an unknown analysis state.
  std::string bad = text;
  auto pos = bad.find("\"exploitable\"");
  ASSERT_NE(pos, std::string::npos);
  bad.replace(pos, 13, "\"exploitible\"");
  std::ofstream(dir / "bad.json") << bad;
  res = test::run("node " + quote(source_dir() / "tools/validate/validate.js") +
                  " cyclonedx-json " + quote(dir / "bad.json"));
  EXPECT_EQ(res.exit_code, 1) << res.out << res.err;
  fs::remove_all(dir);
}

TEST(VexOutput, RoundTripGivesTheSameDecisions) {
  WAYBILL_REQUIRE_SHARED(shared);
  const model::Report& r = real_report();
  ASSERT_EQ(r.findings.size(), 6u);
  for (std::string format : {"openvex", "cyclonedx-vex"}) {
    std::string text = encode(format, r);
    auto doc = parse_vex("roundtrip." + format, text);
    ASSERT_TRUE(doc.ok()) << doc.error().to_string();
    EXPECT_TRUE(doc->diagnostics.empty()) << format << "\n" << diags(*doc);
    std::vector<Finding> fresh = r.findings;
    for (auto& f : fresh) {
      f.vex.reset();
      f.suppressed = false;
    }
    apply_vex(std::span<const VexDocument>(&*doc, 1), fresh, r.sbom.components);
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      SCOPED_TRACE(format + " " + r.findings[i].id);
      ASSERT_TRUE(fresh[i].vex);
      std::string want = r.findings[i].vex ? r.findings[i].vex->status : "affected";
      EXPECT_EQ(fresh[i].vex->status, want);
      if (r.findings[i].vex) {
        EXPECT_EQ(fresh[i].vex->justification, r.findings[i].vex->justification);
      }
      EXPECT_EQ(fresh[i].suppressed, r.findings[i].suppressed);
    }
  }
}
