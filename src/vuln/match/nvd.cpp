// NVD CVE 2.0 `configurations` (also CVE 5 `cpeApplicability`, which the importer stores in the
// same field) against one component.
//
// Semantics:
//  * A configuration is `op` (AND/OR, default OR) over its nodes, a node is `op` over its cpeMatch
//    entries; `negate` inverts a node or a configuration. An empty node is false.
//  * A cpeMatch with vulnerable:true is satisfied only by the component being matched; one with
//    vulnerable:false (a platform: "running on / with") only by ANOTHER component of the same SBOM
//    (OS, kernel, hardware). If no SBOM component satisfies a platform the configuration does not
//    apply: an AND configuration "pcre2 running on NetApp hardware" matches nothing on a router
//    without that hardware.
//  * A configuration applies to the component when it evaluates true AND the component satisfied
//    a vulnerable cpeMatch of a non-negated node that evaluated true.
//  * A cpeMatch identifies the component by vendor and product (NISTIR 7696 attribute matching
//    against the component's vendor/product pairs, aliases included). part, edition, language
//    and the target fields are not compared: components carry no such facts.
//  * Versions, always Component::version (upstream) with the "generic" scheme:
//      criteria version `*`: versionStart/End(In|Ex)cluding bounds; no bounds = every version;
//      criteria version `-` (NA): only a component without a version;
//      a concrete version (with the update field when it is not * or -, kernel "6.8:rc1" ->
//      "6.8-rc1"): exactly that version (compare == 0; "2.9" != "2.90").
//    A component without a version never matches a versioned criteria.
#include <algorithm>

#include "vuln/cpe.h"
#include "vuln/match/internal.h"

namespace waybill::vuln {

using match::Interval;

namespace {

bool meaningful(std::string_view s) {
  return !s.empty() && s != "*" && s != "-";
}

// Does one cpeMatch hold for an identity? Fills range/cmp texts.
bool cpe_match_holds(const CpeMatch& m, const Cpe& crit, const ComponentIdentity& id,
                     std::string* range, std::string* cmp) {
  bool product_hit = std::any_of(id.cpes.begin(), id.cpes.end(), [&](const VendorProduct& vp) {
    return attr_match(crit.vendor, vp.vendor) && attr_match(crit.product, vp.product);
  });
  if (!product_hit) return false;
  const VersionScheme& g = version_scheme("generic");
  Interval iv;
  if (crit.version == "-") {
    if (range) *range = "version NA (-)";
    if (cmp)
      *cmp = id.version.empty() ? "component has no version"
                                : id.version + " is a version, criteria is NA";
    return id.version.empty();
  }
  if (id.version.empty()) {
    if (cmp) *cmp = "component has no version";
    return false;
  }
  if (crit.version != "*") {
    iv.exact = crit.version;
    if (meaningful(crit.update)) iv.exact += "-" + crit.update;
  } else {
    if (!m.version_start_including.empty()) {
      iv.lo = m.version_start_including;
      iv.lo_incl = true;
    } else if (!m.version_start_excluding.empty()) {
      iv.lo = m.version_start_excluding;
      iv.lo_incl = false;
    }
    if (!m.version_end_including.empty()) {
      iv.hi = m.version_end_including;
      iv.hi_incl = true;
    } else if (!m.version_end_excluding.empty()) {
      iv.hi = m.version_end_excluding;
      iv.hi_incl = false;
    }
  }
  std::string c;
  bool ok = match::in_interval(g, id.version, iv, &c);
  if (range) {
    std::string r = match::interval_text(iv);
    std::vector<std::string> names;
    if (!m.version_start_including.empty())
      names.push_back("versionStartIncluding " + m.version_start_including);
    if (!m.version_start_excluding.empty())
      names.push_back("versionStartExcluding " + m.version_start_excluding);
    if (!m.version_end_including.empty())
      names.push_back("versionEndIncluding " + m.version_end_including);
    if (!m.version_end_excluding.empty())
      names.push_back("versionEndExcluding " + m.version_end_excluding);
    if (!names.empty()) {
      r += " (";
      for (std::size_t i = 0; i < names.size(); ++i) r += (i ? ", " : "") + names[i];
      r += ")";
    } else if (!iv.exact.empty()) {
      r += " (criteria version)";
    } else {
      r += " (criteria version * without bounds)";
    }
    *range = r;
  }
  if (cmp) *cmp = c;
  return ok;
}

struct NodeResult {
  bool value = false;
  const CpeMatch* hit = nullptr;  // vulnerable match satisfied by the component
  std::string range, cmp;
  std::string platform;  // "running on <criteria> (satisfied by name version)"
  std::string missing_platform;
};

}  // namespace

std::optional<MatchExplanation> match_configurations(const VulnRecord& r, const model::Component& c,
                                                     const MatchContext& ctx, NoMatch* why) {
  auto fail = [&](std::string reason) -> std::optional<MatchExplanation> {
    if (why) why->reason = std::move(reason);
    return std::nullopt;
  };
  if (r.withdrawn || match::lower(r.status) == "rejected")
    return fail("record is rejected/withdrawn");
  if (r.configurations.empty()) return fail("undetermined: record has no configurations");
  const AliasTable& aliases = ctx.aliases ? *ctx.aliases : AliasTable::builtin();
  ComponentIdentity storage;
  const ComponentIdentity& id = match::identity_of(c, ctx, storage);

  // Other SBOM components satisfying a platform match. With ctx.index only the components with
  // the criteria's product are tried (a product with wildcards scans them all); without it the
  // identities are computed once per call, only when a platform match needs them.
  std::vector<ComponentIdentity> others;
  std::vector<const model::Component*> other_refs;
  bool others_ready = false;
  auto is_self = [&](const model::Component& o) {
    return &o == &c || (!c.bom_ref.empty() && o.bom_ref == c.bom_ref);
  };
  auto platform_holder = [&](const CpeMatch& m, const Cpe& crit) -> const model::Component* {
    if (ctx.index && ctx.index->identities.size() == ctx.sbom.size()) {
      bool wild = crit.product.find_first_of("*?") != std::string::npos;
      if (!wild) {
        auto it = ctx.index->by_product.find(match::lower(crit.product));
        if (it == ctx.index->by_product.end()) return nullptr;
        for (std::size_t i : it->second)
          if (!is_self(ctx.sbom[i]) &&
              cpe_match_holds(m, crit, ctx.index->identities[i], nullptr, nullptr))
            return &ctx.sbom[i];
        return nullptr;
      }
      for (std::size_t i = 0; i < ctx.sbom.size(); ++i)
        if (!is_self(ctx.sbom[i]) &&
            cpe_match_holds(m, crit, ctx.index->identities[i], nullptr, nullptr))
          return &ctx.sbom[i];
      return nullptr;
    }
    if (!others_ready) {
      for (const auto& o : ctx.sbom) {
        if (is_self(o)) continue;
        others.push_back(identify(o, aliases));
        other_refs.push_back(&o);
      }
      others_ready = true;
    }
    for (std::size_t i = 0; i < others.size(); ++i)
      if (cpe_match_holds(m, crit, others[i], nullptr, nullptr)) return other_refs[i];
    return nullptr;
  };

  std::string last_reason = "no configuration names this component";
  bool named = false;
  for (std::size_t ci = 0; ci < r.configurations.size(); ++ci) {
    const auto& conf = r.configurations[ci];
    bool conf_and = match::lower(conf.op) == "and";
    std::vector<NodeResult> nodes;
    for (const auto& node : conf.nodes) {
      NodeResult nr;
      bool node_and = match::lower(node.op) == "and";
      bool acc = node_and;
      bool any = false;
      for (const auto& m : node.matches) {
        auto crit = parse_cpe(m.criteria);
        if (!crit) continue;
        any = true;
        bool sat = false;
        if (m.vulnerable) {
          std::string range, cmp;
          bool named_here =
              std::any_of(id.cpes.begin(), id.cpes.end(), [&](const VendorProduct& vp) {
                return attr_match(crit->vendor, vp.vendor) && attr_match(crit->product, vp.product);
              });
          named = named || named_here;
          sat = cpe_match_holds(m, *crit, id, &range, &cmp);
          if (sat && !nr.hit) {
            nr.hit = &m;
            nr.range = range;
            nr.cmp = cmp;
          } else if (named_here && !sat && nr.range.empty()) {
            last_reason = "outside " + range + ": " + cmp + " (" + m.criteria + ")";
          }
        } else {
          const model::Component* holder = platform_holder(m, *crit);
          sat = holder != nullptr;
          if (sat && nr.platform.empty())
            nr.platform = "running on " + m.criteria + " (satisfied by " + holder->name + " " +
                          holder->version + ")";
          if (!sat && nr.missing_platform.empty()) nr.missing_platform = m.criteria;
        }
        acc = node_and ? (acc && sat) : (acc || sat);
      }
      nr.value = any && acc;
      if (node.negate) nr.value = !nr.value;
      nodes.push_back(std::move(nr));
    }
    bool value = conf_and;
    for (const auto& n : nodes) value = conf_and ? (value && n.value) : (value || n.value);
    if (nodes.empty()) value = false;
    if (conf.negate) value = !value;
    const NodeResult* vuln_node = nullptr;
    for (std::size_t ni = 0; ni < nodes.size(); ++ni)
      if (!conf.nodes[ni].negate && nodes[ni].value && nodes[ni].hit) {
        vuln_node = &nodes[ni];
        break;
      }
    if (!value || conf.negate || !vuln_node) {
      if (vuln_node == nullptr) {
        for (const auto& n : nodes)
          if (n.hit && conf_and) {
            for (const auto& p : nodes)
              if (!p.missing_platform.empty() && !p.value) {
                last_reason = "configuration " + std::to_string(ci + 1) + " requires platform " +
                              p.missing_platform + ", which no other SBOM component satisfies";
                break;
              }
          }
      } else if (conf_and) {
        for (const auto& p : nodes)
          if (!p.missing_platform.empty() && !p.value) {
            last_reason = "configuration " + std::to_string(ci + 1) + " requires platform " +
                          p.missing_platform + ", which no other SBOM component satisfies";
            break;
          }
      }
      continue;
    }
    MatchExplanation e;
    e.source = r.source;
    e.record = r.id;
    e.method = "cpe-configuration";
    e.criteria = vuln_node->hit->criteria;
    e.range = vuln_node->range;
    e.comparison = vuln_node->cmp;
    for (const auto& n : nodes)
      if (!n.platform.empty()) e.comparison += "; " + n.platform;
    if (nodes.size() > 1 || r.configurations.size() > 1)
      e.comparison +=
          "; configuration " + std::to_string(ci + 1) + " (" + (conf_and ? "AND" : "OR") + ")";
    e.scheme = "generic";
    e.component_version = id.version;
    return e;
  }
  if (!named) return fail("no configuration names this component's vendor/product");
  return fail(last_reason);
}

}  // namespace waybill::vuln
