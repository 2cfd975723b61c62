// OSV `affected[]` against one component.
//
// Semantics:
//  * An entry names the component when (ecosystem, package name) is one of the component's OSV
//    packages (case-insensitive; see aliases.cpp) or its purl (without version) is the
//    component's.
//  * Version compared: for distribution ecosystems (Debian:12, Alpine:v3.18, Ubuntu:...) the full
//    package version (Debian: the source version when known, else Package version) by the
//    ecosystem's scheme (scheme_for_ecosystem: deb, apk ...); otherwise Component::version.
//  * `versions`: the version equals one of them by the ecosystem's scheme.
//  * ranges, events taken in the order written: `introduced` opens an interval ("0" = from the
//    beginning) unless one is open; `fixed` closes it exclusively, `last_affected` inclusively;
//    an interval still open at the end is unbounded; `limit` caps the whole range (v < limit).
//    SEMVER ranges use the semver scheme; ECOSYSTEM ranges the ecosystem's; GIT ranges are
//    skipped (commit ancestry is not known offline) and say so.
//  * Withdrawn records never match.
#include <algorithm>

#include "vuln/match/internal.h"

namespace waybill::vuln {

using match::Interval;

namespace {

bool is_distro_ecosystem(std::string_view eco) {
  std::string e = match::lower(eco);
  return e.starts_with("debian") || e.starts_with("ubuntu") || e.starts_with("alpine");
}

std::vector<Interval> intervals(const Range& range, std::string* limit) {
  std::vector<Interval> out;
  bool open = false;
  Interval cur;
  for (const auto& ev : range.events) {
    if (!ev.introduced.empty()) {
      if (open) continue;
      cur = Interval{};
      if (ev.introduced != "0") cur.lo = ev.introduced;
      open = true;
    } else if (!ev.fixed.empty() || !ev.last_affected.empty()) {
      if (!open) continue;
      cur.hi = !ev.fixed.empty() ? ev.fixed : ev.last_affected;
      cur.hi_incl = ev.fixed.empty();
      out.push_back(cur);
      open = false;
    } else if (!ev.limit.empty() && ev.limit != "*") {
      *limit = ev.limit;
    }
  }
  if (open) out.push_back(cur);
  return out;
}

}  // namespace

std::optional<MatchExplanation> match_osv_affected(const VulnRecord& r, const model::Component& c,
                                                   const MatchContext& ctx, NoMatch* why) {
  auto fail = [&](std::string reason) -> std::optional<MatchExplanation> {
    if (why) why->reason = std::move(reason);
    return std::nullopt;
  };
  if (r.withdrawn) return fail("record is withdrawn");
  ComponentIdentity storage;
  const ComponentIdentity& id = match::identity_of(c, ctx, storage);
  std::string reason = "no affected entry names this component";
  for (const auto& a : r.affected) {
    const ComponentIdentity::OsvPackage* pkg = nullptr;
    std::string eco = match::lower(a.ecosystem), name = match::lower(a.package);
    for (const auto& o : id.osv)
      if (!eco.empty() && match::lower(o.ecosystem) == eco && match::lower(o.package) == name) {
        pkg = &o;
        break;
      }
    bool by_purl = !a.purl.empty() && std::find(id.purl_keys.begin(), id.purl_keys.end(),
                                                purl_key(a.purl)) != id.purl_keys.end();
    if (!pkg && !by_purl) continue;
    bool distro = (pkg && pkg->distro) || is_distro_ecosystem(a.ecosystem);
    std::string version = distro && !id.distro_version.empty() ? id.distro_version : id.version;
    if (version.empty()) {
      reason = "component has no version";
      continue;
    }
    std::string src = distro ? "osv:" + a.ecosystem : std::string("osv");
    std::string criteria = a.ecosystem + "/" + a.package;
    const VersionScheme& eco_scheme = scheme_for_ecosystem(a.ecosystem);
    auto make = [&](std::string method, std::string range, std::string cmp,
                    const VersionScheme& s) {
      MatchExplanation e;
      e.source = src;
      e.record = r.id;
      e.method = distro ? "distro-package" : std::move(method);
      e.criteria = criteria;
      e.range = std::move(range);
      e.comparison = std::move(cmp);
      e.scheme = std::string(s.describe().id);
      e.component_version = version;
      return e;
    };
    for (const auto& v : a.versions) {
      if (eco_scheme.compare(version, v) == 0)
        return make("osv-versions", "versions list contains " + v,
                    version + " = " + v + " by " + std::string(eco_scheme.describe().id),
                    eco_scheme);
    }
    bool git_only = !a.ranges.empty();
    std::string last_cmp;
    for (const auto& range : a.ranges) {
      std::string type = match::lower(range.type);
      if (type == "git") continue;
      git_only = false;
      const VersionScheme& s = type == "semver" ? version_scheme("semver") : eco_scheme;
      std::string limit;
      auto ivs = intervals(range, &limit);
      if (!limit.empty() && s.compare(version, limit) >= 0) {
        last_cmp = version + " >= limit " + limit;
        continue;
      }
      for (const auto& iv : ivs) {
        std::string cmp;
        if (match::in_interval(s, version, iv, &cmp))
          return make("osv-range", match::interval_text(iv) + " (" + range.type + ")", cmp, s);
        last_cmp = "outside " + match::interval_text(iv) + ": " + cmp;
      }
    }
    if (git_only && a.versions.empty())
      reason = criteria + ": only GIT ranges (commit ancestry unknown offline); no version match";
    else if (git_only)
      reason = criteria + ": GIT ranges skipped and " + version + " is not in the versions list";
    else
      reason = criteria + ": " +
               (last_cmp.empty() ? std::string("no range contains ") + version : last_cmp);
  }
  return fail(reason);
}

}  // namespace waybill::vuln
