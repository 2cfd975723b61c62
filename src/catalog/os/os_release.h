// os-release(5) and the older distribution release files, shared by the os-release cataloger and
// the package-database catalogers (which need the distribution for purls).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/file_index.h"
#include "model/component.h"

namespace waybill::catalog::os {

// KEY=VALUE lines with shell-style quoting ('...', "..." with \-escapes); comments and malformed
// lines are skipped. Bounded: at most 256 keys, values up to 4 KiB.
std::vector<std::pair<std::string, std::string>> parse_os_release(std::string_view text);

struct OsRelease {
  model::OperatingSystem os;
  std::string cpe_name;    // CPE_NAME when present
  std::string path;        // file it came from
  std::uint32_t line = 0;  // line of ID= (or 1 for fallback files)
};

// The operating system of one root: /etc/os-release, else /usr/lib/os-release, else
// /etc/openwrt_release, /etc/alpine-release, /etc/debian_version. Uses retained contents only.
std::optional<OsRelease> read_os_release(const FileIndex& index, std::string_view root);

// Paths read_os_release needs retained.
inline constexpr std::string_view kOsReleasePaths[] = {
    "/etc/os-release", "/usr/lib/os-release", "/etc/openwrt_release", "/etc/alpine-release",
    "/etc/debian_version"};

}  // namespace waybill::catalog::os
