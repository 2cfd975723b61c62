// Stage: security-by-default checks over the catalogued tree.
//
// Checks read the FileIndex that the single walk filled (metadata, ELF facts, retained file
// contents); like catalogers they never walk the tree themselves. A check that needs the bytes of
// some files names them in wants() (in-root globs), and the walk retains them. Rules and
// knowledge (default passwords, service names, catalog mappings) live in data/ tables.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "catalog/file_index.h"
#include "core/diagnostic.h"
#include "core/registry.h"
#include "model/report.h"

namespace waybill::checks {

struct CheckOptions {
  // Time budget per password hash when testing default passwords, in milliseconds.
  unsigned hash_budget_ms = 250;
  // "Now" for certificate expiry, seconds since the epoch (0 = the current time).
  long long now = 0;
};

struct CheckOutput {
  std::vector<model::CheckFinding> findings;
  Diagnostics diagnostics;
};

class Check {
 public:
  virtual ~Check() = default;
  // id such as "accounts/passwords", "elf/hardening", "services/insecure"
  virtual const Descriptor& describe() const = 0;
  // In-root path globs whose contents the walk must retain for this check.
  virtual std::span<const std::string_view> wants() const = 0;
  virtual void run(const catalog::FileIndex& index, const CheckOptions& opts,
                   CheckOutput& out) const = 0;
};

using CheckRegistry = Registry<Check>;

// checks/builtin.cpp: the one list of checks, in the order they run.
void register_builtin_checks(CheckRegistry& r);

}  // namespace waybill::checks
