// `waybill db import|status|update`: the offline vulnerability database.
#include "cli/cmd_db.h"

#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "cli/progress.h"
#include "vuln/db/database.h"
#include "vuln/update/update.h"

namespace waybill::cli {

namespace {

// Age of an RFC 3339 time ("2026-09-30T12:00:00.000" or date only) in whole days, or -1.
long age_days(const std::string& t) {
  std::tm tm{};
  std::istringstream in(t.substr(0, 19));
  in >> std::get_time(&tm, t.size() >= 19 ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d");
  if (in.fail()) {
    std::istringstream d(t.substr(0, 10));
    tm = {};
    d >> std::get_time(&tm, "%Y-%m-%d");
    if (d.fail()) return -1;
  }
  std::time_t then = timegm(&tm);
  std::time_t now = std::time(nullptr);
  if (then <= 0 || then > now) return then > now ? 0 : -1;
  return static_cast<long>((now - then) / 86400);
}

void print_import_report(const vuln::ImportReport& r, bool verbose) {
  std::cout << "source    read      inserted  updated   unchanged\n";
  for (const auto& [src, c] : r.sources) {
    std::cout << std::left << std::setw(10) << src << std::setw(10) << c.read << std::setw(10)
              << c.inserted << std::setw(10) << c.updated << c.unchanged << "\n";
  }
  std::cout << "files: " << r.files.size() << ", skipped malformed records: " << r.skipped
            << ", time: " << std::fixed << std::setprecision(2) << r.seconds << " s\n";
  std::size_t shown = 0;
  for (const auto& i : r.issues) {
    if (!verbose && shown >= 20) {
      std::cerr << "waybill: ... " << (r.issues.size() - shown) << " more (use -v)\n";
      break;
    }
    ++shown;
    std::cerr << "waybill: skipped " << i.file << (i.id.empty() ? "" : " " + i.id) << ": "
              << i.message << "\n";
  }
}

}  // namespace

void add_db_commands(CLI::App& app, DbArgs& a) {
  a.cmd = app.add_subcommand("db", "Manage the offline vulnerability database");
  a.cmd->require_subcommand(1);
  a.cmd->add_option("--db", a.db, "Database file (default $WAYBILL_DB or <cache>/vuln.db)");
  a.cmd->footer(
      "Examples:\n"
      "  waybill db import nvd/*.json.gz osv-Debian.zip known_exploited_vulnerabilities.json\n"
      "  waybill db import ../shared/data/vuln            # a whole directory, recursively\n"
      "  waybill db status\n"
      "  NVD_API_KEY=... waybill db update              # fetch NVD, OSV, KEV and EPSS online");
  a.import = a.cmd->add_subcommand(
      "import", "Import feeds from files: NVD CVE 2.0, CVE JSON 5, OSV, CISA KEV, FIRST EPSS");
  a.import
      ->add_option("FILE", a.files,
                   "Files or directories (plain, .gz, .xz, .zst; JSON, JSONL, tar, zip)")
      ->required()
      ->check(CLI::ExistingPath);
  a.status = a.cmd->add_subcommand("status", "Show sources, record counts, newest record and age");
  a.update = a.cmd->add_subcommand("update", "Fetch the feeds online (incremental, resumable)");
  a.update->add_option("--nvd-api-key", a.nvd_key, "NVD API key (default $NVD_API_KEY)");
  a.update->add_option("--nvd-url", a.nvd_url, "NVD CVE API 2.0 base URL");
  a.update->add_option("--osv-url", a.osv_url, "OSV bucket base URL (<ecosystem>/all.zip)");
  a.update->add_option("--kev-url", a.kev_url, "CISA KEV JSON URL");
  a.update->add_option("--epss-url", a.epss_url, "FIRST EPSS CSV(.gz) URL");
  a.update->add_option("--source", a.sources, "Only these sources: nvd, osv, kev, epss");
  a.update->add_option("--osv-ecosystem", a.ecosystems, "OSV ecosystems to fetch (repeatable)");
}

int run_db_command(const DbArgs& a, bool quiet, bool verbose) {
  std::string path = a.db.empty() ? a.default_db : a.db;
  bool create = *a.import || *a.update;
  auto db = vuln::Database::open(path, create);
  if (!db) {
    std::cerr << "waybill: " << path << ": " << db.error().message << "\n";
    return kExitInput;
  }
  if (*a.import) {
    ProgressBar bar(!quiet);
    bar.start("importing", 0);
    vuln::ImportOptions io;
    io.progress = [&](std::uint64_t n) { bar.update(0, n); };
    auto r = (*db)->import_paths(a.files, io);
    bar.finish();
    if (!r) {
      std::cerr << "waybill: import failed, database unchanged: " << r.error().message << "\n";
      return kExitInput;
    }
    if (!quiet) print_import_report(*r, verbose);
    return kExitOk;
  }
  if (*a.status) {
    auto st = (*db)->status();
    if (!st) {
      std::cerr << "waybill: " << path << ": " << st.error().message << "\n";
      return kExitInput;
    }
    std::cout << "database: " << path << "\n";
    std::cout << "source    records   newest                       age (days)  last import\n";
    for (const auto& s : *st) {
      long age = age_days(s.newest);
      std::cout << std::left << std::setw(10) << s.source << std::setw(10) << s.records
                << std::setw(29) << (s.newest.empty() ? "-" : s.newest) << std::setw(12)
                << (age < 0 ? std::string("-") : std::to_string(age)) << s.last_import << "\n";
    }
    if (st->empty()) std::cout << "(empty: run `waybill db import` or `waybill db update`)\n";
    return kExitOk;
  }
  if (*a.update) {
    vuln::UpdateOptions uo;
    if (!a.nvd_key.empty()) {
      uo.nvd_api_key = a.nvd_key;
    } else if (const char* k = std::getenv("NVD_API_KEY"); k && *k) {
      uo.nvd_api_key = k;
    }
    if (!a.nvd_url.empty()) uo.nvd_base = a.nvd_url;
    if (!a.osv_url.empty()) uo.osv_base = a.osv_url;
    if (!a.kev_url.empty()) uo.kev_url = a.kev_url;
    if (!a.epss_url.empty()) uo.epss_url = a.epss_url;
    if (!a.sources.empty()) uo.sources = a.sources;
    if (!a.ecosystems.empty()) uo.osv_ecosystems = a.ecosystems;
    ProgressBar bar(!quiet);
    bar.start("updating", 0);
    uo.progress = [&](std::uint64_t n) { bar.update(0, n); };
    auto r = vuln::update(**db, uo);
    bar.finish();
    if (!r) {
      std::cerr << "waybill: update failed: " << r.error().message
                << " (committed pages are kept; run again to resume)\n";
      return kExitInput;
    }
    if (!quiet) std::cout << vuln::describe(*r);
    return kExitOk;
  }
  return kExitUsage;
}

}  // namespace waybill::cli
