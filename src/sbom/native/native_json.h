// waybill's own SBOM JSON: a lossless image of model::Sbom (every evidence item, every file with
// its hash and size, notes, properties, operating systems and diagnostics). Later stages (match,
// diff, verify) read it back with decode_native_json().
//
// Layout: {"waybill": "sbom", "formatVersion": 1, "target": {...}, "tool": {...}, "timestamp",
// "serial", "components": [...], "relationships": [...], "operatingSystems": [...],
// "diagnostics": [...]}; field names are the model's in lowerCamelCase. Strings are written as
// valid UTF-8 (invalid bytes become U+FFFD), the only lossy step, and only for input that JSON
// cannot represent. Unknown fields are ignored when reading, so the format can grow.
// When a result stage ran, the document also carries the rest of the scan Report after
// "diagnostics": "vulnerabilitiesMatched", "checksRun", "vulnSources", "findings" (every
// vuln::Finding field incl. matches and vex), "checks", "trust" and "policy"; the decoder below
// reads the SBOM part only.
#pragma once

#include <istream>

#include "core/result.h"
#include "model/sbom.h"

namespace waybill::sbom {

inline constexpr int kNativeFormatVersion = 1;

Result<model::Sbom> decode_native_json(std::istream& in);

}  // namespace waybill::sbom
