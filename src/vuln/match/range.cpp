// Version intervals and the small text helpers of vuln/match.
//
// An Interval is [lo, hi) by default; either end may be inclusive or unbounded (empty string).
// CVE 5 writes "every 6.1.x" as lessThanOrEqual "6.1.*": stored as hi = "6.1" with hi_wildcard,
// and v is inside when v <= 6.1 or v starts with the components "6.1." (6.1.176 <= 6.1.*).
// Comparisons use the VersionScheme given by the caller; the comparison text names every
// comparison made, so a finding can be checked by hand.
#include <algorithm>
#include <cctype>

#include "vuln/match/internal.h"

namespace waybill::vuln::match {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string norm_name(std::string_view s) {
  std::string out = lower(s);
  for (char& c : out)
    if (c == ' ') c = '_';
  return out;
}

bool version_like(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  std::size_t i = 0;
  if ((s[0] == 'v' || s[0] == 'V') && s.size() > 1) i = 1;
  if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isspace(u) || c == ',' || c == '<' || c == '>' || c == '=' || c == '/' || u >= 0x80)
      return false;
  }
  return true;
}

namespace {

// v starts with `prefix` followed by a separator: "6.1.176" under "6.1".
bool component_prefix(std::string_view v, std::string_view prefix) {
  if (v.starts_with('v') || v.starts_with('V')) v.remove_prefix(1);
  if (prefix.starts_with('v') || prefix.starts_with('V')) prefix.remove_prefix(1);
  if (!v.starts_with(prefix)) return false;
  if (v.size() == prefix.size()) return true;
  char next = v[prefix.size()];
  return next == '.' || next == '-' || next == '_' || next == '+';
}

}  // namespace

bool in_interval(const VersionScheme& scheme, std::string_view v, const Interval& iv,
                 std::string* cmp) {
  std::string text;
  auto add = [&](const std::string& s) {
    if (!text.empty()) text += " and ";
    text += s;
  };
  std::string vs(v);
  bool ok = true;
  if (!iv.exact.empty()) {
    int c = scheme.compare(v, iv.exact);
    ok = c == 0;
    add(vs + (ok ? " = " : " != ") + iv.exact);
  } else {
    if (!iv.lo.empty()) {
      int c = scheme.compare(v, iv.lo);
      bool in = iv.lo_incl ? c >= 0 : c > 0;
      add(vs + (in ? (c == 0 ? " = " : " > ") : " < ") + iv.lo +
          (iv.lo_incl ? " (start included)" : " (start excluded)"));
      ok = ok && in;
    }
    if (ok && !iv.hi.empty()) {
      if (iv.hi_wildcard) {
        bool in = component_prefix(v, iv.hi) || scheme.compare(v, iv.hi) <= 0;
        add(vs + (in ? " <= " : " > ") + iv.hi + ".* (wildcard)");
        ok = in;
      } else {
        int c = scheme.compare(v, iv.hi);
        bool in = iv.hi_incl ? c <= 0 : c < 0;
        add(vs +
            (c < 0    ? " < "
             : c == 0 ? " = "
                      : " > ") +
            iv.hi + (iv.hi_incl ? " (end included)" : " (end excluded)"));
        ok = in;
      }
    }
    if (iv.lo.empty() && iv.hi.empty()) add(vs + " in every version");
  }
  text += " by " + std::string(scheme.describe().id);
  if (cmp) *cmp = std::move(text);
  return ok;
}

std::string interval_text(const Interval& iv) {
  if (!iv.exact.empty()) return "v = " + iv.exact;
  std::string s;
  if (!iv.lo.empty()) s += iv.lo + (iv.lo_incl ? " <= " : " < ");
  s += "v";
  if (!iv.hi.empty())
    s += std::string(iv.hi_incl || iv.hi_wildcard ? " <= " : " < ") + iv.hi +
         (iv.hi_wildcard ? ".*" : "");
  if (iv.lo.empty() && iv.hi.empty()) s = "every version";
  return s;
}

bool has_cpe(const ComponentIdentity& id, std::string_view vendor, std::string_view product) {
  std::string v = norm_name(vendor), p = norm_name(product);
  return std::any_of(id.cpes.begin(), id.cpes.end(),
                     [&](const VendorProduct& vp) { return vp.vendor == v && vp.product == p; });
}

}  // namespace waybill::vuln::match
