#include <gtest/gtest.h>

#include "unpack_archives/archive_harness.h"

namespace waybill::test::archives {
namespace {

// gtest parameter names from file names ("sample-newc.cpio" -> "sample_newc_cpio").
std::string param_name(std::string n) {
  for (auto& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

using unpack::EntryType;

// Offset just after the cpio trailer record (newc pads the name to 4 bytes).
std::uint64_t cpio_end(const std::vector<std::uint8_t>& a, std::uint64_t from, bool odc) {
  std::string_view s(reinterpret_cast<const char*>(a.data()), a.size());
  std::size_t t = s.find("TRAILER!!!", from);
  EXPECT_NE(t, std::string_view::npos);
  std::uint64_t end = t + 11;
  return odc ? end : (end + 3) & ~std::uint64_t{3};
}

void expect_common_entries(const Outcome& o) {
  const Seen* hello = o.rec.find("/etc/hello.txt");
  ASSERT_NE(hello, nullptr) << o.diags();
  EXPECT_EQ(hello->sha, kHelloSha);
  EXPECT_EQ(hello->e.size, 14u);
  const Seen* su = o.rec.find("/bin/su");
  ASSERT_NE(su, nullptr);
  EXPECT_EQ(su->e.mode, 04755u);
  const Seen* deep = o.rec.find("/sub/deeper/deep.txt");
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->content, "deep file\n");
  const Seen* dir = o.rec.find("/sub/deeper");
  ASSERT_NE(dir, nullptr);
  EXPECT_EQ(dir->e.type, EntryType::directory);
  const Seen* big = o.rec.find("/big.bin");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->e.size, 360000u);
  const Seen* empty = o.rec.find("/empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->e.size, 0u);
}

void expect_symlink(const Outcome& o) {
  const Seen* link = o.rec.find("/bin/hello-link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->e.type, EntryType::symlink);
  EXPECT_EQ(link->e.link_target, "../etc/hello.txt");
}

struct CpioCase {
  const char* file;
  bool odc;
};
void PrintTo(const CpioCase& c, std::ostream* os) {
  *os << c.file;
}
class CpioVariants : public ::testing::TestWithParam<CpioCase> {};

TEST_P(CpioVariants, ExactSizeAndEntries) {
  ARCHIVE_FIXTURE(path, GetParam().file);
  auto bytes = read_file(path);
  Outcome o = unpack_file(path);
  auto c = o.chunks("cpio");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->offset, 0u);
  EXPECT_EQ(c[0]->size, cpio_end(bytes, 0, GetParam().odc));
  EXPECT_EQ(c[0]->status, "extracted") << c[0]->error;
  expect_common_entries(o);
  expect_symlink(o);
  // The hard link pair: both names exist; one holds the data.
  const Seen* a = o.rec.find("/etc/os-release");
  const Seen* b = o.rec.find("/sub/os-release-hardlink");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  // newc keeps the data with the last name: earlier names become hard links to it, never
  // empty files.
  for (const Seen* s : {a, b}) {
    const Seen* other = s == a ? b : a;
    if (s->e.type == EntryType::hardlink) {
      EXPECT_EQ(s->e.link_target, other->e.path);
    } else {
      EXPECT_EQ(s->e.type, EntryType::file);
      EXPECT_EQ(s->content, "NAME=Fixture\nID=fixture\n") << s->e.path;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, CpioVariants,
                         ::testing::Values(CpioCase{"sample-newc.cpio", false},
                                           CpioCase{"sample-crc.cpio", false},
                                           CpioCase{"sample-odc.cpio", true}),
                         [](const auto& info) { return param_name(info.param.file); });

TEST(Cpio, CarvingContinuesAfterTrailer) {
  ARCHIVE_FIXTURE(path, "two.cpio");
  ARCHIVE_FIXTURE(first, "sample-newc.cpio");
  auto bytes = read_file(path);
  const std::uint64_t first_size = std::filesystem::file_size(first);
  Outcome o = unpack_file(path);
  auto c = o.chunks("cpio");
  ASSERT_EQ(c.size(), 2u) << o.diags();
  EXPECT_EQ(c[0]->offset, 0u);
  EXPECT_EQ(c[0]->size, cpio_end(bytes, 0, false));
  EXPECT_EQ(c[1]->offset, first_size);
  EXPECT_EQ(c[1]->size, cpio_end(bytes, first_size, true) - first_size);
  EXPECT_EQ(o.chunks("padding").size(), 2u);
}

TEST(Cpio, CorruptHeaderGivesPartialResult) {
  ARCHIVE_FIXTURE(path, "corrupt.cpio");
  Outcome o = unpack_file(path);
  auto c = o.chunks("cpio");
  ASSERT_GE(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->offset, 0u);
  EXPECT_EQ(c[0]->status, "partial") << c[0]->error;
  EXPECT_TRUE(o.has_diag(Errc::corrupt)) << o.diags();
  // The records after the damaged one are carved as a cpio of their own.
  EXPECT_NE(o.rec.find("/etc/hello.txt"), nullptr) << o.diags();
}

TEST(Cpio, ProbeRejectsGarbage) {
  const unpack::Unpacker* u = registry().find("cpio");
  ASSERT_NE(u, nullptr);
  std::string s = "070701" + std::string(104, 'Z');
  auto r = u->probe(ByteView(std::string_view(s)), 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_this_format);
}

class TarVariants : public ::testing::TestWithParam<const char*> {};

TEST_P(TarVariants, ExactSizeAndEntries) {
  ARCHIVE_FIXTURE(path, GetParam());
  auto bytes = read_file(path);
  Outcome o = unpack_file(path);
  auto c = o.chunks("tar");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->offset, 0u);
  EXPECT_EQ(c[0]->status, "extracted") << c[0]->error;
  // The archive ends after the two zero blocks; the rest of the 10 KiB record is padding.
  ASSERT_LE(c[0]->size, bytes.size());
  ASSERT_GE(c[0]->size, 1024u);
  for (std::size_t i = c[0]->size - 1024; i < c[0]->size; ++i) ASSERT_EQ(bytes[i], 0) << i;
  ASSERT_GE(c[0]->size, 1536u);
  bool nonzero = false;
  for (std::size_t i = c[0]->size - 1536; i < c[0]->size - 1024; ++i) nonzero |= bytes[i] != 0;
  EXPECT_TRUE(nonzero) << "chunk should end right after the first two zero blocks";
  expect_common_entries(o);
  expect_symlink(o);
  const Seen* hl = o.rec.find("/sub/os-release-hardlink");
  ASSERT_NE(hl, nullptr);
  EXPECT_EQ(hl->e.type, EntryType::hardlink);
  EXPECT_EQ(hl->e.link_target, "/etc/os-release");
}

INSTANTIATE_TEST_SUITE_P(All, TarVariants, ::testing::Values("sample.tar", "sample-pax.tar"),
                         [](const auto& info) { return param_name(info.param); });

TEST(Zip, ExactSizeAndEntries) {
  ARCHIVE_FIXTURE(path, "sample.zip");
  Outcome o = unpack_file(path);
  auto c = o.chunks("zip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->offset, 0u);
  EXPECT_EQ(c[0]->size, std::filesystem::file_size(path));
  EXPECT_EQ(c[0]->status, "extracted") << c[0]->error;
  expect_common_entries(o);
}

TEST(Zip, EmbeddedInOtherBytes) {
  ARCHIVE_FIXTURE(path, "sample.zip");
  auto zip = read_file(path);
  // Pre-sized and filled by index: GCC 12 -O2 warns (-Warray-bounds) on vector::insert here.
  std::vector<std::uint8_t> buf(5000 + zip.size() + 3000, 0x5A);
  for (std::size_t i = 0; i < 5000; ++i) buf[i] = 0xA5;
  for (std::size_t i = 0; i < zip.size(); ++i) buf[5000 + i] = zip[i];
  Outcome o = unpack_bytes(ByteView(buf), "embedded-zip.bin");
  auto c = o.chunks("zip");
  ASSERT_EQ(c.size(), 1u) << o.diags();
  EXPECT_EQ(c[0]->offset, 5000u);
  EXPECT_EQ(c[0]->size, zip.size());
  EXPECT_NE(o.rec.find("/etc/hello.txt"), nullptr);
}

class UnsafeArchives : public ::testing::TestWithParam<const char*> {};

TEST_P(UnsafeArchives, TraversalIsRefused) {
  ARCHIVE_FIXTURE(path, GetParam());
  Outcome o = unpack_file(path);
  EXPECT_GE(o.report.refused_unsafe, 1u) << o.diags();
  const Seen* good = o.rec.find("/good.txt");
  ASSERT_NE(good, nullptr) << o.diags();
  EXPECT_EQ(good->content, "good\n");
  for (const auto& s : o.rec.all) {
    EXPECT_EQ(s.e.path.find(".."), std::string::npos) << s.e.path;
    EXPECT_EQ(s.e.path.find("evil"), std::string::npos) << s.e.path;
  }
  // Absolute paths are kept, relative to the extraction root.
  const Seen* abs = o.rec.find("/abs/path");
  ASSERT_NE(abs, nullptr);
  EXPECT_EQ(abs->content, "abs\n");
}

INSTANTIATE_TEST_SUITE_P(All, UnsafeArchives,
                         ::testing::Values("unsafe.tar", "unsafe.zip", "unsafe.cpio"),
                         [](const auto& info) { return param_name(info.param); });

TEST(Tar, UnsafeLinksAreRefusedOrKeptRaw) {
  ARCHIVE_FIXTURE(path, "unsafe.tar");
  Outcome o = unpack_file(path);
  // ../evil, a/../../evil2 and the hard link to ../evil.
  EXPECT_EQ(o.report.refused_unsafe, 3u) << o.diags();
  const Seen* l = o.rec.find("/link-out");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->e.link_target, "../../etc/passwd");  // raw; resolution is the visitor's job
}

}  // namespace
}  // namespace waybill::test::archives
