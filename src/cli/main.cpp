// waybill command line: the only place that prints, chooses formats and sets exit codes.
//
// Exit codes: 0 success; 1 a gate failed (--fail-on, --fail-on-kev, policy, verification);
// 2 usage error; 3 input unreadable (nothing could be read from the input, a named input such as
// a VEX or policy file is broken, or an output could not be written).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cmd_db.h"
#include "cli/cmd_verify.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "pipeline/inventory.h"
#include "pipeline/scan.h"
#include "policy/policy.h"
#include "sbom/encoder.h"
#include "unpack/manifest.h"

#ifndef WAYBILL_VERSION
#define WAYBILL_VERSION "0.1.0"
#endif

namespace {

using namespace waybill;
using cli::kExitFailed;
using cli::kExitInput;
using cli::kExitOk;
using cli::kExitUsage;

struct LimitFlags {
  std::string max_total = "8G";
  std::string max_file = "1G";
  double max_ratio = 200;
  std::uint32_t max_depth = 8;
  std::uint64_t max_files = 200000;
  int max_time = 600;
  bool deep = false;
};

Result<std::uint64_t> parse_size(const std::string& s) {
  if (s.empty()) return Error(Errc::usage, "empty size");
  std::size_t pos = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(s, &pos);
  } catch (...) {
    return Error(Errc::usage, "invalid size '" + s + "'");
  }
  std::string suf = s.substr(pos);
  std::uint64_t mul = 1;
  if (suf.empty() || suf == "B")
    mul = 1;
  else if (suf == "K" || suf == "KiB" || suf == "k")
    mul = 1ull << 10;
  else if (suf == "M" || suf == "MiB")
    mul = 1ull << 20;
  else if (suf == "G" || suf == "GiB")
    mul = 1ull << 30;
  else if (suf == "T" || suf == "TiB")
    mul = 1ull << 40;
  else
    return Error(Errc::usage, "invalid size suffix in '" + s + "' (use K, M, G or T)");
  return static_cast<std::uint64_t>(v) * mul;
}

void add_limit_flags(CLI::App* app, LimitFlags& f) {
  auto* g = "Limits (hostile input)";
  app->add_option("--max-total-size", f.max_total,
                  "Stop after extracting this much in total (e.g. 8G)")
      ->group(g)
      ->capture_default_str();
  app->add_option("--max-file-size", f.max_file, "Largest single extracted file or stream")
      ->group(g)
      ->capture_default_str();
  app->add_option("--max-ratio", f.max_ratio,
                  "Largest expansion ratio of one container (decompression bombs)")
      ->group(g)
      ->capture_default_str();
  app->add_option("--max-depth", f.max_depth, "Deepest nesting of containers")
      ->group(g)
      ->capture_default_str();
  app->add_option("--max-files", f.max_files, "Most files/directories/links extracted")
      ->group(g)
      ->capture_default_str();
  app->add_option("--max-time", f.max_time, "Wall-time limit in seconds")
      ->group(g)
      ->capture_default_str();
  app->add_flag("--deep", f.deep,
                "Also carve inside every extracted file (slower; default: only files that start "
                "with a known container)")
      ->group(g);
}

Result<unpack::UnpackOptions> to_options(const LimitFlags& f) {
  unpack::UnpackOptions o;
  auto total = parse_size(f.max_total);
  if (!total) return total.error();
  auto file = parse_size(f.max_file);
  if (!file) return file.error();
  o.limits.max_total_bytes = *total;
  o.limits.max_file_bytes = *file;
  o.limits.max_ratio = f.max_ratio;
  o.limits.max_depth = f.max_depth;
  o.limits.max_files = f.max_files;
  o.limits.max_time = std::chrono::seconds(f.max_time);
  o.deep = f.deep;
  return o;
}

int cmd_unpack(const std::string& image, const std::string& out, const LimitFlags& lf, bool force,
               bool quiet, bool verbose) {
  auto opts = to_options(lf);
  if (!opts) {
    std::cerr << "waybill: " << opts.error().message << "\n";
    return kExitUsage;
  }
  cli::ProgressBar bar(!quiet);
  bar.start("unpacking " + std::filesystem::path(image).filename().string(), 0);
  auto r = pipeline::unpack_to_directory(image, out, *opts, force);
  bar.finish();
  if (!r) {
    std::cerr << "waybill: " << image << ": " << r.error().message << "\n";
    return r.error().code == Errc::usage ? kExitUsage : kExitInput;
  }
  const unpack::UnpackReport& rep = *r;
  nlohmann::json m = unpack::manifest_json(rep, out);
  std::string mpath = (std::filesystem::path(out) / "waybill-manifest.json").string();
  {
    std::ofstream mf(mpath);
    mf << m.dump(2) << "\n";
    if (!mf) {
      std::cerr << "waybill: cannot write " << mpath << "\n";
      return kExitInput;
    }
  }
  cli::print_diagnostics(rep.diagnostics.items(), verbose);
  if (!quiet) cli::print_unpack_summary(std::cout, rep, out, mpath);
  if (!rep.recognised()) {
    std::cerr << "waybill: " << image << ": no known container format found"
              << (rep.input_size == 0 ? " (the file is empty)" : "") << "\n";
    return kExitInput;
  }
  return kExitOk;
}

struct OutputSpec {
  std::string format;
  std::string file;  // empty = stdout
};

Result<std::vector<OutputSpec>> parse_outputs(const std::vector<std::string>& raw,
                                              const std::string& dflt) {
  std::vector<OutputSpec> out;
  for (const auto& r : raw) {
    auto eq = r.find('=');
    OutputSpec s{eq == std::string::npos ? r : r.substr(0, eq),
                 eq == std::string::npos ? "" : r.substr(eq + 1)};
    if (!cli::is_known_format(s.format)) {
      return Error(Errc::usage, "unknown output format '" + s.format +
                                    "' (known: " + cli::known_formats() + ")");
    }
    out.push_back(s);
  }
  if (out.empty()) out.push_back({dflt, ""});
  int to_stdout = 0;
  for (const auto& s : out) to_stdout += s.file.empty() || s.file == "-";
  if (to_stdout > 1) return Error(Errc::usage, "only one -o format can go to standard output");
  return out;
}

// Options of `scan` beyond the inventory; `sbom` leaves them off.
struct ScanFlags {
  bool full = false;  // scan (true) or sbom (false)
  std::string db;
  bool no_vulns = false, no_checks = false, no_distro = false;
  std::vector<std::string> vex;
  bool show_suppressed = false;
  std::string fail_on;
  bool fail_on_kev = false;
  std::string policy;
  int top = 20;
  cli::VerifyArgs trust;
};

int severity_rank(const std::string& s) {
  if (s == "critical") return 4;
  if (s == "high") return 3;
  if (s == "medium") return 2;
  if (s == "low") return 1;
  return 0;
}

int cmd_scan(const std::string& target, const std::vector<std::string>& outputs,
             const std::string& dflt, const LimitFlags& lf, const ScanFlags& sf, bool quiet,
             bool verbose) {
  auto specs = parse_outputs(outputs, dflt);
  if (!specs) {
    std::cerr << "waybill: " << specs.error().message << "\n";
    return kExitUsage;
  }
  auto uo = to_options(lf);
  if (!uo) {
    std::cerr << "waybill: " << uo.error().message << "\n";
    return kExitUsage;
  }
  pipeline::ScanOptions opts;
  opts.inventory.unpack = *uo;
  opts.inventory.tool_version = WAYBILL_VERSION;
  opts.inventory.cache_dir = cli::cache_dir();
  opts.checks = sf.full && !sf.no_checks;
  opts.vulnerabilities = sf.full && !sf.no_vulns;
  opts.db_path = sf.db.empty() ? pipeline::default_db_path(opts.inventory.cache_dir) : sf.db;
  opts.distro_data = !sf.no_distro;
  opts.vex_paths = sf.vex;
  opts.policy_path = sf.policy;
  cli::ProgressBar bar(!quiet);
  std::error_code ec;
  std::uint64_t size =
      std::filesystem::is_regular_file(target, ec) ? std::filesystem::file_size(target, ec) : 0;
  bar.start("scanning " + std::filesystem::path(target).filename().string(), size);
  opts.inventory.progress = [&](const pipeline::Progress& p) {
    bar.update(p.bytes_done, p.files_done);
  };
  if (sf.full) {
    // Verification asked for with the scan (signature, attestations, declared SBOM hashes).
    opts.trust = [&](const catalog::FileIndex* index, std::vector<model::TrustVerdict>& out) {
      cli::VerifyArgs va = sf.trust;
      std::error_code fec;
      va.artifact = index && std::filesystem::is_regular_file(target, fec) ? target : "";
      va.auto_fit = false;
      // The policy's allowed builders and sources apply to the attestations too, unless the
      // command line names its own.
      if (!sf.policy.empty() && va.builders.empty() && va.sources.empty()) {
        if (auto pol = policy::load_policy(sf.policy); pol) {
          va.builders = pol->builders;
          va.sources = pol->sources;
        }
      }
      bool did = false;
      int rc = cli::collect_verdicts(va, opts.inventory.cache_dir, verbose, index, out, did);
      if (rc != kExitOk) return Status(Error(Errc::usage, "verification inputs unusable"));
      return Status::success();
    };
  }
  auto res = pipeline::scan(target, opts);
  bar.finish();
  if (!res) {
    std::cerr << "waybill: " << target << ": " << res.error().message << "\n";
    return res.error().code == Errc::usage ? kExitUsage : kExitInput;
  }
  model::Report& report = res->report;

  cli::print_diagnostics(report.sbom.diagnostics, verbose);
  cli::TableOptions topts;
  topts.color = isatty(STDOUT_FILENO) != 0;
  topts.show_suppressed = sf.show_suppressed;
  topts.show_info = verbose;
  topts.top = static_cast<std::size_t>(std::max(0, sf.top));
  topts.unpack = &res->inventory.unpack;
  int rc = kExitOk;
  for (const auto& s : *specs) {
    std::ostringstream buf;
    Status st = cli::write_format(s.format, report, buf, topts);
    if (!st) {
      std::cerr << "waybill: cannot write " << s.format << ": " << st.error().message << "\n";
      rc = kExitInput;
      continue;
    }
    if (!cli::write_text(s.file, buf.str(), quiet, s.format)) rc = kExitInput;
  }
  if (rc != kExitOk) return rc;
  const auto& rep = res->inventory.unpack;
  bool nothing =
      report.sbom.target.kind == "image" && report.sbom.components.empty() && !rep.recognised();
  if (nothing) {
    std::cerr << "waybill: " << target
              << ": nothing could be read (no known container format and no component found)"
              << (rep.input_size == 0 && report.sbom.target.kind == "image" ? " (the file is empty)"
                                                                            : "")
              << "\n";
    return kExitInput;
  }

  // Gates.
  std::vector<std::string> failed;
  if (!sf.fail_on.empty()) {
    int limit = severity_rank(sf.fail_on);
    std::size_t n = 0;
    for (const auto& f : report.findings)
      if (!f.suppressed && severity_rank(f.severity) >= limit) ++n;
    if (n)
      failed.push_back(std::to_string(n) + " finding(s) of severity " + sf.fail_on +
                       " or higher (--fail-on)");
  }
  if (sf.fail_on_kev) {
    std::size_t n = 0;
    for (const auto& f : report.findings)
      if (!f.suppressed && f.kev) ++n;
    if (n) failed.push_back(std::to_string(n) + " finding(s) in CISA KEV (--fail-on-kev)");
  }
  if (policy::policy_failed(report.policy)) {
    std::size_t n = 0;
    for (const auto& v : report.policy) n += v.severity == "error";
    failed.push_back(std::to_string(n) + " policy violation(s) (" + sf.policy + ")");
  }
  std::size_t trust_failed = 0;
  for (const auto& v : report.trust) trust_failed += v.verdict != "pass";
  if (trust_failed) failed.push_back(std::to_string(trust_failed) + " verification(s) not passed");
  for (const auto& f : failed) std::cerr << "waybill: FAILED: " << f << "\n";
  return failed.empty() ? kExitOk : kExitFailed;
}

struct InventoryCommand {
  std::string default_format;
  std::string target;
  std::vector<std::string> outputs;
  LimitFlags limits;
  ScanFlags scan;
};

CLI::App* add_inventory_command(CLI::App& app, const std::string& name, const std::string& desc,
                                InventoryCommand& cmd, const std::string& examples) {
  CLI::App* c = app.add_subcommand(name, desc);
  c->add_option("TARGET", cmd.target,
                cmd.scan.full ? "Firmware image, directory (extracted root filesystem), or a "
                                "supplier's SBOM (CycloneDX or SPDX)"
                              : "Firmware image, or a directory (extracted root filesystem)")
      ->required()
      ->check(CLI::ExistingPath);
  c->add_option("-o,--output", cmd.outputs,
                "FORMAT[=FILE], repeatable; default " + cmd.default_format +
                    " to stdout. Formats: " + cli::known_formats());
  if (cmd.scan.full) {
    ScanFlags& f = cmd.scan;
    auto* g = "Vulnerabilities";
    c->add_option("--db", f.db, "Vulnerability database (default $WAYBILL_DB or <cache>/vuln.db)")
        ->group(g);
    c->add_flag("--no-vulns", f.no_vulns, "Do not match vulnerabilities")->group(g);
    c->add_flag("--no-distro-data", f.no_distro,
                "Match distribution packages by upstream version only (ignore distro records)")
        ->group(g);
    c->add_option("--vex", f.vex,
                  "VEX document to apply: OpenVEX, CycloneDX VEX, CSAF (repeatable)")
        ->group(g)
        ->check(CLI::ExistingFile);
    c->add_flag("--show-suppressed", f.show_suppressed,
                "List findings that VEX marks not_affected/fixed (always counted)")
        ->group(g);
    c->add_option("--top", f.top, "Findings listed in the table (0 = all)")
        ->group(g)
        ->capture_default_str();
    auto* gg = "Gates (exit code 1 when they fail)";
    c->add_option("--fail-on", f.fail_on,
                  "Fail when a finding at or above this severity remains: critical, high, "
                  "medium, low")
        ->group(gg)
        ->check(CLI::IsMember({"critical", "high", "medium", "low"}));
    c->add_flag("--fail-on-kev", f.fail_on_kev, "Fail when a finding is in CISA KEV")->group(gg);
    c->add_option("--policy", f.policy, "Policy file (YAML, see docs/policy.md)")
        ->group(gg)
        ->check(CLI::ExistingFile);
    c->add_flag("--no-checks", f.no_checks, "Skip the security-by-default checks")->group("Checks");
    cli::add_scan_trust_options(c, f.trust);
  }
  add_limit_flags(c, cmd.limits);
  c->footer(examples);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"waybill " WAYBILL_VERSION
               " - firmware inventory and software-supply-chain security for IoT devices"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags (-q, -v) are accepted after the subcommand too
  app.set_version_flag("--version", WAYBILL_VERSION);
  app.footer(
      "Examples:\n"
      "  waybill db import ../shared/data/vuln           # build the offline vulnerability DB\n"
      "  waybill scan firmware.bin                       # inventory, checks, vulnerabilities\n"
      "  waybill scan firmware.bin -o html=fw.html -o sarif=fw.sarif --fail-on high\n"
      "  waybill scan supplier.cdx.json --vex vendor.openvex.json   # an SBOM, no image\n"
      "  waybill sbom rootfs/ > rootfs.cdx.json         # SBOM of an extracted tree\n"
      "  waybill verify fw.bin --signature fw.sig --key vendor.pem\n"
      "  waybill unpack firmware.bin -o out/             # safe recursive extraction\n"
      "\nExit codes: 0 ok, 1 a gate failed (--fail-on, --fail-on-kev, policy, verification),\n"
      "2 usage error, 3 input unreadable.\n"
      "Docs: docs/ in the source tree.");
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "No progress bar or summary on the terminal");
  app.add_flag("-v,--verbose", verbose, "Show informational diagnostics too");

  // unpack
  auto* up = app.add_subcommand("unpack", "Extract an image recursively into a directory, safely");
  std::string up_in, up_out;
  bool up_force = false;
  LimitFlags up_lim;
  up->add_option("IMAGE", up_in, "Firmware image")->required()->check(CLI::ExistingFile);
  up->add_option("-o,--output", up_out, "Output directory (created; must be empty)")->required();
  up->add_flag("-f,--force", up_force, "Allow a non-empty output directory");
  add_limit_flags(up, up_lim);
  up->footer(
      "Writes the extracted tree and OUTPUT/waybill-manifest.json (chunks with offset, size,\n"
      "format, parent, what was extracted, unknown gaps, diagnostics).\n"
      "Example:\n  waybill unpack fw.uImage -o fw.extracted --max-total-size 2G");

  // sbom and scan share their arguments; only the default output and the examples differ.
  InventoryCommand sb{"cyclonedx-json", {}, {}, {}, {}};
  InventoryCommand sc{"table", {}, {}, {}, {}};
  sc.scan.full = true;
  CLI::App* sbc = add_inventory_command(
      app, "sbom", "Inventory only: write an SBOM of an image or directory", sb,
      "Examples:\n  waybill sbom fw.img > fw.cdx.json\n"
      "  waybill sbom fw.img -o spdx-json=fw.spdx.json -o cyclonedx-xml=fw.cdx.xml");
  CLI::App* scc = add_inventory_command(
      app, "scan",
      "Inventory, security-by-default checks and vulnerabilities of an image, tree or SBOM", sc,
      "Examples:\n  waybill scan fw.img\n"
      "  waybill scan fw.img -o table -o html=fw.html -o sarif=fw.sarif -o "
      "cyclonedx-json=fw.cdx.json\n"
      "  waybill scan fw.img --db vuln.db --vex fw.openvex.json --fail-on high --fail-on-kev\n"
      "  waybill scan fw.img --policy policy.yaml -o openvex=fw.openvex.json\n"
      "  waybill scan supplier.spdx.json --db vuln.db -o json\n"
      "  waybill scan fw.img --declared-sbom supplier.cdx.json   # compare declared file hashes");

  cli::DbArgs dba;
  dba.default_db = pipeline::default_db_path(cli::cache_dir());
  cli::add_db_commands(app, dba);
  cli::VerifyArgs va;
  cli::add_verify_command(app, va);

  // list
  auto* ls = app.add_subcommand("list", "List the built-in formats, catalogers and outputs");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (*up) return cmd_unpack(up_in, up_out, up_lim, up_force, quiet, verbose);
  if (*sbc)
    return cmd_scan(sb.target, sb.outputs, sb.default_format, sb.limits, sb.scan, quiet, verbose);
  if (*scc)
    return cmd_scan(sc.target, sc.outputs, sc.default_format, sc.limits, sc.scan, quiet, verbose);
  if (*dba.cmd) return cli::run_db_command(dba, quiet, verbose);
  if (*va.cmd) return cli::run_verify_command(va, cli::cache_dir(), quiet, verbose);
  if (*ls) {
    cli::print_plugin_list(std::cout);
    return kExitOk;
  }
  return kExitUsage;
}
