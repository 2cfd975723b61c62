// One transaction per import: a child process importing a large input is SIGKILLed in the middle
// (it signals from the progress callback through a pipe); the database then reopens with exactly
// the counts it had before, and SQLite's integrity check passes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "support/support.h"
#include "vuln/db/database.h"

namespace waybill::vuln {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::uint64_t> counts(Database& db) {
  std::map<std::string, std::uint64_t> out;
  auto st = db.status();
  EXPECT_TRUE(st.ok());
  if (st.ok())
    for (const auto& s : *st) out[s.source] = s.records;
  return out;
}

TEST(VulnDbKill, KilledImportLeavesDatabaseUnchanged) {
  WAYBILL_REQUIRE_SHARED(shared);
  const fs::path data = shared / "data/vuln";
  const fs::path tmp = test::temp_dir("vuln_db_kill");
  const std::string dbpath = (tmp / "v.db").string();
  {
    auto db = Database::open(dbpath, true);
    ASSERT_TRUE(db.ok());
    auto r = (*db)->import_paths({(data / "kev/known_exploited_vulnerabilities.json.xz").string(),
                                  (data / "nvd/nvd_iot_cve_2.0.jsonl.xz").string()},
                                 {});
    ASSERT_TRUE(r.ok());
  }
  std::map<std::string, std::uint64_t> before;
  {
    auto db = Database::open(dbpath, false);
    ASSERT_TRUE(db.ok());
    before = counts(**db);
  }
  ASSERT_EQ(before["kev"], 1404u);
  ASSERT_EQ(before["nvd"], 124u);

  // Large input: the Go OSV lines 20 times with distinct ids (45,600 new records).
  auto go = test::run("xz -dc '" + (data / "osv/osv_go.jsonl.xz").string() + "'");
  ASSERT_EQ(go.exit_code, 0);
  const fs::path big = tmp / "big.jsonl";
  {
    std::ofstream o(big);
    for (int copy = 0; copy < 20; ++copy) {
      std::string tag = "\"id\":\"GO-K" + std::to_string(copy) + "-";
      std::size_t p = 0;
      while (p < go.out.size()) {
        auto e = go.out.find('\n', p);
        if (e == std::string::npos) e = go.out.size();
        std::string line = go.out.substr(p, e - p);
        auto idp = line.find("\"id\":\"GO-");
        if (idp != std::string::npos) line.replace(idp, 9, tag);
        o << line << "\n";
        p = e + 1;
      }
    }
  }

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto db = Database::open(dbpath, false);
    if (!db.ok()) _exit(3);
    ImportOptions opts;
    std::uint64_t calls = 0;
    opts.progress = [&](std::uint64_t n) {
      // After several thousand records are written inside the transaction, tell the parent
      // and wait to be killed.
      if (++calls == 5) {
        char c = 'k';
        (void)!write(fds[1], &c, 1);
        (void)n;
        for (;;) pause();
      }
    };
    (void)(*db)->import_paths({big.string()}, opts);
    _exit(4);  // finished without being killed: the parent fails the test
  }
  close(fds[1]);
  char c = 0;
  ssize_t n = read(fds[0], &c, 1);
  close(fds[0]);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(n, 1) << "child exited before reaching the progress callback, status " << status;
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  {
    auto db = Database::open(dbpath, false);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    EXPECT_EQ(counts(**db), before);
    auto recs = (*db)->records("GO-K0-2020-0001");
    ASSERT_TRUE(recs.ok());
    EXPECT_TRUE(recs->empty());
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dbpath.c_str(), &raw), SQLITE_OK);
  std::string result;
  sqlite3_exec(
      raw, "PRAGMA integrity_check",
      [](void* out, int, char** v, char**) {
        *static_cast<std::string*>(out) += v[0] ? v[0] : "";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(raw);
  EXPECT_EQ(result, "ok");

  // The same import, not killed, then commits everything.
  {
    auto db = Database::open(dbpath, false);
    ASSERT_TRUE(db.ok());
    auto r = (*db)->import_paths({big.string()}, {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->sources["osv"].inserted, 20u * 2280u);
    EXPECT_EQ(counts(**db)["osv"], 20u * 2280u);
  }
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace waybill::vuln
