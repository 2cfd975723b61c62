// SBOM input: format detection, file reading, purl-derived facts and helpers shared by the
// readers.
#include "sbom/input/input.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "sbom/input/internal.h"
#include "vuln/vex/purl.h"

namespace waybill::sbom {

namespace inputdetail {

void warn(model::Sbom& sbom, std::string_view format, std::string_view file, std::string_view where,
          std::string message) {
  if (sbom.diagnostics.size() >= 1000) return;
  Diagnostic d;
  d.severity = Severity::warning;
  d.code = Errc::corrupt;
  d.source = "sbom-input/" + std::string(format);
  d.file = std::string(file);
  d.message = where.empty() ? std::move(message) : std::string(where) + ": " + message;
  sbom.diagnostics.push_back(std::move(d));
}

void apply_property(model::Component& c, const std::string& name, const std::string& value) {
  if (name.rfind("waybill:", 0) != 0) {
    c.properties[name] = value;
    return;
  }
  std::string_view k = std::string_view(name).substr(8);
  if (k == "package_version") {
    c.package_version = value;
  } else if (k == "ecosystem") {
    c.ecosystem = value;
  } else if (k == "source_package") {
    c.source_package = value;
  } else if (k == "upstream_name") {
    c.upstream_name = value;
  } else if (k == "distro") {
    c.distro = value;
  } else if (k == "arch") {
    c.arch = value;
  } else if (k == "homepage") {
    c.homepage = value;
  } else if (k == "cpe") {
    if (std::find(c.cpes.begin(), c.cpes.end(), value) == c.cpes.end()) c.cpes.push_back(value);
  } else if (k == "note") {
    c.notes.push_back(value);
  } else if (k == "depends") {
    c.depends.push_back(value);
  } else if (k == "file") {
    // "<sha256>  <location>" (sha256sum layout; "-" when unknown).
    auto sp = value.find("  ");
    model::FileHash f;
    if (sp != std::string::npos) {
      f.sha256 = value.substr(0, sp) == "-" ? "" : value.substr(0, sp);
      f.path = value.substr(sp + 2);
    } else {
      f.path = value;
    }
    c.files.push_back(std::move(f));
  } else {
    c.properties[name] = value;
  }
}

void add_hash(model::Component& c, std::string_view alg, std::string_view value) {
  std::string a;
  for (char ch : alg)
    if (ch != '-' && ch != '_' && ch != ' ')
      a += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (value.empty()) return;
  if (a == "SHA256") {
    std::string v(value);
    for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const auto& f : c.files)
      if (f.sha256 == v) return;
    model::FileHash f;
    f.sha256 = std::move(v);
    c.files.push_back(std::move(f));
  } else {
    c.properties["hash:" + std::string(alg)] = std::string(value);
  }
}

void finish_component(model::Component& c, std::string_view format, std::string_view file,
                      std::string_view where) {
  model::Evidence e;
  e.method = "sbom/" + std::string(format);
  e.source = "sbom-input";
  e.path = std::string(file);
  e.version = c.version;
  e.confidence = 0.9;  // the supplier's own statement
  e.detail = std::string(where);
  if (!c.bom_ref.empty()) e.detail += (e.detail.empty() ? "" : " ") + ("bom-ref " + c.bom_ref);
  c.evidence.push_back(std::move(e));
  c.confidence = 0.9;
  derive_from_purl(c);
  if (c.upstream_name.empty()) c.upstream_name = c.name;
  std::vector<std::string> cpes;
  for (auto& x : c.cpes)
    if (!x.empty() && std::find(cpes.begin(), cpes.end(), x) == cpes.end()) cpes.push_back(x);
  c.cpes = std::move(cpes);
  std::vector<std::string> lic;
  for (auto& x : c.licenses)
    if (!x.empty() && std::find(lic.begin(), lic.end(), x) == lic.end()) lic.push_back(x);
  c.licenses = std::move(lic);
}

std::string spdx_agent_name(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  if (s == "NOASSERTION" || s == "NONE" || s.empty()) return {};
  for (std::string_view p : {"Organization:", "Person:", "Tool:"}) {
    if (s.substr(0, p.size()) == p) {
      s.remove_prefix(p.size());
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      break;
    }
  }
  return std::string(s);
}

std::string spdx_license(std::string_view s) {
  if (s == "NOASSERTION" || s == "NONE") return {};
  return std::string(s);
}

}  // namespace inputdetail

using namespace inputdetail;

std::string upstream_version(std::string_view eco, std::string_view v) {
  std::string_view out = v;
  if (eco == "deb" || eco == "opkg") {
    auto colon = out.find(':');
    if (colon != std::string_view::npos &&
        std::all_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(colon),
                    [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
      out.remove_prefix(colon + 1);
    if (auto dash = out.rfind('-'); dash != std::string_view::npos && dash > 0)
      out = out.substr(0, dash);
  } else if (eco == "apk") {
    if (auto r = out.rfind("-r");
        r != std::string_view::npos && r > 0 && r + 2 < out.size() &&
        std::all_of(out.begin() + static_cast<std::ptrdiff_t>(r + 2), out.end(),
                    [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
      out = out.substr(0, r);
  } else if (eco == "rpm" || eco == "alpm") {
    auto colon = out.find(':');
    if (colon != std::string_view::npos) out.remove_prefix(colon + 1);
    if (auto dash = out.rfind('-'); dash != std::string_view::npos && dash > 0)
      out = out.substr(0, dash);
  }
  return std::string(out);
}

void derive_from_purl(model::Component& c) {
  if (c.purl.empty()) return;
  auto p = purl::parse_purl(c.purl);
  if (!p) return;
  std::string eco = p->type == "openwrt" ? "opkg" : p->type;
  if (c.ecosystem.empty()) c.ecosystem = eco;
  if (c.arch.empty()) c.arch = p->qualifier("arch");
  if (c.distro.empty()) {
    c.distro = p->qualifier("distro");
    if (c.distro.empty() && (eco == "deb" || eco == "apk" || eco == "rpm" || eco == "alpm"))
      c.distro = p->ns;
  }
  if (c.source_package.empty()) {
    std::string up = p->qualifier("upstream");
    if (auto at = up.find('@'); at != std::string::npos) up.resize(at);
    c.source_package = up;
  }
  if (c.name.empty()) c.name = p->name;
  bool distro_pkg = c.ecosystem == "deb" || c.ecosystem == "apk" || c.ecosystem == "rpm" ||
                    c.ecosystem == "opkg" || c.ecosystem == "alpm";
  if (!distro_pkg) {
    if (c.version.empty()) c.version = p->version;
    return;
  }
  if (c.package_version.empty()) {
    // The SBOM's version field usually holds the full package version too.
    c.package_version = !p->version.empty() ? p->version : c.version;
    std::string epoch = p->qualifier("epoch");  // rpm purls carry the epoch as a qualifier
    if (!epoch.empty() && c.package_version.find(':') == std::string::npos)
      c.package_version = epoch + ":" + c.package_version;
  }
  if (c.version.empty() || c.version == c.package_version || c.version == p->version)
    c.version = upstream_version(c.ecosystem, c.package_version);
}

std::string sbom_format(ByteView head) {
  std::string_view s = head.str();
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i >= s.size()) return {};
  if (s[i] == '{') {
    if (s.find("\"bomFormat\"") != std::string_view::npos &&
        s.find("CycloneDX") != std::string_view::npos)
      return "cyclonedx-json";
    if (s.find("\"spdxVersion\"") != std::string_view::npos) return "spdx-json";
    if (s.find("spdx.org/rdf/3") != std::string_view::npos ||
        s.find("spdx.org/v3") != std::string_view::npos)
      return "spdx3-json";
    return {};
  }
  if (s[i] == '<') {
    if (s.find("cyclonedx.org/schema/bom") != std::string_view::npos) return "cyclonedx-xml";
    return {};
  }
  // Tag-value: "SPDXVersion: SPDX-2.x" on one of the first lines (comments may precede it).
  if (auto pos = s.find("SPDXVersion:");
      pos != std::string_view::npos && pos < 4096 && (pos == i || s[pos - 1] == '\n'))
    return "spdx-tag-value";
  return {};
}

bool looks_like_sbom(ByteView head) {
  std::string f = sbom_format(head);
  return !f.empty() && f != "spdx3-json";
}

Result<model::Sbom> parse_sbom(std::string_view name, std::string_view text) {
  std::string who(name);
  if (text.size() > kMaxSbomBytes)
    return Error(Errc::limit_exceeded, who + ": SBOM is larger than the limit of " +
                                           std::to_string(kMaxSbomBytes) + " bytes");
  std::string f = sbom_format(ByteView(text.substr(0, 1u << 20)));
  if (f == "cyclonedx-json") return read_cyclonedx_json(name, text);
  if (f == "cyclonedx-xml") return read_cyclonedx_xml(name, text);
  if (f == "spdx-json") return read_spdx_json(name, text);
  if (f == "spdx-tag-value") return read_spdx_tag_value(name, text);
  if (f == "spdx3-json")
    return Error(Errc::unsupported,
                 who +
                     ": SPDX 3.0 (JSON-LD) is not supported; SPDX 2.x JSON or tag-value and "
                     "CycloneDX JSON/XML are");
  return Error(Errc::not_this_format,
               who + ": not an SBOM: expected CycloneDX JSON/XML or SPDX 2.x JSON/tag-value");
}

Result<model::Sbom> read_sbom(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(Errc::io, path + ": cannot read SBOM: " + ec.message());
  if (size > kMaxSbomBytes)
    return Error(Errc::limit_exceeded, path + ": SBOM is " + std::to_string(size) +
                                           " bytes, more than the limit of " +
                                           std::to_string(kMaxSbomBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, path + ": cannot open SBOM");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_sbom(path, text);
}

}  // namespace waybill::sbom
