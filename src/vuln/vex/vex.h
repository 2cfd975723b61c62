// VEX (Vulnerability Exploitability eXchange): reading suppliers' statements and applying them to
// findings.
//
// Three formats are read, one file each, and normalised to VexDocument:
//   openvex.cpp   OpenVEX v0.2.0 (and the older https://openvex.dev/ns context, v0.0.x)
//   cyclonedx.cpp CycloneDX JSON 1.4-1.6 `vulnerabilities[].analysis` (VEX-only BOMs, and
//                 vulnerabilities inside a regular BOM), `affects[].ref` to bom-refs or bom-links
//   csaf.cpp      CSAF 2.0 (csaf_vex and any other category that has product_status)
// Statuses and justifications are mapped to OpenVEX terms (table in vex.cpp and in
// docs/vulnerabilities.md, section "VEX"); the original words are kept in VexEntry.
//
// apply_vex() decides, for every finding, which statement applies (see its comment).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "model/component.h"
#include "vuln/model.h"
#include "vuln/vex/terms.h"

namespace waybill::vuln {

struct VexEntry {
  // The vulnerability: its id and other names of it (OpenVEX aliases, CycloneDX references,
  // CSAF cve + ids).
  std::string id;
  std::vector<std::string> aliases;
  // The products the statement is about. Any one matching the finding's component is enough.
  std::vector<std::string> purls;
  std::vector<std::string> cpes;  // CPE 2.3 formatted strings or CPE 2.2 URIs
  std::vector<std::pair<std::string, std::string>> name_versions;  // version may be ""
  std::vector<std::string> bom_refs;  // plain bom-refs or "urn:cdx:<serial>/<version>#<ref>"
  // When non-empty, the component's version (or package_version) must be one of these
  // (CycloneDX affects[].versions[].version).
  std::vector<std::string> versions;
  // Status (OpenVEX terms), justification (OpenVEX names), impact, action. document and format
  // are filled from the VexDocument.
  VexStatement statement;
  std::string timestamp;             // RFC 3339: the statement's, else the document's
  std::string source_status;         // as written: "known_not_affected", "exploitable", ...
  std::string source_justification;  // as written: "code_not_reachable", a CSAF flag label ...
  std::string where;                 // position in the document, e.g. "statements[2]"
};

struct VexDocument {
  std::string path;    // file name as given (or the name passed to parse_vex)
  std::string format;  // "openvex", "cyclonedx", "csaf"
  std::string id;      // OpenVEX @id, CycloneDX serialNumber, CSAF tracking id
  std::string author;  // OpenVEX author, CycloneDX manufacturer/supplier, CSAF publisher
  std::string timestamp;
  std::string serial;  // CycloneDX serialNumber ("urn:uuid:..."), for bom-links
  std::vector<VexEntry> entries;
  // Problems that did not stop reading: statements skipped (unknown status, no product ...),
  // CSAF consistency failures (undefined product ids, contradicting statuses ...). Each names the
  // file and the place.
  std::vector<Diagnostic> diagnostics;
};

// Limits: documents above this size are refused; at most this many statements are read.
inline constexpr std::size_t kMaxVexBytes = 64u << 20;
inline constexpr std::size_t kMaxVexEntries = 200000;

// Reads one VEX file (format detected from the content). Errors name the file.
Result<VexDocument> read_vex(const std::string& path);
// Parses VEX text; `name` is used in errors and as VexDocument::path.
Result<VexDocument> parse_vex(std::string_view name, std::string_view text);

// True when `text` looks like one of the VEX formats (cheap check of the first bytes).
bool looks_like_vex(std::string_view head);

// Applies the statements to the findings:
// - A statement matches a finding when the finding's id or one of its aliases equals the
//   statement's id or one of its aliases (case-insensitive), AND one of the statement's products
//   matches the finding's component (found by Finding::component_ref in `components`, else built
//   from the finding's name/version/purl): purl (purl_matches: version and given qualifiers must
//   agree), CPE (vendor, product and every attribute the statement sets, version included), bom-ref
//   (plain, or the fragment of a bom-link whose serial, when `sbom_serial` is given, must equal
//   it), or name (case-insensitive) and version (Component::version or package_version; any
//   version when the statement gives none).
// - Of all matching statements the one with the latest timestamp wins (a statement with a
//   timestamp beats one without); equal or missing timestamps go to the later document, then the
//   later statement in it.
// - The winner is copied into Finding::vex (with document path and format); Finding::suppressed
//   is true for not_affected and fixed, false otherwise. Findings no statement matches are left
//   unchanged.
void apply_vex(std::span<const VexDocument> docs, std::vector<Finding>& findings,
               const std::vector<model::Component>& components, std::string_view sbom_serial = {});

// RFC 3339 time as (fractional) seconds since the epoch, UTC, or nullopt when it does not parse.
std::optional<long double> rfc3339_seconds(std::string_view ts);

}  // namespace waybill::vuln
