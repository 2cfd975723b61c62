// SPDX licence identifiers and expressions, as the SBOM encoders need them.
//
// The table is deliberately compact: the licences and exceptions that occur in embedded Linux
// firmware (kernel, C libraries, BusyBox, OpenWrt/Buildroot/Yocto userlands, Debian packages),
// not the whole SPDX list. An id that is not in the table is treated as "not known to be SPDX";
// encoders then write it as a licence name (CycloneDX) or a LicenseRef (SPDX), which is always
// valid, rather than risk an id that a validator rejects.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace waybill::sbom {

// Canonical SPDX licence id for `s` (case-insensitive; deprecated ids and common Debian/DEP-5
// short names such as "GPL-2+" or "Expat" map to their current id), or nullopt.
std::optional<std::string> spdx_license_id(std::string_view s);
// Canonical SPDX exception id (e.g. "Linux-syscall-note"), or nullopt.
std::optional<std::string> spdx_exception_id(std::string_view s);

// The licence and exception ids of the table (for tests: each must be in the official list).
std::span<const std::string_view> known_spdx_license_ids();
std::span<const std::string_view> known_spdx_exception_ids();

// True when `s` looks like an expression rather than a single id (has AND/OR/WITH or parens).
bool looks_like_license_expression(std::string_view s);

// Parses an SPDX licence expression. Ids are normalised with spdx_license_id(); "LicenseRef-x"
// terms are kept. When `unknown` is null, any id not in the table fails the parse; otherwise
// each unknown id is replaced by "LicenseRef-<sanitised id>" and the original id is appended
// to `unknown`. Returns the canonical expression text, or nullopt on a syntax error (or an
// unknown exception, which SPDX 2.3 cannot express as a reference).
std::optional<std::string> normalize_license_expression(std::string_view s,
                                                        std::vector<std::string>* unknown);

// "LicenseRef-" + `s` with every character outside [A-Za-z0-9.-] replaced by '-'.
std::string license_ref_for(std::string_view s);

// How a licence string found on a component is written.
struct LicenseChoice {
  enum Kind { id, expression, name } kind = name;
  std::string value;  // canonical id / canonical expression / the original text
};
// Classifies one licence string for CycloneDX: a known id, a valid expression over known ids,
// or a plain name.
LicenseChoice classify_license(std::string_view s);

}  // namespace waybill::sbom
