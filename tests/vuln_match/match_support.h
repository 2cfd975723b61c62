// Helpers for the vuln_match tests: a temporary database filled from the shared real data, and
// components built the way the catalogers build them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/component.h"
#include "support/support.h"
#include "vuln/db/database.h"
#include "vuln/match/matcher.h"

namespace waybill::test {

inline std::filesystem::path vuln_data(const std::filesystem::path& shared, const char* rel) {
  return shared / "data" / "vuln" / rel;
}

// A fresh database in a temp dir holding the given shared files (paths relative to data/vuln).
struct TempDb {
  std::filesystem::path dir;
  std::unique_ptr<vuln::Database> db;
  ~TempDb() {
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

inline std::unique_ptr<TempDb> make_db(const std::filesystem::path& shared,
                                       const std::vector<const char*>& files) {
  auto t = std::make_unique<TempDb>();
  t->dir = temp_dir("vuln-match");
  auto db = vuln::Database::open((t->dir / "vuln.db").string(), true);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().to_string());
  if (!db.ok()) return nullptr;
  t->db = std::move(db.value());
  std::vector<std::string> paths;
  for (const char* f : files) paths.push_back(vuln_data(shared, f).string());
  auto rep = t->db->import_paths(paths, {});
  EXPECT_TRUE(rep.ok()) << (rep.ok() ? "" : rep.error().to_string());
  return t;
}

// The record of `source` ("nvd", "cve5", "osv") with this id.
inline std::optional<vuln::VulnRecord> record(vuln::Database& db, const std::string& id,
                                              const std::string& source) {
  auto rs = db.records(id);
  if (!rs.ok()) return std::nullopt;
  for (auto& r : *rs)
    if (r.source == source) return r;
  return std::nullopt;
}

// An upstream component with one CPE, as the binary/package catalogers produce it.
inline model::Component component(const std::string& name, const std::string& version,
                                  const std::string& vendor_product = "",
                                  const std::string& part = "a") {
  model::Component c;
  c.name = name;
  c.upstream_name = name;
  c.version = version;
  c.bom_ref = name + "@" + version;
  if (!vendor_product.empty()) {
    auto colon = vendor_product.find(':');
    c.cpes.push_back("cpe:2.3:" + part + ":" + vendor_product.substr(0, colon) + ":" +
                     vendor_product.substr(colon + 1) + ":" + version + ":*:*:*:*:*:*:*");
  }
  return c;
}

}  // namespace waybill::test
