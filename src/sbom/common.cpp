#include "sbom/common.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace waybill::sbom::detail {

std::string location_of(const std::string& root, const std::string& path) {
  if (root.empty()) return path;
  if (path.empty()) return root;
  return root + ":" + path;
}
std::string location_of(const model::Evidence& e) {
  return location_of(e.root, e.path);
}
std::string location_of(const model::FileHash& f) {
  return location_of(f.root, f.path);
}

namespace {

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

}  // namespace

std::string document_uuid(const model::Sbom& sbom) {
  std::string_view serial = sbom.serial;
  constexpr std::string_view prefix = "urn:uuid:";
  if (serial.substr(0, prefix.size()) == prefix && is_uuid(serial.substr(prefix.size()))) {
    std::string u(serial.substr(prefix.size()));
    for (char& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return u;
  }
  // Name-based UUID (version 5 layout, SHA-256 instead of SHA-1): same input, same document id.
  std::string seed = sbom.target.name + '\n' + sbom.target.sha256 + '\n' + sbom.tool.version +
                     '\n' + sbom.timestamp + '\n' + std::to_string(sbom.components.size());
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), d.data());
  d[6] = static_cast<unsigned char>((d[6] & 0x0f) | 0x50);
  d[8] = static_cast<unsigned char>((d[8] & 0x3f) | 0x80);
  std::string out;
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[d[i] >> 4];
    out += hex[d[i] & 15];
  }
  return out;
}

std::string document_timestamp(const model::Sbom& sbom) {
  if (!sbom.timestamp.empty()) return sbom.timestamp;
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// Punctuation that CPE 2.3 allows after a backslash.
bool cpe_escapable(char c) {
  return std::string_view("\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~").find(c) != std::string_view::npos;
}

// One attribute value: "*", "-", or (\?*|\*?) (alnum | [-._] | \punct)+ (\?*|\*?).
bool cpe_value(std::string_view v) {
  if (v == "*" || v == "-") return true;
  std::size_t i = 0;
  if (i < v.size() && v[i] == '*') {
    ++i;
  } else {
    while (i < v.size() && v[i] == '?') ++i;
  }
  std::size_t end = v.size();
  // Trailing wildcards (not escaped ones).
  auto escaped = [&](std::size_t pos) {
    std::size_t n = 0;
    while (pos > n && v[pos - 1 - n] == '\\') ++n;
    return n % 2 == 1;
  };
  if (end > i && v[end - 1] == '*' && !escaped(end - 1)) {
    --end;
  } else {
    while (end > i && v[end - 1] == '?' && !escaped(end - 1)) --end;
  }
  if (end <= i) return false;
  for (std::size_t k = i; k < end; ++k) {
    char c = v[k];
    if (c == '\\') {
      if (k + 1 >= end || !cpe_escapable(v[k + 1])) return false;
      ++k;
    } else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) {
      return false;
    }
  }
  return true;
}

bool cpe_language(std::string_view v) {
  if (v == "*" || v == "-") return true;
  std::size_t i = 0;
  while (i < v.size() && std::isalpha(static_cast<unsigned char>(v[i]))) ++i;
  if (i < 2 || i > 3) return false;
  if (i == v.size()) return true;
  if (v[i] != '-') return false;
  std::string_view r = v.substr(i + 1);
  if (r.size() == 2)
    return std::all_of(r.begin(), r.end(),
                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  if (r.size() == 3)
    return std::all_of(r.begin(), r.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  return false;
}

}  // namespace

bool is_cpe23(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == ':') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  if (parts.size() != 13 || parts[0] != "cpe" || parts[1] != "2.3") return false;
  if (parts[2].size() != 1 || std::string_view("aho*-").find(parts[2][0]) == std::string_view::npos)
    return false;
  for (std::size_t i = 3; i < 13; ++i) {
    bool ok = i == 8 ? cpe_language(parts[i]) : cpe_value(parts[i]);
    if (!ok) return false;
  }
  return true;
}

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), is_hex);
}

bool is_simple_url(std::string_view s) {
  if (s.substr(0, 7) != "http://" && s.substr(0, 8) != "https://") return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos)
      return false;
  }
  return true;
}

std::string_view cdx_technique(std::string_view m) {
  auto starts = [&](std::string_view p) { return m.substr(0, p.size()) == p; };
  if (starts("package-db") || starts("build-manifest") || starts("os-release") ||
      starts("manifest"))
    return "manifest-analysis";
  if (starts("binary") || starts("elf") || starts("kernel") || starts("signature"))
    return "binary-analysis";
  if (starts("filename") || starts("file-name") || starts("path")) return "filename";
  if (starts("hash")) return "hash-comparison";
  return "other";
}

std::string evidence_summary(const model::Evidence& e) {
  std::string s = e.method.empty() ? "unknown method" : e.method;
  std::string loc = location_of(e);
  if (!loc.empty()) s += " at " + loc;
  if (e.offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " +0x%llx", static_cast<unsigned long long>(*e.offset));
    s += buf;
  }
  if (!e.matched.empty()) s += ": \"" + one_line(e.matched) + "\"";
  if (!e.version.empty()) s += " => version " + e.version;
  if (!e.detail.empty()) s += " (" + one_line(e.detail) + ")";
  return s;
}

double clamp01(double v) {
  if (!(v >= 0)) return 0;  // also NaN
  return v > 1 ? 1 : v;
}

std::string decimal01(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", clamp01(v));
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid; sets `cp`.
std::size_t utf8_seq(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t n;
  char32_t min;
  if ((c & 0xe0) == 0xc0) {
    n = 2, cp = c & 0x1f, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3, cp = c & 0x0f, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

bool xml_forbidden(char32_t cp) {
  return (cp < 0x20 && cp != 0x09 && cp != 0x0a && cp != 0x0d) || cp == 0xfffe || cp == 0xffff;
}

}  // namespace

bool is_clean_text(std::string_view s, bool xml) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    std::size_t n = utf8_seq(s, i, cp);
    if (n == 0 || (xml && xml_forbidden(cp))) return false;
    i += n;
  }
  return true;
}

std::string clean_text(std::string_view s, bool xml) {
  if (is_clean_text(s, xml)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    std::size_t n = utf8_seq(s, i, cp);
    if (n == 0 || (xml && xml_forbidden(cp))) {
      out += "\xEF\xBF\xBD";
      i += n == 0 ? 1 : n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

Refs make_refs(const model::Sbom& sbom) {
  Refs r;
  std::unordered_set<std::string> used;
  for (const auto& c : sbom.components) used.insert(c.bom_ref);
  r.target = "target";
  for (int n = 2; used.count(r.target); ++n) r.target = "target-" + std::to_string(n);
  used.clear();
  used.insert(r.target);
  r.components.reserve(sbom.components.size());
  for (std::size_t i = 0; i < sbom.components.size(); ++i) {
    std::string ref = sbom.components[i].bom_ref;
    if (ref.empty()) ref = "component-" + std::to_string(i + 1);
    std::string unique = ref;
    for (int n = 2; used.count(unique); ++n) unique = ref + "#" + std::to_string(n);
    used.insert(unique);
    r.components.push_back(std::move(unique));
  }
  return r;
}

std::vector<Edge> resolve_edges(const model::Sbom& sbom) {
  std::unordered_map<std::string, int> by_ref;
  std::unordered_map<std::string, int> by_name;
  for (std::size_t i = 0; i < sbom.components.size(); ++i) {
    const auto& c = sbom.components[i];
    if (!c.bom_ref.empty()) by_ref.emplace(c.bom_ref, static_cast<int>(i));
    by_name.emplace(c.name, static_cast<int>(i));
  }
  std::vector<Edge> out;
  std::set<std::tuple<int, int, bool>> seen;
  auto add = [&](int from, int to, bool contains) {
    if (from == to) return;
    if (seen.emplace(from, to, contains).second) out.push_back({from, to, contains});
  };
  for (const auto& rel : sbom.relationships) {
    auto t = by_ref.find(rel.to);
    if (t == by_ref.end()) continue;
    int from = -1;
    if (auto f = by_ref.find(rel.from); f != by_ref.end()) {
      from = f->second;
    } else if (!rel.from.empty()) {
      continue;  // unknown source
    }
    bool contains = rel.type == "contains";
    if (!contains && from < 0) continue;  // the target's depends-on is implicit
    add(from, t->second, contains);
  }
  for (std::size_t i = 0; i < sbom.components.size(); ++i) {
    for (const auto& dep : sbom.components[i].depends) {
      if (auto t = by_name.find(dep); t != by_name.end())
        add(static_cast<int>(i), t->second, false);
    }
  }
  return out;
}

std::optional<std::size_t> primary_cpe(const model::Component& c) {
  for (std::size_t i = 0; i < c.cpes.size(); ++i)
    if (is_cpe23(c.cpes[i])) return i;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> component_properties(
    const model::Component& c, std::optional<std::size_t> primary,
    const std::vector<std::string>& contains_refs) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](std::string name, const std::string& value) {
    if (value.empty()) return;
    std::pair<std::string, std::string> p{std::move(name), value};
    if (seen.insert(p).second) out.push_back(std::move(p));
  };
  add("waybill:package_version", c.package_version);
  add("waybill:ecosystem", c.ecosystem);
  add("waybill:source_package", c.source_package);
  add("waybill:upstream_name", c.upstream_name);
  add("waybill:distro", c.distro);
  add("waybill:arch", c.arch);
  if (!c.homepage.empty() && !is_simple_url(c.homepage)) add("waybill:homepage", c.homepage);
  for (std::size_t i = 0; i < c.cpes.size(); ++i)
    if (!primary || i != *primary) add("waybill:cpe", c.cpes[i]);
  for (const auto& n : c.notes) add("waybill:note", n);
  for (const auto& d : c.depends) add("waybill:depends", d);
  if (c.files.size() > 1 || (c.files.size() == 1 && !is_sha256_hex(c.files[0].sha256))) {
    for (const auto& f : c.files)
      add("waybill:file", (f.sha256.empty() ? std::string("-") : f.sha256) + "  " + location_of(f));
  }
  for (const auto& r : contains_refs) add("waybill:contains", r);
  for (const auto& [k, v] : c.properties) add(k, v);
  return out;
}

CdxLicenses cdx_licenses(const std::vector<std::string>& licenses) {
  CdxLicenses out;
  std::vector<LicenseChoice> all;
  std::set<std::string> seen;
  for (const auto& l : licenses) {
    if (l.empty()) continue;
    LicenseChoice ch = classify_license(l);
    if (seen.insert(ch.value).second) all.push_back(std::move(ch));
  }
  bool any_expr = std::any_of(all.begin(), all.end(),
                              [](const auto& x) { return x.kind == LicenseChoice::expression; });
  bool any_name = std::any_of(all.begin(), all.end(),
                              [](const auto& x) { return x.kind == LicenseChoice::name; });
  if (any_expr && !any_name) {
    out.is_expression = true;
    for (const auto& x : all) {
      if (!out.expression.empty()) out.expression += " AND ";
      bool wrap = all.size() > 1 && x.kind == LicenseChoice::expression;
      out.expression += wrap ? "(" + x.value + ")" : x.value;
    }
    return out;
  }
  // A list cannot hold an expression: keep it readable as a name.
  for (auto& x : all)
    if (x.kind == LicenseChoice::expression) x.kind = LicenseChoice::name;
  out.licenses = std::move(all);
  return out;
}

double component_confidence(const model::Component& c) {
  if (c.confidence > 0) return clamp01(c.confidence);
  double m = 0;
  for (const auto& e : c.evidence) m = std::max(m, clamp01(e.confidence));
  return m;
}

std::vector<Identity> cdx_identities(const model::Component& c,
                                     std::optional<std::size_t> primary) {
  std::vector<Identity> out;
  double conf = component_confidence(c);
  // Version methods: the evidence that implies the concluded version (if none does, all
  // evidence that implies some version; the summaries say which).
  bool any_exact = std::any_of(c.evidence.begin(), c.evidence.end(),
                               [&](const model::Evidence& e) { return e.version == c.version; });
  auto methods_for = [&](bool version_only) {
    std::vector<IdentityMethod> ms;
    std::set<std::tuple<std::string, double, std::string>> seen;
    for (const auto& e : c.evidence) {
      if (version_only && (e.version.empty() || (any_exact && e.version != c.version))) continue;
      IdentityMethod m{std::string(cdx_technique(e.method)), clamp01(e.confidence),
                       evidence_summary(e)};
      if (seen.emplace(m.technique, m.confidence, m.value).second) ms.push_back(std::move(m));
    }
    return ms;
  };
  out.push_back({"name", conf, c.name, methods_for(false)});
  if (!c.version.empty()) out.push_back({"version", conf, c.version, methods_for(true)});
  if (!c.purl.empty()) out.push_back({"purl", conf, c.purl, {}});
  if (primary) out.push_back({"cpe", conf, c.cpes[*primary], {}});
  return out;
}

std::vector<Occurrence> cdx_occurrences(const model::Component& c) {
  std::vector<Occurrence> out;
  std::set<std::pair<std::string, std::optional<std::uint64_t>>> seen;
  for (const auto& e : c.evidence) {
    std::string loc = location_of(e);
    if (loc.empty()) continue;
    if (!seen.emplace(loc, e.offset).second) continue;
    std::string ctx = e.matched.empty() ? e.method : e.method + ": " + e.matched;
    out.push_back({loc, e.offset, ctx});
  }
  for (const auto& f : c.files) {
    std::string loc = location_of(f);
    if (loc.empty()) continue;
    bool known = false;
    for (const auto& s : seen)
      if (s.first == loc) known = true;
    if (known) continue;
    seen.emplace(loc, std::nullopt);
    out.push_back({loc, std::nullopt, ""});
  }
  return out;
}

const model::FileHash* single_file(const model::Component& c) {
  if (c.files.size() == 1 && is_sha256_hex(c.files[0].sha256)) return &c.files[0];
  return nullptr;
}

std::string_view cdx_type(std::string_view t) {
  static constexpr std::array<std::string_view, 13> kTypes = {"application",
                                                              "framework",
                                                              "library",
                                                              "container",
                                                              "platform",
                                                              "operating-system",
                                                              "device",
                                                              "device-driver",
                                                              "firmware",
                                                              "file",
                                                              "machine-learning-model",
                                                              "data",
                                                              "cryptographic-asset"};
  for (auto k : kTypes)
    if (k == t) return k;
  return "library";
}

std::string_view cdx_target_type(const model::Target& t) {
  return t.kind == "image" ? "firmware" : "file";
}

std::vector<std::string> os_lines(const model::Sbom& sbom) {
  std::vector<std::string> out;
  for (const auto& os : sbom.operating_systems) {
    std::string s = !os.pretty_name.empty() ? os.pretty_name : os.name;
    std::string id = os.id;
    if (!os.version_id.empty()) id += (id.empty() ? "" : " ") + os.version_id;
    if (!id.empty()) s += (s.empty() ? "" : " ") + ("(" + id + ")");
    if (!os.path.empty()) s += " from " + os.path;
    out.push_back(one_line(s));
  }
  return out;
}

}  // namespace waybill::sbom::detail
