// Licence names as package databases write them -> SPDX identifiers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace waybill::catalog {

// One licence name (Debian DEP-5 short name, Buildroot/OpenWrt name, or SPDX id) -> SPDX id.
// Unknown names become "LicenseRef-<sanitised name>"; "" for empty input.
std::string license_to_spdx(std::string_view name);

// A licence field that may list several licences ("GPL-2+ or Artistic", "GPL-2.0+, LGPL-2.1",
// "MIT AND BSD-3-Clause") -> distinct SPDX ids in order of appearance. "with <exception>" parts
// are dropped (the base licence is kept).
std::vector<std::string> split_licenses(std::string_view field);

struct CopyrightLicenses {
  std::vector<std::string> licenses;  // SPDX ids
  // "dep5" (machine-readable License: fields), "common-licenses" (references to
  // /usr/share/common-licenses/X), "text" (licence phrases), or "" when nothing was found.
  std::string method;
};

// Licences named by a Debian /usr/share/doc/<pkg>/copyright file.
CopyrightLicenses licenses_from_copyright(std::string_view text);

}  // namespace waybill::catalog
