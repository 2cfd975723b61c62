#include "catalog/pkgdb/pkg_common.h"

#include <algorithm>
#include <array>
#include <map>

#include "catalog/component_db.h"
#include "catalog/os/os_release.h"

namespace waybill::catalog::pkgdb {

namespace {
constexpr std::size_t kMaxOwnedPaths = 100000;

std::string join_path(std::string_view dir, std::string_view rest) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(rest);
  return out;
}
}  // namespace

std::vector<const FileRecord*> matching_files(const FileIndex& index,
                                              std::span<const std::string_view> globs) {
  std::vector<const FileRecord*> out;
  for (const auto& f : index.files()) {
    if (f.blob || f.type != unpack::EntryType::file || !f.retained) continue;
    for (auto g : globs)
      if (glob_match(g, f.path)) {
        out.push_back(&f);
        break;
      }
  }
  return out;
}

const FileRecord* find_exact(const FileIndex& index, std::string_view root, std::string_view path) {
  for (const FileRecord* r : index.find(path))
    if (r->root == root && !r->blob) return r;
  return nullptr;
}

const FileRecord* resolve(const FileIndex& index, std::string_view root, std::string_view path) {
  if (const FileRecord* r = index.lookup(root, path)) return r;
  // Walk the parents: the first one that is a symlink is replaced by its target.
  std::string cur(path);
  for (int hops = 0; hops < 8; ++hops) {
    bool replaced = false;
    for (std::size_t p = cur.find('/', 1); p != std::string::npos; p = cur.find('/', p + 1)) {
      const FileRecord* d = find_exact(index, root, std::string_view(cur).substr(0, p));
      if (!d) break;
      if (d->type != unpack::EntryType::symlink) continue;
      std::string_view t = d->link_target;
      std::string parent = cur.substr(0, cur.rfind('/', p - 1));
      std::string base = !t.empty() && t[0] == '/' ? std::string(t) : join_path(parent, t);
      cur = normalize_path(base + cur.substr(p));
      replaced = true;
      break;
    }
    if (!replaced) return nullptr;
    if (const FileRecord* r = index.lookup(root, cur)) return r;
  }
  return nullptr;
}

const std::string* retained_text(const FileIndex& index, std::string_view root,
                                 std::string_view path) {
  const FileRecord* r = resolve(index, root, path);
  if (!r || r->type != unpack::EntryType::file || !r->retained) return nullptr;
  return &r->content;
}

std::vector<model::FileHash> owned_files(const FileIndex& index, std::string_view root,
                                         const std::vector<std::string>& paths) {
  std::vector<model::FileHash> out;
  for (const auto& p : paths) {
    if (out.size() >= kMaxOwnedPaths) break;
    const FileRecord* r = find_exact(index, root, p);
    if (!r) {
      r = resolve(index, root, p);
      if (r && r->type == unpack::EntryType::symlink) r = nullptr;
    }
    if (!r || r->type != unpack::EntryType::file) continue;
    out.push_back({p, std::string(root), r->sha256, r->size});
  }
  return out;
}

std::vector<std::string> list_file_paths(std::string_view text) {
  std::vector<std::string> out;
  deb822::for_each_line(text, [&](std::string_view l, std::uint32_t, std::uint64_t) {
    if (out.size() >= kMaxOwnedPaths) return;
    l = l.substr(0, l.find('\t'));
    if (l.empty() || l[0] != '/' || l == "/." || l.size() > 4096) return;
    out.emplace_back(l);
  });
  return out;
}

std::vector<std::string> md5sums_paths(std::string_view text) {
  std::vector<std::string> out;
  deb822::for_each_line(text, [&](std::string_view l, std::uint32_t, std::uint64_t) {
    if (out.size() >= kMaxOwnedPaths) return;
    auto sp = l.find("  ");
    if (sp == std::string_view::npos || sp + 2 >= l.size() || l.size() > 4096) return;
    std::string_view p = l.substr(sp + 2);
    out.push_back(p[0] == '/' ? std::string(p) : "/" + std::string(p));
  });
  return out;
}

namespace {
std::string escape(std::string_view s, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_' || c == '~' || c == ':' || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string purl_escape(std::string_view s) {
  return escape(s, false);
}

std::string make_purl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      std::vector<std::pair<std::string, std::string>> qualifiers) {
  std::string p = "pkg:" + std::string(type) + "/";
  if (!ns.empty()) p += purl_escape(ns) + "/";
  p += purl_escape(name);
  if (!version.empty()) p += "@" + purl_escape(version);
  std::sort(qualifiers.begin(), qualifiers.end());
  char sep = '?';
  for (const auto& [k, v] : qualifiers) {
    if (v.empty()) continue;
    p += sep + k + "=" + escape(v, true);  // as the purl spec examples: download_url=https://
    sep = '&';
  }
  return p;
}

bool installed_status(std::string_view status) {
  status = deb822::trim(status);
  auto sp = status.rfind(' ');
  std::string_view state = sp == std::string_view::npos ? status : status.substr(sp + 1);
  static constexpr std::array<std::string_view, 6> kStates = {
      "installed",       "triggers-pending", "triggers-awaited",
      "half-configured", "unpacked",         "half-installed"};
  return std::find(kStates.begin(), kStates.end(), state) != kStates.end();
}

std::vector<std::string> depends_names(std::string_view field) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < field.size() && out.size() < 1024) {
    std::size_t end = field.find_first_of(",|", i);
    if (end == std::string_view::npos) end = field.size();
    std::string_view item = deb822::trim(field.substr(i, end - i));
    std::size_t n = 0;
    while (n < item.size() && item[n] != ' ' && item[n] != '(' && item[n] != '[' &&
           item[n] != '<' && item[n] != ':' && item[n] != '\n' && item[n] != '\t' &&
           item[n] != '>' && item[n] != '=')
      ++n;
    std::string name(item.substr(0, n));
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
      out.push_back(std::move(name));
    i = end + 1;
  }
  return out;
}

std::pair<std::string, std::string> split_source_field(std::string_view field) {
  field = deb822::trim(field);
  auto open = field.find('(');
  if (open == std::string_view::npos) return {std::string(field), {}};
  auto close = field.find(')', open);
  std::string_view ver = field.substr(
      open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
  return {std::string(deb822::trim(field.substr(0, open))), std::string(deb822::trim(ver))};
}

void enrich_from_component_db(model::Component& c, std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    if (n.empty()) continue;
    const ComponentInfo* info = lookup_component(n);
    if (!info) continue;
    for (const auto& vp : info->cpes) c.cpes.push_back(make_cpe23(vp, c.version));
    if (c.upstream_name.empty() || c.upstream_name == c.source_package)
      c.upstream_name = info->name;
    if (c.homepage.empty()) c.homepage = info->homepage;
    if (c.licenses.empty() && !info->license.empty()) {
      c.licenses.push_back(info->license);
      c.properties["waybill:license-source"] = "component-db";
    }
    return;
  }
}

Distro debian_distro(const FileIndex& index, std::string_view root,
                     const std::vector<std::string>& package_versions) {
  static constexpr std::array<std::string_view, 6> kDebFamily = {"debian", "ubuntu", "raspbian",
                                                                 "devuan", "kali",   "pureos"};
  Distro d;
  auto rel = os::read_os_release(index, root);
  if (rel && std::find(kDebFamily.begin(), kDebFamily.end(), rel->os.id) != kDebFamily.end()) {
    d.id = rel->os.id;
    d.version_id = rel->os.version_id;
    d.source = rel->os.path;
    if (!d.version_id.empty()) return d;
  }
  d.id = d.id.empty() ? "debian" : d.id;
  if (const std::string* dv = retained_text(index, root, "/etc/debian_version");
      dv && d.id == "debian") {
    std::string major;
    for (char c : deb822::trim(std::string_view(*dv).substr(0, 32))) {
      if (c < '0' || c > '9') break;
      major.push_back(c);
    }
    if (!major.empty()) {
      d.version_id = major;
      d.source = "/etc/debian_version";
      return d;
    }
  }
  // Debian stable updates carry "+debNNuM" / "~debNNuM": a derivative built from Debian NN.
  std::map<std::string, int> votes;
  for (const auto& v : package_versions) {
    for (std::size_t p = v.find("deb"); p != std::string::npos; p = v.find("deb", p + 3)) {
      if (p == 0 || (v[p - 1] != '+' && v[p - 1] != '~')) continue;
      std::size_t e = p + 3;
      while (e < v.size() && v[e] >= '0' && v[e] <= '9') ++e;
      if (e > p + 3 && e < v.size() && v[e] == 'u') ++votes[v.substr(p + 3, e - p - 3)];
    }
  }
  auto best = std::max_element(votes.begin(), votes.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  if (best != votes.end() && d.id == "debian") {
    d.version_id = best->first;
    d.source = "debNNuM markers in package versions";
  }
  return d;
}

void report_problems(const deb822::Document& doc, std::string_view source, const FileRecord& file,
                     Diagnostics& out) {
  for (const auto& p : doc.problems)
    out.add(Severity::warning, Errc::corrupt, std::string(source), file.root + file.path, p.offset,
            "line " + std::to_string(p.line) + ": " + p.message);
  if (doc.dropped_problems > 0)
    out.add(Severity::warning, Errc::corrupt, std::string(source), file.root + file.path,
            std::nullopt, std::to_string(doc.dropped_problems) + " further problems not listed");
}

model::Evidence db_evidence(std::string_view method, std::string_view source, const FileRecord& db,
                            const deb822::Stanza& st, std::string_view name,
                            std::string_view version) {
  model::Evidence e;
  e.method = std::string(method);
  e.source = std::string(source);
  e.path = db.path;
  e.root = db.root;
  e.offset = st.offset;
  e.matched = "Package: " + std::string(name);
  e.version = std::string(version);
  e.confidence = 0.95;
  e.detail = "Package: " + std::string(name) + " (line " + std::to_string(st.line) + ")";
  return e;
}

}  // namespace waybill::catalog::pkgdb
