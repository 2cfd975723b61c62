// A problem found while reading input. Diagnostics are data: they travel with partial results
// into the manifest and the SBOM instead of aborting the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace waybill {

enum class Severity { info, warning, error };
const char* severity_name(Severity s);

struct Diagnostic {
  Severity severity = Severity::warning;
  Errc code = Errc::corrupt;
  std::string source;   // plugin id that reported it, e.g. "squashfs", "pkgdb/dpkg"
  std::string file;     // input file or virtual path the problem is in
  std::optional<std::uint64_t> offset;  // byte offset within `file`
  std::string message;

  std::string to_string() const;
};

// Collects diagnostics; library code appends, the CLI decides what to print.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void add(Severity s, Errc c, std::string source, std::string file,
           std::optional<std::uint64_t> off, std::string msg) {
    items_.push_back({s, c, std::move(source), std::move(file), off, std::move(msg)});
  }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  bool has_errors() const {
    for (const auto& d : items_)
      if (d.severity == Severity::error) return true;
    return false;
  }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace waybill
