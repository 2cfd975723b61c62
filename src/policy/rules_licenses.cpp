// Licence rules: every licence expression of a component judged against allow / deny lists
// (policy/util.cpp judge_license), and components without a licence.
#include "policy/internal.h"

namespace waybill::policy {

void rules_licenses(RuleContext& ctx) {
  const Policy& p = ctx.policy;
  bool lists = !p.license_allow.empty() || !p.license_deny.empty();
  for (const auto& c : ctx.report.sbom.components) {
    if (c.type == "operating-system") continue;
    if (c.licenses.empty()) {
      if (p.license_unknown != "allow")
        ctx.add("license-unknown", mode_severity(p.license_unknown), c.bom_ref,
                RuleContext::describe(c) + " has no known licence");
      continue;
    }
    if (!lists) continue;
    for (const auto& l : c.licenses) {
      std::string why = judge_license(l, p.license_allow, p.license_deny);
      if (why.empty()) continue;
      bool denied = why.find("is denied") != std::string::npos;
      ctx.add(denied ? "license-denied" : "license-not-allowed", "error", c.bom_ref,
              RuleContext::describe(c) + " is licensed '" + l + "': " + why, {"licence: " + l});
    }
  }
}

}  // namespace waybill::policy
