// Output formats of the CLI: the SBOM encoders plus the human summary table.
#pragma once

#include <ostream>
#include <string>

#include "model/report.h"
#include "pipeline/inventory.h"
#include "report/table.h"
#include "unpack/engine.h"

namespace waybill::cli {

using TableOptions = report::TableOptions;  // colour, show_suppressed, top, unpack

bool is_known_format(const std::string& f);
std::string known_formats();
// Write one -o format ("table" or an encoder id) of a whole scan report.
Status write_format(const std::string& format, const model::Report& report, std::ostream& out,
                    const TableOptions& table = {});
// The human summary: target, components, vulnerabilities (counts by severity, KEV, top findings
// by risk), check findings, trust verdicts, policy violations.
void print_summary_table(std::ostream& out, const model::Report& report,
                         const TableOptions& opts = {});
// Inventory-only forms (thin wrappers over the Report forms; colour when stdout is a terminal).
Status write_format(const std::string& format, const pipeline::Inventory& inv, std::ostream& out);
void print_summary_table(std::ostream& out, const pipeline::Inventory& inv);
void print_unpack_summary(std::ostream& out, const unpack::UnpackReport& r, const std::string& dir,
                          const std::string& manifest);
void print_plugin_list(std::ostream& out);

}  // namespace waybill::cli
