// Supplier registry and policy: what a product team accepts from its supply chain, written in a
// YAML file (docs/policy.md), evaluated against a whole scan report.
//
// Each rule family is one file (policy/rules_*.cpp), listed in policy/builtin.cpp. A violation
// names its rule, the subject (component bom-ref, finding id, file), and the evidence.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/report.h"

namespace waybill::policy {

// A version constraint such as "<1.36.0", ">=3.0, <3.0.13", "=1.2.3" or "1.2.3" (exact),
// compared in `scheme` ("generic" upstream versions by default, or "deb", "rpm", "apk", "semver").
struct VersionConstraint {
  std::string text;  // as written
  struct Term {
    std::string op;  // "<", "<=", ">", ">=", "=", "!="
    std::string version;
  };
  std::vector<Term> terms;  // all must hold
  std::string scheme = "generic";
  bool empty() const { return terms.empty(); }
};

// Selects components: every given field must match (globs with '*' and '?', case-insensitive).
struct ComponentSelector {
  std::string name;      // component name or upstream name
  std::string purl;      // purl glob, e.g. "pkg:deb/debian/*"
  std::string supplier;  // supplier text glob
  VersionConstraint versions;
};

enum class TrustLevel { trusted, conditional, untrusted };

struct Supplier {
  std::string name;
  ComponentSelector match;  // which components come from this supplier
  TrustLevel trust = TrustLevel::conditional;
  std::vector<std::string> keys;     // allowed signing keys: SHA-256 SPKI fingerprints (hex)
  std::vector<std::string> require;  // "signature", "provenance", "sbom-hashes"
  int line = 0;                      // where it is declared (for messages)
};

struct BannedComponent {
  ComponentSelector match;
  std::string reason;
  int line = 0;
};

struct EndOfLife {
  ComponentSelector match;
  std::string date;  // end-of-life date (YYYY-MM-DD), informational
  std::string reason;
  int line = 0;
};

struct IgnoreVuln {
  std::string id;         // CVE/GHSA/OSV id
  std::string component;  // optional component name glob
  std::string reason;
  std::string expires;  // YYYY-MM-DD; after it the ignore no longer applies
  int line = 0;
};

struct IgnoreCheck {
  std::string check;  // check id glob
  std::string path;   // path glob (optional)
  std::string reason;
  int line = 0;
};

struct Policy {
  std::string path;  // file it was read from
  int version = 1;
  // suppliers
  std::vector<Supplier> suppliers;
  std::string unlisted_supplier = "allow";  // allow | warn | error: component matching no supplier
  // components
  std::string require_supplier = "allow";  // allow | warn | error: component without supplier
  std::vector<BannedComponent> banned;
  std::vector<EndOfLife> end_of_life;
  // licenses
  std::vector<std::string> license_allow;  // SPDX ids (globs allowed: "BSD-*")
  std::vector<std::string> license_deny;
  std::string license_unknown = "allow";  // allow | warn | error: component without licence
  // vulnerabilities
  std::string max_severity;   // "" = no limit; findings above it violate
  std::string kev = "allow";  // allow | warn | deny
  std::optional<double> max_epss;
  bool count_suppressed = false;  // VEX-suppressed findings count too
  std::vector<IgnoreVuln> ignore_vulns;
  // checks
  std::string checks_fail_on;  // "" = checks never violate
  std::vector<IgnoreCheck> ignore_checks;
  // trust
  std::vector<std::string>
      trust_require;  // "signature", "provenance", "sbom-hashes", "attestation"
  std::vector<std::string> builders, sources;  // allowed SLSA builders / sources (globs)
  // Per-rule severity overrides: rule id -> "error" | "warning" | "off".
  std::vector<std::pair<std::string, std::string>> on_violation;
  // "Today" for expiry dates (YYYY-MM-DD; "" = the current date).
  std::string today;
};

// Reads a policy file. Errors name the file, the line and the key (unknown keys are errors, so
// typos do not silently disable a rule).
Result<Policy> load_policy(const std::string& path);
Result<Policy> parse_policy(std::string_view name, std::string_view yaml);

// Every violation of `policy` in `report`, in rule order.
std::vector<model::PolicyViolation> evaluate(const Policy& policy, const model::Report& report);

// True when any violation has severity "error".
bool policy_failed(const std::vector<model::PolicyViolation>& violations);

// Exposed for tests.
Result<VersionConstraint> parse_constraint(std::string_view text, std::string_view scheme);
bool satisfies(const VersionConstraint& c, std::string_view version);
bool glob_match_ci(std::string_view pattern, std::string_view text);
// SPDX licence expression against allow/deny lists: returns "" when allowed, else the reason
// (which term is denied or not allowed). An OR expression is allowed if one branch is; AND needs
// every term; "X WITH exception" is judged by X; "X+" / "X-or-later" match X-only/-or-later ids.
std::string judge_license(std::string_view expression, const std::vector<std::string>& allow,
                          const std::vector<std::string>& deny);

}  // namespace waybill::policy
