// waybill command line: the only place that prints, chooses formats and sets exit codes.
//
// Exit codes: 0 success, 1 policy failed (reserved), 2 usage error, 3 input unreadable (nothing
// could be read from the input, or an output could not be written).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/output.h"
#include "cli/progress.h"
#include "pipeline/inventory.h"
#include "sbom/encoder.h"
#include "unpack/manifest.h"

#ifndef WAYBILL_VERSION
#define WAYBILL_VERSION "0.1.0"
#endif

namespace {

using namespace waybill;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitInput = 3;

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

void print_diagnostics(const std::vector<Diagnostic>& ds, bool verbose) {
  std::size_t shown = 0, hidden = 0;
  for (const auto& d : ds) {
    if (d.severity == Severity::info && !verbose) {
      ++hidden;
      continue;
    }
    if (shown++ >= 50 && !verbose) {
      ++hidden;
      continue;
    }
    std::cerr << "waybill: " << d.to_string() << "\n";
  }
  if (hidden && verbose) std::cerr << "waybill: (" << hidden << " more)\n";
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
  print_diagnostics(rep.diagnostics.items(), verbose);
  if (!quiet) cli::print_unpack_summary(std::cout, rep, out, mpath);
  if (!rep.recognised()) {
    std::cerr << "waybill: " << image << ": no known container format found"
              << (rep.input_size == 0 ? " (the file is empty)" : "") << "\n";
    return kExitInput;
  }
  return kExitOk;
}

// $WAYBILL_CACHE_DIR, else $XDG_CACHE_HOME/waybill, else ~/.cache/waybill; WAYBILL_CACHE_DIR=""
// (set but empty) disables the cache.
std::string cache_dir() {
  if (const char* d = std::getenv("WAYBILL_CACHE_DIR")) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/waybill";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/waybill";
  return "";
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
      return Error(Errc::usage, "unknown output format '" + s.format + "' (known: " +
                                    cli::known_formats() + ")");
    }
    out.push_back(s);
  }
  if (out.empty()) out.push_back({dflt, ""});
  int to_stdout = 0;
  for (const auto& s : out) to_stdout += s.file.empty() || s.file == "-";
  if (to_stdout > 1) return Error(Errc::usage, "only one -o format can go to standard output");
  return out;
}

int cmd_inventory(const std::string& target, const std::vector<std::string>& outputs,
                  const std::string& dflt, const LimitFlags& lf, bool quiet, bool verbose) {
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
  pipeline::InventoryOptions opts;
  opts.unpack = *uo;
  opts.tool_version = WAYBILL_VERSION;
  opts.cache_dir = cache_dir();
  cli::ProgressBar bar(!quiet);
  std::error_code ec;
  std::uint64_t size = std::filesystem::is_regular_file(target, ec)
                           ? std::filesystem::file_size(target, ec)
                           : 0;
  bar.start("scanning " + std::filesystem::path(target).filename().string(), size);
  opts.progress = [&](const pipeline::Progress& p) { bar.update(p.bytes_done, p.files_done); };
  auto inv = pipeline::build_inventory(target, opts);
  bar.finish();
  if (!inv) {
    std::cerr << "waybill: " << target << ": " << inv.error().message << "\n";
    return kExitInput;
  }
  print_diagnostics(inv->sbom.diagnostics, verbose);
  int rc = kExitOk;
  for (const auto& s : *specs) {
    std::ostringstream buf;
    Status st = cli::write_format(s.format, *inv, buf);
    if (!st) {
      std::cerr << "waybill: cannot write " << s.format << ": " << st.error().message << "\n";
      rc = kExitInput;
      continue;
    }
    if (s.file.empty() || s.file == "-") {
      std::cout << buf.str();
      std::cout.flush();
    } else {
      std::ofstream f(s.file, std::ios::binary);
      f << buf.str();
      if (!f) {
        std::cerr << "waybill: cannot write " << s.file << "\n";
        rc = kExitInput;
      } else if (!quiet && isatty(STDERR_FILENO)) {
        std::cerr << "wrote " << s.format << " to " << s.file << "\n";
      }
    }
  }
  const auto& rep = inv->unpack;
  bool nothing = inv->sbom.target.kind == "image" && inv->sbom.components.empty() &&
                 !rep.recognised();
  if (nothing) {
    std::cerr << "waybill: " << target
              << ": nothing could be read (no known container format and no component found)"
              << (rep.input_size == 0 && inv->sbom.target.kind == "image" ? " (the file is empty)"
                                                                          : "")
              << "\n";
    return kExitInput;
  }
  return rc;
}

struct InventoryCommand {
  std::string default_format;
  std::string target;
  std::vector<std::string> outputs;
  LimitFlags limits;
};

CLI::App* add_inventory_command(CLI::App& app, const std::string& name, const std::string& desc,
                                InventoryCommand& cmd, const std::string& examples) {
  CLI::App* c = app.add_subcommand(name, desc);
  c->add_option("TARGET", cmd.target, "Firmware image, or a directory (extracted root filesystem)")
      ->required()
      ->check(CLI::ExistingPath);
  c->add_option("-o,--output", cmd.outputs,
                "FORMAT[=FILE], repeatable; default " + cmd.default_format +
                    " to stdout. Formats: " + cli::known_formats());
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
      "  waybill scan firmware.bin                       # unpack + inventory, summary table\n"
      "  waybill scan firmware.bin -o cyclonedx-json=fw.cdx.json -o spdx-json=fw.spdx.json\n"
      "  waybill sbom rootfs/ > rootfs.cdx.json         # SBOM of an extracted tree\n"
      "  waybill unpack firmware.bin -o out/             # safe recursive extraction\n"
      "\nExit codes: 0 ok, 2 usage error, 3 input unreadable.\n"
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
  InventoryCommand sb{"cyclonedx-json", {}, {}, {}};
  InventoryCommand sc{"table", {}, {}, {}};
  CLI::App* sbc = add_inventory_command(
      app, "sbom", "Inventory only: write an SBOM of an image or directory", sb,
      "Examples:\n  waybill sbom fw.img > fw.cdx.json\n"
      "  waybill sbom fw.img -o spdx-json=fw.spdx.json -o cyclonedx-xml=fw.cdx.xml");
  CLI::App* scc = add_inventory_command(
      app, "scan", "Unpack and inventory in one pass, print a summary", sc,
      "Examples:\n  waybill scan fw.img\n"
      "  waybill scan fw.img -o table -o json=fw.json -o cyclonedx-json=fw.cdx.json");

  // list
  auto* ls = app.add_subcommand("list", "List the built-in formats, catalogers and outputs");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (*up) return cmd_unpack(up_in, up_out, up_lim, up_force, quiet, verbose);
  if (*sbc) return cmd_inventory(sb.target, sb.outputs, sb.default_format, sb.limits, quiet, verbose);
  if (*scc) return cmd_inventory(sc.target, sc.outputs, sc.default_format, sc.limits, quiet, verbose);
  if (*ls) {
    cli::print_plugin_list(std::cout);
    return kExitOk;
  }
  return kExitUsage;
}
