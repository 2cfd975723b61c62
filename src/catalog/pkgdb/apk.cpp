// pkgdb/apk: Alpine's installed database (/lib/apk/db/installed): one stanza per package with
// single-letter keys (P name, V version, A arch, L licence, o origin, m maintainer, U url,
// D depends, F directory + R file lines, Z file checksum).
#include <algorithm>
#include <array>

#include "catalog/catalogers.h"
#include "catalog/os/os_release.h"
#include "catalog/pkgdb/deb822.h"
#include "catalog/pkgdb/licenses.h"
#include "catalog/pkgdb/pkg_common.h"

namespace waybill::catalog {

namespace {

constexpr std::string_view kId = "pkgdb/apk";
constexpr std::string_view kMethod = "package-db/apk";
constexpr std::array<std::string_view, 2> kDbGlobs = {"/lib/apk/db/installed",
                                                      "/usr/lib/apk/db/installed"};
constexpr std::array<std::string_view, 5> kWants = {"/lib/apk/db/installed",
                                                    "/usr/lib/apk/db/installed", "/etc/os-release",
                                                    "/usr/lib/os-release", "/etc/alpine-release"};

// "1.36.1-r5" -> "1.36.1"
std::string apk_upstream(std::string_view v) {
  auto p = v.rfind("-r");
  if (p == std::string_view::npos || p + 2 >= v.size()) return std::string(v);
  for (char c : v.substr(p + 2))
    if (c < '0' || c > '9') return std::string(v);
  return std::string(v.substr(0, p));
}

// "so:libc.musl-x86_64.so.1 busybox>=1.36 !foo" -> {"busybox"}: virtual and conflict entries
// are left out.
std::vector<std::string> apk_depends(std::string_view d) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < d.size() && out.size() < 1024) {
    std::size_t e = d.find(' ', i);
    if (e == std::string_view::npos) e = d.size();
    std::string_view tok = d.substr(i, e - i);
    i = e + 1;
    if (tok.empty() || tok[0] == '!' || tok.find(':') != std::string_view::npos) continue;
    tok = tok.substr(0, tok.find_first_of("<>=~"));
    if (!tok.empty() && std::find(out.begin(), out.end(), tok) == out.end()) out.emplace_back(tok);
  }
  return out;
}

class ApkCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const std::string_view> wants() const override { return kWants; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    deb822::Options o;
    o.report_duplicates = false;  // F:/R:/Z: repeat by design
    o.allow_comments = false;
    o.max_fields = 1u << 20;
    for (const FileRecord* f : pkgdb::matching_files(index, kDbGlobs)) {
      auto doc = deb822::parse(f->content, o);
      pkgdb::report_problems(doc, kId, *f, out.diagnostics);
      std::string distro;
      if (auto rel = os::read_os_release(index, f->root);
          rel && rel->os.id == "alpine" && !rel->os.version_id.empty())
        distro = "alpine-" + rel->os.version_id;  // as syft writes it: "alpine-3.19.1"
      for (const auto& st : doc.stanzas) {
        if (st.get("P").empty()) {
          out.diagnostics.add(Severity::warning, Errc::corrupt, std::string(kId), f->root + f->path,
                              st.offset,
                              "line " + std::to_string(st.line) + ": stanza without P: (name)");
          continue;
        }
        out.components.push_back(component(index, *f, st, distro, out.diagnostics));
      }
    }
  }

 private:
  static model::Component component(const FileIndex& index, const FileRecord& db,
                                    const deb822::Stanza& st, const std::string& distro,
                                    Diagnostics& diags) {
    model::Component c;
    c.name = std::string(st.get("P"));
    c.package_version = std::string(st.get("V"));
    if (c.package_version.empty())
      diags.add(Severity::warning, Errc::corrupt, std::string(kId), db.root + db.path, st.offset,
                "line " + std::to_string(st.line) + ": package " + c.name + " has no V:");
    c.version = apk_upstream(c.package_version);
    c.arch = std::string(st.get("A"));
    c.ecosystem = "apk";
    c.distro = distro;
    c.source_package = st.has("o") ? std::string(st.get("o")) : c.name;
    c.upstream_name = c.source_package;
    c.supplier = std::string(st.get("m"));
    c.description = std::string(st.get("T"));
    c.homepage = std::string(st.get("U"));
    c.depends = apk_depends(st.get("D"));
    if (st.has("L")) {
      c.licenses = split_licenses(st.get("L"));
      c.properties["waybill:license-source"] = "apk:L";
    }
    if (st.has("C")) c.properties["waybill:apk:checksum"] = std::string(st.get("C"));
    c.purl = pkgdb::make_purl("apk", "alpine", c.name, c.package_version,
                              {{"arch", c.arch}, {"distro", distro}});
    std::vector<std::string> paths;
    std::string dir;
    for (const auto& fl : st.fields) {
      if (fl.name == "F")
        dir = fl.value;
      else if (fl.name == "R" && !fl.value.empty())
        paths.push_back("/" + (dir.empty() ? fl.value : dir + "/" + fl.value));
    }
    c.files = pkgdb::owned_files(index, db.root, paths);
    pkgdb::enrich_from_component_db(c, {c.name, c.source_package});
    c.evidence.push_back(pkgdb::db_evidence(kMethod, kId, db, st, c.name, c.version));
    c.evidence.back().matched = "P:" + c.name;
    c.evidence.back().detail = "P:" + c.name + " (line " + std::to_string(st.line) + ")";
    c.confidence = c.evidence.back().confidence;
    return c;
  }

  Descriptor desc_{kId, "Alpine apk installed database (/lib/apk/db/installed)"};
};

}  // namespace

std::unique_ptr<Cataloger> make_apk_cataloger() {
  return std::make_unique<ApkCataloger>();
}

}  // namespace waybill::catalog
