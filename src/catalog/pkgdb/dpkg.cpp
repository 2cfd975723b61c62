// pkgdb/dpkg: Debian's package database (/var/lib/dpkg/status, distroless status.d/*), the files
// each package owns (info/<pkg>[:<arch>].list, .md5sums) and the licences in its copyright file.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "catalog/catalogers.h"
#include "catalog/pkgdb/deb822.h"
#include "catalog/pkgdb/deb_version.h"
#include "catalog/pkgdb/licenses.h"
#include "catalog/pkgdb/pkg_common.h"

namespace waybill::catalog {

namespace {

constexpr std::string_view kId = "pkgdb/dpkg";
constexpr std::string_view kMethod = "package-db/dpkg";

constexpr std::array<std::string_view, 2> kDbGlobs = {"/var/lib/dpkg/status",
                                                      "/var/lib/dpkg/status.d/*"};

constexpr std::array<std::string_view, 8> kWants = {
    "/var/lib/dpkg/status",         "/var/lib/dpkg/status.d/*",   "/var/lib/dpkg/info/*.list",
    "/var/lib/dpkg/info/*.md5sums", "/usr/share/doc/*/copyright", "/etc/os-release",
    "/usr/lib/os-release",          "/etc/debian_version"};

std::string dir_of(std::string_view p) {
  return std::string(p.substr(0, p.rfind('/')));
}

struct Pkg {
  const FileRecord* db;
  const deb822::Stanza* st;
};

class DpkgCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const std::string_view> wants() const override { return kWants; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    // Parsed documents must outlive the Pkg pointers into them.
    std::vector<std::pair<const FileRecord*, deb822::Document>> docs;
    for (const FileRecord* f : pkgdb::matching_files(index, kDbGlobs)) {
      if (f->path.size() > 8 && f->path.ends_with(".md5sums")) continue;  // status.d/<pkg>.md5sums
      docs.emplace_back(f, deb822::parse(f->content));
      pkgdb::report_problems(docs.back().second, kId, *f, out.diagnostics);
    }
    std::map<std::string, std::vector<Pkg>> by_root;
    for (const auto& [f, doc] : docs) {
      bool status_d = f->path.find("/status.d/") != std::string::npos;
      for (const auto& st : doc.stanzas) {
        std::string_view name = deb822::trim(st.get("Package"));
        auto where = f->root + f->path;
        if (name.empty()) {
          out.diagnostics.add(Severity::warning, Errc::corrupt, std::string(kId), where, st.offset,
                              "line " + std::to_string(st.line) + ": stanza without Package");
          continue;
        }
        const deb822::Field* status = st.find("Status");
        if (status && !pkgdb::installed_status(deb822::trim(status->value))) continue;
        if (!status && !status_d)
          out.diagnostics.add(Severity::info, Errc::corrupt, std::string(kId), where, st.offset,
                              "line " + std::to_string(st.line) + ": package " + std::string(name) +
                                  " has no Status; assumed installed");
        by_root[f->root].push_back({f, &st});
      }
    }
    for (const auto& [root, pkgs] : by_root) {
      std::vector<std::string> versions;
      for (const auto& p : pkgs) versions.emplace_back(p.st->get("Version"));
      pkgdb::Distro distro = pkgdb::debian_distro(index, root, versions);
      std::set<std::string> seen;
      for (const auto& p : pkgs) {
        std::string key = std::string(p.st->get("Package")) + ":" +
                          std::string(p.st->get("Architecture")) + "=" +
                          std::string(p.st->get("Version"));
        if (!seen.insert(key).second) continue;
        out.components.push_back(component(index, p, distro, out.diagnostics));
      }
    }
  }

 private:
  static model::Component component(const FileIndex& index, const Pkg& p,
                                    const pkgdb::Distro& distro, Diagnostics& diags) {
    const deb822::Stanza& st = *p.st;
    model::Component c;
    c.name = std::string(deb822::trim(st.get("Package")));
    c.package_version = std::string(deb822::trim(st.get("Version")));
    c.arch = std::string(deb822::trim(st.get("Architecture")));
    c.ecosystem = "deb";
    c.distro = distro.qualifier();
    auto where = p.db->root + p.db->path;
    if (c.package_version.empty()) {
      diags.add(Severity::warning, Errc::corrupt, std::string(kId), where, st.offset,
                "line " + std::to_string(st.line) + ": package " + c.name + " has no Version");
    } else if (!parse_deb_version(c.package_version)) {
      diags.add(Severity::warning, Errc::corrupt, std::string(kId), where, st.offset,
                "line " + std::to_string(st.line) + ": package " + c.name +
                    " has an invalid Version '" + c.package_version + "'");
    }
    c.version = c.package_version.empty() ? "" : upstream_version(c.package_version);
    auto [src, src_ver] = pkgdb::split_source_field(st.get("Source"));
    c.source_package = src.empty() ? c.name : src;
    if (!src_ver.empty()) c.properties["waybill:deb:source_version"] = src_ver;
    c.upstream_name = c.source_package;
    c.supplier = std::string(deb822::trim(st.get("Maintainer")));
    c.description = std::string(deb822::first_line(st.get("Description")));
    c.homepage = std::string(deb822::trim(st.get("Homepage")));
    for (auto field : {"Pre-Depends", "Depends"})
      for (auto& d : pkgdb::depends_names(st.get(field)))
        if (std::find(c.depends.begin(), c.depends.end(), d) == c.depends.end())
          c.depends.push_back(d);
    std::vector<std::pair<std::string, std::string>> q = {{"arch", c.arch}};
    if (!distro.qualifier().empty()) q.emplace_back("distro", distro.qualifier());
    c.purl = pkgdb::make_purl("deb", distro.id, c.name, c.package_version, std::move(q));
    if (!distro.source.empty() && distro.source.find('/') != 0)
      c.properties["waybill:distro_inferred_from"] = distro.source;

    // Files: info/<pkg>:<arch>.list (Multi-Arch: same) or info/<pkg>.list, else .md5sums.
    std::string info = dir_of(p.db->path);
    if (p.db->path.find("/status.d/") != std::string::npos) info = dir_of(info);
    info += "/info/";
    std::vector<std::string> paths;
    for (std::string stem : {c.name + ":" + c.arch, c.name}) {
      if (const std::string* t = pkgdb::retained_text(index, p.db->root, info + stem + ".list")) {
        paths = pkgdb::list_file_paths(*t);
        break;
      }
    }
    if (paths.empty()) {
      // distroless: status.d/<file> + status.d/<file>.md5sums (<file> is usually the name)
      std::string status_d_sums = p.db->path + ".md5sums";
      for (std::string f : {info + c.name + ":" + c.arch + ".md5sums", info + c.name + ".md5sums",
                            status_d_sums, dir_of(p.db->path) + "/" + c.name + ".md5sums"})
        if (const std::string* t = pkgdb::retained_text(index, p.db->root, f)) {
          paths = pkgdb::md5sums_paths(*t);
          break;
        }
    }
    c.files = pkgdb::owned_files(index, p.db->root, paths);

    const std::string* copyright =
        pkgdb::retained_text(index, p.db->root, "/usr/share/doc/" + c.name + "/copyright");
    if (copyright) {
      auto lic = licenses_from_copyright(*copyright);
      c.licenses = std::move(lic.licenses);
      if (!c.licenses.empty()) c.properties["waybill:license-source"] = "copyright:" + lic.method;
    }
    pkgdb::enrich_from_component_db(c, {c.name, c.source_package});
    c.evidence.push_back(pkgdb::db_evidence(kMethod, kId, *p.db, st, c.name, c.version));
    c.confidence = c.evidence.back().confidence;
    return c;
  }

  Descriptor desc_{kId, "Debian dpkg database (status, status.d, info/*.list, copyright)"};
};

}  // namespace

std::unique_ptr<Cataloger> make_dpkg_cataloger() {
  return std::make_unique<DpkgCataloger>();
}

}  // namespace waybill::catalog
