#include "catalog/merge.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "catalog/component_db.h"

namespace waybill::catalog {

namespace {

bool is_package(const model::Component& c) {
  static const std::set<std::string> kPkg = {"deb", "opkg", "apk", "buildroot", "yocto", "rpm"};
  return kPkg.count(c.ecosystem) > 0;
}

bool has_method_prefix(const model::Component& c, std::string_view prefix) {
  for (const auto& e : c.evidence)
    if (e.method.rfind(prefix, 0) == 0) return true;
  return false;
}

bool is_kernel(const model::Component& c) {
  return c.ecosystem == "kernel" || has_method_prefix(c, "kernel");
}

// Canonical project name: the component table's name for any alias, else the name itself.
std::string project_of(std::string_view name) {
  if (const ComponentInfo* ci = lookup_component(name)) return ci->name;
  return std::string(name);
}

bool same_project(const model::Component& pkg, const model::Component& bin) {
  std::string b = project_of(bin.name);
  for (const std::string* n : {&pkg.name, &pkg.source_package, &pkg.upstream_name}) {
    if (n->empty()) continue;
    if (*n == bin.name || project_of(*n) == b) return true;
  }
  return false;
}

std::string key_of(const FileIndex& index, const std::string& root, const std::string& path) {
  const FileRecord* r = index.lookup(root, path);
  return root + '\n' + (r ? r->path : path);
}

void add_evidence(model::Component& c, const model::Evidence& e) {
  for (const auto& x : c.evidence)
    if (x.method == e.method && x.path == e.path && x.root == e.root && x.offset == e.offset &&
        x.matched == e.matched)
      return;
  c.evidence.push_back(e);
}

void add_file(model::Component& c, const FileIndex& index, const std::string& root,
              const std::string& path) {
  for (const auto& f : c.files)
    if (f.path == path && f.root == root) return;
  const FileRecord* r = index.lookup(root, path);
  if (!r || r->type != unpack::EntryType::file) return;
  c.files.push_back({r->path, root, r->sha256, r->size});
}

void add_note(model::Component& c, std::string note) {
  if (std::find(c.notes.begin(), c.notes.end(), note) == c.notes.end())
    c.notes.push_back(std::move(note));
}

void merge_into(model::Component& dst, const model::Component& src, const FileIndex& index) {
  for (const auto& e : src.evidence) {
    add_evidence(dst, e);
    if (!e.path.empty()) add_file(dst, index, e.root, e.path);
  }
  for (const auto& f : src.files) add_file(dst, index, f.root, f.path);
  for (const auto& cpe : src.cpes)
    if (std::find(dst.cpes.begin(), dst.cpes.end(), cpe) == dst.cpes.end()) dst.cpes.push_back(cpe);
  for (const auto& n : src.notes) add_note(dst, n);
  for (const auto& d : src.depends)
    if (std::find(dst.depends.begin(), dst.depends.end(), d) == dst.depends.end())
      dst.depends.push_back(d);
  if (dst.licenses.empty()) dst.licenses = src.licenses;
  if (dst.supplier.empty()) dst.supplier = src.supplier;
  if (dst.purl.empty()) dst.purl = src.purl;
  for (const auto& [k, v] : src.properties) dst.properties.emplace(k, v);
}

double max_confidence(const model::Component& c) {
  double m = 0;
  for (const auto& e : c.evidence) m = std::max(m, e.confidence);
  return m;
}

std::string slug(std::string s) {
  for (char& ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_'))
      ch = '-';
  return s;
}

}  // namespace

MergeResult merge_components(std::vector<model::Component> found, const FileIndex& index) {
  std::vector<model::Component> packages, binaries, kernels, others;
  for (auto& c : found) {
    if (is_package(c))
      packages.push_back(std::move(c));
    else if (is_kernel(c))
      kernels.push_back(std::move(c));
    else if (c.type == "operating-system")
      others.push_back(std::move(c));
    else
      binaries.push_back(std::move(c));
  }

  // Packages that install programs are applications; the rest stay libraries.
  for (auto& p : packages) {
    if (p.type != "library") continue;
    for (const auto& f : p.files) {
      const FileRecord* r = index.lookup(f.root, f.path);
      bool in_bin = f.path.find("/bin/") != std::string::npos ||
                    f.path.find("/sbin/") != std::string::npos;
      if (in_bin && r && r->elf && (r->mode & 0111)) {
        p.type = "application";
        break;
      }
    }
  }

  // 1. Files owned by package databases.
  std::unordered_map<std::string, std::size_t> owner;
  for (std::size_t i = 0; i < packages.size(); ++i)
    for (const auto& f : packages[i].files) owner.emplace(key_of(index, f.root, f.path), i);

  // 2. Binary evidence: attach to the owning package of the same project, else keep it.
  std::vector<model::Component> loose;
  for (auto& b : binaries) {
    model::Component rest = b;
    rest.evidence.clear();
    rest.files.clear();
    for (const auto& e : b.evidence) {
      auto it = e.path.empty() ? owner.end() : owner.find(key_of(index, e.root, e.path));
      // The package database is authoritative about what a file is: version-less evidence
      // (sonames, file names) on an owned file always belongs to the owner; versioned
      // evidence only when it names the same project (else it is an embedded copy).
      bool versionless = e.version.empty() && b.version.empty();
      if (it != owner.end() && (versionless || same_project(packages[it->second], b))) {
        model::Component& p = packages[it->second];
        add_evidence(p, e);
        const std::string& v = e.version.empty() ? b.version : e.version;
        if (!v.empty() && !p.version.empty() && v != p.version) {
          add_note(p, e.method + " in " + e.path + " reports version " + v +
                          " but the package database says " + p.version);
        }
        continue;
      }
      if (it != owner.end()) {
        add_note(rest, "found inside " + e.path + ", which belongs to package " +
                           packages[it->second].name + " (embedded or statically linked copy)");
      }
      rest.evidence.push_back(e);
    }
    if (!rest.evidence.empty()) loose.push_back(std::move(rest));
  }

  // 3. Group loose components by (project name, version).
  std::map<std::pair<std::string, std::string>, model::Component> grouped;
  for (auto& c : loose) {
    auto key = std::make_pair(c.name, c.version);
    auto it = grouped.find(key);
    if (it == grouped.end()) {
      model::Component g = c;
      g.evidence.clear();
      g.files.clear();
      merge_into(g, c, index);
      grouped.emplace(key, std::move(g));
    } else {
      merge_into(it->second, c, index);
    }
  }

  // 4. Version-less components: merge into a versioned component on the same files, or take
  //    the version of their project when exactly one version of it was found.
  std::map<std::string, std::set<std::string>> versions_of_project;
  std::map<std::string, std::string> where_project;
  for (const auto& [k, c] : grouped) {
    if (k.second.empty()) continue;
    versions_of_project[project_of(k.first)].insert(k.second);
    if (!c.evidence.empty()) where_project.emplace(project_of(k.first), c.evidence.front().path);
  }
  for (const auto& p : packages) {
    if (p.version.empty()) continue;
    for (const std::string* n : {&p.name, &p.source_package}) {
      if (n->empty()) continue;
      versions_of_project[project_of(*n)].insert(p.version);
      where_project.emplace(project_of(*n), "package " + p.name);
    }
  }
  std::vector<model::Component> result_loose;
  std::set<std::string> file_keys_versioned;
  for (const auto& [k, c] : grouped)
    if (!k.second.empty())
      for (const auto& f : c.files) file_keys_versioned.insert(f.root + '\n' + f.path);
  for (auto& [k, c] : grouped)
    if (!k.second.empty()) result_loose.push_back(std::move(c));
  const std::size_t n_versioned = result_loose.size();
  for (auto& [k, c] : grouped) {
    if (!k.second.empty()) continue;
    bool covered = !c.files.empty();
    for (const auto& f : c.files)
      if (!file_keys_versioned.count(f.root + '\n' + f.path)) covered = false;
    if (covered) {
      // Same files already carry a versioned component: attach the evidence there.
      for (std::size_t ri = 0; ri < n_versioned; ++ri)
        for (const auto& f : c.files)
          if (std::any_of(result_loose[ri].files.begin(), result_loose[ri].files.end(),
                          [&](const model::FileHash& x) {
                            return x.root == f.root && x.path == f.path;
                          })) {
            for (const auto& e : c.evidence) add_evidence(result_loose[ri], e);
          }
      continue;
    }
    std::string proj = project_of(c.name);
    auto vit = versions_of_project.find(proj);
    if (vit != versions_of_project.end() && vit->second.size() == 1) {
      c.version = *vit->second.begin();
      for (auto& e : c.evidence) e.confidence = std::min(e.confidence, 0.6);
      add_note(c, "version " + c.version + " inferred from " + proj + " found at " +
                      where_project[proj] + " (same project, no version string in this library)");
      c.properties["waybill:version_inferred"] = "true";
    }
    result_loose.push_back(std::move(c));
  }

  // 5. One kernel component (the banner's version wins over module vermagic).
  std::vector<model::Component> kernel_out;
  if (!kernels.empty()) {
    std::stable_sort(kernels.begin(), kernels.end(), [](const auto& a, const auto& b) {
      return has_method_prefix(a, "kernel-banner") > has_method_prefix(b, "kernel-banner");
    });
    model::Component k = kernels.front();
    for (std::size_t i = 1; i < kernels.size(); ++i) {
      if (kernels[i].version != k.version && !kernels[i].version.empty())
        add_note(k, "another kernel report says " + kernels[i].version + " (" +
                        (kernels[i].evidence.empty() ? "" : kernels[i].evidence.front().method) +
                        ")");
      merge_into(k, kernels[i], index);
    }
    kernel_out.push_back(std::move(k));
  }

  MergeResult out;
  for (auto* group : {&others, &kernel_out, &packages, &result_loose})
    for (auto& c : *group) out.components.push_back(std::move(c));

  // bom-refs: stable and unique.
  std::set<std::string> used;
  for (auto& c : out.components) {
    c.confidence = max_confidence(c);
    std::string base = !c.purl.empty() ? c.purl
                                       : "waybill:" + slug(c.name) +
                                             (c.version.empty() ? "" : "@" + slug(c.version));
    std::string ref = base;
    for (int n = 2; used.count(ref); ++n) ref = base + "#" + std::to_string(n);
    used.insert(ref);
    c.bom_ref = ref;
  }
  // depends-on by package name.
  std::unordered_map<std::string, std::string> by_name;
  for (const auto& c : out.components) by_name.emplace(c.name, c.bom_ref);
  for (const auto& c : out.components)
    for (const auto& d : c.depends) {
      auto it = by_name.find(d);
      if (it != by_name.end() && it->second != c.bom_ref)
        out.relationships.push_back({c.bom_ref, it->second, "depends-on"});
    }
  return out;
}

}  // namespace waybill::catalog
