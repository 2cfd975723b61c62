// CPE 2.3 parsing/formatting/matching, with real criteria from the shared NVD records.
#include "vuln/cpe.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "support/support.h"

using waybill::vuln::attr_match;
using waybill::vuln::Cpe;
using waybill::vuln::cpe_name_match;
using waybill::vuln::format_cpe;
using waybill::vuln::parse_cpe;

namespace {

std::string xz_text(const std::filesystem::path& p) {
  std::string cmd = "xz -dc '" + p.string() + "'";
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

// Every distinct "criteria" of the shared NVD files, JSON-unescaped (\\ -> \).
std::set<std::string> nvd_criteria(const std::filesystem::path& shared) {
  std::set<std::string> out;
  const std::string needle = "\"criteria\":\"";
  for (const char* f : {"nvd/nvd_cve_2.0.jsonl.xz", "nvd/nvd_iot_cve_2.0.jsonl.xz"}) {
    std::string text = xz_text(shared / "data/vuln" / f);
    for (std::size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + 1)) {
      std::string v;
      for (std::size_t i = pos + needle.size(); i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        v.push_back(text[i]);
      }
      out.insert(v);
    }
  }
  return out;
}

Cpe must_parse(const std::string& s) {
  auto c = parse_cpe(s);
  EXPECT_TRUE(c.has_value()) << s;
  return c.value_or(Cpe{});
}

bool same(const Cpe& a, const Cpe& b) {
  return format_cpe(a) == format_cpe(b);
}

}  // namespace

TEST(Cpe, ParsesFormattedStringFields) {
  Cpe c = must_parse("cpe:2.3:o:linux:linux_kernel:6.8:rc1:*:*:*:*:*:*");
  EXPECT_EQ(c.part, "o");
  EXPECT_EQ(c.vendor, "linux");
  EXPECT_EQ(c.product, "linux_kernel");
  EXPECT_EQ(c.version, "6.8");
  EXPECT_EQ(c.update, "rc1");
  EXPECT_EQ(c.edition, "*");
  EXPECT_EQ(c.other, "*");
  Cpe u = must_parse("cpe:2.3:o:canonical:ubuntu:14.04:*:*:*:lts:*:*:*");
  EXPECT_EQ(u.sw_edition, "lts");
  EXPECT_EQ(u.language, "*");
}

TEST(Cpe, UnescapesButKeepsWildcardEscapes) {
  Cpe c = must_parse(R"(cpe:2.3:a:netapp:solidfire_\&_hci_management_node:-:*:*:*:*:*:*:*)");
  EXPECT_EQ(c.product, "solidfire_&_hci_management_node");
  EXPECT_EQ(c.version, "-");
  Cpe d = must_parse(R"(cpe:2.3:a:foo:bar\:baz:1\.0\(beta\):*:*:*:*:*:*:*)");
  EXPECT_EQ(d.product, "bar:baz");
  EXPECT_EQ(d.version, "1.0(beta)");
  Cpe e = must_parse(R"(cpe:2.3:a:foo:a\*b:\-:*:*:*:*:*:*:x\\y)");
  EXPECT_EQ(e.product, R"(a\*b)");  // literal star stays escaped
  EXPECT_EQ(e.version, R"(\-)");    // a literal hyphen, not NA
  EXPECT_EQ(e.other, R"(x\\y)");
  EXPECT_TRUE(same(must_parse(format_cpe(e)), e));
}

TEST(Cpe, RejectsMalformed) {
  const char* bad[] = {
      "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*",      // 12 fields
      "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*:*",  // 14 fields
      "cpe:2.3:x:vendor:product:1.0:*:*:*:*:*:*:*",    // bad part
      "cpe:2.3:a:vendor::1.0:*:*:*:*:*:*:*",           // empty field
      "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:\\",   // dangling escape
      "cpe:2.2:a:vendor:product",
      "a:vendor:product",
      "",
      "cpe:/x:vendor",
      "cpe:/a:v:p:1:u:e:l:extra",  // 8 URI components
      "cpe:/a:vendor%2:product",   // truncated percent escape
      "cpe:/a:vendor%zz:product",
      "cpe:/a:v:p:1:u:~a~b~c",  // packed edition needs 5 parts
  };
  for (const char* s : bad) EXPECT_FALSE(parse_cpe(s).has_value()) << s;
  EXPECT_FALSE(parse_cpe("cpe:2.3:a:" + std::string(5000, 'x') + ":p:*:*:*:*:*:*:*:*").has_value());
}

TEST(Cpe, ParsesUriForm) {
  Cpe c = must_parse("cpe:/a:openssl:openssl:1.0.2");
  EXPECT_EQ(c.part, "a");
  EXPECT_EQ(c.product, "openssl");
  EXPECT_EQ(c.version, "1.0.2");
  EXPECT_EQ(c.update, "*");
  EXPECT_EQ(c.target_hw, "*");
  Cpe p = must_parse("cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~");
  EXPECT_EQ(p.update, "-");
  EXPECT_EQ(p.edition, "*");
  EXPECT_EQ(p.sw_edition, "online");
  EXPECT_EQ(p.target_sw, "win2003");
  EXPECT_EQ(p.target_hw, "x64");
  EXPECT_EQ(p.other, "*");
  Cpe e = must_parse("cpe:/a:foo%21:bar%2a:%01%02");
  EXPECT_EQ(e.vendor, "foo!");
  EXPECT_EQ(e.product, R"(bar\*)");
  EXPECT_EQ(e.version, "?*");  // %01 / %02 are wildcards
  EXPECT_EQ(format_cpe(must_parse("cpe:/o:linux:linux_kernel:6.8:rc1")),
            "cpe:2.3:o:linux:linux_kernel:6\\.8:rc1:*:*:*:*:*:*");
  EXPECT_TRUE(same(must_parse("cpe:/o:linux:linux_kernel:6.8:rc1"),
                   must_parse("cpe:2.3:o:linux:linux_kernel:6.8:rc1:*:*:*:*:*:*")));
}

TEST(Cpe, AttributeMatchRelation) {
  EXPECT_TRUE(attr_match("*", "anything"));
  EXPECT_TRUE(attr_match("*", "-"));
  EXPECT_TRUE(attr_match("*", "*"));
  EXPECT_TRUE(attr_match("-", "-"));
  EXPECT_FALSE(attr_match("-", "1.0"));
  EXPECT_FALSE(attr_match("-", "*"));
  EXPECT_FALSE(attr_match("1.0", "*"));  // SUBSET is not a match
  EXPECT_FALSE(attr_match("1.0", "-"));
  EXPECT_TRUE(attr_match("Linux", "linux"));  // case-insensitive
  EXPECT_FALSE(attr_match("linux", "linux2"));
  EXPECT_TRUE(attr_match("linux*", "linux_kernel"));
  EXPECT_TRUE(attr_match("*kernel", "linux_kernel"));
  EXPECT_TRUE(attr_match("li*ke*l", "linux_kernel"));
  EXPECT_FALSE(attr_match("linux*", "kernel"));
  EXPECT_TRUE(attr_match("lin?x", "linux"));
  EXPECT_FALSE(attr_match("lin?x", "linx"));  // inner ? is exactly one character
  EXPECT_TRUE(attr_match("??1.0", "1.0"));    // leading ? match zero or one
  EXPECT_TRUE(attr_match("??1.0", "x1.0"));
  EXPECT_FALSE(attr_match("??1.0", "xyz1.0"));
  EXPECT_TRUE(attr_match("1.?", "1."));
  EXPECT_FALSE(attr_match("foo", "fo?"));         // wildcard in the target: undefined
  EXPECT_TRUE(attr_match(R"(a\*b)", R"(a\*b)"));  // quoted star is literal
  EXPECT_FALSE(attr_match(R"(a\*b)", "axb"));
  EXPECT_TRUE(attr_match(R"(\-)", R"(\-)"));
  EXPECT_FALSE(attr_match(R"(\-)", "-"));
}

TEST(Cpe, NameMatch) {
  Cpe rc1 = must_parse("cpe:2.3:o:linux:linux_kernel:6.8:rc1:*:*:*:*:*:*");
  Cpe rc2 = must_parse("cpe:2.3:o:linux:linux_kernel:6.8:rc2:*:*:*:*:*:*");
  Cpe any = must_parse("cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*");
  Cpe app = must_parse("cpe:2.3:a:linux:linux_kernel:6.8:rc1:*:*:*:*:*:*");
  EXPECT_TRUE(cpe_name_match(rc1, rc1, false));
  EXPECT_FALSE(cpe_name_match(rc1, rc2, false));
  EXPECT_TRUE(cpe_name_match(rc1, rc2, true));  // version/update left to range checks
  EXPECT_TRUE(cpe_name_match(any, rc2, false));
  EXPECT_FALSE(cpe_name_match(rc2, any, false));
  EXPECT_FALSE(cpe_name_match(rc1, app, true));  // part differs
  Cpe lts = must_parse("cpe:2.3:o:canonical:ubuntu:14.04:*:*:*:lts:*:*:*");
  Cpe plain = must_parse("cpe:2.3:o:canonical:ubuntu:14.04:*:*:*:*:*:*:*");
  EXPECT_TRUE(cpe_name_match(plain, lts, false));
  EXPECT_FALSE(cpe_name_match(lts, plain, false));
}

TEST(CpeRealData, AllNvdCriteriaParseRoundTripAndSelfMatch) {
  WAYBILL_REQUIRE_SHARED(shared);
  std::set<std::string> criteria = nvd_criteria(shared);
  ASSERT_GT(criteria.size(), 300u);
  std::size_t escaped = 0, rc_updates = 0;
  for (const std::string& s : criteria) {
    auto c = parse_cpe(s);
    ASSERT_TRUE(c.has_value()) << s;
    auto again = parse_cpe(format_cpe(*c));
    ASSERT_TRUE(again.has_value()) << format_cpe(*c);
    EXPECT_TRUE(same(*c, *again)) << s;
    EXPECT_TRUE(cpe_name_match(*c, *c, false)) << s;
    if (s.find('\\') != std::string::npos) {
      ++escaped;
      EXPECT_EQ(c->product.find('\\'), std::string::npos) << s;
    }
    if (c->product == "linux_kernel" && c->update.rfind("rc", 0) == 0) ++rc_updates;
  }
  EXPECT_GE(escaped, 1u);     // solidfire_\&_hci_management_node
  EXPECT_GE(rc_updates, 3u);  // linux_kernel 6.8:rc1..rc3
  // A kernel 6.8-rc2 criteria matches only its own update unless versions are left to ranges.
  Cpe rc2 = must_parse("cpe:2.3:o:linux:linux_kernel:6.8:rc2:*:*:*:*:*:*");
  std::size_t exact = 0, by_name = 0;
  for (const std::string& s : criteria) {
    Cpe c = *parse_cpe(s);
    if (cpe_name_match(c, rc2, false)) ++exact;
    if (cpe_name_match(c, rc2, true)) ++by_name;
  }
  EXPECT_GE(exact, 2u);  // the rc2 criteria itself plus linux_kernel:*
  EXPECT_GT(by_name, exact);
}
