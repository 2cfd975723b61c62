#include "sbom/spdx_license.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace waybill::sbom {

namespace {

// Current (non-deprecated) SPDX licence ids seen in embedded firmware and Linux distributions.
constexpr std::array<std::string_view, 104> kLicenses = {
    "0BSD",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "Beerware",
    "blessing",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSD-4-Clause-UC",
    "BSD-Source-Code",
    "BSL-1.0",
    "bzip2-1.0.6",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CPL-1.0",
    "curl",
    "ECL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "FSFAP",
    "FSFUL",
    "FSFULLR",
    "FTL",
    "GFDL-1.1-only",
    "GFDL-1.1-or-later",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IJG",
    "Info-ZIP",
    "IPL-1.0",
    "ISC",
    "JSON",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "Libpng",
    "libpng-2.0",
    "libtiff",
    "LPL-1.02",
    "LPPL-1.3c",
    "MirOS",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MS-PL",
    "NCSA",
    "NTP",
    "OFL-1.1",
    "OLDAP-2.8",
    "OpenSSL",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Sleepycat",
    "Spencer-94",
    "SSPL-1.0",
    "TCL",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "zlib-acknowledgement",
    "ZPL-2.1",
};

constexpr std::array<std::string_view, 18> kExceptions = {
    "Autoconf-exception-2.0",     "Autoconf-exception-3.0",
    "Bison-exception-2.2",        "Bootloader-exception",
    "Classpath-exception-2.0",    "eCos-exception-2.0",
    "Font-exception-2.0",         "GCC-exception-2.0",
    "GCC-exception-3.1",          "GPL-3.0-linking-exception",
    "LGPL-3.0-linking-exception", "Libtool-exception",
    "Linux-syscall-note",         "LLVM-exception",
    "openvpn-openssl-exception",  "Qt-LGPL-exception-1.1",
    "u-boot-exception-2.0",       "WxWindows-exception-3.1",
};

// Deprecated SPDX ids and common non-SPDX spellings (Debian DEP-5, RPM, opkg) -> current id.
struct Alias {
  std::string_view from, to;
};
constexpr std::array<Alias, 38> kAliases = {{
    {"GPL-1.0", "GPL-1.0-only"},
    {"GPL-1.0+", "GPL-1.0-or-later"},
    {"GPL-1", "GPL-1.0-only"},
    {"GPL-1+", "GPL-1.0-or-later"},
    {"GPL-2.0", "GPL-2.0-only"},
    {"GPL-2.0+", "GPL-2.0-or-later"},
    {"GPL-2", "GPL-2.0-only"},
    {"GPL-2+", "GPL-2.0-or-later"},
    {"GPLv2", "GPL-2.0-only"},
    {"GPLv2+", "GPL-2.0-or-later"},
    {"GPL-3.0", "GPL-3.0-only"},
    {"GPL-3.0+", "GPL-3.0-or-later"},
    {"GPL-3", "GPL-3.0-only"},
    {"GPL-3+", "GPL-3.0-or-later"},
    {"GPLv3", "GPL-3.0-only"},
    {"GPLv3+", "GPL-3.0-or-later"},
    {"LGPL-2.0", "LGPL-2.0-only"},
    {"LGPL-2.0+", "LGPL-2.0-or-later"},
    {"LGPL-2", "LGPL-2.0-only"},
    {"LGPL-2+", "LGPL-2.0-or-later"},
    {"LGPL-2.1", "LGPL-2.1-only"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"LGPLv2.1", "LGPL-2.1-only"},
    {"LGPLv2.1+", "LGPL-2.1-or-later"},
    {"LGPL-3.0", "LGPL-3.0-only"},
    {"LGPL-3.0+", "LGPL-3.0-or-later"},
    {"LGPL-3", "LGPL-3.0-only"},
    {"LGPL-3+", "LGPL-3.0-or-later"},
    {"AGPL-3.0", "AGPL-3.0-only"},
    {"AGPL-3.0+", "AGPL-3.0-or-later"},
    {"GFDL-1.2", "GFDL-1.2-only"},
    {"GFDL-1.3", "GFDL-1.3-only"},
    {"Expat", "MIT"},
    {"Apache-2", "Apache-2.0"},
    {"BSD-2", "BSD-2-Clause"},
    {"BSD-3", "BSD-3-Clause"},
    {"PSF", "PSF-2.0"},
    {"ZLIB", "Zlib"},
}};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

template <std::size_t N>
std::optional<std::string> find_ci(const std::array<std::string_view, N>& table,
                                   std::string_view s) {
  for (std::string_view id : table)
    if (iequals(id, s)) return std::string(id);
  return std::nullopt;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Recursive-descent parser for: or := and ("OR" and)*; and := with ("AND" with)*;
// with := simple ("WITH" exception)?; simple := "(" or ")" | id | id "+" | LicenseRef-x.
class ExprParser {
 public:
  ExprParser(std::string_view s, std::vector<std::string>* unknown) : unknown_(unknown) {
    std::size_t i = 0;
    while (i < s.size()) {
      char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')') {
        toks_.emplace_back(1, c);
        ++i;
      } else {
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '(' &&
               s[j] != ')')
          ++j;
        toks_.emplace_back(s.substr(i, j - i));
        i = j;
      }
    }
  }

  std::optional<std::string> parse() {
    if (toks_.empty()) return std::nullopt;
    auto r = parse_or(0);
    if (!r || pos_ != toks_.size()) return std::nullopt;
    return r;
  }

 private:
  bool is_op(std::string_view want) const {
    return pos_ < toks_.size() && iequals(toks_[pos_], want);
  }

  // `depth` bounds recursion on hostile input.
  std::optional<std::string> parse_or(int depth) {
    if (depth > 64) return std::nullopt;
    auto left = parse_and(depth);
    if (!left) return std::nullopt;
    std::string out = *left;
    while (is_op("OR")) {
      ++pos_;
      auto right = parse_and(depth);
      if (!right) return std::nullopt;
      out += " OR " + *right;
    }
    return out;
  }

  std::optional<std::string> parse_and(int depth) {
    auto left = parse_with(depth);
    if (!left) return std::nullopt;
    std::string out = *left;
    while (is_op("AND")) {
      ++pos_;
      auto right = parse_with(depth);
      if (!right) return std::nullopt;
      out += " AND " + *right;
    }
    return out;
  }

  std::optional<std::string> parse_with(int depth) {
    auto lic = parse_simple(depth);
    if (!lic) return std::nullopt;
    if (!is_op("WITH")) return lic;
    ++pos_;
    if (pos_ >= toks_.size()) return std::nullopt;
    auto ex = spdx_exception_id(toks_[pos_]);
    if (!ex) return std::nullopt;
    ++pos_;
    return *lic + " WITH " + *ex;
  }

  std::optional<std::string> parse_simple(int depth) {
    if (pos_ >= toks_.size()) return std::nullopt;
    const std::string& t = toks_[pos_];
    if (t == "(") {
      ++pos_;
      auto inner = parse_or(depth + 1);
      if (!inner || pos_ >= toks_.size() || toks_[pos_] != ")") return std::nullopt;
      ++pos_;
      return "(" + *inner + ")";
    }
    if (t == ")" || iequals(t, "AND") || iequals(t, "OR") || iequals(t, "WITH"))
      return std::nullopt;
    ++pos_;
    if (starts_with_ci(t, "LicenseRef-") || starts_with_ci(t, "DocumentRef-")) {
      if (t.size() == 11) return std::nullopt;
      return license_ref_for(t.substr(11)).replace(0, 11, t.substr(0, 11));
    }
    if (auto id = spdx_license_id(t)) return *id;
    // "<id>+" where <id> is a current id ("or later" operator).
    if (t.size() > 1 && t.back() == '+') {
      if (auto id = spdx_license_id(std::string_view(t).substr(0, t.size() - 1))) return *id + "+";
    }
    if (!unknown_) return std::nullopt;
    unknown_->push_back(t);
    return license_ref_for(t);
  }

  std::vector<std::string> toks_;
  std::size_t pos_ = 0;
  std::vector<std::string>* unknown_;
};

}  // namespace

std::optional<std::string> spdx_license_id(std::string_view s) {
  s = trim(s);
  if (auto id = find_ci(kLicenses, s)) return id;
  for (const Alias& a : kAliases)
    if (iequals(a.from, s)) return std::string(a.to);
  return std::nullopt;
}

std::optional<std::string> spdx_exception_id(std::string_view s) {
  return find_ci(kExceptions, trim(s));
}

std::span<const std::string_view> known_spdx_license_ids() {
  return kLicenses;
}
std::span<const std::string_view> known_spdx_exception_ids() {
  return kExceptions;
}

bool looks_like_license_expression(std::string_view s) {
  if (s.find('(') != std::string_view::npos || s.find(')') != std::string_view::npos) return true;
  // An operator is a whole word between spaces.
  for (std::string_view op : {" AND ", " OR ", " WITH ", " and ", " or ", " with "})
    if (s.find(op) != std::string_view::npos) return true;
  return false;
}

std::optional<std::string> normalize_license_expression(std::string_view s,
                                                        std::vector<std::string>* unknown) {
  std::vector<std::string> local;
  ExprParser p(s, unknown ? &local : nullptr);
  auto r = p.parse();
  if (r && unknown) unknown->insert(unknown->end(), local.begin(), local.end());
  return r;
}

std::string license_ref_for(std::string_view s) {
  std::string out = "LicenseRef-";
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    out += ok ? c : '-';
  }
  if (out.size() == 11) out += "unknown";
  return out;
}

LicenseChoice classify_license(std::string_view s) {
  std::string_view t = trim(s);
  if (auto id = spdx_license_id(t)) return {LicenseChoice::id, *id};
  if (looks_like_license_expression(t)) {
    if (auto e = normalize_license_expression(t, nullptr)) {
      // A parenthesised single id is still one id.
      if (auto id = spdx_license_id(*e)) return {LicenseChoice::id, *id};
      return {LicenseChoice::expression, *e};
    }
  }
  return {LicenseChoice::name, std::string(t)};
}

}  // namespace waybill::sbom
