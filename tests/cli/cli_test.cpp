// Black-box tests of the waybill binary: exit codes, outputs, safety on hostile input.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using waybill::test::run;

namespace {

std::string bin() { return waybill::test::waybill_bin().string(); }

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

TEST(Cli, HelpHasExamplesAndExitCodes) {
  auto r = run(bin() + " --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("waybill scan"), std::string::npos);
  auto s = run(bin() + " scan --help");
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_NE(s.out.find("cyclonedx-json"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run(bin()).exit_code, 2);
  EXPECT_EQ(run(bin() + " scan /nonexistent/file.bin").exit_code, 2);
  auto r = run(bin() + " scan /etc/hostname -o no-such-format");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown output format"), std::string::npos);
}

TEST(Cli, EmptyFileIsUnreadable) {
  WAYBILL_REQUIRE_FIXTURE(f, "bad/empty.bin");
  auto r = run(bin() + " scan " + q(f));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("empty.bin"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
  fs::path out = waybill::test::temp_dir("empty");
  auto u = run(bin() + " unpack " + q(f) + " -o " + q(out / "x"));
  EXPECT_EQ(u.exit_code, 3);
  fs::remove_all(out);
}

TEST(Cli, RandomBytesAreReportedNotCrashed) {
  WAYBILL_REQUIRE_FIXTURE(f, "bad/random.bin");
  fs::path out = waybill::test::temp_dir("random");
  auto u = run(bin() + " unpack " + q(f) + " -o " + q(out / "x"));
  EXPECT_EQ(u.exit_code, 3) << u.err;
  EXPECT_NE(u.err.find("random.bin"), std::string::npos) << u.err;
  auto s = run(bin() + " scan -q " + q(f) + " -o json");
  EXPECT_LT(s.exit_code, 128) << "crashed: " << s.err;
  fs::remove_all(out);
}

TEST(Cli, TraversalArchivesStayInsideOutput) {
  for (const char* name : {"bad/traversal.tar", "bad/traversal.zip", "bad/traversal.cpio"}) {
    WAYBILL_REQUIRE_FIXTURE(f, name);
    fs::path base = waybill::test::temp_dir("trav");
    fs::path out = base / "inner" / "out";
    fs::create_directories(base / "inner");
    auto r = run(bin() + " unpack " + q(f) + " -o " + q(out));
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    // Nothing may appear next to or above the output directory.
    for (auto& e : fs::recursive_directory_iterator(base)) {
      auto rel = fs::relative(e.path(), out);
      EXPECT_FALSE(rel.string().rfind("..", 0) == 0 && e.path() != out &&
                   e.path() != base / "inner")
          << "written outside the output directory: " << e.path();
    }
    EXPECT_FALSE(fs::exists("/tmp/waybill-evil-abs.txt") &&
                 fs::last_write_time("/tmp/waybill-evil-abs.txt") >
                     fs::file_time_type::clock::now() - std::chrono::minutes(5));
    json m = json::parse(waybill::test::read_text(out / "waybill-manifest.json"));
    EXPECT_GT(m["totals"]["refused_unsafe"].get<int>(), 0) << name;
    fs::remove_all(base);
  }
}

TEST(Cli, SymlinksAreKeptAndNeverFollowedOut) {
  WAYBILL_REQUIRE_FIXTURE(f, "bad/good.sqfs");
  fs::path out = waybill::test::temp_dir("links") / "out";
  auto r = run(bin() + " unpack " + q(f) + " -o " + q(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json m = json::parse(waybill::test::read_text(out / "waybill-manifest.json"));
  std::string root = m["chunks"][0]["extracted_to"];
  fs::path fsroot = out / root;
  EXPECT_TRUE(fs::exists(fsroot / "etc/passwd"));
  // Loops are kept as links (never resolved).
  EXPECT_TRUE(fs::is_symlink(fsroot / "loop-a"));
  // An absolute link is rewritten to stay inside the extracted root.
  ASSERT_TRUE(fs::is_symlink(fsroot / "abs-link"));
  EXPECT_EQ(fs::read_symlink(fsroot / "abs-link").string(), "etc/passwd");
  // A relative link climbing out of the root is refused, and reported.
  EXPECT_FALSE(fs::exists(fs::symlink_status(fsroot / "escape-rel")));
  EXPECT_GT(m["totals"]["refused_unsafe"].get<int>(), 0);
  fs::remove_all(out.parent_path());
}

TEST(Cli, DecompressionBombStopsWithLimit) {
  WAYBILL_REQUIRE_FIXTURE(f, "bad/bomb.gz");
  fs::path out = waybill::test::temp_dir("bomb") / "out";
  auto r = run(bin() + " unpack " + q(f) + " -o " + q(out) + " --max-ratio 100");
  EXPECT_LT(r.exit_code, 128) << r.err;
  EXPECT_NE(r.err.find("ratio"), std::string::npos) << r.err;
  json m = json::parse(waybill::test::read_text(out / "waybill-manifest.json"));
  EXPECT_TRUE(m["limit_hit"].get<bool>());
  std::uintmax_t total = 0;
  for (auto& e : fs::recursive_directory_iterator(out))
    if (e.is_regular_file()) total += e.file_size();
  EXPECT_LT(total, 1ull << 30) << "the bomb was expanded";
  fs::remove_all(out.parent_path());
}

TEST(Cli, TruncatedAndCorruptImagesKeepPartialResults) {
  for (const char* name : {"bad/truncated.sqfs", "bad/corrupt.sqfs", "bad/badcrc.uImage"}) {
    WAYBILL_REQUIRE_FIXTURE(f, name);
    auto r = run(bin() + " scan " + q(f) + " -o json");
    EXPECT_LT(r.exit_code, 128) << name << " crashed: " << r.err;
    EXPECT_FALSE(r.err.empty()) << name << ": expected a diagnostic on stderr";
    EXPECT_NE(r.err.find(fs::path(name).filename().string()), std::string::npos)
        << name << ": diagnostic must name the file: " << r.err;
  }
}

TEST(Cli, ScanSharedImageTableAndFormats) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path img = shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img";
  fs::path dir = waybill::test::temp_dir("scan");
  auto r = run(bin() + " scan " + q(img) + " -o table -o cyclonedx-json=" + q(dir / "a.cdx.json") +
               " -o spdx-json=" + q(dir / "a.spdx.json") + " -o json=" + q(dir / "a.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("busybox"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1.35.0"), std::string::npos);
  // Piped output: no progress bar, no colour codes.
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos);
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  json cdx = json::parse(waybill::test::read_text(dir / "a.cdx.json"));
  EXPECT_EQ(cdx["specVersion"], "1.6");
  EXPECT_GE(cdx["components"].size(), 37u);
  json spdx = json::parse(waybill::test::read_text(dir / "a.spdx.json"));
  EXPECT_EQ(spdx["spdxVersion"], "SPDX-2.3");
  fs::remove_all(dir);
}

TEST(Cli, UnpackSharedUImageManifest) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path img = shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
  json truth = json::parse(waybill::test::read_text(img.string() + ".truth.json"));
  fs::path out = waybill::test::temp_dir("unpack") / "out";
  auto r = run(bin() + " unpack -q " + q(img) + " -o " + q(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json m = json::parse(waybill::test::read_text(out / "waybill-manifest.json"));
  std::uint64_t sq_off = 0;
  for (const auto& l : truth["container_layers"])
    if (l["format"] == "squashfs") sq_off = l["offset"];
  bool uimage = false, squashfs = false;
  for (const auto& c : m["chunks"]) {
    if (c["format"] == "uimage" && c["offset"] == 0) uimage = true;
    if (c["format"] == "squashfs") {
      squashfs = true;
      // The squashfs is sub-image 1: its absolute offset is the sub-image offset.
      std::string buf = c["buffer"];
      EXPECT_NE(buf.find("image-1"), std::string::npos) << buf;
      fs::path root = out / c["extracted_to"].get<std::string>();
      EXPECT_TRUE(fs::exists(root / "bin/busybox")) << root;
      EXPECT_TRUE(fs::exists(root / "usr/lib/opkg/status"));
    }
  }
  EXPECT_TRUE(uimage);
  EXPECT_TRUE(squashfs);
  EXPECT_GT(sq_off, 0u);
  // A second run into the same non-empty directory is refused without --force.
  auto again = run(bin() + " unpack -q " + q(img) + " -o " + q(out));
  EXPECT_EQ(again.exit_code, 2) << again.err;
  fs::remove_all(out.parent_path());
}

}  // namespace
