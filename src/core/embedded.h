// Data tables compiled into the binary (see data/ and cmake/embed.cmake).
#pragma once

#include <string_view>

namespace waybill::data {
std::string_view signatures_json();    // data/signatures.json: binary version signatures
std::string_view components_json();    // data/components.json: names, CPEs, suppliers, licences
std::string_view soname_versions_json();  // data/soname-versions.json: library file -> version
std::string_view toolchains_json();       // data/toolchains.json: distribution fingerprints
std::string_view distro_libraries_json();  // data/distro-libraries.json: release -> library files
std::string_view elf_hardening_json();     // data/checks/elf-hardening.json: ELF hardening rules
std::string_view kernel_hardening_json();  // data/checks/kernel-hardening.json: kernel options
std::string_view fs_permissions_json();    // data/checks/fs-permissions.json: setuid, world-writable
std::string_view default_passwords_json();  // data/default-passwords.json: accounts/passwords
std::string_view content_checks_json();  // data/checks/content-checks.json: content check rules
std::string_view vuln_aliases_json();  // data/vuln-aliases.json: product aliases for matching
}  // namespace waybill::data
