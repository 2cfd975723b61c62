// The one list of SBOM output formats.
#include "sbom/encoder.h"
#include "sbom/formats.h"

namespace waybill::sbom {

void register_builtin_encoders(EncoderRegistry& r) {
  // --- encoders
  (void)r.add(make_cyclonedx_json_encoder());
  (void)r.add(make_cyclonedx_xml_encoder());
  (void)r.add(make_spdx_json_encoder());
  (void)r.add(make_spdx_tag_value_encoder());
  (void)r.add(make_native_json_encoder());
  // --- end encoders
}

}  // namespace waybill::sbom
