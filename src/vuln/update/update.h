// `waybill db update`: fetches the public feeds online and hands the bytes to
// Database::import_buffer. NVD comes from the NVD API 2.0 (paged, incremental by lastModified,
// resumable); OSV (<Ecosystem>/all.zip), CISA KEV (JSON) and FIRST EPSS (CSV.gz) are whole-file
// downloads made conditional with ETag / Last-Modified kept in the database meta table.
//
// Meta keys used: "nvd.last_modified" (end of the last fully fetched window, RFC 3339),
// "nvd.resume" (next startIndex of an interrupted run), "nvd.resume_end" (window end of that
// run), "<source>.etag" / "<source>.last_modified_header" (source = "kev", "epss",
// "osv.<Ecosystem>"). An empty meta value means "not set".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "vuln/db/database.h"

namespace waybill::vuln {

struct UpdateSource {
  std::string name;  // "nvd", "osv", "kev", "epss"
  bool enabled = true;
  std::string base_url;
};

struct UpdateOptions {
  std::string nvd_api_key;  // sent as header "apiKey" when set
  std::string nvd_base = "https://services.nvd.nist.gov/rest/json/cves/2.0";
  std::string osv_base = "https://osv-vulnerabilities.storage.googleapis.com";
  std::string kev_url =
      "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
  std::string epss_url = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
  std::vector<std::string> sources;  // empty = all: nvd, osv, kev, epss
  std::vector<std::string> osv_ecosystems = {"Debian", "Alpine", "Go", "OSS-Fuzz"};
  std::function<void(std::uint64_t)> progress;  // running count of records imported
  std::function<bool()> cancelled;              // checked before every request

  int nvd_page_size = 2000;       // resultsPerPage (NVD maximum 2000)
  int nvd_max_window_days = 120;  // NVD allows at most 120 days per lastMod window
  // Minimum seconds between two NVD requests; < 0 = NVD's rolling-window guidance
  // (6 s without an API key, 0.6 s with one). Tests set 0.
  double nvd_interval = -1;
  int connect_timeout_seconds = 30;
  int read_timeout_seconds = 300;
  int max_retries = 5;         // per request, for 403/429/503 and connection failures
  double backoff_seconds = 2;  // first backoff; doubles each retry
  double max_backoff_seconds = 120;
  std::uint64_t max_download_bytes = 4ull << 30;  // per response body
  std::string ca_cert_path;  // optional CA bundle for HTTPS (default: system store)
  std::string user_agent = "waybill-db-update";
  // Injectable for tests: sleeps (rate limit and backoff) and the clock used for NVD windows.
  std::function<void(double seconds)> sleep;
  std::function<std::int64_t()> now_unix;
};

struct UpdateReport {
  struct Source {
    std::string name;            // "nvd", "osv.Go", "kev", "epss"
    std::uint64_t requests = 0;  // HTTP requests made (including retries)
    std::uint64_t bytes = 0;     // body bytes downloaded
    std::uint64_t pages = 0;     // NVD pages committed / files imported
    std::uint64_t retries = 0;
    bool not_modified = false;    // 304: nothing downloaded
    bool resumed = false;         // NVD: continued an interrupted run
    std::string window;           // NVD: "full" or "START..END" windows fetched
    ImportReport::Counts counts;  // summed over imports
    std::uint64_t skipped = 0;    // malformed records
    std::string error;            // empty when this source succeeded
  };
  std::vector<Source> sources;
  std::vector<ImportIssue> issues;  // bounded sample of importer issues
  double seconds = 0;
  bool ok() const;
};

// Fetches every selected source. Sources run one after another; a failing source does not stop
// the others. Everything committed stays committed (NVD page by page). Returns an Error naming
// each failed source with its URL and HTTP status when any source failed; otherwise the report.
Result<UpdateReport> update(Database& db, const UpdateOptions& opts);

// Same, but always fills `report` (also when an error is returned) so callers can show partial
// progress.
Result<UpdateReport> update(Database& db, const UpdateOptions& opts, UpdateReport& report);

// Multi-line human summary ending in a newline.
std::string describe(const UpdateReport& report);

// CLI-independent parsing of `waybill db update` flags: --nvd-api-key KEY (else env NVD_API_KEY),
// --nvd-url URL, --osv-url URL, --kev-url URL, --epss-url URL, --source NAME (repeatable),
// --osv-ecosystem NAME (repeatable), --nvd-page-size N. Both "--flag value" and "--flag=value".
// Arguments not recognised are returned in `rest` (e.g. the database path).
struct UpdateArgs {
  UpdateOptions options;
  std::vector<std::string> rest;
};
Result<UpdateArgs> parse_update_args(const std::vector<std::string>& args,
                                     const std::function<const char*(const char*)>& getenv);

}  // namespace waybill::vuln
