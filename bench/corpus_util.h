// Shared by the micro-benchmarks: real binaries of this machine, read once into memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace waybill::bench {

struct RealFile {
  std::string path;
  std::vector<std::uint8_t> bytes;
};

// Regular files from WAYBILL_BENCH_DIR (default /usr/bin), sorted by name so that two runs on
// the same machine read the same files, until `cap` bytes (default 64 MiB) are loaded.
inline const std::vector<RealFile>& real_files(std::size_t cap = 64u << 20) {
  static const std::vector<RealFile> files = [cap] {
    namespace fs = std::filesystem;
    const char* env = std::getenv("WAYBILL_BENCH_DIR");
    fs::path dir = env && *env ? env : "/usr/bin";
    std::vector<fs::path> names;
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(dir, ec))
      if (de.is_regular_file(ec) && !de.is_symlink(ec)) names.push_back(de.path());
    std::sort(names.begin(), names.end());
    std::vector<RealFile> out;
    std::size_t total = 0;
    for (const auto& p : names) {
      if (total >= cap) break;
      std::ifstream in(p, std::ios::binary);
      if (!in) continue;
      std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
      if (b.empty()) continue;
      if (total + b.size() > cap) b.resize(cap - total);
      total += b.size();
      out.push_back({p.string(), std::move(b)});
    }
    return out;
  }();
  return files;
}

// All real files concatenated into one buffer.
inline const std::vector<std::uint8_t>& real_blob() {
  static const std::vector<std::uint8_t> blob = [] {
    std::vector<std::uint8_t> b;
    for (const auto& f : real_files()) b.insert(b.end(), f.bytes.begin(), f.bytes.end());
    return b;
  }();
  return blob;
}

// Deterministic pseudo-random bytes (incompressible data, like encrypted or compressed blobs).
inline std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint8_t> b(n);
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    std::uint64_t v = rng();
    for (int k = 0; k < 8; ++k) b[i + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(v >> (8 * k));
  }
  return b;
}

inline std::size_t total_bytes(const std::vector<RealFile>& fs) {
  std::size_t n = 0;
  for (const auto& f : fs) n += f.bytes.size();
  return n;
}

}  // namespace waybill::bench
