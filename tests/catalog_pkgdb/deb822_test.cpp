#include "catalog/pkgdb/deb822.h"

#include <gtest/gtest.h>

#include <random>

namespace waybill::catalog {
namespace {

TEST(Deb822, StanzasContinuationLinesAndLineNumbers) {
  std::string_view text =
      "Package: foo\n"
      "Version: 1.0-1\n"
      "Description: short\n"
      " long line one\n"
      " .\n"
      " long line two\n"
      "\n"
      "\n"
      "Package: bar\n"
      "Conffiles:\n"
      " /etc/bar.conf abc\n";
  auto doc = deb822::parse(text);
  ASSERT_EQ(doc.stanzas.size(), 2u);
  EXPECT_TRUE(doc.problems.empty());
  const auto& a = doc.stanzas[0];
  EXPECT_EQ(a.line, 1u);
  EXPECT_EQ(a.offset, 0u);
  EXPECT_EQ(a.get("package"), "foo");  // case-insensitive names
  EXPECT_EQ(a.get("Description"), "short\nlong line one\n\nlong line two");
  EXPECT_EQ(deb822::first_line(a.get("Description")), "short");
  EXPECT_EQ(a.find("Version")->line, 2u);
  const auto& b = doc.stanzas[1];
  EXPECT_EQ(b.line, 9u);
  EXPECT_EQ(text.substr(b.offset, 12), "Package: bar");
  EXPECT_EQ(b.get("Conffiles"), "\n/etc/bar.conf abc");
  EXPECT_EQ(b.get("Missing"), "");
  EXPECT_FALSE(b.has("Version"));
}

TEST(Deb822, CrlfAndNoTrailingNewline) {
  auto doc = deb822::parse("Package: foo\r\nVersion: 2.0\r\n\r\nPackage: bar\r\nVersion: 3");
  ASSERT_EQ(doc.stanzas.size(), 2u);
  EXPECT_EQ(doc.stanzas[0].get("Version"), "2.0");
  EXPECT_EQ(doc.stanzas[1].get("Version"), "3");
  EXPECT_TRUE(doc.problems.empty());
}

TEST(Deb822, WhitespaceOnlyLineSeparatesStanzas) {
  auto doc = deb822::parse("Package: a\n  \t\nPackage: b\n");
  EXPECT_EQ(doc.stanzas.size(), 2u);
}

TEST(Deb822, MalformedLinesAreProblemsNotFailures) {
  auto doc = deb822::parse(
      " orphan continuation\n"
      "Package: foo\n"
      "this line has no colon\n"
      "Version: 1\n"
      "Version: 2\n"
      ": empty name\n");
  ASSERT_EQ(doc.stanzas.size(), 1u);
  EXPECT_EQ(doc.stanzas[0].get("Version"), "1");  // first one wins
  ASSERT_EQ(doc.problems.size(), 4u);
  EXPECT_EQ(doc.problems[0].line, 1u);
  EXPECT_EQ(doc.problems[1].line, 3u);
  EXPECT_NE(doc.problems[2].message.find("duplicate"), std::string::npos);
  EXPECT_EQ(doc.problems[3].line, 6u);
}

TEST(Deb822, HugeFieldIsTruncatedAndReported) {
  std::string text = "Package: big\nDescription: x\n";
  for (int i = 0; i < 5000; ++i) text += " " + std::string(100, 'a') + "\n";
  text += "Version: 9\n";
  deb822::Options o;
  o.max_value_bytes = 64 << 10;
  auto doc = deb822::parse(text, o);
  ASSERT_EQ(doc.stanzas.size(), 1u);
  EXPECT_LE(doc.stanzas[0].get("Description").size(), 64u << 10);
  EXPECT_EQ(doc.stanzas[0].get("Version"), "9");
  ASSERT_EQ(doc.problems.size(), 1u);
  EXPECT_NE(doc.problems[0].message.find("too long"), std::string::npos);
}

TEST(Deb822, LimitsOnFieldsStanzasAndProblems) {
  std::string text = "Package: many\n";
  for (int i = 0; i < 100; ++i) text += "X" + std::to_string(i) + ": v\n";
  deb822::Options o;
  o.max_fields = 10;
  o.max_problems = 3;
  auto doc = deb822::parse(text + "\nnot a field\nnot a field\nnot a field\nnot a field\n", o);
  ASSERT_EQ(doc.stanzas.size(), 1u);
  EXPECT_EQ(doc.stanzas[0].fields.size(), 10u);
  EXPECT_EQ(doc.problems.size(), 3u);
  EXPECT_GT(doc.dropped_problems, 0u);

  deb822::Options s;
  s.max_stanzas = 2;
  auto d2 = deb822::parse("A: 1\n\nA: 2\n\nA: 3\n\nA: 4\n", s);
  EXPECT_EQ(d2.stanzas.size(), 2u);
  EXPECT_FALSE(d2.problems.empty());
}

TEST(Deb822, BinaryGarbageNeverCrashes) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 300; ++round) {
    std::string buf(static_cast<std::size_t>(rng() % 4096), '\0');
    for (auto& c : buf) c = static_cast<char>(rng() % 8 == 0 ? "\n :\r\t"[rng() % 5] : rng());
    auto doc = deb822::parse(buf);
    EXPECT_LE(doc.problems.size(), deb822::Options{}.max_problems);
    for (const auto& st : doc.stanzas) EXPECT_FALSE(st.fields.empty());
  }
  auto doc = deb822::parse(std::string("Package: a\0b\n\xff\xfe: x\n", 20));
  EXPECT_EQ(doc.stanzas.size(), 1u);
  EXPECT_FALSE(doc.problems.empty());
}

TEST(Deb822, ForEachLine) {
  std::vector<std::pair<std::string, std::uint64_t>> lines;
  deb822::for_each_line("a\r\nbb\n\nc", [&](std::string_view l, std::uint32_t, std::uint64_t off) {
    lines.emplace_back(std::string(l), off);
  });
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].first, "a");
  EXPECT_EQ(lines[1].first, "bb");
  EXPECT_EQ(lines[1].second, 3u);
  EXPECT_EQ(lines[2].first, "");
  EXPECT_EQ(lines[3].first, "c");
}

}  // namespace
}  // namespace waybill::catalog
