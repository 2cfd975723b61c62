// The one list of SBOM output formats.
#include "report/encoders.h"
#include "sbom/encoder.h"
#include "sbom/formats.h"
#include "sbom/vex/vex_encoders.h"

namespace waybill::sbom {

void register_builtin_encoders(EncoderRegistry& r) {
  // --- encoders
  (void)r.add(make_cyclonedx_json_encoder());
  (void)r.add(make_cyclonedx_xml_encoder());
  (void)r.add(make_spdx_json_encoder());
  (void)r.add(make_spdx_tag_value_encoder());
  (void)r.add(make_native_json_encoder());
  (void)r.add(report::make_sarif_encoder());
  (void)r.add(report::make_html_encoder());
  (void)r.add(make_openvex_encoder());
  (void)r.add(make_cyclonedx_vex_encoder());
  // --- end encoders
}

}  // namespace waybill::sbom
