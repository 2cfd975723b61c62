// The rule families in the order they are evaluated, and the shared context.
#include <ctime>

#include "policy/internal.h"

namespace waybill::policy {

namespace {

// The one list of rule families (each in policy/rules_<family>.cpp).
constexpr RuleFn kRules[] = {rules_suppliers,       rules_components, rules_licenses,
                             rules_vulnerabilities, rules_checks,     rules_trust};

std::string today_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

RuleContext::RuleContext(const Policy& p, const model::Report& r,
                         std::vector<model::PolicyViolation>& out)
    : policy(p), report(r), today(p.today.empty() ? today_utc() : p.today), out_(out) {}

void RuleContext::add(const std::string& rule, const std::string& severity, std::string subject,
                      std::string message, std::vector<std::string> evidence) {
  std::string sev = severity;
  for (const auto& [r, s] : policy.on_violation)
    if (r == rule) sev = s;
  if (sev == "off") return;
  out_.push_back({rule, sev, std::move(subject), std::move(message), std::move(evidence)});
}

std::string RuleContext::describe(const model::Component& c) {
  std::string s = c.name + (c.version.empty() ? "" : "@" + c.version);
  if (!c.purl.empty()) s += " (" + c.purl + ")";
  return s;
}

bool selects(const ComponentSelector& s, const model::Component& c) {
  if (!s.name.empty() && !glob_match_ci(s.name, c.name) &&
      !(c.upstream_name.size() && glob_match_ci(s.name, c.upstream_name)))
    return false;
  if (!s.purl.empty() && !glob_match_ci(s.purl, c.purl)) return false;
  if (!s.supplier.empty() && !glob_match_ci(s.supplier, c.supplier)) return false;
  if (!s.versions.empty()) {
    // deb/rpm/apk constraints compare the distribution version, the others the upstream one.
    bool distro =
        s.versions.scheme == "deb" || s.versions.scheme == "rpm" || s.versions.scheme == "apk";
    const std::string& v = distro && !c.package_version.empty() ? c.package_version : c.version;
    if (!satisfies(s.versions, v)) return false;
  }
  return true;
}

const Supplier* supplier_for(const Policy& p, const model::Component& c) {
  for (const auto& s : p.suppliers)
    if (selects(s.match, c)) return &s;
  return nullptr;
}

std::string mode_severity(const std::string& mode) {
  if (mode == "warn" || mode == "warning") return "warning";
  if (mode == "error" || mode == "deny") return "error";
  return "off";
}

int severity_rank(const std::string& s) {
  if (s == "critical") return 5;
  if (s == "high") return 4;
  if (s == "medium") return 3;
  if (s == "low") return 2;
  if (s == "info") return 1;
  if (s == "none") return 0;
  return -1;
}

std::vector<model::PolicyViolation> evaluate(const Policy& policy, const model::Report& report) {
  std::vector<model::PolicyViolation> out;
  RuleContext ctx(policy, report, out);
  for (RuleFn f : kRules) f(ctx);
  return out;
}

}  // namespace waybill::policy
