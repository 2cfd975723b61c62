// Factory functions of the built-in SBOM encoders.
#pragma once

#include <memory>

#include "sbom/encoder.h"

namespace waybill::sbom {
// --- encoders
std::unique_ptr<Encoder> make_cyclonedx_json_encoder();  // cyclonedx/cyclonedx_json.cpp
std::unique_ptr<Encoder> make_cyclonedx_xml_encoder();   // cyclonedx/cyclonedx_xml.cpp
std::unique_ptr<Encoder> make_spdx_json_encoder();       // spdx/spdx_json.cpp
std::unique_ptr<Encoder> make_spdx_tag_value_encoder();  // spdx/spdx_tag_value.cpp
std::unique_ptr<Encoder> make_native_json_encoder();     // native/native_json.cpp
// --- end encoders
}  // namespace waybill::sbom
