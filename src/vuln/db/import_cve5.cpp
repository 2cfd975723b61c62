// CVE JSON 5.x records (cvelistV5, CISA vulnrichment): CNA and ADP containers, `affected`
// with versions / lessThan / lessThanOrEqual / versionType / defaultStatus, `cpes`,
// `cpeApplicability`, CVSS metrics and REJECTED state.
#include "vuln/db/internal.h"

namespace waybill::vuln::db {

using simdjson::dom::element;

namespace {

void read_container(element c, std::string_view name, VulnRecord& r) {
  for (element a : jarr(c, "affected")) {
    Affected af;
    af.container = name;
    af.vendor = jstr(a, "vendor");
    af.product = jstr(a, "product");
    af.package = jstr(a, "packageName");
    af.repo = jstr(a, "repo");
    if (af.repo.empty()) af.repo = jstr(a, "collectionURL");
    af.default_status = jstr(a, "defaultStatus");
    for (element cpe : jarr(a, "cpes")) {
      std::string_view s;
      if (!cpe.get_string().get(s)) push_unique(af.cpes, s);
    }
    for (element v : jarr(a, "versions")) {
      Cve5Version cv;
      element x;
      if (!v["version"].get(x)) cv.version = jstr_any(x);
      cv.less_than = jstr(v, "lessThan");
      cv.less_than_or_equal = jstr(v, "lessThanOrEqual");
      cv.status = jstr(v, "status");
      cv.version_type = jstr(v, "versionType");
      af.cve5_versions.push_back(std::move(cv));
    }
    r.affected.push_back(std::move(af));
  }
  for (element m : jarr(c, "metrics")) {
    static constexpr std::pair<std::string_view, std::string_view> kinds[] = {
        {"cvssV4_0", "4.0"}, {"cvssV3_1", "3.1"}, {"cvssV3_0", "3.0"}, {"cvssV2_0", "2.0"}};
    for (auto [key, ver] : kinds) {
      element d;
      if (!jobj(m, key, d)) continue;
      CvssScore s;
      s.source = name;
      s.version = jstr(d, "version");
      if (s.version.empty()) s.version = ver;
      s.vector = jstr(d, "vectorString");
      s.score = jnum(d, "baseScore", 0);
      s.severity = jstr(d, "baseSeverity");
      if (s.score == 0 && s.version.starts_with("3")) {
        if (auto sc = cvss3_base_score(s.vector)) s.score = *sc;
      }
      if (s.severity.empty() && s.score > 0) s.severity = cvss_severity(s.score);
      r.cvss.push_back(std::move(s));
    }
    element other, content;
    if (jobj(m, "other", other) && jstr(other, "type") == "kev" &&
        jobj(other, "content", content)) {
      if (r.cisa_exploit_add.empty()) r.cisa_exploit_add = jstr(content, "dateAdded");
    }
  }
  for (element p : jarr(c, "problemTypes"))
    for (element d : jarr(p, "descriptions")) {
      std::string_view cwe = jstr(d, "cweId");
      if (cwe.starts_with("CWE-")) push_unique(r.cwes, cwe);
    }
  for (element ref : jarr(c, "references")) push_unique(r.references, jstr(ref, "url"));
  read_cpe_configurations(jarr(c, "cpeApplicability"), r.configurations);
}

}  // namespace

bool cve5_accepts(element v) {
  if (!v.is_object()) return false;
  if (jstr(v, "dataType") == "CVE_RECORD") return true;
  element x;
  return jobj(v, "cveMetadata", x) && jobj(v, "containers", x);
}

void cve5_read(element v, Sink& sink) {
  element meta, containers, cna;
  if (!jobj(v, "cveMetadata", meta)) return sink.issue({}, "CVE 5: no cveMetadata");
  VulnRecord r;
  r.source = "cve5";
  r.id = jstr(meta, "cveId");
  if (r.id.empty()) return sink.issue({}, "CVE 5: cveMetadata without cveId");
  if (!jobj(v, "containers", containers) || !jobj(containers, "cna", cna))
    return sink.issue(r.id, "CVE 5: no containers.cna");
  r.status = jstr(meta, "state");
  r.withdrawn = r.status == "REJECTED";
  r.published = jstr(meta, "datePublished");
  r.modified = jstr(meta, "dateUpdated");
  if (r.modified.empty()) r.modified = r.published;
  if (r.modified.empty()) r.modified = jstr(meta, "dateRejected");
  if (r.modified.empty()) r.modified = jstr(meta, "dateReserved");
  r.summary = jstr(cna, "title");
  r.description = english(jarr(cna, "descriptions"));
  if (r.description.empty()) r.description = english(jarr(cna, "rejectedReasons"));
  read_container(cna, "cna", r);
  for (element adp : jarr(containers, "adp")) {
    element pm;
    std::string name = "adp";
    if (jobj(adp, "providerMetadata", pm) && !jstr(pm, "shortName").empty())
      name = jstr(pm, "shortName");
    read_container(adp, name, r);
  }
  sink.record(std::move(r));
}

}  // namespace waybill::vuln::db
