// Helpers shared by the SBOM encoders: identifiers, evidence wording, CPE checks, and the
// derived view of the model that CycloneDX JSON and XML (and the two SPDX forms) both write, so
// that the formats of one family cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/sbom.h"
#include "sbom/spdx_license.h"

namespace waybill::sbom::detail {

// rapidjson output stream over a std::ostream with a 64 KiB buffer (rapidjson's own
// OStreamWrapper makes one ostream call per character). Flush() before reading the ostream.
class BufferedOStream {
 public:
  using Ch = char;
  explicit BufferedOStream(std::ostream& out) : out_(out) {}
  ~BufferedOStream() { Flush(); }
  BufferedOStream(const BufferedOStream&) = delete;
  BufferedOStream& operator=(const BufferedOStream&) = delete;
  void Put(char c) {
    if (n_ == sizeof buf_) Flush();
    buf_[n_++] = c;
  }
  void Flush() {
    if (n_) out_.write(buf_, static_cast<std::streamsize>(n_));
    n_ = 0;
  }

 private:
  std::ostream& out_;
  std::size_t n_ = 0;
  char buf_[65536];
};

// "root" + "path" as one location string ("/usr/sbin/dropbear", "rootfs.squashfs:/bin/busybox").
std::string location_of(const std::string& root, const std::string& path);
std::string location_of(const model::Evidence& e);
std::string location_of(const model::FileHash& f);

// The 36-character UUID of the document: taken from sbom.serial when it is "urn:uuid:<uuid>"
// (lowercased), else derived deterministically from the target, tool and timestamp.
std::string document_uuid(const model::Sbom& sbom);

// RFC 3339 timestamp of the document: sbom.timestamp, or the current UTC time when it is empty.
std::string document_timestamp(const model::Sbom& sbom);

// True when `s` is a CPE 2.3 formatted string accepted by the CycloneDX XSD pattern.
bool is_cpe23(std::string_view s);
// True when `s` is 64 hexadecimal digits.
bool is_sha256_hex(std::string_view s);
// True when `s` is usable as an absolute http(s) URL in a URI/IRI field (no spaces, quotes,
// braces or control characters).
bool is_simple_url(std::string_view s);

// CycloneDX evidence technique for a waybill evidence method.
std::string_view cdx_technique(std::string_view method);

// One line that says how a component was found: "package-db/dpkg at /var/lib/dpkg/status +0x10:
// \"Package: busybox\" (detail)".
std::string evidence_summary(const model::Evidence& e);

// Confidence clamped into [0, 1], and as a short decimal string ("0.9", "1").
double clamp01(double v);
std::string decimal01(double v);

// Replace control characters (incl. newlines) by spaces, for single-line fields.
std::string one_line(std::string_view s);
// Valid UTF-8 for any byte string: each invalid byte becomes U+FFFD. With `xml`, characters that
// XML 1.0 forbids (controls other than tab, LF, CR) also become U+FFFD. Firmware strings are
// untrusted, and neither JSON nor XML can carry arbitrary bytes.
std::string clean_text(std::string_view s, bool xml = false);
// True when clean_text(s, xml) == s (the common case; avoids a copy).
bool is_clean_text(std::string_view s, bool xml = false);

// The reference of each component, made unique and non-empty, plus the target's reference.
struct Refs {
  std::string target;
  std::vector<std::string> components;  // index-aligned with sbom.components
};
Refs make_refs(const model::Sbom& sbom);

// Relationships between components (and from the target), resolved to component indices and
// de-duplicated. `from` = -1 is the target. Built from model::Relationship (unknown refs
// dropped) and Component::depends names (resolved by name).
struct Edge {
  int from = -1;
  int to = 0;
  bool contains = false;  // else depends-on
};
std::vector<Edge> resolve_edges(const model::Sbom& sbom);

// Properties of a component as (name, value) pairs, de-duplicated, in a stable order.
// Includes the facts with no first-class field in the target format, notes, non-primary CPEs
// (`skip_cpe` is the one written as the primary), file hashes and Component::properties.
std::vector<std::pair<std::string, std::string>> component_properties(
    const model::Component& c, std::optional<std::size_t> primary_cpe,
    const std::vector<std::string>& contains_refs = {});

// Index of the CPE to write in CycloneDX's single `cpe` field: the first well-formed one.
std::optional<std::size_t> primary_cpe(const model::Component& c);

// CycloneDX licence choice for a component's licence list: either a list of {id|name}, or one
// expression (when the list is a single expression, or several entries that all parse).
struct CdxLicenses {
  bool is_expression = false;
  std::string expression;
  std::vector<LicenseChoice> licenses;  // kind id or name
};
CdxLicenses cdx_licenses(const std::vector<std::string>& licenses);

// CycloneDX identity evidence for a component.
struct IdentityMethod {
  std::string technique;
  double confidence = 0;
  std::string value;
};
struct Identity {
  std::string field;  // name, version, purl, cpe
  double confidence = 0;
  std::string concluded;
  std::vector<IdentityMethod> methods;
};
std::vector<Identity> cdx_identities(const model::Component& c,
                                     std::optional<std::size_t> primary_cpe);

struct Occurrence {
  std::string location;
  std::optional<std::uint64_t> offset;
  std::string context;
};
std::vector<Occurrence> cdx_occurrences(const model::Component& c);

// Component confidence: the model's, or the maximum over evidence when it is unset.
double component_confidence(const model::Component& c);

// The one file hash to write as the component's own hash (only when it has exactly one file).
const model::FileHash* single_file(const model::Component& c);

// CycloneDX component type (validated against the 1.6 enum; unknown -> "library").
std::string_view cdx_type(std::string_view t);
// CycloneDX type of the scanned target.
std::string_view cdx_target_type(const model::Target& t);

// Lines for the document: one per operating system found.
std::vector<std::string> os_lines(const model::Sbom& sbom);

}  // namespace waybill::sbom::detail
