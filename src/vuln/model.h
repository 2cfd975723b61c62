// Vulnerability data as waybill stores and matches it, independent of the feed it came from.
//
// Importers (vuln/db/import_*.cpp) turn NVD CVE 2.0, CVE JSON 5, OSV, KEV and EPSS into these
// types; the database stores them; matchers (vuln/match) evaluate them against components and
// produce Findings that say which record, range and comparison made them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace waybill::vuln {

// ---- NVD-style CPE applicability (NVD 2.0 `configurations`, CVE 5 `cpeApplicability`) ----

struct CpeMatch {
  std::string criteria;  // CPE 2.3 formatted string, e.g. "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*"
  bool vulnerable = true;  // false: platform ("running on / with") CPE
  std::string version_start_including, version_start_excluding;
  std::string version_end_including, version_end_excluding;
  std::string match_criteria_id;  // NVD's UUID, if any
};

struct CpeNode {
  std::string op = "OR";  // "OR" or "AND" over `matches`
  bool negate = false;
  std::vector<CpeMatch> matches;
};

struct CpeConfiguration {
  std::string op = "OR";  // "OR" or "AND" over `nodes`
  bool negate = false;
  std::vector<CpeNode> nodes;
};

// ---- Package/product-based affected data (OSV `affected`, CVE 5 `affected`) ----

// One OSV range event; exactly one field is set.
struct RangeEvent {
  std::string introduced, fixed, last_affected, limit;
};

struct Range {
  std::string type;  // OSV: "SEMVER", "ECOSYSTEM", "GIT"
  std::string repo;  // GIT ranges
  std::vector<RangeEvent> events;
};

// One CVE 5 `versions[]` entry, kept as published (its semantics depend on `status` and on the
// entry's `default_status`, which the matcher applies).
struct Cve5Version {
  std::string version;
  std::string less_than;
  std::string less_than_or_equal;
  std::string status;        // "affected", "unaffected", "unknown"
  std::string version_type;  // "semver", "custom", "git", "rpm", ...
};

struct Affected {
  // Who: OSV (ecosystem + package name, optional purl) or CVE 5 (vendor + product, optional
  // packageName, collectionURL, repo, cpes).
  std::string ecosystem;  // OSV ecosystem, e.g. "Go", "Debian:12", "Alpine:v3.18", "OSS-Fuzz"
  std::string package;    // OSV package name / CVE 5 packageName
  std::string purl;
  std::string vendor, product;  // CVE 5
  std::string repo;             // CVE 5 repo / collectionURL
  std::vector<std::string> cpes;  // CVE 5 `cpes` (e.g. CISA ADP)
  std::string default_status;     // CVE 5 defaultStatus
  // What: OSV ranges and explicit versions; CVE 5 versions.
  std::vector<Range> ranges;
  std::vector<std::string> versions;
  std::vector<Cve5Version> cve5_versions;
  std::string container;  // CVE 5: "cna" or the ADP short name ("CISA-ADP", ...)
};

struct CvssScore {
  std::string source;   // who scored it: "nvd@nist.gov", "CISA-ADP", OSV "severity" ...
  std::string version;  // "2.0", "3.0", "3.1", "4.0"
  std::string vector;   // full vector string
  double score = 0.0;   // base score (0 if only a vector was given and it could not be scored)
  std::string severity; // "CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"
  bool primary = false; // NVD "Primary" type
};

struct VulnRecord {
  std::string id;                    // "CVE-2022-48174", "GO-2022-0001", "OSV-2021-123"
  std::string source;                // "nvd", "cve5", "osv"
  std::vector<std::string> aliases;  // other ids of the same vulnerability (OSV aliases, GHSA ...)
  std::vector<std::string> related;
  std::string summary, description;
  std::string published, modified;   // RFC 3339 as in the feed
  std::string status;                // NVD vulnStatus, CVE 5 state ("PUBLISHED", "REJECTED")
  bool withdrawn = false;            // OSV withdrawn / CVE rejected
  std::vector<CpeConfiguration> configurations;
  std::vector<Affected> affected;
  std::vector<CvssScore> cvss;
  std::vector<std::string> cwes;
  std::vector<std::string> references;
  // KEV fields embedded in NVD records (cisaExploitAdd, cisaActionDue ...), if any.
  std::string cisa_exploit_add, cisa_action_due, cisa_required_action;
};

struct KevEntry {
  std::string cve, vendor, product, name, date_added, due_date, required_action;
  std::string known_ransomware;  // "Known", "Unknown"
  std::string notes;
};

struct EpssScore {
  std::string cve;
  double epss = 0.0;
  double percentile = 0.0;
  std::string date;  // score date
};

// ---- Findings ----

// Why a record matched a component: enough to reproduce the decision by hand.
struct MatchExplanation {
  std::string source;      // database source that decided: "nvd", "cve5", "osv", "osv:Debian:12"
  std::string record;      // record id that matched
  std::string method;      // "cpe-configuration", "cve5-affected", "osv-range", "osv-versions",
                           // "distro-package"
  std::string criteria;    // the CPE criteria / package key that selected the record
  std::string range;       // human-readable range, e.g. "1.35.0 <= v (versionEndIncluding 1.35.0)"
  std::string comparison;  // e.g. "1.35.0 <= 1.35.0 by generic", "2.90 >= 2.90 (excluded end)"
  std::string scheme;      // version scheme used: "generic", "deb", "semver", ...
  std::string component_version;  // the version compared
};

struct VexStatement {
  std::string status;         // "not_affected", "affected", "fixed", "under_investigation"
  std::string justification;  // e.g. "vulnerable_code_not_in_execute_path"
  std::string impact, action;
  std::string document;       // which VEX file said so
  std::string format;         // "openvex", "cyclonedx", "csaf"
};

struct Finding {
  std::string id;                    // preferred id (CVE when there is one)
  std::vector<std::string> aliases;  // every other id seen for it (GHSA, OSV, DSA ...)
  std::string component_ref;         // Component::bom_ref
  std::string component_name, component_version, component_purl;
  std::vector<MatchExplanation> matches;  // one per record that matched (after de-duplication)
  std::string summary;
  std::vector<CvssScore> cvss;       // all known scores; `severity` below is derived
  std::string severity;              // "critical" .. "none", "unknown"
  double score = 0.0;                // the base score used for `severity`
  std::optional<double> epss, epss_percentile;
  bool kev = false;
  std::string kev_date_added, kev_due_date, kev_ransomware;
  std::string fixed_version;         // lowest fixed version above the component's, if known
  std::vector<std::string> cwes, references;
  std::string published, modified;
  std::optional<VexStatement> vex;
  bool suppressed = false;           // VEX says not_affected / fixed
  double risk = 0.0;                 // ordering key (see match/findings.cpp)
};

}  // namespace waybill::vuln
