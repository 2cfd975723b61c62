// Matching benchmark: an SBOM of N components (default 10k) against a database built by
// bench/vuln/import.sh (>= 300k synthetic records from gen-corpus.py), warm, vs a plain SQLite
// baseline that only fetches the candidate rows for the same keys (no evaluation).
//   match_bench DB [N_COMPONENTS] [RUNS]
// Components take their vendor:product from the database's cpe keys (so every one selects
// records) and a version from a fixed pseudo-random sequence.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "vuln/match/matcher.h"

using namespace waybill;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: match_bench DB [N_COMPONENTS] [RUNS]\n");
    return 2;
  }
  std::string path = argv[1];
  int n = argc > 2 ? std::atoi(argv[2]) : 10000;
  int runs = argc > 3 ? std::atoi(argv[3]) : 3;

  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
  std::vector<std::string> keys;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, "SELECT DISTINCT key FROM keys WHERE key LIKE 'cpe:%' LIMIT ?", -1, &st,
                     nullptr);
  sqlite3_bind_int(st, 1, n);
  while (sqlite3_step(st) == SQLITE_ROW)
    keys.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);

  std::vector<model::Component> comps;
  unsigned x = 12345;
  for (int i = 0; i < n; ++i) {
    const std::string& k = keys[static_cast<std::size_t>(i) % keys.size()];
    auto c1 = k.find(':', 4);
    std::string vendor = k.substr(4, c1 - 4), product = k.substr(c1 + 1);
    x = x * 1103515245u + 12345u;
    std::string ver = std::to_string(x % 40) + "." + std::to_string((x >> 8) % 40) + "." +
                      std::to_string((x >> 16) % 40);
    model::Component c;
    c.name = c.upstream_name = product;
    c.version = ver;
    c.bom_ref = "c" + std::to_string(i);
    c.cpes.push_back("cpe:2.3:a:" + vendor + ":" + product + ":" + ver + ":*:*:*:*:*:*:*");
    comps.push_back(std::move(c));
  }

  auto db = vuln::Database::open(path, false);
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().to_string().c_str());
    return 1;
  }
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto found = vuln::match_components(comps, **db, {});
    auto t1 = std::chrono::steady_clock::now();
    if (!found) return 1;
    std::printf("waybill match_components: %zu components, %zu findings, %.1f ms (run %d)\n",
                comps.size(), found->size(),
                std::chrono::duration<double, std::milli>(t1 - t0).count(), r + 1);
  }
  // Baseline: one prepared statement per key, rows fetched (blob touched), nothing evaluated.
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    sqlite3_prepare_v2(
        raw, "SELECT r.data FROM keys k JOIN records r ON r.rowid = k.rec WHERE k.key = ?", -1, &st,
        nullptr);
    std::size_t rows = 0, bytes = 0;
    for (const auto& c : comps) {
      std::string k =
          "cpe:" + c.cpes[0].substr(10, c.cpes[0].find(':', c.cpes[0].find(':', 10) + 1) - 10);
      sqlite3_bind_text(st, 1, k.c_str(), -1, SQLITE_TRANSIENT);
      while (sqlite3_step(st) == SQLITE_ROW) {
        ++rows;
        bytes += static_cast<std::size_t>(sqlite3_column_bytes(st, 0));
      }
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    auto t1 = std::chrono::steady_clock::now();
    std::printf("sqlite baseline (fetch only): %zu rows, %zu bytes, %.1f ms (run %d)\n", rows,
                bytes, std::chrono::duration<double, std::milli>(t1 - t0).count(), r + 1);
  }
  sqlite3_close(raw);
  return 0;
}
