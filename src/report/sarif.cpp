// SARIF 2.1.0 (OASIS), one run, streamed with rapidjson's Writer.
//
// - tool.driver: name, version and one rule per vulnerability id, per check id, per broken
//   policy rule ("policy/<rule>") and per failed trust kind ("trust/<kind>"); every rule has a
//   shortDescription, properties.security-severity (the highest CVSS base score seen for it, or
//   the severity band's score) and tags; vulnerability rules have a helpUri (NVD, GitHub, OSV).
// - results: level from severity (critical/high error, medium warning, else note); the message
//   says what matched and why (record, range, comparison) or what a check saw (evidence);
//   locations are in-root file paths relative to the uriBaseId TARGETROOT (the virtual root is
//   the artifactLocation's "root" property), with region.startLine / byteOffset when known;
//   vulnerability results point at the component's evidence file and name the component as a
//   logical location; partialFingerprints["waybill/v1"] is a hash of what identifies the finding
//   independent of version and line, so a tool can follow it across scans.
// - Findings that VEX suppresses are results with suppressions[{kind external, status accepted,
//   justification}], so code-scanning tools show them as dismissed rather than lose them.
// - Passed / unknown trust verdicts and the target are in run.properties.
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <set>

#include "report/encoders.h"
#include "report/report_util.h"
#include "sbom/common.h"

namespace waybill::report {

namespace {

using sbom::detail::clean_text;
using sbom::detail::is_clean_text;

struct Rule {
  std::string id;
  std::string short_text, full_text, help_uri, help_text;
  double security_severity = 0.0;
  std::string level;
  std::vector<std::string> tags;
};

class SarifWriter {
 public:
  explicit SarifWriter(std::ostream& out) : os_(out), w_(os_) {}

  void run(const model::Report& r) {
    build_rules(r);
    w_.StartObject();
    kv("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    kv("version", "2.1.0");
    key("runs");
    w_.StartArray();
    w_.StartObject();

    key("tool");
    w_.StartObject();
    key("driver");
    w_.StartObject();
    kv("name", r.sbom.tool.name.empty() ? "waybill" : r.sbom.tool.name);
    if (!r.sbom.tool.version.empty()) kv("version", r.sbom.tool.version);
    key("rules");
    w_.StartArray();
    for (const auto& rule : rules_) write_rule(rule);
    w_.EndArray();
    w_.EndObject();
    w_.EndObject();

    key("originalUriBaseIds");
    w_.StartObject();
    key("TARGETROOT");
    w_.StartObject();
    key("description");
    message("Root of the file system(s) extracted from " +
            (r.sbom.target.name.empty() ? std::string("the target") : r.sbom.target.name));
    w_.EndObject();
    w_.EndObject();

    key("results");
    w_.StartArray();
    for (const vuln::Finding* f : ordered_findings(r.findings)) vuln_result(r, *f);
    for (const model::CheckFinding* c : ordered_checks(r.checks)) check_result(*c);
    for (const auto& p : r.policy) policy_result(p);
    for (const auto& t : r.trust)
      if (t.verdict == "fail") trust_result(t);
    w_.EndArray();

    key("properties");
    w_.StartObject();
    kv("target", r.sbom.target.name);
    if (!r.sbom.target.sha256.empty()) kv("targetSha256", r.sbom.target.sha256);
    key("vulnerabilitiesMatched");
    w_.Bool(r.vulnerabilities_matched);
    key("checksRun");
    w_.Bool(r.checks_run);
    key("components");
    w_.Uint64(r.sbom.components.size());
    if (!r.vuln_sources.empty()) {
      key("vulnerabilitySources");
      w_.StartObject();
      for (const auto& [src, when] : r.vuln_sources) kv(src, when);
      w_.EndObject();
    }
    key("trust");
    w_.StartArray();
    for (const auto& t : r.trust) {
      w_.StartObject();
      kv("kind", t.kind);
      kv("subject", t.subject);
      kv("verdict", t.verdict);
      kv("detail", t.detail);
      if (!t.key.empty()) kv("key", t.key);
      w_.EndObject();
    }
    w_.EndArray();
    w_.EndObject();

    w_.EndObject();
    w_.EndArray();
    w_.EndObject();
    os_.Flush();
  }

 private:
  // ---- rules

  std::size_t add_rule(Rule rule) {
    auto it = rule_index_.find(rule.id);
    if (it != rule_index_.end()) {
      Rule& old = rules_[it->second];
      old.security_severity = std::max(old.security_severity, rule.security_severity);
      if (severity_rank_of_level(rule.level) > severity_rank_of_level(old.level))
        old.level = rule.level;
      return it->second;
    }
    rule_index_.emplace(rule.id, rules_.size());
    rules_.push_back(std::move(rule));
    return rules_.size() - 1;
  }
  static int severity_rank_of_level(const std::string& l) {
    return l == "error" ? 3 : l == "warning" ? 2 : 1;
  }

  void build_rules(const model::Report& r) {
    for (const vuln::Finding* fp : ordered_findings(r.findings)) {
      const vuln::Finding& f = *fp;
      Rule rule;
      rule.id = f.id.empty() ? "UNKNOWN" : f.id;
      std::string summary = f.summary.empty() ? rule.id + " (no description)" : f.summary;
      rule.short_text = summary.size() > 200 ? summary.substr(0, 197) + "..." : summary;
      rule.full_text = summary;
      rule.help_uri = vuln_url(rule.id);
      rule.help_text = rule.id + ": " + summary;
      if (!f.fixed_version.empty()) rule.help_text += " Fixed in " + f.fixed_version + ".";
      rule.security_severity = f.score > 0.0 ? f.score : severity_score(f.severity);
      rule.level = std::string(sarif_level(f.severity));
      rule.tags = {"security", "vulnerability"};
      for (const auto& c : f.cwes)
        if (cwe_number(c)) rule.tags.push_back(c);
      if (f.kev) rule.tags.push_back("known-exploited");
      add_rule(std::move(rule));
    }
    for (const model::CheckFinding* cp : ordered_checks(r.checks)) {
      const model::CheckFinding& c = *cp;
      Rule rule;
      rule.id = c.check.empty() ? "check" : c.check;
      std::string title = c.title.empty() ? rule.id : c.title;
      rule.short_text = title;
      rule.full_text = c.detail.empty() ? title : c.detail;
      rule.help_text = rule.full_text;
      std::string cat;
      for (const auto& ref : c.catalog) {
        std::string item = ref.catalog + ":" + ref.item;
        cat += (cat.empty() ? "" : ", ") + item;
      }
      if (!cat.empty()) rule.help_text += " Evidence for " + cat + ".";
      rule.security_severity = severity_score(c.severity);
      rule.level = std::string(sarif_level(c.severity));
      rule.tags = {"security", "check"};
      auto slash = rule.id.find('/');
      if (slash != std::string::npos && slash > 0) rule.tags.push_back(rule.id.substr(0, slash));
      for (const auto& ref : c.catalog) rule.tags.push_back(ref.catalog + ":" + ref.item);
      add_rule(std::move(rule));
    }
    for (const auto& p : r.policy) {
      Rule rule;
      rule.id = "policy/" + (p.rule.empty() ? std::string("rule") : p.rule);
      rule.short_text = "Policy rule " + (p.rule.empty() ? std::string("?") : p.rule) + " broken";
      rule.full_text = rule.short_text;
      rule.help_text = "A rule of the policy given with --policy is not met.";
      rule.level = p.severity == "error" ? "error" : "warning";
      rule.security_severity = p.severity == "error" ? 7.0 : 4.0;
      rule.tags = {"policy"};
      add_rule(std::move(rule));
    }
    for (const auto& t : r.trust) {
      if (t.verdict != "fail") continue;
      Rule rule;
      rule.id = "trust/" + (t.kind.empty() ? std::string("verification") : t.kind);
      rule.short_text = (t.kind.empty() ? std::string("Trust") : t.kind) + " verification failed";
      rule.full_text = rule.short_text;
      rule.help_text = "A signature, attestation or hash of the target did not verify.";
      rule.level = "error";
      rule.security_severity = 8.0;
      rule.tags = {"security", "trust"};
      add_rule(std::move(rule));
    }
  }

  void write_rule(const Rule& rule) {
    w_.StartObject();
    kv("id", rule.id);
    key("shortDescription");
    message(one_line_trim(rule.short_text));
    key("fullDescription");
    message(rule.full_text);
    if (sbom::detail::is_simple_url(rule.help_uri)) kv("helpUri", rule.help_uri);
    key("help");
    message(rule.help_text);
    key("defaultConfiguration");
    w_.StartObject();
    kv("level", rule.level);
    w_.EndObject();
    key("properties");
    w_.StartObject();
    kv("security-severity", short_number(rule.security_severity, 1));
    key("tags");
    w_.StartArray();
    std::set<std::string> seen;
    for (const auto& t : rule.tags)
      if (seen.insert(t).second) str(t);
    w_.EndArray();
    w_.EndObject();
    w_.EndObject();
  }

  // ---- results

  void rule_ref(const std::string& id) {
    kv("ruleId", id);
    auto it = rule_index_.find(id);
    if (it != rule_index_.end()) {
      key("ruleIndex");
      w_.Uint64(it->second);
    }
  }

  void physical(const std::string& root, const std::string& path, std::optional<std::uint32_t> line,
                std::optional<std::uint64_t> offset, const std::string& snippet) {
    key("physicalLocation");
    w_.StartObject();
    key("artifactLocation");
    w_.StartObject();
    kv("uri", relative_uri(path));
    kv("uriBaseId", "TARGETROOT");
    if (!root.empty()) {
      key("properties");
      w_.StartObject();
      kv("root", root);
      w_.EndObject();
    }
    w_.EndObject();
    bool has_line = line && *line >= 1;
    if (has_line || offset || !snippet.empty()) {
      key("region");
      w_.StartObject();
      if (has_line) {
        key("startLine");
        w_.Uint(*line);
      }
      if (offset && !has_line) {
        key("byteOffset");
        w_.Uint64(*offset);
      }
      if (!snippet.empty()) {
        key("snippet");
        w_.StartObject();
        kv("text", snippet);
        w_.EndObject();
      }
      w_.EndObject();
    }
    w_.EndObject();
  }

  void logical(const std::string& name, const std::string& fqn, const std::string& kind) {
    key("logicalLocations");
    w_.StartArray();
    w_.StartObject();
    kv("name", name.empty() ? fqn : name);
    if (!fqn.empty()) kv("fullyQualifiedName", fqn);
    kv("kind", kind);
    w_.EndObject();
    w_.EndArray();
  }

  void fingerprints(const std::string& fp) {
    key("partialFingerprints");
    w_.StartObject();
    kv("waybill/v1", fp);
    w_.EndObject();
  }

  void vuln_result(const model::Report& r, const vuln::Finding& f) {
    std::string id = f.id.empty() ? "UNKNOWN" : f.id;
    const model::Component* c = find_component(r.sbom, f.component_ref);
    std::string root, path;
    if (c) path = evidence_path(*c, &root);

    std::string text = id + " in " + component_label(f);
    std::string sev = normalize_severity(f.severity);
    text += " (" + sev;
    if (f.score > 0.0) text += " " + short_number(f.score, 1);
    if (f.epss) text += ", EPSS " + short_number(*f.epss * 100.0, 2) + "%";
    if (f.kev) text += ", in CISA KEV";
    text += ")";
    if (!f.summary.empty()) text += ": " + f.summary;
    text += " Matched by " + explain_finding(f) + ".";
    if (!f.fixed_version.empty()) text += " Fixed in " + f.fixed_version + ".";
    if (f.vex) text += " VEX: " + explain_vex(*f.vex) + ".";

    w_.StartObject();
    rule_ref(id);
    kv("kind", "fail");
    kv("level", sarif_level(f.severity));
    key("message");
    message(text);
    key("locations");
    w_.StartArray();
    w_.StartObject();
    if (!path.empty()) physical(root, path, std::nullopt, std::nullopt, "");
    std::string fqn = !f.component_purl.empty() ? f.component_purl : component_label(f);
    logical(f.component_name, fqn, "module");
    w_.EndObject();
    w_.EndArray();
    fingerprints(fingerprint({"vuln", id, f.component_name, path}));
    if (f.suppressed) {
      key("suppressions");
      w_.StartArray();
      w_.StartObject();
      kv("kind", "external");
      kv("status", "accepted");
      kv("justification", f.vex ? "VEX " + explain_vex(*f.vex) : std::string("suppressed"));
      w_.EndObject();
      w_.EndArray();
    }
    key("properties");
    w_.StartObject();
    kv("component", component_label(f));
    if (!f.component_purl.empty()) kv("purl", f.component_purl);
    kv("severity", sev);
    if (f.score > 0.0) {
      key("cvssScore");
      w_.Double(f.score);
    }
    if (!f.cvss.empty()) {
      key("cvss");
      w_.StartArray();
      for (const auto& s : f.cvss) {
        w_.StartObject();
        kv("source", s.source);
        kv("version", s.version);
        kv("vector", s.vector);
        key("score");
        w_.Double(s.score);
        w_.EndObject();
      }
      w_.EndArray();
    }
    if (f.epss) {
      key("epss");
      w_.Double(*f.epss);
    }
    if (f.epss_percentile) {
      key("epssPercentile");
      w_.Double(*f.epss_percentile);
    }
    key("kev");
    w_.Bool(f.kev);
    if (!f.kev_due_date.empty()) kv("kevDueDate", f.kev_due_date);
    if (!f.fixed_version.empty()) kv("fixedVersion", f.fixed_version);
    if (!f.aliases.empty()) {
      key("aliases");
      w_.StartArray();
      for (const auto& a : f.aliases) str(a);
      w_.EndArray();
    }
    key("matches");
    w_.StartArray();
    for (const auto& m : f.matches) {
      w_.StartObject();
      kv("source", m.source);
      kv("record", m.record);
      kv("method", m.method);
      kv("criteria", m.criteria);
      kv("range", m.range);
      kv("comparison", m.comparison);
      kv("scheme", m.scheme);
      w_.EndObject();
    }
    w_.EndArray();
    key("risk");
    w_.Double(f.risk);
    w_.EndObject();
    w_.EndObject();
  }

  void check_result(const model::CheckFinding& c) {
    std::string id = c.check.empty() ? "check" : c.check;
    std::string text = c.title.empty() ? id : c.title;
    if (!c.detail.empty()) text += ": " + c.detail;
    if (!c.path.empty()) {
      text += " (" + c.path;
      if (c.line) text += " line " + std::to_string(*c.line);
      text += ")";
    }
    if (!c.evidence.empty()) text += " Evidence: " + one_line_trim(c.evidence);
    if (!c.rule.empty()) text += " [rule " + c.rule + "]";
    w_.StartObject();
    rule_ref(id);
    kv("kind", "fail");
    kv("level", sarif_level(c.severity));
    key("message");
    message(text);
    if (!c.path.empty()) {
      key("locations");
      w_.StartArray();
      w_.StartObject();
      physical(c.root, c.path, c.line, c.offset, one_line_trim(c.evidence));
      w_.EndObject();
      w_.EndArray();
    }
    fingerprints(fingerprint({"check", id, c.rule, c.root, c.path, c.evidence}));
    key("properties");
    w_.StartObject();
    kv("severity", normalize_severity(c.severity));
    if (!c.rule.empty()) kv("rule", c.rule);
    if (!c.catalog.empty()) {
      key("catalog");
      w_.StartArray();
      for (const auto& ref : c.catalog) str(ref.catalog + ":" + ref.item);
      w_.EndArray();
    }
    w_.EndObject();
    w_.EndObject();
  }

  void policy_result(const model::PolicyViolation& p) {
    std::string id = "policy/" + (p.rule.empty() ? std::string("rule") : p.rule);
    std::string text = p.message.empty() ? "policy rule " + p.rule + " broken" : p.message;
    for (const auto& e : p.evidence) text += " Evidence: " + e + ".";
    w_.StartObject();
    rule_ref(id);
    kv("kind", "fail");
    kv("level", p.severity == "error" ? "error" : "warning");
    key("message");
    message(text);
    if (!p.subject.empty()) {
      key("locations");
      w_.StartArray();
      w_.StartObject();
      logical(p.subject, p.subject, "object");
      w_.EndObject();
      w_.EndArray();
    }
    fingerprints(fingerprint({"policy", p.rule, p.subject}));
    w_.EndObject();
  }

  void trust_result(const model::TrustVerdict& t) {
    std::string id = "trust/" + (t.kind.empty() ? std::string("verification") : t.kind);
    std::string text = (t.kind.empty() ? std::string("verification") : t.kind) + " of " +
                       (t.subject.empty() ? std::string("the target") : t.subject) + " failed";
    if (!t.detail.empty()) text += ": " + t.detail;
    if (!t.key.empty()) text += " (key " + t.key + ")";
    w_.StartObject();
    rule_ref(id);
    kv("kind", "fail");
    kv("level", "error");
    key("message");
    message(text);
    if (!t.subject.empty()) {
      key("locations");
      w_.StartArray();
      w_.StartObject();
      logical(t.subject, t.subject, "object");
      w_.EndObject();
      w_.EndArray();
    }
    fingerprints(fingerprint({"trust", t.kind, t.subject}));
    w_.EndObject();
  }

  // ---- primitives

  static std::string one_line_trim(const std::string& s) {
    std::string o = sbom::detail::one_line(s);
    return o.size() > 1000 ? o.substr(0, 997) + "..." : o;
  }
  void message(const std::string& text) {
    w_.StartObject();
    kv("text", text.empty() ? std::string("(no text)") : text);
    w_.EndObject();
  }
  void str(std::string_view s) {
    if (is_clean_text(s)) {
      w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    } else {
      std::string c = clean_text(s);
      w_.String(c.data(), static_cast<rapidjson::SizeType>(c.size()));
    }
  }
  void key(std::string_view k) { str(k); }
  void kv(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }

  sbom::detail::BufferedOStream os_;
  rapidjson::Writer<sbom::detail::BufferedOStream> w_;
  std::vector<Rule> rules_;
  std::map<std::string, std::size_t> rule_index_;
};

class SarifEncoder final : public sbom::Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"sarif",
                              "SARIF 2.1.0: vulnerabilities, checks, policy for code scanning"};
    return d;
  }
  std::string_view file_extension() const override { return ".sarif"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    SarifWriter(out).run(report);
    out << '\n';
    if (!out) return Error(Errc::io, "sarif: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<sbom::Encoder> make_sarif_encoder() {
  return std::make_unique<SarifEncoder>();
}

}  // namespace waybill::report
