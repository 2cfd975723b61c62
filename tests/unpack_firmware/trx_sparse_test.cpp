#include <cstring>

#include "unpack_firmware/harness.h"

namespace waybill::test::fw {
namespace {

TEST(Trx, Partitions) {
  WAYBILL_FW_FIXTURE(path, "image.trx");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "image.trx");
  const ChunkRecord* c = r.chunk("trx", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(c->status, "extracted");
  EXPECT_EQ(info(*c, "version"), "1");
  EXPECT_EQ(info(*c, "crc_ok"), "true");
  EXPECT_EQ(info(*c, "partition-0.offset"), "28");
  EXPECT_EQ(info(*c, "partition-1.offset"), "10032");
  const Seen* k = r.file("0x0-trx/partition-0");
  ASSERT_NE(k, nullptr) << r.dump();
  EXPECT_EQ(text(k->content, 0, 21), "WAYBILL-KERNEL-000000");
  EXPECT_EQ(k->content.size(), 10032u - 28u);
  if (has_squashfs()) {
    EXPECT_NE(r.chunk("squashfs", "0x0-trx/partition-1", 0), nullptr) << r.dump();
  } else {
    const Seen* p = r.file("0x0-trx/partition-1");
    ASSERT_NE(p, nullptr) << r.dump();
    EXPECT_EQ(text(p->content, 0, 4), "hsqs");
  }
  EXPECT_TRUE(r.diags("trx", Severity::warning).empty()) << r.dump();
}

TEST(Trx, BadCrcIsAWarning) {
  WAYBILL_FW_FIXTURE(path, "badcrc.trx");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "badcrc.trx");
  const ChunkRecord* c = r.chunk("trx", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(info(*c, "crc_ok"), "false");
  auto w = r.diags("trx", Severity::warning);
  ASSERT_EQ(w.size(), 1u) << r.dump();
  EXPECT_NE(w[0]->message.find("CRC mismatch"), std::string::npos);
  EXPECT_EQ(w[0]->offset, std::optional<std::uint64_t>(8));
  EXPECT_NE(r.file("0x0-trx/partition-0"), nullptr);
}

TEST(AndroidSparse, ExpandsToTheSourceImage) {
  WAYBILL_FW_FIXTURE(path, "sparse.simg");
  WAYBILL_FW_FIXTURE(src_path, "sparse-src.img");
  auto bytes = read_file(path);
  auto src = read_file(src_path);
  Outcome r = unpack(ByteView(bytes), "sparse.simg");
  const ChunkRecord* c = r.chunk("android-sparse", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(c->status, "extracted");
  EXPECT_EQ(info(*c, "expanded_size"), std::to_string(src.size()));
  const Seen* raw = r.file("0x0-android-sparse/raw.img");
  ASSERT_NE(raw, nullptr) << r.dump();
  EXPECT_EQ(raw->e.size, src.size());
  EXPECT_TRUE(raw->content == src);
  EXPECT_TRUE(r.diags("android-sparse", Severity::warning).empty()) << r.dump();
}

TEST(AndroidSparse, FileSizeLimitStopsExpansion) {
  WAYBILL_FW_FIXTURE(path, "sparse.simg");
  auto bytes = read_file(path);
  UnpackOptions opts;
  opts.limits.max_file_bytes = 64 * 1024;
  Outcome r = unpack(ByteView(bytes), "sparse.simg", opts);
  const ChunkRecord* c = r.chunk("android-sparse", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->status, "failed");
  EXPECT_TRUE(r.report.limit_hit);
  EXPECT_EQ(r.file("0x0-android-sparse/raw.img"), nullptr);
}

// 28-byte header + one DONT_CARE chunk of 2^32-1 blocks of 4 KiB: 16 TiB of zeros from 40 bytes.
TEST(AndroidSparse, BombIsRefusedBeforeAllocation) {
  std::vector<std::uint8_t> b(40, 0);
  auto le16 = [&](std::size_t o, std::uint16_t v) {
    b[o] = v & 0xff;
    b[o + 1] = v >> 8;
  };
  auto le32 = [&](std::size_t o, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[o + i] = (v >> (8 * i)) & 0xff;
  };
  le32(0, 0xed26ff3a);
  le16(4, 1);
  le16(8, 28);
  le16(10, 12);
  le32(12, 4096);
  le32(16, 0xffffffff);
  le32(20, 1);
  le16(28, 0xCAC3);
  le32(32, 0xffffffff);
  le32(36, 12);
  Outcome r = unpack(ByteView(b), "bomb.simg");
  const ChunkRecord* c = r.chunk("android-sparse", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->status, "failed");
  EXPECT_TRUE(r.report.limit_hit);
}

}  // namespace
}  // namespace waybill::test::fw
