// accounts/passwords on small inline passwd/shadow files with hashes made here (crypt_rn with
// fresh salts from crypt_gensalt_rn).
#include <crypt.h>
#include <gtest/gtest.h>

#include "checks_content/support_content.h"

using waybill::test::index_files;
using waybill::test::keys_of;
using waybill::test::run_content_checks;

namespace {

// A fresh hash of `pw` in the scheme of `prefix` ("" = DES), or "" when libxcrypt lacks it.
std::string make_hash(const char* prefix, const std::string& pw, unsigned long cost = 0) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn(prefix, cost, nullptr, 0, salt, sizeof salt)) return "";
  crypt_data data{};
  const char* h = crypt_rn(pw.c_str(), salt, &data, sizeof data);
  if (!h || h[0] == '*') return "";
  return h;
}

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
    "operator:x:0:0:second root:/root:/bin/sh\n"
    "svc:x:100:100:service:/var:/usr/sbin/nologin\n"
    "alice:x:1000:1000::/home/alice:/bin/ash\n";

waybill::checks::CheckOutput run_shadow(const std::string& shadow, const char* passwd = kPasswd,
                                        unsigned budget_ms = 2000) {
  auto index = index_files({{"/etc/passwd", passwd}, {"/etc/shadow", shadow}});
  waybill::checks::CheckOptions o;
  o.hash_budget_ms = budget_ms;
  return run_content_checks(*index, o);
}

const waybill::model::CheckFinding* rule(const waybill::checks::CheckOutput& out,
                                         std::string_view r) {
  for (const auto& f : out.findings)
    if (f.rule == r) return &f;
  return nullptr;
}

}  // namespace

class HashSchemes : public ::testing::TestWithParam<const char*> {};

TEST_P(HashSchemes, DefaultPasswordFoundAndMasked) {
  std::string h = make_hash(GetParam(), "ubnt");
  if (h.empty()) GTEST_SKIP() << "libxcrypt here cannot make '" << GetParam() << "' hashes";
  auto out = run_shadow("root:" + h + ":20000:0:99999:7:::\n");
  auto* f = rule(out, "default-password");
  ASSERT_NE(f, nullptr) << h;
  EXPECT_EQ(f->path, "/etc/shadow");
  EXPECT_EQ(f->line, 1u);
  EXPECT_NE(f->evidence.find("u***t"), std::string::npos) << f->evidence;
  EXPECT_EQ(f->evidence.find("ubnt"), std::string::npos);
  bool legacy = std::string(GetParam()).empty() || std::string(GetParam()) == "$1$";
  EXPECT_EQ(rule(out, "legacy-hash") != nullptr, legacy) << h;
}

TEST_P(HashSchemes, StrongPasswordNotReported) {
  std::string h = make_hash(GetParam(), "k7#Vq9!zR2p");
  if (h.empty()) GTEST_SKIP() << "libxcrypt here cannot make '" << GetParam() << "' hashes";
  auto out = run_shadow("root:" + h + ":20000:0:99999:7:::\n", kPasswd, 60000);
  EXPECT_EQ(rule(out, "default-password"), nullptr);
  EXPECT_EQ(rule(out, "not-tested-fully"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Schemes, HashSchemes,
                         ::testing::Values("", "$1$", "$5$", "$6$", "$y$", "$2b$"),
                         [](const auto& info) {
                           std::string p = info.param;
                           if (p.empty()) return std::string("des");
                           if (p == "$1$") return std::string("md5crypt");
                           if (p == "$5$") return std::string("sha256crypt");
                           if (p == "$6$") return std::string("sha512crypt");
                           if (p == "$y$") return std::string("yescrypt");
                           return std::string("bcrypt");
                         });

TEST(Accounts, AccountNameAsPasswordFound) {
  std::string h = make_hash("$6$", "alice");
  ASSERT_FALSE(h.empty());
  auto out = run_shadow("alice:" + h + ":20000:0:99999:7:::\n");
  auto* f = rule(out, "default-password");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->evidence.find("a***e"), std::string::npos);
}

TEST(Accounts, BudgetExhaustedIsReportedNotTestedFully) {
  // bcrypt cost 14 takes far longer than 1 ms per candidate on any machine.
  std::string h = make_hash("$2b$", "not-in-the-list-9231", 14);
  if (h.empty()) GTEST_SKIP() << "no bcrypt in this libxcrypt";
  auto out = run_shadow("root:" + h + ":20000:0:99999:7:::\n", kPasswd, 1);
  auto* f = rule(out, "not-tested-fully");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, "info");
  EXPECT_EQ(rule(out, "default-password"), nullptr);
}

TEST(Accounts, EmptyLockedUid0AndPasswdHashes) {
  auto out = run_shadow(
      "root:!:20000:0:99999:7:::\n"
      "daemon::20000:0:99999:7:::\n"  // empty, but /bin/false: no login
      "# comment\n"
      "operator:*:20000:0:99999:7:::\n"
      "svc::20000:0:99999:7:::\n"      // empty, nologin
      "alice::20000:0:99999:7:::\n");  // empty with a login shell
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{
                              "accounts/passwords empty-password /etc/shadow:6",
                              "accounts/passwords uid0-account /etc/passwd:3",
                          }));
  // No shadow: a hash in /etc/passwd itself is reported and tested.
  std::string h = make_hash("$5$", "root");
  auto index = index_files({{"/etc/passwd", "root:" + h + ":0:0:root:/root:/bin/sh\n"}});
  auto out2 = run_content_checks(*index);
  EXPECT_EQ(keys_of(out2), (std::vector<std::string>{
                               "accounts/passwords default-password /etc/passwd:1",
                               "accounts/passwords hash-in-passwd /etc/passwd:1",
                           }));
}

TEST(Accounts, HostileInputDoesNotCrash) {
  std::string junk = "root:$6$:::::\n:::\n\n:\nx\n$y$$$:\n" + std::string(5000, ':') + "\n";
  junk += "a:$2b$99$abc:\n";  // impossible bcrypt cost
  auto out = run_shadow(junk, "::::::\nroot\n", 50);
  for (const auto& f : out.findings) EXPECT_NE(f.rule, "default-password");
}
