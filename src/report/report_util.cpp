#include "report/report_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/hash.h"

namespace waybill::report {

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string normalize_severity(std::string_view s) {
  std::string l = lower(s);
  if (l == "critical" || l == "high" || l == "medium" || l == "low" || l == "info" || l == "none")
    return l;
  if (l == "moderate" || l == "warning") return "medium";
  if (l == "error" || l == "important") return "high";
  if (l == "note" || l == "negligible") return "low";
  if (l == "informational") return "info";
  return "unknown";
}

int severity_rank(std::string_view s) {
  std::string n = normalize_severity(s);
  if (n == "critical") return 5;
  if (n == "high") return 4;
  if (n == "medium") return 3;
  if (n == "low") return 2;
  if (n == "info" || n == "none") return 1;
  return 0;
}

const std::vector<std::string>& severity_order() {
  static const std::vector<std::string> order{"critical", "high", "medium", "low",
                                              "info",     "none", "unknown"};
  return order;
}

std::string_view sarif_level(std::string_view severity) {
  int r = severity_rank(severity);
  if (r >= 4) return "error";
  if (r == 3) return "warning";
  return "note";
}

double severity_score(std::string_view severity) {
  switch (severity_rank(severity)) {
    case 5:
      return 9.5;
    case 4:
      return 8.0;
    case 3:
      return 5.5;
    case 2:
      return 2.0;
    default:
      return 0.0;
  }
}

std::string_view cdx_method(std::string_view v) {
  if (v == "2.0" || v == "2") return "CVSSv2";
  if (v == "3.0" || v == "3") return "CVSSv3";
  if (v == "3.1") return "CVSSv31";
  if (v == "4.0" || v == "4") return "CVSSv4";
  return "other";
}

std::string explain_match(const vuln::MatchExplanation& m) {
  std::string s = (m.source.empty() ? std::string("database") : m.source) + " record " +
                  (m.record.empty() ? std::string("?") : m.record);
  if (!m.method.empty()) s += " (" + m.method + ")";
  std::string sep = ": ";
  auto add = [&](const char* label, const std::string& v) {
    if (v.empty()) return;
    s += sep + label + " " + v;
    sep = "; ";
  };
  add("criteria", m.criteria);
  add("range", m.range);
  add("comparison", m.comparison);
  if (!m.scheme.empty() && m.comparison.find(m.scheme) == std::string::npos)
    add("scheme", m.scheme);
  if (!m.component_version.empty() && m.comparison.find(m.component_version) == std::string::npos)
    add("compared version", m.component_version);
  return s;
}

std::string explain_finding(const vuln::Finding& f) {
  if (f.matches.empty()) return "no match explanation recorded";
  std::string s;
  for (const auto& m : f.matches) s += (s.empty() ? "" : "; also ") + explain_match(m);
  return s;
}

std::string component_label(const vuln::Finding& f) {
  if (f.component_name.empty()) return f.component_ref;
  return f.component_version.empty() ? f.component_name
                                     : f.component_name + "@" + f.component_version;
}

std::string explain_vex(const vuln::VexStatement& v) {
  std::string s = v.status.empty() ? "unknown" : v.status;
  if (!v.justification.empty()) s += " (" + v.justification + ")";
  if (!v.impact.empty()) s += ": " + v.impact;
  if (!v.action.empty()) s += "; action: " + v.action;
  if (!v.document.empty()) s += " per " + v.document;
  if (!v.format.empty()) s += " [" + v.format + "]";
  return s;
}

const model::Component* find_component(const model::Sbom& sbom, std::string_view bom_ref) {
  if (bom_ref.empty()) return nullptr;
  for (const auto& c : sbom.components)
    if (c.bom_ref == bom_ref) return &c;
  return nullptr;
}

std::string evidence_path(const model::Component& c, std::string* root) {
  for (const auto& e : c.evidence) {
    if (e.method.rfind("package-db", 0) == 0 || e.path.empty()) continue;
    if (root) *root = e.root;
    return e.path;
  }
  if (!c.files.empty()) {
    if (root) *root = c.files.front().root;
    return c.files.front().path;
  }
  for (const auto& e : c.evidence) {
    if (e.path.empty()) continue;
    if (root) *root = e.root;
    return e.path;
  }
  return "";
}

std::vector<const vuln::Finding*> ordered_findings(const std::vector<vuln::Finding>& findings) {
  std::vector<const vuln::Finding*> v;
  v.reserve(findings.size());
  for (const auto& f : findings) v.push_back(&f);
  std::stable_sort(v.begin(), v.end(), [](const vuln::Finding* a, const vuln::Finding* b) {
    if (a->suppressed != b->suppressed) return !a->suppressed;
    if (a->risk != b->risk) return a->risk > b->risk;
    if (a->kev != b->kev) return a->kev;
    int ra = severity_rank(a->severity), rb = severity_rank(b->severity);
    if (ra != rb) return ra > rb;
    if (a->score != b->score) return a->score > b->score;
    if (a->id != b->id) return a->id < b->id;
    return a->component_name < b->component_name;
  });
  return v;
}

std::vector<const model::CheckFinding*> ordered_checks(const std::vector<model::CheckFinding>& c) {
  std::vector<const model::CheckFinding*> v;
  v.reserve(c.size());
  for (const auto& x : c) v.push_back(&x);
  std::stable_sort(v.begin(), v.end(),
                   [](const model::CheckFinding* a, const model::CheckFinding* b) {
                     int ra = severity_rank(a->severity), rb = severity_rank(b->severity);
                     if (ra != rb) return ra > rb;
                     if (a->check != b->check) return a->check < b->check;
                     if (a->path != b->path) return a->path < b->path;
                     return a->line.value_or(0) < b->line.value_or(0);
                   });
  return v;
}

namespace {
// Ids go into URLs: only letters, digits and "-_.:" are allowed, else no URL.
bool url_safe_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}
}  // namespace

std::string vuln_url(std::string_view id) {
  if (!url_safe_id(id)) return "";
  std::string s(id);
  if (s.rfind("CVE-", 0) == 0) return "https://nvd.nist.gov/vuln/detail/" + s;
  if (s.rfind("GHSA-", 0) == 0) return "https://github.com/advisories/" + s;
  return "https://osv.dev/vulnerability/" + s;
}

std::string source_name(std::string_view source) {
  std::string l = lower(source);
  if (l == "nvd") return "NVD";
  if (l == "cve5" || l == "cve") return "CVE";
  if (l.rfind("osv", 0) == 0) return "OSV";
  if (l == "kev") return "CISA KEV";
  return source.empty() ? "waybill" : std::string(source);
}

std::string rfc3339(std::string_view s) {
  // YYYY-MM-DD
  auto digits_at = [&](std::size_t pos, std::size_t n) {
    return pos + n <= s.size() && all_digits(s.substr(pos, n));
  };
  if (!(digits_at(0, 4) && s.size() >= 10 && s[4] == '-' && digits_at(5, 2) && s[7] == '-' &&
        digits_at(8, 2)))
    return "";
  if (s.size() == 10) return std::string(s) + "T00:00:00Z";
  if (!(s[10] == 'T' || s[10] == 't' || s[10] == ' ') || !digits_at(11, 2) || s.size() < 19 ||
      s[13] != ':' || !digits_at(14, 2) || s[16] != ':' || !digits_at(17, 2))
    return "";
  std::string out(s.substr(0, 10));
  out += 'T';
  out += s.substr(11, 8);
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    std::size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1) return "";
    out += s.substr(i, j - i);
    i = j;
  }
  if (i == s.size()) return out + "Z";
  std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") return out + "Z";
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1, 2)) &&
      zone[3] == ':' && all_digits(zone.substr(4, 2)))
    return out + std::string(zone);
  return "";
}

std::optional<int> cwe_number(std::string_view s) {
  if (s.size() < 5 || lower(s.substr(0, 4)) != "cwe-") return std::nullopt;
  std::string_view n = s.substr(4);
  if (!all_digits(n) || n.size() > 6) return std::nullopt;
  int v = 0;
  for (char c : n) v = v * 10 + (c - '0');
  return v;
}

std::string fingerprint(const std::vector<std::string_view>& parts) {
  Sha256 h;
  bool first = true;
  for (auto p : parts) {
    if (!first) h.update(ByteView(std::string_view("\x1f", 1)));
    first = false;
    h.update(ByteView(p));
  }
  return h.hex_final().substr(0, 32);
}

std::string relative_uri(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string short_number(double v, int digits) {
  if (!std::isfinite(v)) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(digits, 0, 10), v);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string check_severity(const model::CheckFinding& c) {
  return normalize_severity(c.severity);
}

}  // namespace waybill::report
