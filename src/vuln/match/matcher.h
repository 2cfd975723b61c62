// Matching components against vulnerability records (public API of vuln/match).
//
// Three record shapes are evaluated, one file each:
//   nvd.cpp   NVD CVE 2.0 `configurations` (and CVE 5 `cpeApplicability`, stored the same way)
//   cve5.cpp  CVE JSON 5 `affected[]` (vendor/product or cpes, versions[], defaultStatus)
//   osv.cpp   OSV `affected[]` (SEMVER / ECOSYSTEM / GIT ranges, `versions` lists)
// findings.cpp selects candidates from the Database by the component's keys (aliases.cpp), runs
// the evaluators, lets distribution data decide where it exists, de-duplicates by vulnerability
// (CVE preferred over GHSA/OSV/distro ids), enriches (CVSS, EPSS, KEV, fixed version, CWEs) and
// orders the findings by risk. Every finding carries one MatchExplanation per record that matched.
// docs/vulnerabilities.md "Matching" documents the semantics with examples.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "model/component.h"
#include "vuln/db/database.h"
#include "vuln/model.h"

namespace waybill::vuln {

// ---- Product aliases (data/vuln-aliases.json) ----

struct VendorProduct {
  std::string vendor, product;  // lowercase, spaces as '_' (as database.h cpe_key)
  bool operator==(const VendorProduct&) const = default;
};

class AliasTable {
 public:
  struct Group {
    std::vector<std::string> names;   // component names that select the group
    std::vector<VendorProduct> cpes;  // every vendor:product the product is published under
  };
  struct Distro {
    std::string prefix;                   // Component::distro prefix, e.g. "debian-"
    std::vector<std::string> ecosystems;  // OSV ecosystem templates: {v} {major} {mm}
  };

  // The built-in table (data/vuln-aliases.json, parsed once; thread-safe).
  static const AliasTable& builtin();
  // Parses a table in the format of data/vuln-aliases.json.
  static Result<AliasTable> parse(std::string_view json);

  // Groups that contain `vp` or whose names contain `name` (lowercase compare).
  std::vector<const Group*> groups_for(const VendorProduct* vp, std::string_view name) const;
  // OSV ecosystems for a Component::distro ("debian-12" -> {"Debian:12"}); empty if unknown.
  std::vector<std::string> distro_ecosystems(std::string_view distro) const;
  // OSV ecosystem of a purl type ("golang" -> "Go"); "" if unknown.
  std::string purl_ecosystem(std::string_view purl_type) const;

  std::vector<Group> groups;
  std::vector<Distro> distros;
  std::vector<std::pair<std::string, std::string>> purl_types;
};

// Who a component is, for matching: vendor/product pairs (its CPEs plus alias groups), OSV
// (ecosystem, package) pairs, distro ecosystems and the versions to compare.
struct ComponentIdentity {
  std::vector<VendorProduct> cpes;
  struct OsvPackage {
    std::string ecosystem, package;  // as OSV writes them ("Debian:12", "busybox")
    bool distro = false;             // a distribution's own data (deb/apk package versions)
    bool operator==(const OsvPackage&) const = default;
  };
  std::vector<OsvPackage> osv;
  std::vector<std::string> purl_keys;  // database.h purl_key form
  std::string version;                 // upstream version (Component::version)
  std::string distro_version;          // full package version for distro data ("" if none)
  std::string commit;                  // VCS commit if known (property "waybill:commit")
};

ComponentIdentity identify(const model::Component& c, const AliasTable& aliases);

// Candidate keys for one component (cpe/osv/purl keys of database.h) incl. aliases.
std::vector<std::string> component_keys(const model::Component& c, const AliasTable& aliases);

// ---- Single-record evaluators (pure; used by match_components and by tests) ----

// Identities of a whole SBOM, computed once (match_components builds it; evaluators fall back to
// computing identities themselves without it).
struct SbomIndex {
  std::vector<ComponentIdentity> identities;                             // parallel to the SBOM
  std::unordered_map<std::string, std::vector<std::size_t>> by_product;  // product -> components
};
SbomIndex index_sbom(std::span<const model::Component> sbom, const AliasTable& aliases);

struct MatchContext {
  const AliasTable* aliases = nullptr;  // nullptr = AliasTable::builtin()
  // The whole SBOM: platform CPEs (vulnerable:false, "running on/with") are satisfied by other
  // components of it (OS, kernel, hardware). Empty = no platform is ever satisfied.
  std::span<const model::Component> sbom;
  const SbomIndex* index = nullptr;  // optional: identities of `sbom`, built by index_sbom
};

// Why an evaluator did not match (for tests and --explain); filled when not null.
struct NoMatch {
  std::string reason;
};

// NVD `configurations` (NVD records, and CVE 5 cpeApplicability stored in the same field).
std::optional<MatchExplanation> match_configurations(const VulnRecord& r, const model::Component& c,
                                                     const MatchContext& ctx,
                                                     NoMatch* why = nullptr);
// CVE 5 `affected[]`. Tri-state: nullopt with why->reason starting "undetermined:" when no entry
// identified the component with usable version data (the caller may then use configurations).
std::optional<MatchExplanation> match_cve5_affected(const VulnRecord& r, const model::Component& c,
                                                    const MatchContext& ctx,
                                                    NoMatch* why = nullptr);
// OSV `affected[]`.
std::optional<MatchExplanation> match_osv_affected(const VulnRecord& r, const model::Component& c,
                                                   const MatchContext& ctx, NoMatch* why = nullptr);
// Dispatch by r.source ("nvd" -> configurations; "cve5" -> affected, else cpeApplicability;
// "osv" -> OSV affected). Withdrawn/rejected records never match.
std::optional<MatchExplanation> match_record(const VulnRecord& r, const model::Component& c,
                                             const MatchContext& ctx, NoMatch* why = nullptr);

// ---- Whole SBOM ----

struct MatchOptions {
  bool distro_data = true;  // let distribution OSV records decide for distro packages
};

// One Finding per (component, vulnerability), enriched and ordered by risk (see findings.cpp).
Result<std::vector<Finding>> match_components(const std::vector<model::Component>& components,
                                              Database& db, const MatchOptions& opts);

// Severity used for a finding from its scores (NVD primary 3.1 > 4.0 > 3.0 > CNA/ADP 3.1 > 4.0 >
// 3.0 > any 2.0); nullptr when there is none.
const CvssScore* pick_severity_score(const std::vector<CvssScore>& scores);
// The ordering key: KEV first, then EPSS x score, then score, then id (ascending).
bool risk_before(const Finding& a, const Finding& b);

}  // namespace waybill::vuln
