#include "report/cdx_vulns.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "report/report_util.h"

namespace waybill::report {

namespace {

CdxSource source_for_id(const std::string& id, const std::string& db_source) {
  CdxSource s;
  if (id.rfind("CVE-", 0) == 0 && (db_source.empty() || db_source == "nvd"))
    s.name = "NVD";
  else if (id.rfind("GHSA-", 0) == 0)
    s.name = "GitHub";
  else if (!db_source.empty())
    s.name = source_name(db_source);
  else
    s.name = id.rfind("CVE-", 0) == 0 ? "NVD" : "OSV";
  s.url = vuln_url(id);
  return s;
}

// CycloneDX severity from a CVSS score's own severity, or from its score by the CVSS bands.
std::string rating_severity(const vuln::CvssScore& c) {
  std::string s = normalize_severity(c.severity);
  if (s != "unknown") return s;
  if (c.score <= 0.0) return c.vector.empty() ? "unknown" : "none";
  if (c.version.rfind("2", 0) == 0)
    return c.score >= 7.0 ? "high" : c.score >= 4.0 ? "medium" : "low";
  if (c.score >= 9.0) return "critical";
  if (c.score >= 7.0) return "high";
  if (c.score >= 4.0) return "medium";
  return "low";
}

// CycloneDX impactAnalysisState for a VEX status (OpenVEX / CSAF words or CycloneDX's own).
std::string analysis_state(const std::string& status) {
  static const std::unordered_map<std::string, std::string> m{
      {"not_affected", "not_affected"},
      {"known_not_affected", "not_affected"},
      {"fixed", "resolved"},
      {"resolved", "resolved"},
      {"resolved_with_pedigree", "resolved_with_pedigree"},
      {"affected", "exploitable"},
      {"known_affected", "exploitable"},
      {"exploitable", "exploitable"},
      {"under_investigation", "in_triage"},
      {"in_triage", "in_triage"},
      {"false_positive", "false_positive"}};
  auto it = m.find(status);
  return it == m.end() ? "" : it->second;
}

// CycloneDX impactAnalysisJustification for a VEX justification, or "" when none fits.
std::string analysis_justification(const std::string& j) {
  static const std::unordered_map<std::string, std::string> m{
      {"component_not_present", "code_not_present"},
      {"vulnerable_code_not_present", "code_not_present"},
      {"vulnerable_code_not_in_execute_path", "code_not_reachable"},
      {"vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment"},
      {"inline_mitigations_already_exist", "protected_by_mitigating_control"},
      {"code_not_present", "code_not_present"},
      {"code_not_reachable", "code_not_reachable"},
      {"requires_configuration", "requires_configuration"},
      {"requires_dependency", "requires_dependency"},
      {"requires_environment", "requires_environment"},
      {"protected_by_compiler", "protected_by_compiler"},
      {"protected_at_runtime", "protected_at_runtime"},
      {"protected_at_perimeter", "protected_at_perimeter"},
      {"protected_by_mitigating_control", "protected_by_mitigating_control"}};
  auto it = m.find(j);
  return it == m.end() ? "" : it->second;
}

// CycloneDX responses named in a VEX action ("update", "will_not_fix, workaround_available").
std::vector<std::string> analysis_responses(const std::string& action) {
  static const std::set<std::string> allowed{"can_not_fix", "will_not_fix", "update", "rollback",
                                             "workaround_available"};
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (allowed.count(word) && std::find(out.begin(), out.end(), word) == out.end())
      out.push_back(word);
    word.clear();
  };
  for (char c : action) {
    if ((c >= 'a' && c <= 'z') || c == '_')
      word += c;
    else
      flush();
  }
  flush();
  return out;
}

}  // namespace

std::vector<CdxVulnerability> cdx_vulnerabilities(const model::Report& report,
                                                  const std::vector<std::string>& component_refs,
                                                  const std::string& target_ref) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < report.sbom.components.size() && i < component_refs.size(); ++i)
    index.emplace(report.sbom.components[i].bom_ref, i);

  std::vector<CdxVulnerability> out;
  out.reserve(report.findings.size());
  for (const vuln::Finding* fp : ordered_findings(report.findings)) {
    const vuln::Finding& f = *fp;
    CdxVulnerability v;
    v.id = f.id.empty() ? "UNKNOWN" : f.id;
    std::string db = f.matches.empty() ? "" : f.matches.front().source;
    v.source = source_for_id(v.id, db.rfind("osv", 0) == 0 ? "osv" : db);
    std::set<std::string> seen{v.id};
    for (const auto& a : f.aliases)
      if (!a.empty() && seen.insert(a).second) v.references.emplace_back(a, source_for_id(a, ""));

    for (const auto& c : f.cvss) {
      CdxRating r;
      r.source.name = c.source;
      if (c.score > 0.0 || !c.vector.empty()) r.score = c.score;
      r.severity = rating_severity(c);
      r.method = std::string(cdx_method(c.version));
      r.vector = c.vector;
      v.ratings.push_back(std::move(r));
    }
    if (f.cvss.empty() && !f.severity.empty()) {
      CdxRating r;
      r.source.name = "waybill";
      if (f.score > 0.0) r.score = f.score;
      r.severity = normalize_severity(f.severity);
      r.method = "other";
      v.ratings.push_back(std::move(r));
    }
    std::set<int> cwes;
    for (const auto& c : f.cwes)
      if (auto n = cwe_number(c)) cwes.insert(*n);
    v.cwes.assign(cwes.begin(), cwes.end());
    v.description = f.summary;
    v.detail = "waybill matched " + component_label(f) + ": " + explain_finding(f);
    if (!f.fixed_version.empty())
      v.recommendation =
          "Upgrade " +
          (f.component_name.empty() ? std::string("the component") : f.component_name) + " to " +
          f.fixed_version + " or later.";
    v.published = rfc3339(f.published);
    v.updated = rfc3339(f.modified);

    if (f.vex) {
      v.state = analysis_state(f.vex->status);
      v.justification = analysis_justification(f.vex->justification);
      v.responses = analysis_responses(f.vex->action);
      v.analysis_detail = explain_vex(*f.vex);
      if (v.state.empty() && !v.analysis_detail.empty()) v.state = "in_triage";
    }

    auto it = index.find(f.component_ref);
    v.affects_ref = it != index.end() ? component_refs[it->second] : target_ref;
    v.affects_version = f.component_version;
    v.affects_status = f.suppressed ? "unaffected" : "affected";

    auto& p = v.properties;
    if (f.epss) p.emplace_back("waybill:epss", short_number(*f.epss));
    if (f.epss_percentile)
      p.emplace_back("waybill:epss_percentile", short_number(*f.epss_percentile));
    if (f.kev) {
      p.emplace_back("waybill:kev", "true");
      if (!f.kev_date_added.empty()) p.emplace_back("waybill:kev_date_added", f.kev_date_added);
      if (!f.kev_due_date.empty()) p.emplace_back("waybill:kev_due_date", f.kev_due_date);
      if (!f.kev_ransomware.empty()) p.emplace_back("waybill:kev_ransomware", f.kev_ransomware);
    }
    if (!f.fixed_version.empty()) p.emplace_back("waybill:fixed_version", f.fixed_version);
    p.emplace_back("waybill:risk", short_number(f.risk, 3));
    if (f.suppressed) p.emplace_back("waybill:suppressed", "true");
    if (!f.component_purl.empty()) p.emplace_back("waybill:component_purl", f.component_purl);
    for (const auto& m : f.matches) {
      auto add = [&](const char* k, const std::string& val) {
        if (!val.empty()) p.emplace_back(std::string("waybill:match:") + k, val);
      };
      add("source", m.source);
      add("record", m.record);
      add("method", m.method);
      add("criteria", m.criteria);
      add("range", m.range);
      add("comparison", m.comparison);
      add("scheme", m.scheme);
      add("component_version", m.component_version);
    }
    for (const auto& r : f.references)
      if (!r.empty()) p.emplace_back("waybill:reference", r);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace waybill::report
