// The whole pipeline for `waybill scan`: inventory (unpack + catalog + merge), security-by-default
// checks over the same file index, vulnerability matching against the offline database, VEX,
// and policy. Each stage is optional; what was skipped and why is recorded as a diagnostic.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "checks/check.h"
#include "core/result.h"
#include "model/report.h"
#include "pipeline/inventory.h"

namespace waybill::pipeline {

struct ScanOptions {
  InventoryOptions inventory;
  bool checks = true;
  checks::CheckOptions check_options;
  bool vulnerabilities = true;
  std::string db_path;                 // vulnerability database; missing file = skipped
  bool distro_data = true;             // let distribution records decide for distro packages
  std::vector<std::string> vex_paths;  // VEX documents applied to findings
  std::string policy_path;             // "" = no policy
  // Trust stage (signatures, attestations, declared SBOM hashes), run after the inventory and
  // before the policy so that trust rules see its verdicts. May be empty.
  std::function<Status(const catalog::FileIndex* index, std::vector<model::TrustVerdict>& out)>
      trust;
};

struct ScanResult {
  model::Report report;
  Inventory inventory;  // empty index when the target was an SBOM
  bool target_was_sbom = false;
};

// `target` is an image, a directory, or an SBOM (CycloneDX / SPDX; then only matching, VEX and
// policy run). Errors only when the target or a named input (VEX, policy) cannot be read at all.
Result<ScanResult> scan(const std::string& target, const ScanOptions& opts);

// The database path used when none is given: $WAYBILL_DB, else <cache dir>/vuln.db.
std::string default_db_path(const std::string& cache_dir);

}  // namespace waybill::pipeline
