// Output formats of the CLI: the SBOM encoders plus the human summary table.
#pragma once

#include <ostream>
#include <string>

#include "pipeline/inventory.h"
#include "unpack/engine.h"

namespace waybill::cli {

bool is_known_format(const std::string& f);
std::string known_formats();
Status write_format(const std::string& format, const pipeline::Inventory& inv, std::ostream& out);
void print_summary_table(std::ostream& out, const pipeline::Inventory& inv);
void print_unpack_summary(std::ostream& out, const unpack::UnpackReport& r, const std::string& dir,
                          const std::string& manifest);
void print_plugin_list(std::ostream& out);

}  // namespace waybill::cli
