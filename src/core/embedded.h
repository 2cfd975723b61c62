// Data tables compiled into the binary (see data/ and cmake/embed.cmake).
#pragma once

#include <string_view>

namespace waybill::data {
std::string_view signatures_json();    // data/signatures.json: binary version signatures
std::string_view components_json();    // data/components.json: names, CPEs, suppliers, licences
std::string_view soname_versions_json();  // data/soname-versions.json: library file -> version
std::string_view toolchains_json();       // data/toolchains.json: distribution fingerprints
std::string_view distro_libraries_json();  // data/distro-libraries.json: release -> library files
}  // namespace waybill::data
