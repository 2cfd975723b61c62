#include "sbom/spdx/spdx_common.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "sbom/common.h"
#include "sbom/spdx_license.h"

namespace waybill::sbom::spdx {

using namespace detail;

std::string spdx_id_for(std::string_view s) {
  std::string out = "SPDXRef-";
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    out += ok ? c : '-';
  }
  if (out.size() == 8) out += "unnamed";
  return out;
}

namespace {

std::string uri_segment(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    out += ok ? c : '-';
  }
  return out.empty() ? "sbom" : out;
}

// "Name <mail>" (Debian Maintainer style) -> "Name (mail)" (SPDX agent style).
std::string spdx_agent(std::string_view s) {
  std::string out = one_line(s);
  auto lt = out.rfind('<');
  auto gt = out.rfind('>');
  if (lt != std::string::npos && gt == out.size() - 1 && lt < gt) {
    out[lt] = '(';
    out[gt] = ')';
  }
  return out;
}

// Registers a LicenseRef for `original`, making the id unique per distinct original text.
std::string add_extracted(std::string_view original, std::vector<ExtractedLicense>& extracted) {
  std::string base = license_ref_for(original);
  std::string id = base;
  for (int n = 2;; ++n) {
    auto it = std::find_if(extracted.begin(), extracted.end(),
                           [&](const ExtractedLicense& e) { return e.id == id; });
    if (it == extracted.end()) break;
    if (it->name == original) return id;
    id = base + "-" + std::to_string(n);
  }
  std::string text(original);
  extracted.push_back({id, text, text});
  return id;
}

std::string purpose_for(std::string_view type) {
  static const std::map<std::string_view, std::string_view> m = {
      {"application", "APPLICATION"}, {"library", "LIBRARY"},
      {"framework", "FRAMEWORK"},     {"operating-system", "OPERATING_SYSTEM"},
      {"firmware", "FIRMWARE"},       {"container", "CONTAINER"},
      {"device", "DEVICE"},           {"file", "FILE"},
      {"platform", "OTHER"},          {"device-driver", "LIBRARY"},
  };
  auto it = m.find(type);
  return std::string(it == m.end() ? "OTHER" : it->second);
}

}  // namespace

std::string license_declared(const std::vector<std::string>& licenses,
                             std::vector<ExtractedLicense>& extracted) {
  std::vector<std::string> terms;
  for (const auto& raw : licenses) {
    std::string_view l = raw;
    while (!l.empty() && std::isspace(static_cast<unsigned char>(l.front()))) l.remove_prefix(1);
    while (!l.empty() && std::isspace(static_cast<unsigned char>(l.back()))) l.remove_suffix(1);
    if (l.empty()) continue;
    std::string term;
    if (auto id = spdx_license_id(l)) {
      term = *id;
    } else if (looks_like_license_expression(l)) {
      std::vector<std::string> unknown;
      if (auto e = normalize_license_expression(l, &unknown)) {
        for (const auto& u : unknown) add_extracted(u, extracted);
        term = *e;
        if (licenses.size() > 1) term = "(" + term + ")";
      }
    }
    if (term.empty()) term = add_extracted(l, extracted);
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
  }
  if (terms.empty()) return "NOASSERTION";
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "" : " AND ") + t;
  return out;
}

Document build_document(const model::Sbom& sbom) {
  Document doc;
  const std::string tool_version = sbom.tool.version.empty() ? "unknown" : sbom.tool.version;
  const std::string tool = (sbom.tool.name.empty() ? "waybill" : sbom.tool.name);
  doc.name = sbom.target.name.empty() ? "waybill-sbom" : one_line(sbom.target.name);
  doc.namespace_uri =
      "https://waybill.invalid/spdx/" + uri_segment(sbom.target.name) + "-" + document_uuid(sbom);
  doc.created = document_timestamp(sbom);
  doc.creator = "Tool: " + one_line(tool) + "-" + one_line(tool_version);

  std::string comment;
  for (const auto& os : os_lines(sbom)) comment += "operating system: " + os + "\n";
  std::size_t errors = 0;
  for (const auto& d : sbom.diagnostics) {
    if (d.severity == Severity::error) ++errors;
    doc.annotations.push_back({doc.created, doc.creator, "diagnostic: " + d.to_string()});
  }
  if (!sbom.diagnostics.empty()) {
    comment += std::to_string(sbom.diagnostics.size()) + " diagnostic(s) while reading the target";
    comment +=
        errors ? " (" + std::to_string(errors) + " error(s): the inventory may be incomplete)" : "";
    comment += "; see the document annotations\n";
  }
  if (!comment.empty()) comment.pop_back();
  doc.comment = comment;

  Refs refs = make_refs(sbom);
  std::unordered_set<std::string> used = {"SPDXRef-DOCUMENT"};
  auto unique_id = [&](const std::string& ref) {
    std::string base = spdx_id_for(ref);
    std::string id = base;
    for (int n = 2; used.count(id); ++n) id = base + "-" + std::to_string(n);
    used.insert(id);
    return id;
  };

  // The target.
  const model::Target& t = sbom.target;
  Package tp;
  tp.spdxid = unique_id(refs.target);
  tp.name = t.name.empty() ? "unnamed" : one_line(t.name);
  tp.supplier = "NOASSERTION";
  tp.license_declared = "NOASSERTION";
  if (is_sha256_hex(t.sha256)) tp.sha256 = t.sha256;
  tp.purpose = t.kind == "image" ? "FIRMWARE" : "OTHER";
  tp.comment = "scanned target" + (t.kind.empty() ? "" : " (" + t.kind + ")") +
               (t.size ? ", " + std::to_string(t.size) + " bytes" : "");
  doc.packages.push_back(std::move(tp));

  std::vector<std::string> ids;
  for (std::size_t i = 0; i < sbom.components.size(); ++i) {
    const model::Component& c = sbom.components[i];
    Package p;
    p.spdxid = unique_id(refs.components[i]);
    ids.push_back(p.spdxid);
    p.name = c.name.empty() ? "unknown" : one_line(c.name);
    p.version = one_line(c.version);
    p.supplier = c.supplier.empty() ? "NOASSERTION" : "Organization: " + spdx_agent(c.supplier);
    if (is_simple_url(c.homepage)) p.homepage = c.homepage;
    if (const auto* f = single_file(c)) p.sha256 = f->sha256;
    p.license_declared = license_declared(c.licenses, doc.extracted);
    p.purpose = purpose_for(c.type);
    if (!c.source_package.empty())
      p.source_info = "built from source package " + one_line(c.source_package) +
                      (c.package_version.empty() ? "" : " " + one_line(c.package_version));
    p.description = c.description;
    for (const auto& cpe : c.cpes) p.refs.push_back({"SECURITY", "cpe23Type", one_line(cpe)});
    if (!c.purl.empty()) p.refs.push_back({"PACKAGE-MANAGER", "purl", one_line(c.purl)});

    std::string cm;
    auto line = [&](std::string_view k, const std::string& v) {
      if (!v.empty()) cm += std::string(k) + ": " + one_line(v) + "\n";
    };
    line("author", c.author);
    line("package version", c.package_version);
    line("ecosystem", c.ecosystem);
    line("distro", c.distro);
    line("arch", c.arch);
    line("homepage", p.homepage.empty() ? c.homepage : "");
    line("confidence", decimal01(component_confidence(c)));
    for (const auto& n : c.notes) line("note", n);
    if (c.files.size() > 1)
      for (const auto& f : c.files)
        line("file", (f.sha256.empty() ? std::string("-") : f.sha256) + "  " + location_of(f));
    else if (c.files.size() == 1)
      line("file", location_of(c.files[0]));
    for (const auto& [k, v] : c.properties) line(k, v);
    if (!cm.empty()) cm.pop_back();
    p.comment = cm;
    for (const auto& e : c.evidence)
      p.annotations.push_back(
          {doc.created, doc.creator,
           "evidence: " + evidence_summary(e) + " [confidence " + decimal01(e.confidence) + "]"});
    doc.packages.push_back(std::move(p));
  }

  const std::string& target_id = doc.packages.front().spdxid;
  doc.relationships.push_back({"SPDXRef-DOCUMENT", "DESCRIBES", target_id});
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  auto rel = [&](const std::string& a, const char* type, const std::string& b) {
    if (seen.emplace(a, type, b).second) doc.relationships.push_back({a, type, b});
  };
  for (const auto& id : ids) rel(target_id, "CONTAINS", id);
  for (const Edge& e : resolve_edges(sbom)) {
    const std::string& from = e.from < 0 ? target_id : ids[static_cast<std::size_t>(e.from)];
    rel(from, e.contains ? "CONTAINS" : "DEPENDS_ON", ids[static_cast<std::size_t>(e.to)]);
  }
  return doc;
}

}  // namespace waybill::sbom::spdx
