#include "unpack_firmware/harness.h"

namespace waybill::test::fw {
namespace {

void check_fit(const std::string& name, bool external) {
  WAYBILL_FW_FIXTURE(path, name);
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), name);
  const ChunkRecord* c = r.chunk("fit", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, bytes.size()) << "chunk must cover external data too";
  EXPECT_EQ(c->status, "extracted");
  EXPECT_EQ(info(*c, "kind"), "fit");
  EXPECT_EQ(info(*c, "description"), "Waybill test FIT");
  EXPECT_EQ(info(*c, "default"), "conf-1");
  EXPECT_EQ(info(*c, "kernel-1.type"), "kernel");
  EXPECT_EQ(info(*c, "kernel-1.arch"), "arm");
  EXPECT_EQ(info(*c, "kernel-1.os"), "linux");
  EXPECT_EQ(info(*c, "kernel-1.compression"), "none");
  EXPECT_EQ(info(*c, "kernel-1.description"), "Test kernel");
  EXPECT_EQ(info(*c, "kernel-1.data_size"), "10001");
  EXPECT_EQ(info(*c, "fdt-1.type"), "flat_dt");
  if (external) {
    EXPECT_EQ(info(*c, "kernel-1.external"), "true");
  }

  const Seen* k = r.file("0x0-fit/kernel-1");
  ASSERT_NE(k, nullptr) << r.dump();
  EXPECT_EQ(k->content.size(), 10001u);
  EXPECT_EQ(text(k->content, 0, 21), "WAYBILL-KERNEL-000000");
  // The DTB sub-image is carved again: a plain device tree with only header facts.
  const ChunkRecord* dtb = r.chunk("fit", "0x0-fit/fdt-1", 0);
  ASSERT_NE(dtb, nullptr) << r.dump();
  EXPECT_EQ(info(*dtb, "kind"), "dtb");
  EXPECT_EQ(info(*dtb, "model"), "Waybill Test Board");
  EXPECT_EQ(dtb->entries, 0u);
  EXPECT_TRUE(r.diags("fit", Severity::warning).empty()) << r.dump();
}

TEST(Fit, EmbeddedData) {
  check_fit("image.fit", false);
}
TEST(Fit, ExternalData) {
  check_fit("image-ext.fit", true);
}

TEST(Fit, HashMismatchesAreWarnings) {
  WAYBILL_FW_FIXTURE(path, "image-badhash.fit");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "image-badhash.fit");
  const ChunkRecord* c = r.chunk("fit", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->status, "extracted");
  auto w = r.diags("fit", Severity::warning);
  ASSERT_EQ(w.size(), 2u) << r.dump();
  std::string all = w[0]->message + "\n" + w[1]->message;
  EXPECT_NE(all.find("crc32 mismatch"), std::string::npos) << all;
  EXPECT_NE(all.find("sha256 mismatch"), std::string::npos) << all;
  EXPECT_NE(all.find("kernel-1"), std::string::npos) << all;
  for (auto* d : w) EXPECT_TRUE(d->offset.has_value());
  EXPECT_NE(r.file("0x0-fit/kernel-1"), nullptr);
}

TEST(Fit, PlainDtbHasNoStreams) {
  WAYBILL_FW_FIXTURE(path, "board.dtb");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "board.dtb");
  const ChunkRecord* c = r.chunk("fit", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(info(*c, "kind"), "dtb");
  EXPECT_EQ(info(*c, "compatible"), "waybill,test-board");
  EXPECT_EQ(c->entries, 0u);
  EXPECT_TRUE(r.rec.files.empty()) << r.dump();
}

TEST(Fit, CorruptStructureIsRejected) {
  WAYBILL_FW_FIXTURE(path, "board.dtb");
  auto bytes = read_file(path);
  // Point the structure block past the end of the blob.
  bytes[8] = 0x7f;
  Outcome r = unpack(ByteView(bytes), "bad.dtb");
  EXPECT_EQ(r.chunk("fit"), nullptr) << r.dump();
}

TEST(Fit, TruncatedExternalData) {
  WAYBILL_FW_FIXTURE(path, "image-ext.fit");
  auto bytes = read_file(path);
  bytes.resize(bytes.size() - 100);
  Outcome r = unpack(ByteView(bytes), "cut.fit");
  const ChunkRecord* c = r.chunk("fit", "", 0);
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->status, "partial");
  bool truncated = false;
  for (const auto& d : r.report.diagnostics.items())
    if (d.source == "fit" && d.code == Errc::truncated) truncated = true;
  EXPECT_TRUE(truncated) << r.dump();
}

}  // namespace
}  // namespace waybill::test::fw
