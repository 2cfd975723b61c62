// Component rules: banned components / versions and end-of-life versions.
#include "policy/internal.h"

namespace waybill::policy {

void rules_components(RuleContext& ctx) {
  const Policy& p = ctx.policy;
  for (const auto& c : ctx.report.sbom.components) {
    for (const auto& b : p.banned) {
      if (!selects(b.match, c)) continue;
      std::vector<std::string> ev{"policy: " + p.path + ":" + std::to_string(b.line)};
      if (!b.match.versions.empty()) ev.push_back("version constraint: " + b.match.versions.text);
      for (const auto& e : c.evidence) {
        if (!e.path.empty()) {
          ev.push_back("found by " + e.method + " in " + e.path);
          break;
        }
      }
      ctx.add("banned-component", "error", c.bom_ref,
              RuleContext::describe(c) + " is banned" +
                  (b.reason.empty() ? std::string() : ": " + b.reason),
              ev);
    }
    for (const auto& e : p.end_of_life) {
      if (!selects(e.match, c)) continue;
      ctx.add("end-of-life", "error", c.bom_ref,
              RuleContext::describe(c) + " is end of life" +
                  (e.date.empty() ? std::string() : " since " + e.date) +
                  (e.reason.empty() ? std::string() : ": " + e.reason),
              {"policy: " + p.path + ":" + std::to_string(e.line),
               "version constraint: " + e.match.versions.text});
    }
  }
}

}  // namespace waybill::policy
