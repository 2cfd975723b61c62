// VEX: format detection, the status/justification mappings, and apply_vex.
//
// Mapping to OpenVEX terms (documented in docs/vulnerabilities.md, "VEX"):
//   CycloneDX state         -> status            CSAF product_status     -> status
//   not_affected            -> not_affected      known_not_affected      -> not_affected
//   false_positive          -> not_affected      fixed, first_fixed      -> fixed
//   resolved                -> fixed             known_affected,
//   resolved_with_pedigree  -> fixed               first_affected,
//   exploitable             -> affected            last_affected         -> affected
//   in_triage               -> under_investigation under_investigation   -> under_investigation
//                                                (recommended: not a status, ignored)
//   CycloneDX justification -> OpenVEX justification (CSAF flag labels are OpenVEX names)
//   code_not_present        -> vulnerable_code_not_present
//   code_not_reachable      -> vulnerable_code_not_in_execute_path
//   requires_configuration  -> vulnerable_code_cannot_be_controlled_by_adversary
//   requires_dependency     -> component_not_present
//   requires_environment    -> vulnerable_code_cannot_be_controlled_by_adversary
//   protected_by_compiler, protected_at_runtime, protected_at_perimeter,
//   protected_by_mitigating_control -> inline_mitigations_already_exist
#include "vuln/vex/vex.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <tuple>

#include "vuln/vex/internal.h"
#include "vuln/vex/purl.h"

namespace waybill::vuln {

namespace vexdetail {

void warn(VexDocument& doc, std::string_view where, std::string message) {
  if (doc.diagnostics.size() >= 1000) return;  // bounded; the first ones say enough
  Diagnostic d;
  d.severity = Severity::warning;
  d.code = Errc::corrupt;
  d.source = "vex/" + doc.format;
  d.file = doc.path;
  d.message = where.empty() ? std::move(message) : std::string(where) + ": " + message;
  doc.diagnostics.push_back(std::move(d));
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (s.empty()) return;
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

}  // namespace vexdetail

using namespace vexdetail;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<long double> rfc3339_seconds(std::string_view ts) {
  // YYYY-MM-DD[T ]hh:mm:ss[.frac](Z|+hh:mm|-hh:mm); a date alone is midnight UTC.
  auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
    if (pos + n > ts.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(ts[i]))) return std::nullopt;
      v = v * 10 + (ts[i] - '0');
    }
    return v;
  };
  auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
  if (!y || !mo || !d || ts[4] != '-' || ts[7] != '-' || *mo < 1 || *mo > 12 || *d < 1 || *d > 31)
    return std::nullopt;
  int hh = 0, mi = 0, ss = 0;
  long double frac = 0;
  long offset = 0;
  if (ts.size() > 10) {
    if (ts[10] != 'T' && ts[10] != 't' && ts[10] != ' ') return std::nullopt;
    auto h = digits(11, 2), m = digits(14, 2), s = digits(17, 2);
    if (!h || !m || !s || ts.size() < 19 || ts[13] != ':' || ts[16] != ':' || *h > 23 || *m > 59 ||
        *s > 60)
      return std::nullopt;
    hh = *h, mi = *m, ss = *s;
    std::size_t i = 19;
    if (i < ts.size() && ts[i] == '.') {
      long double scale = 0.1L;
      ++i;
      std::size_t start = i;
      while (i < ts.size() && std::isdigit(static_cast<unsigned char>(ts[i]))) {
        if (i - start < 18) frac += scale * (ts[i] - '0'), scale /= 10;
        ++i;
      }
      if (i == start) return std::nullopt;
    }
    if (i < ts.size() && (ts[i] == 'Z' || ts[i] == 'z')) {
      ++i;
    } else if (i < ts.size() && (ts[i] == '+' || ts[i] == '-')) {
      auto oh = digits(i + 1, 2), om = digits(i + 4, 2);
      if (!oh || !om || i + 3 >= ts.size() || ts[i + 3] != ':') return std::nullopt;
      offset = (*oh * 3600L + *om * 60L) * (ts[i] == '+' ? 1 : -1);
      i += 6;
    } else {
      return std::nullopt;  // RFC 3339 requires a zone
    }
    if (i != ts.size()) return std::nullopt;
  }
  // Days from civil (proleptic Gregorian), no time-zone database involved.
  long yy = *y - (*mo <= 2 ? 1 : 0);
  long era = (yy >= 0 ? yy : yy - 399) / 400;
  long yoe = yy - era * 400;
  long doy = (153L * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long days = era * 146097 + doe - 719468;
  long double secs = static_cast<long double>(days) * 86400.0L + hh * 3600.0L + mi * 60.0L + ss -
                     static_cast<long double>(offset);
  return secs + frac;
}

bool looks_like_vex(std::string_view head) {
  std::size_t i = 0;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
  if (i >= head.size() || head[i] != '{') return false;
  return head.find("openvex") != std::string_view::npos ||
         head.find("\"bomFormat\"") != std::string_view::npos ||
         head.find("\"csaf_version\"") != std::string_view::npos ||
         head.find("\"vulnerabilities\"") != std::string_view::npos;
}

Result<VexDocument> parse_vex(std::string_view name, std::string_view text) {
  std::string who(name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size() && text[i] == '<')
    return Error(Errc::unsupported,
                 who + ": XML VEX is not supported; use CycloneDX JSON, OpenVEX or CSAF 2.0 JSON");
  auto parsed = jsonin::parse(name, text, kMaxVexBytes);
  if (!parsed) return parsed.error();
  const json& root = *parsed;
  if (!root.is_object())
    return Error(Errc::corrupt, who + ": not a VEX document: the top level is not a JSON object");

  VexDocument doc;
  doc.path = who;
  Status st;
  std::string context = jsonin::str(root, "@context");
  if (lower(context).find("openvex") != std::string::npos) {
    doc.format = "openvex";
    st = read_openvex(root, doc);
  } else if (jsonin::str(root, "bomFormat") == "CycloneDX") {
    doc.format = "cyclonedx";
    st = read_cyclonedx_vex(root, doc);
  } else if (jsonin::member(jsonin::obj(root, "document"), "csaf_version")) {
    doc.format = "csaf";
    st = read_csaf_vex(root, doc);
  } else {
    return Error(Errc::not_this_format,
                 who +
                     ": not a VEX document: expected OpenVEX (@context https://openvex.dev/ns"
                     "...), CycloneDX JSON (bomFormat \"CycloneDX\") or CSAF 2.0 "
                     "(document.csaf_version)");
  }
  if (!st) return st.error();
  for (auto& e : doc.entries) {
    e.statement.document = doc.path;
    e.statement.format = doc.format;
    if (e.timestamp.empty()) e.timestamp = doc.timestamp;
  }
  return doc;
}

Result<VexDocument> read_vex(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(Errc::io, path + ": cannot read VEX file: " + ec.message());
  if (size > kMaxVexBytes)
    return Error(Errc::limit_exceeded, path + ": VEX file is " + std::to_string(size) +
                                           " bytes, more than the limit of " +
                                           std::to_string(kMaxVexBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, path + ": cannot open VEX file");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_vex(path, text);
}

// ---- apply ----

namespace {

// CPE split into its 11 attributes (part, vendor, product, version, update, edition, language,
// sw_edition, target_sw, target_hw, other), lowercased, backslash escapes removed. Accepts
// CPE 2.3 formatted strings and CPE 2.2 URIs (missing attributes are ANY).
std::optional<std::vector<std::string>> cpe_attrs(std::string_view s) {
  std::vector<std::string> a;
  if (s.size() > 1024) return std::nullopt;
  if (s.substr(0, 8) == "cpe:2.3:") {
    std::string cur;
    for (std::size_t i = 8; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        cur += s[++i];
      } else if (s[i] == ':') {
        a.push_back(lower(cur));
        cur.clear();
      } else {
        cur += s[i];
      }
    }
    a.push_back(lower(cur));
    if (a.size() != 11) return std::nullopt;
    return a;
  }
  if (s.substr(0, 5) == "cpe:/") {
    std::size_t i = 5;
    while (i <= s.size() && a.size() < 7) {
      std::size_t e = s.find(':', i);
      if (e == std::string_view::npos) e = s.size();
      a.push_back(lower(purl::percent_decode(s.substr(i, e - i))));
      i = e + 1;
    }
    while (a.size() < 11) a.push_back("*");
    for (auto& x : a)
      if (x.empty()) x = "*";
    return a;
  }
  return std::nullopt;
}

// Does a component CPE satisfy a statement CPE? Every attribute the statement sets (not ANY)
// must be equal.
bool cpe_matches(std::string_view statement, std::string_view component) {
  auto s = cpe_attrs(statement), c = cpe_attrs(component);
  if (!s || !c) return false;
  if ((*s)[1] == "*" || (*s)[2] == "*") return false;  // vendor and product are required
  for (std::size_t i = 0; i < 11; ++i) {
    if ((*s)[i] == "*") continue;
    if ((*s)[i] != (*c)[i]) return false;
  }
  return true;
}

bool bom_ref_matches(std::string_view ref, const model::Component& c, std::string_view serial) {
  if (c.bom_ref.empty()) return false;
  if (ref.substr(0, 8) == "urn:cdx:") {
    auto hash = ref.find('#');
    if (hash == std::string_view::npos) return false;
    std::string frag = purl::percent_decode(ref.substr(hash + 1));
    if (!serial.empty()) {
      std::string_view sv = serial;
      if (sv.substr(0, 9) == "urn:uuid:") sv.remove_prefix(9);
      std::string_view link = ref.substr(8, hash - 8);
      auto slash = link.find('/');
      if (!iequal(link.substr(0, slash), sv)) return false;
    }
    return frag == c.bom_ref;
  }
  return ref == c.bom_ref;
}

bool product_matches(const VexEntry& e, const model::Component& c, std::string_view serial) {
  if (!e.versions.empty() &&
      std::find(e.versions.begin(), e.versions.end(), c.version) == e.versions.end() &&
      (c.package_version.empty() ||
       std::find(e.versions.begin(), e.versions.end(), c.package_version) == e.versions.end()))
    return false;
  if (!c.purl.empty() && !e.purls.empty()) {
    if (auto cp = purl::parse_purl(c.purl)) {
      for (const auto& p : e.purls)
        if (auto sp = purl::parse_purl(p); sp && purl::purl_matches(*sp, *cp)) return true;
    }
  }
  for (const auto& sc : e.cpes)
    for (const auto& cc : c.cpes)
      if (cpe_matches(sc, cc)) return true;
  for (const auto& r : e.bom_refs)
    if (bom_ref_matches(r, c, serial)) return true;
  for (const auto& [n, v] : e.name_versions) {
    if (n.empty() || !iequal(n, c.name)) continue;
    if (v.empty() || v == c.version || (!c.package_version.empty() && v == c.package_version))
      return true;
  }
  return false;
}

bool id_matches(const VexEntry& e, const Finding& f) {
  auto eq = [&](const std::string& x) {
    if (x.empty()) return false;
    if (iequal(x, e.id)) return true;
    for (const auto& a : e.aliases)
      if (iequal(x, a)) return true;
    return false;
  };
  if (eq(f.id)) return true;
  for (const auto& a : f.aliases)
    if (eq(a)) return true;
  return false;
}

}  // namespace

void apply_vex(std::span<const VexDocument> docs, std::vector<Finding>& findings,
               const std::vector<model::Component>& components, std::string_view sbom_serial) {
  for (Finding& f : findings) {
    const model::Component* comp = nullptr;
    model::Component pseudo;
    if (!f.component_ref.empty()) {
      for (const auto& c : components)
        if (c.bom_ref == f.component_ref) {
          comp = &c;
          break;
        }
    }
    if (!comp) {
      pseudo.bom_ref = f.component_ref;
      pseudo.name = f.component_name;
      pseudo.version = f.component_version;
      pseudo.purl = f.component_purl;
      comp = &pseudo;
    }
    const VexEntry* best = nullptr;
    std::optional<long double> best_ts;
    for (const VexDocument& d : docs) {
      for (const VexEntry& e : d.entries) {
        if (!id_matches(e, f) || !product_matches(e, *comp, sbom_serial)) continue;
        auto ts = rfc3339_seconds(e.timestamp);
        // Later documents and statements come later in the loop, so ">=" lets them win ties.
        bool wins =
            !best || (!ts && !best_ts) || (ts && !best_ts) || (ts && best_ts && *ts >= *best_ts);
        if (wins) {
          best = &e;
          best_ts = ts;
        }
      }
    }
    if (!best) continue;
    f.vex = best->statement;
    f.suppressed = best->statement.status == "not_affected" || best->statement.status == "fixed";
  }
}

}  // namespace waybill::vuln
