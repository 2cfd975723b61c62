// Who a component is for matching, and the database keys that select its candidate records.
//
// Vendor/product pairs come from the component's own CPEs (Component::cpes, the "waybill:cpe"
// property) plus every pair of the alias groups in data/vuln-aliases.json that one of its CPEs
// or names (upstream_name, name, source_package) selects. No pair is ever guessed from a bare
// name (name-only CPE generation is the main false-positive source reported against other tools:
// product-name collisions); a component without CPEs and without an alias group is matched only
// by its OSV/purl keys.
// OSV packages: the purl type maps to an OSV ecosystem ("golang" -> "Go", namespace/name joined
// as OSV writes them); distribution packages (deb, apk) with a known Component::distro map to the
// distro's OSV ecosystems ("debian-12" -> "Debian:12") under the source and the binary package
// name; every component with an upstream name is also looked up as ("OSS-Fuzz", upstream_name).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <mutex>

#include "core/embedded.h"
#include "vuln/cpe.h"
#include "vuln/match/internal.h"

namespace waybill::vuln {

using match::lower;
using match::norm_name;

namespace {

template <class T>
void push_unique(std::vector<T>& v, T x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(std::move(x));
}

bool meaningful(std::string_view s) {
  return !s.empty() && s != "*" && s != "-" && s != "n/a" && s != "N/A";
}

std::optional<VendorProduct> vp_of_cpe(std::string_view cpe) {
  auto p = parse_cpe(cpe);
  if (!p || !meaningful(p->vendor) || !meaningful(p->product)) return std::nullopt;
  return VendorProduct{norm_name(p->vendor), norm_name(p->product)};
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

struct Purl {
  std::string type, ns, name;
};

std::optional<Purl> parse_purl(std::string_view s) {
  if (!s.starts_with("pkg:")) return std::nullopt;
  s.remove_prefix(4);
  for (char stop : {'#', '?', '@'}) {
    auto p = s.find(stop);
    if (p != std::string_view::npos) s = s.substr(0, p);
  }
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Purl p;
  p.type = lower(s.substr(0, slash));
  std::string_view rest = s.substr(slash + 1);
  auto last = rest.rfind('/');
  if (last == std::string_view::npos) {
    p.name = percent_decode(rest);
  } else {
    p.ns = percent_decode(rest.substr(0, last));
    p.name = percent_decode(rest.substr(last + 1));
  }
  if (p.name.empty()) return std::nullopt;
  return p;
}

// The package name as OSV writes it for an ecosystem.
std::string osv_package_name(const Purl& p) {
  if (p.ns.empty()) return p.name;
  if (p.type == "maven") return p.ns + ":" + p.name;
  return p.ns + "/" + p.name;  // golang module paths, npm @scope/name, composer vendor/name
}

std::string prop(const model::Component& c, const std::string& key) {
  auto it = c.properties.find(key);
  return it == c.properties.end() ? std::string() : it->second;
}

}  // namespace

Result<AliasTable> AliasTable::parse(std::string_view text) {
  using nlohmann::json;
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error(Errc::corrupt, "vuln-aliases: not a JSON object");
  AliasTable t;
  try {
    for (const auto& g : doc.value("products", json::array())) {
      Group grp;
      for (const auto& n : g.value("names", json::array()))
        grp.names.push_back(lower(n.get<std::string>()));
      for (const auto& c : g.value("cpes", json::array())) {
        std::string s = c.get<std::string>();
        auto colon = s.find(':');
        if (colon == std::string::npos)
          return Error(Errc::corrupt, "vuln-aliases: cpe pair without ':': " + s);
        grp.cpes.push_back({norm_name(s.substr(0, colon)), norm_name(s.substr(colon + 1))});
      }
      t.groups.push_back(std::move(grp));
    }
    for (const auto& d : doc.value("distros", json::array())) {
      Distro ds;
      ds.prefix = lower(d.at("prefix").get<std::string>());
      for (const auto& e : d.value("ecosystems", json::array()))
        ds.ecosystems.push_back(e.get<std::string>());
      t.distros.push_back(std::move(ds));
    }
    const json types = doc.value("purl_types", json::object());
    for (const auto& [k, v] : types.items())
      t.purl_types.emplace_back(lower(k), v.get<std::string>());
  } catch (const json::exception& e) {
    return Error(Errc::corrupt, std::string("vuln-aliases: ") + e.what());
  }
  return t;
}

const AliasTable& AliasTable::builtin() {
  static const AliasTable table = [] {
    auto r = parse(data::vuln_aliases_json());
    return r ? std::move(r.value()) : AliasTable{};  // the embedded table is tested to parse
  }();
  return table;
}

std::vector<const AliasTable::Group*> AliasTable::groups_for(const VendorProduct* vp,
                                                             std::string_view name) const {
  std::vector<const Group*> out;
  std::string n = lower(name);
  for (const auto& g : groups) {
    bool hit = (vp && std::find(g.cpes.begin(), g.cpes.end(), *vp) != g.cpes.end()) ||
               (!n.empty() && std::find(g.names.begin(), g.names.end(), n) != g.names.end());
    if (hit) out.push_back(&g);
  }
  return out;
}

std::vector<std::string> AliasTable::distro_ecosystems(std::string_view distro) const {
  std::vector<std::string> out;
  std::string d = lower(distro);
  for (const auto& ds : distros) {
    if (!d.starts_with(ds.prefix) || d.size() == ds.prefix.size()) continue;
    std::string v = d.substr(ds.prefix.size());
    std::string major = v.substr(0, v.find('.'));
    std::string mm = v;
    if (auto p = v.find('.'); p != std::string::npos) {
      auto q = v.find('.', p + 1);
      if (q != std::string::npos) mm = v.substr(0, q);
    }
    for (std::string e : ds.ecosystems) {
      for (auto [tok, val] :
           {std::pair<std::string, std::string>{"{v}", v}, {"{major}", major}, {"{mm}", mm}}) {
        for (auto p = e.find(tok); p != std::string::npos; p = e.find(tok))
          e.replace(p, tok.size(), val);
      }
      push_unique(out, e);
    }
  }
  return out;
}

std::string AliasTable::purl_ecosystem(std::string_view purl_type) const {
  std::string t = lower(purl_type);
  for (const auto& [k, v] : purl_types)
    if (k == t) return v;
  return {};
}

ComponentIdentity identify(const model::Component& c, const AliasTable& aliases) {
  ComponentIdentity id;
  id.version = c.version;
  id.commit = prop(c, "waybill:commit");

  std::vector<std::string> cpes = c.cpes;
  if (auto extra = prop(c, "waybill:cpe"); !extra.empty()) push_unique(cpes, extra);
  std::vector<std::string> names;
  for (const std::string* n : {&c.upstream_name, &c.name, &c.source_package})
    if (!n->empty()) push_unique(names, lower(*n));

  for (const auto& s : cpes)
    if (auto vp = vp_of_cpe(s)) push_unique(id.cpes, *vp);
  std::vector<const AliasTable::Group*> groups;
  for (std::size_t i = 0, n = id.cpes.size(); i < n; ++i)
    for (const auto* g : aliases.groups_for(&id.cpes[i], {})) push_unique(groups, g);
  for (const auto& n : names)
    for (const auto* g : aliases.groups_for(nullptr, n)) push_unique(groups, g);
  for (const auto* g : groups)
    for (const auto& vp : g->cpes) push_unique(id.cpes, vp);

  // OSV packages.
  std::optional<Purl> purl = parse_purl(c.purl);
  if (purl) {
    id.purl_keys.push_back(purl_key(c.purl));
    std::string eco = aliases.purl_ecosystem(purl->type);
    if (!eco.empty()) push_unique(id.osv, {eco, osv_package_name(*purl), false});
  }
  std::string eco_kind = lower(c.ecosystem);
  bool distro_pkg = eco_kind == "deb" || eco_kind == "apk" ||
                    (purl && (purl->type == "deb" || purl->type == "apk"));
  if (distro_pkg && !c.distro.empty()) {
    for (const auto& e : aliases.distro_ecosystems(c.distro)) {
      if (!c.source_package.empty()) push_unique(id.osv, {e, c.source_package, true});
      if (!c.name.empty()) push_unique(id.osv, {e, c.name, true});
    }
    id.distro_version = prop(c, "waybill:deb:source_version");
    if (id.distro_version.empty()) id.distro_version = c.package_version;
  }
  std::string up = !c.upstream_name.empty() ? c.upstream_name : std::string();
  if (!up.empty()) push_unique(id.osv, {"OSS-Fuzz", up, false});
  return id;
}

SbomIndex index_sbom(std::span<const model::Component> sbom, const AliasTable& aliases) {
  SbomIndex idx;
  idx.identities.reserve(sbom.size());
  for (std::size_t i = 0; i < sbom.size(); ++i) {
    idx.identities.push_back(identify(sbom[i], aliases));
    for (const auto& vp : idx.identities.back().cpes) {
      auto& v = idx.by_product[vp.product];
      if (v.empty() || v.back() != i) v.push_back(i);
    }
  }
  return idx;
}

namespace match {

const ComponentIdentity& identity_of(const model::Component& c, const MatchContext& ctx,
                                     ComponentIdentity& storage) {
  if (ctx.index && !ctx.sbom.empty() && ctx.index->identities.size() == ctx.sbom.size()) {
    const model::Component* b = ctx.sbom.data();
    if (&c >= b && &c < b + ctx.sbom.size())
      return ctx.index->identities[static_cast<std::size_t>(&c - b)];
  }
  storage = identify(c, ctx.aliases ? *ctx.aliases : AliasTable::builtin());
  return storage;
}

}  // namespace match

std::vector<std::string> component_keys(const model::Component& c, const AliasTable& aliases) {
  ComponentIdentity id = identify(c, aliases);
  std::vector<std::string> keys;
  for (const auto& vp : id.cpes) push_unique(keys, cpe_key(vp.vendor, vp.product));
  for (const auto& o : id.osv) push_unique(keys, osv_key(o.ecosystem, o.package));
  for (const auto& k : id.purl_keys) push_unique(keys, k);
  return keys;
}

}  // namespace waybill::vuln
