// Helpers shared by the package-database catalogers: locating DB files in the index, owned
// files, purls, dependency lists, enrichment from the component knowledge base, distributions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/file_index.h"
#include "catalog/pkgdb/deb822.h"
#include "model/component.h"

namespace waybill::catalog::pkgdb {

// Retained regular files whose path matches one of `globs`, in index order.
std::vector<const FileRecord*> matching_files(const FileIndex& index,
                                              std::span<const std::string_view> globs);

// The record at exactly root+path (no symlink following), or nullptr.
const FileRecord* find_exact(const FileIndex& index, std::string_view root, std::string_view path);

// Like FileIndex::lookup, but also resolves symlinked directories along the path
// ("/bin/busybox" when /bin -> usr/bin). Bounded.
const FileRecord* resolve(const FileIndex& index, std::string_view root, std::string_view path);

// Retained text of a regular file (following symlinks), or nullptr when absent / not retained.
const std::string* retained_text(const FileIndex& index, std::string_view root,
                                 std::string_view path);

// FileHash entries for the regular files among `paths` (in-root, absolute). Directories and
// symlinks are skipped; paths are resolved through symlinked parent directories. Bounded.
std::vector<model::FileHash> owned_files(const FileIndex& index, std::string_view root,
                                         const std::vector<std::string>& paths);

// Paths listed in a dpkg/opkg ".list" file (one per line, optional "\t..." suffix ignored).
std::vector<std::string> list_file_paths(std::string_view text);
// Paths listed in a dpkg ".md5sums" file ("<md5>  <relative path>").
std::vector<std::string> md5sums_paths(std::string_view text);

// Percent-encoding for purl components: keeps A-Z a-z 0-9 . - _ ~ and ':' (as purl tools and
// the corpus ground truth write epochs: "1:1.35.0-4%2Bdeb12u1").
std::string purl_escape(std::string_view s);
// pkg:type/namespace/name@version?k=v&... (qualifiers sorted by key, empty ones dropped;
// qualifier values also keep '/', as in the spec's "download_url=https://..." example).
std::string make_purl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      std::vector<std::pair<std::string, std::string>> qualifiers);

// True for dpkg/opkg "Status: want flag state" values whose state means the files are on disk.
bool installed_status(std::string_view status);

// Names from a Debian-style relationship field: "a (>= 1), b | c:any [amd64]" -> a, b, c.
std::vector<std::string> depends_names(std::string_view field);

// "busybox (1:1.35.0-4)" -> {"busybox", "1:1.35.0-4"}.
std::pair<std::string, std::string> split_source_field(std::string_view field);

// CPEs (with `c.version`), upstream name, homepage and - when `c.licenses` is empty - licence
// from the component knowledge base, looked up by each of `names` in order.
void enrich_from_component_db(model::Component& c, std::initializer_list<std::string_view> names);

// Distribution a Debian-family root belongs to, for purl namespace and "distro" qualifier.
struct Distro {
  std::string id;          // purl namespace, e.g. "debian"
  std::string version_id;  // e.g. "12"
  std::string source;      // how it was decided, for a note
  std::string qualifier() const {
    return id.empty() || version_id.empty() ? "" : id + "-" + version_id;
  }
};
// From os-release (ID / VERSION_ID), /etc/debian_version, else the "debNNuM" stable-update
// markers of the installed package versions (derivatives with ID_LIKE=debian).
Distro debian_distro(const FileIndex& index, std::string_view root,
                     const std::vector<std::string>& package_versions);

// Adds a diagnostic for every parser problem of a DB file.
void report_problems(const deb822::Document& doc, std::string_view source, const FileRecord& file,
                     Diagnostics& out);

// A package-database Evidence for a stanza.
model::Evidence db_evidence(std::string_view method, std::string_view source, const FileRecord& db,
                            const deb822::Stanza& st, std::string_view name,
                            std::string_view version);

}  // namespace waybill::catalog::pkgdb
