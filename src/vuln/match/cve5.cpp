// CVE JSON 5 `affected[]` against one component.
//
// Semantics:
//  * An entry names the component when its vendor/product (lowercased, spaces as '_') or one of
//    its `cpes` is one of the component's vendor/product pairs (aliases included). Entries with
//    vendor or product "n/a" name nothing. `packageName` alone never identifies: Cloudflare's zlib
//    fork (CVE-2023-6992, vendor Cloudflare, repo github.com/cloudflare/zlib) is not zlib.
//  * versions[] entries, compared with Component::version:
//      version + lessThan / lessThanOrEqual: a range from `version` ("0" = from the beginning)
//      to the bound; "*" = unbounded; "6.1.*" = every 6.1.x (wildcard);
//      version alone: that exact version; "*" = every version;
//      odd strings are read only when they are unambiguous: "< 3.49.1", "<= 2.0", ">= 1.6.0,
//      < 1.6.51", "= 10.45"; anything else ("n/a", "Not-Known", "unspecified", "dnsmasq 2.85",
//      "libpng v1.6", "Fixed in pcre2-10.40.") is ignored, never guessed at.
//      versionType: "git" entries are skipped (commit ancestry is unknown; only an identical
//      commit of a component with a known commit matches); "semver" uses the semver scheme when
//      both strings are valid SemVer, otherwise (CNAs label "4.1" semver) and for "custom" and
//      all others the generic scheme.
//  * Status of the component version in one entry: an exact `affected` version equal to it wins;
//    else an `unaffected` range/version containing it makes it unaffected (the kernel.org CNA's
//    backport ranges: 6.1.176 is in 6.1.97 <= v <= 6.1.*); else an `affected` range containing it
//    makes it affected; else `defaultStatus: affected` makes it affected; else unaffected when the
//    entry had usable version data, undetermined when it had none.
//  * Across entries (CNA and ADP containers): affected if any entry says affected; else
//    unaffected if any entry decided; else undetermined (match_record then falls back to the
//    record's cpeApplicability).
#include <algorithm>

#include "vuln/match/internal.h"

namespace waybill::vuln {

using match::Interval;

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '.')) s.remove_suffix(1);
  return std::string(s);
}

// "< 3.49.1", ">= 1.6.0, < 1.6.51", "= 10.45" -> interval; nullopt when not of that shape.
std::optional<Interval> parse_constraints(std::string_view text) {
  Interval iv;
  bool any = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    std::string part = trim(
        text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    pos = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (part.empty()) return std::nullopt;
    std::string op;
    while (!part.empty() && (part[0] == '<' || part[0] == '>' || part[0] == '=')) {
      op.push_back(part[0]);
      part.erase(0, 1);
    }
    part = trim(part);
    if (op.empty() || !match::version_like(part)) return std::nullopt;
    if (op == "<") {
      iv.hi = part, iv.hi_incl = false;
    } else if (op == "<=") {
      iv.hi = part, iv.hi_incl = true;
    } else if (op == ">") {
      iv.lo = part, iv.lo_incl = false;
    } else if (op == ">=") {
      iv.lo = part, iv.lo_incl = true;
    } else if (op == "=" || op == "==") {
      iv.exact = part;
    } else {
      return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  return iv;
}

struct Parsed {
  Interval iv;
  bool exact_version = false;
};

// One versions[] entry as an interval; nullopt (with a note) when it cannot be read.
std::optional<Parsed> parse_entry(const Cve5Version& v, std::string* note) {
  Parsed p;
  std::string ver = trim(v.version);
  std::string lt = trim(v.less_than), le = trim(v.less_than_or_equal);
  if (!lt.empty() || !le.empty()) {
    if (ver.empty() || ver == "0" || ver == "*") {
      // from the beginning
    } else if (match::version_like(ver)) {
      p.iv.lo = ver;
    } else {
      if (note) *note = "start '" + ver + "' is not a version";
      return std::nullopt;
    }
    std::string hi = !lt.empty() ? lt : le;
    p.iv.hi_incl = lt.empty();
    if (hi == "*") {
      // unbounded
    } else if (hi.size() > 2 && hi.ends_with(".*") &&
               match::version_like(hi.substr(0, hi.size() - 2))) {
      p.iv.hi = hi.substr(0, hi.size() - 2);
      p.iv.hi_wildcard = true;
      p.iv.hi_incl = true;
    } else if (match::version_like(hi)) {
      p.iv.hi = hi;
    } else {
      if (note) *note = "bound '" + hi + "' is not a version";
      return std::nullopt;
    }
    return p;
  }
  if (ver == "*") return p;  // every version
  if (match::version_like(ver)) {
    p.iv.exact = ver;
    p.exact_version = true;
    return p;
  }
  if (auto iv = parse_constraints(ver)) {
    p.iv = *iv;
    p.exact_version = !iv->exact.empty();
    return p;
  }
  if (note) *note = "free text '" + ver + "' ignored";
  return std::nullopt;
}

const VersionScheme& scheme_for(const Cve5Version& v, std::string_view comp, const Interval& iv) {
  if (match::lower(v.version_type) == "semver") {
    const VersionScheme& s = version_scheme("semver");
    bool ok = s.valid(comp);
    for (const std::string* b : {&iv.lo, &iv.hi, &iv.exact})
      if (!b->empty() && !iv.hi_wildcard) ok = ok && s.valid(*b);
    if (ok && !iv.hi_wildcard) return s;
  }
  return version_scheme("generic");
}

enum class Verdict { undetermined, affected, unaffected };

struct EntryResult {
  Verdict verdict = Verdict::undetermined;
  std::string range, cmp, scheme, note;
};

EntryResult eval_entry(const Affected& a, const ComponentIdentity& id) {
  EntryResult res;
  bool usable = false;
  const Cve5Version* exact_aff = nullptr;
  const Cve5Version* unaff = nullptr;
  const Cve5Version* aff = nullptr;
  Parsed exact_p, unaff_p, aff_p;
  std::string exact_cmp, unaff_cmp, aff_cmp, exact_s, unaff_s, aff_s;
  std::vector<std::string> notes;
  for (const auto& v : a.cve5_versions) {
    std::string status = match::lower(v.status);
    if (match::lower(v.version_type) == "git") {
      if (!id.commit.empty() && v.less_than.empty() && v.less_than_or_equal.empty() &&
          status == "affected" && v.version.size() >= 7 && id.commit.starts_with(v.version)) {
        usable = true;
        exact_aff = &v;
        exact_p.iv.exact = v.version;
        exact_cmp = "commit " + id.commit + " = " + v.version;
        exact_s = "git";
      } else if (notes.empty() || notes.back() != "git ranges skipped (commit ancestry unknown)") {
        notes.push_back("git ranges skipped (commit ancestry unknown)");
      }
      continue;
    }
    std::string note;
    auto p = parse_entry(v, &note);
    if (!p) {
      notes.push_back(note);
      continue;
    }
    if (status != "affected" && status != "unaffected") continue;
    usable = true;
    if (id.version.empty()) continue;
    const VersionScheme& s = scheme_for(v, id.version, p->iv);
    std::string cmp;
    if (!match::in_interval(s, id.version, p->iv, &cmp)) continue;
    std::string sid(s.describe().id);
    if (status == "affected" && p->exact_version && !exact_aff) {
      exact_aff = &v, exact_p = *p, exact_cmp = cmp, exact_s = sid;
    } else if (status == "unaffected" && !unaff) {
      unaff = &v, unaff_p = *p, unaff_cmp = cmp, unaff_s = sid;
    } else if (status == "affected" && !aff) {
      aff = &v, aff_p = *p, aff_cmp = cmp, aff_s = sid;
    }
  }
  for (const auto& n : notes) res.note += (res.note.empty() ? "" : "; ") + n;
  if (!usable && match::lower(a.default_status) != "affected") return res;
  if (id.version.empty()) {
    res.note = "component has no version";
    return res;
  }
  if (exact_aff) {
    res.verdict = Verdict::affected;
    res.range = match::interval_text(exact_p.iv) + " (affected)";
    res.cmp = exact_cmp;
    res.scheme = exact_s;
  } else if (unaff) {
    res.verdict = Verdict::unaffected;
    res.range = match::interval_text(unaff_p.iv) + " (unaffected)";
    res.cmp = unaff_cmp;
    res.scheme = unaff_s;
  } else if (aff) {
    res.verdict = Verdict::affected;
    res.range = match::interval_text(aff_p.iv) + " (affected)";
    res.cmp = aff_cmp;
    res.scheme = aff_s;
  } else if (match::lower(a.default_status) == "affected") {
    res.verdict = Verdict::affected;
    res.range = "defaultStatus affected";
    res.cmp = id.version + " is in no unaffected range";
    res.scheme = "generic";
  } else {
    res.verdict = Verdict::unaffected;
    res.range = "no affected version or range contains " + id.version;
    res.scheme = "generic";
  }
  return res;
}

bool entry_names(const Affected& a, const ComponentIdentity& id, std::string* criteria) {
  auto meaningful = [](std::string_view s) {
    std::string l = match::lower(s);
    return !l.empty() && l != "n/a" && l != "*" && l != "-" && l != "unknown";
  };
  if (meaningful(a.vendor) && meaningful(a.product) && match::has_cpe(id, a.vendor, a.product)) {
    *criteria = match::norm_name(a.vendor) + ":" + match::norm_name(a.product);
    return true;
  }
  for (const auto& cpe : a.cpes) {
    // vendor and product are fields 3 and 4 of "cpe:2.3:part:vendor:product:..."
    std::vector<std::string> f;
    std::string cur;
    for (std::size_t i = 0; i < cpe.size() && f.size() < 5; ++i) {
      if (cpe[i] == '\\' && i + 1 < cpe.size()) {
        cur.push_back(cpe[++i]);
      } else if (cpe[i] == ':') {
        f.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(cpe[i]);
      }
    }
    if (f.size() == 5 && meaningful(f[3]) && meaningful(f[4]) && match::has_cpe(id, f[3], f[4])) {
      *criteria = cpe;
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<MatchExplanation> match_cve5_affected(const VulnRecord& r, const model::Component& c,
                                                    const MatchContext& ctx, NoMatch* why) {
  auto fail = [&](std::string reason) -> std::optional<MatchExplanation> {
    if (why) why->reason = std::move(reason);
    return std::nullopt;
  };
  if (r.withdrawn || match::lower(r.status) == "rejected")
    return fail("record is rejected/withdrawn");
  ComponentIdentity storage;
  const ComponentIdentity& id = match::identity_of(c, ctx, storage);
  bool decided = false;
  std::string reason;
  for (const auto& a : r.affected) {
    std::string criteria;
    if (!entry_names(a, id, &criteria)) continue;
    EntryResult er = eval_entry(a, id);
    std::string who = a.container.empty() ? std::string("cna") : a.container;
    if (er.verdict == Verdict::affected) {
      MatchExplanation e;
      e.source = r.source;
      e.record = r.id;
      e.method = "cve5-affected";
      e.criteria = criteria + " (" + who + ")";
      e.range = er.range;
      e.comparison = er.cmp;
      if (!er.note.empty()) e.comparison += "; " + er.note;
      e.scheme = er.scheme;
      e.component_version = id.version;
      return e;
    }
    if (er.verdict == Verdict::unaffected) {
      decided = true;
      reason = "unaffected per " + who + " " + criteria + ": " + er.range +
               (er.cmp.empty() ? "" : " (" + er.cmp + ")");
    } else if (!decided) {
      reason = "undetermined: " + who + " " + criteria + ": " +
               (er.note.empty() ? std::string("no usable version data") : er.note);
    }
  }
  if (reason.empty()) reason = "undetermined: no affected entry names this component";
  return fail(reason);
}

std::optional<MatchExplanation> match_record(const VulnRecord& r, const model::Component& c,
                                             const MatchContext& ctx, NoMatch* why) {
  if (r.withdrawn || match::lower(r.status) == "rejected") {
    if (why) why->reason = "record is rejected/withdrawn";
    return std::nullopt;
  }
  if (r.source == "osv") return match_osv_affected(r, c, ctx, why);
  if (r.source == "cve5") {
    NoMatch first;
    auto m = match_cve5_affected(r, c, ctx, &first);
    if (m || !first.reason.starts_with("undetermined") || r.configurations.empty()) {
      if (why) *why = first;
      return m;
    }
    return match_configurations(r, c, ctx, why);
  }
  return match_configurations(r, c, ctx, why);
}

}  // namespace waybill::vuln
