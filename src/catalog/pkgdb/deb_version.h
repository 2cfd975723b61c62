// Debian package versions: [epoch:]upstream[-revision] (Debian Policy 5.6.12).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace waybill::catalog {

struct DebVersion {
  std::string_view epoch;     // digits before ':', "" when absent
  std::string_view upstream;  // Debian's upstream part, e.g. "1.2.13.dfsg"
  std::string_view revision;  // after the last '-', "" for native packages
};

// Views into `v`; nullopt when `v` is empty or the upstream part is empty or not plausible
// (must start with a digit per policy; a leading letter is tolerated as many real DBs have it).
std::optional<DebVersion> parse_deb_version(std::string_view v);

// The upstream project's version: epoch and Debian revision removed, and Debian repack markers
// removed from the upstream part ("1.2.13.dfsg" -> "1.2.13", "1.5.4+dfsg2" -> "1.5.4",
// "2.0+really1.9" -> "1.9", native "2023.3+deb12u1" -> "2023.3"). Returns `v` unchanged when it
// does not parse.
std::string upstream_version(std::string_view v);

// Removes Debian repack markers (see above) from an upstream part only.
std::string strip_repack_suffix(std::string_view upstream);

}  // namespace waybill::catalog
