// Driver for bench/vuln/import.sh: imports files into a database and prints records/s, or
// times Database::candidates() for a batch of keys.
//   import_bench import DB FILE...           one import call, prints counts and records/s
//   import_bench candidates DB KEYFILE [N]    N rounds of candidates() over the keys in KEYFILE
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "vuln/db/database.h"

using namespace waybill;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s import DB FILE... | candidates DB KEYFILE [ROUNDS]\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  auto db = vuln::Database::open(argv[2], true);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.error().to_string().c_str());
    return 1;
  }
  if (mode == "import") {
    std::vector<std::string> files(argv + 3, argv + argc);
    std::clock_t c0 = std::clock();
    auto rep = (*db)->import_paths(files, {});
    if (!rep.ok()) {
      std::fprintf(stderr, "%s\n", rep.error().to_string().c_str());
      return 1;
    }
    std::uint64_t total = 0;
    for (const auto& [src, c] : rep->sources) {
      std::printf(
          "%s read=%llu inserted=%llu updated=%llu unchanged=%llu\n", src.c_str(),
          static_cast<unsigned long long>(c.read), static_cast<unsigned long long>(c.inserted),
          static_cast<unsigned long long>(c.updated), static_cast<unsigned long long>(c.unchanged));
      total += c.read;
    }
    double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::printf(
        "skipped=%llu seconds=%.3f records_per_s=%.0f cpu_seconds=%.3f records_per_cpu_s=%.0f\n",
        static_cast<unsigned long long>(rep->skipped), rep->seconds,
        rep->seconds > 0 ? static_cast<double>(total) / rep->seconds : 0.0, cpu,
        cpu > 0 ? static_cast<double>(total) / cpu : 0.0);
    for (std::size_t i = 0; i < rep->issues.size() && i < 5; ++i)
      std::printf("issue: %s [%s] %s\n", rep->issues[i].file.c_str(), rep->issues[i].id.c_str(),
                  rep->issues[i].message.c_str());
    return 0;
  }
  if (mode == "candidates") {
    std::ifstream in(argv[3]);
    std::vector<std::string> keys;
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) keys.push_back(line);
    int rounds = argc > 4 ? std::stoi(argv[4]) : 5;
    for (int i = 0; i < rounds; ++i) {
      std::clock_t c0 = std::clock();
      auto t0 = Clock::now();
      auto c = (*db)->candidates(keys);
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (!c.ok()) {
        std::fprintf(stderr, "%s\n", c.error().to_string().c_str());
        return 1;
      }
      double cpu_ms = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      std::printf("round %d: %zu keys -> %zu candidates in %.1f ms wall, %.1f ms cpu%s\n", i + 1,
                  keys.size(), c->size(), ms, cpu_ms, i == 0 ? " (cold cache)" : " (warm)");
    }
    return 0;
  }
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
