// CycloneDX JSON reader (specVersion 1.2-1.6; older or newer versions are read the same way,
// with a diagnostic). Nested components are flattened with a "contains" relationship from the
// parent; dependencies[] become "depends-on" relationships.
#include <set>

#include "sbom/input/internal.h"
#include "vuln/vex/json_input.h"

namespace waybill::sbom::inputdetail {

namespace {

using jsonin::json;
constexpr std::string_view kFormat = "cyclonedx-json";

struct CdxJsonReader {
  model::Sbom& sbom;
  std::string file;
  std::set<std::string> refs;
  std::size_t auto_ref = 0;

  void licenses(const json& list, model::Component& c) {
    for (const json& l : list) {
      if (std::string e = jsonin::str(l, "expression"); !e.empty()) {
        c.licenses.push_back(e);
        continue;
      }
      const json& lic = jsonin::obj(l, "license");
      std::string v = jsonin::str(lic, "id");
      if (v.empty()) v = jsonin::str(lic, "name");
      if (!v.empty()) c.licenses.push_back(v);
    }
  }

  model::Component component(const json& j, const std::string& where) {
    model::Component c;
    c.bom_ref = jsonin::str(j, "bom-ref");
    std::string type = jsonin::str(j, "type");
    if (!type.empty()) c.type = type;
    c.name = jsonin::str(j, "name");
    c.version = jsonin::str(j, "version");
    std::string group = jsonin::str(j, "group");
    if (!group.empty()) c.properties["cdx:group"] = group;
    c.purl = jsonin::str(j, "purl");
    if (std::string cpe = jsonin::str(j, "cpe"); !cpe.empty()) c.cpes.push_back(cpe);
    c.supplier = jsonin::str(jsonin::obj(j, "supplier"), "name");
    if (c.supplier.empty()) c.supplier = jsonin::str(j, "publisher");
    c.author = jsonin::str(j, "author");
    if (c.author.empty()) {
      for (const json& a : jsonin::arr(j, "authors"))  // 1.6
        if (std::string n = jsonin::str(a, "name"); !n.empty()) {
          c.author = n;
          break;
        }
    }
    c.description = jsonin::str(j, "description");
    licenses(jsonin::arr(j, "licenses"), c);
    for (const json& h : jsonin::arr(j, "hashes"))
      add_hash(c, jsonin::str(h, "alg"), jsonin::str(h, "content"));
    for (const json& r : jsonin::arr(j, "externalReferences"))
      if (jsonin::str(r, "type") == "website" && c.homepage.empty())
        c.homepage = jsonin::str(r, "url");
    for (const json& p : jsonin::arr(j, "properties")) {
      std::string n = jsonin::str(p, "name");
      if (!n.empty()) apply_property(c, n, jsonin::str(p, "value"));
    }
    if (c.name.empty()) {
      warn(sbom, kFormat, file, where, "component without a name");
      c.name = "unknown";
    }
    if (c.bom_ref.empty() || refs.count(c.bom_ref)) {
      if (!c.bom_ref.empty())
        warn(sbom, kFormat, file, where, "duplicate bom-ref \"" + c.bom_ref + "\"; renamed");
      std::string base = c.bom_ref.empty() ? "component" : c.bom_ref;
      do {
        c.bom_ref = base + "#" + std::to_string(++auto_ref);
      } while (refs.count(c.bom_ref));
    }
    refs.insert(c.bom_ref);
    finish_component(c, kFormat, file, where);
    return c;
  }

  void components(const json& list, const std::string& parent, const std::string& where,
                  int depth) {
    if (depth > 32) {
      warn(sbom, kFormat, file, where, "components nested deeper than 32 levels; rest ignored");
      return;
    }
    std::size_t i = 0;
    for (const json& j : list) {
      std::string w = where + "[" + std::to_string(i++) + "]";
      if (!j.is_object()) continue;
      if (sbom.components.size() >= kMaxSbomComponents) {
        warn(sbom, kFormat, file, w,
             "more than " + std::to_string(kMaxSbomComponents) + " components; rest ignored");
        return;
      }
      model::Component c = component(j, w);
      std::string ref = c.bom_ref;
      sbom.components.push_back(std::move(c));
      if (!parent.empty()) sbom.relationships.push_back({parent, ref, "contains"});
      components(jsonin::arr(j, "components"), ref, w + ".components", depth + 1);
    }
  }

  Status run(const json& root) {
    std::string spec = jsonin::str(root, "specVersion");
    static const std::set<std::string> kKnown = {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"};
    if (!kKnown.count(spec))
      warn(sbom, kFormat, file, "", "specVersion \"" + spec + "\" is not 1.2-1.6; read as 1.6");
    sbom.serial = jsonin::str(root, "serialNumber");
    const json& meta = jsonin::obj(root, "metadata");
    sbom.timestamp = jsonin::str(meta, "timestamp");
    static const json kNull;
    const json* tools_ptr = jsonin::member(meta, "tools");
    const json& tools = tools_ptr ? *tools_ptr : kNull;
    const json& tool_list = tools.is_array() ? tools : jsonin::arr(tools, "components");
    for (const json& t : tool_list) {
      sbom.tool.name = jsonin::str(t, "name");
      sbom.tool.version = jsonin::str(t, "version");
      break;
    }
    sbom.target.kind = "sbom";
    sbom.target.name = file;
    if (const json* mc = jsonin::member(meta, "component"); mc && mc->is_object()) {
      std::string name = jsonin::str(*mc, "name");
      if (!name.empty()) sbom.target.name = name;
      for (const json& h : jsonin::arr(*mc, "hashes"))
        if (jsonin::str(h, "alg") == "SHA-256") sbom.target.sha256 = jsonin::str(h, "content");
      for (const json& p : jsonin::arr(*mc, "properties")) {
        if (jsonin::str(p, "name") == "waybill:target_kind")
          sbom.target.kind = jsonin::str(p, "value");
        if (jsonin::str(p, "name") == "waybill:size") {
          std::string v = jsonin::str(p, "value");
          if (!v.empty() && v.size() < 20 && v.find_first_not_of("0123456789") == std::string::npos)
            sbom.target.size = std::stoull(v);
        }
      }
      // A subject that identifies software is a component too.
      if (!jsonin::str(*mc, "version").empty() || !jsonin::str(*mc, "purl").empty() ||
          !jsonin::str(*mc, "cpe").empty()) {
        model::Component c = component(*mc, "metadata.component");
        std::string ref = c.bom_ref;
        sbom.components.push_back(std::move(c));
        components(jsonin::arr(*mc, "components"), ref, "metadata.component.components", 1);
      }
    }
    const json* comps = jsonin::member(root, "components");
    if (comps && !comps->is_array())
      return Error(Errc::corrupt, file + ": CycloneDX \"components\" is not an array");
    if (comps) components(*comps, "", "components", 0);

    std::size_t i = 0;
    for (const json& d : jsonin::arr(root, "dependencies")) {
      std::string w = "dependencies[" + std::to_string(i++) + "]";
      std::string from = jsonin::str(d, "ref");
      if (!refs.count(from)) continue;  // the subject, or an unknown ref
      for (const json& t : jsonin::arr(d, "dependsOn")) {
        std::string to = jsonin::as_str(t);
        if (to.empty()) to = jsonin::str(t, "ref");  // 1.2 allowed objects
        if (refs.count(to)) {
          sbom.relationships.push_back({from, to, "depends-on"});
        } else if (!to.empty()) {
          warn(sbom, kFormat, file, w, "dependsOn \"" + to + "\" is not a bom-ref");
        }
      }
    }
    return Status::success();
  }
};

}  // namespace

Result<model::Sbom> read_cyclonedx_json(std::string_view name, std::string_view text) {
  auto parsed = jsonin::parse(name, text, kMaxSbomBytes);
  if (!parsed) return parsed.error();
  if (!parsed->is_object())
    return Error(Errc::corrupt, std::string(name) + ": CycloneDX JSON top level is not an object");
  model::Sbom sbom;
  CdxJsonReader r{sbom, std::string(name), {}, 0};
  if (Status st = r.run(*parsed); !st) return st.error();
  return sbom;
}

}  // namespace waybill::sbom::inputdetail
