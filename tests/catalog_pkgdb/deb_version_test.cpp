#include "catalog/pkgdb/deb_version.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/support.h"

namespace waybill::catalog {
namespace {

TEST(DebVersion, Split) {
  auto v = parse_deb_version("1:1.35.0-4+deb12u1+b1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch, "1");
  EXPECT_EQ(v->upstream, "1.35.0");
  EXPECT_EQ(v->revision, "4+deb12u1+b1");

  v = parse_deb_version("3.0.20-1~deb12u2");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch, "");
  EXPECT_EQ(v->upstream, "3.0.20");
  EXPECT_EQ(v->revision, "1~deb12u2");

  v = parse_deb_version("1.0-beta-3");  // upstream may contain '-' when there is a revision
  ASSERT_TRUE(v);
  EXPECT_EQ(v->upstream, "1.0-beta");
  EXPECT_EQ(v->revision, "3");

  v = parse_deb_version("2023.3+deb12u1");  // native
  ASSERT_TRUE(v);
  EXPECT_EQ(v->revision, "");

  EXPECT_FALSE(parse_deb_version(""));
  EXPECT_FALSE(parse_deb_version(":1.0"));
  EXPECT_FALSE(parse_deb_version("a:1.0"));
  EXPECT_FALSE(parse_deb_version("1.0-"));
  EXPECT_FALSE(parse_deb_version("1.0 bad"));
  EXPECT_FALSE(parse_deb_version(std::string(300, '1')));
}

TEST(DebVersion, UpstreamVersion) {
  const std::pair<const char*, const char*> cases[] = {
      {"1:1.35.0-4+deb12u1+b1", "1.35.0"},
      {"2022.83-1+deb12u3", "2022.83"},
      {"3.0.20-1~deb12u2", "3.0.20"},
      {"2.90-4~deb12u2", "2.90"},
      {"1:1.2.13.dfsg-1", "1.2.13"},
      {"1.2.2+dfsg1-1+deb12u1", "1.2.2"},
      {"1.5.4+dfsg2-5", "1.5.4"},
      {"2:2.10-12+deb12u3", "2.10"},
      {"3.7.0-0.2+b1", "3.7.0"},
      {"0.14-7.1", "0.14"},
      {"1.0+ds-2", "1.0"},
      {"1.0~ds1-2", "1.0"},
      {"4.2+repack1-1", "4.2"},
      {"1.2.3.dfsg.1-1", "1.2.3"},
      {"2.0+really1.9-1", "1.9"},
      {"5:1.2+really1.1+dfsg-3", "1.1"},
      {"2023.3+deb12u1", "2023.3"},  // native stable update
      {"1.2+b2", "1.2"},             // native binNMU
      {"2.4.1+debian-1", "2.4.1"},
      {"1.0~rc1-1", "1.0~rc1"},  // pre-release markers are upstream's
      {"1.0+git20200101.abc-1", "1.0+git20200101.abc"},
      {"1.0+dsp-1", "1.0+dsp"},  // not a "+ds" marker
      {"not a version", "not a version"},
  };
  for (auto [in, want] : cases) EXPECT_EQ(upstream_version(in), want) << in;
}

TEST(DebVersion, AllCorpusTruthPairs) {
  WAYBILL_REQUIRE_SHARED(shared);
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "corpus/firmware/armhf")) {
    if (!entry.path().string().ends_with(".truth.json")) continue;
    auto truth = nlohmann::json::parse(test::read_text(entry.path()));
    for (const auto& c : truth["components"]) {
      std::string full = c["debian_version"];
      EXPECT_EQ(upstream_version(full), c["upstream_version"].get<std::string>()) << full;
      auto v = parse_deb_version(full);
      ASSERT_TRUE(v) << full;
      EXPECT_EQ(v->upstream, c["upstream_version_debian"].get<std::string>()) << full;
      EXPECT_EQ(v->revision, c["debian_revision"].get<std::string>()) << full;
      std::string epoch = c["epoch"].is_null() ? "" : c["epoch"].dump();
      if (c["epoch"].is_string()) epoch = c["epoch"].get<std::string>();
      EXPECT_EQ(v->epoch, epoch) << full;
      ++n;
    }
    if (truth.contains("kernel") && truth["kernel"].contains("debian_version")) {
      EXPECT_EQ(upstream_version(truth["kernel"]["debian_version"].get<std::string>()),
                truth["kernel"]["upstream_version"].get<std::string>());
    }
  }
  EXPECT_GE(n, 37);
}

}  // namespace
}  // namespace waybill::catalog
