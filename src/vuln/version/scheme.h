// Version schemes: one ordering per ecosystem, one file each (vuln/version/*.cpp), listed in
// vuln/version/builtin.cpp. Orderings are total: compare() never fails, and strings a scheme
// cannot parse still get a deterministic place (valid() says whether they parsed).
#pragma once

#include <string_view>

#include "core/registry.h"

namespace waybill::vuln {

class VersionScheme {
 public:
  virtual ~VersionScheme() = default;
  // id: "deb", "rpm", "apk", "semver", "generic" (upstream versions: 1.1.1w, 2022.83, 1.2.3-rc1)
  virtual const Descriptor& describe() const = 0;
  virtual bool valid(std::string_view v) const = 0;
  // <0, 0, >0 like strcmp.
  virtual int compare(std::string_view a, std::string_view b) const = 0;
};

using VersionSchemeRegistry = Registry<VersionScheme>;

// The built-in schemes (vuln/version/builtin.cpp).
const VersionSchemeRegistry& version_schemes();
// A scheme by id; falls back to "generic" for unknown ids.
const VersionScheme& version_scheme(std::string_view id);
// The scheme an OSV ecosystem orders its versions by ("Debian:12" -> deb, "Alpine:v3.18" -> apk,
// "Go"/"npm"/"crates.io" -> semver, "Red Hat"/"AlmaLinux"/"Rocky Linux" -> rpm, else generic).
const VersionScheme& scheme_for_ecosystem(std::string_view ecosystem);

}  // namespace waybill::vuln
