// "generic": upstream versions as written in NVD/CVE records and by upstream projects
// (OpenSSL 1.1.1w, dropbear 2022.83, linux 6.8-rc4, busybox 1.36.1, openssh 9.3p2).
//
// Rules, applied in this order:
//   1. A leading 'v' or 'V' directly followed by a digit is dropped (v1.2 == 1.2).
//   2. The string is cut into tokens: runs of ASCII digits (numbers), runs of ASCII letters
//      (words, compared case-insensitively). Every other byte ('.', '-', '_', '+', '~', ':',
//      spaces, non-ASCII) only separates tokens (1.2.3 == 1-2-3 == 1_2_3).
//   3. Words "dev", "alpha", "beta", "pre"/"preview", "rc" are pre-release markers and rank
//      dev < alpha < beta < pre < rc. Any other word (a, b, z, za, p, patch, dfsg, ubuntu) is a
//      suffix that sorts AFTER the release (1.1.1 < 1.1.1a, 9.3 < 9.3p1, 1.0 < 1.0+dfsg).
//      Single letters are never pre-releases, because OpenSSL-style letter releases are far more
//      common in this data than "1.0a1"-style alphas.
//   4. Numbers compare numerically, any length, leading zeros ignored: 2.9 < 2.90 (not equal),
//      2.9 < 2.10, 2022.83 < 2024.84, 20210101 < 20220101.
//   5. Zero numbers at the end of the numeric part are dropped when they come directly before
//      the end or before a pre-release marker, keeping the first number: 1.0 == 1.0.0 == 1,
//      1.0-rc1 == 1.0.0-rc1. (1.0a and 1a stay different.)
//   6. Token lists are compared position by position; a list that has ended reads as "release".
//      At one position the kinds order as
//          pre-release marker (by rank) < release/end < word (ASCII, shorter prefix first)
//          < number (numerically)
//      hence 1.2.3-rc1 < 1.2.3 < 1.2.3a < 1.2.3.1, 6.8-rc4 < 6.8, 1.0~rc1 < 1.0,
//      1.1.1w < 1.1.1z < 1.1.1za < 1.1.1zb, 1.0.2zh < 1.0.3, and rc1 < rc2 < rc10.
// Every string maps to one token list compared lexicographically with a total order on tokens,
// so compare() is a total preorder even for garbage. valid() is true when the string starts
// with a digit (after rule 1) and uses only letters, digits and . - _ + ~ :.
#include <algorithm>
#include <memory>
#include <string_view>
#include <vector>

#include "vuln/version/scheme.h"

namespace waybill::vuln {
namespace {

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
int sign(int v) {
  return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

// Token kinds in their order at one position.
enum Kind { kPre = 0, kEnd = 1, kWord = 2, kNumber = 3 };

struct Token {
  Kind kind = kEnd;
  int rank = 0;           // kPre: dev < alpha < beta < pre < rc
  std::string_view text;  // kWord: the letters; kNumber: digits without leading zeros
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

int pre_rank(std::string_view w) {
  if (iequals(w, "dev")) return 1;
  if (iequals(w, "alpha")) return 2;
  if (iequals(w, "beta")) return 3;
  if (iequals(w, "pre") || iequals(w, "preview")) return 4;
  if (iequals(w, "rc")) return 5;
  return 0;
}

std::string_view strip_v(std::string_view s) {
  if (s.size() >= 2 && (s[0] == 'v' || s[0] == 'V') && is_digit(s[1])) s.remove_prefix(1);
  return s;
}

bool is_zero(const Token& t) {
  return t.kind == kNumber && t.text.empty();
}

// Rule 5: drop trailing zero numbers (but not the first number of the run) from out.
void drop_trailing_zeros(std::vector<Token>& out) {
  while (out.size() >= 2 && is_zero(out.back()) && out[out.size() - 2].kind == kNumber)
    out.pop_back();
}

std::vector<Token> tokenize(std::string_view s) {
  s = strip_v(s);
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (is_digit(c)) {
      std::size_t start = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      std::string_view d = s.substr(start, i - start);
      while (!d.empty() && d.front() == '0') d.remove_prefix(1);
      out.push_back({kNumber, 0, d});
    } else if (is_alpha(c)) {
      std::size_t start = i;
      while (i < s.size() && is_alpha(s[i])) ++i;
      std::string_view w = s.substr(start, i - start);
      if (int r = pre_rank(w); r != 0) {
        drop_trailing_zeros(out);
        out.push_back({kPre, r, {}});
      } else {
        out.push_back({kWord, 0, w});
      }
    } else {
      ++i;
    }
  }
  drop_trailing_zeros(out);
  return out;
}

int compare_words(std::string_view a, std::string_view b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    char x = lower(a[i]), y = lower(b[i]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
  }
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}

int compare_tokens(const Token& a, const Token& b) {
  if (a.kind != b.kind) return a.kind < b.kind ? -1 : 1;
  switch (a.kind) {
    case kPre:
      return a.rank == b.rank ? 0 : (a.rank < b.rank ? -1 : 1);
    case kWord:
      return compare_words(a.text, b.text);
    case kNumber:
      if (a.text.size() != b.text.size()) return a.text.size() < b.text.size() ? -1 : 1;
      return sign(a.text.compare(b.text));
    case kEnd:
      return 0;
  }
  return 0;
}

class GenericScheme final : public VersionScheme {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{
        "generic", "upstream versions: numeric runs, letter suffixes, -rc before release"};
    return d;
  }

  bool valid(std::string_view v) const override {
    v = strip_v(v);
    if (v.empty() || !is_digit(v.front())) return false;
    for (unsigned char c : v)
      if (!(is_digit(c) || is_alpha(c) || c == '.' || c == '-' || c == '_' || c == '+' ||
            c == '~' || c == ':'))
        return false;
    return true;
  }

  int compare(std::string_view a, std::string_view b) const override {
    std::vector<Token> x = tokenize(a), y = tokenize(b);
    std::size_t n = std::max(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
      Token ta = i < x.size() ? x[i] : Token{};
      Token tb = i < y.size() ? y[i] : Token{};
      if (int c = compare_tokens(ta, tb); c != 0) return c;
    }
    return 0;
  }
};

}  // namespace

std::unique_ptr<VersionScheme> make_generic_scheme() {
  return std::make_unique<GenericScheme>();
}

}  // namespace waybill::vuln
