// Vulnerability rules: highest severity allowed, KEV tolerance, EPSS ceiling, and accepted
// vulnerabilities (ignores with a reason and an expiry date).
#include <cstdio>

#include "policy/internal.h"

namespace waybill::policy {

namespace {

const IgnoreVuln* ignored(const RuleContext& ctx, const vuln::Finding& f, bool& expired) {
  expired = false;
  for (const auto& ig : ctx.policy.ignore_vulns) {
    bool id = glob_match_ci(ig.id, f.id);
    for (const auto& a : f.aliases) id = id || glob_match_ci(ig.id, a);
    if (!id) continue;
    if (!ig.component.empty() && !glob_match_ci(ig.component, f.component_name)) continue;
    if (!ig.expires.empty() && ig.expires < ctx.today) {
      expired = true;
      continue;
    }
    return &ig;
  }
  return nullptr;
}

std::vector<std::string> evidence(const vuln::Finding& f) {
  std::vector<std::string> ev;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", f.score);
  ev.push_back("severity: " + f.severity + " (CVSS " + buf + ")");
  if (f.epss) {
    std::snprintf(buf, sizeof buf, "%.4f", *f.epss);
    ev.push_back(std::string("EPSS: ") + buf);
  }
  if (f.kev) ev.push_back("CISA KEV since " + f.kev_date_added + ", due " + f.kev_due_date);
  for (const auto& m : f.matches) {
    ev.push_back("matched " + m.record + " (" + m.source + "): " + m.range + "; " + m.comparison);
    break;
  }
  if (!f.fixed_version.empty()) ev.push_back("fixed in " + f.fixed_version);
  return ev;
}

}  // namespace

void rules_vulnerabilities(RuleContext& ctx) {
  const Policy& p = ctx.policy;
  int max_rank = p.max_severity.empty() ? 99 : severity_rank(p.max_severity);
  for (const auto& f : ctx.report.findings) {
    if (f.suppressed && !p.count_suppressed) continue;
    bool expired = false;
    const IgnoreVuln* ig = ignored(ctx, f, expired);
    std::string who =
        f.component_name + (f.component_version.empty() ? "" : "@" + f.component_version);
    if (expired) {
      ctx.add("vuln-ignore-expired", "warning", f.id,
              "the accepted-risk entry for " + f.id + " on " + who +
                  " has expired; the finding counts again");
    }
    if (ig) continue;
    if (severity_rank(f.severity) > max_rank) {
      ctx.add("vuln-severity", "error", f.id,
              f.id + " (" + f.severity + ") in " + who + " is above the allowed maximum '" +
                  p.max_severity + "'",
              evidence(f));
    }
    if (f.kev && p.kev != "allow") {
      ctx.add("vuln-kev", mode_severity(p.kev), f.id,
              f.id + " in " + who + " is known to be exploited (CISA KEV)", evidence(f));
    }
    if (p.max_epss && f.epss && *f.epss > *p.max_epss) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.4f above the allowed %.4f", *f.epss, *p.max_epss);
      ctx.add("vuln-epss", "error", f.id, f.id + " in " + who + " has EPSS " + buf, evidence(f));
    }
  }
}

}  // namespace waybill::policy
