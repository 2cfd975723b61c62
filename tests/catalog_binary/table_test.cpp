// The signature table (data/signatures.json) and the Vectorscan + RE2 scanner.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <set>

#include "catalog/binary/signature_table.h"
#include "core/embedded.h"

namespace waybill::catalog {
namespace {

const SignatureScanner& scanner() {
  static SignatureScanner* s = [] {
    auto* sc = new SignatureScanner(SignatureTable::builtin());
    Status st = sc->compile();
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().to_string());
    return sc;
  }();
  return *s;
}

// Binary-looking filler: control bytes and high bytes only, so it never forms version text.
std::string noise(std::mt19937& rng, std::size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) {
    unsigned v = rng() % 64;
    c = static_cast<char>(v < 32 ? v : 0x80 + (v - 32) * 3);
  }
  return s;
}

std::vector<SignatureHit> scan(std::string_view buf, std::string_view path) {
  return scanner().scan(ByteView(buf), path);
}

std::set<std::string> names(const std::vector<SignatureHit>& hits) {
  std::set<std::string> out;
  for (const auto& h : hits) out.insert(SignatureTable::builtin().at(h.signature).name);
  return out;
}

TEST(SignatureTable, BuiltinParsesAndCompiles) {
  auto t = SignatureTable::parse(data::signatures_json());
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->all().size(), SignatureTable::builtin().all().size());
  std::set<std::string> components;
  for (const auto& s : t->all()) components.insert(s.name);
  EXPECT_GE(components.size(), 60u);
  SignatureScanner sc(*t);
  Status st = sc.compile();
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().to_string());
}

TEST(SignatureTable, CompiledDatabaseCacheGivesTheSameHits) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("waybill-sigcache-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string buf = std::string(300, '\x01') + "BusyBox v1.35.0 (Debian 1:1.35.0-4) multi-call" +
                    std::string(300, '\x02');
  const auto& table = SignatureTable::builtin();
  SignatureScanner plain(table);
  ASSERT_TRUE(plain.compile().ok());
  auto want = names(plain.scan(ByteView(std::string_view(buf)), "/bin/busybox"));
  ASSERT_TRUE(want.count("busybox"));
  for (int round = 0; round < 3; ++round) {  // 0: fills the cache, 1: reads it, 2: corrupt file
    if (round == 2)
      for (auto& e : fs::directory_iterator(dir)) std::ofstream(e.path()) << "garbage";
    SignatureScanner cached(table);
    ASSERT_TRUE(cached.compile(dir.string()).ok()) << "round " << round;
    EXPECT_EQ(names(cached.scan(ByteView(std::string_view(buf)), "/bin/busybox")), want);
    EXPECT_FALSE(fs::is_empty(dir));
  }
  fs::remove_all(dir);
}

TEST(SignatureTable, EverySignatureHasPatternsAndExamples) {
  for (const auto& s : SignatureTable::builtin().all()) {
    EXPECT_FALSE(s.patterns.empty()) << s.id;
    EXPECT_FALSE(s.examples.empty()) << s.id << ": add an example string from a real binary";
    EXPECT_FALSE(s.licenses.empty()) << s.id;
    EXPECT_FALSE(s.supplier.empty()) << s.id;
  }
}

TEST(SignatureTable, ErrorsNameSignatureAndField) {
  auto r =
      SignatureTable::parse(R"J({"signatures":[{"id":"x","name":"x","patterns":["a(b)(c)"]}]})J");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'x'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("patterns"), std::string::npos) << r.error().message;
  r = SignatureTable::parse(
      R"J({"signatures":[{"id":"y","name":"y","patterns":["v(1)"],"confidence":"hi"}]})J");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("confidence"), std::string::npos);
  r = SignatureTable::parse(R"J({"signatures":[{"id":"z","name":"z","patterns":[]}]})J");
  ASSERT_FALSE(r.ok());
  r = SignatureTable::parse(
      R"J({"signatures":[{"id":"d","name":"d","patterns":["v(1)"]},{"id":"d","name":"d","patterns":["v(1)"]}]})J");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("duplicate"), std::string::npos);
  EXPECT_FALSE(SignatureTable::parse("{not json").ok());
}

TEST(SignatureScanner, ExamplesAreFoundInsideBinaryNoise) {
  std::mt19937 rng(42);
  const auto& table = SignatureTable::builtin();
  for (std::uint32_t i = 0; i < table.all().size(); ++i) {
    const Signature& s = table.at(i);
    for (const auto& ex : s.examples) {
      std::string buf = noise(rng, 300) + '\0' + ex.text + '\0' + noise(rng, 300);
      std::string path = ex.path.empty() ? "/usr/bin/some-program" : ex.path;
      auto hits = scan(buf, path);
      bool found = false;
      for (const auto& h : hits)
        if (table.at(h.signature).name == s.name && h.version == ex.version) found = true;
      EXPECT_TRUE(found) << s.id << ": example '" << ex.text << "' in " << path
                         << " did not yield version " << ex.version;
      for (const auto& h : hits) EXPECT_LE(h.matched.size(), table.at(h.signature).max_matched);
    }
  }
}

TEST(SignatureScanner, LibraryVersionsQuotedByCurlAreNotComponents) {
  std::mt19937 rng(1);
  std::string buf = noise(rng, 500) + '\0' + "curl 7.88.1 (arm-unknown-linux-gnueabihf) %s" + '\0' +
                    noise(rng, 100) + '\0' +
                    "libcurl/7.88.1 OpenSSL/3.0.20 zlib/1.2.13 brotli/1.0.9" + '\0' +
                    "Release-Date: 2023-02-20" + '\0' + "1.2.13" + '\0' + noise(rng, 100);
  auto hits = scan(buf, "/usr/bin/curl");
  EXPECT_EQ(names(hits), std::set<std::string>{"curl"});
}

TEST(SignatureScanner, CompilerIdentsAreNotComponents) {
  std::mt19937 rng(2);
  std::string buf = noise(rng, 100) + '\0' + "GCC: (Debian 12.2.0-14) 12.2.0" + '\0' +
                    "GCC: (GNU) 4.8.3 20140320 (prerelease)" + '\0' +
                    "GCC: (OpenWrt GCC 8.4.0 r16279-5cc0535800) 8.4.0" + '\0' + "GLIBC_2.36" +
                    '\0' + "ZLIB_1.2.2" + '\0' + noise(rng, 100);
  EXPECT_TRUE(scan(buf, "/usr/bin/prog").empty());
}

TEST(SignatureScanner, BareVersionsOnlyInTheProductsOwnFiles) {
  std::string buf = std::string("\x01\x02") + '\0' + "1.2.13" + '\0' + "\x90\x91";
  EXPECT_TRUE(scan(buf, "/usr/sbin/dropbear").empty());
  EXPECT_EQ(names(scan(buf, "/lib/arm-linux-gnueabihf/libz.so.1.2.13")),
            std::set<std::string>{"zlib"});
}

TEST(SignatureScanner, TwoVersionsAndNoDuplicates) {
  std::string buf = std::string("\x01") + "BusyBox v1.35.0 (2024)" + '\0' + "\xf0\xf1" +
                    "BusyBox v1.36.1 (2024)" + '\0';
  auto hits = scan(buf, "/bin/busybox");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].version, "1.35.0");
  EXPECT_EQ(hits[0].offset, 1u);
  EXPECT_EQ(hits[0].matched, "BusyBox v1.35.0");
  EXPECT_EQ(hits[1].version, "1.36.1");
  // Long versions are reported whole, once (Vectorscan reports "1", "1.3", "1.35" ... ends).
  hits = scan("\x01OpenSSL 1.1.1w  11 Sep 2023\x01", "/lib/libcrypto.so.1.1");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].version, "1.1.1w");
}

TEST(SignatureScanner, RejectContext) {
  auto hits = scan(std::string("\x01") + "compiled against OpenSSL 3.0.2 15 Mar 2022" + '\0',
                   "/usr/bin/prog");
  EXPECT_TRUE(hits.empty());
}

TEST(SignatureScanner, EmptyAndTinyInputs) {
  EXPECT_TRUE(scan("", "/x").empty());
  EXPECT_TRUE(scan("B", "/x").empty());
  EXPECT_TRUE(scan("BusyBox v", "/x").empty());
  auto hits = scan("BusyBox v1.2.3", "/x");  // match at the very end of the buffer
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].version, "1.2.3");
}

// Binary-like noise with short printable words (as in .rodata) must yield no component.
// Throughput is measured in bench/bench_signatures.cpp, not asserted here.
TEST(SignatureScanner, NoHitsInBinaryNoise) {
  std::mt19937 rng(7);
  std::string buf;
  buf.reserve(8u << 20);
  while (buf.size() < (8u << 20)) {
    buf += noise(rng, 200 + rng() % 400);
    buf += "error: %s failed (%d)";
    buf += '\0';
  }
  auto hits = scan(buf, "/usr/lib/libz.so.1");  // path with restricted signatures: full database
  EXPECT_TRUE(hits.empty()) << hits.size() << " hits in noise";
}

}  // namespace
}  // namespace waybill::catalog
