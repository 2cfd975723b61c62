#include "catalog/os/distro_fingerprint.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/os/os_release.h"
#include "core/embedded.h"

namespace waybill::catalog::os {

namespace {

using json = nlohmann::json;

std::string str_or_empty(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct ToolchainDb {
  std::vector<DistroRelease> releases;
  // (release index, pattern)
  std::vector<std::pair<std::size_t, std::unique_ptr<RE2>>> idents;

  ToolchainDb() {
    json doc = json::parse(data::toolchains_json(), nullptr, false);
    if (doc.is_discarded() || !doc.contains("releases") || !doc["releases"].is_array()) return;
    for (const auto& r : doc["releases"]) {
      if (!r.is_object() || str_or_empty(r, "id").empty()) continue;
      releases.push_back({str_or_empty(r, "id"), str_or_empty(r, "version_id"),
                          str_or_empty(r, "codename"), str_or_empty(r, "name")});
      if (auto it = r.find("idents"); it != r.end() && it->is_array())
        for (const auto& p : *it) {
          if (!p.is_string()) continue;
          RE2::Options o;
          o.set_log_errors(false);
          auto re = std::make_unique<RE2>(p.get<std::string>(), o);
          if (re->ok()) idents.emplace_back(releases.size() - 1, std::move(re));
        }
    }
  }
};

const ToolchainDb& tdb() {
  static const ToolchainDb d;
  return d;
}

struct ReleaseLibraries {
  std::string id, version_id, source;
  std::map<std::string, DistroLibrary, std::less<>> by_file;
};

struct LibraryDb {
  std::vector<ReleaseLibraries> releases;

  LibraryDb() {
    json doc = json::parse(data::distro_libraries_json(), nullptr, false);
    if (doc.is_discarded() || !doc.contains("releases") || !doc["releases"].is_array()) return;
    for (const auto& r : doc["releases"]) {
      if (!r.is_object()) continue;
      ReleaseLibraries rl;
      rl.id = str_or_empty(r, "id");
      rl.version_id = str_or_empty(r, "version_id");
      // "deb.debian.org/debian bookworm (Sat, 10 Jan 2026 ...), ..." from the archive list.
      if (auto a = r.find("archive"); a != r.end() && a->is_array())
        for (const auto& s : *a) {
          if (!s.is_object()) continue;
          if (!rl.source.empty()) rl.source += ", ";
          rl.source += str_or_empty(s, "source") + " " + str_or_empty(s, "codename");
          std::string date = str_or_empty(s, "date");
          if (!date.empty()) rl.source += " (" + date + ")";
        }
      if (auto l = r.find("libraries"); l != r.end() && l->is_array())
        for (const auto& e : *l) {
          if (!e.is_object()) continue;
          DistroLibrary lib{str_or_empty(e, "file"), str_or_empty(e, "package"),
                            str_or_empty(e, "project"), str_or_empty(e, "version"),
                            str_or_empty(e, "package_version")};
          if (lib.file.empty() || lib.version.empty() || lib.project.empty()) continue;
          rl.by_file.emplace(lib.file, std::move(lib));
        }
      releases.push_back(std::move(rl));
    }
  }

  const ReleaseLibraries* find(const DistroRelease& r) const {
    for (const auto& rl : releases)
      if (rl.id == r.id && rl.version_id == r.version_id && !r.version_id.empty()) return &rl;
    return nullptr;
  }
};

const LibraryDb& ldb() {
  static const LibraryDb d;
  return d;
}

// os-release VERSION_ID "12" names release "12"; "23.05.3" names "23.05"; "" names a family.
bool os_release_names(const DistroRelease& r, const model::OperatingSystem& os) {
  if (os.id != r.id) return false;
  if (r.version_id.empty()) return true;
  const std::string& v = os.version_id;
  return v == r.version_id ||
         (v.size() > r.version_id.size() && v.compare(0, r.version_id.size(), r.version_id) == 0 &&
          v[r.version_id.size()] == '.');
}

}  // namespace

const std::vector<DistroRelease>& known_releases() {
  return tdb().releases;
}

std::vector<std::size_t> releases_of_ident(std::string_view ident) {
  std::vector<std::size_t> out;
  re2::StringPiece text(ident.data(), ident.size());
  for (const auto& [rel, re] : tdb().idents)
    if (std::find(out.begin(), out.end(), rel) == out.end() && RE2::PartialMatch(text, *re))
      out.push_back(rel);
  return out;
}

std::string DistroFingerprint::summary() const {
  if (!release) return "distribution unknown";
  if (source == "os-release") return "os-release names " + release->name;
  std::string s = "binaries built for " + release->name + ": ";
  s += std::to_string(votes) + " of " + std::to_string(voters) +
       " ELF files with a distribution ident name it";
  if (!example.empty()) s += " (e.g. \"" + example + "\" in " + example_path + ")";
  return s;
}

DistroFingerprint fingerprint_from_idents(const std::vector<FileIdents>& files,
                                          const model::OperatingSystem* os_release) {
  const auto& releases = known_releases();
  std::vector<std::size_t> votes(releases.size(), 0);
  std::vector<std::pair<std::string, std::string>> example(releases.size());  // ident, path
  std::size_t voters = 0;
  for (const auto& f : files) {
    std::set<std::size_t> named;
    for (const auto& ident : f.idents)
      for (std::size_t r : releases_of_ident(ident))
        if (named.insert(r).second && example[r].first.empty()) example[r] = {ident, f.path};
    if (named.empty()) continue;
    ++voters;
    for (std::size_t r : named) ++votes[r];
  }

  DistroFingerprint fp;
  fp.voters = voters;
  if (os_release) {
    for (std::size_t r = 0; r < releases.size(); ++r)
      if (os_release_names(releases[r], *os_release)) {
        fp.release = releases[r];
        fp.source = "os-release";
        fp.votes = votes[r];
        fp.example = example[r].first;
        fp.example_path = example[r].second;
        return fp;
      }
  }
  // A strict majority of the voting files, and no tie.
  std::size_t best = releases.size();
  for (std::size_t r = 0; r < releases.size(); ++r)
    if (votes[r] > 0 && (best == releases.size() || votes[r] > votes[best])) best = r;
  if (best == releases.size() || votes[best] * 2 <= voters) return fp;
  for (std::size_t r = 0; r < releases.size(); ++r)
    if (r != best && votes[r] == votes[best]) return fp;
  fp.release = releases[best];
  fp.source = "binaries";
  fp.votes = votes[best];
  fp.example = example[best].first;
  fp.example_path = example[best].second;
  return fp;
}

DistroFingerprint fingerprint_distro(const FileIndex& index) {
  std::vector<FileIdents> files;
  for (const auto& f : index.files()) {
    if (!f.elf || f.blob) continue;
    FileIdents fi;
    fi.path = f.path;
    fi.idents = f.elf->comments;
    for (const auto& h : f.hits)
      if (!h.matched.empty()) fi.idents.push_back(h.matched);
    if (!fi.idents.empty()) files.push_back(std::move(fi));
  }
  std::optional<model::OperatingSystem> os;
  for (const auto& root : index.roots()) {
    auto r = read_os_release(index, root);
    if (!r) continue;
    for (const auto& rel : known_releases())
      if (os_release_names(rel, r->os)) os = r->os;
    if (os) break;
  }
  return fingerprint_from_idents(files, os ? &*os : nullptr);
}

std::optional<DistroLibrary> lookup_distro_library(const DistroRelease& release,
                                                   std::string_view file_name) {
  const ReleaseLibraries* rl = ldb().find(release);
  if (!rl) return std::nullopt;
  auto it = rl->by_file.find(file_name);
  if (it == rl->by_file.end()) return std::nullopt;
  return it->second;
}

std::string distro_library_source(const DistroRelease& release) {
  const ReleaseLibraries* rl = ldb().find(release);
  return rl ? rl->source : std::string();
}

std::vector<DistroLibrary> distro_libraries(const DistroRelease& release) {
  std::vector<DistroLibrary> out;
  if (const ReleaseLibraries* rl = ldb().find(release))
    for (const auto& [file, lib] : rl->by_file) out.push_back(lib);
  return out;
}

}  // namespace waybill::catalog::os
