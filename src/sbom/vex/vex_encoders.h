// Factory functions of the VEX encoders (registered in sbom/builtin.cpp):
//   "openvex"       OpenVEX v0.2.0 JSON, one statement per finding   (sbom/vex/openvex_encoder.cpp)
//   "cyclonedx-vex" CycloneDX 1.6 JSON BOM with vulnerabilities[] and analysis
//                                                         (sbom/vex/cyclonedx_vex_encoder.cpp)
#pragma once

#include <memory>
#include <string>

#include "model/report.h"
#include "sbom/encoder.h"

namespace waybill::sbom {

std::unique_ptr<Encoder> make_openvex_encoder();
std::unique_ptr<Encoder> make_cyclonedx_vex_encoder();

namespace vexout {

// The statement a VEX encoder writes for one finding: Finding::vex when set, else "affected"
// with an action statement from the fixed version. Always complete enough for OpenVEX:
// not_affected has a justification or an impact statement, affected an action statement.
struct Statement {
  std::string status, justification, impact, action;
};
Statement statement_for(const vuln::Finding& f);

// The component of a finding (by component_ref), or nullptr.
const model::Component* component_of(const model::Report& r, const vuln::Finding& f);

// Deterministic UUID for a VEX document of `kind` over the report's findings (the same report
// gives the same id; a different set of statements a different one).
std::string document_uuid(const model::Report& r, std::string_view kind);

}  // namespace vexout

}  // namespace waybill::sbom
