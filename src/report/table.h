// The human summary table of a scan (`-o table`), in the library so that tests and the server
// can print it too; cli/output.cpp only chooses the options.
#pragma once

#include <cstddef>
#include <ostream>

#include "model/report.h"
#include "unpack/engine.h"

namespace waybill::report {

struct TableOptions {
  bool color = false;            // ANSI colour; the CLI sets it only on a terminal or by flag
  bool show_suppressed = false;  // list VEX-suppressed findings too (always counted)
  bool show_info = false;        // list informational check findings too (always counted)
  std::size_t top = 20;          // vulnerabilities listed (0 = all)
  const unpack::UnpackReport* unpack = nullptr;  // adds the "containers:" line when given
};

// Target, components, then (when a stage ran) vulnerabilities: counts by severity, KEV and
// suppressed counts, top findings by risk (id, component@version, severity, score, EPSS, KEV,
// fixed version); check findings (severity, check, file:line); trust verdicts; policy
// violations. Every cell is one line without control characters (firmware strings are hostile).
void print_table(std::ostream& out, const model::Report& report, const TableOptions& opts = {});

}  // namespace waybill::report
