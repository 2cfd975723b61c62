// SBOM-declared file hashes against the files actually present, on real files from ../shared:
// the index is built from their real SHA-256; the SBOM declares right, wrong and absent files.
#include <gtest/gtest.h>

#include "support/support.h"
#include "trust/crypto.h"
#include "trust/trust.h"

namespace waybill::trust {
namespace {

namespace fs = std::filesystem;

TEST(SbomHashes, MatchMismatchAndMissingPerComponent) {
  WAYBILL_REQUIRE_SHARED(shared);
  catalog::FileIndex index;
  std::vector<std::pair<std::string, std::string>> files;  // in-root path, sha256
  for (const char* name : {"catalogs.md", "dependencies.md", "peers.md"}) {
    auto bytes = test::read_file(shared / "reference" / name);
    catalog::FileRecord r;
    r.root = "rootfs";
    r.path = std::string("/usr/share/doc/") + name;
    r.size = bytes.size();
    r.sha256 = detail::sha256_hex(ByteView(bytes));
    files.emplace_back(r.path, r.sha256);
    index.add(r);
  }
  model::Sbom sbom;
  model::Component good;
  good.bom_ref = "pkg:generic/docs@1";
  good.name = "docs";
  good.files = {
      {files[0].first, "rootfs", files[0].second, 0},
      {"/usr/share/doc/../doc/" + std::string("dependencies.md"), "", files[1].second, 0}};
  model::Component bad;
  bad.name = "tampered";
  bad.version = "2";
  std::string wrong = files[2].second;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  bad.files = {{files[2].first, "rootfs", wrong, 0},
               {"/usr/bin/absent", "rootfs", std::string(64, 'a'), 0},
               {files[0].first, "rootfs", files[0].second, 0}};
  model::Component none;  // declares no hashes: no verdict
  none.name = "nohashes";
  none.files = {{"/etc/x", "rootfs", "", 0}};
  sbom.components = {good, bad, none};

  auto vs = verify_sbom_hashes(sbom, index);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].kind, "sbom-hashes");
  EXPECT_EQ(vs[0].subject, "pkg:generic/docs@1");
  EXPECT_EQ(vs[0].verdict, "pass") << vs[0].detail;
  EXPECT_EQ(vs[1].subject, "tampered@2");
  EXPECT_EQ(vs[1].verdict, "fail");
  EXPECT_NE(vs[1].detail.find("2 of 3"), std::string::npos) << vs[1].detail;
  EXPECT_NE(vs[1].detail.find("1 mismatching, 1 missing"), std::string::npos) << vs[1].detail;
  bool saw_mismatch = false, saw_missing = false;
  for (const auto& e : vs[1].evidence) {
    saw_mismatch |= e.find("mismatch /usr/share/doc/peers.md declared sha256:" + wrong) == 0;
    saw_missing |= e == "missing /usr/bin/absent";
  }
  EXPECT_TRUE(saw_mismatch && saw_missing);
}

}  // namespace
}  // namespace waybill::trust
