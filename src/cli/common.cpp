#include "cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace waybill::cli {

std::string cache_dir() {
  if (const char* d = std::getenv("WAYBILL_CACHE_DIR")) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/waybill";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/waybill";
  return "";
}

void print_diagnostics(const std::vector<Diagnostic>& ds, bool verbose) {
  std::size_t shown = 0, hidden = 0;
  for (const auto& d : ds) {
    if (d.severity == Severity::info && !verbose) {
      ++hidden;
      continue;
    }
    if (shown++ >= 50 && !verbose) {
      ++hidden;
      continue;
    }
    std::cerr << "waybill: " << d.to_string() << "\n";
  }
  if (hidden && verbose) std::cerr << "waybill: (" << hidden << " more)\n";
}

bool write_text(const std::string& file, const std::string& text, bool quiet,
                const std::string& what) {
  if (file.empty() || file == "-") {
    std::cout << text;
    std::cout.flush();
    return true;
  }
  std::ofstream f(file, std::ios::binary);
  f << text;
  if (!f) {
    std::cerr << "waybill: cannot write " << file << "\n";
    return false;
  }
  if (!quiet && isatty(STDERR_FILENO)) std::cerr << "wrote " << what << " to " << file << "\n";
  return true;
}

}  // namespace waybill::cli
