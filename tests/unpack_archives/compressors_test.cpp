#include <gtest/gtest.h>

#include <random>

#include "unpack_archives/archive_harness.h"

namespace waybill::test::archives {
namespace {

struct StreamCase {
  const char* file;
  const char* format;
};

void PrintTo(const StreamCase& c, std::ostream* os) {
  *os << c.file;
}
class Compressors : public ::testing::TestWithParam<StreamCase> {};

TEST_P(Compressors, DecompressesWithExactSize) {
  ARCHIVE_FIXTURE(path, GetParam().file);
  const std::string text = fixture_text("text.txt");
  ASSERT_FALSE(text.empty());
  Outcome o = unpack_file(path);
  auto c = o.chunks(GetParam().format);
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->offset, 0u);
  EXPECT_EQ(c[0]->size, std::filesystem::file_size(path));
  EXPECT_EQ(c[0]->status, "extracted") << c[0]->error;
  EXPECT_EQ(c[0]->bytes, text.size());
  // The decompressed stream holds no container, so it is visited as one blob.
  auto blobs = o.rec.blobs();
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(blobs[0]->content, text);
  EXPECT_NE(blobs[0]->e.full_path().find("decompressed"), std::string::npos);
  EXPECT_EQ(o.report.diagnostics.items().size(), 0u) << o.diags();
}

INSTANTIATE_TEST_SUITE_P(
    All, Compressors,
    ::testing::Values(StreamCase{"text.txt.gz", "gzip"}, StreamCase{"text.txt.xz", "xz"},
                      StreamCase{"text.txt.lzma", "lzma"}, StreamCase{"text.txt.bz2", "bzip2"},
                      StreamCase{"text.txt.zst", "zstd"}, StreamCase{"text.txt.lz4", "lz4"},
                      StreamCase{"text.txt.legacy.lz4", "lz4"}),
    [](const auto& info) {
      std::string n = info.param.file;
      for (auto& ch : n)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(Gzip, StreamEndsAtTrailer) {
  ARCHIVE_FIXTURE(path, "gz-then-tail.bin");
  ARCHIVE_FIXTURE(gz, "text.txt.gz");
  Outcome o = unpack_file(path);
  auto c = o.chunks("gzip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->size, std::filesystem::file_size(gz));
  auto unk = o.chunks("unknown");
  ASSERT_EQ(unk.size(), 1u);
  EXPECT_EQ(unk[0]->offset, std::filesystem::file_size(gz));
  EXPECT_EQ(unk[0]->size, 18u);
}

TEST(Gzip, TruncatedStreamKeepsPrefix) {
  ARCHIVE_FIXTURE(path, "truncated.gz");
  const std::string text = fixture_text("text.txt");
  Outcome o = unpack_file(path);
  auto c = o.chunks("gzip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->status, "partial");
  EXPECT_TRUE(o.has_diag(Errc::truncated)) << o.diags();
  auto blobs = o.rec.blobs();
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_GT(blobs[0]->content.size(), 0u);
  EXPECT_EQ(text.compare(0, blobs[0]->content.size(), blobs[0]->content), 0);
}

TEST(Gzip, BombStopsAtFileSizeLimit) {
  ARCHIVE_FIXTURE(path, "bomb.gz");
  Limits l;
  l.max_file_bytes = 16ull << 20;
  Outcome o = unpack_file(path, l);
  auto c = o.chunks("gzip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->status, "failed");
  EXPECT_NE(c[0]->error.find("max-file-size"), std::string::npos) << c[0]->error;
  EXPECT_TRUE(o.has_diag(Errc::limit_exceeded, "max-file-size")) << o.diags();
  EXPECT_TRUE(o.report.limit_hit);
  EXPECT_LT(o.report.total_bytes, 1u << 20);  // nothing of the bomb was emitted
}

TEST(Gzip, BombStopsAtRatioLimit) {
  ARCHIVE_FIXTURE(path, "bomb.gz");
  Limits l;
  l.ratio_floor_bytes = 4ull << 20;
  l.max_ratio = 50;
  Outcome o = unpack_file(path, l);
  auto c = o.chunks("gzip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->status, "failed");
  EXPECT_NE(c[0]->error.find("max-ratio"), std::string::npos) << c[0]->error;
  EXPECT_TRUE(o.has_diag(Errc::limit_exceeded));
}

TEST(Gzip, BombStopsAtTotalLimit) {
  ARCHIVE_FIXTURE(path, "bomb.gz");
  Limits l;
  l.max_total_bytes = 8ull << 20;
  Outcome o = unpack_file(path, l);
  auto c = o.chunks("gzip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_NE(c[0]->error.find("max-total-size"), std::string::npos) << c[0]->error;
}

TEST(Compressors, ProbesRejectLookalikes) {
  // Magic bytes followed by garbage must not be claimed.
  std::mt19937 rng(1);
  const std::pair<const char*, std::string> cases[] = {
      {"gzip", std::string("\x1f\x8b\x08\x00", 4)},
      {"xz", std::string("\xfd"
                         "7zXZ\x00\x00",
                         7)},
      {"lzma", std::string("\x5d\x00\x00\x80\x00", 5)},
      {"zstd", "\x28\xb5\x2f\xfd"},
      {"lz4", "\x04\x22\x4d\x18"},
      {"lz4", "\x02\x21\x4c\x18"},
      {"bzip2", "BZh9"},
  };
  for (const auto& [id, magic] : cases) {
    const unpack::Unpacker* u = registry().find(id);
    ASSERT_NE(u, nullptr) << id;
    for (int trial = 0; trial < 50; ++trial) {
      std::string s = magic;
      for (int i = 0; i < 4096; ++i) s += static_cast<char>(rng());
      auto r = u->probe(ByteView(std::string_view(s)), 0);
      EXPECT_FALSE(r.ok()) << id << " accepted garbage, trial " << trial;
    }
  }
}

TEST(Inputs, EmptyAndRandom) {
  ARCHIVE_FIXTURE(empty, "empty.bin");
  Outcome e = unpack_file(empty);
  EXPECT_TRUE(e.report.chunks.empty());
  EXPECT_TRUE(e.has_diag(Errc::truncated, "empty"));

  ARCHIVE_FIXTURE(rnd, "random.bin");
  Outcome r = unpack_file(rnd);
  EXPECT_FALSE(r.report.recognised()) << r.diags();
}

// Mutated samples through every unpacker: nothing may crash (run under ASan/UBSan too).
TEST(Robustness, MutatedSamplesDoNotCrash) {
  const char* names[] = {"sample-gzip.sqfs", "sample-xz.sqfs",     "sample-lz4.sqfs",
                         "sample-newc.cpio", "sample-odc.cpio",    "sample.tar",
                         "sample.zip",       "text.txt.gz",        "text.txt.xz",
                         "text.txt.lzma",    "text.txt.bz2",       "text.txt.zst",
                         "text.txt.lz4",     "text.txt.legacy.lz4"};
  std::mt19937 rng(12345);
  Limits l;
  l.max_total_bytes = 64ull << 20;
  l.max_time = std::chrono::seconds(30);
  int runs = 0;
  for (const char* n : names) {
    auto p = fixtures_dir() / "archives" / n;
    if (!std::filesystem::exists(p)) continue;
    const auto orig = read_file(p);
    for (int i = 0; i < 40; ++i) {
      auto m = orig;
      const int flips = 1 + static_cast<int>(rng() % 16);
      for (int f = 0; f < flips && !m.empty(); ++f) {
        // Mostly early bytes, where headers and tables live.
        std::size_t span = (rng() % 2) ? std::min<std::size_t>(m.size(), 512) : m.size();
        m[rng() % span] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      }
      if (rng() % 4 == 0) m.resize(rng() % (m.size() + 1));
      Outcome o = unpack_bytes(ByteView(m), n, l);
      ++runs;
      for (const auto& s : o.rec.all) ASSERT_EQ(s.e.path.find(".."), std::string::npos);
    }
  }
  if (runs == 0) GTEST_SKIP() << "no fixtures";
}

}  // namespace
}  // namespace waybill::test::archives
