// Content checks on the real firmware images: every planted defect of the opkg-defects image is
// found at its path and line, and the clean images give no finding their truth does not explain.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "checks_content/support_content.h"
#include "support/support.h"

namespace fs = std::filesystem;
using waybill::test::index_image;
using waybill::test::keys_of;
using waybill::test::run_content_checks;

namespace {

fs::path corpus_dir() {
  if (const char* c = std::getenv("WAYBILL_CORPUS")) return c;
  return WAYBILL_CORPUS_DEFAULT;
}

nlohmann::json truth_of(const fs::path& image) {
  std::ifstream in(image.string() + ".truth.json");
  return nlohmann::json::parse(in, nullptr, false);
}

const waybill::model::CheckFinding* find(const waybill::checks::CheckOutput& out,
                                         std::string_view check, std::string_view path,
                                         std::uint32_t line) {
  for (const auto& f : out.findings)
    if (f.check == check && f.path == path && f.line && *f.line == line) return &f;
  return nullptr;
}

// The findings the defects image must give, and nothing else.
std::vector<std::string> expected_defect_findings() {
  std::vector<std::string> k = {
      // truth weak-root-password: root's $6$ hash is 'admin'
      "accounts/passwords default-password /etc/shadow:1",
      // truth empty-password-account: guest has an empty field and /bin/sh
      "accounts/passwords empty-password /etc/shadow:9",
      // truth embedded-private-key: unencrypted PKCS#1 RSA key
      "crypto/private-keys private-key /etc/ssl/private/router.key:1",
      // truth embedded-private-key "related": router.crt is the self-signed cert of that key
      "crypto/certificates self-signed /etc/ssl/certs/router.crt:1",
      // truth telnetd-enabled: telnetd -l /bin/sh
      "services/insecure telnetd-shell /etc/init.d/rcS:11",
      // truth dropbear-password-login: dropbear without -s/-g
      "services/insecure dropbear-password-login /etc/init.d/rcS:10",
      // truth hardcoded-api-token: ct_live_... token in UCI config
      "secrets/credentials stripe-style-live-key /etc/config/cloud:4",
  };
  std::sort(k.begin(), k.end());
  return k;
}

void check_defects_image(const fs::path& image) {
  auto truth = truth_of(image);
  ASSERT_TRUE(truth.is_object()) << image;
  auto index = index_image(image);
  auto out = run_content_checks(*index);
  for (const auto& f : out.findings) {
    EXPECT_FALSE(f.catalog.empty()) << waybill::test::key_of(f);
    EXPECT_FALSE(f.detail.empty()) << waybill::test::key_of(f);
  }
  EXPECT_EQ(keys_of(out), expected_defect_findings());

  ASSERT_TRUE(truth["defects"].is_array());
  ASSERT_EQ(truth["defects"].size(), 6u);
  for (const auto& d : truth["defects"]) {
    std::string id = d["id"], path = d["path"];
    std::uint32_t line = d.value("line", 1u);
    SCOPED_TRACE(id);
    if (id == "weak-root-password") {
      auto* f = find(out, "accounts/passwords", path, line);
      ASSERT_NE(f, nullptr);
      std::string pw = d["password"];
      EXPECT_EQ(pw, "admin");
      EXPECT_NE(f->evidence.find("a***n"), std::string::npos) << f->evidence;
      EXPECT_EQ(f->evidence.find("admin"), std::string::npos) << "password not masked";
    } else if (id == "empty-password-account") {
      auto* f = find(out, "accounts/passwords", path, line);
      ASSERT_NE(f, nullptr);
      EXPECT_EQ(f->rule, "empty-password");
      EXPECT_NE(f->title.find(d["account"].get<std::string>()), std::string::npos);
    } else if (id == "embedded-private-key") {
      auto* f = find(out, "crypto/private-keys", path, 1);
      ASSERT_NE(f, nullptr);
      EXPECT_NE(f->detail.find(d["public_key_der_sha256"].get<std::string>()), std::string::npos)
          << f->detail;
      EXPECT_NE(f->title.find("RSA 2048-bit"), std::string::npos) << f->title;
      EXPECT_EQ(f->evidence.substr(0, 31), d["pem_header"].get<std::string>());
      EXPECT_NE(f->detail.find("/etc/ssl/certs/router.crt"), std::string::npos) << f->detail;
    } else if (id == "telnetd-enabled") {
      auto* f = find(out, "services/insecure", path, line);
      ASSERT_NE(f, nullptr);
      EXPECT_EQ(f->evidence, d["command"].get<std::string>());
      EXPECT_EQ(f->severity, "critical");
    } else if (id == "dropbear-password-login") {
      auto* f = find(out, "services/insecure", path, line);
      ASSERT_NE(f, nullptr);
      EXPECT_EQ(f->evidence, d["command"].get<std::string>());
    } else if (id == "hardcoded-api-token") {
      auto* f = find(out, "secrets/credentials", path, line);
      ASSERT_NE(f, nullptr);
      std::string tok = d["token"];
      EXPECT_EQ(f->evidence.find(tok), std::string::npos) << "token not masked";
      EXPECT_EQ(f->severity, "high");
    } else {
      ADD_FAILURE() << "defect the test does not know: " << id;
    }
  }
}

void check_clean_image(const fs::path& image) {
  auto truth = truth_of(image);
  ASSERT_TRUE(truth.is_object()) << image;
  ASSERT_TRUE(truth["defects"].empty()) << "truth plants defects in " << image;
  auto index = index_image(image);
  // The walk kept the files the checks read.
  ASSERT_FALSE(index->find("/etc/shadow").empty());
  EXPECT_TRUE(index->find("/etc/shadow")[0]->retained);
  EXPECT_TRUE(index->find("/etc/init.d/rcS")[0]->retained);
  auto out = run_content_checks(*index);
  EXPECT_EQ(keys_of(out), std::vector<std::string>{}) << image;
}

}  // namespace

TEST(ContentImages, ArmhfDefectsEveryPlantedDefectFound) {
  WAYBILL_REQUIRE_SHARED(shared);
  check_defects_image(shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage");
}

TEST(ContentImages, Arm64DefectsEveryPlantedDefectFound) {
  fs::path img = corpus_dir() / "arm64/fw-arm64-opkg-defects.uImage";
  if (!fs::exists(img)) GTEST_SKIP() << img << " not generated (set WAYBILL_CORPUS)";
  check_defects_image(img);
}

TEST(ContentImages, CleanOpkgImagesHaveNoFindings) {
  int seen = 0;
  for (const char* arch : {"armhf", "arm64"}) {
    fs::path img = corpus_dir() / arch / (std::string("fw-") + arch + "-opkg.sqfs-gzip.img");
    if (!fs::exists(img)) continue;
    ++seen;
    SCOPED_TRACE(img.string());
    check_clean_image(img);
  }
  if (seen == 0) GTEST_SKIP() << "clean opkg images not generated (set WAYBILL_CORPUS)";
}

TEST(ContentImages, DpkgImagesHaveNoFindings) {
  WAYBILL_REQUIRE_SHARED(shared);
  check_clean_image(shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img");
  fs::path arm64 = corpus_dir() / "arm64/fw-arm64-dpkg.sqfs-xz.img";
  if (fs::exists(arm64)) check_clean_image(arm64);
}
