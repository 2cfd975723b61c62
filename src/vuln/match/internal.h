// Helpers shared by the evaluators of vuln/match (not public API; include matcher.h instead).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vuln/match/matcher.h"
#include "vuln/version/scheme.h"

namespace waybill::vuln::match {

std::string lower(std::string_view s);
// Lowercase, spaces to '_' (the cpe_key normalisation of database.h).
std::string norm_name(std::string_view s);

// A string that can be compared as a version: starts with a digit (or 'v' + digit) and holds no
// spaces, commas or comparison operators. Free text ("n/a", "Not-Known", "dnsmasq 2.85",
// "Fixed in pcre2-10.40.") is not.
bool version_like(std::string_view s);

// One interval of versions; empty bound strings mean unbounded. `hi_wildcard` = an upper bound
// written "6.1.*" (every 6.1.x, stored as hi = "6.1").
struct Interval {
  std::string lo, hi;
  bool lo_incl = true, hi_incl = false;
  bool hi_wildcard = false;
  std::string exact;  // when set, the interval is exactly this version (lo/hi ignored)
};

// Does `v` lie in `iv` by `scheme`? `cmp` gets the comparison text
// ("6.1.176 >= 6.1.84 and 6.1.176 <= 6.1.* (wildcard)").
bool in_interval(const VersionScheme& scheme, std::string_view v, const Interval& iv,
                 std::string* cmp);
// Human-readable range text: "1.2.0.6 <= v < 1.2.9", "v = 2.9", "v <= 6.1.*".
std::string interval_text(const Interval& iv);

// The fix versions mentioned by a record for the component (exclusive upper ends, CVE 5
// lessThan / unaffected starts, OSV fixed); used for Finding::fixed_version.
void collect_fixes(const VulnRecord& r, const ComponentIdentity& id, std::vector<std::string>& out);

// The identity of `c`: from ctx.index when c is an element of ctx.sbom, else computed into
// `storage`.
const ComponentIdentity& identity_of(const model::Component& c, const MatchContext& ctx,
                                     ComponentIdentity& storage);

// Does an identity hold this vendor/product (after normalisation)?
bool has_cpe(const ComponentIdentity& id, std::string_view vendor, std::string_view product);

}  // namespace waybill::vuln::match
