// The one list of SBOM output formats.
#include "sbom/encoder.h"
#include "sbom/formats.h"

namespace waybill::sbom {

void register_builtin_encoders(EncoderRegistry& r) {
  // --- encoders
  // --- end encoders
  (void)r;
}

}  // namespace waybill::sbom
