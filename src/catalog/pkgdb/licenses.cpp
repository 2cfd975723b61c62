#include "catalog/pkgdb/licenses.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "catalog/pkgdb/deb822.h"

namespace waybill::catalog {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Licence families whose SPDX ids carry "-only" / "-or-later" (base name -> SPDX base).
constexpr std::pair<std::string_view, std::string_view> kVersioned[] = {
    {"gpl-1", "GPL-1.0"},        {"gpl-1.0", "GPL-1.0"},      {"gpl-2", "GPL-2.0"},
    {"gpl-2.0", "GPL-2.0"},      {"gpl-3", "GPL-3.0"},        {"gpl-3.0", "GPL-3.0"},
    {"lgpl-2", "LGPL-2.0"},      {"lgpl-2.0", "LGPL-2.0"},    {"lgpl-2.1", "LGPL-2.1"},
    {"lgpl-3", "LGPL-3.0"},      {"lgpl-3.0", "LGPL-3.0"},    {"agpl-3", "AGPL-3.0"},
    {"agpl-3.0", "AGPL-3.0"},    {"gfdl-1.1", "GFDL-1.1"},    {"gfdl-1.2", "GFDL-1.2"},
    {"gfdl-1.3", "GFDL-1.3"},    {"gplv2", "GPL-2.0"},        {"gplv3", "GPL-3.0"},
    {"lgplv2", "LGPL-2.0"},      {"lgplv2.1", "LGPL-2.1"},    {"lgplv3", "LGPL-3.0"},
    {"gpl2", "GPL-2.0"},         {"gpl3", "GPL-3.0"},         {"lgpl2.1", "LGPL-2.1"},
    {"gpl-2.0-only", "GPL-2.0"}, {"gpl-3.0-only", "GPL-3.0"},
};

// Other names (lower case) -> SPDX id. SPDX ids map to themselves so that their case is fixed.
constexpr std::pair<std::string_view, std::string_view> kNames[] = {
    {"expat", "MIT"},
    {"mit", "MIT"},
    {"mit/x11", "MIT"},
    {"x11", "X11"},
    {"isc", "ISC"},
    {"zlib", "Zlib"},
    {"zlib/libpng", "Zlib"},
    {"libpng", "Libpng"},
    {"libpng-2.0", "libpng-2.0"},
    {"bsd-2-clause", "BSD-2-Clause"},
    {"bsd-3-clause", "BSD-3-Clause"},
    {"bsd-4-clause", "BSD-4-Clause"},
    {"bsd", "BSD-3-Clause"},
    {"bsd-2", "BSD-2-Clause"},
    {"bsd-3", "BSD-3-Clause"},
    {"0bsd", "0BSD"},
    {"apache-2.0", "Apache-2.0"},
    {"apache-2", "Apache-2.0"},
    {"apache-1.1", "Apache-1.1"},
    {"artistic", "Artistic-1.0-Perl"},
    {"artistic-1.0", "Artistic-1.0"},
    {"artistic-2.0", "Artistic-2.0"},
    {"mpl-1.1", "MPL-1.1"},
    {"mpl-2.0", "MPL-2.0"},
    {"epl-1.0", "EPL-1.0"},
    {"epl-2.0", "EPL-2.0"},
    {"cc0", "CC0-1.0"},
    {"cc0-1.0", "CC0-1.0"},
    {"cc-by-3.0", "CC-BY-3.0"},
    {"cc-by-4.0", "CC-BY-4.0"},
    {"cc-by-sa-3.0", "CC-BY-SA-3.0"},
    {"cc-by-sa-4.0", "CC-BY-SA-4.0"},
    {"public-domain", "LicenseRef-public-domain"},
    {"public domain", "LicenseRef-public-domain"},
    {"publicdomain", "LicenseRef-public-domain"},
    {"psf-2", "PSF-2.0"},
    {"psf-2.0", "PSF-2.0"},
    {"python", "Python-2.0"},
    {"python-2.0", "Python-2.0"},
    {"openssl", "OpenSSL"},
    {"ssleay", "SSLeay-standalone"},
    {"curl", "curl"},
    {"bsl-1.0", "BSL-1.0"},
    {"boost", "BSL-1.0"},
    {"wtfpl", "WTFPL"},
    {"beerware", "Beerware"},
    {"fsfap", "FSFAP"},
    {"fsful", "FSFUL"},
    {"fsfullr", "FSFULLR"},
    {"unicode-dfs-2016", "Unicode-DFS-2016"},
    {"unlicense", "Unlicense"},
    {"ncsa", "NCSA"},
    {"ofl-1.1", "OFL-1.1"},
    {"sleepycat", "Sleepycat"},
    {"tcl", "TCL"},
    {"imlib2", "Imlib2"},
    {"bzip2-1.0.6", "bzip2-1.0.6"},
    {"oldap-2.8", "OLDAP-2.8"},
    {"bsd-4-clause-uc", "BSD-4-Clause-UC"},
    {"bsd-1-clause", "BSD-1-Clause"},
    {"openssh", "SSH-OpenSSH"},
    {"ntp", "NTP"},
    {"edl-1.0", "BSD-3-Clause"},  // Eclipse Distribution License 1.0 is BSD-3-Clause
    {"beer-ware", "Beerware"},
    {"mit-0", "MIT-0"},
};

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

std::string collapse_ws(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool sp = false;
  for (char c : s) {
    bool w = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (w) {
      sp = !out.empty();
      continue;
    }
    if (sp) out.push_back(' ');
    sp = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

}  // namespace

std::string license_to_spdx(std::string_view name) {
  name = deb822::trim(name);
  while (!name.empty() && (name.back() == ',' || name.back() == ';' || name.back() == '.'))
    name.remove_suffix(1);
  if (name.empty()) return {};
  std::string l = lower(name);
  bool later = false;
  std::string base = l;
  if (ends_with(base, "-or-later")) {
    later = true;
    base.resize(base.size() - 9);
  } else if (ends_with(base, "+")) {
    later = true;
    base.pop_back();
  } else if (ends_with(base, "-only")) {
    base.resize(base.size() - 5);
  }
  for (auto [k, v] : kVersioned)
    if (base == k) return std::string(v) + (later ? "-or-later" : "-only");
  for (auto [k, v] : kNames)
    if (base == k) return std::string(v) + (later ? "+" : "");
  std::string ref = "LicenseRef-";
  for (char c : name)
    ref.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '.' || c == '-'
                      ? c
                      : '-');
  return ref;
}

std::vector<std::string> split_licenses(std::string_view field) {
  std::vector<std::string> out;
  std::string tok;
  bool skipping = false;  // inside "with <exception>"
  auto flush = [&] {
    if (!tok.empty() && !skipping) add_unique(out, license_to_spdx(tok));
    tok.clear();
  };
  std::size_t i = 0;
  while (i < field.size() && out.size() < 64) {
    char c = field[i];
    if (c == ',' || c == '|' || c == '&' || c == ';' || c == '(' || c == ')') {
      flush();
      skipping = false;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      std::size_t j = i;
      auto space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
      while (j < field.size() && space(field[j])) ++j;
      std::size_t k = j;
      while (k < field.size() && !space(field[k]) && field[k] != ',') ++k;
      std::string word = lower(field.substr(j, k - j));
      if (word == "or" || word == "and") {
        flush();
        skipping = false;
        i = k;
      } else if (word == "with") {
        flush();
        skipping = true;
        i = k;
      } else {
        // Multi-word names ("public domain") stay together.
        if (!tok.empty() && !skipping) tok.push_back(' ');
        i = j > i ? j : i + 1;  // always make progress
      }
      continue;
    }
    if (!skipping) tok.push_back(c);
    ++i;
  }
  flush();
  return out;
}

CopyrightLicenses licenses_from_copyright(std::string_view text) {
  CopyrightLicenses r;
  std::string_view head = text.substr(0, 512);
  auto fmt = head.find("Format:");
  bool dep5 =
      fmt != std::string_view::npos &&
      (head.find("copyright-format") != std::string_view::npos ||
       head.find("dep5") != std::string_view::npos || head.find("DEP5") != std::string_view::npos);
  if (dep5) {
    deb822::Options o;
    o.report_duplicates = false;
    o.max_value_bytes = 256u << 10;
    auto doc = deb822::parse(text, o);
    for (const auto& st : doc.stanzas)
      for (const auto& f : st.fields)
        if (deb822::iequals(f.name, "License"))
          for (auto& l : split_licenses(deb822::first_line(f.value))) add_unique(r.licenses, l);
    if (!r.licenses.empty()) {
      r.method = "dep5";
      return r;
    }
  }
  std::string norm = collapse_ws(text.substr(0, 1u << 20));
  bool any_later = norm.find("any later version") != std::string::npos;
  static constexpr std::string_view kRef = "/usr/share/common-licenses/";
  for (std::size_t p = norm.find(kRef); p != std::string::npos; p = norm.find(kRef, p + 1)) {
    std::size_t s = p + kRef.size(), e = s;
    while (e < norm.size() && (std::isalnum(static_cast<unsigned char>(norm[e])) ||
                               norm[e] == '-' || norm[e] == '.' || norm[e] == '+'))
      ++e;
    std::string name = norm.substr(s, e - s);
    while (!name.empty() && name.back() == '.') name.pop_back();
    if (name.empty() || name == "gpl" || name == "lgpl") continue;  // unversioned: no claim
    bool family = name.find("gpl") != std::string::npos || name.find("gfdl") != std::string::npos;
    if (family && any_later && name.back() != '+') name += "+";
    std::string id = license_to_spdx(name);
    if (id.rfind("LicenseRef-", 0) != 0) add_unique(r.licenses, id);
  }
  if (!r.licenses.empty()) {
    r.method = "common-licenses";
    return r;
  }
  // Plain-text copyright files: "GNU Lesser General Public License, version 2.1 (or, at your
  // option, any later version)" and similar.
  struct Phrase {
    std::string_view text, family;
  };
  static constexpr std::array<Phrase, 3> kPhrases = {{{"lesser general public license", "LGPL"},
                                                      {"library general public license", "LGPL"},
                                                      {"general public license", "GPL"}}};
  for (const auto& ph : kPhrases) {
    for (std::size_t p = norm.find(ph.text); p != std::string::npos;
         p = norm.find(ph.text, p + 1)) {
      if (ph.family == "GPL" && ((p >= 7 && norm.compare(p - 7, 7, "lesser ") == 0) ||
                                 (p >= 8 && norm.compare(p - 8, 8, "library ") == 0)))
        continue;
      std::string_view win = std::string_view(norm).substr(p + ph.text.size(), 120);
      auto v = win.find("version ");
      if (v == std::string_view::npos) continue;
      std::string_view num = win.substr(v + 8, 3);
      std::string ver;
      for (char c : num) {
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') break;
        ver.push_back(c);
      }
      while (!ver.empty() && ver.back() == '.') ver.pop_back();
      if (ver.empty()) continue;
      bool later =
          std::string_view(norm).substr(p, 240).find("any later version") != std::string_view::npos;
      add_unique(r.licenses,
                 license_to_spdx(std::string(ph.family) + "-" + ver + (later ? "+" : "")));
    }
  }
  if (!r.licenses.empty()) r.method = "text";
  return r;
}

}  // namespace waybill::catalog
