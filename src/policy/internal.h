// Shared by the rule files: the evaluation context and component selection.
#pragma once

#include <string>
#include <vector>

#include "policy/policy.h"

namespace waybill::policy {

class RuleContext {
 public:
  RuleContext(const Policy& p, const model::Report& r, std::vector<model::PolicyViolation>& out);
  const Policy& policy;
  const model::Report& report;
  std::string today;  // YYYY-MM-DD

  // Records a violation; `severity` is the rule's default ("error" / "warning"), which the
  // policy's on_violation can change or turn off.
  void add(const std::string& rule, const std::string& severity, std::string subject,
           std::string message, std::vector<std::string> evidence = {});
  // The ids of every component (bom-ref, name@version, purl) for messages.
  static std::string describe(const model::Component& c);

 private:
  std::vector<model::PolicyViolation>& out_;
};

bool selects(const ComponentSelector& s, const model::Component& c);
// The first declared supplier whose selector matches the component, or null.
const Supplier* supplier_for(const Policy& p, const model::Component& c);
std::string mode_severity(
    const std::string& mode);             // "warn" -> "warning", "error"/"deny" -> "error"
int severity_rank(const std::string& s);  // critical 5 .. none 0, unknown -1

using RuleFn = void (*)(RuleContext&);
void rules_suppliers(RuleContext&);
void rules_components(RuleContext&);
void rules_licenses(RuleContext&);
void rules_vulnerabilities(RuleContext&);
void rules_checks(RuleContext&);
void rules_trust(RuleContext&);

}  // namespace waybill::policy
