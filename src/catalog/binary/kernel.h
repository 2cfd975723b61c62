// Linux kernel identification from the "Linux version ..." banner and module vermagic strings.
#pragma once

#include <string>
#include <string_view>

namespace waybill::catalog {

// Id of the signature in data/signatures.json that finds kernel banners; the signature
// cataloger leaves its hits to the kernel cataloger.
inline constexpr std::string_view kKernelSignatureId = "linux-kernel";

struct KernelVersion {
  std::string release;          // uname -r, e.g. "6.1.0-50-armmp"
  std::string version;          // upstream version, e.g. "6.1.176" ("" when unknowable)
  std::string package_version;  // distribution version, e.g. "6.1.176-1"
  std::string distro;           // "debian", "ubuntu" or ""
};

// Parse a banner such as "Linux version 6.1.0-50-armmp (debian-kernel@lists.debian.org) (...)
// #1 SMP Debian 6.1.176-1 (2026-07-02)". Returns an empty release when it is not a banner.
KernelVersion parse_kernel_banner(std::string_view banner);

// Parse a module's vermagic ("6.1.0-50-armmp SMP mod_unload modversions ARMv7 p2v8").
KernelVersion parse_kernel_release(std::string_view vermagic);

}  // namespace waybill::catalog
