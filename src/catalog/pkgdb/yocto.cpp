// pkgdb/yocto: Yocto / OpenEmbedded image manifests ("<image>.manifest", one "pkg arch version"
// line per installed package). The opkg database of Yocto images is read by pkgdb/opkg.
#include <array>

#include "catalog/catalogers.h"
#include "catalog/pkgdb/deb822.h"
#include "catalog/pkgdb/pkg_common.h"

namespace waybill::catalog {

namespace {

constexpr std::string_view kId = "pkgdb/yocto";
constexpr std::array<std::string_view, 1> kWants = {"**/*.manifest"};

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '+' || c == '.' || c == '_' || c == ':' || c == '~';
}

bool token_ok(std::string_view t) {
  if (t.empty() || t.size() > 256) return false;
  for (char c : t)
    if (!name_char(c)) return false;
  return true;
}

// "1:1.36.1-r0.2" -> "1.36.1": epoch and the recipe revision (PR) removed.
std::string yocto_upstream(std::string_view v) {
  if (auto colon = v.find(':'); colon != std::string_view::npos) v = v.substr(colon + 1);
  auto p = v.rfind("-r");
  if (p != std::string_view::npos && p + 2 < v.size()) {
    bool digits = true;
    for (char c : v.substr(p + 2)) digits = digits && ((c >= '0' && c <= '9') || c == '.');
    if (digits) v = v.substr(0, p);
  }
  return std::string(v);
}

struct Line {
  std::string_view tok[3];
  std::uint32_t line;
  std::uint64_t offset;
};

class YoctoCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const std::string_view> wants() const override { return kWants; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    for (const FileRecord* f : pkgdb::matching_files(index, kWants)) {
      std::vector<Line> good;
      std::vector<std::uint32_t> bad;
      deb822::for_each_line(
          f->content, [&](std::string_view l, std::uint32_t n, std::uint64_t off) {
            l = deb822::trim(l);
            if (l.empty() || good.size() + bad.size() > 100000) return;
            Line x{{}, n, off};
            int k = 0;
            bool ok = true;
            for (std::size_t i = 0; i < l.size() && ok;) {
              std::size_t e = l.find_first_of(" \t", i);
              if (e == std::string_view::npos) e = l.size();
              if (e > i) {
                if (k == 3)
                  ok = false;
                else
                  x.tok[k++] = l.substr(i, e - i);
              }
              i = e + 1;
            }
            ok = ok && k == 3 && token_ok(x.tok[0]) && token_ok(x.tok[1]) && token_ok(x.tok[2]);
            if (ok)
              good.push_back(x);
            else
              bad.push_back(n);
          });
      // "*.manifest" also matches unrelated files (XML application manifests ...): only a file
      // that is mostly "pkg arch version" lines is a Yocto manifest.
      if (good.empty() || bad.size() * 4 > good.size()) continue;
      for (std::size_t i = 0; i < bad.size() && i < 10; ++i)
        out.diagnostics.add(
            Severity::warning, Errc::corrupt, std::string(kId), f->root + f->path, std::nullopt,
            "line " + std::to_string(bad[i]) + ": not a 'package arch version' line");
      for (const auto& l : good) out.components.push_back(component(*f, l));
    }
  }

 private:
  static model::Component component(const FileRecord& f, const Line& l) {
    model::Component c;
    c.name = std::string(l.tok[0]);
    c.arch = std::string(l.tok[1]);
    c.package_version = std::string(l.tok[2]);
    c.version = yocto_upstream(c.package_version);
    c.ecosystem = "yocto";
    c.source_package = c.name;
    c.upstream_name = c.name;
    c.purl = pkgdb::make_purl("generic", "", c.name, c.package_version, {{"arch", c.arch}});
    pkgdb::enrich_from_component_db(c, {c.name});
    model::Evidence e;
    e.method = "build-manifest/yocto";
    e.source = std::string(kId);
    e.path = f.path;
    e.root = f.root;
    e.offset = l.offset;
    e.matched = c.name + " " + c.arch + " " + c.package_version;
    e.version = c.version;
    e.confidence = 0.85;
    e.detail = "line " + std::to_string(l.line);
    c.evidence.push_back(std::move(e));
    c.confidence = 0.85;
    return c;
  }

  Descriptor desc_{kId, "Yocto/OpenEmbedded image manifest (*.manifest)"};
};

}  // namespace

std::unique_ptr<Cataloger> make_yocto_cataloger() {
  return std::make_unique<YoctoCataloger>();
}

}  // namespace waybill::catalog
