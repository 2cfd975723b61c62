// The one list of version schemes, plus lookup by id and by OSV ecosystem.
#include <memory>
#include <string_view>

#include "vuln/version/scheme.h"

namespace waybill::vuln {

// One factory per scheme file (vuln/version/<id>.cpp).
std::unique_ptr<VersionScheme> make_deb_scheme();
std::unique_ptr<VersionScheme> make_rpm_scheme();
std::unique_ptr<VersionScheme> make_apk_scheme();
std::unique_ptr<VersionScheme> make_semver_scheme();
std::unique_ptr<VersionScheme> make_generic_scheme();

namespace {

VersionSchemeRegistry make_registry() {
  VersionSchemeRegistry r;
  (void)r.add(make_deb_scheme());
  (void)r.add(make_rpm_scheme());
  (void)r.add(make_apk_scheme());
  (void)r.add(make_semver_scheme());
  (void)r.add(make_generic_scheme());
  return r;
}

char lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace

const VersionSchemeRegistry& version_schemes() {
  static const VersionSchemeRegistry registry = make_registry();
  return registry;
}

const VersionScheme& version_scheme(std::string_view id) {
  if (const VersionScheme* s = version_schemes().find(id)) return *s;
  return *version_schemes().find("generic");
}

// OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field). A suffix after
// the first ':' ("Debian:12", "Alpine:v3.18", "Ubuntu:Pro:14.04:LTS") is a release and ignored;
// names are matched case-insensitively; "Debian*"/"Ubuntu*"/"Alpine*" also cover names such as
// "Debian-security". "SUSE" covers "SUSE Linux Enterprise ...", "openSUSE" covers "openSUSE
// Leap"; Red Hat, AlmaLinux, Rocky Linux and Mageia use rpm too.
const VersionScheme& scheme_for_ecosystem(std::string_view ecosystem) {
  std::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  while (!base.empty() && base.front() == ' ') base.remove_prefix(1);
  if (istarts_with(base, "debian") || istarts_with(base, "ubuntu")) return version_scheme("deb");
  if (istarts_with(base, "alpine")) return version_scheme("apk");
  static constexpr std::string_view kRpm[] = {"red hat",  "almalinux", "rocky linux",
                                              "opensuse", "suse",      "mageia"};
  for (auto p : kRpm)
    if (istarts_with(base, p)) return version_scheme("rpm");
  static constexpr std::string_view kSemver[] = {"go", "npm", "crates.io", "nuget", "hex", "pub"};
  for (auto p : kSemver)
    if (iequals(base, p)) return version_scheme("semver");
  return version_scheme("generic");
}

}  // namespace waybill::vuln
