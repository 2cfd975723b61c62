// CycloneDX 1.6 XML via pugixml: the same content as cyclonedx_json.cpp (see the layout notes
// there), in the element order that bom-1.6.xsd's sequences require.
#include <pugixml.hpp>

#include <algorithm>

#include "report/cdx_vulns.h"
#include "report/report_util.h"
#include "sbom/common.h"
#include "sbom/formats.h"

namespace waybill::sbom {

namespace {

using namespace detail;

std::string x(std::string_view s) {
  return clean_text(s, true);
}

pugi::xml_node child_text(pugi::xml_node parent, const char* name, std::string_view value) {
  pugi::xml_node n = parent.append_child(name);
  n.text().set(x(value).c_str());
  return n;
}
void child_opt(pugi::xml_node parent, const char* name, std::string_view value) {
  if (!value.empty()) child_text(parent, name, value);
}
void attr(pugi::xml_node n, const char* name, std::string_view value) {
  n.append_attribute(name).set_value(x(value).c_str());
}

void properties(pugi::xml_node parent,
                const std::vector<std::pair<std::string, std::string>>& props) {
  if (props.empty()) return;
  pugi::xml_node ps = parent.append_child("properties");
  for (const auto& [k, v] : props) {
    pugi::xml_node p = child_text(ps, "property", v);
    attr(p, "name", k);
  }
}

void sha256(pugi::xml_node parent, std::string hex) {
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  pugi::xml_node h = child_text(parent.append_child("hashes"), "hash", hex);
  attr(h, "alg", "SHA-256");
}

void metadata(pugi::xml_node bom, const model::Sbom& sbom, const Refs& refs) {
  pugi::xml_node md = bom.append_child("metadata");
  child_text(md, "timestamp", document_timestamp(sbom));
  pugi::xml_node tool =
      md.append_child("tools").append_child("components").append_child("component");
  attr(tool, "type", "application");
  child_text(tool, "name", sbom.tool.name.empty() ? "waybill" : sbom.tool.name);
  child_opt(tool, "version", sbom.tool.version);

  const model::Target& t = sbom.target;
  pugi::xml_node tc = md.append_child("component");
  attr(tc, "type", cdx_target_type(t));
  attr(tc, "bom-ref", refs.target);
  child_text(tc, "name", t.name.empty() ? "unnamed" : t.name);
  if (is_sha256_hex(t.sha256)) sha256(tc, t.sha256);
  std::vector<std::pair<std::string, std::string>> tprops;
  if (!t.kind.empty()) tprops.emplace_back("waybill:target_kind", t.kind);
  if (t.size) tprops.emplace_back("waybill:size", std::to_string(t.size));
  properties(tc, tprops);

  std::vector<std::pair<std::string, std::string>> props;
  for (const auto& os : os_lines(sbom)) props.emplace_back("waybill:os", os);
  for (const auto& d : sbom.diagnostics) props.emplace_back("waybill:diagnostic", d.to_string());
  std::sort(props.begin(), props.end());
  props.erase(std::unique(props.begin(), props.end()), props.end());
  properties(md, props);
}

void evidence(pugi::xml_node comp, const model::Component& c, std::optional<std::size_t> primary) {
  pugi::xml_node ev = comp.append_child("evidence");
  for (const auto& id : cdx_identities(c, primary)) {
    pugi::xml_node in = ev.append_child("identity");
    child_text(in, "field", id.field);
    child_text(in, "confidence", decimal01(id.confidence));
    child_text(in, "concludedValue", id.concluded);
    if (id.methods.empty()) continue;
    pugi::xml_node ms = in.append_child("methods");
    for (const auto& m : id.methods) {
      pugi::xml_node mn = ms.append_child("method");
      child_text(mn, "technique", m.technique);
      child_text(mn, "confidence", decimal01(m.confidence));
      child_text(mn, "value", m.value);
    }
  }
  auto occ = cdx_occurrences(c);
  if (occ.empty()) return;
  pugi::xml_node os = ev.append_child("occurrences");
  for (const auto& o : occ) {
    pugi::xml_node on = os.append_child("occurrence");
    child_text(on, "location", o.location);
    if (o.offset) child_text(on, "offset", std::to_string(*o.offset));
    child_opt(on, "additionalContext", o.context);
  }
}

void component(pugi::xml_node list, const model::Component& c, const std::string& ref,
               const std::vector<std::string>& contains) {
  auto primary = primary_cpe(c);
  pugi::xml_node n = list.append_child("component");
  attr(n, "type", cdx_type(c.type));
  attr(n, "bom-ref", ref);
  if (!c.supplier.empty()) child_text(n.append_child("supplier"), "name", c.supplier);
  child_opt(n, "author", c.author);
  child_text(n, "name", c.name.empty() ? "unknown" : c.name);
  child_opt(n, "version", c.version);
  child_opt(n, "description", c.description);
  if (const auto* f = single_file(c)) sha256(n, f->sha256);
  CdxLicenses lic = cdx_licenses(c.licenses);
  if (lic.is_expression) {
    child_text(n.append_child("licenses"), "expression", lic.expression);
  } else if (!lic.licenses.empty()) {
    pugi::xml_node ls = n.append_child("licenses");
    for (const auto& l : lic.licenses)
      child_text(ls.append_child("license"), l.kind == LicenseChoice::id ? "id" : "name", l.value);
  }
  if (primary) child_text(n, "cpe", c.cpes[*primary]);
  child_opt(n, "purl", c.purl);
  if (is_simple_url(c.homepage)) {
    pugi::xml_node r = n.append_child("externalReferences").append_child("reference");
    attr(r, "type", "website");
    child_text(r, "url", c.homepage);
  }
  properties(n, component_properties(c, primary, contains));
  evidence(n, c, primary);
}

void source(pugi::xml_node parent, const report::CdxSource& s) {
  pugi::xml_node n = parent.append_child("source");
  child_opt(n, "name", s.name);
  if (is_simple_url(s.url)) child_text(n, "url", s.url);
}

// See report/cdx_vulns.h; element order follows bom-1.6.xsd's vulnerabilityType sequence.
void vulnerabilities(pugi::xml_node bom, const std::vector<report::CdxVulnerability>& vulns) {
  pugi::xml_node list = bom.append_child("vulnerabilities");
  for (const auto& v : vulns) {
    pugi::xml_node n = list.append_child("vulnerability");
    child_text(n, "id", v.id);
    source(n, v.source);
    if (!v.references.empty()) {
      pugi::xml_node refs = n.append_child("references");
      for (const auto& [id, src] : v.references) {
        pugi::xml_node r = refs.append_child("reference");
        child_text(r, "id", id);
        source(r, src);
      }
    }
    if (!v.ratings.empty()) {
      pugi::xml_node rs = n.append_child("ratings");
      for (const auto& r : v.ratings) {
        pugi::xml_node rn = rs.append_child("rating");
        if (!r.source.name.empty()) source(rn, r.source);
        if (r.score) child_text(rn, "score", report::short_number(*r.score, 3));
        child_text(rn, "severity", r.severity);
        child_text(rn, "method", r.method);
        child_opt(rn, "vector", r.vector);
      }
    }
    if (!v.cwes.empty()) {
      pugi::xml_node cs = n.append_child("cwes");
      for (int c : v.cwes) child_text(cs, "cwe", std::to_string(c));
    }
    child_opt(n, "description", v.description);
    child_opt(n, "detail", v.detail);
    child_opt(n, "recommendation", v.recommendation);
    child_opt(n, "published", v.published);
    child_opt(n, "updated", v.updated);
    if (!v.state.empty()) {
      pugi::xml_node a = n.append_child("analysis");
      child_text(a, "state", v.state);
      child_opt(a, "justification", v.justification);
      if (!v.responses.empty()) {
        pugi::xml_node rs = a.append_child("responses");
        for (const auto& r : v.responses) child_text(rs, "response", r);
      }
      child_opt(a, "detail", v.analysis_detail);
    }
    pugi::xml_node t = n.append_child("affects").append_child("target");
    child_text(t, "ref", v.affects_ref);
    if (!v.affects_version.empty()) {
      pugi::xml_node ver = t.append_child("versions").append_child("version");
      child_text(ver, "version", v.affects_version);
      child_text(ver, "status", v.affects_status);
    }
    properties(n, v.properties);
  }
}

class CycloneDxXmlEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"cyclonedx-xml", "CycloneDX 1.6 XML"};
    return d;
  }
  std::string_view file_extension() const override { return ".cdx.xml"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    const model::Sbom& sbom = report.sbom;
    Refs refs = make_refs(sbom);
    std::vector<Edge> edges = resolve_edges(sbom);
    const std::size_t n = sbom.components.size();
    std::vector<std::vector<std::string>> depends(n), contains(n);
    for (const Edge& e : edges) {
      if (e.from < 0) continue;
      (e.contains ? contains : depends)[static_cast<std::size_t>(e.from)].push_back(
          refs.components[static_cast<std::size_t>(e.to)]);
    }

    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    pugi::xml_node bom = doc.append_child("bom");
    attr(bom, "xmlns", "http://cyclonedx.org/schema/bom/1.6");
    attr(bom, "serialNumber", "urn:uuid:" + document_uuid(sbom));
    attr(bom, "version", "1");
    metadata(bom, sbom, refs);

    pugi::xml_node comps = bom.append_child("components");
    for (std::size_t i = 0; i < n; ++i)
      component(comps, sbom.components[i], refs.components[i], contains[i]);

    pugi::xml_node deps = bom.append_child("dependencies");
    pugi::xml_node root = deps.append_child("dependency");
    attr(root, "ref", refs.target);
    for (const auto& r : refs.components) attr(root.append_child("dependency"), "ref", r);
    for (std::size_t i = 0; i < n; ++i) {
      pugi::xml_node d = deps.append_child("dependency");
      attr(d, "ref", refs.components[i]);
      for (const auto& r : depends[i]) attr(d.append_child("dependency"), "ref", r);
    }

    bool incomplete =
        std::any_of(sbom.diagnostics.begin(), sbom.diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (incomplete) {
      pugi::xml_node c = bom.append_child("compositions").append_child("composition");
      child_text(c, "aggregate", "incomplete");
      attr(c.append_child("assemblies").append_child("assembly"), "ref", refs.target);
    }
    if (!report.findings.empty())
      vulnerabilities(bom, report::cdx_vulnerabilities(report, refs.components, refs.target));
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    if (!out) return Error(Errc::io, "cyclonedx-xml: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Encoder> make_cyclonedx_xml_encoder() {
  return std::make_unique<CycloneDxXmlEncoder>();
}

}  // namespace waybill::sbom
