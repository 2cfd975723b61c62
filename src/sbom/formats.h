// Factory functions of the built-in SBOM encoders.
#pragma once

#include <memory>

#include "sbom/encoder.h"

namespace waybill::sbom {
// --- encoders
// --- end encoders
}  // namespace waybill::sbom
