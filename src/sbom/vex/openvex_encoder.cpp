// OpenVEX v0.2.0 writer (-o openvex): one statement per finding of the report.
//
// - Document: @context v0.2.0, @id "urn:uuid:<uuid>" derived from the SBOM and the statements
//   (same report, same id), author and tooling "waybill <version>", timestamp = the SBOM's,
//   version 1.
// - Statement: vulnerability {name: Finding::id, aliases}, timestamp, products: one product with
//   @id = the component purl (else its first CPE, else its bom-ref) and `identifiers` purl and
//   cpe23 where known; status from Finding::vex when set, else "affected" with an
//   action_statement naming the fixed version (or saying none is known); justification,
//   impact_statement and action_statement from the VEX statement. A finding a VEX document
//   decided also says which document in status_notes.
// - Statements are written in the report's order (by risk), so the output is deterministic.
#include <nlohmann/json.hpp>

#include "sbom/common.h"
#include "sbom/vex/vex_encoders.h"

namespace waybill::sbom {

namespace {

using ojson = nlohmann::ordered_json;

class OpenVexEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"openvex", "OpenVEX v0.2.0 JSON (one statement per finding)"};
    return d;
  }
  std::string_view file_extension() const override { return ".openvex.json"; }

  Status encode(const model::Report& report, std::ostream& out) const override {
    const model::Sbom& sbom = report.sbom;
    std::string tool = (sbom.tool.name.empty() ? std::string("waybill") : sbom.tool.name) +
                       (sbom.tool.version.empty() ? "" : " " + sbom.tool.version);
    std::string ts = detail::document_timestamp(sbom);
    ojson doc;
    doc["@context"] = "https://openvex.dev/ns/v0.2.0";
    doc["@id"] = "urn:uuid:" + vexout::document_uuid(report, "openvex");
    doc["author"] = tool;
    doc["timestamp"] = ts;
    doc["version"] = 1;
    doc["tooling"] = tool;
    ojson statements = ojson::array();
    for (const auto& f : report.findings) {
      vexout::Statement s = vexout::statement_for(f);
      ojson st;
      ojson vuln;
      vuln["name"] = f.id;
      if (!f.aliases.empty()) vuln["aliases"] = f.aliases;
      st["vulnerability"] = vuln;
      st["timestamp"] = ts;
      const model::Component* c = vexout::component_of(report, f);
      std::string purl = !f.component_purl.empty() ? f.component_purl : c ? c->purl : "";
      std::string cpe;
      if (c)
        if (auto i = detail::primary_cpe(*c)) cpe = c->cpes[*i];
      ojson product;
      product["@id"] = !purl.empty() ? purl : !cpe.empty() ? cpe : f.component_ref;
      ojson ids = ojson::object();
      if (!purl.empty()) ids["purl"] = purl;
      if (!cpe.empty()) ids["cpe23"] = cpe;
      if (!ids.empty()) product["identifiers"] = ids;
      st["products"] = ojson::array({product});
      st["status"] = s.status;
      if (!s.justification.empty()) st["justification"] = s.justification;
      if (!s.impact.empty()) st["impact_statement"] = s.impact;
      if (!s.action.empty() && s.status == "affected") st["action_statement"] = s.action;
      std::string notes;
      if (f.vex && !f.vex->document.empty())
        notes =
            "from " + (f.vex->format.empty() ? "" : f.vex->format + " ") + "VEX " + f.vex->document;
      else if (!f.matches.empty())
        notes = "matched by " + f.matches.front().method + " on " + f.matches.front().source +
                " record " + f.matches.front().record;
      if (!f.component_name.empty())
        notes += (notes.empty() ? "" : "; ") + std::string("component ") + f.component_name +
                 (f.component_version.empty() ? "" : " " + f.component_version);
      if (!notes.empty()) st["status_notes"] = notes;
      statements.push_back(std::move(st));
    }
    doc["statements"] = std::move(statements);
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    if (!out) return Error(Errc::io, "openvex: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Encoder> make_openvex_encoder() {
  return std::make_unique<OpenVexEncoder>();
}

}  // namespace waybill::sbom
