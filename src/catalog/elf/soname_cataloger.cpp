// Shared libraries without a version string: the project from the SONAME / file name (through
// data/components.json aliases and data/soname-versions.json), the version only where the real
// file name is known to carry it (libz.so.1.2.13, libcap.so.2.66), never guessed from a soname
// such as libssl.so.3. When the image's distribution release is fingerprinted
// (catalog/os/distro_fingerprint.h) and that release's archive ships the library under exactly
// this real file name (data/distro-libraries.json), the archive's version is reported instead,
// as an inference ("distro-archive", confidence 0.5).
#include <algorithm>
#include <map>
#include <set>

#include "catalog/binary/kernel.h"
#include "catalog/binary/signature_table.h"
#include "catalog/catalogers.h"
#include "catalog/component_db.h"
#include "catalog/os/distro_fingerprint.h"

namespace waybill::catalog {

namespace {

constexpr std::uint16_t kEtDyn = 3;

std::string_view basename_of(std::string_view p) {
  auto s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}
std::string_view dirname_of(std::string_view p) {
  auto s = p.rfind('/');
  return s == std::string_view::npos || s == 0 ? std::string_view("/") : p.substr(0, s);
}

// "libnl-genl-3.so.200" -> "libnl-genl-3"; "ld-linux-armhf.so.3" -> "ld-linux-armhf".
std::string soname_base(std::string_view name) {
  auto p = name.find(".so");
  return std::string(p == std::string_view::npos ? name : name.substr(0, p));
}

// /lib, /usr/lib, /lib64, /usr/local/lib and their multiarch subfolders (/usr/lib/arm-linux-
// gnueabihf). Plugins in deeper folders (xtables/, lighttpd/, ossl-modules/) belong to the
// program that loads them and are not components of their own.
bool standard_lib_dir(std::string_view dir) {
  static const std::string_view kDirs[] = {"/lib",   "/usr/lib",   "/lib64",        "/usr/lib64",
                                           "/lib32", "/usr/lib32", "/usr/local/lib"};
  for (auto d : kDirs) {
    if (dir == d) return true;
    if (dir.size() > d.size() + 1 && dir.substr(0, d.size()) == d && dir[d.size()] == '/') {
      std::string_view sub = dir.substr(d.size() + 1);
      if (sub.find('/') == std::string_view::npos && sub.find("-linux") != std::string_view::npos)
        return true;
    }
  }
  return false;
}

bool looks_like_library(const FileRecord& f) {
  if (f.blob || f.type != unpack::EntryType::file || !f.elf || f.elf->type != kEtDyn) return false;
  std::string_view base = basename_of(f.path);
  if (!f.elf->soname.empty()) return true;
  return base.substr(0, 3) == "lib" && base.find(".so") != std::string_view::npos;
}

std::string project_of(std::string_view base) {
  if (const ComponentInfo* c = lookup_component(base)) return c->name;
  // "libfoo" may be known as "foo" (e.g. libpcap -> libpcap, libjson-c -> json-c).
  if (base.substr(0, 3) == "lib")
    if (const ComponentInfo* c = lookup_component(base.substr(3))) return c->name;
  return {};
}

class SonameCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"elf/soname",
                              "shared libraries identified by SONAME and real file name"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return {}; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    const SignatureTable& table = SignatureTable::builtin();
    // Versions of each project found elsewhere in the image: signature hits (not the kernel) and
    // library file names that identify the release. A version-less library of such a project
    // takes the version when there is exactly one; it then groups with that component.
    std::map<std::string, std::set<std::string>> versions_in_image;
    std::map<std::string, std::string> where_found;
    for (const auto& f : index.files())
      for (const auto& h : f.hits)
        if (h.signature < table.all().size() && table.at(h.signature).id != kKernelSignatureId &&
            !h.version.empty()) {
          versions_in_image[table.at(h.signature).name].insert(h.version);
          where_found.emplace(table.at(h.signature).name, f.path);
        }
    for (const auto& f : index.files())
      if (looks_like_library(f))
        if (auto fact = lookup_library_file(basename_of(f.path)); fact && !fact->version.empty()) {
          versions_in_image[fact->project].insert(fact->version);
          where_found.emplace(fact->project, f.path);
        }
    std::optional<os::DistroFingerprint> distro;  // computed when first needed

    std::map<std::pair<std::string, std::string>, model::Component> comps;
    for (const auto& f : index.files()) {
      if (!looks_like_library(f)) continue;
      bool has_hit = false;
      for (const auto& h : f.hits)
        if (h.signature < table.all().size() && table.at(h.signature).id != kKernelSignatureId)
          has_hit = true;
      if (has_hit) continue;
      const std::string file_name(basename_of(f.path));
      const std::string& soname = f.elf->soname;
      std::string base = soname_base(soname.empty() ? file_name : soname);
      auto fact = lookup_library_file(file_name);
      if (!fact && !soname.empty()) fact = lookup_library_file(soname);
      std::string project = fact && !fact->project.empty() ? fact->project : project_of(base);
      const bool project_known = !project.empty();
      if (project.empty()) {
        // Unknown library: only a real, installed library (SONAME, standard folder) counts.
        if (soname.empty() || !standard_lib_dir(dirname_of(f.path))) continue;
        project = base;
      }
      std::string version = fact ? fact->version : std::string();

      // No version from the library itself. First choice: the version of the same project found
      // elsewhere in the image (iptables' binary for libip4tc). Else: what the fingerprinted
      // distribution release ships under exactly this file name.
      std::string same_project_at;
      std::optional<os::DistroLibrary> shipped;
      if (version.empty() && !versions_in_image.count(project)) {
        if (!distro) distro = os::fingerprint_distro(index);
        if (distro->release) shipped = os::lookup_distro_library(*distro->release, file_name);
        // The table names the project of a library this cataloger does not know; a known
        // project that disagrees means a different library with the same file name.
        if (shipped && project_known && shipped->project != project) shipped.reset();
        if (shipped) project = shipped->project;
        if (shipped && versions_in_image.count(project)) shipped.reset();
        if (shipped) version = shipped->version;
      }
      if (version.empty())
        if (auto vit = versions_in_image.find(project);
            vit != versions_in_image.end() && vit->second.size() == 1) {
          version = *vit->second.begin();
          same_project_at = where_found[project];
        }

      auto key = std::make_pair(project, version);
      auto it = comps.find(key);
      if (it == comps.end()) {
        model::Component c;
        c.type = "library";
        c.name = project;
        c.upstream_name = project;
        c.version = version;
        c.ecosystem = "generic";
        c.purl = "pkg:generic/" + project + (version.empty() ? "" : "@" + version);
        if (const ComponentInfo* info = lookup_component(project)) {
          for (const auto& vp : info->cpes) c.cpes.push_back(make_cpe23(vp, version));
          c.supplier = info->supplier;
          c.homepage = info->homepage;
          if (!info->license.empty()) c.licenses.push_back(info->license);
        }
        if (version.empty())
          c.notes.push_back(
              "version unknown: the library carries no version string and its "
              "file name does not identify the release");
        if (shipped) {
          c.package_version = shipped->package_version;
          c.distro = distro->release->key();
          c.properties["waybill:version_inferred"] = "true";
          c.notes.push_back(
              "version " + version + " inferred, not read from the library: " + distro->summary() +
              ", and " + distro->release->name + " ships this library file in package " +
              shipped->package + " " + shipped->package_version +
              "; a library built from other sources under the same file name "
              "would be reported wrongly");
        }
        it = comps.emplace(key, std::move(c)).first;
      }
      model::Component& c = it->second;
      model::Evidence e;
      e.method = shipped                          ? "distro-archive"
                 : fact && !fact->version.empty() ? "filename"
                                                  : "elf-soname";
      e.source = "elf/soname";
      e.path = f.path;
      e.root = f.root;
      e.matched = shipped ? file_name : soname.empty() ? file_name : soname;
      e.version = version;
      e.confidence = shipped || !same_project_at.empty() ? 0.5 : version.empty() ? 0.4 : 0.6;
      e.detail = fact && !fact->note.empty() ? fact->note : "SONAME " + soname;
      if (!same_project_at.empty())
        e.detail += "; no version string in this library: version " + version + " of " + project +
                    " found at " + same_project_at + " (inferred)";
      if (shipped) {
        e.detail = distro->summary() + "; " + distro->release->name + " ships " + file_name +
                   " in " + shipped->package + " " + shipped->package_version;
        std::string from = os::distro_library_source(*distro->release);
        if (!from.empty()) e.detail += " (archive: " + from + ")";
        if (c.package_version != shipped->package_version) c.package_version.clear();
        std::string& pkgs = c.properties["waybill:distro_packages"];
        std::string one = shipped->package + " " + shipped->package_version;
        if (pkgs.find(one) == std::string::npos) pkgs += (pkgs.empty() ? "" : ", ") + one;
      }
      c.confidence = std::max(c.confidence, e.confidence);
      c.evidence.push_back(std::move(e));
      c.files.push_back({f.path, f.root, f.sha256, f.size});
      for (const auto& n : f.elf->needed) {
        std::string dep = project_of(soname_base(n));
        if (dep.empty()) dep = soname_base(n);
        if (dep != project && std::find(c.depends.begin(), c.depends.end(), dep) == c.depends.end())
          c.depends.push_back(dep);
      }
    }
    for (auto& [key, c] : comps) out.components.push_back(std::move(c));
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_soname_cataloger() {
  return std::make_unique<SonameCataloger>();
}

}  // namespace waybill::catalog
