// CycloneDX VEX writer (-o cyclonedx-vex): a CycloneDX 1.6 JSON BOM whose subject is the scanned
// target, listing only the components that have findings and one `vulnerabilities[]` entry per
// finding.
//
// - vulnerabilities[]: id, source (NVD for CVE-, GitHub for GHSA-, else OSV, with the advisory
//   URL), references (the aliases), ratings (one per CVSS score: method CVSSv2/CVSSv3/CVSSv31/
//   CVSSv4, score, severity, vector, source), cwes, description (summary), published/updated,
//   affects [{ref: the component's bom-ref}], and analysis:
//     state          from the statement's status (not_affected, resolved, exploitable, in_triage;
//                    sbom/vex/vex_common.cpp says how a statement is chosen)
//     justification  mapped from the OpenVEX justification (vuln/vex/terms.h)
//     response       "update" when a fixed version is known and the finding is affected, plus any
//                    CycloneDX response words the VEX action text contains
//     detail         impact and action text
// - Output is deterministic: serialNumber derived from the SBOM and the statements, timestamp the
//   SBOM's, findings in report order.
#include <nlohmann/json.hpp>

#include <map>

#include "sbom/common.h"
#include "sbom/vex/vex_encoders.h"
#include "vuln/vex/terms.h"

namespace waybill::sbom {

namespace {

using ojson = nlohmann::ordered_json;

ojson vuln_source(const std::string& id) {
  ojson s;
  if (id.rfind("CVE-", 0) == 0) {
    s["name"] = "NVD";
    s["url"] = "https://nvd.nist.gov/vuln/detail/" + id;
  } else if (id.rfind("GHSA-", 0) == 0) {
    s["name"] = "GitHub";
    s["url"] = "https://github.com/advisories/" + id;
  } else {
    s["name"] = "OSV";
    s["url"] = "https://osv.dev/vulnerability/" + id;
  }
  if (!detail::is_simple_url(s["url"].get<std::string>())) s.erase("url");
  return s;
}

std::string cdx_method(const std::string& version) {
  if (version == "2.0" || version == "2") return "CVSSv2";
  if (version == "3.0") return "CVSSv3";
  if (version == "3.1") return "CVSSv31";
  if (version == "4.0" || version == "4") return "CVSSv4";
  return "other";
}

std::string cdx_severity(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* k : {"critical", "high", "medium", "low", "info", "none", "unknown"})
    if (s == k) return s;
  return {};
}

class CycloneDxVexEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"cyclonedx-vex",
                              "CycloneDX 1.6 VEX JSON (vulnerabilities with analysis)"};
    return d;
  }
  std::string_view file_extension() const override { return ".vex.cdx.json"; }

  Status encode(const model::Report& report, std::ostream& out) const override {
    const model::Sbom& sbom = report.sbom;
    detail::Refs refs = detail::make_refs(sbom);
    std::map<std::string, std::size_t> index;  // bom_ref -> component index
    for (std::size_t i = 0; i < sbom.components.size(); ++i)
      index.emplace(sbom.components[i].bom_ref, i);

    ojson bom;
    bom["$schema"] = "http://cyclonedx.org/schema/bom-1.6.schema.json";
    bom["bomFormat"] = "CycloneDX";
    bom["specVersion"] = "1.6";
    bom["serialNumber"] = "urn:uuid:" + vexout::document_uuid(report, "cyclonedx-vex");
    bom["version"] = 1;
    ojson meta;
    meta["timestamp"] = detail::document_timestamp(sbom);
    ojson tool{{"type", "application"},
               {"name", sbom.tool.name.empty() ? std::string("waybill") : sbom.tool.name}};
    if (!sbom.tool.version.empty()) tool["version"] = sbom.tool.version;
    meta["tools"] = {{"components", ojson::array({tool})}};
    ojson target{{"bom-ref", refs.target},
                 {"type", std::string(detail::cdx_target_type(sbom.target))},
                 {"name", sbom.target.name.empty() ? std::string("unnamed") : sbom.target.name}};
    if (detail::is_sha256_hex(sbom.target.sha256))
      target["hashes"] = ojson::array({{{"alg", "SHA-256"}, {"content", sbom.target.sha256}}});
    meta["component"] = target;
    bom["metadata"] = meta;

    // Components with findings (those the SBOM knows, then stand-ins for the others).
    ojson components = ojson::array();
    std::map<std::string, std::string> written;  // finding component key -> bom-ref written
    std::size_t extra = 0;
    auto ref_for = [&](const vuln::Finding& f) -> std::string {
      std::string key = f.component_ref.empty() ? "\n" + f.component_name + "@" +
                                                      f.component_version + "|" + f.component_purl
                                                : f.component_ref;
      if (auto it = written.find(key); it != written.end()) return it->second;
      ojson c;
      std::string ref;
      if (auto it = index.find(f.component_ref); !f.component_ref.empty() && it != index.end()) {
        const model::Component& m = sbom.components[it->second];
        ref = refs.components[it->second];
        c["bom-ref"] = ref;
        c["type"] = std::string(detail::cdx_type(m.type));
        c["name"] = m.name.empty() ? std::string("unknown") : m.name;
        if (!m.version.empty()) c["version"] = m.version;
        if (auto p = detail::primary_cpe(m)) c["cpe"] = m.cpes[*p];
        if (!m.purl.empty()) c["purl"] = m.purl;
      } else {
        ref = "vex-component-" + std::to_string(++extra);
        while (index.count(ref) || ref == refs.target) ref += "-x";
        c["bom-ref"] = ref;
        c["type"] = "library";
        c["name"] = f.component_name.empty() ? std::string("unknown") : f.component_name;
        if (!f.component_version.empty()) c["version"] = f.component_version;
        if (!f.component_purl.empty()) c["purl"] = f.component_purl;
      }
      components.push_back(std::move(c));
      written.emplace(key, ref);
      return ref;
    };

    ojson vulns = ojson::array();
    for (const auto& f : report.findings) {
      vexout::Statement s = vexout::statement_for(f);
      ojson v;
      v["id"] = f.id;
      v["source"] = vuln_source(f.id);
      if (!f.aliases.empty()) {
        ojson refs_out = ojson::array();
        for (const auto& a : f.aliases)
          if (!a.empty() && a != f.id) refs_out.push_back({{"id", a}, {"source", vuln_source(a)}});
        if (!refs_out.empty()) v["references"] = refs_out;
      }
      ojson ratings = ojson::array();
      for (const auto& c : f.cvss) {
        ojson r;
        if (!c.source.empty()) r["source"] = {{"name", c.source}};
        if (c.score > 0 || !c.vector.empty()) r["score"] = c.score;
        if (std::string sev = cdx_severity(c.severity); !sev.empty()) r["severity"] = sev;
        r["method"] = cdx_method(c.version);
        if (!c.vector.empty()) r["vector"] = c.vector;
        ratings.push_back(std::move(r));
      }
      if (!ratings.empty()) v["ratings"] = ratings;
      ojson cwes = ojson::array();
      for (const auto& w : f.cwes) {
        std::string_view n = w;
        if (n.rfind("CWE-", 0) == 0) n.remove_prefix(4);
        if (n.empty() || n.size() > 9 ||
            n.find_first_not_of("0123456789") != std::string_view::npos)
          continue;
        cwes.push_back(std::stoi(std::string(n)));
      }
      if (!cwes.empty()) v["cwes"] = cwes;
      if (!f.summary.empty()) v["description"] = f.summary;
      if (!f.published.empty()) v["published"] = f.published;
      if (!f.modified.empty()) v["updated"] = f.modified;
      ojson analysis;
      analysis["state"] = vuln::openvex_status_to_cdx(s.status);
      if (std::string j = vuln::openvex_justification_to_cdx(s.justification); !j.empty())
        analysis["justification"] = j;
      ojson response = ojson::array();
      auto add_response = [&](const char* r) {
        for (const auto& x : response)
          if (x == r) return;
        response.push_back(r);
      };
      if (s.status == "affected" && !f.fixed_version.empty()) add_response("update");
      for (const char* r :
           {"can_not_fix", "will_not_fix", "update", "rollback", "workaround_available"})
        if (s.action.find(r) != std::string::npos) add_response(r);
      if (!response.empty()) analysis["response"] = response;
      std::string det = s.impact;
      if (!s.action.empty()) det += (det.empty() ? "" : " ") + s.action;
      if (f.vex && !f.vex->document.empty())
        det += (det.empty() ? "" : " ") + std::string("(from ") +
               (f.vex->format.empty() ? "" : f.vex->format + " ") + "VEX " + f.vex->document + ")";
      if (!det.empty()) analysis["detail"] = det;
      v["analysis"] = analysis;
      v["affects"] = ojson::array({{{"ref", ref_for(f)}}});
      vulns.push_back(std::move(v));
    }
    bom["components"] = components;
    bom["vulnerabilities"] = vulns;
    out << bom.dump(2, ' ', false, ojson::error_handler_t::replace) << '\n';
    if (!out) return Error(Errc::io, "cyclonedx-vex: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Encoder> make_cyclonedx_vex_encoder() {
  return std::make_unique<CycloneDxVexEncoder>();
}

}  // namespace waybill::sbom
