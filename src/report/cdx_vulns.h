// The CycloneDX 1.6 `vulnerabilities` view of a Report's findings, computed once and written by
// both cyclonedx_json.cpp and cyclonedx_xml.cpp (so the two forms cannot drift apart).
//
// One entry per Finding (a vulnerability id on one component): CycloneDX allows several affects
// per vulnerability, but VEX analysis and the match explanation are per component, so a shared
// entry would lose them. Mapping:
// - source: the database that decided the first match (NVD / CVE / OSV) with the public page;
// - references: every alias, with its own source (NVD for CVE, GitHub for GHSA, else OSV);
// - ratings: one per CVSS score (method CVSSv2/v3/v31/v4 and the full vector), or one "other"
//   rating from the finding's severity when no score is known;
// - cwes (numeric), description (summary), detail (the match explanation in words),
//   recommendation (upgrade to the fixed version), published / updated (RFC 3339);
// - analysis: from the VEX statement (state, justification, responses, detail);
// - affects: the component's bom-ref with its version, status affected / unaffected;
// - properties: waybill:epss, waybill:epss_percentile, waybill:kev*, waybill:fixed_version,
//   waybill:risk, waybill:suppressed and waybill:match:* (source, record, method, criteria,
//   range, comparison, scheme, component_version) for each match.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/report.h"

namespace waybill::report {

struct CdxSource {
  std::string name, url;  // url "" when unknown
};

struct CdxRating {
  CdxSource source;
  std::optional<double> score;
  std::string severity;  // CycloneDX severity enum
  std::string method;    // CVSSv2, CVSSv3, CVSSv31, CVSSv4, other
  std::string vector;
};

struct CdxVulnerability {
  std::string id;
  CdxSource source;
  std::vector<std::pair<std::string, CdxSource>> references;  // alias id, its source
  std::vector<CdxRating> ratings;
  std::vector<int> cwes;
  std::string description, detail, recommendation;
  std::string published, updated;  // RFC 3339 or ""
  // analysis (present when state is not empty)
  std::string state, justification, analysis_detail;
  std::vector<std::string> responses;
  // affects
  std::string affects_ref, affects_version, affects_status;  // status "affected"/"unaffected"
  std::vector<std::pair<std::string, std::string>> properties;
};

// `ref_of` maps a Component::bom_ref to the reference written in the document ("" if unknown);
// findings on unknown components affect `target_ref`.
std::vector<CdxVulnerability> cdx_vulnerabilities(const model::Report& report,
                                                  const std::vector<std::string>& component_refs,
                                                  const std::string& target_ref);

}  // namespace waybill::report
