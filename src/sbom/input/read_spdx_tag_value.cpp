// SPDX 2.x tag-value reader. "Tag: value" lines; a value may be <text>...</text> over several
// lines. A package starts at PackageName and ends at the next PackageName or at a file, snippet
// or licence section (FileName, SnippetSPDXID, LicenseID). Same mapping as the SPDX JSON reader.
#include <set>
#include <tuple>

#include "sbom/input/internal.h"

namespace waybill::sbom::inputdetail {

namespace {

constexpr std::string_view kFormat = "spdx-tag-value";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

struct Pending {
  model::Component c;
  std::size_t line = 0;
};

}  // namespace

Result<model::Sbom> read_spdx_tag_value(std::string_view name, std::string_view text) {
  std::string file(name);
  model::Sbom sbom;
  sbom.target.kind = "sbom";
  sbom.target.name = file;
  std::vector<Pending> packages;
  std::vector<std::tuple<std::string, std::string, std::string>> rels;  // a, type, b
  std::set<std::string> described;
  bool in_package = false;
  std::string version;
  std::size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    auto colon = t.find(':');
    if (colon == std::string_view::npos) {
      warn(sbom, kFormat, file, "line " + std::to_string(line_no), "not a \"Tag: value\" line");
      continue;
    }
    std::string_view tag = trim(t.substr(0, colon));
    std::string_view value = trim(t.substr(colon + 1));
    std::string val;
    if (value.substr(0, 6) == "<text>") {
      // Multi-line text: up to </text>, possibly on a later line.
      std::size_t start = static_cast<std::size_t>(value.data() - text.data()) + 6;
      std::size_t close = text.find("</text>", start);
      if (close == std::string_view::npos) {
        warn(sbom, kFormat, file, "line " + std::to_string(line_no), "<text> is never closed");
        val = std::string(text.substr(start));
        pos = text.size();
      } else {
        val = std::string(text.substr(start, close - start));
        std::size_t nl = text.find('\n', close);
        for (std::size_t k = start; k < close; ++k)
          if (text[k] == '\n') ++line_no;
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
      }
    } else {
      val = std::string(value);
    }

    if (tag == "SPDXVersion") {
      version = val;
    } else if (tag == "DocumentName") {
      sbom.target.name = val;
    } else if (tag == "DocumentNamespace") {
      sbom.serial = val;
    } else if (tag == "Created") {
      sbom.timestamp = val;
    } else if (tag == "Creator" && val.rfind("Tool:", 0) == 0 && sbom.tool.version.empty()) {
      std::string tool = spdx_agent_name(val);
      auto dash = tool.rfind('-');
      sbom.tool.name = dash == std::string::npos ? tool : tool.substr(0, dash);
      sbom.tool.version = dash == std::string::npos ? "" : tool.substr(dash + 1);
    } else if (tag == "PackageName") {
      if (packages.size() >= kMaxSbomComponents) {
        warn(sbom, kFormat, file, "line " + std::to_string(line_no), "too many packages");
        break;
      }
      packages.push_back({});
      packages.back().c.name = val;
      packages.back().line = line_no;
      in_package = true;
    } else if (tag == "FileName" || tag == "SnippetSPDXID" || tag == "LicenseID") {
      in_package = false;
    } else if (tag == "Relationship") {
      // "A TYPE B"
      std::string_view v = val;
      auto s1 = v.find(' ');
      auto s2 = s1 == std::string_view::npos ? s1 : v.find(' ', s1 + 1);
      if (s2 == std::string_view::npos) {
        warn(sbom, kFormat, file, "line " + std::to_string(line_no), "malformed Relationship");
        continue;
      }
      rels.emplace_back(std::string(trim(v.substr(0, s1))),
                        std::string(trim(v.substr(s1 + 1, s2 - s1 - 1))),
                        std::string(trim(v.substr(s2 + 1))));
    } else if (in_package && !packages.empty()) {
      model::Component& c = packages.back().c;
      if (tag == "SPDXID") {
        c.bom_ref = val;
      } else if (tag == "PackageVersion") {
        c.version = val;
      } else if (tag == "PackageSupplier") {
        c.supplier = spdx_agent_name(val);
      } else if (tag == "PackageOriginator") {
        if (c.supplier.empty()) c.supplier = spdx_agent_name(val);
      } else if (tag == "PackageLicenseDeclared") {
        if (std::string l = spdx_license(val); !l.empty()) c.licenses.insert(c.licenses.begin(), l);
      } else if (tag == "PackageLicenseConcluded") {
        if (std::string l = spdx_license(val); !l.empty() && c.licenses.empty())
          c.licenses.push_back(l);
      } else if (tag == "PackageChecksum") {
        auto c2 = val.find(':');
        if (c2 != std::string::npos)
          add_hash(c, trim(std::string_view(val).substr(0, c2)),
                   trim(std::string_view(val).substr(c2 + 1)));
      } else if (tag == "PackageHomePage") {
        if (val != "NOASSERTION" && val != "NONE") c.homepage = val;
      } else if (tag == "PackageDescription") {
        c.description = val;
      } else if (tag == "PackageSummary") {
        if (c.description.empty()) c.description = val;
      } else if (tag == "ExternalRef") {
        // "CATEGORY TYPE LOCATOR"
        std::string_view v = val;
        auto s1 = v.find(' ');
        auto s2 = s1 == std::string_view::npos ? s1 : v.find(' ', s1 + 1);
        if (s2 == std::string_view::npos) continue;
        std::string_view type = trim(v.substr(s1 + 1, s2 - s1 - 1));
        std::string loc(trim(v.substr(s2 + 1)));
        if (type == "purl" && c.purl.empty()) c.purl = loc;
        if (type == "cpe23Type" || type == "cpe22Type") c.cpes.push_back(loc);
      }
    }
  }
  if (version.rfind("SPDX-2.", 0) != 0)
    return Error(Errc::unsupported,
                 file + ": SPDXVersion \"" + version + "\" is not supported (SPDX-2.x is)");
  for (const auto& [a, type, b] : rels)
    if (a == "SPDXRef-DOCUMENT" && type == "DESCRIBES") described.insert(b);

  std::set<std::string> ids, kept;
  bool target_set = false;
  for (auto& p : packages) {
    model::Component& c = p.c;
    std::string w = "line " + std::to_string(p.line);
    if (c.bom_ref.empty() || !ids.insert(c.bom_ref).second) {
      warn(sbom, kFormat, file, w, "missing or duplicate SPDXID; renamed");
      c.bom_ref = "SPDXRef-waybill-" + std::to_string(p.line);
      ids.insert(c.bom_ref);
    }
    bool subject = described.count(c.bom_ref) > 0;
    bool is_target = subject && !target_set;
    if (is_target) {
      // The first described package names the target; without a version, purl or CPE it is only
      // the target (e.g. waybill's own firmware package), not a component.
      target_set = true;
      sbom.target.name = c.name;
      for (const auto& f : c.files)
        if (!f.sha256.empty()) sbom.target.sha256 = f.sha256;
      if (c.version.empty() && c.purl.empty() && c.cpes.empty()) continue;
    }
    kept.insert(c.bom_ref);
    finish_component(c, kFormat, file, w);
    sbom.components.push_back(std::move(c));
  }
  for (const auto& [a, type, b] : rels) {
    if (!kept.count(a) || !kept.count(b)) continue;
    if (type == "DEPENDS_ON") sbom.relationships.push_back({a, b, "depends-on"});
    if (type == "DEPENDENCY_OF") sbom.relationships.push_back({b, a, "depends-on"});
    if (type == "CONTAINS") sbom.relationships.push_back({a, b, "contains"});
    if (type == "CONTAINED_BY") sbom.relationships.push_back({b, a, "contains"});
  }
  return sbom;
}

}  // namespace waybill::sbom::inputdetail
