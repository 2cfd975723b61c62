// Reading suppliers' SBOMs: the real CycloneDX (JSON and XML, 1.2-1.4) and SPDX 2.2/2.3 (JSON and
// tag-value) documents of the shared corpus, purl-derived facts, and our own SBOMs of a shared
// firmware image read back in every format.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>
#include "pipeline/inventory.h"
#include "sbom/encoder.h"
#include "sbom/input/input.h"

#include "support/support.h"

namespace fs = std::filesystem;
using namespace waybill;

namespace {

fs::path docs(const fs::path& shared) {
  return shared / "corpus/documents";
}

model::Sbom must_read(const fs::path& p) {
  auto r = sbom::read_sbom(p.string());
  EXPECT_TRUE(r.ok()) << p << ": " << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? *r : model::Sbom{};
}

const model::Component* find(const model::Sbom& s, const std::string& name,
                             const std::string& version = "") {
  for (const auto& c : s.components)
    if (c.name == name && (version.empty() || c.version == version)) return &c;
  return nullptr;
}

using Key = std::tuple<std::string, std::string, std::string, std::vector<std::string>>;
std::multiset<Key> keys(const model::Sbom& s) {
  std::multiset<Key> out;
  for (const auto& c : s.components) {
    auto cpes = c.cpes;
    std::sort(cpes.begin(), cpes.end());
    out.emplace(c.name, c.version, c.purl, cpes);
  }
  return out;
}

}  // namespace

TEST(SbomInput, DerivesFactsFromPurls) {
  model::Component c;
  c.name = "busybox";
  c.purl = "pkg:deb/debian/busybox@1:1.35.0-4?distro=debian-12";
  c.version = "1:1.35.0-4";
  sbom::derive_from_purl(c);
  EXPECT_EQ(c.ecosystem, "deb");
  EXPECT_EQ(c.distro, "debian-12");
  EXPECT_EQ(c.package_version, "1:1.35.0-4");
  EXPECT_EQ(c.version, "1.35.0");

  model::Component a;
  a.purl = "pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64&upstream=busybox%401.36.1";
  sbom::derive_from_purl(a);
  EXPECT_EQ(a.name, "busybox");
  EXPECT_EQ(a.ecosystem, "apk");
  EXPECT_EQ(a.distro, "alpine");
  EXPECT_EQ(a.arch, "x86_64");
  EXPECT_EQ(a.source_package, "busybox");
  EXPECT_EQ(a.package_version, "1.36.1-r2");
  EXPECT_EQ(a.version, "1.36.1");

  model::Component g;
  g.purl = "pkg:golang/github.com/BurntSushi/toml@v0.3.1";
  sbom::derive_from_purl(g);
  EXPECT_EQ(g.ecosystem, "golang");
  EXPECT_EQ(g.version, "v0.3.1");
  EXPECT_EQ(g.package_version, "");

  model::Component o;  // our opkg purls
  o.purl = "pkg:openwrt/busybox@1.36.1-1?arch=arm_cortex-a7";
  sbom::derive_from_purl(o);
  EXPECT_EQ(o.ecosystem, "opkg");
  EXPECT_EQ(o.version, "1.36.1");

  model::Component pd;  // percent-encoded epoch and '+'
  pd.purl = "pkg:deb/debian/avahi-daemon@0.8-10%2Bdeb12u1?arch=armhf&distro=debian-12";
  pd.version = "0.8";  // the SBOM says the upstream version: kept
  sbom::derive_from_purl(pd);
  EXPECT_EQ(pd.package_version, "0.8-10+deb12u1");
  EXPECT_EQ(pd.version, "0.8");

  EXPECT_EQ(sbom::upstream_version("deb", "2:1.2.3-1+b2"), "1.2.3");
  EXPECT_EQ(sbom::upstream_version("apk", "2.39.0-r1"), "2.39.0");
  EXPECT_EQ(sbom::upstream_version("rpm", "1:3.0.7-25.el9"), "3.0.7");
}

TEST(SbomInput, DetectsFormats) {
  EXPECT_EQ(sbom::sbom_format(ByteView(
                std::string_view(R"(  {"bomFormat": "CycloneDX", "specVersion": "1.4"})"))),
            "cyclonedx-json");
  EXPECT_EQ(sbom::sbom_format(ByteView(std::string_view(R"({"spdxVersion": "SPDX-2.3"})"))),
            "spdx-json");
  EXPECT_EQ(sbom::sbom_format(ByteView(std::string_view(
                "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">"))),
            "cyclonedx-xml");
  EXPECT_EQ(sbom::sbom_format(ByteView(std::string_view("SPDXVersion: SPDX-2.2\nDataLicense: x"))),
            "spdx-tag-value");
  EXPECT_TRUE(sbom::looks_like_sbom(ByteView(std::string_view(R"({"spdxVersion": "SPDX-2.3"})"))));
  EXPECT_FALSE(
      sbom::looks_like_sbom(ByteView(std::string_view("\x7f"
                                                      "ELF\x01\x01"))));
  EXPECT_FALSE(sbom::looks_like_sbom(ByteView(std::string_view(R"({"statements": []})"))));
}

TEST(SbomInput, CycloneDxExamplesJsonAndXml) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs(shared) / "cyclonedx-examples/SBOM";
  // (file, components in components[] incl. nested, +1 for the versioned metadata.component)
  const std::vector<std::pair<std::string, std::size_t>> expect = {
      {"juice-shop/v11.1.2/bom", 841},
      {"juice-shop/via_npm/flat/bom.1.2", 1116},
      {"juice-shop/via_npm/flat/bom.1.3", 1116},
      {"juice-shop/via_npm/flat/bom.1.4", 1116},
      {"keycloak-10.0.2/bom", 904},
      {"proton-bridge/proton-bridge-v1.6.3.bom", 202},
      {"proton-bridge/proton-bridge-v1.8.0.bom", 202},
      {"protonmail-webclient-v4-0912dff/bom", 884}};
  for (const auto& [base, n] : expect) {
    model::Sbom j = must_read(dir / (base + ".json"));
    model::Sbom x = must_read(dir / (base + ".xml"));
    EXPECT_EQ(j.components.size(), n) << base;
    EXPECT_EQ(x.components.size(), n) << base;
    EXPECT_EQ(keys(j), keys(x)) << base << ": JSON and XML forms must agree";
    for (const auto& c : j.components) EXPECT_FALSE(c.purl.empty()) << base << " " << c.name;
  }
  model::Sbom kc = must_read(dir / "keycloak-10.0.2/bom.json");
  const auto* bc = find(kc, "bcprov-jdk15on", "1.62");
  ASSERT_NE(bc, nullptr);
  EXPECT_EQ(bc->purl, "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.62?type=jar");
  EXPECT_EQ(bc->bom_ref, bc->purl);
  EXPECT_EQ(bc->ecosystem, "maven");
  EXPECT_EQ(bc->properties.at("cdx:group"), "org.bouncycastle");
  ASSERT_EQ(bc->files.size(), 1u);
  EXPECT_EQ(bc->files[0].sha256,
            "2fa0ab71b154da29ac134097bc6bbacd90987dd4c4005516159e6494d1d52ea2");
  EXPECT_EQ(bc->properties.at("hash:SHA-1"), "633b6739ef8f07f2e71f8eebd1c6f25b17a4ec7d");
  ASSERT_FALSE(bc->evidence.empty());
  EXPECT_EQ(bc->evidence[0].method, "sbom/cyclonedx-json");
  EXPECT_FALSE(kc.relationships.empty());

  model::Sbom pb = must_read(dir / "proton-bridge/proton-bridge-v1.8.0.bom.json");
  const auto* toml = find(pb, "github.com/BurntSushi/toml");
  ASSERT_NE(toml, nullptr);
  EXPECT_EQ(toml->version, "v0.3.1");
  EXPECT_EQ(toml->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(toml->ecosystem, "golang");
  // dependencies[] of the 1.2 document: 202 entries, relationships between known refs.
  std::set<std::string> refs;
  for (const auto& c : pb.components) refs.insert(c.bom_ref);
  for (const auto& r : pb.relationships) {
    EXPECT_TRUE(refs.count(r.from)) << r.from;
    EXPECT_TRUE(refs.count(r.to)) << r.to;
  }
}

TEST(SbomInput, SpdxJsonExamples) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs(shared) / "spdx";
  model::Sbom go =
      must_read(dir / "spdx-examples/software/example7/spdx2.2/example7-golang.spdx.json");
  EXPECT_EQ(go.components.size(), 2u);
  EXPECT_NE(find(go, "go", "1.16.4"), nullptr);
  model::Sbom tp = must_read(
      dir / "spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json");
  EXPECT_EQ(tp.components.size(), 2u) << "the first described package is only the target";
  model::Sbom vx = must_read(dir / "vexctl/examples/csaf/sbom.spdx.json");
  ASSERT_EQ(vx.components.size(), 3u);
  EXPECT_EQ(vx.target.name, "image");
  const auto* c2 = find(vx, "component2");
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(c2->version, "2.39.0-r1");
  EXPECT_FALSE(c2->purl.empty());
  model::Sbom app =
      must_read(dir / "spdx-examples/software/example9/spdx2.2/appbomination.spdx.json");
  EXPECT_GE(app.components.size(), 6u);
  EXPECT_NE(find(app, "App-BOM-ination", "1.0"), nullptr);
}

TEST(SbomInput, SpdxTagValueExamples) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = docs(shared) / "spdx/spdx-examples/software";
  model::Sbom lib = must_read(dir / "example6/spdx2.2/example6-lib.spdx");
  const auto* godist = find(lib, "go-1.15", "1.15.4");
  ASSERT_NE(godist, nullptr);
  EXPECT_EQ(godist->supplier, "Canonical Ltd.");
  EXPECT_EQ(godist->licenses, std::vector<std::string>{"LicenseRef-Golang-BSD-plus-Patents"});
  EXPECT_EQ(godist->homepage, "https://golang.org/");
  ASSERT_EQ(godist->files.size(), 1u);
  EXPECT_EQ(godist->files[0].sha256,
            "0d6e1420facd978e532eae7bd5cb6378b65522c12fa9dcf682129e698c34d1b2");
  EXPECT_NE(find(lib, "go.fmt", "1.15.4"), nullptr);
  EXPECT_EQ(lib.target.name, "go-1.15");
  bool contains = false;
  for (const auto& r : lib.relationships)
    if (r.from == "SPDXRef-Package-godist" && r.to == "SPDXRef-Package-go-compiler" &&
        r.type == "contains")
      contains = true;
  EXPECT_TRUE(contains);
  // Every SPDX 2.2 tag-value example reads; its described package names the target.
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".spdx") {
      model::Sbom s = must_read(e.path());
      // The described package names the target (a lone unversioned package is only that).
      EXPECT_NE(s.target.name, e.path().string()) << e.path();
      EXPECT_EQ(s.target.name.rfind("SPDXRef", 0), std::string::npos) << e.path();
      ++n;
    }
  EXPECT_EQ(n, 11);
}

TEST(SbomInput, Spdx3AndGarbageAreClearErrors) {
  WAYBILL_REQUIRE_SHARED(shared);
  auto r = sbom::read_sbom(
      (docs(shared) / "spdx/spdx-examples/software/example7/spdx3.0/example7-bin.spdx3.json")
          .string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::unsupported);
  EXPECT_NE(r.error().message.find("example7-bin.spdx3.json"), std::string::npos);
  EXPECT_NE(r.error().message.find("SPDX 3"), std::string::npos);
  auto g = sbom::parse_sbom("x.json", R"({"bomFormat": "CycloneDX", "components": )");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find("x.json"), std::string::npos);
  auto x = sbom::parse_sbom("y.xml", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><a>");
  ASSERT_FALSE(x.ok());
  EXPECT_NE(x.error().message.find("y.xml"), std::string::npos);
  auto t = sbom::parse_sbom("z.spdx", "SPDXVersion: SPDX-3.0\n");
  ASSERT_FALSE(t.ok());
}

namespace {

sbom::EncoderRegistry& registry() {
  static sbom::EncoderRegistry r = [] {
    sbom::EncoderRegistry x;
    sbom::register_builtin_encoders(x);
    return x;
  }();
  return r;
}

}  // namespace

// Our own SBOMs of a shared firmware image, read back in all four formats: same components
// (name, version, purl, CPEs).
TEST(SbomInput, OwnSbomsRoundTrip) {
  WAYBILL_REQUIRE_SHARED(shared);
  for (std::string image : {"fw-armhf-dpkg.sqfs-xz.img", "fw-armhf-opkg-defects.uImage"}) {
    pipeline::InventoryOptions opts;
    opts.tool_version = "0.1.0";
    auto inv = pipeline::build_inventory((shared / "corpus/firmware/armhf" / image).string(), opts);
    ASSERT_TRUE(inv.ok()) << inv.error().to_string();
    model::Report report;
    report.sbom = inv->sbom;
    ASSERT_GT(report.sbom.components.size(), 10u);
    auto want = keys(report.sbom);
    for (std::string format : {"cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tag-value"}) {
      SCOPED_TRACE(image + " as " + format);
      const sbom::Encoder* e = registry().find(format);
      ASSERT_NE(e, nullptr);
      std::ostringstream out;
      ASSERT_TRUE(e->encode(report, out).ok());
      auto back = sbom::parse_sbom(image + "." + format, out.str());
      ASSERT_TRUE(back.ok()) << back.error().to_string();
      EXPECT_EQ(back->components.size(), report.sbom.components.size());
      EXPECT_EQ(keys(*back), want);
      if (format.rfind("cyclonedx", 0) == 0) {
        // Our waybill:* properties restore the distribution facts.
        for (std::size_t i = 0; i < report.sbom.components.size() && i < back->components.size();
             ++i) {
          const auto& a = report.sbom.components[i];
          const auto& b = back->components[i];
          EXPECT_EQ(a.bom_ref, b.bom_ref);
          EXPECT_EQ(a.package_version, b.package_version) << a.name;
          EXPECT_EQ(a.ecosystem, b.ecosystem) << a.name;
          EXPECT_EQ(a.distro, b.distro) << a.name;
        }
        EXPECT_EQ(back->target.sha256, report.sbom.target.sha256);
        EXPECT_EQ(back->target.kind, "image");
      } else {
        // SPDX: package_version and ecosystem come back from the purl.
        for (const auto& b : back->components) {
          if (b.purl.rfind("pkg:deb/", 0) == 0 || b.purl.rfind("pkg:openwrt/", 0) == 0) {
            EXPECT_FALSE(b.package_version.empty()) << b.name;
          }
        }
      }
    }
  }
}

// Every document of the CycloneDX examples (SBOM, VEX, CBOM, OBOM) and every schema-valid
// document of the CycloneDX specification's test set reads; every invalid one either reads
// (the reader is lenient: the schema is the validator's job) or fails with an error naming it.
TEST(SbomInput, CycloneDxCorpusReads) {
  WAYBILL_REQUIRE_SHARED(shared);
  int read = 0;
  for (std::string kind : {"cyclonedx-examples", "cyclonedx-tests"}) {
    fs::path dir = docs(shared) / kind;
    auto manifest = nlohmann::json::parse(test::read_text(dir / "manifest.json"));
    for (const auto& e : manifest) {
      std::string f = e["file"];
      std::string label = e["expected"];
      auto r = sbom::read_sbom((dir / f).string());
      if (label == "invalid") {
        if (!r.ok()) {
          EXPECT_NE(r.error().message.find(f), std::string::npos) << r.error().message;
        }
        continue;
      }
      EXPECT_TRUE(r.ok()) << kind << "/" << f << ": " << (r.ok() ? "" : r.error().to_string());
      ++read;
    }
  }
  EXPECT_EQ(read, 54 + 300);
}
