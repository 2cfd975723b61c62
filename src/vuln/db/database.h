// The offline vulnerability database: one SQLite file holding normalised records (vuln/model.h)
// from every feed, an index from product keys to records, KEV and EPSS, and import metadata.
//
// Importers are one file per feed format (vuln/db/import_*.cpp); the database never prints.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "vuln/model.h"

namespace waybill::vuln {

// Index keys (all lowercase) that select candidate records for a component:
//   "cpe:VENDOR:PRODUCT"     from NVD/CVE 5 CPE criteria, CVE 5 `cpes`, and CVE 5 vendor/product
//   "osv:ECOSYSTEM:PACKAGE"  from OSV affected[].package (ecosystem as written, "debian:12")
//   "purl:TYPE/NAMESPACE/NAME" from purls in records (no version, no qualifiers)
std::string cpe_key(std::string_view vendor, std::string_view product);
std::string osv_key(std::string_view ecosystem, std::string_view package);
std::string purl_key(std::string_view purl);  // strips version, qualifiers, subpath

struct ImportOptions {
  // Called every few thousand records with the running record count (progress bars).
  std::function<void(std::uint64_t records)> progress;
  // Upper bound on one decompressed input (bombs); 0 = default 4 GiB.
  std::uint64_t max_input_bytes = 0;
  // (appended by H2) Upper bound on records (NVD/CVE 5/OSV records, KEV and EPSS rows) read in
  // one call; reading stops there with an issue. 0 = default 50 million.
  std::uint64_t max_records = 0;
};

struct ImportIssue {
  std::string file;     // input file (and member, "feed.tar.xz:GO-2022-0001.json")
  std::string id;       // record id if known
  std::string message;  // what was wrong
};

struct ImportReport {
  // Per source ("nvd", "cve5", "osv", "kev", "epss"): records read, inserted, updated
  // (newer modified time), unchanged (same or older).
  struct Counts {
    std::uint64_t read = 0, inserted = 0, updated = 0, unchanged = 0;
  };
  std::map<std::string, Counts> sources;
  std::uint64_t skipped = 0;           // malformed records, each listed in `issues`
  std::vector<ImportIssue> issues;     // bounded; `skipped` is the true count
  std::vector<std::string> files;      // input files read
  double seconds = 0;
};

struct SourceStatus {
  std::string source;         // "nvd", "cve5", "osv", "kev", "epss"
  std::uint64_t records = 0;
  std::string newest;         // newest record modified time (or KEV catalogVersion/EPSS date)
  std::string last_import;    // RFC 3339 time of the last import touching this source
};

// A record that may affect a component, with the index keys that selected it.
struct Candidate {
  std::shared_ptr<const VulnRecord> record;
  std::vector<std::string> keys;
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens (and with `create`, creates) the database file.
  static Result<std::unique_ptr<Database>> open(const std::string& path, bool create);

  // Imports files: plain, .gz, .xz, .zst; single records, NVD API pages / feeds, JSONL, tar and
  // zip archives, directories (recursively). Format is detected from content. One transaction
  // per call: on error or kill nothing is changed. Malformed records are skipped and reported.
  virtual Result<ImportReport> import_paths(const std::vector<std::string>& paths,
                                            const ImportOptions& opts) = 0;
  // The same for bytes already in memory (downloads); `name` is used in messages and to detect
  // compression and format (e.g. "known_exploited_vulnerabilities.csv", "page-3.json.gz").
  virtual Result<ImportReport> import_buffer(std::string_view name, ByteView data,
                                             const ImportOptions& opts) = 0;

  virtual Result<std::vector<SourceStatus>> status() = 0;

  // Every record selected by any of `keys`, each once.
  virtual Result<std::vector<Candidate>> candidates(std::span<const std::string> keys) = 0;
  // A record by id (any source); several when sources disagree ("nvd" and "cve5" copies).
  virtual Result<std::vector<VulnRecord>> records(std::string_view id) = 0;
  virtual std::optional<KevEntry> kev(std::string_view cve) = 0;
  virtual std::optional<EpssScore> epss(std::string_view cve) = 0;

  // Small key/value store for `db update` state (e.g. "nvd.last_modified").
  virtual std::optional<std::string> get_meta(std::string_view key) = 0;
  virtual Status set_meta(std::string_view key, std::string_view value) = 0;
};

}  // namespace waybill::vuln
