#include "pipeline/scan.h"

#include <filesystem>
#include <fstream>

#include "core/mapped_file.h"
#include "policy/policy.h"
#include "sbom/input/input.h"
#include "trust/trust.h"
#include "vuln/db/database.h"
#include "vuln/match/matcher.h"
#include "vuln/vex/vex.h"

namespace waybill::pipeline {

namespace {

const checks::CheckRegistry& check_registry() {
  static const checks::CheckRegistry r = [] {
    checks::CheckRegistry reg;
    checks::register_builtin_checks(reg);
    return reg;
  }();
  return r;
}

bool is_sbom_file(const std::string& target) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(target, ec)) return false;
  auto m = MappedFile::open(target);
  if (!m) return false;
  ByteView v = m->view();
  return sbom::looks_like_sbom(v.sub(0, 64 * 1024));
}

void add_diag(model::Report& r, Severity s, std::string source, std::string file, std::string msg) {
  r.sbom.diagnostics.push_back(
      {s, Errc::unsupported, std::move(source), std::move(file), std::nullopt, std::move(msg)});
}

}  // namespace

std::string default_db_path(const std::string& cache_dir) {
  if (const char* p = std::getenv("WAYBILL_DB"); p && *p) return p;
  if (cache_dir.empty()) return "vuln.db";
  return cache_dir + "/vuln.db";
}

Result<ScanResult> scan(const std::string& target, const ScanOptions& opts) {
  ScanResult res;
  model::Report& rep = res.report;

  // Named inputs first, so a typo fails before minutes of unpacking.
  std::vector<vuln::VexDocument> vex;
  for (const auto& p : opts.vex_paths) {
    auto d = vuln::read_vex(p);
    if (!d) return Error(d.error().code, p + ": " + d.error().message);
    vex.push_back(std::move(*d));
  }
  std::optional<policy::Policy> pol;
  if (!opts.policy_path.empty()) {
    auto p = policy::load_policy(opts.policy_path);
    // A broken policy is a broken input (exit 3), not a usage error.
    if (!p) return Error(p.error().code == Errc::io ? Errc::io : Errc::corrupt, p.error().message);
    pol = std::move(*p);
  }

  // Stage 1+2: inventory (or the supplier's SBOM as given).
  if (is_sbom_file(target)) {
    auto s = sbom::read_sbom(target);
    if (!s) return s.error();
    rep.sbom = std::move(*s);
    res.target_was_sbom = true;
    res.inventory.index = std::make_unique<catalog::FileIndex>();
  } else {
    InventoryOptions io = opts.inventory;
    if (opts.checks) {
      io.key_material = true;  // keys and certificates anywhere, for the crypto checks
      for (const auto& c : check_registry().all())
        for (auto w : c->wants()) io.extra_wants.emplace_back(w);
    }
    auto inv = build_inventory(target, io);
    if (!inv) return inv.error();
    res.inventory = std::move(*inv);
    rep.sbom = res.inventory.sbom;
  }

  // Stage: security-by-default checks over the same index.
  if (opts.checks && !res.target_was_sbom) {
    for (const auto& c : check_registry().all()) {
      checks::CheckOutput out;
      try {
        c->run(*res.inventory.index, opts.check_options, out);
      } catch (const std::exception& ex) {
        out.diagnostics.add(Severity::error, Errc::internal, std::string(c->describe().id), "",
                            std::nullopt, std::string("check failed: ") + ex.what());
      }
      for (auto& f : out.findings) rep.checks.push_back(std::move(f));
      for (auto& d : out.diagnostics.items()) rep.sbom.diagnostics.push_back(std::move(d));
    }
    rep.checks_run = true;
  }

  // Stage: vulnerabilities.
  if (opts.vulnerabilities) {
    std::error_code ec;
    if (opts.db_path.empty() || !std::filesystem::exists(opts.db_path, ec)) {
      add_diag(rep, Severity::warning, "vuln", opts.db_path,
               "no vulnerability database (run `waybill db import` or `waybill db update`); "
               "vulnerabilities were not matched");
    } else {
      auto db = vuln::Database::open(opts.db_path, false);
      if (!db) return Error(db.error().code, opts.db_path + ": " + db.error().message);
      vuln::MatchOptions mo;
      mo.distro_data = opts.distro_data;
      auto found = vuln::match_components(rep.sbom.components, **db, mo);
      if (!found) return Error(found.error().code, "matching: " + found.error().message);
      rep.findings = std::move(*found);
      rep.vulnerabilities_matched = true;
      if (auto st = (*db)->status(); st) {
        for (const auto& s : *st) rep.vuln_sources.emplace_back(s.source, s.newest);
      }
    }
  }
  if (!vex.empty()) vuln::apply_vex(vex, rep.findings, rep.sbom.components, rep.sbom.serial);

  // Stage: trust.
  if (opts.trust) {
    const catalog::FileIndex* idx = res.target_was_sbom ? nullptr : res.inventory.index.get();
    if (auto st = opts.trust(idx, rep.trust); !st) return st.error();
  }

  // Stage: policy.
  if (pol) rep.policy = policy::evaluate(*pol, rep);
  return res;
}

}  // namespace waybill::pipeline
