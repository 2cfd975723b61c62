#include "report/table.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/report_util.h"
#include "sbom/common.h"

namespace waybill::report {

namespace {

std::string truncate(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  return s.substr(0, n - 1) + "~";
}

std::string methods_of(const model::Component& c) {
  std::set<std::string> m;
  for (const auto& e : c.evidence) {
    std::string x = e.method;
    if (x.rfind("package-db/", 0) == 0) x = x.substr(11);
    m.insert(x);
  }
  std::string s;
  for (const auto& x : m) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string where_of(const model::Component& c) {
  for (const auto& e : c.evidence) {
    if (e.method.rfind("package-db", 0) == 0 || e.path.empty()) continue;
    // Raw regions (a decompressed kernel, an unknown gap) only make sense with their root.
    bool raw = e.path.size() > 8 && e.path.compare(e.path.size() - 8, 8, ".unknown") == 0;
    return raw && !e.root.empty() ? e.root + e.path : e.path;
  }
  if (!c.files.empty()) return c.files.front().path;
  return c.evidence.empty() ? "" : c.evidence.front().path;
}

// Firmware strings go to a terminal: no control characters (escape sequences) in any cell.
std::string cell(const std::string& s, std::size_t n = 0) {
  std::string c = sbom::detail::one_line(s);
  return n ? truncate(c, n) : c;
}

struct Painter {
  bool color = false;
  std::string bold(const std::string& t) const { return color ? "\033[1m" + t + "\033[0m" : t; }
  std::string severity(const std::string& sev, const std::string& text) const {
    if (!color) return text;
    int r = severity_rank(sev);
    const char* c = r >= 5 ? "\033[1;31m" : r == 4 ? "\033[31m" : r == 3 ? "\033[33m" : "\033[2m";
    return c + text + "\033[0m";
  }
};

// A left-aligned text table; the last column is not padded. Colour is applied after padding so
// escape codes do not disturb the widths.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row, std::string severity = "") {
    rows_.push_back(std::move(row));
    sev_.push_back(std::move(severity));
  }
  void print(std::ostream& out, const Painter& p, int sev_column = -1) const {
    std::vector<std::size_t> w(header_.size());
    for (std::size_t i = 0; i < header_.size(); ++i) w[i] = header_[i].size();
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
    auto line = [&](const std::vector<std::string>& r, const std::string& sev) {
      std::string s = "  ";
      for (std::size_t i = 0; i < w.size(); ++i) {
        std::string v = i < r.size() ? r[i] : "";
        bool last = i + 1 == w.size();
        std::string padded = last ? v : v + std::string(w[i] - v.size(), ' ') + "  ";
        if (static_cast<int>(i) == sev_column && !sev.empty()) {
          std::string pad = last ? "" : std::string(padded.size() - v.size(), ' ');
          padded = p.severity(sev, v) + pad;
        }
        s += padded;
      }
      while (!s.empty() && s.back() == ' ') s.pop_back();
      out << s << "\n";
    };
    line(header_, "");
    for (std::size_t i = 0; i < rows_.size(); ++i) line(rows_[i], sev_[i]);
  }
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> sev_;
};

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

void print_vulnerabilities(std::ostream& out, const model::Report& r, const TableOptions& o,
                           const Painter& p) {
  out << "\n" << p.bold("Vulnerabilities") << "\n";
  if (!r.vulnerabilities_matched && r.findings.empty()) {
    out << "  not matched (no vulnerability database available; see `waybill db`)\n";
    return;
  }
  std::map<std::string, std::size_t> by_sev;
  std::size_t kev = 0, suppressed = 0, open = 0;
  for (const auto& f : r.findings) {
    if (f.suppressed) {
      ++suppressed;
      continue;
    }
    ++open;
    by_sev[normalize_severity(f.severity)]++;
    kev += f.kev ? 1 : 0;
  }
  out << "  " << open << " open";
  std::string sep = " (";
  for (const auto& s : severity_order()) {
    auto it = by_sev.find(s);
    if (it == by_sev.end()) continue;
    out << sep << p.severity(s, s + " " + std::to_string(it->second));
    sep = ", ";
  }
  if (sep != " (") out << ")";
  out << "; " << kev << " in CISA KEV; " << suppressed << " suppressed by VEX";
  if (suppressed && !o.show_suppressed) out << " (not listed)";
  out << "\n";
  for (const auto& [src, when] : r.vuln_sources)
    out << "  database: " << cell(src) << " (newest record " << cell(when) << ")\n";
  if (r.findings.empty()) return;

  TextTable t({"ID", "COMPONENT", "SEVERITY", "SCORE", "EPSS", "KEV", "FIXED IN"});
  std::size_t listed = 0, eligible = 0;
  for (const vuln::Finding* f : ordered_findings(r.findings)) {
    if (f->suppressed && !o.show_suppressed) continue;
    ++eligible;
    if (o.top && listed >= o.top) continue;
    ++listed;
    std::string sev = normalize_severity(f->severity);
    std::string id = cell(f->id, 24);
    if (f->suppressed) id += " [suppressed]";
    t.add({id, cell(component_label(*f), 36), upper(sev),
           f->score > 0 ? short_number(f->score, 1) : "-",
           f->epss ? short_number(*f->epss * 100.0, 2) + "%" : "-",
           f->kev
               ? "yes" + (f->kev_due_date.empty() ? "" : " (due " + cell(f->kev_due_date, 10) + ")")
               : "-",
           f->fixed_version.empty() ? "-" : cell(f->fixed_version, 24)},
          sev);
  }
  if (!t.empty()) t.print(out, p, 2);
  if (eligible > listed) out << "  ... " << (eligible - listed) << " more (see -o json / html)\n";
  if (o.show_suppressed) {
    for (const vuln::Finding* f : ordered_findings(r.findings))
      if (f->suppressed && f->vex)
        out << "  suppressed " << cell(f->id) << " on " << cell(component_label(*f)) << ": "
            << cell(explain_vex(*f->vex)) << "\n";
  }
}

void print_checks(std::ostream& out, const model::Report& r, const Painter& p,
                  const TableOptions& opts) {
  if (!r.checks_run && r.checks.empty()) return;
  out << "\n" << p.bold("Security checks") << "\n";
  std::map<std::string, std::size_t> by_sev;
  for (const auto& c : r.checks) by_sev[check_severity(c)]++;
  out << "  " << r.checks.size() << " findings";
  std::string sep = " (";
  for (const auto& s : severity_order()) {
    auto it = by_sev.find(s);
    if (it == by_sev.end()) continue;
    out << sep << p.severity(s, s + " " + std::to_string(it->second));
    sep = ", ";
  }
  if (sep != " (") out << ")";
  out << "\n";
  if (r.checks.empty()) return;
  TextTable t({"SEVERITY", "CHECK", "WHERE", "FINDING"});
  std::size_t info_hidden = 0;
  for (const model::CheckFinding* c : ordered_checks(r.checks)) {
    std::string sev = check_severity(*c);
    // Informational findings (e.g. lazy binding in shared libraries) are counted above and
    // listed in -o json / sarif / html; the terminal shows what needs action.
    if (sev == "info" && !opts.show_info) {
      ++info_hidden;
      continue;
    }
    std::string where = c->path;
    if (c->line)
      where += ":" + std::to_string(*c->line);
    else if (c->offset)
      where += "+0x" + [&] {
        std::ostringstream h;
        h << std::hex << *c->offset;
        return h.str();
      }();
    t.add({upper(sev), cell(c->check, 36), cell(where, 48), cell(c->title, 80)}, sev);
  }
  t.print(out, p, 0);
  if (info_hidden)
    out << "  ... " << info_hidden
        << " informational findings not listed (-v, or -o json/sarif/html)\n";
}

void print_trust(std::ostream& out, const model::Report& r, const Painter& p) {
  if (r.trust.empty()) return;
  out << "\n" << p.bold("Trust") << "\n";
  TextTable t({"VERDICT", "KIND", "SUBJECT", "DETAIL"});
  for (const auto& v : r.trust) {
    std::string sev = v.verdict == "fail" ? "high" : v.verdict == "pass" ? "info" : "medium";
    t.add({upper(cell(v.verdict, 10)), cell(v.kind, 16), cell(v.subject, 48), cell(v.detail, 80)},
          p.color ? sev : "");
  }
  t.print(out, p, 0);
}

void print_policy(std::ostream& out, const model::Report& r, const Painter& p) {
  if (r.policy.empty()) return;
  out << "\n" << p.bold("Policy") << "\n";
  std::size_t errors = 0;
  TextTable t({"SEVERITY", "RULE", "SUBJECT", "MESSAGE"});
  for (const auto& v : r.policy) {
    errors += v.severity == "error" ? 1 : 0;
    t.add(
        {upper(cell(v.severity, 10)), cell(v.rule, 24), cell(v.subject, 40), cell(v.message, 100)},
        v.severity == "error" ? "high" : "medium");
  }
  t.print(out, p, 0);
  out << "  policy " << (errors ? "FAILED" : "passed with warnings") << ": " << errors
      << " errors, " << (r.policy.size() - errors) << " warnings\n";
}

}  // namespace

void print_table(std::ostream& out, const model::Report& report, const TableOptions& opts) {
  const auto& s = report.sbom;
  Painter p{opts.color};
  out << p.bold("waybill scan of " + cell(s.target.name)) << "  (" << cell(s.target.kind);
  if (s.target.kind == "image")
    out << ", " << s.target.size << " bytes, sha256 " << cell(s.target.sha256);
  out << ")\n";
  if (opts.unpack) {
    const auto& u = *opts.unpack;
    std::map<std::string, int> formats;
    for (const auto& c : u.chunks)
      if (c.status != "padding" && c.status != "unknown") formats[c.format]++;
    out << "containers: ";
    if (formats.empty()) out << "none recognised";
    bool first = true;
    for (const auto& [f, n] : formats) {
      out << (first ? "" : ", ") << f << (n > 1 ? " x" + std::to_string(n) : "");
      first = false;
    }
    out << "; " << u.total_entries << " entries, " << std::fixed << std::setprecision(1)
        << static_cast<double>(u.total_bytes) / 1e6 << " MB extracted in " << std::setprecision(2)
        << u.seconds << " s\n";
    out.unsetf(std::ios::floatfield);
    out << std::setprecision(6);
  }
  for (const auto& os : s.operating_systems)
    out << "os: " << cell(os.pretty_name.empty() ? os.name : os.pretty_name) << " ("
        << cell(os.path) << ")\n";
  out << "\n";

  std::vector<const model::Component*> comps;
  for (const auto& c : s.components) comps.push_back(&c);
  std::stable_sort(comps.begin(), comps.end(), [](auto* a, auto* b) {
    if ((a->type == "operating-system") != (b->type == "operating-system"))
      return a->type == "operating-system";
    return a->name < b->name;
  });
  TextTable t({"NAME", "VERSION", "TYPE", "FOUND BY", "WHERE"});
  for (auto* c : comps)
    t.add({cell(c->name, 28), cell(c->version.empty() ? "?" : c->version, 18), cell(c->type, 16),
           cell(methods_of(*c), 30), cell(where_of(*c)) + (c->notes.empty() ? "" : "  [!]")});
  std::ostringstream comp_table;
  t.print(comp_table, p);
  // The component table keeps its historical left margin of zero.
  std::istringstream lines(comp_table.str());
  for (std::string line; std::getline(lines, line);)
    out << line.substr(std::min<std::size_t>(2, line.size())) << "\n";

  std::size_t notes = 0;
  for (auto* c : comps) notes += c->notes.empty() ? 0 : 1;
  std::size_t warn = 0, err = 0;
  for (const auto& d : s.diagnostics) {
    warn += d.severity == Severity::warning;
    err += d.severity == Severity::error;
  }
  out << "\n" << comps.size() << " components";
  if (notes) out << ", " << notes << " with notes [!] (see -o json)";
  out << "; diagnostics: " << err << " errors, " << warn << " warnings\n";

  bool any_results = report.vulnerabilities_matched || report.checks_run ||
                     !report.findings.empty() || !report.checks.empty() || !report.trust.empty() ||
                     !report.policy.empty();
  if (!any_results) return;
  print_vulnerabilities(out, report, opts, p);
  print_checks(out, report, p, opts);
  print_trust(out, report, p);
  print_policy(out, report, p);
}

}  // namespace waybill::report
