// Whole-SBOM matching: candidates, decisions between sources, de-duplication, enrichment, order.
//
//  1. Keys of every component (component_keys) are looked up in ONE Database::candidates call.
//  2. Each candidate record is evaluated against each component it was selected for
//     (match_record). Rejected/withdrawn records never produce findings.
//  3. Records are grouped per component by vulnerability: the CVE id (the record id, else the
//     first CVE among its aliases), else the record id. One Finding per (component, group).
//  4. Decisions inside a group:
//     - distribution data (MatchOptions::distro_data): when an OSV record of the component's
//       distro (e.g. Debian:12, source package) covers the vulnerability it decides: affected ->
//       the finding says "osv:Debian:12"; not affected (a fixed backport) -> no finding, even if
//       NVD or CVE 5 matched the upstream version. Without a distro record the upstream match
//       stands and its explanation names the source that decided ("nvd", "cve5", "osv");
//     - NVD and CVE 5 for the same CVE: the NVD record decides when it has configurations (its
//       verdict, match or not, wins); CVE 5 decides when NVD has none (Received / Awaiting
//       Analysis records) or no NVD record was a candidate;
//     - other OSV records (GHSA, Go, OSS-Fuzz) add their matches.
//  5. Enrichment: every CVSS score of the group's records; severity/score from
//     pick_severity_score; EPSS and KEV from the database (KEV also from the NVD cisa* fields);
//     fixed_version = the smallest fix version above the component's version mentioned by the
//     matched records (NVD versionEndExcluding, CVE 5 lessThan and unaffected starts, OSV fixed);
//     CWEs, references, description (NVD first, then CVE 5, then OSV), published/modified.
//  6. Order (risk_before): KEV first, then EPSS x score (descending), then score, then id, then
//     component. Finding::risk = 100 * KEV + EPSS * score (0..110).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "vuln/match/internal.h"

namespace waybill::vuln {

namespace match {

void collect_fixes(const VulnRecord& r, const ComponentIdentity& id,
                   std::vector<std::string>& out) {
  for (const auto& conf : r.configurations)
    for (const auto& n : conf.nodes)
      for (const auto& m : n.matches)
        if (m.vulnerable && !m.version_end_excluding.empty()) {
          std::string v, p;
          // only criteria of the component's own products
          auto crit = m.criteria;
          std::vector<std::string> f;
          std::string cur;
          for (std::size_t i = 0; i < crit.size() && f.size() < 5; ++i) {
            if (crit[i] == '\\' && i + 1 < crit.size()) {
              cur.push_back(crit[++i]);
            } else if (crit[i] == ':') {
              f.push_back(std::move(cur));
              cur.clear();
            } else {
              cur.push_back(crit[i]);
            }
          }
          if (f.size() == 5 && has_cpe(id, f[3], f[4])) out.push_back(m.version_end_excluding);
        }
  for (const auto& a : r.affected) {
    for (const auto& v : a.cve5_versions) {
      if (lower(v.version_type) == "git") continue;
      std::string st = lower(v.status);
      if (st == "affected" && version_like(v.less_than)) out.push_back(v.less_than);
      if (st == "unaffected" && version_like(v.version) && v.version != "0")
        out.push_back(v.version);
    }
    for (const auto& rg : a.ranges) {
      if (lower(rg.type) == "git") continue;
      for (const auto& e : rg.events)
        if (!e.fixed.empty()) out.push_back(e.fixed);
    }
  }
}

}  // namespace match

namespace {

bool is_cve(std::string_view s) {
  return s.starts_with("CVE-");
}

std::string group_id(const VulnRecord& r) {
  if (is_cve(r.id)) return r.id;
  for (const auto& a : r.aliases)
    if (is_cve(a)) return a;
  if (r.source == "osv" &&
      (r.id.starts_with("DEBIAN-") || r.id.starts_with("UBUNTU-") || r.id.starts_with("ALPINE-"))) {
    for (const auto& a : r.related)
      if (is_cve(a)) return a;
    auto p = r.id.find("CVE-");
    if (p != std::string::npos) return r.id.substr(p);
  }
  return r.id;
}

std::string lower_sev(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string severity_of_score(double s, const std::string& version) {
  if (version == "2.0") return s >= 7.0 ? "high" : s >= 4.0 ? "medium" : "low";
  if (s >= 9.0) return "critical";
  if (s >= 7.0) return "high";
  if (s >= 4.0) return "medium";
  if (s > 0.0) return "low";
  return "none";
}

bool is_distro_source(const MatchExplanation& e) {
  return e.source.starts_with("osv:");
}

struct Group {
  std::vector<std::shared_ptr<const VulnRecord>> records;  // every candidate record of the vuln
  std::vector<std::pair<std::shared_ptr<const VulnRecord>, MatchExplanation>> matched;
  bool nvd_with_configs = false, nvd_matched = false;
  bool distro_covered = false, distro_affected = false;
};

}  // namespace

const CvssScore* pick_severity_score(const std::vector<CvssScore>& scores) {
  auto is_nvd = [](const CvssScore& s) { return s.source == "nvd@nist.gov" || s.source == "nvd"; };
  auto find = [&](auto pred) -> const CvssScore* {
    for (const auto& s : scores)
      if (pred(s)) return &s;
    return nullptr;
  };
  for (const char* v : {"3.1", "4.0", "3.0"})
    if (auto p = find([&](const CvssScore& s) { return is_nvd(s) && s.primary && s.version == v; }))
      return p;
  for (const char* v : {"3.1", "4.0", "3.0"})
    if (auto p = find([&](const CvssScore& s) { return s.version == v; })) return p;
  if (auto p = find([&](const CvssScore& s) { return is_nvd(s) && s.version == "2.0"; })) return p;
  return find([&](const CvssScore& s) { return s.version == "2.0"; });
}

bool risk_before(const Finding& a, const Finding& b) {
  if (a.kev != b.kev) return a.kev;
  double ea = a.epss.value_or(0.0) * a.score, eb = b.epss.value_or(0.0) * b.score;
  if (ea != eb) return ea > eb;
  if (a.score != b.score) return a.score > b.score;
  if (a.id != b.id) return a.id < b.id;
  return a.component_ref < b.component_ref;
}

Result<std::vector<Finding>> match_components(const std::vector<model::Component>& components,
                                              Database& db, const MatchOptions& opts) {
  const AliasTable& aliases = AliasTable::builtin();
  const SbomIndex index = index_sbom(components, aliases);
  const std::vector<ComponentIdentity>& ids = index.identities;
  std::unordered_map<std::string, std::vector<std::size_t>> key_to_comp;
  std::vector<std::string> all_keys;
  for (std::size_t i = 0; i < components.size(); ++i) {
    std::vector<std::string> keys;
    for (const auto& vp : ids[i].cpes) keys.push_back(cpe_key(vp.vendor, vp.product));
    for (const auto& o : ids[i].osv) keys.push_back(osv_key(o.ecosystem, o.package));
    for (const auto& k : ids[i].purl_keys) keys.push_back(k);
    for (auto& k : keys) {
      auto& v = key_to_comp[k];
      if (v.empty()) all_keys.push_back(k);
      v.push_back(i);
    }
  }
  auto cands = db.candidates(all_keys);
  if (!cands) return cands.error();

  // Per component: candidate records (each once).
  std::vector<std::vector<std::shared_ptr<const VulnRecord>>> per_comp(components.size());
  {
    std::vector<std::set<const VulnRecord*>> seen(components.size());
    for (const auto& cand : *cands) {
      if (!cand.record) continue;
      for (const auto& k : cand.keys) {
        auto it = key_to_comp.find(k);
        if (it == key_to_comp.end()) continue;
        for (std::size_t ci : it->second)
          if (seen[ci].insert(cand.record.get()).second) per_comp[ci].push_back(cand.record);
      }
    }
  }

  MatchContext ctx;
  ctx.aliases = &aliases;
  ctx.sbom = components;
  ctx.index = &index;
  std::vector<Finding> out;
  for (std::size_t ci = 0; ci < components.size(); ++ci) {
    const auto& comp = components[ci];
    std::map<std::string, Group> groups;
    for (const auto& rec : per_comp[ci]) {
      if (rec->withdrawn || match::lower(rec->status) == "rejected") continue;
      Group& g = groups[group_id(*rec)];
      g.records.push_back(rec);
      if (rec->source == "nvd" && !rec->configurations.empty()) g.nvd_with_configs = true;
      auto m = match_record(*rec, comp, ctx);
      bool distro_rec = false;
      if (rec->source == "osv") {
        // Does a distro entry of this record name the component (matched or not)?
        for (const auto& a : rec->affected)
          for (const auto& o : ids[ci].osv)
            if (o.distro && match::lower(o.ecosystem) == match::lower(a.ecosystem) &&
                match::lower(o.package) == match::lower(a.package))
              distro_rec = true;
      }
      if (distro_rec && opts.distro_data) {
        g.distro_covered = true;
        if (m) g.distro_affected = true;
      }
      if (!m) continue;
      if (distro_rec && !opts.distro_data) continue;
      if (rec->source == "nvd") g.nvd_matched = true;
      g.matched.emplace_back(rec, std::move(*m));
    }
    for (auto& [gid, g] : groups) {
      if (g.matched.empty()) continue;
      std::vector<MatchExplanation> ex;
      if (g.distro_covered) {
        if (!g.distro_affected) continue;  // the distribution fixed it (backport) or is unaffected
        for (const auto& [r, e] : g.matched)
          if (is_distro_source(e)) ex.push_back(e);
        for (const auto& [r, e] : g.matched)
          if (!is_distro_source(e) && r->source == "osv") ex.push_back(e);
      } else {
        for (const auto& [r, e] : g.matched) {
          if (r->source == "cve5" && g.nvd_with_configs) continue;  // NVD decides
          ex.push_back(e);
        }
        if (g.nvd_with_configs && !g.nvd_matched) {
          // NVD configurations say not affected; only non-CVE sources (OSV) may still match.
          std::erase_if(ex, [](const MatchExplanation& e) { return e.source == "cve5"; });
        }
      }
      if (ex.empty()) continue;

      Finding f;
      f.id = gid;
      f.component_ref = comp.bom_ref;
      f.component_name = comp.name;
      f.component_version = comp.version;
      f.component_purl = comp.purl;
      f.matches = std::move(ex);
      std::set<std::string> alias_set;
      std::set<std::string> cvss_seen;
      const VulnRecord* nvd = nullptr;
      const VulnRecord* cve5 = nullptr;
      const VulnRecord* osv = nullptr;
      for (const auto& r : g.records) {
        alias_set.insert(r->id);
        for (const auto& a : r->aliases) alias_set.insert(a);
        if (r->source == "nvd" && !nvd) nvd = r.get();
        if (r->source == "cve5" && !cve5) cve5 = r.get();
        if (r->source == "osv" && !osv) osv = r.get();
        for (const auto& s : r->cvss)
          if (cvss_seen.insert(s.source + "|" + s.version + "|" + s.vector).second)
            f.cvss.push_back(s);
        for (const auto& w : r->cwes)
          if (std::find(f.cwes.begin(), f.cwes.end(), w) == f.cwes.end()) f.cwes.push_back(w);
        for (const auto& u : r->references)
          if (std::find(f.references.begin(), f.references.end(), u) == f.references.end())
            f.references.push_back(u);
      }
      alias_set.erase(f.id);
      f.aliases.assign(alias_set.begin(), alias_set.end());
      const VulnRecord* main = nvd ? nvd : cve5 ? cve5 : osv;
      if (main) {
        f.summary = !main->description.empty() ? main->description : main->summary;
        f.published = main->published;
        f.modified = main->modified;
      }
      if (f.summary.empty())
        for (const auto& r : g.records)
          if (!r->description.empty() || !r->summary.empty()) {
            f.summary = !r->description.empty() ? r->description : r->summary;
            break;
          }
      if (const CvssScore* s = pick_severity_score(f.cvss)) {
        f.score = s->score;
        f.severity =
            !s->severity.empty() ? lower_sev(s->severity) : severity_of_score(s->score, s->version);
      } else {
        f.severity = "unknown";
      }
      std::vector<std::string> cve_ids;
      if (is_cve(f.id)) cve_ids.push_back(f.id);
      for (const auto& a : f.aliases)
        if (is_cve(a)) cve_ids.push_back(a);
      for (const auto& cve : cve_ids) {
        if (!f.epss)
          if (auto e = db.epss(cve)) {
            f.epss = e->epss;
            f.epss_percentile = e->percentile;
          }
        if (!f.kev)
          if (auto k = db.kev(cve)) {
            f.kev = true;
            f.kev_date_added = k->date_added;
            f.kev_due_date = k->due_date;
            f.kev_ransomware = k->known_ransomware;
          }
      }
      if (!f.kev && nvd && !nvd->cisa_exploit_add.empty()) {
        f.kev = true;
        f.kev_date_added = nvd->cisa_exploit_add;
        f.kev_due_date = nvd->cisa_action_due;
      }
      // Smallest fix above the compared version, by the scheme of the deciding explanation.
      std::vector<std::string> fixes;
      for (const auto& [r, e] : g.matched) {
        bool used = std::any_of(f.matches.begin(), f.matches.end(), [&](const MatchExplanation& x) {
          return x.record == r->id && x.source == e.source;
        });
        if (used) match::collect_fixes(*r, ids[ci], fixes);
      }
      const MatchExplanation& first = f.matches.front();
      const VersionScheme& fs = version_scheme(first.scheme.empty() ? "generic" : first.scheme);
      for (const auto& fx : fixes) {
        if (fs.compare(fx, first.component_version) <= 0) continue;
        if (f.fixed_version.empty() || fs.compare(fx, f.fixed_version) < 0) f.fixed_version = fx;
      }
      f.risk = (f.kev ? 100.0 : 0.0) + f.epss.value_or(0.0) * f.score;
      out.push_back(std::move(f));
    }
  }
  std::sort(out.begin(), out.end(), risk_before);
  return out;
}

}  // namespace waybill::vuln
