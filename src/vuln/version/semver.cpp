// "semver": Semantic Versioning 2.0.0 precedence (semver.org, section 11), as used by the Go,
// npm, crates.io, NuGet, Hex and Pub ecosystems.
//   - an optional leading 'v' or 'V' is ignored (Go module versions: v1.2.3);
//   - MAJOR.MINOR.PATCH compare numerically (any length, no overflow);
//   - a version with a pre-release sorts before the same version without one
//     (1.0.0-alpha < 1.0.0); pre-release identifiers compare left to right: numeric ones
//     numerically, others by ASCII, numeric < alphanumeric, fewer identifiers first when all
//     shared ones are equal (1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta);
//   - build metadata (+...) is ignored, so 1.0.0+a == 1.0.0+b.
// Go pseudo-versions (v0.0.0-20210101000000-abcdef123456) are plain pre-releases and order by
// their timestamp.
// Non-semver strings (valid() == false) still get a deterministic place:
//   - "lenient" strings with one to three numeric components, leading zeros or loosely formed
//     pre-release identifiers (0, 1.2, 1.02.3, v2) are compared as if the missing components were 0
//     (1.2 == 1.2.0);
//   - anything else ("latest", "1.x", "") sorts before every parsable version, and such strings
//     are ordered among themselves bytewise.
// Each string maps to one key (class, numbers, pre-release) compared lexicographically, so
// compare() is a total preorder.
#include <algorithm>
#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "vuln/version/scheme.h"

namespace waybill::vuln {
namespace {

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_ident(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
int sign(int v) {
  return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

int compare_digits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!is_digit(c)) return false;
  return true;
}

struct SemVer {
  bool parsed = false;  // lenient parse succeeded
  bool strict = false;  // exactly SemVer 2.0.0 (after an optional 'v')
  std::array<std::string_view, 3> core{"0", "0", "0"};
  std::vector<std::string_view> pre;
};

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

SemVer parse(std::string_view s) {
  SemVer v;
  std::string_view body = s;
  if (!body.empty() && (body.front() == 'v' || body.front() == 'V')) body.remove_prefix(1);
  std::string_view build;
  bool has_build = false;
  if (auto plus = body.find('+'); plus != std::string_view::npos) {
    build = body.substr(plus + 1);
    body = body.substr(0, plus);
    has_build = true;
  }
  std::string_view pre;
  bool has_pre = false;
  if (auto dash = body.find('-'); dash != std::string_view::npos) {
    pre = body.substr(dash + 1);
    body = body.substr(0, dash);
    has_pre = true;
  }
  std::vector<std::string_view> nums = split_dots(body);
  if (nums.size() > 3) return v;
  for (std::size_t i = 0; i < nums.size(); ++i) {
    if (!all_digits(nums[i])) return v;
    v.core[i] = nums[i];
  }
  bool strict = nums.size() == 3;
  for (auto n : nums) strict = strict && (n.size() == 1 || n.front() != '0');
  if (has_pre) {
    v.pre = split_dots(pre);
    for (auto id : v.pre) {
      if (id.empty()) return v;
      for (unsigned char c : id)
        if (!is_ident(c)) return v;
      if (all_digits(id) && id.size() > 1 && id.front() == '0') strict = false;
    }
  }
  if (has_build) {
    for (auto id : split_dots(build)) {
      if (id.empty()) return v;
      for (unsigned char c : id)
        if (!is_ident(c)) return v;
    }
  }
  v.parsed = true;
  v.strict = strict;
  return v;
}

int compare_ident(std::string_view a, std::string_view b) {
  bool na = all_digits(a), nb = all_digits(b);
  if (na && nb) return compare_digits(a, b);
  if (na != nb) return na ? -1 : 1;
  return sign(a.compare(b));
}

class SemverScheme final : public VersionScheme {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"semver", "Semantic Versioning 2.0.0 precedence (optional v prefix)"};
    return d;
  }
  bool valid(std::string_view v) const override { return parse(v).strict; }

  int compare(std::string_view a, std::string_view b) const override {
    SemVer x = parse(a), y = parse(b);
    if (x.parsed != y.parsed) return x.parsed ? 1 : -1;
    if (!x.parsed) return sign(a.compare(b));
    for (std::size_t i = 0; i < 3; ++i)
      if (int c = compare_digits(x.core[i], y.core[i]); c != 0) return c;
    if (x.pre.empty() != y.pre.empty()) return x.pre.empty() ? 1 : -1;
    std::size_t n = std::min(x.pre.size(), y.pre.size());
    for (std::size_t i = 0; i < n; ++i)
      if (int c = compare_ident(x.pre[i], y.pre[i]); c != 0) return c;
    if (x.pre.size() != y.pre.size()) return x.pre.size() < y.pre.size() ? -1 : 1;
    return 0;
  }
};

}  // namespace

std::unique_ptr<VersionScheme> make_semver_scheme() {
  return std::make_unique<SemverScheme>();
}

}  // namespace waybill::vuln
