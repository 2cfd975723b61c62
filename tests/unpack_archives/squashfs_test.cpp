#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>

#include "unpack_archives/archive_harness.h"

namespace waybill::test::archives {
namespace {

using unpack::EntryType;

std::uint64_t bytes_used(const std::vector<std::uint8_t>& img, std::size_t at = 0) {
  return *ByteView(img).le64(at + 40);
}

std::string big_file() {
  std::string s;
  char line[64];
  for (int i = 0; i < 12000; ++i) {
    std::snprintf(line, sizeof line, "line %08d of the big file\n", i);
    s += line;
  }
  return s;
}

// The sample tree written by tests/fixtures/parts/archives.sh.
void expect_sample_tree(const Outcome& o, bool squashfs) {
  const Recorder& r = o.rec;
  const Seen* hello = r.find("/etc/hello.txt");
  ASSERT_NE(hello, nullptr) << o.diags();
  EXPECT_EQ(hello->e.type, EntryType::file);
  EXPECT_EQ(hello->sha, kHelloSha);
  EXPECT_EQ(hello->e.size, 14u);
  EXPECT_EQ(hello->e.mtime, 1704164645);  // 2024-01-02 03:04:05 UTC

  const Seen* link = r.find("/bin/hello-link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->e.type, EntryType::symlink);
  EXPECT_EQ(link->e.link_target, "../etc/hello.txt");

  const Seen* su = r.find("/bin/su");
  ASSERT_NE(su, nullptr);
  EXPECT_EQ(su->e.mode, 04755u);

  const Seen* empty = r.find("/empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->e.type, EntryType::file);
  EXPECT_EQ(empty->e.size, 0u);

  const Seen* deeper = r.find("/sub/deeper");
  ASSERT_NE(deeper, nullptr);
  EXPECT_EQ(deeper->e.type, EntryType::directory);
  const Seen* deep = r.find("/sub/deeper/deep.txt");
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->content, "deep file\n");

  const Seen* big = r.find("/big.bin");
  ASSERT_NE(big, nullptr);
  const std::string expect_big = big_file();
  EXPECT_EQ(big->e.size, expect_big.size());
  EXPECT_EQ(big->sha, sha256(ByteView(std::string_view(expect_big))));

  // A hard link is a second name of the same inode: in squashfs simply another file.
  const Seen* hl = r.find("/sub/os-release-hardlink");
  ASSERT_NE(hl, nullptr);
  if (squashfs) {
    EXPECT_EQ(hl->e.type, EntryType::file);
    EXPECT_EQ(hl->content, "NAME=Fixture\nID=fixture\n");
  }
  if (squashfs) {
    EXPECT_EQ(hello->e.uid, 0u);  // -all-root
    EXPECT_EQ(r.count(EntryType::file), 7u);
    EXPECT_EQ(r.count(EntryType::symlink), 1u);
    EXPECT_EQ(r.count(EntryType::directory), 4u);  // etc bin sub sub/deeper
  }
}

class SquashfsCompressors : public ::testing::TestWithParam<const char*> {};

TEST_P(SquashfsCompressors, ExtractsSampleTree) {
  const std::string comp = GetParam();
  ARCHIVE_FIXTURE(path, "sample-" + comp + ".sqfs");
  auto img = read_file(path);
  Outcome o = unpack_file(path);
  auto sq = o.chunks("squashfs");
  ASSERT_EQ(sq.size(), 1u) << o.diags();
  EXPECT_EQ(sq[0]->offset, 0u);
  EXPECT_EQ(sq[0]->size, bytes_used(img));
  EXPECT_EQ(sq[0]->status, "extracted") << sq[0]->error;
  EXPECT_NE(sq[0]->description.find(comp), std::string::npos) << sq[0]->description;
  // mksquashfs pads to 4 KiB: the rest is a padding gap.
  if (bytes_used(img) < img.size()) {
    auto pad = o.chunks("padding");
    ASSERT_EQ(pad.size(), 1u);
    EXPECT_EQ(pad[0]->offset, bytes_used(img));
  }
  expect_sample_tree(o, true);
  EXPECT_EQ(o.report.refused_unsafe, 0u);
}

INSTANTIATE_TEST_SUITE_P(All, SquashfsCompressors,
                         ::testing::Values("gzip", "xz", "lzma", "lz4", "zstd"),
                         [](const auto& info) { return std::string(info.param); });

TEST(Squashfs, EmbeddedAtOffset) {
  ARCHIVE_FIXTURE(path, "embedded.bin");
  auto img = read_file(path);
  Outcome o = unpack_file(path);
  auto sq = o.chunks("squashfs");
  ASSERT_EQ(sq.size(), 1u) << o.diags();
  EXPECT_EQ(sq[0]->offset, 0x10000u);
  EXPECT_EQ(sq[0]->size, bytes_used(img, 0x10000));
  const Seen* hello = o.rec.find("/etc/hello.txt");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->sha, kHelloSha);
  EXPECT_NE(hello->e.root.find("0x10000-squashfs"), std::string::npos) << hello->e.root;
  // The random prefix is an unknown gap.
  bool prefix = false;
  for (const auto& c : o.report.chunks)
    if (c.offset == 0 && c.format == "unknown" && c.size == 0x10000) prefix = true;
  EXPECT_TRUE(prefix);
}

TEST(Squashfs, TruncatedImageFailsWithDiagnostic) {
  ARCHIVE_FIXTURE(path, "truncated.sqfs");
  Outcome o = unpack_file(path);
  auto sq = o.chunks("squashfs");
  ASSERT_EQ(sq.size(), 1u) << o.diags();
  EXPECT_EQ(sq[0]->status, "failed");
  EXPECT_TRUE(o.has_diag(Errc::truncated)) << o.diags();
}

TEST(Squashfs, CorruptFileDataKeepsOtherFiles) {
  ARCHIVE_FIXTURE(path, "corrupt-data.sqfs");
  Outcome o = unpack_file(path);
  auto sq = o.chunks("squashfs");
  ASSERT_EQ(sq.size(), 1u) << o.diags();
  EXPECT_TRUE(o.has_diag(Errc::corrupt, "cannot read")) << o.diags();
  // Files whose data lives elsewhere still come out.
  const Seen* hello = o.rec.find("/etc/hello.txt");
  ASSERT_NE(hello, nullptr) << o.diags();
  EXPECT_EQ(hello->sha, kHelloSha);
  EXPECT_NE(o.rec.find("/bin/hello-link"), nullptr);
}

TEST(Squashfs, ProbeRejectsBadSuperblocks) {
  ARCHIVE_FIXTURE(path, "sample-xz.sqfs");
  auto img = read_file(path);
  const unpack::Unpacker* u = registry().find("squashfs");
  ASSERT_NE(u, nullptr);
  auto ok = u->probe(ByteView(img), 0);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size, bytes_used(img));
  auto bad = img;
  bad[22] ^= 1;  // block_log no longer matches block_size
  auto r = u->probe(ByteView(bad), 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_this_format);
  bad = img;
  bad[28] = 3;  // version 3.x
  EXPECT_FALSE(u->probe(ByteView(bad), 0).ok());
  EXPECT_FALSE(u->probe(ByteView(img).sub(0, 50), 0).ok());
}

TEST(Squashfs, FileSizeLimitStopsExtraction) {
  ARCHIVE_FIXTURE(path, "sample-gzip.sqfs");
  Limits l;
  l.max_file_bytes = 100 * 1024;  // big.bin is 360000 bytes
  Outcome o = unpack_file(path, l);
  auto sq = o.chunks("squashfs");
  ASSERT_EQ(sq.size(), 1u);
  EXPECT_NE(sq[0]->status, "extracted");
  EXPECT_TRUE(o.report.limit_hit);
  EXPECT_TRUE(o.has_diag(Errc::limit_exceeded, "max-file-size")) << o.diags();
}

// Real firmware from ../shared: the xz rootfs of the armhf dpkg image.
TEST(Squashfs, RealArmhfDpkgImage) {
  WAYBILL_REQUIRE_SHARED(shared);
  const auto img_path = shared / "corpus/firmware/armhf/fw-armhf-dpkg.sqfs-xz.img";
  if (!std::filesystem::exists(img_path)) GTEST_SKIP() << "image not in ../shared";
  Outcome o = unpack_file(img_path);
  auto sq = o.chunks("squashfs");
  ASSERT_EQ(sq.size(), 1u) << o.diags();
  EXPECT_EQ(sq[0]->status, "extracted") << sq[0]->error;
  const std::string truth = read_text(img_path.string() + ".truth.json");
  // bytes_used from the truth file's container layer.
  auto pos = truth.find("\"bytes_used\":");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(sq[0]->size, std::stoull(truth.substr(pos + 13)));

  const Seen* bb = o.rec.find("/bin/busybox");
  ASSERT_NE(bb, nullptr);
  EXPECT_GT(bb->e.size, 100000u);

  // Compare counts with unsquashfs when it is installed; the truth file's rootfs_file_entries
  // (601) counts non-empty files plus symlinks.
  std::size_t files = o.rec.count(EntryType::file), links = o.rec.count(EntryType::symlink),
              dirs = o.rec.count(EntryType::directory);
  std::size_t empty = 0;
  for (const auto& s : o.rec.all)
    if (!s.e.blob && s.e.type == EntryType::file && s.e.size == 0) ++empty;
  pos = truth.find("\"rootfs_file_entries\":");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(files - empty + links, std::stoull(truth.substr(pos + 22)));
  pos = truth.find("\"inodes\":");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(files + links + dirs + 1, std::stoull(truth.substr(pos + 9)));  // + the root
  auto ls = run("unsquashfs -lls '" + img_path.string() + "'");
  if (ls.exit_code == 0) {
    std::size_t uf = 0, ul = 0, ud = 0;
    std::istringstream in(ls.out);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("squashfs-root/") == std::string::npos) continue;
      if (line[0] == '-') ++uf;
      if (line[0] == 'l') ++ul;
      if (line[0] == 'd') ++ud;
    }
    EXPECT_EQ(files, uf);
    EXPECT_EQ(links, ul);
    EXPECT_EQ(dirs, ud);
  }
}

}  // namespace
}  // namespace waybill::test::archives
