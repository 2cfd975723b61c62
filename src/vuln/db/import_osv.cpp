// OSV records (osv.dev schema): affected packages with ranges/events/versions, aliases,
// related, severity (CVSS vectors, scored here for 3.x), withdrawn, database_specific CWEs.
#include "vuln/db/internal.h"

namespace waybill::vuln::db {

using simdjson::dom::element;

namespace {

void read_severity(simdjson::dom::array sev, VulnRecord& r) {
  for (element s : sev) {
    CvssScore c;
    std::string_view type = jstr(s, "type");
    c.source = "osv";
    c.vector = jstr(s, "score");
    if (type == "CVSS_V3") {
      c.version = c.vector.starts_with("CVSS:3.0/") ? "3.0" : "3.1";
      if (auto sc = cvss3_base_score(c.vector)) {
        c.score = *sc;
        c.severity = cvss_severity(*sc);
      }
    } else if (type == "CVSS_V4") {
      c.version = "4.0";  // vector only: no 4.0 calculator here, score stays 0
    } else if (type == "CVSS_V2") {
      c.version = "2.0";
    } else {
      // Qualitative severity (e.g. type "Ubuntu", score "medium"): no vector, no number.
      c.source = "osv:" + std::string(type);
      c.severity.clear();
      for (char ch : c.vector)
        c.severity.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch);
      c.vector.clear();
      if (!c.severity.empty()) r.cvss.push_back(std::move(c));
      continue;
    }
    if (c.vector.empty()) continue;
    bool dup = false;
    for (const auto& x : r.cvss) dup = dup || x.vector == c.vector;
    if (!dup) r.cvss.push_back(std::move(c));
  }
}

void read_strings(simdjson::dom::array a, std::vector<std::string>& out) {
  for (element x : a) push_unique(out, jstr_any(x));
}

}  // namespace

bool osv_accepts(element v) {
  if (!v.is_object()) return false;
  if (jstr(v, "id").empty()) return false;
  element x;
  if (!v["schema_version"].get(x)) return true;
  if (!v["affected"].get(x) || !v["withdrawn"].get(x)) return true;
  return !v["modified"].get(x) && (!v["details"].get(x) || !v["aliases"].get(x));
}

void osv_read(element v, Sink& sink) {
  VulnRecord r;
  r.source = "osv";
  r.id = jstr(v, "id");
  r.modified = jstr(v, "modified");
  if (r.modified.empty()) return sink.issue(r.id, "OSV: record without modified");
  r.published = jstr(v, "published");
  std::string_view withdrawn = jstr(v, "withdrawn");
  r.withdrawn = !withdrawn.empty();
  if (r.withdrawn) r.status = "withdrawn " + std::string(withdrawn);
  read_strings(jarr(v, "aliases"), r.aliases);
  read_strings(jarr(v, "related"), r.related);
  r.summary = jstr(v, "summary");
  r.description = jstr(v, "details");
  read_severity(jarr(v, "severity"), r);
  for (element a : jarr(v, "affected")) {
    Affected af;
    element pkg;
    if (jobj(a, "package", pkg)) {
      af.ecosystem = jstr(pkg, "ecosystem");
      af.package = jstr(pkg, "name");
      af.purl = jstr(pkg, "purl");
    }
    for (element rg : jarr(a, "ranges")) {
      Range range;
      range.type = jstr(rg, "type");
      range.repo = jstr(rg, "repo");
      for (element e : jarr(rg, "events")) {
        RangeEvent ev;
        element x;
        if (!e["introduced"].get(x))
          ev.introduced = jstr_any(x);
        else if (!e["fixed"].get(x))
          ev.fixed = jstr_any(x);
        else if (!e["last_affected"].get(x))
          ev.last_affected = jstr_any(x);
        else if (!e["limit"].get(x))
          ev.limit = jstr_any(x);
        else
          continue;
        range.events.push_back(std::move(ev));
      }
      af.ranges.push_back(std::move(range));
    }
    read_strings(jarr(a, "versions"), af.versions);
    read_severity(jarr(a, "severity"), r);
    r.affected.push_back(std::move(af));
  }
  element ds;
  if (jobj(v, "database_specific", ds)) {
    for (element c : jarr(ds, "cwe_ids")) push_unique(r.cwes, jstr_any(c));
    std::string_view sev = jstr(ds, "severity");
    if (!sev.empty() && r.cvss.empty()) {
      // GHSA-style qualitative severity without a vector: kept so the finding is not "unknown".
      CvssScore c;
      c.source = "osv:database_specific";
      for (char ch : sev)
        c.severity.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch);
      r.cvss.push_back(std::move(c));
    }
  }
  for (element ref : jarr(v, "references")) push_unique(r.references, jstr(ref, "url"));
  sink.record(std::move(r));
}

}  // namespace waybill::vuln::db
