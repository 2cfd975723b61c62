#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "catalog/file_index.h"
#include "model/report.h"

namespace waybill::cli {

struct VerifyArgs {
  CLI::App* cmd = nullptr;
  std::string artifact;
  std::string signature;
  std::vector<std::string> keys, chain, cas, attestations, digests, builders, sources, signers,
      issuers;
  std::string trusted_root, hash = "sha256", padding = "auto", time, sbom, fit_dtb,
                            output = "table";
  std::vector<std::string> fit_keys;
  bool fit = false;
  bool auto_fit = true;  // verify FIT signatures whenever ARTIFACT is a FIT image
  bool require_provenance = false;
};

void add_verify_command(CLI::App& app, VerifyArgs& a);
// Adds the verification inputs (--signature, --key, --ca, --attestation, --trusted-root,
// --builder, --source, --declared-sbom ...) to `scan`, which reports them with the scan.
void add_scan_trust_options(CLI::App* scan, VerifyArgs& a);
// Runs every verification the arguments ask for; `index` (may be null) is the scanned tree for
// SBOM hash comparison. Returns an exit code (kExitOk when the inputs could be read); `did` says
// whether anything was asked.
int collect_verdicts(const VerifyArgs& a, const std::string& cache_dir, bool verbose,
                     const catalog::FileIndex* index, std::vector<model::TrustVerdict>& verdicts,
                     bool& did);
int run_verify_command(const VerifyArgs& a, const std::string& cache_dir, bool quiet, bool verbose);

}  // namespace waybill::cli
