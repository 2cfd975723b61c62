// Check rules: security-by-default findings at or above a severity, minus accepted ones.
#include "policy/internal.h"

namespace waybill::policy {

void rules_checks(RuleContext& ctx) {
  const Policy& p = ctx.policy;
  if (p.checks_fail_on.empty()) return;
  int limit = severity_rank(p.checks_fail_on);
  for (const auto& f : ctx.report.checks) {
    if (severity_rank(f.severity) < limit) continue;
    bool skip = false;
    for (const auto& ig : p.ignore_checks) {
      if (!glob_match_ci(ig.check, f.check)) continue;
      if (!ig.path.empty() && !glob_match_ci(ig.path, f.path)) continue;
      skip = true;
      break;
    }
    if (skip) continue;
    std::string where = f.path + (f.line ? ":" + std::to_string(*f.line) : std::string());
    std::vector<std::string> ev{"check: " + f.check, "file: " + where};
    if (!f.evidence.empty()) ev.push_back("evidence: " + f.evidence);
    ctx.add("check-severity", "error", f.check + "@" + where,
            f.severity + " check finding at or above '" + p.checks_fail_on + "': " + f.title +
                " (" + where + ")",
            ev);
  }
}

}  // namespace waybill::policy
