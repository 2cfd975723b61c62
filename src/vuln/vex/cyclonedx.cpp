// CycloneDX VEX reader (JSON, specVersion 1.4-1.6): `vulnerabilities[]` of a VEX-only BOM or of
// a regular BOM.
//
// - A vulnerability is a statement only when it has `analysis.state`; the others (a scanner's
//   plain findings) are counted in one diagnostic and ignored.
// - id: `id`; aliases: `references[].id`.
// - Products: every `affects[].ref`. A plain ref is looked up among metadata.component and
//   components[] (nested too) of the same document, and that component's purl, CPE and
//   name+version are added, so a VEX BOM can be matched against another tool's SBOM. A bom-link
//   ("urn:cdx:<serial>/<version>#<bom-ref>") is kept as is (apply_vex compares its fragment,
//   and its serial when the scanned SBOM has one); when it points into this same document it is
//   resolved like a plain ref.
// - One entry per `affects[]` element. Its `versions[].version` (exact versions) limit the entry
//   to components with one of those versions; `versions[].range` is not evaluated, so a
//   not_affected/fixed statement limited by ranges only is dropped with a diagnostic (never
//   suppress more than was said), other statuses apply to the component as a whole.
// - Status and justification are mapped to OpenVEX terms (vex.cpp); impact = analysis.detail;
//   action = the `response` list ("update, will_not_fix").
// - Timestamp: analysis.lastUpdated, else the vulnerability's updated, else analysis.firstIssued,
//   else metadata.timestamp.
#include <algorithm>
#include <map>

#include "vuln/vex/internal.h"

namespace waybill::vuln::vexdetail {

namespace {

struct RefInfo {
  std::string name, version, purl, cpe;
};

void collect_components(const json& list, std::map<std::string, RefInfo>& out, int depth) {
  if (depth > 32) return;
  for (const json& c : list) {
    if (!c.is_object()) continue;
    std::string ref = jsonin::str(c, "bom-ref");
    if (!ref.empty() && out.size() < 1000000)
      out.emplace(ref, RefInfo{jsonin::str(c, "name"), jsonin::str(c, "version"),
                               jsonin::str(c, "purl"), jsonin::str(c, "cpe")});
    collect_components(jsonin::arr(c, "components"), out, depth + 1);
  }
}

void add_ref_info(VexEntry& e, const RefInfo& r) {
  add_unique(e.purls, r.purl);
  add_unique(e.cpes, r.cpe);
  if (!r.name.empty()) {
    std::pair<std::string, std::string> nv{r.name, r.version};
    if (std::find(e.name_versions.begin(), e.name_versions.end(), nv) == e.name_versions.end())
      e.name_versions.push_back(std::move(nv));
  }
}

}  // namespace

Status read_cyclonedx_vex(const json& root, VexDocument& doc) {
  doc.serial = jsonin::str(root, "serialNumber");
  doc.id = doc.serial;
  const json& meta = jsonin::obj(root, "metadata");
  doc.timestamp = jsonin::str(meta, "timestamp");
  doc.author = jsonin::str(jsonin::obj(meta, "manufacturer"), "name");
  if (doc.author.empty()) doc.author = jsonin::str(jsonin::obj(meta, "supplier"), "name");
  const json* vulns = jsonin::member(root, "vulnerabilities");
  if (vulns && !vulns->is_array())
    return Error(Errc::corrupt, doc.path + ": CycloneDX \"vulnerabilities\" is not an array");
  if (!vulns || vulns->empty()) {
    warn(doc, "", "CycloneDX document has no vulnerabilities: no VEX statements");
    return Status::success();
  }

  std::map<std::string, RefInfo> refs;
  if (const json* mc = jsonin::member(meta, "component"); mc && mc->is_object())
    collect_components(json::array({*mc}), refs, 0);
  collect_components(jsonin::arr(root, "components"), refs, 0);
  std::string own_serial = doc.serial.rfind("urn:uuid:", 0) == 0 ? doc.serial.substr(9) : "";

  std::size_t index = 0, no_analysis = 0;
  for (const json& v : *vulns) {
    std::string where = "vulnerabilities[" + std::to_string(index++) + "]";
    if (doc.entries.size() >= kMaxVexEntries) {
      warn(doc, where, "more than " + std::to_string(kMaxVexEntries) + " statements; rest ignored");
      break;
    }
    if (!v.is_object()) {
      warn(doc, where, "not an object; skipped");
      continue;
    }
    const json& analysis = jsonin::obj(v, "analysis");
    VexEntry e;
    e.where = where;
    e.id = jsonin::str(v, "id");
    e.source_status = jsonin::str(analysis, "state");
    if (e.source_status.empty()) {
      ++no_analysis;
      continue;
    }
    if (e.id.empty()) {
      warn(doc, where, "vulnerability has no id; skipped");
      continue;
    }
    for (const json& r : jsonin::arr(v, "references")) add_unique(e.aliases, jsonin::str(r, "id"));
    e.statement.status = cdx_state_to_openvex(e.source_status);
    if (e.statement.status.empty()) {
      warn(doc, where,
           "unknown analysis.state \"" + e.source_status + "\" for " + e.id + "; skipped");
      continue;
    }
    e.source_justification = jsonin::str(analysis, "justification");
    if (!e.source_justification.empty()) {
      e.statement.justification = cdx_justification_to_openvex(e.source_justification);
      if (e.statement.justification.empty())
        warn(doc, where, "unknown analysis.justification \"" + e.source_justification + "\"");
    }
    e.statement.impact = jsonin::str(analysis, "detail");
    if (e.source_status == "false_positive")
      e.statement.impact = "false positive" +
                           (e.statement.impact.empty() ? std::string() : ": " + e.statement.impact);
    for (const json& r : jsonin::arr(analysis, "response")) {
      std::string resp = jsonin::as_str(r);
      if (resp.empty()) continue;
      e.statement.action += (e.statement.action.empty() ? "" : ", ") + resp;
    }
    e.timestamp = jsonin::str(analysis, "lastUpdated");
    if (e.timestamp.empty()) e.timestamp = jsonin::str(v, "updated");
    if (e.timestamp.empty()) e.timestamp = jsonin::str(analysis, "firstIssued");
    bool suppressing = e.statement.status == "not_affected" || e.statement.status == "fixed";
    std::size_t k = 0, added = 0;
    for (const json& a : jsonin::arr(v, "affects")) {
      std::string aw = where + ".affects[" + std::to_string(k++) + "]";
      std::string ref = jsonin::str(a, "ref");
      if (ref.empty()) continue;
      VexEntry x = e;
      x.where = aw;
      add_unique(x.bom_refs, ref);
      // Versions of the referenced component the statement is limited to: exact versions are
      // kept; ranges are not evaluated, so a suppressing statement limited by ranges only is
      // dropped (never suppress more than was said).
      bool ranges = false;
      for (const json& ver : jsonin::arr(a, "versions")) {
        if (std::string exact = jsonin::str(ver, "version"); !exact.empty()) {
          add_unique(x.versions, exact);
        } else if (!jsonin::str(ver, "range").empty()) {
          ranges = true;
        }
      }
      if (ranges && x.versions.empty()) {
        if (suppressing) {
          warn(doc, aw,
               "limited to version ranges, which are not evaluated; a " + e.statement.status +
                   " statement is not applied");
          continue;
        }
      }
      std::string local = ref;
      if (ref.rfind("urn:cdx:", 0) == 0) {
        auto hash = ref.find('#');
        auto slash = ref.find('/');
        bool own = !own_serial.empty() && hash != std::string::npos && slash != std::string::npos &&
                   ref.compare(8, slash - 8, own_serial) == 0;
        local = own ? ref.substr(hash + 1) : std::string();
      }
      if (!local.empty()) {
        if (auto it = refs.find(local); it != refs.end()) {
          add_ref_info(x, it->second);
        } else if (ref.rfind("urn:cdx:", 0) != 0) {
          warn(doc, aw, "affects ref \"" + ref + "\" is not a bom-ref of this document");
        }
      }
      if (doc.entries.size() >= kMaxVexEntries) break;
      doc.entries.push_back(std::move(x));
      ++added;
    }
    if (!added && jsonin::arr(v, "affects").empty())
      warn(doc, where, "vulnerability " + e.id + " affects nothing; skipped");
  }
  if (no_analysis)
    warn(doc, "",
         std::to_string(no_analysis) +
             " vulnerabilities without analysis.state are findings, not VEX statements; "
             "ignored");
  return Status::success();
}

}  // namespace waybill::vuln::vexdetail
