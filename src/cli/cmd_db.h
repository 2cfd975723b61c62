#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace waybill::cli {

struct DbArgs {
  CLI::App* cmd = nullptr;
  CLI::App* import = nullptr;
  CLI::App* status = nullptr;
  CLI::App* update = nullptr;
  std::string db, default_db;
  std::vector<std::string> files;
  std::string nvd_key, nvd_url, osv_url, kev_url, epss_url;
  std::vector<std::string> sources, ecosystems;
};

void add_db_commands(CLI::App& app, DbArgs& a);
int run_db_command(const DbArgs& a, bool quiet, bool verbose);

}  // namespace waybill::cli
