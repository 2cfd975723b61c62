// The SPDX 2.3 document as both SPDX encoders (JSON and tag-value) write it: built once from the
// model so that the two forms carry exactly the same content.
#pragma once

#include <string>
#include <vector>

#include "model/sbom.h"

namespace waybill::sbom::spdx {

struct ExternalRef {
  std::string category;  // SECURITY, PACKAGE-MANAGER
  std::string type;      // cpe23Type, purl
  std::string locator;
};

struct Annotation {
  std::string date;
  std::string annotator;  // "Tool: waybill-<version>"
  std::string comment;
};

struct Package {
  std::string spdxid;
  std::string name;
  std::string version;   // "" = omitted
  std::string supplier;  // "Organization: X" or "NOASSERTION"
  std::string homepage;  // "" = omitted
  std::string sha256;    // "" = omitted
  std::string license_declared;
  std::string purpose;      // primaryPackagePurpose
  std::string source_info;  // "" = omitted
  std::string description;  // "" = omitted
  std::string comment;      // "" = omitted
  std::vector<ExternalRef> refs;
  std::vector<Annotation> annotations;
};

struct Relationship {
  std::string from, type, to;
};

struct ExtractedLicense {
  std::string id;    // LicenseRef-...
  std::string name;  // the text as found
  std::string text;
};

struct Document {
  std::string name;
  std::string namespace_uri;
  std::string created;
  std::string creator;                  // "Tool: waybill-<version>"
  std::string comment;                  // operating systems and diagnostics, "" = omitted
  std::vector<Annotation> annotations;  // one per diagnostic
  std::vector<Package> packages;        // the target first
  std::vector<Relationship> relationships;
  std::vector<ExtractedLicense> extracted;
};

Document build_document(const model::Sbom& sbom);

// SPDX element id: "SPDXRef-" + `s` with characters outside [A-Za-z0-9.-] replaced by '-'.
std::string spdx_id_for(std::string_view s);

// SPDX licence expression for a component's licence list: "NOASSERTION" when empty, known ids
// and expressions as they are, everything else as LicenseRef-... (added to `extracted`).
std::string license_declared(const std::vector<std::string>& licenses,
                             std::vector<ExtractedLicense>& extracted);

}  // namespace waybill::sbom::spdx
