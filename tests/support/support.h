// Test helpers: locating ../shared and the project's fixtures, reading files, running the CLI.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace waybill::test {

// ../shared (or $WAYBILL_SHARED), or nullopt when it is absent.
std::optional<std::filesystem::path> shared_dir();
// The directory of fixtures built by tests/fixtures/make-fixtures.sh ($WAYBILL_FIXTURES).
std::filesystem::path fixtures_dir();
// Path of the waybill binary under test ($WAYBILL_BIN).
std::filesystem::path waybill_bin();
std::vector<std::uint8_t> read_file(const std::filesystem::path& p);
std::string read_text(const std::filesystem::path& p);
// A fresh empty temporary directory, removed by the caller (or left for debugging).
std::filesystem::path temp_dir(const std::string& tag);

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Run a command line through /bin/sh, capturing stdout and stderr.
RunResult run(const std::string& cmdline);

}  // namespace waybill::test

// Skip the current test with a clear message when ../shared is not there.
#define WAYBILL_REQUIRE_SHARED(var)                                                   \
  auto var##_opt = ::waybill::test::shared_dir();                                     \
  if (!var##_opt) {                                                                   \
    GTEST_SKIP() << "../shared not found (set WAYBILL_SHARED); skipping real-data test"; \
  }                                                                                   \
  const std::filesystem::path var = *var##_opt

// Skip when a fixture file was not built (its tool is missing).
#define WAYBILL_REQUIRE_FIXTURE(var, name)                                            \
  const std::filesystem::path var = ::waybill::test::fixtures_dir() / (name);         \
  if (!std::filesystem::exists(var)) {                                                \
    GTEST_SKIP() << "fixture " << (name) << " missing; run scripts/setup.sh";          \
  }
