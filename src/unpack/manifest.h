// The unpack manifest: every chunk (offset, size, format, parent, what it produced), unknown
// gaps, limits and diagnostics, as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "unpack/engine.h"

namespace waybill::unpack {

nlohmann::json manifest_json(const UnpackReport& r, const std::string& output_dir);
nlohmann::json diagnostics_json(const std::vector<Diagnostic>& d);

}  // namespace waybill::unpack
