// Every NVD range boundary of the shared NVD files, evaluated just inside and just outside.
//
// For each vulnerable cpeMatch in nvd_iot_cve_2.0.jsonl.xz and nvd_cve_2.0.jsonl.xz whose bounds
// (or concrete version) are plain dotted numbers, versions are derived from each boundary B:
// B itself, the next patch (last number + 1) and the previous one (last number - 1, or
// x.(y-1).999 when the last number is 0). The expectation comes from an independent oracle in
// this file (numeric tuples; trailing zeros equal, "2.9" != "2.90"), and the matcher must agree
// on a record holding only that cpeMatch. Each single bound is also checked on its own.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <regex>

#include "vuln_match/match_support.h"

namespace waybill::vuln {
namespace {

using nlohmann::json;

std::vector<json> read_jsonl_xz(const std::filesystem::path& p) {
  std::vector<json> out;
  std::string cmd = "xz -dc '" + p.string() + "'";
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return out;
  std::string line;
  char buf[65536];
  std::string acc;
  while (std::size_t n = fread(buf, 1, sizeof buf, f)) acc.append(buf, n);
  pclose(f);
  std::size_t pos = 0;
  while (pos < acc.size()) {
    auto nl = acc.find('\n', pos);
    if (nl == std::string::npos) nl = acc.size();
    if (nl > pos) out.push_back(json::parse(acc.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  return out;
}

bool numeric(const std::string& v) {
  static const std::regex re(R"(^[0-9]+(\.[0-9]+)*$)");
  return std::regex_match(v, re);
}

std::vector<long> tuple(const std::string& v) {
  std::vector<long> t;
  std::size_t pos = 0;
  while (pos <= v.size()) {
    auto dot = v.find('.', pos);
    if (dot == std::string::npos) dot = v.size();
    t.push_back(std::stol(v.substr(pos, dot - pos)));
    pos = dot + 1;
  }
  while (t.size() > 1 && t.back() == 0) t.pop_back();
  return t;
}

int oracle_cmp(const std::string& a, const std::string& b) {
  auto x = tuple(a), y = tuple(b);
  std::size_t n = std::max(x.size(), y.size());
  x.resize(n, 0);
  y.resize(n, 0);
  return x < y ? -1 : x > y ? 1 : 0;
}

std::string next_patch(const std::string& v) {
  auto p = v.rfind('.');
  std::string head = p == std::string::npos ? "" : v.substr(0, p + 1);
  return head + std::to_string(std::stol(v.substr(p == std::string::npos ? 0 : p + 1)) + 1);
}

std::optional<std::string> prev_patch(const std::string& v) {
  auto t = tuple(v);                       // trailing zeros dropped
  if (t.back() == 0) return std::nullopt;  // "0"
  std::string out;
  bool had_trailing =
      tuple(v).size() < static_cast<std::size_t>(std::count(v.begin(), v.end(), '.') + 1);
  t.back() -= 1;
  for (std::size_t i = 0; i < t.size(); ++i) out += (i ? "." : "") + std::to_string(t[i]);
  if (had_trailing) out += ".999";
  return out;
}

std::vector<std::string> split_cpe(const std::string& c) {
  std::vector<std::string> f;
  std::string cur;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i] == '\\' && i + 1 < c.size()) {
      cur += c[i];
      cur += c[++i];
    } else if (c[i] == ':') {
      f.push_back(cur);
      cur.clear();
    } else {
      cur += c[i];
    }
  }
  f.push_back(cur);
  return f;
}

struct Stats {
  int checked = 0, matched = 0, records = 0, bounds = 0;
};

void check_file(const std::filesystem::path& file, Stats& st) {
  for (const auto& item : read_jsonl_xz(file)) {
    const json& cve = item.at("cve");
    ++st.records;
    for (const auto& conf : cve.value("configurations", json::array()))
      for (const auto& node : conf.value("nodes", json::array()))
        for (const auto& m : node.value("cpeMatch", json::array())) {
          if (!m.value("vulnerable", false)) continue;
          std::string criteria = m.value("criteria", "");
          auto f = split_cpe(criteria);
          if (f.size() != 13) continue;
          CpeMatch cm;
          cm.criteria = criteria;
          cm.version_start_including = m.value("versionStartIncluding", "");
          cm.version_start_excluding = m.value("versionStartExcluding", "");
          cm.version_end_including = m.value("versionEndIncluding", "");
          cm.version_end_excluding = m.value("versionEndExcluding", "");
          std::vector<std::string> bounds;
          for (const auto* b : {&cm.version_start_including, &cm.version_start_excluding,
                                &cm.version_end_including, &cm.version_end_excluding})
            if (!b->empty()) bounds.push_back(*b);
          bool exact = f[5] != "*" && f[5] != "-";
          if (exact) {
            if (f[6] != "*" && f[6] != "-") continue;  // update field: covered in traps_test
            bounds = {f[5]};
          }
          if (bounds.empty()) continue;
          if (!std::all_of(bounds.begin(), bounds.end(), numeric)) continue;
          ++st.bounds;

          auto oracle = [&](const std::string& v, const CpeMatch& mm) {
            if (exact) return oracle_cmp(v, f[5]) == 0;
            bool ok = true;
            if (!mm.version_start_including.empty())
              ok &= oracle_cmp(v, mm.version_start_including) >= 0;
            if (!mm.version_start_excluding.empty())
              ok &= oracle_cmp(v, mm.version_start_excluding) > 0;
            if (!mm.version_end_including.empty())
              ok &= oracle_cmp(v, mm.version_end_including) <= 0;
            if (!mm.version_end_excluding.empty())
              ok &= oracle_cmp(v, mm.version_end_excluding) < 0;
            return ok;
          };
          auto run = [&](const CpeMatch& mm, const std::string& v, const std::string& what) {
            VulnRecord r;
            r.id = cve.value("id", "");
            r.source = "nvd";
            CpeConfiguration c;
            CpeNode n;
            n.matches.push_back(mm);
            c.nodes.push_back(n);
            r.configurations.push_back(c);
            model::Component comp;
            comp.name = f[4];
            comp.version = v;
            std::string cpe = "cpe:2.3:" + f[2] + ":" + f[3] + ":" + f[4] + ":" + v;
            for (int i = 0; i < 7; ++i) cpe += ":*";
            comp.cpes.push_back(cpe);
            MatchContext ctx;
            NoMatch why;
            auto e = match_configurations(r, comp, ctx, &why);
            bool want = oracle(v, mm);
            EXPECT_EQ(e.has_value(), want) << r.id << " " << criteria << " " << what << " v=" << v
                                           << (e ? " matched: " + e->range + " / " + e->comparison
                                                 : " no match: " + why.reason);
            if (e) {
              EXPECT_EQ(e->record, r.id);
              EXPECT_EQ(e->criteria, criteria);
              EXPECT_EQ(e->component_version, v);
              EXPECT_FALSE(e->comparison.empty());
            }
            ++st.checked;
            st.matched += want ? 1 : 0;
          };
          std::vector<std::string> probes;
          for (const auto& b : bounds) {
            probes.push_back(b);
            probes.push_back(next_patch(b));
            if (auto p = prev_patch(b)) probes.push_back(*p);
          }
          for (const auto& v : probes) run(cm, v, "combined");
          if (exact) continue;
          // Each bound on its own.
          auto single = [&](std::string CpeMatch::*field, const std::string& b) {
            CpeMatch one;
            one.criteria = criteria;
            one.*field = b;
            run(one, b, "single");
            run(one, next_patch(b), "single");
            if (auto p = prev_patch(b)) run(one, *p, "single");
          };
          if (!cm.version_start_including.empty())
            single(&CpeMatch::version_start_including, cm.version_start_including);
          if (!cm.version_start_excluding.empty())
            single(&CpeMatch::version_start_excluding, cm.version_start_excluding);
          if (!cm.version_end_including.empty())
            single(&CpeMatch::version_end_including, cm.version_end_including);
          if (!cm.version_end_excluding.empty())
            single(&CpeMatch::version_end_excluding, cm.version_end_excluding);
        }
  }
}

TEST(NvdBoundaries, EveryNumericBoundaryInsideAndOutside) {
  WAYBILL_REQUIRE_SHARED(shared);
  Stats st;
  check_file(test::vuln_data(shared, "nvd/nvd_iot_cve_2.0.jsonl.xz"), st);
  int iot_records = st.records;
  check_file(test::vuln_data(shared, "nvd/nvd_cve_2.0.jsonl.xz"), st);
  EXPECT_EQ(iot_records, 124);
  EXPECT_EQ(st.records, 124 + 24);
  // Hundreds of boundaries, both outcomes well represented.
  EXPECT_GT(st.bounds, 300) << "boundaries checked";
  EXPECT_GT(st.matched, st.checked / 5);
  EXPECT_LT(st.matched, st.checked * 4 / 5);
  std::printf("NVD boundaries: %d cpeMatch, %d evaluations, %d expected matches\n", st.bounds,
              st.checked, st.matched);
}

TEST(NvdBoundaries, DerivedVersionsAreOnTheRightSide) {
  EXPECT_EQ(next_patch("1.35.0"), "1.35.1");
  EXPECT_EQ(next_patch("2.90"), "2.91");
  EXPECT_EQ(prev_patch("6.1.76"), "6.1.75");
  EXPECT_EQ(prev_patch("1.2.0"), "1.1.999");
  EXPECT_EQ(prev_patch("6.0"), "5.999");
  EXPECT_FALSE(prev_patch("0").has_value());
  EXPECT_LT(oracle_cmp("2.9", "2.90"), 0);
  EXPECT_EQ(oracle_cmp("1.0", "1.0.0"), 0);
}

}  // namespace
}  // namespace waybill::vuln
