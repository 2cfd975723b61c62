#include <nlohmann/json.hpp>

#include "unpack_firmware/harness.h"

namespace waybill::test::fw {
namespace {

TEST(UImage, SingleKernel) {
  WAYBILL_FW_FIXTURE(path, "kernel.uImage");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "kernel.uImage");
  const ChunkRecord* c = r.chunk("uimage");
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->offset, 0u);
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(c->status, "extracted");
  EXPECT_EQ(info(*c, "name"), "waybill-kernel");
  EXPECT_EQ(info(*c, "type"), "kernel");
  EXPECT_EQ(info(*c, "os"), "linux");
  EXPECT_EQ(info(*c, "arch"), "arm");
  EXPECT_EQ(info(*c, "compression"), "none");
  EXPECT_EQ(info(*c, "load"), "0x80008000");
  EXPECT_EQ(info(*c, "entry"), "0x80008000");
  EXPECT_EQ(info(*c, "header_crc_ok"), "true");
  EXPECT_EQ(info(*c, "data_crc_ok"), "true");
  const Seen* k = r.file("0x0-uimage/kernel");
  ASSERT_NE(k, nullptr) << r.dump();
  EXPECT_TRUE(k->e.blob);
  EXPECT_EQ(k->content, std::vector<std::uint8_t>(bytes.begin() + 64, bytes.end()));
  EXPECT_TRUE(r.diags("uimage", Severity::warning).empty()) << r.dump();
}

TEST(UImage, MultiSubImages) {
  WAYBILL_FW_FIXTURE(path, "multi.uImage");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "multi.uImage");
  const ChunkRecord* c = r.chunk("uimage");
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(info(*c, "type"), "multi");
  // Three sizes + terminator after the header; kernel.bin is 10001 bytes, padded to 10004.
  EXPECT_EQ(info(*c, "image-0.offset"), "80");
  EXPECT_EQ(info(*c, "image-0.size"), "10001");
  EXPECT_EQ(info(*c, "image-1.offset"), "10084");
  EXPECT_EQ(info(*c, "image-1.size"), "3000");
  EXPECT_EQ(info(*c, "image-2.offset"), "13084");
  EXPECT_EQ(text(bytes, 80, 14), "WAYBILL-KERNEL");
  EXPECT_EQ(text(bytes, 10084, 14), "WAYBILL-INITRD");
  EXPECT_EQ(text(bytes, 13084, 4), "hsqs");

  const Seen* k = r.file("0x0-uimage/image-0");
  ASSERT_NE(k, nullptr) << r.dump();
  EXPECT_EQ(k->content.size(), 10001u);
  EXPECT_EQ(text(k->content, 0, 21), "WAYBILL-KERNEL-000000");
  const Seen* i = r.file("0x0-uimage/image-1");
  ASSERT_NE(i, nullptr) << r.dump();
  EXPECT_EQ(i->content.size(), 3000u);
  if (has_squashfs()) {
    const ChunkRecord* sq = r.chunk("squashfs", "0x0-uimage/image-2", 0);
    ASSERT_NE(sq, nullptr) << r.dump();
    const Seen* osr = r.file("0x0-uimage/image-2.extract/0x0-squashfs/etc/os-release");
    ASSERT_NE(osr, nullptr) << r.dump();
    EXPECT_NE(text(osr->content, 0, 100).find("Waybill Test OS"), std::string::npos);
  } else {
    const Seen* s = r.file("0x0-uimage/image-2");
    ASSERT_NE(s, nullptr) << r.dump();
    EXPECT_EQ(text(s->content, 0, 4), "hsqs");
  }
  EXPECT_TRUE(r.diags("uimage", Severity::warning).empty()) << r.dump();
}

TEST(UImage, BadDataCrcIsAWarningNotARejection) {
  WAYBILL_FW_FIXTURE(path, "badcrc.uImage");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "badcrc.uImage");
  const ChunkRecord* c = r.chunk("uimage");
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->status, "extracted");
  EXPECT_EQ(info(*c, "header_crc_ok"), "true");
  EXPECT_EQ(info(*c, "data_crc_ok"), "false");
  auto w = r.diags("uimage", Severity::warning);
  ASSERT_EQ(w.size(), 1u) << r.dump();
  EXPECT_EQ(w[0]->code, Errc::corrupt);
  EXPECT_EQ(w[0]->offset, std::optional<std::uint64_t>(64));
  EXPECT_NE(w[0]->message.find("data CRC"), std::string::npos);
  EXPECT_NE(r.file("0x0-uimage/kernel"), nullptr);
}

TEST(UImage, BadHeaderCrcWithSaneFieldsIsAccepted) {
  WAYBILL_FW_FIXTURE(path, "kernel.uImage");
  auto bytes = read_file(path);
  bytes[40] ^= 1;  // inside the name: header CRC now wrong, fields still plausible
  Outcome r = unpack(ByteView(bytes), "hcrc.uImage");
  const ChunkRecord* c = r.chunk("uimage");
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(info(*c, "header_crc_ok"), "false");
  auto w = r.diags("uimage", Severity::warning);
  ASSERT_EQ(w.size(), 1u) << r.dump();
  EXPECT_EQ(w[0]->offset, std::optional<std::uint64_t>(0));
  EXPECT_NE(w[0]->message.find("header CRC"), std::string::npos);
}

TEST(UImage, BadHeaderCrcWithImplausibleFieldsIsRejected) {
  WAYBILL_FW_FIXTURE(path, "kernel.uImage");
  auto bytes = read_file(path);
  bytes[31] = 0x77;  // compression code that does not exist, and the header CRC is now wrong
  Outcome r = unpack(ByteView(bytes), "junk.uImage");
  EXPECT_EQ(r.chunk("uimage"), nullptr) << r.dump();
}

TEST(UImage, Truncated) {
  WAYBILL_FW_FIXTURE(path, "truncated.uImage");
  auto bytes = read_file(path);
  Outcome r = unpack(ByteView(bytes), "truncated.uImage");
  const ChunkRecord* c = r.chunk("uimage");
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->status, "partial");
  EXPECT_EQ(c->size, bytes.size());
  EXPECT_EQ(info(*c, "data_crc_ok"), "truncated");
  bool truncated_diag = false;
  for (const auto& d : r.report.diagnostics.items())
    if (d.source == "uimage" && d.code == Errc::truncated) truncated_diag = true;
  EXPECT_TRUE(truncated_diag) << r.dump();
  // The complete sub-images are still delivered.
  const Seen* k = r.file("0x0-uimage/image-0");
  ASSERT_NE(k, nullptr) << r.dump();
  EXPECT_EQ(k->content.size(), 10001u);
}

TEST(UImage, RandomBytesAfterMagicAreRejected) {
  std::vector<std::uint8_t> buf(4096);
  std::uint32_t x = 12345;
  for (auto& b : buf) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(x >> 16);
  }
  for (std::size_t off : {0u, 100u, 1000u, 3000u, 4060u}) {
    buf[off] = 0x27;
    buf[off + 1] = 0x05;
    buf[off + 2] = 0x19;
    buf[off + 3] = 0x56;
  }
  Outcome r = unpack(ByteView(buf), "random.bin");
  EXPECT_EQ(r.chunk("uimage"), nullptr) << r.dump();
}

// Real firmware from ../shared: the multi-image layout must match the truth file.
TEST(UImage, SharedCorpusMultiLayout) {
  WAYBILL_REQUIRE_SHARED(shared);
  const auto dir = shared / "corpus" / "firmware" / "armhf";
  const auto img = dir / "fw-armhf-opkg-defects.uImage";
  if (!std::filesystem::exists(img)) GTEST_SKIP() << img << " missing";
  auto truth = nlohmann::json::parse(read_text(dir / "fw-armhf-opkg-defects.uImage.truth.json"));
  const nlohmann::json* layer = nullptr;
  for (const auto& l : truth.at("container_layers"))
    if (l.value("format", "").rfind("uImage", 0) == 0) layer = &l;
  ASSERT_NE(layer, nullptr);

  auto bytes = read_file(img);
  Outcome r = unpack(ByteView(bytes), img.filename().string());
  const ChunkRecord* c = r.chunk("uimage", "", layer->at("offset").get<std::uint64_t>());
  ASSERT_NE(c, nullptr) << r.dump();
  EXPECT_EQ(c->size, 64 + layer->at("data_size").get<std::uint64_t>());
  EXPECT_EQ(info(*c, "name"), layer->at("name").get<std::string>());
  EXPECT_EQ(info(*c, "header_crc_ok"), layer->at("header_crc_ok").get<bool>() ? "true" : "false");
  EXPECT_EQ(info(*c, "data_crc_ok"), layer->at("data_crc_ok").get<bool>() ? "true" : "false");
  EXPECT_EQ(info(*c, "load"), layer->at("load").get<std::string>());
  const auto& subs = layer->at("multi_subimages");
  ASSERT_FALSE(subs.empty());
  for (const auto& s : subs) {
    std::string k = "image-" + std::to_string(s.at("index").get<int>());
    EXPECT_EQ(c->offset + std::stoull(info(*c, k + ".offset")),
              s.at("offset").get<std::uint64_t>());
    EXPECT_EQ(info(*c, k + ".size"), std::to_string(s.at("size").get<std::uint64_t>()));
  }
  EXPECT_FALSE(r.chunk("uimage", "", 0) == nullptr);
  if (has_squashfs()) {
    bool found = false;
    for (const auto& ch : r.report.chunks)
      if (ch.format == "squashfs" && ch.buffer.rfind("0x0-uimage/image-", 0) == 0) found = true;
    EXPECT_TRUE(found) << r.dump();
  }
}

}  // namespace
}  // namespace waybill::test::fw
