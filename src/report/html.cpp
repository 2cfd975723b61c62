// HTML report: one self-contained file that works offline.
//
// Everything is inline: CSS in <style>, charts as inline SVG drawn here, and a few lines of
// vanilla JS (table sorting and filtering) that only read the page's own DOM. A
// Content-Security-Policy meta tag (default-src 'none') makes browsers refuse any network load,
// so a report mailed around cannot phone home even if a string slipped through. No link, image,
// font or script points outside the file; vulnerability references are shown as text.
//
// Every string from the model passes html() (entity escaping after clean_text), in element
// content and attribute values alike; firmware names are hostile input.
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <sstream>

#include "report/encoders.h"
#include "report/report_util.h"
#include "sbom/common.h"

namespace waybill::report {

namespace {

std::string html(std::string_view s) {
  std::string c = sbom::detail::clean_text(s, true);
  std::string out;
  out.reserve(c.size() + 16);
  for (char ch : c) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

const char* sev_color(std::string_view sev) {
  switch (severity_rank(sev)) {
    case 5:
      return "#8b0000";
    case 4:
      return "#d9480f";
    case 3:
      return "#e8a200";
    case 2:
      return "#2f7fc1";
    case 1:
      return "#7a8793";
    default:
      return "#b0b7bf";
  }
}

std::string num(double v, int digits = 1) {
  return short_number(v, digits);
}

constexpr const char* kCss = R"(
:root{--fg:#1d232a;--muted:#5c6670;--bg:#fff;--card:#f4f6f8;--line:#dde2e6}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:0 0 16px}.meta code{font-size:12px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:var(--card);border-radius:8px;padding:10px 16px;min-width:140px}
.card .n{font-size:26px;font-weight:600}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.chart{background:var(--card);border-radius:8px;padding:12px}.chart h3{font-size:13px;margin:0 0 6px;color:var(--muted)}
svg text{font:11px system-ui,sans-serif;fill:#1d232a}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--card);cursor:pointer;user-select:none;white-space:nowrap}
th.sorted-asc::after{content:" \25B2"}th.sorted-desc::after{content:" \25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;font-weight:600}
.kev{background:#6f1d1b;color:#fff;border-radius:4px;padding:0 5px;font-size:11px}
.muted{color:var(--muted)}.supp{opacity:.55}
details summary{cursor:pointer;color:#2f5f8f}details div{margin:4px 0 4px 12px}
code,pre{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-break:break-all}
input.filter{margin:4px 0;padding:4px 8px;width:320px;border:1px solid var(--line);border-radius:4px}
.pass{color:#2b8a3e;font-weight:600}.fail{color:#c92a2a;font-weight:600}.unknown{color:#e8a200;font-weight:600}
footer{margin-top:40px;color:var(--muted);font-size:12px}
)";

// Click a header to sort (numbers by data-sort when present), type in the filter to hide rows.
constexpr const char* kJs = R"(
(function(){
function key(td){var v=td.getAttribute('data-sort');return v!==null?v:td.textContent.trim().toLowerCase();}
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
    var asc=!th.classList.contains('sorted-asc');
    t.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc');});
    th.classList.add(asc?'sorted-asc':'sorted-desc');
    var body=t.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);
      var nx=parseFloat(x),ny=parseFloat(y);
      var c=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x&&String(ny)===y)?nx-ny:(x<y?-1:x>y?1:0);
      return asc?c:-c;});
    rows.forEach(function(r){body.appendChild(r);});
  });});
});
document.querySelectorAll('input.filter').forEach(function(inp){
  inp.addEventListener('input',function(){
    var t=document.getElementById(inp.getAttribute('data-table'));var q=inp.value.toLowerCase();
    Array.prototype.forEach.call(t.tBodies[0].rows,function(r){
      r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});
  });
});
})();
)";

class HtmlWriter {
 public:
  explicit HtmlWriter(const model::Report& r) : r_(r) {
    for (const auto& f : r_.findings)
      if (!f.suppressed) open_.push_back(&f);
  }

  std::string run() {
    const auto& t = r_.sbom.target;
    o_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<title>waybill report: " << html(t.name) << "</title>\n<style>" << kCss
       << "</style>\n</head>\n<body>\n";
    header();
    cards();
    charts();
    vulnerabilities();
    checks();
    trust();
    policy();
    components();
    o_ << "<footer>Generated by " << html(tool()) << ". This file is self-contained and loads "
       << "nothing from the network.</footer>\n<script>" << kJs << "</script>\n</body>\n</html>\n";
    return o_.str();
  }

 private:
  std::string tool() const {
    const auto& tl = r_.sbom.tool;
    return (tl.name.empty() ? std::string("waybill") : tl.name) +
           (tl.version.empty() ? "" : " " + tl.version);
  }

  void header() {
    const auto& t = r_.sbom.target;
    o_ << "<h1>waybill report: " << html(t.name.empty() ? "unnamed target" : t.name) << "</h1>\n"
       << "<p class=\"meta\">" << html(t.kind.empty() ? "target" : t.kind);
    if (t.size) o_ << ", " << t.size << " bytes";
    if (!t.sha256.empty()) o_ << ", sha256 <code>" << html(t.sha256) << "</code>";
    o_ << "<br>tool " << html(tool()) << ", scanned "
       << html(sbom::detail::document_timestamp(r_.sbom));
    for (const auto& os : r_.sbom.operating_systems)
      o_ << "<br>os " << html(os.pretty_name.empty() ? os.name : os.pretty_name);
    o_ << "<br>vulnerability data: ";
    if (!r_.vulnerabilities_matched && r_.findings.empty()) {
      o_ << "not matched (no database available)";
    } else if (r_.vuln_sources.empty()) {
      o_ << "sources not recorded";
    } else {
      bool first = true;
      for (const auto& [src, when] : r_.vuln_sources) {
        o_ << (first ? "" : ", ") << html(src) << " (newest record " << html(when) << ")";
        first = false;
      }
    }
    o_ << "</p>\n";
  }

  void card(const std::string& n, const std::string& label, const char* color = nullptr) {
    o_ << "<div class=\"card\"><div class=\"n\"";
    if (color) o_ << " style=\"color:" << color << "\"";
    o_ << ">" << html(n) << "</div><div class=\"l\">" << html(label) << "</div></div>\n";
  }

  void cards() {
    std::size_t crit = 0, high = 0, kev = 0;
    for (auto* f : open_) {
      int rk = severity_rank(f->severity);
      crit += rk == 5;
      high += rk == 4;
      kev += f->kev;
    }
    std::size_t checks_high = 0;
    for (const auto& c : r_.checks) checks_high += severity_rank(c.severity) >= 4;
    std::size_t trust_fail = 0, policy_err = 0;
    for (const auto& t : r_.trust) trust_fail += t.verdict == "fail";
    for (const auto& p : r_.policy) policy_err += p.severity == "error";
    o_ << "<div class=\"cards\">\n";
    card(std::to_string(r_.sbom.components.size()), "components");
    card(std::to_string(open_.size()), "open vulnerabilities");
    card(std::to_string(crit), "critical", crit ? sev_color("critical") : nullptr);
    card(std::to_string(high), "high", high ? sev_color("high") : nullptr);
    card(std::to_string(kev), "known exploited (KEV)", kev ? "#6f1d1b" : nullptr);
    card(std::to_string(r_.findings.size() - open_.size()), "suppressed by VEX");
    card(std::to_string(r_.checks.size()), "check findings",
         checks_high ? sev_color("high") : nullptr);
    card(std::to_string(trust_fail) + " / " + std::to_string(r_.trust.size()), "trust failures");
    card(std::to_string(policy_err), "policy errors", policy_err ? "#c92a2a" : nullptr);
    o_ << "</div>\n";
  }

  // ---- charts (inline SVG; coordinates computed here)

  void chart_begin(const std::string& title, int w, int h, const std::string& label) {
    o_ << "<div class=\"chart\"><h3>" << html(title) << "</h3><svg width=\"" << w << "\" height=\""
       << h << "\" viewBox=\"0 0 " << w << " " << h << "\" role=\"img\" aria-label=\""
       << html(label) << "\">\n";
  }
  void chart_end() { o_ << "</svg></div>\n"; }

  void severity_bars() {
    std::map<std::string, std::size_t> n;
    for (auto* f : open_) n[normalize_severity(f->severity)]++;
    const auto& order = severity_order();
    std::size_t max = 1;
    for (const auto& [k, v] : n) max = std::max(max, v);
    const int w = 360, h = 200, base = 170, bw = 36, gap = 12, left = 20;
    chart_begin("Open findings by severity", w, h, "bar chart of open findings by severity");
    int x = left;
    for (const auto& s : order) {
      if (s == "none") continue;
      std::size_t v = n.count(s) ? n[s] : 0;
      int bh =
          static_cast<int>(std::lround(140.0 * static_cast<double>(v) / static_cast<double>(max)));
      o_ << "<rect x=\"" << x << "\" y=\"" << base - bh << "\" width=\"" << bw << "\" height=\""
         << bh << "\" fill=\"" << sev_color(s) << "\"><title>" << s << ": " << v
         << "</title></rect>"
         << "<text x=\"" << x + bw / 2 << "\" y=\"" << base - bh - 4 << "\" text-anchor=\"middle\">"
         << v << "</text>"
         << "<text x=\"" << x + bw / 2 << "\" y=\"" << base + 14 << "\" text-anchor=\"middle\">"
         << s << "</text>\n";
      x += bw + gap;
    }
    o_ << "<line x1=\"" << left - 4 << "\" y1=\"" << base << "\" x2=\"" << x << "\" y2=\"" << base
       << "\" stroke=\"#888\"/>\n";
    chart_end();
  }

  void kev_share() {
    std::size_t kev = 0;
    for (auto* f : open_) kev += f->kev;
    std::size_t other = open_.size() - kev;
    const int w = 300, h = 200, cx = 90, cy = 100, rr = 70;
    chart_begin("Known exploited (CISA KEV) vs others", w, h, "KEV share of open findings");
    double total = static_cast<double>(kev + other);
    if (total == 0) {
      o_ << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"" << rr
         << "\" fill=\"none\" stroke=\"#dde2e6\" stroke-width=\"24\"/>";
    } else {
      // Donut as two stroked circle arcs (stroke-dasharray on the circumference).
      double circ = 2 * std::numbers::pi * rr;
      double k = circ * static_cast<double>(kev) / total;
      o_ << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"" << rr
         << "\" fill=\"none\" stroke=\"#b0b7bf\" stroke-width=\"24\"><title>not in KEV: " << other
         << "</title></circle>";
      if (kev)
        o_ << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"" << rr
           << "\" fill=\"none\" stroke=\"#6f1d1b\" stroke-width=\"24\" stroke-dasharray=\""
           << num(k, 2) << " " << num(circ, 2) << "\" transform=\"rotate(-90 " << cx << " " << cy
           << ")\"><title>in KEV: " << kev << "</title></circle>";
    }
    o_ << "<text x=\"" << cx << "\" y=\"" << cy + 5 << "\" text-anchor=\"middle\">" << kev << " / "
       << kev + other << "</text>\n"
       << "<rect x=\"180\" y=\"70\" width=\"12\" height=\"12\" fill=\"#6f1d1b\"/><text x=\"198\" "
          "y=\"80\">KEV: "
       << kev << "</text>"
       << "<rect x=\"180\" y=\"100\" width=\"12\" height=\"12\" fill=\"#b0b7bf\"/><text x=\"198\" "
          "y=\"110\">other: "
       << other << "</text>\n";
    chart_end();
  }

  void epss_scatter() {
    const int w = 380, h = 220, l = 40, t = 10, pw = 320, ph = 170;
    chart_begin("EPSS (exploit probability) vs CVSS score", w, h,
                "scatter of EPSS against CVSS base score per open finding");
    o_ << "<rect x=\"" << l << "\" y=\"" << t << "\" width=\"" << pw << "\" height=\"" << ph
       << "\" fill=\"#fff\" stroke=\"#ccc\"/>\n";
    for (int i = 0; i <= 10; i += 2) {
      int x = l + pw * i / 10;
      o_ << "<text x=\"" << x << "\" y=\"" << t + ph + 14 << "\" text-anchor=\"middle\">" << i
         << "</text>";
    }
    for (int i = 0; i <= 4; ++i) {
      int y = t + ph - ph * i / 4;
      o_ << "<text x=\"" << l - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
         << num(i * 0.25, 2) << "</text>";
    }
    o_ << "<text x=\"" << l + pw / 2 << "\" y=\"" << h - 2
       << "\" text-anchor=\"middle\">CVSS base score</text>\n";
    std::size_t plotted = 0;
    for (auto* f : open_) {
      if (!f->epss) continue;
      double sx = std::clamp(f->score, 0.0, 10.0), sy = std::clamp(*f->epss, 0.0, 1.0);
      double x = l + pw * sx / 10.0, y = t + ph - ph * sy;
      o_ << "<circle cx=\"" << num(x, 1) << "\" cy=\"" << num(y, 1) << "\" r=\"5\" fill=\""
         << sev_color(f->severity) << "\" fill-opacity=\"0.8\""
         << (f->kev ? " stroke=\"#000\" stroke-width=\"2\"" : "") << "><title>" << html(f->id)
         << " " << html(component_label(*f)) << ": CVSS " << num(f->score, 1) << ", EPSS "
         << num(*f->epss, 5) << (f->kev ? ", KEV" : "") << "</title></circle>\n";
      ++plotted;
    }
    if (!plotted)
      o_ << "<text x=\"" << l + pw / 2 << "\" y=\"" << t + ph / 2
         << "\" text-anchor=\"middle\" class=\"muted\">no EPSS scores</text>";
    chart_end();
  }

  void per_component() {
    std::map<std::string, std::map<std::string, std::size_t>> by;
    std::map<std::string, std::size_t> total;
    for (auto* f : open_) {
      std::string c = component_label(*f);
      by[c][normalize_severity(f->severity)]++;
      total[c]++;
    }
    std::vector<std::pair<std::string, std::size_t>> top(total.begin(), total.end());
    std::stable_sort(top.begin(), top.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (top.size() > 15) top.resize(15);
    std::size_t max = 1;
    for (const auto& [c, n] : top) max = std::max(max, n);
    const int rowh = 18, l = 170, pw = 280;
    int h = std::max<int>(40, static_cast<int>(top.size()) * rowh + 30);
    chart_begin("Open findings per component (top 15)", l + pw + 40, h,
                "stacked bars of open findings per component by severity");
    int y = 6;
    for (const auto& [c, n] : top) {
      std::string label = c.size() > 26 ? c.substr(0, 25) + "~" : c;
      o_ << "<text x=\"" << l - 6 << "\" y=\"" << y + 12 << "\" text-anchor=\"end\">" << html(label)
         << "</text>";
      double x = l;
      for (const auto& s : severity_order()) {
        auto it = by[c].find(s);
        if (it == by[c].end()) continue;
        double bw = pw * static_cast<double>(it->second) / static_cast<double>(max);
        o_ << "<rect x=\"" << num(x, 1) << "\" y=\"" << y << "\" width=\"" << num(bw, 1)
           << "\" height=\"" << rowh - 4 << "\" fill=\"" << sev_color(s) << "\"><title>" << html(c)
           << ": " << it->second << " " << s << "</title></rect>";
        x += bw;
      }
      o_ << "<text x=\"" << num(x + 4, 1) << "\" y=\"" << y + 12 << "\">" << n << "</text>\n";
      y += rowh;
    }
    if (top.empty()) o_ << "<text x=\"10\" y=\"24\" class=\"muted\">no open findings</text>";
    chart_end();
  }

  void charts() {
    o_ << "<h2>Overview</h2>\n<div class=\"charts\">\n";
    severity_bars();
    kev_share();
    epss_scatter();
    per_component();
    o_ << "</div>\n";
  }

  // ---- tables

  void sev_badge(const std::string& sev) {
    std::string s = normalize_severity(sev);
    o_ << "<td data-sort=\"" << severity_rank(s)
       << "\"><span class=\"sev\" style=\"background:" << sev_color(s) << "\">" << html(s)
       << "</span></td>";
  }

  void filter(const std::string& table) {
    o_ << "<input class=\"filter\" type=\"search\" placeholder=\"filter rows\" data-table=\""
       << table << "\">\n";
  }

  void vulnerabilities() {
    o_ << "<h2>Vulnerabilities</h2>\n";
    if (!r_.vulnerabilities_matched && r_.findings.empty()) {
      o_ << "<p class=\"muted\">Not matched: no vulnerability database was available.</p>\n";
      return;
    }
    if (r_.findings.empty()) {
      o_ << "<p>No known vulnerabilities matched.</p>\n";
      return;
    }
    filter("vulns");
    o_ << "<table id=\"vulns\" class=\"sortable\"><thead><tr><th>Severity</th><th>ID</th>"
          "<th>Component</th><th>CVSS</th><th>EPSS</th><th>KEV</th><th>Fixed in</th>"
          "<th>Status</th><th>Why</th></tr></thead><tbody>\n";
    for (const vuln::Finding* fp : ordered_findings(r_.findings)) {
      const vuln::Finding& f = *fp;
      o_ << "<tr" << (f.suppressed ? " class=\"supp\"" : "") << ">";
      sev_badge(f.severity);
      o_ << "<td><code>" << html(f.id) << "</code></td><td>" << html(component_label(f))
         << "</td><td class=\"num\" data-sort=\"" << num(f.score, 1) << "\">"
         << (f.score > 0 ? num(f.score, 1) : "-") << "</td><td class=\"num\" data-sort=\""
         << (f.epss ? num(*f.epss, 5) : "0") << "\">"
         << (f.epss ? num(*f.epss * 100.0, 2) + "%" : "-") << "</td><td>";
      if (f.kev) o_ << "<span class=\"kev\">KEV</span>";
      if (f.kev && !f.kev_due_date.empty()) o_ << " due " << html(f.kev_due_date);
      o_ << "</td><td>" << html(f.fixed_version) << "</td><td>";
      if (f.vex)
        o_ << html(f.vex->status) << (f.suppressed ? " (suppressed)" : "");
      else
        o_ << (f.suppressed ? "suppressed" : "open");
      o_ << "</td><td><details><summary>match</summary><div>";
      if (!f.summary.empty()) o_ << "<p>" << html(f.summary) << "</p>";
      o_ << "<ul>";
      for (const auto& m : f.matches) o_ << "<li>" << html(explain_match(m)) << "</li>";
      if (f.matches.empty()) o_ << "<li>no match explanation recorded</li>";
      o_ << "</ul>";
      for (const auto& c : f.cvss)
        o_ << "<div>CVSS " << html(c.version) << " " << num(c.score, 1) << " <code>"
           << html(c.vector) << "</code> (" << html(c.source) << ")</div>";
      if (!f.cwes.empty()) {
        o_ << "<div>weaknesses:";
        for (const auto& c : f.cwes) o_ << " " << html(c);
        o_ << "</div>";
      }
      if (!f.aliases.empty()) {
        o_ << "<div>aliases:";
        for (const auto& a : f.aliases) o_ << " <code>" << html(a) << "</code>";
        o_ << "</div>";
      }
      if (f.epss_percentile)
        o_ << "<div>EPSS percentile " << num(*f.epss_percentile * 100.0, 1) << "</div>";
      if (f.vex) o_ << "<div>VEX: " << html(explain_vex(*f.vex)) << "</div>";
      if (!f.published.empty()) o_ << "<div>published " << html(f.published) << "</div>";
      if (!f.references.empty()) {
        o_ << "<div>references (not linked; this report loads nothing):<br><code>";
        std::size_t n = 0;
        for (const auto& ref : f.references) {
          if (++n > 10) break;
          o_ << html(ref) << "<br>";
        }
        o_ << "</code></div>";
      }
      o_ << "</div></details></td></tr>\n";
    }
    o_ << "</tbody></table>\n";
  }

  void checks() {
    o_ << "<h2>Security checks</h2>\n";
    if (!r_.checks_run && r_.checks.empty()) {
      o_ << "<p class=\"muted\">Checks were not run.</p>\n";
      return;
    }
    if (r_.checks.empty()) {
      o_ << "<p>No check findings.</p>\n";
      return;
    }
    filter("checks");
    o_ << "<table id=\"checks\" class=\"sortable\"><thead><tr><th>Severity</th><th>Check</th>"
          "<th>File</th><th>Finding</th><th>Evidence</th><th>Catalog</th></tr></thead><tbody>\n";
    for (const model::CheckFinding* cp : ordered_checks(r_.checks)) {
      const model::CheckFinding& c = *cp;
      o_ << "<tr>";
      sev_badge(c.severity);
      o_ << "<td><code>" << html(c.check) << "</code>";
      if (!c.rule.empty()) o_ << "<br><span class=\"muted\">" << html(c.rule) << "</span>";
      o_ << "</td><td><code>" << html(c.path);
      if (c.line) o_ << ":" << *c.line;
      o_ << "</code>";
      if (!c.root.empty()) o_ << "<br><span class=\"muted\">in " << html(c.root) << "</span>";
      o_ << "</td><td><b>" << html(c.title) << "</b><br>" << html(c.detail) << "</td><td><code>"
         << html(c.evidence) << "</code></td><td>";
      for (const auto& ref : c.catalog) o_ << html(ref.catalog) << " " << html(ref.item) << "<br>";
      o_ << "</td></tr>\n";
    }
    o_ << "</tbody></table>\n";
  }

  void trust() {
    o_ << "<h2>Trust</h2>\n";
    if (r_.trust.empty()) {
      o_ << "<p class=\"muted\">No signatures, attestations or hashes were verified.</p>\n";
      return;
    }
    o_ << "<table id=\"trust\" class=\"sortable\"><thead><tr><th>Verdict</th><th>Kind</th>"
          "<th>Subject</th><th>Detail</th><th>Key</th><th>Evidence</th></tr></thead><tbody>\n";
    for (const auto& t : r_.trust) {
      std::string cls = t.verdict == "pass" ? "pass" : t.verdict == "fail" ? "fail" : "unknown";
      o_ << "<tr><td class=\"" << cls << "\">" << html(t.verdict) << "</td><td>" << html(t.kind)
         << "</td><td><code>" << html(t.subject) << "</code></td><td>" << html(t.detail)
         << "</td><td>" << html(t.key) << "</td><td>";
      for (const auto& e : t.evidence) o_ << html(e) << "<br>";
      o_ << "</td></tr>\n";
    }
    o_ << "</tbody></table>\n";
  }

  void policy() {
    o_ << "<h2>Policy</h2>\n";
    if (r_.policy.empty()) {
      o_ << "<p class=\"muted\">No policy violations.</p>\n";
      return;
    }
    o_ << "<table id=\"policy\" class=\"sortable\"><thead><tr><th>Severity</th><th>Rule</th>"
          "<th>Subject</th><th>Message</th><th>Evidence</th></tr></thead><tbody>\n";
    for (const auto& p : r_.policy) {
      o_ << "<tr><td class=\"" << (p.severity == "error" ? "fail" : "unknown") << "\">"
         << html(p.severity) << "</td><td><code>" << html(p.rule) << "</code></td><td>"
         << html(p.subject) << "</td><td>" << html(p.message) << "</td><td>";
      for (const auto& e : p.evidence) o_ << html(e) << "<br>";
      o_ << "</td></tr>\n";
    }
    o_ << "</tbody></table>\n";
  }

  void components() {
    o_ << "<h2>Components (" << r_.sbom.components.size() << ")</h2>\n";
    std::map<std::string, std::size_t> open_by_ref;
    for (auto* f : open_) open_by_ref[f->component_ref]++;
    filter("components");
    o_ << "<table id=\"components\" class=\"sortable\"><thead><tr><th>Name</th><th>Version</th>"
          "<th>Type</th><th>Open vulns</th><th>Licenses</th><th>Identifiers</th>"
          "<th>Evidence</th></tr></thead><tbody>\n";
    for (const auto& c : r_.sbom.components) {
      auto it = open_by_ref.find(c.bom_ref);
      std::size_t nv = it == open_by_ref.end() ? 0 : it->second;
      o_ << "<tr><td>" << html(c.name) << "</td><td>" << html(c.version) << "</td><td>"
         << html(c.type) << "</td><td class=\"num\" data-sort=\"" << nv << "\">" << nv
         << "</td><td>";
      for (const auto& l : c.licenses) o_ << html(l) << "<br>";
      o_ << "</td><td>";
      if (!c.purl.empty()) o_ << "<code>" << html(c.purl) << "</code><br>";
      for (const auto& cpe : c.cpes) o_ << "<code>" << html(cpe) << "</code><br>";
      o_ << "</td><td><details><summary>" << c.evidence.size() << " item"
         << (c.evidence.size() == 1 ? "" : "s") << "</summary><div><ul>";
      for (const auto& e : c.evidence)
        o_ << "<li>" << html(sbom::detail::evidence_summary(e)) << "</li>";
      o_ << "</ul>";
      for (const auto& n : c.notes) o_ << "<div>note: " << html(n) << "</div>";
      o_ << "</div></details></td></tr>\n";
    }
    o_ << "</tbody></table>\n";
  }

  const model::Report& r_;
  std::vector<const vuln::Finding*> open_;
  std::ostringstream o_;
};

class HtmlEncoder final : public sbom::Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"html", "self-contained HTML report with charts (works offline)"};
    return d;
  }
  std::string_view file_extension() const override { return ".html"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    out << HtmlWriter(report).run();
    if (!out) return Error(Errc::io, "html: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<sbom::Encoder> make_html_encoder() {
  return std::make_unique<HtmlEncoder>();
}

}  // namespace waybill::report
