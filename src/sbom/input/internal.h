// Shared by the SBOM readers (sbom/input/read_*.cpp); not a public API.
#pragma once

#include <string>
#include <string_view>

#include "model/sbom.h"
#include "sbom/input/input.h"

namespace waybill::sbom::inputdetail {

Result<model::Sbom> read_cyclonedx_json(std::string_view name, std::string_view text);
Result<model::Sbom> read_cyclonedx_xml(std::string_view name, std::string_view text);
Result<model::Sbom> read_spdx_json(std::string_view name, std::string_view text);
Result<model::Sbom> read_spdx_tag_value(std::string_view name, std::string_view text);

// A warning in sbom.diagnostics (bounded), naming the document and the place.
void warn(model::Sbom& sbom, std::string_view format, std::string_view file, std::string_view where,
          std::string message);

// Applies a CycloneDX property. waybill:* properties written by our own encoders go back to
// their fields (package_version, ecosystem, source_package, upstream_name, distro, arch,
// homepage, cpe, note, depends, file); every other one is kept in Component::properties.
void apply_property(model::Component& c, const std::string& name, const std::string& value);

// Adds a hash: SHA-256 becomes a FileHash without path, others a "hash:<ALG>" property.
void add_hash(model::Component& c, std::string_view alg, std::string_view value);

// Final touches shared by all readers: evidence naming the SBOM, purl-derived facts,
// upstream_name default, de-duplicated CPEs and licences.
void finish_component(model::Component& c, std::string_view format, std::string_view file,
                      std::string_view where);

// SPDX supplier/originator "Organization: X" / "Person: Y (email)" -> "X" / "Y (email)";
// NOASSERTION/NONE -> "".
std::string spdx_agent_name(std::string_view s);
// SPDX licence field: "" for NOASSERTION / NONE.
std::string spdx_license(std::string_view s);

}  // namespace waybill::sbom::inputdetail
