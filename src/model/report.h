// Everything one `waybill scan` learned about one target: the inventory (SBOM), vulnerability
// findings, security-by-default check findings, trust verdicts and policy violations. Output
// encoders (report/*) write this; only the CLI decides which and where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/sbom.h"
#include "vuln/model.h"

namespace waybill::model {

// A catalog item a result evidences, e.g. {"enisa-gp", "GP-TM-08"} or {"etsi-en-303-645", "5.1-1"}.
struct CatalogRef {
  std::string catalog;  // "enisa-gp", "etsi-en-303-645", "cra-annex-i"
  std::string item;
};

// One result of a security-by-default check (checks/*).
struct CheckFinding {
  std::string check;        // check id, e.g. "credentials/empty-password"
  std::string rule;         // finer rule id within the check, if any
  std::string severity;     // "critical", "high", "medium", "low", "info"
  std::string title;        // one line
  std::string detail;       // why, in words; no secrets in clear (passwords are masked)
  std::string root;         // virtual root of the file
  std::string path;         // in-root path of the evidence file
  std::optional<std::uint32_t> line;       // 1-based
  std::optional<std::uint64_t> offset;     // byte offset, for binary evidence
  std::string evidence;     // the offending text, masked where it is a secret
  std::vector<CatalogRef> catalog;
};

// One verdict of `waybill verify` or of the trust stage of a scan.
struct TrustVerdict {
  std::string kind;     // "signature", "x509", "dsse", "in-toto", "slsa", "sigstore", "fit",
                        // "sbom-hashes"
  std::string subject;  // what was verified (file, digest, component)
  std::string verdict;  // "pass", "fail", "unknown"
  std::string detail;   // why
  std::string key;      // key / signer identity used, if any
  std::vector<std::string> evidence;  // supporting facts (builder id, source uri, digests ...)
};

// One policy rule broken (policy/*).
struct PolicyViolation {
  std::string rule;      // e.g. "banned-component", "max-severity", "license", "supplier"
  std::string severity;  // "error" (fails the run) or "warning"
  std::string subject;   // component bom-ref, finding id, file ...
  std::string message;   // explanation with the evidence
  std::vector<std::string> evidence;
};

struct Report {
  Sbom sbom;
  std::vector<vuln::Finding> findings;      // ordered by risk, suppressed ones included
  std::vector<CheckFinding> checks;
  std::vector<TrustVerdict> trust;
  std::vector<PolicyViolation> policy;
  // Database provenance for findings: source -> newest record time, for the report header.
  std::vector<std::pair<std::string, std::string>> vuln_sources;
  bool vulnerabilities_matched = false;  // false when no database was available
  bool checks_run = false;
};

}  // namespace waybill::model
