#include "support/support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace waybill::test {

namespace fs = std::filesystem;

namespace {
// Defaults compiled in by tests/CMakeLists.txt; the environment overrides them. Setting them
// before main() lets every test (and the CLI processes it starts) see the same values.
const bool kEnvDefaults = [] {
#ifdef WAYBILL_FIXTURES_DEFAULT
  setenv("WAYBILL_FIXTURES", WAYBILL_FIXTURES_DEFAULT, 0);
  setenv("WAYBILL_CORPUS", WAYBILL_CORPUS_DEFAULT, 0);
  setenv("WAYBILL_SHARED", WAYBILL_SHARED_DEFAULT, 0);
  setenv("WAYBILL_BIN", WAYBILL_BIN_DEFAULT, 0);
  setenv("WAYBILL_SOURCE_DIR", WAYBILL_SOURCE_DIR_DEFAULT, 0);
  setenv("WAYBILL_BUILD_DIR", WAYBILL_BUILD_DIR_DEFAULT, 0);
#endif
  return true;
}();
}  // namespace

std::optional<fs::path> shared_dir() {
  const char* env = std::getenv("WAYBILL_SHARED");
  fs::path p = env && *env ? fs::path(env) : fs::path("../shared");
  std::error_code ec;
  if (fs::is_directory(p / "corpus", ec)) return fs::absolute(p);
  return std::nullopt;
}

fs::path fixtures_dir() {
  const char* env = std::getenv("WAYBILL_FIXTURES");
  return env && *env ? fs::path(env) : fs::path("fixtures");
}

fs::path waybill_bin() {
  const char* env = std::getenv("WAYBILL_BIN");
  return env && *env ? fs::path(env) : fs::path("./waybill");
}

std::vector<std::uint8_t> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path temp_dir(const std::string& tag) {
  std::random_device rd;
  fs::path p = fs::temp_directory_path() /
               ("waybill-test-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(p);
  return p;
}

RunResult run(const std::string& cmdline) {
  RunResult r;
  fs::path dir = temp_dir("run");
  std::string full = cmdline + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  int st = std::system(full.c_str());
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  r.out = read_text(dir / "out");
  r.err = read_text(dir / "err");
  fs::remove_all(dir);
  return r;
}

}  // namespace waybill::test
