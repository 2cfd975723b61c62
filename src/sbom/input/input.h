// Reading suppliers' SBOMs into model::Sbom, for `waybill scan SBOM` (no image).
//
// Formats, one reader file each, chosen by content:
//   read_cyclonedx_json.cpp  CycloneDX JSON 1.2-1.6
//   read_cyclonedx_xml.cpp   CycloneDX XML 1.2-1.6 (pugixml; no DTD or entity expansion)
//   read_spdx_json.cpp       SPDX 2.x JSON
//   read_spdx_tag_value.cpp  SPDX 2.x tag-value
// SPDX 3.0 (JSON-LD) is recognised and refused with a clear error.
//
// Every component gets: name, version, purl, CPEs (CycloneDX `cpe` + waybill:cpe properties;
// SPDX externalRefs cpe23Type/cpe22Type), supplier, licences, hashes (SHA-256 as a FileHash
// without path; other algorithms as properties "hash:<ALG>"), bom-ref (CycloneDX bom-ref, SPDX
// SPDXID) and one Evidence {method "sbom/<format>", path = the SBOM file}. Facts the SBOM does
// not state are derived from the purl (derive_from_purl). Relationships: CycloneDX dependencies
// and nested components; SPDX DEPENDS_ON/DEPENDENCY_OF/CONTAINS/CONTAINED_BY.
//
// The document's subject (CycloneDX metadata.component, the package an SPDX document DESCRIBES)
// is the Target (name, SHA-256, kind "sbom" unless a waybill:target_kind property says
// otherwise); it is also a component when it has a version, purl or CPE (a supplier's SBOM of
// one product), so that it can be matched too.
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "model/sbom.h"

namespace waybill::sbom {

inline constexpr std::size_t kMaxSbomBytes = 512u << 20;
inline constexpr std::size_t kMaxSbomComponents = 2000000;

// Format of an SBOM from its first bytes: "cyclonedx-json", "cyclonedx-xml", "spdx-json",
// "spdx-tag-value", "spdx3-json" (recognised, unsupported), or "" when it is none of them.
std::string sbom_format(ByteView head);
// True when sbom_format(head) is a format read_sbom can read.
bool looks_like_sbom(ByteView head);

// Reads an SBOM file. Errors name the file; problems inside it that did not stop reading are
// Sbom::diagnostics.
Result<model::Sbom> read_sbom(const std::string& path);
// Same on text in memory; `name` names the document in errors and evidence.
Result<model::Sbom> parse_sbom(std::string_view name, std::string_view text);

// Fills the facts a purl implies into the fields that are still empty, and splits distribution
// versions: pkg:deb/debian/busybox@1:1.35.0-4?distro=debian-12 gives ecosystem "deb", distro
// "debian-12", package_version "1:1.35.0-4", version "1.35.0" (epoch and revision removed);
// apk "1.36.1-r2" -> "1.36.1"; rpm/opkg/alpm drop the release; arch from the arch qualifier;
// source_package from the upstream qualifier; other types keep the version as is. A component
// whose version differs from the purl's keeps it (the SBOM said so).
void derive_from_purl(model::Component& c);

// Upstream version of a distribution package version ("1:1.35.0-4+deb12u1" -> "1.35.0" for
// ecosystem "deb").
std::string upstream_version(std::string_view ecosystem, std::string_view package_version);

}  // namespace waybill::sbom
