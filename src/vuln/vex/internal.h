// Shared by the VEX readers (one file per format) and vex.cpp; not a public API.
#pragma once

#include <string>
#include <string_view>

#include "vuln/vex/json_input.h"
#include "vuln/vex/vex.h"

namespace waybill::vuln::vexdetail {

using jsonin::json;

// One reader per format: fill `doc` (path and format already set) from the parsed document.
// Return an Error (naming doc.path) when the document is malformed as a whole.
Status read_openvex(const json& root, VexDocument& doc);
Status read_cyclonedx_vex(const json& root, VexDocument& doc);
Status read_csaf_vex(const json& root, VexDocument& doc);

// A warning diagnostic about `where` in the document.
void warn(VexDocument& doc, std::string_view where, std::string message);

// Appends `s` to `v` when non-empty and not yet there.
void add_unique(std::vector<std::string>& v, std::string s);

}  // namespace waybill::vuln::vexdetail
