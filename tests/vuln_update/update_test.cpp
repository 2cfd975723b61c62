// db update against a real cpp-httplib server on 127.0.0.1 serving the shared real feeds in their
// upstream formats (NVD API 2.0 pages, OSV all.zip, KEV JSON, EPSS CSV.gz).
//
// The library is compiled with cpp-httplib's OpenSSL/zlib/brotli support; the header must see
// the same configuration here.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/support.h"
#include "vuln/db/database.h"
#include "vuln/update/update.h"

namespace fs = std::filesystem;
using namespace waybill;
using namespace waybill::vuln;

namespace {

// xz-decompress a shared file with libarchive ("raw" format).
std::string unxz(const fs::path& p) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_raw(a);
  std::string out;
  if (archive_read_open_filename(a, p.c_str(), 1 << 16) == ARCHIVE_OK) {
    archive_entry* e;
    if (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      char buf[1 << 16];
      la_ssize_t n;
      while ((n = archive_read_data(a, buf, sizeof buf)) > 0) out.append(buf, n);
    }
  }
  archive_read_free(a);
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty()) out.push_back(l);
  return out;
}

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

la_ssize_t zip_write(archive*, void* cd, const void* buf, size_t n) {
  static_cast<std::string*>(cd)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

// A zip with one <id>.json per OSV JSONL line, as in <Ecosystem>/all.zip.
std::string osv_zip(const std::vector<std::string>& records) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open(a, &out, nullptr, zip_write, nullptr);
  int n = 0;
  for (const auto& r : records) {
    std::string id = nlohmann::json::parse(r).value("id", "rec" + std::to_string(n));
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, (id + "-" + std::to_string(n++) + ".json").c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(r.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, r.data(), r.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

struct Logged {
  std::string path;
  std::multimap<std::string, std::string> params;
  std::string api_key;
  std::string if_none_match;
  int status;
};

// Serves the upstream formats from the shared files.
class FeedServer {
 public:
  explicit FeedServer(const fs::path& shared) {
    nvd_ = lines(unxz(shared / "data/vuln/nvd/nvd_cve_2.0.jsonl.xz"));
    osv_zip_ = osv_zip(lines(unxz(shared / "data/vuln/osv/osv_go.jsonl.xz")));
    kev_ = unxz(shared / "data/vuln/kev/known_exploited_vulnerabilities.json.xz");
    epss_ = gzip(unxz(shared / "data/vuln/epss/epss_scores-current_head31.csv.xz"));
    srv_.Get("/rest/json/cves/2.0",
             [this](const httplib::Request& q, httplib::Response& r) { nvd(q, r); });
    srv_.Get("/osv/Go/all.zip", [this](const httplib::Request& q, httplib::Response& r) {
      file(q, r, osv_zip_, "application/zip", "\"osv-go-1\"");
    });
    srv_.Get("/kev.json", [this](const httplib::Request& q, httplib::Response& r) {
      file(q, r, kev_, "application/json", "\"kev-2025.08.25\"");
    });
    srv_.Get("/epss.csv.gz", [this](const httplib::Request& q, httplib::Response& r) {
      file(q, r, epss_, "application/gzip", "\"epss-1\"");
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { srv_.listen_after_bind(); });
    while (!srv_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FeedServer() {
    srv_.stop();
    thread_.join();
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Logged> log() {
    std::lock_guard<std::mutex> l(mu_);
    return log_;
  }
  void clear_log() {
    std::lock_guard<std::mutex> l(mu_);
    log_.clear();
  }
  std::size_t nvd_records() const { return nvd_.size(); }

  std::atomic<int> fail_429_at{-1};  // startIndex answered 429 once
  std::atomic<int> fail_500_at{-1};  // startIndex answered 500 once

 private:
  void record(const httplib::Request& q, int status) {
    std::lock_guard<std::mutex> l(mu_);
    log_.push_back({q.path,
                    {q.params.begin(), q.params.end()},
                    q.get_header_value("apiKey"),
                    q.get_header_value("If-None-Match"),
                    status});
  }

  void file(const httplib::Request& q, httplib::Response& r, const std::string& body,
            const char* type, const char* etag) {
    if (q.get_header_value("If-None-Match") == etag) {
      r.status = 304;
    } else {
      r.set_header("ETag", etag);
      r.set_content(body, type);
    }
    record(q, r.status);
  }

  void nvd(const httplib::Request& q, httplib::Response& r) {
    int start = std::stoi(q.has_param("startIndex") ? q.get_param_value("startIndex") : "0");
    int per =
        std::stoi(q.has_param("resultsPerPage") ? q.get_param_value("resultsPerPage") : "2000");
    if (int want = start; fail_429_at.compare_exchange_strong(want, -1)) {
      r.status = 429;
      r.set_header("Retry-After", "3");
      record(q, 429);
      return;
    }
    if (int want = start; fail_500_at.compare_exchange_strong(want, -1)) {
      r.status = 500;
      r.set_content("internal error", "text/plain");
      record(q, 500);
      return;
    }
    std::string from = q.get_param_value("lastModStartDate").substr(0, 19);
    std::string to = q.get_param_value("lastModEndDate").substr(0, 19);
    nlohmann::json all = nlohmann::json::array();
    for (const auto& l : nvd_) {
      auto j = nlohmann::json::parse(l);
      std::string lm = j["cve"].value("lastModified", "").substr(0, 19);
      if (!from.empty() && lm < from) continue;
      if (!to.empty() && lm > to) continue;
      all.push_back(std::move(j));
    }
    nlohmann::json page;
    nlohmann::json vulns = nlohmann::json::array();
    for (int i = start; i < static_cast<int>(all.size()) && i < start + per; ++i)
      vulns.push_back(all[i]);
    page["resultsPerPage"] = vulns.size();
    page["startIndex"] = start;
    page["totalResults"] = all.size();
    page["format"] = "NVD_CVE";
    page["version"] = "2.0";
    page["timestamp"] = "2026-11-25T00:00:00.000";
    page["vulnerabilities"] = std::move(vulns);
    r.set_content(page.dump(), "application/json");
    record(q, 200);
  }

  std::vector<std::string> nvd_;
  std::string osv_zip_, kev_, epss_;
  httplib::Server srv_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Logged> log_;
};

UpdateOptions options(const FeedServer& s, std::vector<double>* sleeps) {
  UpdateOptions o;
  o.nvd_base = s.base() + "/rest/json/cves/2.0";
  o.osv_base = s.base() + "/osv";
  o.kev_url = s.base() + "/kev.json";
  o.epss_url = s.base() + "/epss.csv.gz";
  o.osv_ecosystems = {"Go"};
  o.nvd_page_size = 5;
  o.nvd_interval = 0;
  o.backoff_seconds = 1;
  o.sleep = [sleeps](double s) {
    if (sleeps) sleeps->push_back(s);
  };
  return o;
}

std::map<std::string, std::uint64_t> counts(Database& db) {
  std::map<std::string, std::uint64_t> out;
  auto st = db.status();
  EXPECT_TRUE(st.ok());
  if (st)
    for (const auto& s : *st) out[s.source] = s.records;
  return out;
}

// Reference counts: the same shared files imported directly from disk.
std::map<std::string, std::uint64_t> reference(const fs::path& shared, const fs::path& dir) {
  auto db = Database::open((dir / "ref.db").string(), true);
  EXPECT_TRUE(db.ok());
  auto r = (*db)->import_paths(
      {(shared / "data/vuln/nvd/nvd_cve_2.0.jsonl.xz").string(),
       (shared / "data/vuln/osv/osv_go.jsonl.xz").string(),
       (shared / "data/vuln/kev/known_exploited_vulnerabilities.json.xz").string(),
       (shared / "data/vuln/epss/epss_scores-current_head31.csv.xz").string()},
      {});
  EXPECT_TRUE(r.ok());
  return counts(**db);
}

int nvd_requests(const std::vector<Logged>& log) {
  int n = 0;
  for (const auto& l : log) n += l.path == "/rest/json/cves/2.0";
  return n;
}

TEST(VulnUpdate, FullThenIncrementalWithRetryAndConditionalDownloads) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = test::temp_dir("vuln_update_full");
  FeedServer srv(shared);
  auto ref = reference(shared, dir);
  ASSERT_EQ(ref["kev"], 1404u);
  ASSERT_EQ(ref["epss"], 29u);
  ASSERT_GT(ref["nvd"], 20u);
  ASSERT_GT(ref["osv"], 2000u);

  auto db = Database::open((dir / "v.db").string(), true);
  ASSERT_TRUE(db.ok());
  std::vector<double> sleeps;
  auto o = options(srv, &sleeps);
  o.nvd_api_key = "test-key-123";
  srv.fail_429_at = 10;  // third page answers 429 once
  std::uint64_t last_progress = 0;
  o.progress = [&](std::uint64_t n) { last_progress = n; };
  auto rep = update(**db, o);
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_EQ(counts(**db), ref);
  EXPECT_GT(last_progress, 2000u);

  // 429 with Retry-After: 3 was retried after sleeping at least 3 s (injected sleep).
  ASSERT_FALSE(sleeps.empty());
  EXPECT_GE(sleeps[0], 3.0);
  const auto& nvd = rep->sources[0];
  EXPECT_EQ(nvd.name, "nvd");
  EXPECT_EQ(nvd.retries, 1u);
  EXPECT_EQ(nvd.pages, (srv.nvd_records() + 4) / 5);
  EXPECT_EQ(nvd.window, "full");
  auto log = srv.log();
  EXPECT_EQ(nvd_requests(log), static_cast<int>((srv.nvd_records() + 4) / 5 + 1));
  for (const auto& l : log) {
    if (l.path != "/rest/json/cves/2.0") continue;
    EXPECT_EQ(l.api_key, "test-key-123");
    EXPECT_EQ(l.params.count("lastModStartDate"), 0u);  // first run = full download
  }
  std::string text = describe(*rep);
  EXPECT_NE(text.find("kev: 1404 records read"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
  auto lm = (*db)->get_meta("nvd.last_modified");
  ASSERT_TRUE(lm.has_value());
  EXPECT_EQ(lm->size(), 24u) << *lm;
  EXPECT_EQ((*db)->get_meta("kev.etag").value_or(""), "\"kev-2025.08.25\"");

  // Second run: NVD asks only for records modified since the first run; files are 304.
  srv.clear_log();
  // An hour later (a run in the same second has no window to ask for).
  o.now_unix = [] { return static_cast<std::int64_t>(std::time(nullptr)) + 3600; };
  auto rep2 = update(**db, o);
  ASSERT_TRUE(rep2.ok()) << rep2.error().message;
  log = srv.log();
  int nvd_seen = 0;
  for (const auto& l : log) {
    if (l.path == "/rest/json/cves/2.0") {
      ++nvd_seen;
      ASSERT_EQ(l.params.count("lastModStartDate"), 1u);
      EXPECT_EQ(l.params.find("lastModStartDate")->second, *lm);
      EXPECT_EQ(l.params.count("lastModEndDate"), 1u);
    } else {
      EXPECT_EQ(l.status, 304) << l.path;
      EXPECT_FALSE(l.if_none_match.empty()) << l.path;
    }
  }
  EXPECT_EQ(nvd_seen, 1);
  for (const auto& s : rep2->sources) {
    if (s.name != "nvd") {
      EXPECT_TRUE(s.not_modified) << s.name;
      EXPECT_EQ(s.bytes, 0u) << s.name;
    }
  }
  EXPECT_EQ(counts(**db), ref);
  fs::remove_all(dir);
}

TEST(VulnUpdate, ResumesAfterFailureMidPaging) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = test::temp_dir("vuln_update_resume");
  FeedServer srv(shared);
  auto ref = reference(shared, dir);
  auto db = Database::open((dir / "v.db").string(), true);
  ASSERT_TRUE(db.ok());
  auto o = options(srv, nullptr);
  o.sources = {"nvd"};
  srv.fail_500_at = 10;  // page 3 fails once with 500 (not retried)
  auto rep = update(**db, o);
  ASSERT_FALSE(rep.ok());
  const std::string& msg = rep.error().message;
  EXPECT_NE(msg.find("HTTP 500"), std::string::npos) << msg;
  EXPECT_NE(msg.find(srv.base() + "/rest/json/cves/2.0?startIndex=10"), std::string::npos) << msg;
  // Pages 1 and 2 are committed.
  auto c = counts(**db);
  EXPECT_GT(c["nvd"], 0u);
  EXPECT_LT(c["nvd"], ref["nvd"]);
  EXPECT_EQ((*db)->get_meta("nvd.resume").value_or(""), "10");
  EXPECT_EQ((*db)->get_meta("nvd.last_modified").value_or(""), "");

  srv.clear_log();
  auto rep2 = update(**db, o);
  ASSERT_TRUE(rep2.ok()) << rep2.error().message;
  auto log = srv.log();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0].params.find("startIndex")->second, "10");
  EXPECT_TRUE(rep2->sources[0].resumed);
  EXPECT_EQ(counts(**db)["nvd"], ref["nvd"]);
  EXPECT_EQ((*db)->get_meta("nvd.resume").value_or(""), "");
  EXPECT_FALSE((*db)->get_meta("nvd.last_modified").value_or("").empty());
  fs::remove_all(dir);
}

TEST(VulnUpdate, IncrementalWindowsAreSplitAt120Days) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = test::temp_dir("vuln_update_windows");
  FeedServer srv(shared);
  auto db = Database::open((dir / "v.db").string(), true);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->set_meta("nvd.last_modified", "2024-01-01T00:00:00.000Z").ok());
  auto o = options(srv, nullptr);
  o.sources = {"nvd"};
  o.now_unix = [] { return std::int64_t{1735689600}; };  // 2025-01-01T00:00:00Z = 366 days
  auto rep = update(**db, o);
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  std::vector<std::pair<std::string, std::string>> windows;
  for (const auto& l : srv.log())
    windows.emplace_back(l.params.find("lastModStartDate")->second,
                         l.params.find("lastModEndDate")->second);
  ASSERT_GE(windows.size(), 4u);
  EXPECT_EQ(windows.front().first, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(windows.back().second, "2025-01-01T00:00:00.000Z");
  EXPECT_EQ((*db)->get_meta("nvd.last_modified").value_or(""), "2025-01-01T00:00:00.000Z");
  fs::remove_all(dir);
}

TEST(VulnUpdate, ErrorsNameTheUrlAndStatus) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = test::temp_dir("vuln_update_err");
  FeedServer srv(shared);
  auto db = Database::open((dir / "v.db").string(), true);
  ASSERT_TRUE(db.ok());
  auto o = options(srv, nullptr);
  o.sources = {"osv", "kev"};
  o.osv_ecosystems = {"NoSuchEcosystem"};
  UpdateReport partial;
  auto rep = update(**db, o, partial);
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.error().message.find(srv.base() + "/osv/NoSuchEcosystem/all.zip: HTTP 404"),
            std::string::npos)
      << rep.error().message;
  // The other source still ran.
  EXPECT_EQ(counts(**db)["kev"], 1404u);
  EXPECT_NE(describe(partial).find("FAILED"), std::string::npos);
  fs::remove_all(dir);
}

TEST(VulnUpdate, ParsesCliFlags) {
  auto env = [](const char* k) -> const char* {
    return std::string(k) == "NVD_API_KEY" ? "env-key" : nullptr;
  };
  auto a = parse_update_args({"--nvd-url=http://x/nvd", "--source", "nvd", "--source=kev",
                              "db.sqlite", "--osv-ecosystem", "Go"},
                             env);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->options.nvd_api_key, "env-key");
  EXPECT_EQ(a->options.nvd_base, "http://x/nvd");
  EXPECT_EQ(a->options.sources, (std::vector<std::string>{"nvd", "kev"}));
  EXPECT_EQ(a->options.osv_ecosystems, (std::vector<std::string>{"Go"}));
  EXPECT_EQ(a->rest, (std::vector<std::string>{"db.sqlite"}));
  auto b = parse_update_args({"--nvd-api-key", "flag-key"}, env);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->options.nvd_api_key, "flag-key");
  EXPECT_FALSE(parse_update_args({"--source", "bogus"}, env).ok());
  EXPECT_FALSE(parse_update_args({"--kev-url"}, env).ok());
}

}  // namespace
