// Package URLs (https://github.com/package-url/purl-spec): parsing with percent-decoding and the
// comparison VEX statements need. Header-only on purpose: both the vuln stage (apply_vex) and the
// SBOM readers (sbom/input) use it, and those two libraries do not link each other.
//
// Parsing follows the spec's algorithm: split off `#subpath`, then `?qualifiers`, then the
// `pkg:` scheme (leading slashes after it are ignored), the type up to the first '/', the version
// after the last '@', the name as the last '/' segment and the namespace as the rest. Every
// segment is percent-decoded; types are lowercased; for the types whose spec says names are
// case-insensitive (deb, apk, alpm, bitbucket, github, pypi, composer, hex, npm) namespace and
// name are lowercased, and pypi names use '-' for '_'. Qualifier keys are lowercased and
// qualifiers with empty values dropped, as the spec says.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace waybill::purl {

struct Purl {
  std::string type, ns, name, version, subpath;                 // all percent-decoded
  std::vector<std::pair<std::string, std::string>> qualifiers;  // sorted by key

  // Value of a qualifier ("" when absent).
  std::string qualifier(std::string_view key) const {
    for (const auto& [k, v] : qualifiers)
      if (k == key) return v;
    return {};
  }
};

inline constexpr std::size_t kMaxPurlLength = 8192;

inline std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hex(s[i + 1]), l = hex(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// nullopt when `s` is not a purl (no "pkg:" scheme, no type or no name, or too long).
inline std::optional<Purl> parse_purl(std::string_view s) {
  if (s.size() > kMaxPurlLength) return std::nullopt;
  // Surrounding whitespace is tolerated in documents.
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() < 4 || ascii_lower(s.substr(0, 4)) != "pkg:") return std::nullopt;
  Purl p;
  std::string_view rest = s.substr(4);
  if (auto h = rest.rfind('#'); h != std::string_view::npos) {
    std::string_view sub = rest.substr(h + 1);
    rest = rest.substr(0, h);
    // Subpath segments: trimmed of '/', '.' and '..' dropped.
    std::string out;
    std::size_t i = 0;
    while (i <= sub.size()) {
      std::size_t e = sub.find('/', i);
      if (e == std::string_view::npos) e = sub.size();
      std::string seg = percent_decode(sub.substr(i, e - i));
      if (!seg.empty() && seg != "." && seg != "..") out += (out.empty() ? "" : "/") + seg;
      i = e + 1;
    }
    p.subpath = std::move(out);
  }
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    std::string_view qs = rest.substr(q + 1);
    rest = rest.substr(0, q);
    std::size_t i = 0;
    while (i <= qs.size()) {
      std::size_t e = qs.find('&', i);
      if (e == std::string_view::npos) e = qs.size();
      std::string_view kv = qs.substr(i, e - i);
      auto eq = kv.find('=');
      if (eq != std::string_view::npos && eq > 0) {
        std::string v = percent_decode(kv.substr(eq + 1));
        if (!v.empty()) p.qualifiers.emplace_back(ascii_lower(kv.substr(0, eq)), std::move(v));
      }
      i = e + 1;
    }
    std::stable_sort(p.qualifiers.begin(), p.qualifiers.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  p.type = ascii_lower(rest.substr(0, slash));
  rest = rest.substr(slash + 1);
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    p.version = percent_decode(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto last = rest.rfind('/');
  std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  std::string_view ns = last == std::string_view::npos ? std::string_view() : rest.substr(0, last);
  p.name = percent_decode(name);
  if (p.name.empty()) return std::nullopt;
  // Namespace segments, each decoded; empty segments dropped.
  std::size_t i = 0;
  while (i < ns.size()) {
    std::size_t e = ns.find('/', i);
    if (e == std::string_view::npos) e = ns.size();
    std::string seg = percent_decode(ns.substr(i, e - i));
    if (!seg.empty()) p.ns += (p.ns.empty() ? "" : "/") + seg;
    i = e + 1;
  }
  static constexpr std::string_view kCaseless[] = {
      "deb", "apk", "alpm", "bitbucket", "github", "pypi", "composer", "hex", "npm"};
  if (std::find(std::begin(kCaseless), std::end(kCaseless), p.type) != std::end(kCaseless)) {
    p.ns = ascii_lower(p.ns);
    p.name = ascii_lower(p.name);
  }
  if (p.type == "pypi") std::replace(p.name.begin(), p.name.end(), '_', '-');
  return p;
}

// Does a component's purl satisfy a statement's purl? Type, namespace and name must be equal;
// the version must be equal when the statement gives one; every qualifier and the subpath the
// statement gives must be present with the same value in the component's purl (qualifiers the
// statement leaves out are ignored).
inline bool purl_matches(const Purl& statement, const Purl& component) {
  if (statement.type != component.type || statement.ns != component.ns ||
      statement.name != component.name)
    return false;
  if (!statement.version.empty() && statement.version != component.version) return false;
  if (!statement.subpath.empty() && statement.subpath != component.subpath) return false;
  for (const auto& [k, v] : statement.qualifiers)
    if (component.qualifier(k) != v) return false;
  return true;
}

}  // namespace waybill::purl
