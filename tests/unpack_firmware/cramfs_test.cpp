#include "unpack_firmware/harness.h"

namespace waybill::test::fw {
namespace {

void check_cramfs(const std::string& name, const std::string& endian) {
  WAYBILL_FW_FIXTURE(path, name);
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), name);
  const ChunkRecord* c = r.chunk("cramfs", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(c->status, "extracted");
  EXPECT_EQ(info(*c, "endianness"), endian);
  EXPECT_EQ(info(*c, "crc_ok"), "true");
  const std::string root = "0x0-cramfs";
  const Seen* osr = r.file(root + "/etc/os-release");
  ASSERT_NE(osr, nullptr) << r.dump();
  EXPECT_EQ(text(osr->content, 0, 100), "NAME=\"Waybill Test OS\"\nVERSION_ID=1.2\n");
  const Seen* big = r.file(root + "/usr/bin/big.bin");
  ASSERT_NE(big, nullptr) << r.dump();
  ASSERT_EQ(big->content.size(), 20000u);  // five 4 KiB blocks
  EXPECT_EQ(text(big->content, 0, 18), "WAYBILL-BIG-000000");
  EXPECT_EQ(text(big->content, 19992 - 19992 % 19, 11), "WAYBILL-BIG");
  const Seen* empty = r.file(root + "/empty");
  ASSERT_NE(empty, nullptr) << r.dump();
  EXPECT_EQ(empty->content.size(), 0u);
  const Seen* ln = r.link(root + "/usr/release-link");
  ASSERT_NE(ln, nullptr) << r.dump();
  EXPECT_EQ(ln->e.link_target, "../etc/os-release");
  EXPECT_EQ(ln->e.type, EntryType::symlink);
  bool has_usr_bin = false;
  for (const auto& d : r.rec.dirs) has_usr_bin |= d.e.full_path() == root + "/usr/bin";
  EXPECT_TRUE(has_usr_bin) << r.dump();
  EXPECT_TRUE(r.diags("cramfs", Severity::warning).empty()) << r.dump();
}

TEST(Cramfs, LittleEndian) {
  check_cramfs("cramfs-le.img", "little");
}
TEST(Cramfs, BigEndian) {
  check_cramfs("cramfs-be.img", "big");
}

TEST(Cramfs, CorruptBlockIsReportedAndOtherFilesSurvive) {
  WAYBILL_FW_FIXTURE(path, "cramfs-le.img");
  auto bytes = read_file(path);
  // Damage the last compressed block in the image (end of data), keep the superblock intact.
  std::size_t used = std::stoull([&] {
    Outcome r = unpack(ByteView(bytes), "x");
    return info(*r.chunk("cramfs", "", 0), "size");
  }());
  std::size_t end = used;
  while (end > 0 && bytes[end - 1] == 0) --end;
  for (std::size_t i = end - 8; i < end; ++i) bytes[i] ^= 0x5a;
  Outcome r = unpack(ByteView(bytes), "bad-cramfs.img");
  const ChunkRecord* c = r.chunk("cramfs", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(info(*c, "crc_ok"), "false");
  auto w = r.diags("cramfs", Severity::warning);
  ASSERT_GE(w.size(), 1u) << r.dump();
  bool crc = false;
  for (auto* d : w) crc |= d->message.find("CRC mismatch") != std::string::npos;
  EXPECT_TRUE(crc) << r.dump();
  EXPECT_GE(r.rec.files.size(), 2u) << r.dump();
}

}  // namespace
}  // namespace waybill::test::fw

namespace waybill::test::fw {
namespace {

TEST(Cramfs, HolesReadAsZeros) {
  WAYBILL_FW_FIXTURE(path, "cramfs-holes.img");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "cramfs-holes.img");
  const ChunkRecord* c = r.chunk("cramfs", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  const Seen* f = r.file("0x0-cramfs/holes.bin");
  ASSERT_NE(f, nullptr) << r.dump();
  ASSERT_EQ(f->content.size(), 4096u + 8192u + 100u);
  EXPECT_EQ(text(f->content, 0, 12), "WAYBILL-HOLE");
  EXPECT_TRUE(std::all_of(f->content.begin() + 4096, f->content.begin() + 12288,
                          [](std::uint8_t b) { return b == 0; }));
  EXPECT_EQ(text(f->content, 12288, 12), "WAYBILL-TAIL");
  EXPECT_TRUE(r.diags("cramfs", Severity::warning).empty()) << r.dump();
}

}  // namespace
}  // namespace waybill::test::fw
