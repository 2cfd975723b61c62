// NVD CVE JSON 2.0: API pages and feed files ({"vulnerabilities":[{"cve":{...}}]}), single
// {"cve":{...}} items (JSONL) and bare cve objects (fkie-cad/nvd-json-data-feeds).
#include "vuln/db/internal.h"

namespace waybill::vuln::db {

using simdjson::dom::element;

namespace {

bool is_bare_cve(element v) {
  if (!v.is_object()) return false;
  std::string_view id = jstr(v, "id");
  if (!id.starts_with("CVE-")) return false;
  element x;
  return !v["sourceIdentifier"].get(x) || !v["descriptions"].get(x) || !v["vulnStatus"].get(x);
}

void read_metric_list(element metrics, std::string_view key, std::string_view version_dflt,
                      VulnRecord& r) {
  for (element m : jarr(metrics, key)) {
    element data;
    if (!jobj(m, "cvssData", data)) continue;
    CvssScore s;
    s.source = jstr(m, "source");
    s.version = jstr(data, "version");
    if (s.version.empty()) s.version = version_dflt;
    s.vector = jstr(data, "vectorString");
    s.score = jnum(data, "baseScore", 0);
    s.severity = jstr(data, "baseSeverity");
    if (s.severity.empty()) s.severity = jstr(m, "baseSeverity");  // V2 keeps it outside cvssData
    s.primary = jstr(m, "type") == "Primary";
    r.cvss.push_back(std::move(s));
  }
}

}  // namespace

void read_cpe_configurations(simdjson::dom::array confs, std::vector<CpeConfiguration>& out) {
  for (element c : confs) {
    CpeConfiguration conf;
    std::string_view op = jstr(c, "operator");
    if (!op.empty()) conf.op = op;
    conf.negate = jbool(c, "negate", false);
    for (element n : jarr(c, "nodes")) {
      CpeNode node;
      std::string_view nop = jstr(n, "operator");
      if (!nop.empty()) node.op = nop;
      node.negate = jbool(n, "negate", false);
      for (element m : jarr(n, "cpeMatch")) {
        CpeMatch cm;
        cm.criteria = jstr(m, "criteria");
        if (cm.criteria.empty()) continue;
        cm.vulnerable = jbool(m, "vulnerable", true);
        cm.version_start_including = jstr(m, "versionStartIncluding");
        cm.version_start_excluding = jstr(m, "versionStartExcluding");
        cm.version_end_including = jstr(m, "versionEndIncluding");
        cm.version_end_excluding = jstr(m, "versionEndExcluding");
        cm.match_criteria_id = jstr(m, "matchCriteriaId");
        node.matches.push_back(std::move(cm));
      }
      conf.nodes.push_back(std::move(node));
    }
    out.push_back(std::move(conf));
  }
}

// Reads one cve object into `r`; false (with `why`) when it cannot be a record.
bool nvd_cve_to_record(element cve, VulnRecord& r, std::string& why) {
  if (!cve.is_object()) {
    why = "cve is not an object";
    return false;
  }
  r.source = "nvd";
  r.id = jstr(cve, "id");
  if (r.id.empty()) {
    why = "cve without id";
    return false;
  }
  r.published = jstr(cve, "published");
  r.modified = jstr(cve, "lastModified");
  r.status = jstr(cve, "vulnStatus");
  r.withdrawn = r.status == "Rejected" || r.status == "REJECTED";
  r.description = english(jarr(cve, "descriptions"));
  element metrics;
  if (jobj(cve, "metrics", metrics)) {
    read_metric_list(metrics, "cvssMetricV40", "4.0", r);
    read_metric_list(metrics, "cvssMetricV31", "3.1", r);
    read_metric_list(metrics, "cvssMetricV30", "3.0", r);
    read_metric_list(metrics, "cvssMetricV2", "2.0", r);
  }
  for (element w : jarr(cve, "weaknesses"))
    for (element d : jarr(w, "description")) {
      std::string_view cwe = jstr(d, "value");
      if (cwe.starts_with("CWE-")) push_unique(r.cwes, cwe);
    }
  read_cpe_configurations(jarr(cve, "configurations"), r.configurations);
  for (element ref : jarr(cve, "references")) push_unique(r.references, jstr(ref, "url"));
  r.cisa_exploit_add = jstr(cve, "cisaExploitAdd");
  r.cisa_action_due = jstr(cve, "cisaActionDue");
  r.cisa_required_action = jstr(cve, "cisaRequiredAction");
  return true;
}

bool nvd_accepts(element v) {
  if (!v.is_object()) return false;
  element x;
  if (jobj(v, "cve", x)) return true;
  simdjson::dom::array vulns;
  if (!v["vulnerabilities"].get_array().get(vulns)) {
    // NVD API page / feed; KEV also has "vulnerabilities", but of {"cveID"} objects.
    std::string_view fmt = jstr(v, "format");
    if (fmt == "NVD_CVE") return true;
    for (element item : vulns) return item.is_object() && jobj(item, "cve", x);
    return !v["resultsPerPage"].get(x) || !v["totalResults"].get(x);
  }
  return is_bare_cve(v);
}

void nvd_read(element v, Sink& sink) {
  auto one = [&](element cve) {
    VulnRecord r;
    std::string why;
    if (nvd_cve_to_record(cve, r, why)) {
      sink.record(std::move(r));
    } else {
      sink.issue(cve.is_object() ? jstr(cve, "id") : std::string_view{}, "NVD: " + why);
    }
  };
  element cve;
  if (jobj(v, "cve", cve)) return one(cve);
  simdjson::dom::array vulns;
  if (!v["vulnerabilities"].get_array().get(vulns)) {
    for (element item : vulns) {
      if (jobj(item, "cve", cve)) {
        one(cve);
      } else {
        sink.issue({}, "NVD: vulnerabilities[] item without a cve object");
      }
    }
    return;
  }
  one(v);
}

}  // namespace waybill::vuln::db
