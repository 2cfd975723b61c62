// CycloneDX XML reader (schema namespaces http://cyclonedx.org/schema/bom/1.2 to 1.6), with
// pugixml. Elements are matched by local name, so any namespace prefix works. pugixml expands
// only the predefined and numeric character entities and never reads a DTD, so entity bombs and
// external entities cannot be used. Same mapping as the JSON reader.
#include <pugixml.hpp>

#include <cstring>
#include <set>

#include "sbom/input/internal.h"

namespace waybill::sbom::inputdetail {

namespace {

constexpr std::string_view kFormat = "cyclonedx-xml";

std::string_view local(const char* name) {
  std::string_view n = name;
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local(c.name()) == name) return c;
  return {};
}

template <class F>
void children(pugi::xml_node n, std::string_view name, F&& f) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local(c.name()) == name) f(c);
}

std::string text(pugi::xml_node n) {
  std::string s = n.text().get();
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string text(pugi::xml_node n, std::string_view name) {
  return text(child(n, name));
}

struct CdxXmlReader {
  model::Sbom& sbom;
  std::string file;
  std::set<std::string> refs;
  std::size_t auto_ref = 0;

  model::Component component(pugi::xml_node j, const std::string& where) {
    model::Component c;
    c.bom_ref = j.attribute("bom-ref").value();
    std::string type = j.attribute("type").value();
    if (!type.empty()) c.type = type;
    c.name = text(j, "name");
    c.version = text(j, "version");
    if (std::string g = text(j, "group"); !g.empty()) c.properties["cdx:group"] = g;
    c.purl = text(j, "purl");
    if (std::string cpe = text(j, "cpe"); !cpe.empty()) c.cpes.push_back(cpe);
    c.supplier = text(child(j, "supplier"), "name");
    if (c.supplier.empty()) c.supplier = text(j, "publisher");
    c.author = text(j, "author");
    c.description = text(j, "description");
    children(child(j, "licenses"), "license", [&](pugi::xml_node l) {
      std::string v = text(l, "id");
      if (v.empty()) v = text(l, "name");
      if (!v.empty()) c.licenses.push_back(v);
    });
    children(child(j, "licenses"), "expression",
             [&](pugi::xml_node e) { c.licenses.push_back(text(e)); });
    children(child(j, "hashes"), "hash",
             [&](pugi::xml_node h) { add_hash(c, h.attribute("alg").value(), text(h)); });
    children(child(j, "externalReferences"), "reference", [&](pugi::xml_node r) {
      if (std::strcmp(r.attribute("type").value(), "website") == 0 && c.homepage.empty())
        c.homepage = text(r, "url");
    });
    children(child(j, "properties"), "property", [&](pugi::xml_node p) {
      std::string n = p.attribute("name").value();
      if (!n.empty()) apply_property(c, n, text(p));
    });
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

  void components(pugi::xml_node list, const std::string& parent, const std::string& where,
                  int depth) {
    if (!list) return;
    if (depth > 32) {
      warn(sbom, kFormat, file, where, "components nested deeper than 32 levels; rest ignored");
      return;
    }
    std::size_t i = 0;
    bool stop = false;
    children(list, "component", [&](pugi::xml_node j) {
      if (stop) return;
      std::string w = where + "[" + std::to_string(i++) + "]";
      if (sbom.components.size() >= kMaxSbomComponents) {
        warn(sbom, kFormat, file, w, "too many components; rest ignored");
        stop = true;
        return;
      }
      model::Component c = component(j, w);
      std::string ref = c.bom_ref;
      sbom.components.push_back(std::move(c));
      if (!parent.empty()) sbom.relationships.push_back({parent, ref, "contains"});
      components(child(j, "components"), ref, w + ".components", depth + 1);
    });
  }

  void run(pugi::xml_node bom) {
    sbom.serial = bom.attribute("serialNumber").value();
    pugi::xml_node meta = child(bom, "metadata");
    sbom.timestamp = text(meta, "timestamp");
    pugi::xml_node tools = child(meta, "tools");
    pugi::xml_node tool = child(tools, "tool");
    if (!tool) tool = child(child(tools, "components"), "component");
    if (tool) {
      sbom.tool.name = text(tool, "name");
      sbom.tool.version = text(tool, "version");
    }
    sbom.target.kind = "sbom";
    sbom.target.name = file;
    if (pugi::xml_node mc = child(meta, "component")) {
      if (std::string n = text(mc, "name"); !n.empty()) sbom.target.name = n;
      children(child(mc, "hashes"), "hash", [&](pugi::xml_node h) {
        if (std::strcmp(h.attribute("alg").value(), "SHA-256") == 0) sbom.target.sha256 = text(h);
      });
      children(child(mc, "properties"), "property", [&](pugi::xml_node p) {
        if (std::strcmp(p.attribute("name").value(), "waybill:target_kind") == 0)
          sbom.target.kind = text(p);
      });
      if (!text(mc, "version").empty() || !text(mc, "purl").empty() || !text(mc, "cpe").empty()) {
        model::Component c = component(mc, "metadata.component");
        std::string ref = c.bom_ref;
        sbom.components.push_back(std::move(c));
        components(child(mc, "components"), ref, "metadata.component.components", 1);
      }
    }
    components(child(bom, "components"), "", "components", 0);
    std::size_t i = 0;
    children(child(bom, "dependencies"), "dependency", [&](pugi::xml_node d) {
      std::string w = "dependencies[" + std::to_string(i++) + "]";
      std::string from = d.attribute("ref").value();
      if (!refs.count(from)) return;
      children(d, "dependency", [&](pugi::xml_node t) {
        std::string to = t.attribute("ref").value();
        if (refs.count(to)) {
          sbom.relationships.push_back({from, to, "depends-on"});
        } else if (!to.empty()) {
          warn(sbom, kFormat, file, w, "dependency \"" + to + "\" is not a bom-ref");
        }
      });
    });
  }
};

}  // namespace

Result<model::Sbom> read_cyclonedx_xml(std::string_view name, std::string_view data) {
  std::string who(name);
  pugi::xml_document doc;
  pugi::xml_parse_result res =
      doc.load_buffer(data.data(), data.size(), pugi::parse_default, pugi::encoding_auto);
  if (!res)
    return Error(Errc::corrupt, who + ": not well-formed XML: " + res.description(),
                 static_cast<std::uint64_t>(res.offset));
  pugi::xml_node bom = doc.document_element();
  if (local(bom.name()) != "bom")
    return Error(Errc::corrupt,
                 who + ": CycloneDX XML root element is <" + bom.name() + ">, not <bom>");
  model::Sbom sbom;
  CdxXmlReader r{sbom, who, {}, 0};
  r.run(bom);
  return sbom;
}

}  // namespace waybill::sbom::inputdetail
