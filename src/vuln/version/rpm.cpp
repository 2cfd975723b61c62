// "rpm": RPM package versions, [epoch:]version[-release], ordered like rpm's rpmvercmp()
// (rpmio/rpmvercmp.c, rpm >= 4.15) applied to epoch, version and release in turn.
//
// rpmvercmp splits a string into segments: runs of ASCII digits, runs of ASCII letters, and the
// markers '~' and '^'; every other byte is a separator and only delimits segments. Two strings
// are compared segment by segment; at one position the kinds order as
//   '~' < end-of-string < '^' < letter run < digit run
// (so 1.0~rc1 < 1.0 < 1.0^git1 < 1.0a < 1.0.1), letter runs compare by ASCII (strcmp), digit
// runs numerically (leading zeros ignored, no overflow).
//   - epoch: the digits before the first ':'; absent = 0; compared numerically.
//   - release: the text after the LAST '-'; an absent release sorts before any present one
//     (rpm's dependency matching treats a missing release as "any", which is not an ordering;
//     here it must be, so "1.0" < "1.0-1").
// Totality for garbage: every string maps to one (epoch, version, release) triple and each part
// to a segment sequence; segments compare by a total order, sequences lexicographically, so
// compare() is a total preorder. valid() requires rpm's character set [A-Za-z0-9._+~^].
#include <memory>
#include <string_view>

#include "vuln/version/scheme.h"

namespace waybill::vuln {
namespace {

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(unsigned char c) {
  return is_digit(c) || is_alpha(c);
}

int compare_digits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Segment kinds in their order at one position.
enum Kind { kTilde = 0, kEnd = 1, kCaret = 2, kAlpha = 3, kDigit = 4 };

struct Segment {
  Kind kind = kEnd;
  std::string_view text;
};

// The next segment of s starting at i (advances i).
Segment next_segment(std::string_view s, std::size_t& i) {
  while (i < s.size() && !is_alnum(s[i]) && s[i] != '~' && s[i] != '^') ++i;
  if (i >= s.size()) return {kEnd, {}};
  if (s[i] == '~') return {kTilde, s.substr(i++, 1)};
  if (s[i] == '^') return {kCaret, s.substr(i++, 1)};
  std::size_t start = i;
  if (is_digit(s[i])) {
    while (i < s.size() && is_digit(s[i])) ++i;
    return {kDigit, s.substr(start, i - start)};
  }
  while (i < s.size() && is_alpha(s[i])) ++i;
  return {kAlpha, s.substr(start, i - start)};
}

int rpmvercmp(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  for (;;) {
    Segment x = next_segment(a, i), y = next_segment(b, j);
    if (x.kind != y.kind) return x.kind < y.kind ? -1 : 1;
    if (x.kind == kEnd) return 0;
    int c = 0;
    if (x.kind == kDigit) {
      c = compare_digits(x.text, y.text);
    } else if (x.kind == kAlpha) {
      int r = x.text.compare(y.text);
      c = r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    if (c != 0) return c;
  }
}

struct RpmVersion {
  std::string_view epoch, version, release;
  bool has_release = false;
  bool epoch_ok = true;
};

RpmVersion split(std::string_view v) {
  RpmVersion r;
  std::string_view rest = v;
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    std::string_view e = v.substr(0, colon);
    bool digits = true;  // rpm accepts an empty epoch (":1.0") as 0
    for (unsigned char c : e) digits = digits && is_digit(c);
    if (digits) {
      r.epoch = e;
      rest = v.substr(colon + 1);
    } else {
      r.epoch_ok = false;
    }
  }
  if (auto dash = rest.rfind('-'); dash != std::string_view::npos) {
    r.version = rest.substr(0, dash);
    r.release = rest.substr(dash + 1);
    r.has_release = true;
  } else {
    r.version = rest;
  }
  return r;
}

bool rpm_chars(std::string_view s) {
  for (unsigned char c : s)
    if (!(is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '~' || c == '^')) return false;
  return true;
}

class RpmScheme final : public VersionScheme {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"rpm", "RPM versions: epoch:version-release, rpmvercmp with ~ and ^"};
    return d;
  }

  bool valid(std::string_view v) const override {
    RpmVersion r = split(v);
    if (!r.epoch_ok || r.version.empty() || !rpm_chars(r.version)) return false;
    if (r.has_release && (r.release.empty() || !rpm_chars(r.release))) return false;
    return true;
  }

  int compare(std::string_view a, std::string_view b) const override {
    RpmVersion x = split(a), y = split(b);
    if (int c = compare_digits(x.epoch, y.epoch); c != 0) return c;
    if (int c = rpmvercmp(x.version, y.version); c != 0) return c;
    if (x.has_release != y.has_release) return x.has_release ? 1 : -1;
    return rpmvercmp(x.release, y.release);
  }
};

}  // namespace

std::unique_ptr<VersionScheme> make_rpm_scheme() {
  return std::make_unique<RpmScheme>();
}

}  // namespace waybill::vuln
