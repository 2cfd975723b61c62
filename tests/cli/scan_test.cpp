// Black-box tests of the whole scan: database import and status, vulnerabilities with gates,
// VEX round trip, SBOM targets, policy exit codes, and `verify` with keys made here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using waybill::test::run;

namespace {

std::string bin() {
  return waybill::test::waybill_bin().string();
}
std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

// One database per test binary run, built from the real records in ../shared.
class ScanWithDb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto shared = waybill::test::shared_dir();
    if (!shared) return;
    dir_ = waybill::test::temp_dir("scan-db");
    db_ = dir_ / "vuln.db";
    fs::path v = *shared / "data/vuln";
    auto r = run(bin() + " db --db " + q(db_) + " import " + q(v / "nvd/nvd_iot_cve_2.0.jsonl.xz") +
                 " " + q(v / "cve5/cve5_records.jsonl.xz") + " " +
                 q(v / "kev/known_exploited_vulnerabilities.json.xz") + " " + q(v / "epss"));
    import_ok_ = r.exit_code == 0;
    import_out_ = r.out + r.err;
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    shared_ = waybill::test::shared_dir();
    if (!shared_) GTEST_SKIP() << "../shared not found (set WAYBILL_SHARED); skipping";
    ASSERT_TRUE(import_ok_) << import_out_;
    image_ = *shared_ / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
  }
  std::optional<fs::path> shared_;
  fs::path image_;
  static inline fs::path dir_, db_;
  static inline bool import_ok_ = false;
  static inline std::string import_out_;
};

json scan_json(const std::string& args, int* rc = nullptr) {
  auto r = run(bin() + " scan -q " + args + " -o json");
  if (rc) *rc = r.exit_code;
  return json::parse(r.out, nullptr, false);
}

}  // namespace

TEST_F(ScanWithDb, StatusShowsEverySource) {
  auto r = run(bin() + " db --db " + q(db_) + " status");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* s : {"nvd", "cve5", "kev", "epss"}) EXPECT_NE(r.out.find(s), std::string::npos);
  EXPECT_NE(r.out.find("124"), std::string::npos) << "124 NVD IoT records: " << r.out;
  EXPECT_NE(r.out.find("1404"), std::string::npos) << "1404 KEV entries: " << r.out;
  // Importing the same files again changes nothing.
  fs::path v = *shared_ / "data/vuln";
  auto again =
      run(bin() + " db --db " + q(db_) + " import " + q(v / "nvd/nvd_iot_cve_2.0.jsonl.xz"));
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("124       0         0         124"), std::string::npos) << again.out;
}

TEST_F(ScanWithDb, FindingsExplainThemselvesAndGatesSetExitCode) {
  int rc = -1;
  json j = scan_json(q(image_) + " --db " + q(db_), &rc);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(rc, 0) << "no gate given";
  ASSERT_TRUE(j.contains("findings")) << j.dump().substr(0, 400);
  bool busybox = false, dnsmasq_2023_28450 = false;
  for (const auto& f : j["findings"]) {
    std::string id = f.value("id", "");
    std::string comp = f.value("componentName", "");
    if (id == "CVE-2022-28391" && comp.find("busybox") != std::string::npos) {
      busybox = true;
      ASSERT_FALSE(f["matches"].empty());
      std::string text = f["matches"][0].dump();
      EXPECT_NE(text.find("1.35.0"), std::string::npos) << text;  // the range end and the version
    }
    if (id == "CVE-2023-28450" && comp.find("dnsmasq") != std::string::npos)
      dnsmasq_2023_28450 = true;
  }
  EXPECT_TRUE(busybox) << "busybox 1.35.0 is inside CVE-2022-28391 (versionEndIncluding 1.35.0)";
  EXPECT_FALSE(dnsmasq_2023_28450) << "dnsmasq 2.90 is the excluded end of CVE-2023-28450";

  auto high = run(bin() + " scan -q " + q(image_) + " --db " + q(db_) + " --fail-on high");
  EXPECT_EQ(high.exit_code, 1) << high.err;
  EXPECT_NE(high.err.find("--fail-on"), std::string::npos);
  auto nodb = run(bin() + " scan -q " + q(image_) + " --db " + q(dir_ / "missing.db") +
                  " --fail-on low -o json");
  EXPECT_EQ(nodb.exit_code, 0) << "no database, no findings: " << nodb.err;
  EXPECT_NE(nodb.err.find("no vulnerability database"), std::string::npos) << nodb.err;
}

TEST_F(ScanWithDb, VexWrittenThenAppliedSuppresses) {
  fs::path vex = dir_ / "fw.openvex.json";
  auto w = run(bin() + " scan -q " + q(image_) + " --db " + q(db_) + " -o openvex=" + q(vex));
  ASSERT_EQ(w.exit_code, 0) << w.err;
  // Mark every statement not_affected, as a PSIRT would after analysis.
  json doc = json::parse(waybill::test::read_text(vex));
  ASSERT_FALSE(doc["statements"].empty());
  for (auto& s : doc["statements"]) {
    s["status"] = "not_affected";
    s["justification"] = "vulnerable_code_not_in_execute_path";
    s.erase("action_statement");
  }
  std::ofstream(vex) << doc.dump(2);
  int rc = -1;
  json j = scan_json(q(image_) + " --db " + q(db_) + " --vex " + q(vex) + " --fail-on low", &rc);
  EXPECT_EQ(rc, 0) << "every finding is suppressed by the VEX";
  ASSERT_FALSE(j.is_discarded());
  for (const auto& f : j["findings"]) EXPECT_TRUE(f.value("suppressed", false)) << f.dump();
}

TEST_F(ScanWithDb, SupplierSbomIsMatchedWithoutImage) {
  fs::path cdx = dir_ / "fw.cdx.json";
  auto w = run(bin() + " sbom -q " + q(image_) + " -o cyclonedx-json=" + q(cdx));
  ASSERT_EQ(w.exit_code, 0) << w.err;
  int rc = -1;
  json from_sbom = scan_json(q(cdx) + " --db " + q(db_), &rc);
  json from_image = scan_json(q(image_) + " --db " + q(db_) + " --no-checks");
  ASSERT_FALSE(from_sbom.is_discarded());
  ASSERT_FALSE(from_image.is_discarded());
  auto ids = [](const json& j) {
    std::set<std::string> s;
    for (const auto& f : j["findings"])
      s.insert(f.value("id", "") + " " + f.value("componentName", ""));
    return s;
  };
  EXPECT_FALSE(ids(from_sbom).empty());
  EXPECT_EQ(ids(from_sbom), ids(from_image)) << "the SBOM carries what matching needs";
}

TEST_F(ScanWithDb, PolicyFailsTheRun) {
  fs::path pol = fs::path(WAYBILL_SOURCE_DIR_DEFAULT) / "examples/policy.yaml";
  auto r =
      run(bin() + " scan -q " + q(image_) + " --db " + q(db_) + " --policy " + q(pol) + " -o json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_TRUE(j.contains("policy"));
  bool banned = false;
  for (const auto& v : j["policy"]) banned = banned || v.value("rule", "") == "banned-component";
  EXPECT_TRUE(banned);
  fs::path bad = dir_ / "bad.yaml";
  std::ofstream(bad) << "version: 1\nvulnerabilities:\n  max_severty: high\n";
  auto b = run(bin() + " scan -q " + q(image_) + " --policy " + q(bad));
  EXPECT_EQ(b.exit_code, 3);
  EXPECT_NE(b.err.find("bad.yaml:3"), std::string::npos) << b.err;
}

TEST_F(ScanWithDb, ChecksFindThePlantedDefects) {
  json j = scan_json(q(image_) + " --no-vulns");
  ASSERT_FALSE(j.is_discarded());
  std::set<std::string> where;
  for (const auto& c : j["checks"])
    where.insert(c.value("path", "") + ":" + std::to_string(c.value("line", 0)));
  for (const char* w : {"/etc/shadow:1", "/etc/shadow:9", "/etc/init.d/rcS:11",
                        "/etc/init.d/rcS:10", "/etc/config/cloud:4"})
    EXPECT_TRUE(where.count(w)) << w;
  // SARIF carries them with locations.
  auto s = run(bin() + " scan -q " + q(image_) + " --no-vulns -o sarif");
  json sarif = json::parse(s.out, nullptr, false);
  ASSERT_FALSE(sarif.is_discarded());
  bool telnetd = false;
  for (const auto& res : sarif["runs"][0]["results"]) {
    for (const auto& loc : res.value("locations", json::array())) {
      const auto& pl = loc["physicalLocation"];
      std::string uri = pl["artifactLocation"].value("uri", "");
      if (uri.find("etc/init.d/rcS") != std::string::npos && pl.contains("region") &&
          pl["region"].value("startLine", 0) == 11)
        telnetd = true;
    }
  }
  EXPECT_TRUE(telnetd) << "telnetd in /etc/init.d/rcS line 11 as a SARIF location";
}

TEST(Verify, DetachedSignatureWithGeneratedKeys) {
  fs::path d = waybill::test::temp_dir("verify");
  // Parenthesised: run() appends its own redirections to the command line.
  auto sh = [&](const std::string& c) { return run("cd " + q(d) + " && (" + c + ")"); };
  ASSERT_EQ(sh("head -c 100000 /dev/urandom > fw.bin").exit_code, 0);
  ASSERT_EQ(sh("openssl genpkey -algorithm ed25519 -out k.pem 2>/dev/null && "
               "openssl pkey -in k.pem -pubout -out k.pub 2>/dev/null && "
               "openssl pkeyutl -sign -inkey k.pem -rawin -in fw.bin -out fw.sig")
                .exit_code,
            0);
  auto ok = run(bin() + " verify " + q(d / "fw.bin") + " --signature " + q(d / "fw.sig") +
                " --key " + q(d / "k.pub"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("pass"), std::string::npos);
  ASSERT_EQ(sh("printf x >> fw.bin").exit_code, 0);
  auto bad = run(bin() + " verify " + q(d / "fw.bin") + " --signature " + q(d / "fw.sig") +
                 " --key " + q(d / "k.pub") + " -o json");
  EXPECT_EQ(bad.exit_code, 1);
  json j = json::parse(bad.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << bad.out;
  EXPECT_FALSE(j.value("passed", true));
  EXPECT_EQ(run(bin() + " verify " + q(d / "fw.bin")).exit_code, 2) << "nothing to verify";
  fs::remove_all(d);
}
