// pkgdb/buildroot: Buildroot's legal-info manifest (legal-info/manifest.csv), which lists every
// target package with version, licence and source archive. Buildroot's /etc/os-release is left
// to os/os-release.
#include <array>

#include "catalog/catalogers.h"
#include "catalog/pkgdb/deb822.h"
#include "catalog/pkgdb/licenses.h"
#include "catalog/pkgdb/pkg_common.h"

namespace waybill::catalog {

namespace {

constexpr std::string_view kId = "pkgdb/buildroot";
constexpr std::array<std::string_view, 1> kWants = {"**/legal-info/manifest.csv"};
constexpr std::size_t kMaxCells = 64, kMaxCell = 64u << 10, kMaxRows = 100000;

// One CSV record starting at `pos` (RFC 4180 quoting; quoted cells may span lines). Advances
// `pos` and `line`.
std::vector<std::string> csv_row(std::string_view t, std::size_t& pos, std::uint32_t& line) {
  std::vector<std::string> row(1);
  bool quoted = false;
  while (pos < t.size()) {
    char c = t[pos++];
    if (quoted) {
      if (c == '"' && pos < t.size() && t[pos] == '"') {
        c = t[pos++];
      } else if (c == '"') {
        quoted = false;
        continue;
      }
      if (c == '\n') ++line;
      if (row.back().size() < kMaxCell) row.back().push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      if (row.size() >= kMaxCells) continue;
      row.emplace_back();
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r' && row.back().size() < kMaxCell) {
      row.back().push_back(c);
    }
  }
  return row;
}

int column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (deb822::iequals(deb822::trim(header[i]), name)) return static_cast<int>(i);
  return -1;
}

class BuildrootCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override { return desc_; }
  std::span<const std::string_view> wants() const override { return kWants; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    for (const FileRecord* f : pkgdb::matching_files(index, kWants)) {
      std::string_view t = f->content;
      std::size_t pos = 0;
      std::uint32_t line = 1;
      auto header = csv_row(t, pos, line);
      int ipkg = column(header, "PACKAGE"), iver = column(header, "VERSION");
      int ilic = column(header, "LICENSE"), iarch = column(header, "SOURCE ARCHIVE");
      int isite = column(header, "SOURCE SITE");
      if (ipkg < 0 || iver < 0) {
        out.diagnostics.add(Severity::warning, Errc::corrupt, std::string(kId), f->root + f->path,
                            0, "line 1: no PACKAGE/VERSION header; not a Buildroot manifest");
        continue;
      }
      auto cell = [](const std::vector<std::string>& r, int i) -> std::string {
        return i >= 0 && static_cast<std::size_t>(i) < r.size()
                   ? std::string(deb822::trim(r[static_cast<std::size_t>(i)]))
                   : std::string();
      };
      for (std::size_t n = 0; pos < t.size() && n < kMaxRows; ++n) {
        std::uint32_t row_line = line;
        std::uint64_t row_off = pos;
        auto row = csv_row(t, pos, line);
        if (row.size() == 1 && deb822::trim(row[0]).empty()) continue;
        model::Component c;
        c.name = cell(row, ipkg);
        if (c.name.empty()) {
          out.diagnostics.add(Severity::warning, Errc::corrupt, std::string(kId), f->root + f->path,
                              row_off,
                              "line " + std::to_string(row_line) + ": row without PACKAGE");
          continue;
        }
        c.version = cell(row, iver);
        c.package_version = c.version;
        c.ecosystem = "buildroot";
        c.source_package = c.name;
        c.upstream_name = c.name;
        std::string lic = cell(row, ilic);
        if (!lic.empty()) {
          c.licenses = split_licenses(lic);
          c.properties["waybill:license-source"] = "buildroot:manifest";
        }
        std::string site = cell(row, isite), archive = cell(row, iarch);
        std::vector<std::pair<std::string, std::string>> q;
        if (!site.empty() && !archive.empty() && site.find("://") != std::string::npos) {
          q.emplace_back("download_url", site + (site.back() == '/' ? "" : "/") + archive);
          c.properties["waybill:buildroot:source_archive"] = archive;
        }
        c.purl = pkgdb::make_purl("generic", "", c.name, c.version, std::move(q));
        pkgdb::enrich_from_component_db(c, {c.name});
        model::Evidence e;
        e.method = "build-manifest/buildroot";
        e.source = std::string(kId);
        e.path = f->path;
        e.root = f->root;
        e.offset = row_off;
        e.matched = c.name + "," + c.version;
        e.version = c.version;
        e.confidence = 0.9;
        e.detail = "PACKAGE " + c.name + " (line " + std::to_string(row_line) + ")";
        c.evidence.push_back(std::move(e));
        c.confidence = 0.9;
        out.components.push_back(std::move(c));
      }
    }
  }

 private:
  Descriptor desc_{kId, "Buildroot legal-info manifest.csv"};
};

}  // namespace

std::unique_ptr<Cataloger> make_buildroot_cataloger() {
  return std::make_unique<BuildrootCataloger>();
}

}  // namespace waybill::catalog
