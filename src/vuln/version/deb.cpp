// "deb": the Debian package version ordering of dpkg (lib/dpkg/version.c, deb-version(7)).
//
//   [epoch:]upstream[-revision]
//   - epoch: the digits before the first ':'; absent = 0; compared numerically (any length).
//   - revision: the text after the LAST '-' (of the part after the epoch); absent = "" which
//     compares equal to "0", as in dpkg.
//   - upstream and revision are compared with verrevcmp: alternating runs of non-digits and
//     digits. Non-digit runs are compared character by character with the weight
//     '~' < end-of-run < letters (ASCII order) < every other character (ASCII order + 256);
//     digit runs are compared numerically (leading zeros ignored, no overflow).
//   Consequences: 1:1.0 > 2.0, 1.0~rc1 < 1.0, 1.0-1 < 1.0-1+deb12u1, 1.01 == 1.1.
//
// Totality for garbage: a string with a ':' whose prefix is not all digits gets epoch 0 and the
// whole string as upstream; bytes outside ASCII weigh as "other" characters. Every string maps
// to one (epoch, upstream, revision) triple compared lexicographically, so compare() is a total
// preorder (reflexive, antisymmetric in sign, transitive); valid() reports dpkg's syntax rules.
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

// Numeric comparison of two digit strings of any length.
int compare_digits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Weight of one character inside a non-digit run (dpkg's order()); end of run weighs 0.
int order(unsigned char c) {
  if (c == '~') return -1;
  if (is_alpha(c)) return c;
  return c + 256;
}

int verrevcmp(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    // Non-digit runs.
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      int ac = (i < a.size() && !is_digit(a[i])) ? order(a[i]) : 0;
      int bc = (j < b.size() && !is_digit(b[j])) ? order(b[j]) : 0;
      if (ac != bc) return ac < bc ? -1 : 1;
      if (i < a.size() && !is_digit(a[i])) ++i;
      if (j < b.size() && !is_digit(b[j])) ++j;
    }
    // Digit runs.
    std::size_t si = i, sj = j;
    while (i < a.size() && is_digit(a[i])) ++i;
    while (j < b.size() && is_digit(b[j])) ++j;
    int c = compare_digits(a.substr(si, i - si), b.substr(sj, j - sj));
    if (c != 0) return c;
  }
  return 0;
}

struct DebVersion {
  std::string_view epoch;  // digits, may be empty (= 0)
  std::string_view upstream;
  std::string_view revision;
  bool has_epoch = false;
  bool has_revision = false;
  bool epoch_ok = true;
};

DebVersion split(std::string_view v) {
  DebVersion d;
  std::string_view rest = v;
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    std::string_view e = v.substr(0, colon);
    bool digits = !e.empty();
    for (unsigned char c : e) digits = digits && is_digit(c);
    if (digits) {
      d.epoch = e;
      d.has_epoch = true;
      rest = v.substr(colon + 1);
    } else {
      d.epoch_ok = false;
    }
  }
  if (auto dash = rest.rfind('-'); dash != std::string_view::npos) {
    d.upstream = rest.substr(0, dash);
    d.revision = rest.substr(dash + 1);
    d.has_revision = true;
  } else {
    d.upstream = rest;
  }
  return d;
}

class DebScheme final : public VersionScheme {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"deb", "Debian/dpkg versions: epoch:upstream-revision, ~ first"};
    return d;
  }

  bool valid(std::string_view v) const override {
    if (v.empty()) return false;
    DebVersion d = split(v);
    if (!d.epoch_ok) return false;
    if (d.upstream.empty() || !is_digit(d.upstream.front())) return false;
    for (unsigned char c : d.upstream) {
      bool ok = is_digit(c) || is_alpha(c) || c == '.' || c == '+' || c == '~' || c == '-' ||
                (c == ':' && d.has_epoch);
      if (!ok) return false;
    }
    if (d.has_revision) {
      if (d.revision.empty()) return false;
      for (unsigned char c : d.revision)
        if (!(is_digit(c) || is_alpha(c) || c == '.' || c == '+' || c == '~')) return false;
    }
    return true;
  }

  int compare(std::string_view a, std::string_view b) const override {
    DebVersion x = split(a), y = split(b);
    if (int c = compare_digits(x.epoch, y.epoch); c != 0) return c;
    if (int c = verrevcmp(x.upstream, y.upstream); c != 0) return c;
    return verrevcmp(x.revision, y.revision);
  }
};

}  // namespace

std::unique_ptr<VersionScheme> make_deb_scheme() {
  return std::make_unique<DebScheme>();
}

}  // namespace waybill::vuln
