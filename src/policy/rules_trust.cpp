// Trust rules: verifications the policy requires, and any verification that failed.
#include "policy/internal.h"

namespace waybill::policy {

namespace {

bool kind_is(const std::string& req, const std::string& kind) {
  if (req == "signature") return kind == "signature" || kind == "fit" || kind == "x509";
  if (req == "provenance") return kind == "slsa" || kind == "in-toto";
  if (req == "sbom-hashes") return kind == "sbom-hashes";
  if (req == "attestation")
    return kind == "dsse" || kind == "sigstore" || kind == "in-toto" || kind == "slsa";
  return false;
}

}  // namespace

void rules_trust(RuleContext& ctx) {
  const auto& trust = ctx.report.trust;
  for (const auto& req : ctx.policy.trust_require) {
    bool pass = false;
    for (const auto& v : trust) pass = pass || (kind_is(req, v.kind) && v.verdict == "pass");
    if (!pass)
      ctx.add("trust-required", "error", ctx.report.sbom.target.name,
              "the policy requires a verified " + req + " for " + ctx.report.sbom.target.name +
                  ", and none passed (give it with --signature/--attestation/--declared-sbom)");
  }
  for (const auto& v : trust) {
    if (v.verdict == "pass") continue;
    std::vector<std::string> ev = v.evidence;
    if (!v.key.empty()) ev.insert(ev.begin(), "key: " + v.key);
    ctx.add(v.verdict == "fail" ? "trust-failed" : "trust-unknown",
            v.verdict == "fail" ? "error" : "warning", v.subject,
            v.kind + " verification of " + v.subject + " " +
                (v.verdict == "fail" ? "failed" : "could not be decided") + ": " + v.detail,
            ev);
  }
  // Builders and sources the policy allows, against provenance verdicts' evidence lines
  // ("builder.id ...", "source ...", as trust/dsse.cpp writes them).
  for (const auto& v : trust) {
    if (v.kind != "slsa") continue;
    for (const auto& e : v.evidence) {
      auto check = [&](const char* prefix, const std::vector<std::string>& allowed,
                       const char* rule) {
        std::string pre = prefix;
        if (allowed.empty() || e.rfind(pre, 0) != 0) return;
        std::string val = e.substr(pre.size());
        for (const auto& a : allowed)
          if (glob_match_ci(a, val)) return;
        ctx.add(rule, "error", v.subject,
                "provenance of " + v.subject + " names " + e + ", which the policy does not allow",
                v.evidence);
      };
      check("builder.id ", ctx.policy.builders, "trust-builder");
      check("source ", ctx.policy.sources, "trust-source");
    }
  }
}

}  // namespace waybill::policy
