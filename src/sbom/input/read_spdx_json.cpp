// SPDX 2.x JSON reader: packages become components (SPDXID as bom-ref); externalRefs give purl
// (PACKAGE-MANAGER/PACKAGE_MANAGER purl) and CPEs (SECURITY cpe23Type / cpe22Type); checksums
// hashes; supplier (else originator) the supplier; licenseDeclared (else licenseConcluded) the
// licence. Files and snippets are not components. The described package (documentDescribes or a
// DESCRIBES relationship from the document) is the target, and also a component when it has a
// version, purl or CPE.
#include <map>
#include <set>

#include "sbom/input/internal.h"
#include "vuln/vex/json_input.h"

namespace waybill::sbom::inputdetail {

namespace {

using jsonin::json;
constexpr std::string_view kFormat = "spdx-json";

std::string rel_type(std::string t) {
  for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return t;
}

}  // namespace

Result<model::Sbom> read_spdx_json(std::string_view name, std::string_view text) {
  std::string file(name);
  auto parsed = jsonin::parse(name, text, kMaxSbomBytes);
  if (!parsed) return parsed.error();
  const json& root = *parsed;
  if (!root.is_object())
    return Error(Errc::corrupt, file + ": SPDX JSON top level is not an object");
  std::string version = jsonin::str(root, "spdxVersion");
  if (version.rfind("SPDX-2.", 0) != 0)
    return Error(Errc::unsupported,
                 file + ": spdxVersion \"" + version + "\" is not supported (SPDX-2.x is)");
  model::Sbom sbom;
  sbom.serial = jsonin::str(root, "documentNamespace");
  const json& ci = jsonin::obj(root, "creationInfo");
  sbom.timestamp = jsonin::str(ci, "created");
  for (const json& c : jsonin::arr(ci, "creators")) {
    std::string s = jsonin::as_str(c);
    if (s.rfind("Tool:", 0) == 0) {
      std::string t = spdx_agent_name(s);
      auto dash = t.rfind('-');
      sbom.tool.name = dash == std::string::npos ? t : t.substr(0, dash);
      sbom.tool.version = dash == std::string::npos ? "" : t.substr(dash + 1);
      break;
    }
  }
  sbom.target.kind = "sbom";
  sbom.target.name = jsonin::str(root, "name");
  if (sbom.target.name.empty()) sbom.target.name = file;

  std::set<std::string> described;
  for (const json& d : jsonin::arr(root, "documentDescribes")) described.insert(jsonin::as_str(d));
  std::string doc_id = jsonin::str(root, "SPDXID");
  if (doc_id.empty()) doc_id = "SPDXRef-DOCUMENT";
  for (const json& r : jsonin::arr(root, "relationships"))
    if (jsonin::str(r, "spdxElementId") == doc_id &&
        rel_type(jsonin::str(r, "relationshipType")) == "DESCRIBES")
      described.insert(jsonin::str(r, "relatedSpdxElement"));

  const json* packages = jsonin::member(root, "packages");
  if (packages && !packages->is_array())
    return Error(Errc::corrupt, file + ": SPDX \"packages\" is not an array");
  std::set<std::string> ids, kept;
  std::size_t i = 0;
  bool target_set = false;
  for (const json& p : packages ? *packages : json::array()) {
    std::string w = "packages[" + std::to_string(i++) + "]";
    if (!p.is_object()) continue;
    if (sbom.components.size() >= kMaxSbomComponents) {
      warn(sbom, kFormat, file, w, "too many packages; rest ignored");
      break;
    }
    model::Component c;
    c.bom_ref = jsonin::str(p, "SPDXID");
    c.name = jsonin::str(p, "name");
    c.version = jsonin::str(p, "versionInfo");
    c.supplier = spdx_agent_name(jsonin::str(p, "supplier"));
    if (c.supplier.empty()) c.supplier = spdx_agent_name(jsonin::str(p, "originator"));
    std::string lic = spdx_license(jsonin::str(p, "licenseDeclared"));
    if (lic.empty()) lic = spdx_license(jsonin::str(p, "licenseConcluded"));
    if (!lic.empty()) c.licenses.push_back(lic);
    c.homepage = jsonin::str(p, "homepage");
    if (c.homepage == "NOASSERTION" || c.homepage == "NONE") c.homepage.clear();
    c.description = jsonin::str(p, "description");
    if (c.description.empty()) c.description = jsonin::str(p, "summary");
    std::string purpose = jsonin::str(p, "primaryPackagePurpose");
    if (purpose == "APPLICATION") c.type = "application";
    if (purpose == "OPERATING-SYSTEM" || purpose == "OPERATING_SYSTEM") c.type = "operating-system";
    if (purpose == "FIRMWARE") c.type = "firmware";
    if (purpose == "FRAMEWORK") c.type = "framework";
    if (purpose == "CONTAINER") c.type = "container";
    if (purpose == "DEVICE") c.type = "device";
    if (purpose == "FILE") c.type = "file";
    for (const json& h : jsonin::arr(p, "checksums"))
      add_hash(c, jsonin::str(h, "algorithm"), jsonin::str(h, "checksumValue"));
    for (const json& r : jsonin::arr(p, "externalRefs")) {
      std::string type = jsonin::str(r, "referenceType");
      std::string loc = jsonin::str(r, "referenceLocator");
      if (loc.empty()) continue;
      if (type == "purl") {
        if (c.purl.empty()) {
          c.purl = loc;
        } else if (loc != c.purl) {
          c.properties["spdx:purl"] = loc;
        }
      } else if (type == "cpe23Type" || type == "cpe22Type") {
        c.cpes.push_back(loc);
      }
    }
    if (c.name.empty()) {
      warn(sbom, kFormat, file, w, "package without a name");
      c.name = "unknown";
    }
    if (c.bom_ref.empty() || !ids.insert(c.bom_ref).second) {
      warn(sbom, kFormat, file, w, "missing or duplicate SPDXID; renamed");
      c.bom_ref = "SPDXRef-waybill-" + std::to_string(i);
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

  i = 0;
  for (const json& r : jsonin::arr(root, "relationships")) {
    std::string w = "relationships[" + std::to_string(i++) + "]";
    std::string a = jsonin::str(r, "spdxElementId");
    std::string b = jsonin::str(r, "relatedSpdxElement");
    std::string t = rel_type(jsonin::str(r, "relationshipType"));
    if (!kept.count(a) || !kept.count(b)) continue;  // files, the document, the skipped target
    if (t == "DEPENDS_ON") sbom.relationships.push_back({a, b, "depends-on"});
    if (t == "DEPENDENCY_OF") sbom.relationships.push_back({b, a, "depends-on"});
    if (t == "CONTAINS") sbom.relationships.push_back({a, b, "contains"});
    if (t == "CONTAINED_BY") sbom.relationships.push_back({b, a, "contains"});
  }
  return sbom;
}

}  // namespace waybill::sbom::inputdetail
