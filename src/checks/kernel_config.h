// Kernel configuration reading for the "kernel/config" check (checks/kernel_config.cpp), public
// for tests and the fuzz harness.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace waybill::checks {

struct KernelConfig {
  struct Value {
    std::string value;   // "y", "m", "n" (from "# CONFIG_X is not set"), a number or a string
    std::uint32_t line;  // 1-based line in the (decompressed) text
  };
  std::map<std::string, Value> options;  // key without the CONFIG_ prefix
  std::string how;                       // "text", "gzip", "ikconfig"
};

// Parses kernel .config text. Only lines "CONFIG_X=..." and "# CONFIG_X is not set" count.
// Bounded: at most kMaxKernelConfigBytes of text.
KernelConfig parse_kernel_config(std::string_view text);

inline constexpr std::size_t kMaxKernelConfigBytes = 8u << 20;

// The config text of a file: plain text (starts with "#\n# Automatically generated" or has
// CONFIG_ lines), gzip (/proc/config.gz) or a kernel image holding an IKCFG_ST ... IKCFG_ED
// gzip blob (CONFIG_IKCONFIG). nullopt when the bytes hold none; an error when a gzip stream is
// damaged. Output bounded by kMaxKernelConfigBytes.
Result<std::optional<KernelConfig>> read_kernel_config(std::string_view bytes);

}  // namespace waybill::checks
