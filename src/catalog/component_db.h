// Knowledge about components (data/components.json, compiled in): which upstream project a
// package, library or binary name belongs to, its CPE vendor:product pairs, supplier, homepage
// and licence. Shared by the package-database and binary catalogers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace waybill::catalog {

struct ComponentInfo {
  std::string name;                  // canonical upstream name, e.g. "openssl"
  std::vector<std::string> aliases;  // package / library / binary names, e.g. "libssl3"
  std::vector<std::string> cpes;     // "vendor:product" pairs, most specific first
  std::string supplier;              // e.g. "OpenSSL Software Foundation"
  std::string homepage;
  std::string license;  // SPDX expression of the upstream project
};

// Look up by canonical name or any alias (exact, case-sensitive); nullptr when unknown.
const ComponentInfo* lookup_component(std::string_view name_or_alias);

// All entries of data/components.json, in file order.
const std::vector<ComponentInfo>& all_components();

// What a shared library's real file name (e.g. "libz.so.1.2.13", "libnl-3.so.200.26.0") says
// about its upstream project and version (data/soname-versions.json). `version` is empty when
// the name identifies the project but not the release.
struct LibraryFileFact {
  std::string project;
  std::string version;
  std::string note;
};
std::optional<LibraryFileFact> lookup_library_file(std::string_view file_name);

// CPE 2.3 string for "vendor:product" and a version ("*" when version is empty). Every
// component is escaped per the CPE 2.3 formatted-string rules (NISTIR 7695 section 6.2).
std::string make_cpe23(std::string_view vendor_product, std::string_view version,
                       std::string_view part = "a");

}  // namespace waybill::catalog
