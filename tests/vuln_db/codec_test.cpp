// Record codec round trip (every field of vuln/model.h) and the CVSS 3.x calculator.
#include <gtest/gtest.h>

#include <sstream>

#include "vuln/db/codec.h"

namespace waybill::vuln {
namespace {

// A text dump of every field, written independently of the codec: a field the codec forgets
// comes back empty and the dumps differ.
std::string dump(const VulnRecord& r) {
  std::ostringstream o;
  auto list = [&](const char* n, const std::vector<std::string>& v) {
    o << n << "[";
    for (const auto& x : v) o << x << "|";
    o << "]\n";
  };
  o << r.id << "\n" << r.source << "\n";
  list("aliases", r.aliases);
  list("related", r.related);
  o << r.summary << "\n"
    << r.description << "\n"
    << r.published << "\n"
    << r.modified << "\n"
    << r.status << "\n"
    << r.withdrawn << "\n";
  for (const auto& c : r.configurations) {
    o << "conf " << c.op << c.negate << "\n";
    for (const auto& n : c.nodes) {
      o << " node " << n.op << n.negate << "\n";
      for (const auto& m : n.matches)
        o << "  " << m.criteria << m.vulnerable << m.version_start_including << "/"
          << m.version_start_excluding << "/" << m.version_end_including << "/"
          << m.version_end_excluding << "/" << m.match_criteria_id << "\n";
    }
  }
  for (const auto& a : r.affected) {
    o << "aff " << a.ecosystem << "/" << a.package << "/" << a.purl << "/" << a.vendor << "/"
      << a.product << "/" << a.repo << "/" << a.default_status << "/" << a.container << "\n";
    list("cpes", a.cpes);
    list("versions", a.versions);
    for (const auto& rg : a.ranges) {
      o << " range " << rg.type << "/" << rg.repo << "\n";
      for (const auto& e : rg.events)
        o << "  ev " << e.introduced << "/" << e.fixed << "/" << e.last_affected << "/" << e.limit
          << "\n";
    }
    for (const auto& v : a.cve5_versions)
      o << " v " << v.version << "/" << v.less_than << "/" << v.less_than_or_equal << "/"
        << v.status << "/" << v.version_type << "\n";
  }
  for (const auto& c : r.cvss)
    o << "cvss " << c.source << "/" << c.version << "/" << c.vector << "/" << c.score << "/"
      << c.severity << "/" << c.primary << "\n";
  list("cwes", r.cwes);
  list("refs", r.references);
  o << r.cisa_exploit_add << "/" << r.cisa_action_due << "/" << r.cisa_required_action << "\n";
  return o.str();
}

VulnRecord full_record() {
  VulnRecord r;
  r.id = "CVE-2024-1086";
  r.source = "nvd";
  r.aliases = {"GHSA-x", "OSV-1"};
  r.related = {"CVE-2024-1"};
  r.summary = "summary é";
  r.description = std::string("desc with \0 nul", 15);
  r.published = "2024-01-31T13:15:10.827";
  r.modified = "2025-10-21T23:16:19.677";
  r.status = "Analyzed";
  r.withdrawn = true;
  CpeMatch m{"cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*",
             false,
             "6.1",
             "6.0",
             "6.1.76",
             "6.1.77",
             "9E23B69A"};
  r.configurations.push_back({"AND", true, {{"OR", true, {m, m}}, {"AND", false, {}}}});
  Affected a;
  a.ecosystem = "Debian:12";
  a.package = "linux";
  a.purl = "pkg:deb/debian/linux";
  a.vendor = "Linux";
  a.product = "Linux";
  a.repo = "https://git.kernel.org";
  a.cpes = {"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*"};
  a.default_status = "affected";
  a.ranges = {{"GIT",
               "https://r",
               {{"0", "", "", ""}, {"", "abc", "", ""}, {"", "", "1.2", ""}, {"", "", "", "9"}}}};
  a.versions = {"1.0", "1.1"};
  a.cve5_versions = {{"6.1.97", "", "6.1.*", "unaffected", "custom"},
                     {"2.1.93", "2.40", "", "affected", "semver"}};
  a.container = "CISA-ADP";
  r.affected = {a, Affected{}};
  r.cvss = {
      {"nvd@nist.gov", "3.1", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "HIGH", true},
      {"osv", "4.0", "CVSS:4.0/AV:N", 0.1 + 0.2, "", false}};
  r.cwes = {"CWE-416"};
  r.references = {"https://a", "https://b"};
  r.cisa_exploit_add = "2024-05-30";
  r.cisa_action_due = "2024-06-20";
  r.cisa_required_action = "Apply mitigations";
  return r;
}

TEST(Codec, RoundTripsEveryField) {
  VulnRecord r = full_record();
  std::string blob = db::encode_record(r);
  auto back = db::decode_record(ByteView(std::string_view(blob)));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(dump(*back), dump(r));
  EXPECT_EQ(back->cvss[1].score, 0.1 + 0.2);  // bit-exact double
  EXPECT_EQ(back->description.size(), 15u);
  // An empty record round-trips too.
  VulnRecord empty;
  std::string b2 = db::encode_record(empty);
  auto e2 = db::decode_record(ByteView(std::string_view(b2)));
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(dump(*e2), dump(empty));
}

TEST(Codec, RejectsTruncatedAndTrailingBytes) {
  std::string blob = db::encode_record(full_record());
  for (std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{2}, blob.size() / 2, blob.size() - 1}) {
    auto r = db::decode_record(ByteView(std::string_view(blob).substr(0, n)));
    EXPECT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
  }
  auto r = db::decode_record(ByteView(std::string_view(blob + "x")));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("trailing"), std::string::npos);
  // A huge list count cannot allocate: it is checked against the bytes left.
  std::string bad = blob.substr(0, 2) + std::string(1, '\x01') + "x" + "\xff\xff\xff\x07";
  EXPECT_FALSE(db::decode_record(ByteView(std::string_view(bad))).ok());
}

TEST(Cvss, BaseScoresFromVectors) {
  struct Case {
    const char* vec;
    double score;
  } cases[] = {
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 9.1},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5},
      {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
      {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6},
  };
  for (const auto& c : cases) {
    auto s = db::cvss3_base_score(c.vec);
    ASSERT_TRUE(s.has_value()) << c.vec;
    EXPECT_DOUBLE_EQ(*s, c.score) << c.vec;
  }
  EXPECT_FALSE(db::cvss3_base_score("CVSS:3.1/AV:N/AC:L").has_value());
  EXPECT_FALSE(db::cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P").has_value());
  EXPECT_FALSE(db::cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").has_value());
  EXPECT_EQ(db::cvss_severity(9.8), "CRITICAL");
  EXPECT_EQ(db::cvss_severity(7.0), "HIGH");
  EXPECT_EQ(db::cvss_severity(6.9), "MEDIUM");
  EXPECT_EQ(db::cvss_severity(0.1), "LOW");
  EXPECT_EQ(db::cvss_severity(0), "NONE");
}

}  // namespace
}  // namespace waybill::vuln
