#include "catalog/component_db.h"

#include <re2/re2.h>

#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/embedded.h"

namespace waybill::catalog {

namespace {

using json = nlohmann::json;

std::string str_or_empty(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

struct ComponentDb {
  std::vector<ComponentInfo> items;
  std::unordered_map<std::string, std::size_t> by_name;

  ComponentDb() {
    json doc = json::parse(data::components_json(), nullptr, false);
    if (doc.is_discarded() || !doc.contains("components") || !doc["components"].is_array()) return;
    for (const auto& c : doc["components"]) {
      if (!c.is_object()) continue;
      ComponentInfo info;
      info.name = str_or_empty(c, "name");
      if (info.name.empty()) continue;
      info.aliases = strings(c, "aliases");
      info.cpes = strings(c, "cpes");
      info.supplier = str_or_empty(c, "supplier");
      info.homepage = str_or_empty(c, "homepage");
      info.license = str_or_empty(c, "license");
      items.push_back(std::move(info));
    }
    // Canonical names win over aliases of other entries.
    for (std::size_t i = 0; i < items.size(); ++i) by_name.emplace(items[i].name, i);
    for (std::size_t i = 0; i < items.size(); ++i)
      for (const auto& a : items[i].aliases) by_name.emplace(a, i);
  }
};

const ComponentDb& db() {
  static const ComponentDb d;
  return d;
}

struct FileRule {
  std::unique_ptr<RE2> re;
  std::string project, version, note;
};

struct LibraryDb {
  std::unordered_map<std::string, LibraryFileFact> exact;
  std::vector<FileRule> rules;

  LibraryDb() {
    json doc = json::parse(data::soname_versions_json(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return;
    if (auto it = doc.find("libraries"); it != doc.end() && it->is_array())
      for (const auto& l : *it) {
        if (!l.is_object()) continue;
        std::string file = str_or_empty(l, "file");
        if (file.empty()) continue;
        exact[file] = {str_or_empty(l, "project"), str_or_empty(l, "version"),
                       str_or_empty(l, "note")};
      }
    if (auto it = doc.find("rules"); it != doc.end() && it->is_array())
      for (const auto& r : *it) {
        if (!r.is_object()) continue;
        FileRule rule;
        rule.re = std::make_unique<RE2>(str_or_empty(r, "pattern"));
        if (!rule.re->ok()) continue;
        rule.project = str_or_empty(r, "project");
        rule.version = str_or_empty(r, "version");
        rule.note = str_or_empty(r, "note");
        rules.push_back(std::move(rule));
      }
  }
};

const LibraryDb& libdb() {
  static const LibraryDb d;
  return d;
}

// Replace "{N}" in `tmpl` with capture group N.
std::string expand(std::string_view tmpl, const std::vector<std::string>& groups) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() &&
        std::isdigit(static_cast<unsigned char>(tmpl[i + 1])) && tmpl[i + 2] == '}') {
      std::size_t g = static_cast<std::size_t>(tmpl[i + 1] - '0');
      if (g >= 1 && g <= groups.size()) out += groups[g - 1];
      i += 2;
    } else {
      out.push_back(tmpl[i]);
    }
  }
  return out;
}

// One CPE 2.3 formatted-string component: lowercase, whitespace as '_', and every printable
// character other than letters, digits, '_', '-' and '.' quoted with a backslash. "" -> "*".
std::string cpe_escape(std::string_view v) {
  if (v.empty()) return "*";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c)) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == '_' || c == '-' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else if (std::isspace(c)) {
      out.push_back('_');
    } else if (c > 0x20 && c < 0x7f) {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    }  // control and non-ASCII bytes are dropped: not representable in a CPE name
  }
  return out.empty() ? "*" : out;
}

}  // namespace

const ComponentInfo* lookup_component(std::string_view name_or_alias) {
  const auto& d = db();
  auto it = d.by_name.find(std::string(name_or_alias));
  return it == d.by_name.end() ? nullptr : &d.items[it->second];
}

const std::vector<ComponentInfo>& all_components() {
  return db().items;
}

std::optional<LibraryFileFact> lookup_library_file(std::string_view file_name) {
  const auto& d = libdb();
  if (auto it = d.exact.find(std::string(file_name)); it != d.exact.end()) return it->second;
  for (const auto& r : d.rules) {
    const int n = r.re->NumberOfCapturingGroups();
    std::vector<std::string> groups(static_cast<std::size_t>(n));
    std::vector<RE2::Arg> args(groups.size());
    std::vector<const RE2::Arg*> argp(groups.size());
    for (std::size_t i = 0; i < groups.size(); ++i) {
      args[i] = &groups[i];
      argp[i] = &args[i];
    }
    if (RE2::FullMatchN(re2::StringPiece(file_name.data(), file_name.size()), *r.re, argp.data(),
                        n))
      return LibraryFileFact{r.project, expand(r.version, groups), r.note};
  }
  return std::nullopt;
}

std::string make_cpe23(std::string_view vendor_product, std::string_view version,
                       std::string_view part) {
  auto colon = vendor_product.find(':');
  std::string_view vendor = vendor_product.substr(0, colon);
  std::string_view product =
      colon == std::string_view::npos ? vendor_product : vendor_product.substr(colon + 1);
  std::string out = "cpe:2.3:";
  out += part.empty() ? std::string("a") : cpe_escape(part);
  out += ":" + cpe_escape(vendor) + ":" + cpe_escape(product) + ":" + cpe_escape(version);
  out += ":*:*:*:*:*:*:*";
  return out;
}

}  // namespace waybill::catalog
