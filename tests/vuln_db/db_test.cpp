// Vulnerability database on the real feed files in ../shared/data/vuln: exact counts per
// source, idempotent re-import, updates, malformed input, KEV/EPSS joins, CVE 5 ranges, NVD
// structures, status, candidate lookup, schema version.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "support/support.h"
#include "vuln/db/codec.h"
#include "vuln/db/database.h"

namespace waybill::vuln {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Database> fresh(const fs::path& dir, const std::string& name = "v.db") {
  fs::remove(dir / name);
  auto db = Database::open((dir / name).string(), true);
  EXPECT_TRUE(db.ok()) << db.error().to_string();
  return std::move(db.value());
}

ImportReport import(Database& db, const std::vector<fs::path>& paths) {
  std::vector<std::string> p;
  for (const auto& x : paths) p.push_back(x.string());
  auto r = db.import_paths(p, {});
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? std::move(r.value()) : ImportReport{};
}

std::string xz_text(const fs::path& p) {
  auto r = test::run("xz -dc '" + p.string() + "'");
  EXPECT_EQ(r.exit_code, 0);
  return r.out;
}

std::string lower_copy(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const VulnRecord* find_source(const std::vector<VulnRecord>& v, std::string_view source) {
  for (const auto& r : v)
    if (r.source == source) return &r;
  return nullptr;
}

class VulnDb : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = test::shared_dir();
    if (!s || !fs::exists(*s / "data/vuln/MANIFEST.json"))
      GTEST_SKIP() << "../shared/data/vuln not found (set WAYBILL_SHARED)";
    data_ = *s / "data/vuln";
    tmp_ = test::temp_dir("vuln_db");
  }
  void TearDown() override {
    if (!tmp_.empty()) fs::remove_all(tmp_);
  }
  fs::path data_, tmp_;
};

struct Expect {
  const char* file;
  const char* source;
  std::uint64_t read, inserted, unchanged;
};

// Every file in the directory, alone in a fresh database: exact counts.
TEST_F(VulnDb, ExactCountsPerFile) {
  const Expect cases[] = {
      {"nvd/nvd_cve_2.0.jsonl.xz", "nvd", 24, 24, 0},
      {"nvd/nvd_cve_2.0_originals.tar.xz", "nvd", 18, 18, 0},  // 13 API responses + 5 fkie-cad
      {"nvd/nvd_iot_cve_2.0.jsonl.xz", "nvd", 124, 124, 0},
      {"nvd/nvd_iot_cve_2.0_originals.tar.xz", "nvd", 124, 124, 0},  // bare cve objects
      {"cve5/cve5_records.jsonl.xz", "cve5", 60, 60, 0},
      {"cve5/cve5_originals.tar.xz", "cve5", 60, 60, 0},
      {"osv/osv_go.jsonl.xz", "osv", 2280, 2280, 0},
      {"osv/osv_go_originals.tar.xz", "osv", 2280, 2280, 0},
      // OSV-2023-38/-49/-69 are filed twice upstream with the same modified time.
      {"osv/osv_oss-fuzz.jsonl.xz", "osv", 1937, 1934, 3},
      {"osv/osv_distro_samples.jsonl.xz", "osv", 3, 3, 0},
      {"osv/osv_distro_samples_originals.tar.xz", "osv", 3, 3, 0},
      {"kev/known_exploited_vulnerabilities.json.xz", "kev", 1404, 1404, 0},
      {"kev/known_exploited_vulnerabilities.csv.xz", "kev", 1404, 1404, 0},
      {"epss/epss_api_records.jsonl.xz", "epss", 9, 9, 0},
      {"epss/epss_scores-current_head31.csv.xz", "epss", 29, 29, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto db = fresh(tmp_);
    auto rep = import(*db, {data_ / c.file});
    EXPECT_EQ(rep.skipped, 0u);
    for (const auto& i : rep.issues) ADD_FAILURE() << i.file << " " << i.id << ": " << i.message;
    ASSERT_EQ(rep.sources.size(), 1u);
    const auto& n = rep.sources.at(c.source);
    EXPECT_EQ(n.read, c.read);
    EXPECT_EQ(n.inserted, c.inserted);
    EXPECT_EQ(n.unchanged, c.unchanged);
    EXPECT_EQ(n.updated, 0u);
    EXPECT_EQ(rep.files.size(), 1u);
  }
}

// The OSS-Fuzz originals are YAML; they import to the same records as the JSONL.
TEST_F(VulnDb, OssFuzzYamlOriginals) {
  auto db = fresh(tmp_);
  auto rep = import(*db, {data_ / "osv/osv_oss-fuzz_originals.tar.xz"});
  EXPECT_EQ(rep.skipped, 0u);
  for (std::size_t i = 0; i < rep.issues.size() && i < 5; ++i)
    ADD_FAILURE() << rep.issues[i].file << ": " << rep.issues[i].message;
  EXPECT_EQ(rep.sources["osv"].read, 1937u);
  EXPECT_EQ(rep.sources["osv"].inserted, 1934u);
  // Same content as the JSONL conversion: re-importing it changes nothing.
  auto again = import(*db, {data_ / "osv/osv_oss-fuzz.jsonl.xz"});
  EXPECT_EQ(again.sources["osv"].unchanged, 1937u);
  auto recs = db->records("OSV-2023-38");
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  ASSERT_FALSE((*recs)[0].affected.empty());
  EXPECT_EQ((*recs)[0].affected[0].ecosystem, "OSS-Fuzz");
  ASSERT_FALSE((*recs)[0].affected[0].ranges.empty());
  EXPECT_EQ((*recs)[0].affected[0].ranges[0].type, "GIT");
}

// The whole directory (recursively) in one call, then again: nothing changes the second time.
TEST_F(VulnDb, WholeDirectoryThenReimportUnchanged) {
  auto db = fresh(tmp_);
  auto rep = import(*db, {data_});
  EXPECT_EQ(rep.files.size(), 20u);  // 18 data files + MANIFEST.json + README.md
  // Not feed records: README.md, MANIFEST.json, the KEV JSON schema and the CPE dictionary XML.
  std::set<std::string> skipped_files;
  for (const auto& i : rep.issues) skipped_files.insert(fs::path(i.file).filename().string());
  EXPECT_EQ(skipped_files, (std::set<std::string>{"MANIFEST.json", "README.md",
                                                  "known_exploited_vulnerabilities_schema.json.xz",
                                                  "official-cpe-dictionary_v2.3_subset.xml.xz"}));
  EXPECT_EQ(rep.skipped, 4u);
  // 24 + 124 NVD lines (no overlap) and the originals, which repeat them.
  EXPECT_EQ(rep.sources["nvd"].read, 24u + 18u + 124u + 124u);
  EXPECT_EQ(rep.sources["nvd"].inserted, 148u);
  EXPECT_EQ(rep.sources["cve5"].inserted, 60u);
  EXPECT_EQ(rep.sources["osv"].inserted, 2280u + 1934u + 3u);
  EXPECT_EQ(rep.sources["kev"].inserted, 1404u);
  EXPECT_EQ(rep.sources["epss"].inserted, 9u + 29u);

  auto again = import(*db, {data_});
  for (const auto& [src, c] : again.sources) {
    SCOPED_TRACE(src);
    EXPECT_EQ(c.inserted, 0u);
    EXPECT_EQ(c.updated, 0u);
    EXPECT_EQ(c.unchanged, c.read);
    EXPECT_EQ(c.read, rep.sources[src].read);
  }

  auto st = db->status();
  ASSERT_TRUE(st.ok());
  std::map<std::string, SourceStatus> by;
  for (const auto& s : *st) by[s.source] = s;
  ASSERT_EQ(by.size(), 5u);
  EXPECT_EQ(by["nvd"].records, 148u);
  EXPECT_EQ(by["cve5"].records, 60u);
  EXPECT_EQ(by["osv"].records, 4217u);
  EXPECT_EQ(by["kev"].records, 1404u);
  EXPECT_EQ(by["kev"].newest, "2025.08.25");  // catalogVersion
  EXPECT_EQ(by["epss"].records, 38u);
  EXPECT_EQ(by["epss"].newest, "2026-09-29");  // CSV score_date
  EXPECT_EQ(by["cve5"].newest, "2026-05-12T11:57:34.270Z");
  for (auto& [src, s] : by) {
    EXPECT_EQ(s.last_import.size(), 20u) << src;  // 2026-11-25T01:00:00Z
    EXPECT_EQ(s.last_import.back(), 'Z') << src;
  }
}

TEST_F(VulnDb, NewerModifiedUpdatesAndRewritesKeys) {
  auto db = fresh(tmp_);
  std::string go = xz_text(data_ / "osv/osv_go.jsonl.xz");
  std::string line = go.substr(0, go.find('\n'));
  ASSERT_NE(line.find("\"GO-2020-0001\""), std::string::npos);
  auto r1 = db->import_buffer("go-1.json", ByteView(std::string_view(line)), {});
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->sources["osv"].inserted, 1u);
  const std::string old_key = osv_key("Go", "github.com/gin-gonic/gin");
  auto c1 = db->candidates(std::vector<std::string>{old_key});
  ASSERT_TRUE(c1.ok());
  ASSERT_EQ(c1->size(), 1u);

  auto edit = [&](std::string s, std::string_view from, std::string_view to) {
    auto p = s.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    if (p != std::string::npos) s.replace(p, from.size(), to);
    return s;
  };
  // Same modified time, different content: unchanged (the feed's modified time decides).
  std::string same =
      edit(line, "\"name\":\"github.com/gin-gonic/gin\"", "\"name\":\"example.org/other\"");
  auto r2 = db->import_buffer("go-2.json", ByteView(std::string_view(same)), {});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->sources["osv"].unchanged, 1u);
  // Newer modified: updated, and the index follows the new package name.
  std::string newer =
      edit(same, "\"modified\":\"0001-01-01T00:00:00Z\"", "\"modified\":\"2030-01-01T00:00:00Z\"");
  auto r3 = db->import_buffer("go-3.json", ByteView(std::string_view(newer)), {});
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->sources["osv"].updated, 1u);
  auto c_old = db->candidates(std::vector<std::string>{old_key});
  ASSERT_TRUE(c_old.ok());
  EXPECT_TRUE(c_old->empty());
  auto c_new = db->candidates(std::vector<std::string>{osv_key("Go", "example.org/other")});
  ASSERT_TRUE(c_new.ok());
  ASSERT_EQ(c_new->size(), 1u);
  EXPECT_EQ((*c_new)[0].record->modified, "2030-01-01T00:00:00Z");
  // Older again: unchanged, the newer record stays.
  auto r4 = db->import_buffer("go-4.json", ByteView(std::string_view(line)), {});
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4->sources["osv"].unchanged, 1u);
  auto recs = db->records("GO-2020-0001");
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].affected[0].package, "example.org/other");
}

TEST_F(VulnDb, MalformedLinesAreSkippedWithFileAndId) {
  auto db = fresh(tmp_);
  std::string go = xz_text(data_ / "osv/osv_go.jsonl.xz");
  std::vector<std::string> lines;
  for (std::size_t p = 0; lines.size() < 4;) {
    auto e = go.find('\n', p);
    lines.push_back(go.substr(p, e - p));
    p = e + 1;
  }
  std::string broken = lines[1].substr(0, lines[1].size() / 2);  // truncated JSON, id intact
  std::string text = lines[0] + "\n" + broken + "\n" + "not json at all\n" + lines[2] + "\n" +
                     "{\"id\":\"X-1\",\"hello\":1}\n" + lines[3] + "\n";
  auto rep = db->import_buffer("mixed.jsonl", ByteView(std::string_view(text)), {});
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->sources["osv"].inserted, 3u);
  EXPECT_EQ(rep->skipped, 3u);
  ASSERT_EQ(rep->issues.size(), 3u);
  for (const auto& i : rep->issues) EXPECT_EQ(i.file, "mixed.jsonl");
  std::string id1 = nlohmann::json::parse(lines[1])["id"];
  EXPECT_EQ(rep->issues[0].id, id1);
  EXPECT_NE(rep->issues[0].message.find("line 2"), std::string::npos) << rep->issues[0].message;
  EXPECT_NE(rep->issues[1].message.find("line 3"), std::string::npos);
  EXPECT_EQ(rep->issues[2].id, "X-1");
}

TEST_F(VulnDb, CorruptCompressedFileIsAnIssueOthersImport) {
  auto db = fresh(tmp_);
  auto bytes = test::read_file(data_ / "cve5/cve5_records.jsonl.xz");
  fs::create_directories(tmp_ / "in");
  {
    std::ofstream o(tmp_ / "in/a-truncated.jsonl.xz", std::ios::binary);
    o.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size() / 2));
  }
  fs::copy_file(data_ / "epss/epss_api_records.jsonl.xz", tmp_ / "in/b.jsonl.xz");
  auto rep = import(*db, {tmp_ / "in"});
  EXPECT_EQ(rep.sources["epss"].inserted, 9u);
  EXPECT_EQ(rep.sources.count("cve5"), 0u);  // a truncated stream imports nothing
  ASSERT_EQ(rep.issues.size(), 1u);
  EXPECT_NE(rep.issues[0].file.find("a-truncated.jsonl.xz"), std::string::npos);
  EXPECT_NE(rep.issues[0].message.find("corrupt"), std::string::npos) << rep.issues[0].message;
  // The input limit is an issue too, not an abort.
  ImportOptions small;
  small.max_input_bytes = 1000;
  auto rep2 =
      db->import_paths({(data_ / "kev/known_exploited_vulnerabilities.json.xz").string()}, small);
  ASSERT_TRUE(rep2.ok());
  EXPECT_EQ(rep2->sources.count("kev"), 0u);
  ASSERT_EQ(rep2->issues.size(), 1u);
  EXPECT_NE(rep2->issues[0].message.find("limit"), std::string::npos);
}

TEST_F(VulnDb, KevAndEpssJoinedByCve) {
  auto db = fresh(tmp_);
  import(*db, {data_ / "kev/known_exploited_vulnerabilities.json.xz",
               data_ / "epss/epss_api_records.jsonl.xz",
               data_ / "epss/epss_scores-current_head31.csv.xz",
               data_ / "nvd/nvd_iot_cve_2.0.jsonl.xz", data_ / "nvd/nvd_cve_2.0.jsonl.xz"});
  auto k = db->kev("CVE-2024-1086");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->date_added, "2024-05-30");
  EXPECT_EQ(k->due_date, "2024-06-20");
  EXPECT_EQ(k->vendor, "Linux");
  EXPECT_EQ(k->known_ransomware, "Unknown");  // catalog 2025.08.25
  // The NVD record carries the same KEV dates.
  auto recs = db->records("CVE-2024-1086");
  ASSERT_TRUE(recs.ok());
  const VulnRecord* nvd = find_source(*recs, "nvd");
  ASSERT_NE(nvd, nullptr);
  EXPECT_EQ(nvd->cisa_exploit_add, k->date_added);
  EXPECT_EQ(nvd->cisa_action_due, k->due_date);
  EXPECT_FALSE(db->kev("CVE-2022-48174").has_value());

  // EPSS API record for an NVD CVE in the directory.
  auto e = db->epss("CVE-2022-48174");
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->epss, 0.00134);
  EXPECT_DOUBLE_EQ(e->percentile, 0.47756);
  EXPECT_EQ(e->date, "2024-03-24");
  ASSERT_TRUE(db->records("CVE-2022-48174").ok());
  EXPECT_EQ(db->records("CVE-2022-48174")->size(), 1u);
  // EPSS CSV row, date from the #model_version comment line.
  std::string csv = xz_text(data_ / "epss/epss_scores-current_head31.csv.xz");
  auto p = csv.find("\nCVE-1999-0001,");
  ASSERT_NE(p, std::string::npos);
  std::string row = csv.substr(p + 1, csv.find('\n', p + 1) - p - 1);
  auto c1 = row.find(','), c2 = row.find(',', c1 + 1);
  auto e2 = db->epss("CVE-1999-0001");
  ASSERT_TRUE(e2.has_value());
  EXPECT_DOUBLE_EQ(e2->epss, std::stod(row.substr(c1 + 1, c2 - c1 - 1)));
  EXPECT_DOUBLE_EQ(e2->percentile, std::stod(row.substr(c2 + 1)));
  EXPECT_EQ(e2->date, "2026-09-29");
  EXPECT_FALSE(db->epss("CVE-2099-0001").has_value());

  // KEV CSV and JSON carry the same catalog: importing the CSV on top changes nothing.
  auto rep = import(*db, {data_ / "kev/known_exploited_vulnerabilities.csv.xz"});
  EXPECT_EQ(rep.sources["kev"].unchanged, 1404u);
}

TEST_F(VulnDb, Cve5RangesAndAdpPreserved) {
  auto db = fresh(tmp_);
  import(*db, {data_ / "cve5/cve5_records.jsonl.xz"});
  // glibc CNA: 2.1.93 <= v < 2.40, default unaffected.
  auto g = db->records("CVE-2024-2961");
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 1u);
  const Affected* glibc = nullptr;
  for (const auto& a : (*g)[0].affected)
    if (a.container == "cna" && a.product == "glibc") glibc = &a;
  ASSERT_NE(glibc, nullptr);
  EXPECT_EQ(glibc->default_status, "unaffected");
  ASSERT_EQ(glibc->cve5_versions.size(), 1u);
  EXPECT_EQ(glibc->cve5_versions[0].version, "2.1.93");
  EXPECT_EQ(glibc->cve5_versions[0].less_than, "2.40");
  EXPECT_EQ(glibc->cve5_versions[0].status, "affected");
  EXPECT_EQ(glibc->cve5_versions[0].version_type, "custom");
  // CISA ADP cpes with version "-" for the same record, and CISA's CVSS in ADP metrics.
  bool adp_cpe = false, adp_cvss = false;
  for (const auto& a : (*g)[0].affected)
    if (a.container == "CISA-ADP" && !a.cpes.empty()) adp_cpe = true;
  for (const auto& c : (*g)[0].cvss) adp_cvss = adp_cvss || c.source == "CISA-ADP";
  EXPECT_TRUE(adp_cpe);
  EXPECT_TRUE(adp_cvss);

  // Kernel: an entry with defaultStatus affected and unaffected 6.1.x ranges up to 6.1.*.
  auto k = db->records("CVE-2024-26642");
  ASSERT_TRUE(k.ok());
  ASSERT_EQ(k->size(), 1u);
  bool found = false, git = false;
  for (const auto& a : (*k)[0].affected) {
    for (const auto& v : a.cve5_versions) {
      if (a.default_status == "affected" && v.less_than_or_equal == "6.1.*" &&
          v.status == "unaffected" && v.version.starts_with("6.1."))
        found = true;
      if (v.version_type == "git" && v.version == "761da2935d6e") git = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(git);
  // cpeApplicability becomes configurations (the NVD structure).
  auto c = db->records("CVE-2024-50302");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 1u);
  ASSERT_FALSE((*c)[0].configurations.empty());
  EXPECT_EQ((*c)[0].configurations[0].nodes[0].matches[0].version_start_including, "3.12");
  EXPECT_EQ((*c)[0].cisa_exploit_add, "2025-03-04");  // ADP metrics other.type kev
  // Keys from ADP cpes (libexpat_project:libexpat) and CNA vendor/product.
  auto cand = db->candidates(
      std::vector<std::string>{cpe_key("libexpat_project", "libexpat"), cpe_key("Linux", "Linux")});
  ASSERT_TRUE(cand.ok());
  std::set<std::string> ids;
  for (const auto& x : *cand) ids.insert(x.record->id);
  EXPECT_TRUE(ids.count("CVE-2024-45490"));
  EXPECT_TRUE(ids.count("CVE-2024-26642"));
  EXPECT_FALSE(ids.count("CVE-2024-2961"));
}

TEST_F(VulnDb, NvdStructuresAndRecordsWithoutConfigurations) {
  auto db = fresh(tmp_);
  import(*db, {data_ / "nvd/nvd_iot_cve_2.0.jsonl.xz"});
  auto m = nlohmann::json::parse(test::read_text(data_ / "MANIFEST.json"));
  const auto& none = m["sections"]["nvd_iot"]["no_configurations"];
  ASSERT_EQ(none.size(), 20u);
  for (const auto& id : none) {
    auto r = db->records(id.get<std::string>());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 1u) << id;
    EXPECT_TRUE((*r)[0].configurations.empty()) << id;
    EXPECT_TRUE((*r)[0].status == "Received" || (*r)[0].status == "Awaiting Analysis") << id;
  }
  auto r = db->records("CVE-2024-1086");
  ASSERT_TRUE(r.ok() && r->size() == 1);
  const VulnRecord& k = (*r)[0];
  bool range = false, platform = false;
  for (const auto& c : k.configurations)
    for (const auto& n : c.nodes)
      for (const auto& x : n.matches) {
        if (x.version_start_including == "6.1" && x.version_end_excluding == "6.1.76") range = true;
        if (!x.vulnerable) platform = true;
      }
  EXPECT_TRUE(range);
  EXPECT_TRUE(platform);  // AND configuration with NetApp hardware
  bool primary = false;
  for (const auto& c : k.cvss)
    if (c.primary && c.source == "nvd@nist.gov" && c.version == "3.1" && c.score == 7.8)
      primary = true;
  EXPECT_TRUE(primary);
  EXPECT_EQ(k.cwes, std::vector<std::string>{"CWE-416"});
  // Every NVD CVSS 3.x base score equals our calculator on its vector.
  auto all = db->candidates(
      std::vector<std::string>{cpe_key("linux", "linux_kernel"), cpe_key("busybox", "busybox"),
                               cpe_key("zlib", "zlib"), cpe_key("thekelleys", "dnsmasq")});
  ASSERT_TRUE(all.ok());
  EXPECT_GT(all->size(), 40u);
  int checked = 0;
  for (const auto& c : *all)
    for (const auto& s : c.record->cvss)
      if (s.version.starts_with("3")) {
        auto mine = db::cvss3_base_score(s.vector);
        ASSERT_TRUE(mine.has_value()) << s.vector;
        EXPECT_DOUBLE_EQ(*mine, s.score) << c.record->id << " " << s.vector;
        ++checked;
      }
  EXPECT_GT(checked, 40);
  // CVSS 4.0 metrics are kept.
  auto v4 = db->records("CVE-2025-6965");
  ASSERT_TRUE(v4.ok() && v4->size() == 1);
  bool has4 = false;
  for (const auto& s : (*v4)[0].cvss) has4 = has4 || (s.version == "4.0" && s.score > 0);
  EXPECT_TRUE(has4);
}

TEST_F(VulnDb, OsvSeverityScoredFromVector) {
  auto db = fresh(tmp_);
  import(*db, {data_ / "osv/osv_distro_samples.jsonl.xz"});
  auto r = db->records("GHSA-838r-hvwh-24h8");
  ASSERT_TRUE(r.ok() && r->size() == 1);
  ASSERT_FALSE((*r)[0].cvss.empty());
  EXPECT_DOUBLE_EQ((*r)[0].cvss[0].score, 9.1);
  EXPECT_EQ((*r)[0].cvss[0].severity, "CRITICAL");
  EXPECT_EQ((*r)[0].cwes, std::vector<std::string>{"CWE-611"});
  auto u = db->records("UBUNTU-CVE-2025-38094");
  ASSERT_TRUE(u.ok() && u->size() == 1);
  ASSERT_EQ((*u)[0].cvss.size(), 1u);
  EXPECT_EQ((*u)[0].cvss[0].severity, "MEDIUM");
  EXPECT_EQ((*u)[0].affected[0].versions.size(), 180u);
}

TEST_F(VulnDb, CandidatesByKeyEachRecordOnce) {
  auto db = fresh(tmp_);
  import(*db, {data_ / "nvd/nvd_iot_cve_2.0.jsonl.xz", data_ / "cve5/cve5_records.jsonl.xz",
               data_ / "osv/osv_go.jsonl.xz", data_ / "osv/osv_distro_samples.jsonl.xz"});
  const std::string bb = cpe_key("busybox", "busybox");
  std::vector<std::string> keys = {bb,
                                   bb,
                                   cpe_key("BusyBox", "BusyBox"),
                                   osv_key("Go", "github.com/gin-gonic/gin"),
                                   purl_key("pkg:alpine/mariadb@10.6.4-r2?arch=x86"),
                                   "cpe:nobody:nothing"};
  auto c = db->candidates(keys);
  ASSERT_TRUE(c.ok());
  std::map<std::string, const Candidate*> by;
  for (const auto& x : *c) {
    std::string k = x.record->source + ":" + x.record->id;
    EXPECT_EQ(by.count(k), 0u) << "record twice: " << k;
    by[k] = &x;
  }
  ASSERT_TRUE(by.count("nvd:CVE-2022-28391"));
  EXPECT_EQ(by["nvd:CVE-2022-28391"]->keys, std::vector<std::string>{bb});
  ASSERT_TRUE(by.count("cve5:CVE-2024-58251"));  // CNA vendor/product busybox
  ASSERT_TRUE(by.count("osv:GO-2020-0001"));
  ASSERT_TRUE(by.count("osv:CVE-2022-27449"));
  EXPECT_EQ(by["osv:CVE-2022-27449"]->keys, std::vector<std::string>{"purl:alpine/mariadb"});
  for (const auto& [k, x] : by) EXPECT_FALSE(x->keys.empty()) << k;
  // Records of the key, and nothing else: the count equals the records naming busybox.
  auto only = db->candidates(std::vector<std::string>{bb});
  ASSERT_TRUE(only.ok());
  for (const auto& x : *only) {
    std::string blob = db::encode_record(*x.record);
    EXPECT_NE(lower_copy(blob).find("busybox"), std::string::npos);
  }
  auto none = db->candidates(std::vector<std::string>{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(VulnDb, KeyFunctions) {
  EXPECT_EQ(cpe_key("The GNU C Library", "GLIBC"), "cpe:the_gnu_c_library:glibc");
  EXPECT_EQ(osv_key("Debian:12", "OpenSSL"), "osv:debian:12:openssl");
  EXPECT_EQ(purl_key("pkg:deb/debian/curl@7.88.1-10?arch=arm64#sub"), "purl:deb/debian/curl");
  EXPECT_EQ(purl_key("pkg:golang/github.com/Foo/bar@v1.0.0"), "purl:golang/github.com/foo/bar");
}

TEST_F(VulnDb, MetaAndNewerSchemaRefused) {
  auto db = fresh(tmp_);
  EXPECT_FALSE(db->get_meta("nvd.last_modified").has_value());
  ASSERT_TRUE(db->set_meta("nvd.last_modified", "2025-01-01T00:00:00").ok());
  EXPECT_EQ(db->get_meta("nvd.last_modified"), "2025-01-01T00:00:00");
  db.reset();
  auto again = Database::open((tmp_ / "v.db").string(), false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->get_meta("nvd.last_modified"), "2025-01-01T00:00:00");
  again = Error(Errc::internal, "closed");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((tmp_ / "v.db").string().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto newer = Database::open((tmp_ / "v.db").string(), false);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("schema version 99"), std::string::npos)
      << newer.error().message;
  EXPECT_FALSE(Database::open((tmp_ / "absent.db").string(), false).ok());
}

}  // namespace
}  // namespace waybill::vuln
