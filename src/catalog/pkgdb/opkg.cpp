// pkgdb/opkg: OpenWrt / Yocto opkg database (status + info/<pkg>.control and info/<pkg>.list).
#include <algorithm>
#include <array>
#include <set>

#include "catalog/catalogers.h"
#include "catalog/os/os_release.h"
#include "catalog/pkgdb/deb822.h"
#include "catalog/pkgdb/deb_version.h"
#include "catalog/pkgdb/licenses.h"
#include "catalog/pkgdb/pkg_common.h"

namespace waybill::catalog {

namespace {

constexpr std::string_view kId = "pkgdb/opkg";
constexpr std::string_view kMethod = "package-db/opkg";

constexpr std::array<std::string_view, 2> kDbGlobs = {"/usr/lib/opkg/status",
                                                      "/var/lib/opkg/status"};
constexpr std::array<std::string_view, 10> kWants = {
    "/usr/lib/opkg/status",      "/var/lib/opkg/status",         "/usr/lib/opkg/info/*.control",
    "/usr/lib/opkg/info/*.list", "/var/lib/opkg/info/*.control", "/var/lib/opkg/info/*.list",
    "/etc/os-release",           "/usr/lib/os-release",          "/etc/openwrt_release",
    "/etc/debian_version"};

class OpkgCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const std::string_view> wants() const override { return kWants; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    std::set<std::string> seen;
    for (const FileRecord* f : pkgdb::matching_files(index, kDbGlobs)) {
      auto doc = deb822::parse(f->content);
      pkgdb::report_problems(doc, kId, *f, out.diagnostics);
      std::string distro;
      if (auto rel = os::read_os_release(index, f->root); rel && !rel->os.id.empty())
        distro = rel->os.version_id.empty() ? rel->os.id : rel->os.id + "-" + rel->os.version_id;
      std::string info = f->path.substr(0, f->path.rfind('/')) + "/info/";
      for (const auto& st : doc.stanzas) {
        std::string_view name = deb822::trim(st.get("Package"));
        if (name.empty()) {
          out.diagnostics.add(Severity::warning, Errc::corrupt, std::string(kId), f->root + f->path,
                              st.offset,
                              "line " + std::to_string(st.line) + ": stanza without Package");
          continue;
        }
        if (st.has("Status") && !pkgdb::installed_status(st.get("Status"))) continue;
        // The same package may be listed by both /usr/lib and /var/lib databases (symlinked).
        if (!seen.insert(f->root + "\n" + std::string(name)).second) continue;
        out.components.push_back(component(index, *f, st, info, distro, out.diagnostics));
      }
    }
  }

 private:
  static model::Component component(const FileIndex& index, const FileRecord& db,
                                    const deb822::Stanza& st, const std::string& info,
                                    const std::string& distro, Diagnostics& diags) {
    model::Component c;
    c.name = std::string(deb822::trim(st.get("Package")));
    // info/<pkg>.control has the fields the status file leaves out (Maintainer, License ...).
    deb822::Document control;
    if (const std::string* t = pkgdb::retained_text(index, db.root, info + c.name + ".control")) {
      deb822::Options o;
      o.max_stanzas = 1;
      control = deb822::parse(*t, o);
    }
    auto field = [&](std::string_view k) -> std::string {
      std::string_view v = st.get(k);
      if (v.empty() && !control.stanzas.empty()) v = control.stanzas.front().get(k);
      return std::string(deb822::trim(v));
    };
    c.package_version = field("Version");
    c.arch = field("Architecture");
    c.ecosystem = "opkg";
    c.distro = distro;
    if (c.package_version.empty())
      diags.add(Severity::warning, Errc::corrupt, std::string(kId), db.root + db.path, st.offset,
                "line " + std::to_string(st.line) + ": package " + c.name + " has no Version");
    // OpenWrt versions are "<upstream>-<release>"; Debian-derived ones may carry an epoch.
    c.version = c.package_version.empty() ? "" : upstream_version(c.package_version);
    std::string source_name = field("SourceName");
    std::string source = field("Source");
    if (source_name.empty() && !source.empty()) {  // OpenWrt: "feeds/packages/net/foo"
      std::string s = pkgdb::split_source_field(source).first;
      source_name = s.substr(s.rfind('/') + 1);
    }
    c.source_package = source_name.empty() ? c.name : source_name;
    c.upstream_name = c.source_package;
    c.supplier = field("Maintainer");
    c.description = std::string(deb822::first_line(field("Description")));
    c.homepage = field("Homepage");
    if (c.homepage.empty()) c.homepage = field("URL");
    for (auto& d : pkgdb::depends_names(field("Depends"))) c.depends.push_back(d);
    std::string lic = field("License");
    if (!lic.empty()) {
      c.licenses = split_licenses(lic);
      c.properties["waybill:license-source"] = "opkg:License";
    }
    c.purl = pkgdb::make_purl("openwrt", "", c.name, c.package_version, {{"arch", c.arch}});

    std::vector<std::string> paths;
    if (const std::string* t = pkgdb::retained_text(index, db.root, info + c.name + ".list"))
      paths = pkgdb::list_file_paths(*t);
    c.files = pkgdb::owned_files(index, db.root, paths);
    pkgdb::enrich_from_component_db(c, {c.name, c.source_package});
    c.evidence.push_back(pkgdb::db_evidence(kMethod, kId, db, st, c.name, c.version));
    c.confidence = c.evidence.back().confidence;
    return c;
  }

  Descriptor desc_{kId, "OpenWrt/Yocto opkg database (status, info/*.control, info/*.list)"};
};

}  // namespace

std::unique_ptr<Cataloger> make_opkg_cataloger() {
  return std::make_unique<OpkgCataloger>();
}

}  // namespace waybill::catalog
