// Factory functions of the report encoders (formats that carry findings, not only the SBOM).
// Listed in sbom/builtin.cpp with the SBOM encoders.
#pragma once

#include <memory>

#include "sbom/encoder.h"

namespace waybill::report {

std::unique_ptr<sbom::Encoder> make_sarif_encoder();  // report/sarif.cpp, id "sarif"
std::unique_ptr<sbom::Encoder> make_html_encoder();   // report/html.cpp, id "html"

}  // namespace waybill::report
