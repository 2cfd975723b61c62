// CycloneDX 1.6 JSON, streamed with rapidjson's Writer (no document tree in memory).
//
// Layout decisions (shared with cyclonedx_xml.cpp through sbom/common.h):
// - The scanned target is metadata.component (type "firmware" for an image, "file" otherwise);
//   it dependsOn every component, and each component lists its own dependsOn (an empty list
//   means "known to have none", as CycloneDX recommends).
// - Files stay inside their component instead of becoming `file` components: every file is an
//   evidence.occurrences location, and its SHA-256 is a "waybill:file" property
//   ("<sha256>  <location>", the sha256sum layout). File components would multiply the component
//   count by the number of files (tens of thousands in a rootfs), drown the packages in
//   vulnerability tools that import the BOM, and make schema validation quadratic (uniqueItems).
//   A component with exactly one file (a static binary found by signature) carries that file's
//   hash as its own `hashes`. The native json format keeps every file with size and root.
// - How a component was found is evidence.identity (one entry per field: name, version, purl,
//   cpe; one method per waybill evidence item, its value a readable summary) and
//   evidence.occurrences (location, byte offset, matched text as additionalContext).
// - Diagnostics are metadata properties "waybill:diagnostic"; if any is an error, a composition
//   marks the target's inventory "incomplete", so partial results cannot pass as complete.
#include <rapidjson/writer.h>

#include <algorithm>

#include "report/cdx_vulns.h"
#include "report/report_util.h"
#include "sbom/common.h"
#include "sbom/formats.h"

namespace waybill::sbom {

namespace {

using namespace detail;

class CdxJson {
 public:
  explicit CdxJson(std::ostream& out) : os_(out), w_(os_) {}

  void run(const model::Report& report) {
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

    w_.StartObject();
    kv("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
    kv("bomFormat", "CycloneDX");
    kv("specVersion", "1.6");
    kv("serialNumber", "urn:uuid:" + document_uuid(sbom));
    key("version");
    w_.Int(1);
    metadata(sbom, refs);

    key("components");
    w_.StartArray();
    for (std::size_t i = 0; i < n; ++i)
      component(sbom.components[i], refs.components[i], contains[i]);
    w_.EndArray();

    key("dependencies");
    w_.StartArray();
    w_.StartObject();
    kv("ref", refs.target);
    key("dependsOn");
    w_.StartArray();
    for (const auto& r : refs.components) str(r);
    w_.EndArray();
    w_.EndObject();
    for (std::size_t i = 0; i < n; ++i) {
      w_.StartObject();
      kv("ref", refs.components[i]);
      key("dependsOn");
      w_.StartArray();
      for (const auto& r : depends[i]) str(r);
      w_.EndArray();
      w_.EndObject();
    }
    w_.EndArray();

    bool incomplete =
        std::any_of(sbom.diagnostics.begin(), sbom.diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (incomplete) {
      key("compositions");
      w_.StartArray();
      w_.StartObject();
      kv("aggregate", "incomplete");
      key("assemblies");
      w_.StartArray();
      str(refs.target);
      w_.EndArray();
      w_.EndObject();
      w_.EndArray();
    }
    if (!report.findings.empty())
      vulnerabilities(report::cdx_vulnerabilities(report, refs.components, refs.target));
    w_.EndObject();
    os_.Flush();
  }

 private:
  void str(std::string_view s) {
    if (is_clean_text(s)) {
      w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    } else {
      std::string c = clean_text(s);
      w_.String(c.data(), static_cast<rapidjson::SizeType>(c.size()));
    }
  }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void kv(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }
  void kv_opt(std::string_view k, std::string_view v) {
    if (!v.empty()) kv(k, v);
  }

  void properties(const std::vector<std::pair<std::string, std::string>>& props) {
    if (props.empty()) return;
    key("properties");
    w_.StartArray();
    for (const auto& [k, v] : props) {
      w_.StartObject();
      kv("name", k);
      kv("value", v);
      w_.EndObject();
    }
    w_.EndArray();
  }

  void sha256(std::string_view hex) {
    key("hashes");
    w_.StartArray();
    w_.StartObject();
    kv("alg", "SHA-256");
    std::string lower(hex);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    kv("content", lower);
    w_.EndObject();
    w_.EndArray();
  }

  void metadata(const model::Sbom& sbom, const Refs& refs) {
    key("metadata");
    w_.StartObject();
    kv("timestamp", document_timestamp(sbom));
    key("tools");
    w_.StartObject();
    key("components");
    w_.StartArray();
    w_.StartObject();
    kv("type", "application");
    kv("name", sbom.tool.name.empty() ? "waybill" : sbom.tool.name);
    kv_opt("version", sbom.tool.version);
    w_.EndObject();
    w_.EndArray();
    w_.EndObject();

    const model::Target& t = sbom.target;
    key("component");
    w_.StartObject();
    kv("bom-ref", refs.target);
    kv("type", cdx_target_type(t));
    kv("name", t.name.empty() ? "unnamed" : t.name);
    if (is_sha256_hex(t.sha256)) sha256(t.sha256);
    std::vector<std::pair<std::string, std::string>> tprops;
    if (!t.kind.empty()) tprops.emplace_back("waybill:target_kind", t.kind);
    if (t.size) tprops.emplace_back("waybill:size", std::to_string(t.size));
    properties(tprops);
    w_.EndObject();

    std::vector<std::pair<std::string, std::string>> props;
    for (const auto& os : os_lines(sbom)) props.emplace_back("waybill:os", os);
    for (const auto& d : sbom.diagnostics) props.emplace_back("waybill:diagnostic", d.to_string());
    std::sort(props.begin(), props.end());
    props.erase(std::unique(props.begin(), props.end()), props.end());
    properties(props);
    w_.EndObject();
  }

  void component(const model::Component& c, const std::string& ref,
                 const std::vector<std::string>& contains) {
    auto primary = primary_cpe(c);
    w_.StartObject();
    kv("bom-ref", ref);
    kv("type", cdx_type(c.type));
    if (!c.supplier.empty()) {
      key("supplier");
      w_.StartObject();
      kv("name", c.supplier);
      w_.EndObject();
    }
    kv_opt("author", c.author);
    kv("name", c.name.empty() ? "unknown" : c.name);
    kv_opt("version", c.version);
    kv_opt("description", c.description);
    if (const auto* f = single_file(c)) sha256(f->sha256);

    CdxLicenses lic = cdx_licenses(c.licenses);
    if (lic.is_expression) {
      key("licenses");
      w_.StartArray();
      w_.StartObject();
      kv("expression", lic.expression);
      w_.EndObject();
      w_.EndArray();
    } else if (!lic.licenses.empty()) {
      key("licenses");
      w_.StartArray();
      for (const auto& l : lic.licenses) {
        w_.StartObject();
        key("license");
        w_.StartObject();
        kv(l.kind == LicenseChoice::id ? "id" : "name", l.value);
        w_.EndObject();
        w_.EndObject();
      }
      w_.EndArray();
    }
    if (primary) kv("cpe", c.cpes[*primary]);
    kv_opt("purl", c.purl);
    if (is_simple_url(c.homepage)) {
      key("externalReferences");
      w_.StartArray();
      w_.StartObject();
      kv("type", "website");
      kv("url", c.homepage);
      w_.EndObject();
      w_.EndArray();
    }
    properties(component_properties(c, primary, contains));
    evidence(c, primary);
    w_.EndObject();
  }

  void evidence(const model::Component& c, std::optional<std::size_t> primary) {
    auto ids = cdx_identities(c, primary);
    auto occ = cdx_occurrences(c);
    key("evidence");
    w_.StartObject();
    key("identity");
    w_.StartArray();
    for (const auto& id : ids) {
      w_.StartObject();
      kv("field", id.field);
      key("confidence");
      w_.Double(id.confidence);
      kv("concludedValue", id.concluded);
      if (!id.methods.empty()) {
        key("methods");
        w_.StartArray();
        for (const auto& m : id.methods) {
          w_.StartObject();
          kv("technique", m.technique);
          key("confidence");
          w_.Double(m.confidence);
          kv("value", m.value);
          w_.EndObject();
        }
        w_.EndArray();
      }
      w_.EndObject();
    }
    w_.EndArray();
    if (!occ.empty()) {
      key("occurrences");
      w_.StartArray();
      for (const auto& o : occ) {
        w_.StartObject();
        kv("location", o.location);
        if (o.offset) {
          key("offset");
          w_.Uint64(*o.offset);
        }
        kv_opt("additionalContext", o.context);
        w_.EndObject();
      }
      w_.EndArray();
    }
    w_.EndObject();
  }

  void source(const report::CdxSource& s) {
    key("source");
    w_.StartObject();
    kv_opt("name", s.name);
    if (is_simple_url(s.url)) kv("url", s.url);
    w_.EndObject();
  }

  // See report/cdx_vulns.h for what each field carries.
  void vulnerabilities(const std::vector<report::CdxVulnerability>& vulns) {
    key("vulnerabilities");
    w_.StartArray();
    for (const auto& v : vulns) {
      w_.StartObject();
      kv("id", v.id);
      source(v.source);
      if (!v.references.empty()) {
        key("references");
        w_.StartArray();
        for (const auto& [id, src] : v.references) {
          w_.StartObject();
          kv("id", id);
          source(src);
          w_.EndObject();
        }
        w_.EndArray();
      }
      if (!v.ratings.empty()) {
        key("ratings");
        w_.StartArray();
        for (const auto& r : v.ratings) {
          w_.StartObject();
          if (!r.source.name.empty()) source(r.source);
          if (r.score) {
            key("score");
            w_.Double(*r.score);
          }
          kv("severity", r.severity);
          kv("method", r.method);
          kv_opt("vector", r.vector);
          w_.EndObject();
        }
        w_.EndArray();
      }
      if (!v.cwes.empty()) {
        key("cwes");
        w_.StartArray();
        for (int c : v.cwes) w_.Int(c);
        w_.EndArray();
      }
      kv_opt("description", v.description);
      kv_opt("detail", v.detail);
      kv_opt("recommendation", v.recommendation);
      kv_opt("published", v.published);
      kv_opt("updated", v.updated);
      if (!v.state.empty()) {
        key("analysis");
        w_.StartObject();
        kv("state", v.state);
        kv_opt("justification", v.justification);
        if (!v.responses.empty()) {
          key("response");
          w_.StartArray();
          for (const auto& r : v.responses) str(r);
          w_.EndArray();
        }
        kv_opt("detail", v.analysis_detail);
        w_.EndObject();
      }
      key("affects");
      w_.StartArray();
      w_.StartObject();
      kv("ref", v.affects_ref);
      if (!v.affects_version.empty()) {
        key("versions");
        w_.StartArray();
        w_.StartObject();
        kv("version", v.affects_version);
        kv("status", v.affects_status);
        w_.EndObject();
        w_.EndArray();
      }
      w_.EndObject();
      w_.EndArray();
      properties(v.properties);
      w_.EndObject();
    }
    w_.EndArray();
  }

  detail::BufferedOStream os_;
  rapidjson::Writer<detail::BufferedOStream> w_;
};

class CycloneDxJsonEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"cyclonedx-json", "CycloneDX 1.6 JSON"};
    return d;
  }
  std::string_view file_extension() const override { return ".cdx.json"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    CdxJson(out).run(report);
    out << '\n';
    if (!out) return Error(Errc::io, "cyclonedx-json: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Encoder> make_cyclonedx_json_encoder() {
  return std::make_unique<CycloneDxJsonEncoder>();
}

}  // namespace waybill::sbom
