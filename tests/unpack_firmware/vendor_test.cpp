#include <random>

#include "unpack_firmware/harness.h"

namespace waybill::test::fw {
namespace {

// 512-byte vendor header + uImage + 0xff padding to 64 KiB + squashfs + trailer.
TEST(VendorLayout, CarvesChunksPaddingAndGaps) {
  WAYBILL_FW_FIXTURE(path, "vendor.bin");
  WAYBILL_FW_FIXTURE(uimage_path, "kernel.uImage");
  WAYBILL_FW_FIXTURE(sq_path, "rootfs.sqfs");
  auto bytes = read_file(path);
  const std::uint64_t usize = std::filesystem::file_size(uimage_path);
  const std::uint64_t sqsize = std::filesystem::file_size(sq_path);
  Outcome r = unpack(ByteView(bytes), "vendor.bin");

  const ChunkRecord* head = r.chunk("unknown", "", 0);
  ASSERT_NE(head, nullptr) << r.dump();
  EXPECT_EQ(head->size, 512u);
  const ChunkRecord* u = r.chunk("uimage", "", 512);
  ASSERT_NE(u, nullptr) << r.dump();
  EXPECT_EQ(u->size, usize);
  EXPECT_EQ(info(*u, "name"), "waybill-kernel");
  const Seen* k = r.file("0x200-uimage/kernel");
  ASSERT_NE(k, nullptr) << r.dump();
  EXPECT_EQ(text(k->content, 0, 14), "WAYBILL-KERNEL");
  // The vendor header is analysed as an unknown blob.
  EXPECT_NE(r.file("/0x0-0x200.unknown"), nullptr) << r.dump();

  if (has_squashfs()) {
    const ChunkRecord* pad = r.chunk("padding", "", 512 + usize);
    ASSERT_NE(pad, nullptr) << r.dump();
    EXPECT_EQ(pad->offset + pad->size, 65536u);
    EXPECT_EQ(pad->description, "0xff fill");
    const ChunkRecord* sq = r.chunk("squashfs", "", 65536);
    ASSERT_NE(sq, nullptr) << r.dump();
    // mksquashfs pads to 4 KiB; the unpacker may report bytes_used or the padded size.
    EXPECT_LE(sq->size, sqsize);
    EXPECT_NE(r.file("0x10000-squashfs/etc/os-release"), nullptr) << r.dump();
    const ChunkRecord* tail = r.chunk("unknown", "", 65536 + sq->size);
    ASSERT_NE(tail, nullptr) << r.dump();
    EXPECT_EQ(tail->offset + tail->size, bytes.size());
  } else {
    // Without a squashfs unpacker, padding + squashfs + trailer form one unknown gap.
    const ChunkRecord* rest = r.chunk("unknown", "", 512 + usize);
    ASSERT_NE(rest, nullptr) << r.dump();
    EXPECT_EQ(rest->offset + rest->size, bytes.size());
  }
}

// Mutated and truncated samples of every firmware format must never crash (run under
// -DWAYBILL_SANITIZE=ON to make this meaningful) and never loop.
TEST(FirmwareRobustness, MutatedSamplesDoNotCrash) {
  const char* names[] = {"kernel.uImage", "multi.uImage",    "image.fit",   "image-ext.fit",
                         "board.dtb",     "image.trx",       "sparse.simg", "cramfs-le.img",
                         "cramfs-be.img", "cramfs-holes.img"};
  std::mt19937 rng(20240601);
  int tried = 0;
  for (const char* n : names) {
    auto p = fixtures_dir() / "firmware" / n;
    if (!std::filesystem::exists(p)) continue;
    const auto orig = read_file(p);
    for (int round = 0; round < 60; ++round) {
      auto b = orig;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < flips; ++i) {
        // Favour the headers, where the interesting fields are.
        std::size_t range = (rng() % 2) ? std::min<std::size_t>(b.size(), 256) : b.size();
        b[rng() % range] = static_cast<std::uint8_t>(rng());
      }
      if (round % 5 == 0) b.resize(rng() % b.size());
      if (b.empty()) continue;
      UnpackOptions opts;
      opts.limits.max_total_bytes = 64u << 20;
      Outcome r = unpack(ByteView(b), n, opts);
      ++tried;
      (void)r;
    }
  }
  if (tried == 0) GTEST_SKIP() << "no firmware fixtures";
}

TEST(FirmwareRobustness, ProbesRejectNoiseAroundEveryMagic) {
  std::mt19937 rng(7);
  std::vector<std::uint8_t> buf(1 << 16);
  for (auto& x : buf) x = static_cast<std::uint8_t>(rng());
  for (const auto& u : registry().all()) {
    for (const auto& m : u->magics()) {
      for (int i = 0; i < 64; ++i) {
        std::size_t off = m.offset + rng() % (buf.size() - m.offset - m.bytes.size());
        std::copy(m.bytes.begin(), m.bytes.end(), buf.begin() + static_cast<std::ptrdiff_t>(off));
      }
    }
  }
  const char* mine[] = {"uimage", "fit", "trx", "android-sparse", "cramfs"};
  for (std::size_t start = 0; start < buf.size(); start += 4) {
    for (const char* id : mine) {
      const Unpacker* u = registry().find(id);
      ASSERT_NE(u, nullptr);
      auto res = u->probe(ByteView(buf), start);
      EXPECT_FALSE(res.ok()) << id << " accepted noise at " << start;
    }
  }
}

}  // namespace
}  // namespace waybill::test::fw
