// Supplier rules: untrusted suppliers, components from suppliers the registry does not list,
// components without any supplier, and what a supplier must deliver (signature, provenance,
// SBOM hashes) and with which keys.
#include <algorithm>
#include <set>

#include "policy/internal.h"

namespace waybill::policy {

namespace {

bool has_pass(const model::Report& r, const std::string& what) {
  for (const auto& v : r.trust) {
    if (v.verdict != "pass") continue;
    if (what == "signature" && (v.kind == "signature" || v.kind == "fit" || v.kind == "x509"))
      return true;
    if (what == "provenance" && (v.kind == "slsa" || v.kind == "in-toto")) return true;
    if (what == "sbom-hashes" && v.kind == "sbom-hashes") return true;
    if (what == "attestation" &&
        (v.kind == "dsse" || v.kind == "sigstore" || v.kind == "in-toto" || v.kind == "slsa"))
      return true;
  }
  return false;
}

}  // namespace

void rules_suppliers(RuleContext& ctx) {
  const Policy& p = ctx.policy;
  std::set<const Supplier*> used;
  for (const auto& c : ctx.report.sbom.components) {
    const Supplier* s = supplier_for(p, c);
    if (s) used.insert(s);
    if (s && s->trust == TrustLevel::untrusted) {
      ctx.add("supplier-untrusted", "error", c.bom_ref,
              RuleContext::describe(c) + " comes from supplier '" + s->name +
                  "', which the policy marks untrusted",
              {"supplier: " + (c.supplier.empty() ? s->name : c.supplier),
               "policy: " + p.path + ":" + std::to_string(s->line)});
    }
    if (!s && !p.suppliers.empty() && p.unlisted_supplier != "allow") {
      ctx.add("supplier-unlisted", mode_severity(p.unlisted_supplier), c.bom_ref,
              RuleContext::describe(c) + " matches no supplier of the registry" +
                  (c.supplier.empty() ? "" : " (declared supplier: " + c.supplier + ")"),
              {"supplier: " + (c.supplier.empty() ? std::string("(none)") : c.supplier)});
    }
    if (c.supplier.empty() && !s && p.require_supplier != "allow") {
      std::vector<std::string> ev;
      for (const auto& e : c.evidence)
        if (!e.path.empty()) ev.push_back("found by " + e.method + " in " + e.path);
      if (ev.size() > 3) ev.resize(3);
      ctx.add("supplier-missing", mode_severity(p.require_supplier), c.bom_ref,
              RuleContext::describe(c) + " has no known supplier", ev);
    }
  }
  // Requirements and keys of the suppliers that delivered something in this image.
  for (const Supplier* s : used) {
    for (const auto& req : s->require) {
      if (!has_pass(ctx.report, req)) {
        ctx.add("supplier-requirement", "error", s->name,
                "supplier '" + s->name + "' must deliver a verified " + req +
                    ", and this scan has none that passed",
                {"policy: " + p.path + ":" + std::to_string(s->line)});
      }
    }
    if (s->keys.empty()) continue;
    for (const auto& v : ctx.report.trust) {
      if (v.kind != "signature" && v.kind != "dsse" && v.kind != "fit") continue;
      if (v.verdict != "pass") continue;
      // The verdict names the key (fingerprint) in `key` or its evidence.
      bool listed = false;
      for (const auto& k : s->keys) {
        if (v.key.find(k) != std::string::npos) listed = true;
        for (const auto& e : v.evidence)
          if (e.find(k) != std::string::npos) listed = true;
      }
      if (!listed) {
        ctx.add("supplier-key", "error", v.subject,
                "signature on " + v.subject + " verifies with key " + v.key +
                    ", which is not among the keys allowed for supplier '" + s->name + "'",
                v.evidence);
      }
    }
  }
}

}  // namespace waybill::policy
