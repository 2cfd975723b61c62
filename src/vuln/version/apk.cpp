// "apk": Alpine package versions as ordered by apk-tools (version.c).
//
//   digits{.digits}[letter]{_suffix[digits]}[-r<digits>]      e.g. 1.2.3b_rc2_p1-r4
//   - numeric components: the first compares numerically; a later one compares numerically
//     unless either side starts with '0', then both compare as strings with trailing zeros
//     removed (the "fractional" rule apk inherited from Gentoo: 1.02 < 1.1). A version with more
//     components is greater (1.2 < 1.2.1, and 1.2a < 1.2.1).
//   - one optional lowercase letter after the numbers: none < a < b ... (1.2 < 1.2a < 1.2b).
//   - suffixes, compared in sequence, each by (kind, number); a missing suffix counts as the
//     release itself:  _alpha < _beta < _pre < _rc < (release) < _cvs < _svn < _git < _hg < _p
//     (so 1.0_rc1 < 1.0 < 1.0_p1); a missing suffix number is 0.
//   - revision -rN: absent sorts before -r0 (apk treats the longer token stream as newer).
// Totality for garbage: the longest valid prefix is parsed into that key; whatever follows
// (an unknown suffix, stray bytes, or the whole string if it does not start with a digit) is
// kept as a "rest" compared bytewise as the last key, and a string with a rest sorts after the
// same key without one. The key is a pure function of the string and compared
// lexicographically, so compare() is a total preorder; valid() is true only without a rest.
#include <memory>
#include <string_view>
#include <vector>

#include "vuln/version/scheme.h"

namespace waybill::vuln {
namespace {

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_lower(unsigned char c) {
  return c >= 'a' && c <= 'z';
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

int compare_component(std::string_view a, std::string_view b, bool first) {
  if (first || (a.front() != '0' && b.front() != '0')) return compare_digits(a, b);
  while (!a.empty() && a.back() == '0') a.remove_suffix(1);
  while (!b.empty() && b.back() == '0') b.remove_suffix(1);
  return sign(a.compare(b));
}

struct SuffixName {
  std::string_view name;
  int rank;
};
// Release (no suffix) has rank 0.
constexpr SuffixName kSuffixes[] = {{"alpha", -4}, {"beta", -3}, {"pre", -2},
                                    {"rc", -1},    {"cvs", 1},   {"svn", 2},
                                    {"git", 3},    {"hg", 4},    {"p", 5}};

struct Suffix {
  int rank = 0;
  std::string_view number;  // digits, may be empty (= 0)
};

struct ApkVersion {
  std::vector<std::string_view> components;
  char letter = 0;
  std::vector<Suffix> suffixes;
  bool has_revision = false;
  std::string_view revision;
  std::string_view rest;  // unparsed tail (invalid)
};

std::string_view take_digits(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return s.substr(start, i - start);
}

ApkVersion parse(std::string_view s) {
  ApkVersion v;
  std::size_t i = 0;
  // Components: digits{.digits}
  if (i < s.size() && is_digit(s[i])) {
    v.components.push_back(take_digits(s, i));
    while (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
      v.components.push_back(take_digits(s, i));
    }
    // Letter
    if (i < s.size() && is_lower(s[i]) && (i + 1 == s.size() || !is_lower(s[i + 1]))) {
      v.letter = s[i++];
    }
    // Suffixes
    while (i < s.size() && s[i] == '_') {
      std::size_t j = i + 1;
      while (j < s.size() && is_lower(s[j])) ++j;
      std::string_view name = s.substr(i + 1, j - i - 1);
      const SuffixName* found = nullptr;
      for (const auto& sn : kSuffixes)
        if (sn.name == name) found = &sn;
      if (found == nullptr) break;
      Suffix suf;
      suf.rank = found->rank;
      suf.number = take_digits(s, j);
      v.suffixes.push_back(suf);
      i = j;
    }
    // Revision
    if (i + 2 < s.size() && s[i] == '-' && s[i + 1] == 'r' && is_digit(s[i + 2])) {
      std::size_t j = i + 2;
      v.revision = take_digits(s, j);
      v.has_revision = true;
      i = j;
    }
  }
  v.rest = s.substr(i);
  return v;
}

int compare_parsed(const ApkVersion& a, const ApkVersion& b) {
  std::size_t n = std::min(a.components.size(), b.components.size());
  for (std::size_t k = 0; k < n; ++k)
    if (int c = compare_component(a.components[k], b.components[k], k == 0); c != 0) return c;
  if (a.components.size() != b.components.size())
    return a.components.size() < b.components.size() ? -1 : 1;
  if (a.letter != b.letter) return a.letter < b.letter ? -1 : 1;
  std::size_t m = std::max(a.suffixes.size(), b.suffixes.size());
  for (std::size_t k = 0; k < m; ++k) {
    Suffix x = k < a.suffixes.size() ? a.suffixes[k] : Suffix{};
    Suffix y = k < b.suffixes.size() ? b.suffixes[k] : Suffix{};
    if (x.rank != y.rank) return x.rank < y.rank ? -1 : 1;
    if (int c = compare_digits(x.number, y.number); c != 0) return c;
  }
  if (a.has_revision != b.has_revision) return a.has_revision ? 1 : -1;
  if (int c = compare_digits(a.revision, b.revision); c != 0) return c;
  if (a.rest.empty() != b.rest.empty()) return a.rest.empty() ? -1 : 1;
  return sign(a.rest.compare(b.rest));
}

class ApkScheme final : public VersionScheme {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"apk", "Alpine apk versions: 1.2.3a_rc1_p2-r3"};
    return d;
  }
  bool valid(std::string_view v) const override {
    ApkVersion p = parse(v);
    return !p.components.empty() && p.rest.empty();
  }
  int compare(std::string_view a, std::string_view b) const override {
    return compare_parsed(parse(a), parse(b));
  }
};

}  // namespace

std::unique_ptr<VersionScheme> make_apk_scheme() {
  return std::make_unique<ApkScheme>();
}

}  // namespace waybill::vuln
