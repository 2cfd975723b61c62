// os/os-release: the operating system of each extracted root.
#include "catalog/os/os_release.h"

#include <array>

#include "catalog/cataloger.h"
#include "catalog/catalogers.h"
#include "catalog/component_db.h"
#include "catalog/pkgdb/deb822.h"

namespace waybill::catalog::os {

namespace {

constexpr std::size_t kMaxKeys = 256, kMaxValue = 4096;

std::string unquote(std::string_view v) {
  std::string out;
  char q = 0;
  for (std::size_t i = 0; i < v.size() && out.size() < kMaxValue; ++i) {
    char c = v[i];
    if (q == 0 && (c == '"' || c == '\'')) {
      q = c;
    } else if (q != 0 && c == q) {
      q = 0;
    } else if (q != '\'' && c == '\\' && i + 1 < v.size()) {
      out.push_back(v[++i]);
    } else if (q == 0 && (c == ' ' || c == '\t' || c == '#')) {
      break;  // unquoted value ends at whitespace or a comment
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view text_of(const FileIndex& index, std::string_view root, std::string_view path,
                         std::string& found_path) {
  const FileRecord* r = index.lookup(root, path);
  if (!r || !r->retained || r->type != unpack::EntryType::file) return {};
  found_path = std::string(path);
  return r->content;
}

std::string get(const std::vector<std::pair<std::string, std::string>>& kv, std::string_view k) {
  for (const auto& [key, val] : kv)
    if (key == k) return val;
  return {};
}

std::string debian_version_id(std::string_view v) {
  v = deb822::trim(deb822::first_line(v));
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kCodenames = {
      {{"stretch", "9"},
       {"buster", "10"},
       {"bullseye", "11"},
       {"bookworm", "12"},
       {"trixie", "13"},
       {"forky", "14"}}};
  for (auto [name, num] : kCodenames)
    if (v.substr(0, name.size()) == name) return std::string(num);
  std::string major;
  for (char c : v) {
    if (c < '0' || c > '9') break;
    major.push_back(c);
  }
  return major;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_os_release(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  deb822::for_each_line(text, [&](std::string_view l, std::uint32_t, std::uint64_t) {
    if (out.size() >= kMaxKeys) return;
    l = deb822::trim(l);
    if (l.empty() || l[0] == '#') return;
    if (l.substr(0, 7) == "export ") l = deb822::trim(l.substr(7));
    auto eq = l.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq > 64) return;
    std::string_view key = l.substr(0, eq);
    for (char c : key)
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
        return;
    out.emplace_back(std::string(key), unquote(l.substr(eq + 1)));
  });
  return out;
}

std::optional<OsRelease> read_os_release(const FileIndex& index, std::string_view root) {
  OsRelease r;
  std::string path;
  std::string_view text = text_of(index, root, "/etc/os-release", path);
  if (text.empty()) text = text_of(index, root, "/usr/lib/os-release", path);
  if (!text.empty()) {
    auto kv = parse_os_release(text);
    r.os.id = get(kv, "ID");
    r.os.name = get(kv, "NAME");
    r.os.version_id = get(kv, "VERSION_ID");
    r.os.version = get(kv, "VERSION");
    r.os.pretty_name = get(kv, "PRETTY_NAME");
    r.os.id_like = get(kv, "ID_LIKE");
    r.cpe_name = get(kv, "CPE_NAME");
    r.os.path = path;
    deb822::for_each_line(text, [&](std::string_view l, std::uint32_t n, std::uint64_t) {
      if (r.line == 0 && deb822::trim(l).substr(0, 3) == "ID=") r.line = n;
    });
    if (!r.os.id.empty() || !r.os.name.empty()) return r;
  }
  text = text_of(index, root, "/etc/openwrt_release", path);
  if (!text.empty()) {
    auto kv = parse_os_release(text);
    std::string id = get(kv, "DISTRIB_ID");
    for (char& c : id)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    r.os.id = id.empty() ? "openwrt" : id;
    r.os.name = get(kv, "DISTRIB_ID");
    r.os.version_id = get(kv, "DISTRIB_RELEASE");
    r.os.version = get(kv, "DISTRIB_REVISION");
    r.os.pretty_name = get(kv, "DISTRIB_DESCRIPTION");
    r.os.path = path;
    r.line = 1;
    return r;
  }
  text = text_of(index, root, "/etc/alpine-release", path);
  if (!text.empty()) {
    r.os.id = "alpine";
    r.os.name = "Alpine Linux";
    r.os.version_id = std::string(deb822::trim(deb822::first_line(text.substr(0, 64))));
    r.os.path = path;
    r.line = 1;
    return r;
  }
  text = text_of(index, root, "/etc/debian_version", path);
  if (!text.empty()) {
    r.os.id = "debian";
    r.os.name = "Debian GNU/Linux";
    r.os.version_id = debian_version_id(text.substr(0, 64));
    r.os.version = std::string(deb822::trim(deb822::first_line(text.substr(0, 64))));
    r.os.path = path;
    r.line = 1;
    return r;
  }
  return std::nullopt;
}

namespace {

// Vendor:product of well-known distributions for the operating-system component's CPE.
std::string os_cpe(const OsRelease& r, std::string_view version) {
  std::string_view cpe = r.cpe_name;
  if (cpe.substr(0, 7) == "cpe:2.3") return std::string(cpe);
  if (cpe.substr(0, 7) == "cpe:/o:") {  // CPE 2.2 URI: cpe:/o:vendor:product:version
    std::string_view rest = cpe.substr(7);
    auto c1 = rest.find(':');
    if (c1 != std::string_view::npos) {
      auto c2 = rest.find(':', c1 + 1);
      std::string_view vp = rest.substr(0, c2);
      std::string_view ver = c2 == std::string_view::npos ? version : rest.substr(c2 + 1);
      return make_cpe23(vp, ver.substr(0, ver.find(':')), "o");
    }
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kKnown = {
      {{"debian", "debian:debian_linux"},
       {"ubuntu", "canonical:ubuntu_linux"},
       {"openwrt", "openwrt:openwrt"},
       {"alpine", "alpinelinux:alpine_linux"},
       {"buildroot", "buildroot:buildroot"}}};
  for (auto [id, vp] : kKnown)
    if (r.os.id == id) return make_cpe23(vp, version, "o");
  return {};
}

class OsReleaseCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const std::string_view> wants() const override { return kOsReleasePaths; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    for (const auto& root : index.roots()) {
      auto r = read_os_release(index, root);
      if (!r) continue;
      if (r->os.id.empty()) {
        out.diagnostics.add(Severity::warning, Errc::corrupt, "os/os-release", root + r->os.path,
                            std::nullopt, "os-release without ID=; operating system not named");
        continue;
      }
      out.operating_systems.push_back(r->os);
      model::Component c;
      c.type = "operating-system";
      c.name = r->os.id;
      c.version = !r->os.version_id.empty() ? r->os.version_id : r->os.version;
      c.description = r->os.pretty_name.empty() ? r->os.name : r->os.pretty_name;
      c.upstream_name = r->os.id;
      std::string cpe = os_cpe(*r, c.version);
      if (!cpe.empty()) c.cpes.push_back(cpe);
      if (!r->os.id_like.empty()) c.properties["waybill:os:id_like"] = r->os.id_like;
      model::Evidence e;
      e.method = "os-release";
      e.source = "os/os-release";
      e.path = r->os.path;
      e.root = root;
      e.version = c.version;
      e.confidence = 0.9;
      e.detail = "ID=" + r->os.id + " (line " + std::to_string(r->line) + ")";
      c.evidence.push_back(std::move(e));
      c.confidence = 0.9;
      out.components.push_back(std::move(c));
    }
  }

 private:
  Descriptor desc_{"os/os-release", "operating system from /etc/os-release and release files"};
};

}  // namespace

}  // namespace waybill::catalog::os

namespace waybill::catalog {
std::unique_ptr<Cataloger> make_os_release_cataloger() {
  return std::make_unique<os::OsReleaseCataloger>();
}
}  // namespace waybill::catalog
