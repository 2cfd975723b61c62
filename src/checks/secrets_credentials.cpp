// Check "secrets/credentials" (FW-02): hard-coded credentials and tokens in configuration files,
// web roots and scripts.
//
// Two kinds of evidence, both from data/checks/content-checks.json "secrets":
//  - known token formats (AWS access key ids, GitHub, Slack, Google API keys, "<svc>_live_..."
//    API keys with an entropy check) anywhere in a text line;
//  - assignments whose key names a secret (password, passwd, secret, token, api_key, psk ...)
//    with a real value: shell/INI "key=value", "key: value", UCI "option key 'value'" and JSON
//    "key": "value". Empty values, variable references ($X, ${X}, %X%, {{x}}), file paths and
//    placeholders are not values; documented public sample values are ignored with a reason.
// Values are masked in the finding (first and last character only).
#include <re2/re2.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checks/check.h"
#include "core/embedded.h"

namespace waybill::checks {
namespace {

constexpr std::string_view kId = "secrets/credentials";
constexpr std::size_t kMaxLines = 200000;
constexpr std::size_t kMaxLineBytes = 4096;
constexpr std::uint64_t kMaxFileBytes = 2ull << 20;
constexpr std::size_t kMaxFindingsPerFile = 50;

struct TokenRule {
  std::string id, title;
  double min_entropy = 0;
  std::unique_ptr<RE2> re;
};

struct Ignore {
  std::string path, value, why;
};

struct Tables {
  std::vector<std::string> files, skip_suffixes, skip_files, placeholders;
  std::vector<std::string_view> wants;
  std::unique_ptr<RE2> key_name, key_exclude;
  std::vector<TokenRule> tokens;
  std::vector<Ignore> ignore;
  double generic_min_entropy = 3.0;
  std::size_t generic_min_length = 16;
  std::vector<model::CatalogRef> catalog;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    RE2::Options o;
    o.set_log_errors(false);
    auto cc = nlohmann::json::parse(data::content_checks_json(), nullptr, false);
    if (!cc.is_object() || !cc.contains("secrets")) {
      t.key_name = std::make_unique<RE2>("$^", o);
      t.key_exclude = std::make_unique<RE2>("$^", o);
      return t;
    }
    const auto& s = cc["secrets"];
    auto strings = [&](const char* k, std::vector<std::string>& v) {
      for (const auto& x : s[k]) v.push_back(x.get<std::string>());
    };
    strings("files", t.files);
    strings("skip_suffixes", t.skip_suffixes);
    strings("skip_files", t.skip_files);
    strings("placeholders", t.placeholders);
    for (const auto& f : t.files) t.wants.push_back(f);
    t.key_name = std::make_unique<RE2>(s.value("secret_key_name", "$^"), o);
    t.key_exclude = std::make_unique<RE2>(s.value("key_name_exclude", "$^"), o);
    for (const auto& j : s["tokens"]) {
      TokenRule r;
      r.id = j.value("id", "");
      r.title = j.value("title", "");
      r.min_entropy = j.value("min_entropy", 0.0);
      r.re = std::make_unique<RE2>(j.value("regex", ""), o);
      if (r.re->ok() && r.re->NumberOfCapturingGroups() >= 1) t.tokens.push_back(std::move(r));
    }
    for (const auto& j : s["ignore"])
      t.ignore.push_back({j.value("path", ""), j.value("value", ""), j.value("why", "")});
    t.generic_min_entropy = s.value("generic_min_entropy", 3.0);
    t.generic_min_length = s.value("generic_min_length", std::size_t{16});
    for (const auto& r : cc["catalog"]["FW-02"])
      if (r.is_array() && r.size() == 2)
        t.catalog.push_back({r[0].get<std::string>(), r[1].get<std::string>()});
    return t;
  }();
  return t;
}

// Shannon entropy in bits per character.
double entropy(std::string_view s) {
  if (s.empty()) return 0;
  int counts[256] = {};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  for (int c : counts) {
    if (c == 0) continue;
    double p = static_cast<double>(c) / static_cast<double>(s.size());
    h -= p * std::log2(p);
  }
  return h;
}

std::string mask(std::string_view s) {
  if (s.size() <= 3) return "***";
  return std::string(1, s.front()) + "***" + std::string(1, s.back());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == ';' || s.back() == ','))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The value of an assignment's right-hand side: quoted string content, or the bare word up to
// a trailing comment.
std::string_view unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && (v[0] == '"' || v[0] == '\'')) {
    std::size_t end = v.find(v[0], 1);
    if (end == std::string_view::npos) return v.substr(1);
    return v.substr(1, end - 1);
  }
  for (std::size_t i = 0; i < v.size(); ++i)
    if ((v[i] == '#' || v[i] == ';') && (i == 0 || v[i - 1] == ' ' || v[i - 1] == '\t'))
      return trim(v.substr(0, i));
  return v;
}

class SecretsCredentials final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{kId, "hard-coded passwords, API tokens and keys in configuration"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return tables().wants; }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    const Tables& t = tables();
    for (const auto& f : index.files()) {
      if (!f.retained || f.type != unpack::EntryType::file || f.content.size() > kMaxFileBytes)
        continue;
      if (!in_scope(t, f.path)) continue;
      scan(t, f, out);
    }
  }

 private:
  static bool in_scope(const Tables& t, std::string_view path) {
    for (const auto& s : t.skip_files)
      if (path == s) return false;
    for (const auto& s : t.skip_suffixes)
      if (path.ends_with(s)) return false;
    for (const auto& g : t.files)
      if (catalog::glob_match(g, path)) return true;
    return false;
  }

  bool placeholder(const Tables& t, std::string_view v) const {
    if (v.empty()) return true;
    if (v[0] == '$' || v[0] == '%' || v[0] == '/' || v[0] == '<' || v[0] == '`' ||
        v.starts_with("{{") || v.starts_with("file:") || v.starts_with("env:"))
      return true;
    std::string l = lower(v);
    for (const auto& p : t.placeholders)
      if (l == p) return true;
    // A run of one repeated character ("xxxx", "****", "0000"-style masks) is a placeholder.
    if (v.size() >= 3 && v.find_first_not_of(v[0]) == std::string_view::npos &&
        (v[0] == 'x' || v[0] == 'X' || v[0] == '*' || v[0] == '.'))
      return true;
    return false;
  }

  const Ignore* ignored(const Tables& t, std::string_view path, std::string_view value) const {
    for (const auto& ig : t.ignore)
      if (ig.path == path && ig.value == value) return &ig;
    return nullptr;
  }

  void add(CheckOutput& out, const catalog::FileRecord& f, std::uint32_t line, std::string rule,
           std::string severity, std::string title, std::string detail,
           std::string evidence) const {
    model::CheckFinding fd;
    fd.check = std::string(kId);
    fd.rule = std::move(rule);
    fd.severity = std::move(severity);
    fd.title = std::move(title);
    fd.detail = std::move(detail);
    fd.root = f.root;
    fd.path = f.path;
    fd.line = line;
    fd.evidence = std::move(evidence);
    fd.catalog = tables().catalog;
    out.findings.push_back(std::move(fd));
  }

  // key and value of an assignment on this line, if it is one.
  static bool assignment(std::string_view l, std::string& key, std::string& value) {
    static const RE2 uci(R"(^\s*option\s+([A-Za-z0-9_.-]+)\s+(.*)$)");
    static const RE2 json(R"re("([A-Za-z0-9_.-]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)")re");
    static const RE2 kv(
        R"(^\s*(?:export\s+|set\s+|local\s+|readonly\s+)?([A-Za-z0-9_.-]{1,64})\s*[=:]\s*(.*)$)");
    std::string rhs;
    if (RE2::PartialMatch(l, uci, &key, &rhs) || RE2::PartialMatch(l, kv, &key, &rhs)) {
      value = std::string(unquote(rhs));
      return true;
    }
    if (RE2::PartialMatch(l, json, &key, &value)) return true;
    return false;
  }

  void scan(const Tables& t, const catalog::FileRecord& f, CheckOutput& out) const {
    std::string_view text = f.content;
    if (text.substr(0, 8192).find('\0') != std::string_view::npos) return;  // binary
    std::size_t before = out.findings.size();
    std::size_t i = 0;
    std::uint32_t no = 0;
    while (i < text.size() && no < kMaxLines) {
      std::size_t j = text.find('\n', i);
      if (j == std::string_view::npos) j = text.size();
      std::string_view l = text.substr(i, j - i);
      i = j + 1;
      ++no;
      if (out.findings.size() - before >= kMaxFindingsPerFile) {
        out.diagnostics.add(Severity::info, Errc::limit_exceeded, std::string(kId), f.path,
                            std::nullopt,
                            "more than " + std::to_string(kMaxFindingsPerFile) +
                                " secrets; the rest of the file is not reported");
        return;
      }
      if (l.size() > kMaxLineBytes) continue;
      std::string_view tl = trim(l);
      if (tl.empty() || tl[0] == '#' || tl[0] == ';' || tl.starts_with("//")) continue;

      // Known token formats anywhere in the line.
      bool token_found = false;
      for (const auto& r : t.tokens) {
        std::string tok;
        if (!RE2::PartialMatch(l, *r.re, &tok)) continue;
        if (r.min_entropy > 0 && entropy(tok) < r.min_entropy) continue;
        if (ignored(t, f.path, tok)) continue;
        token_found = true;
        add(out, f, no, r.id, "high", "hard-coded " + r.title,
            "a value in the format of a " + r.title + " (rule '" + r.id +
                "', data/checks/content-checks.json) is stored in the image; every device "
                "carries the same credential (entropy " +
                std::to_string(entropy(tok)).substr(0, 4) + " bits/char)",
            mask(tok));
      }
      if (token_found) continue;

      std::string key, value;
      if (!assignment(l, key, value)) continue;
      if (!RE2::PartialMatch(key, *t.key_name) || RE2::PartialMatch(key, *t.key_exclude)) continue;
      if (placeholder(t, value)) continue;
      // Several words are a prompt or a description ("challengePassword = A challenge
      // password"), not a credential.
      if (value.find_first_of(" \t") != std::string::npos) continue;
      if (const Ignore* ig = ignored(t, f.path, value)) {
        out.diagnostics.add(
            Severity::info, Errc::not_this_format, std::string(kId), f.path, std::nullopt,
            "line " + std::to_string(no) + ": '" + key + "' not reported: " + ig->why);
        continue;
      }
      double h = entropy(value);
      bool tokenish = value.size() >= t.generic_min_length && h >= t.generic_min_entropy;
      std::string lk = lower(key);
      bool is_password =
          lk.find("pass") != std::string::npos || lk.find("pwd") != std::string::npos;
      std::string what = tokenish && !is_password ? "secret token" : "password";
      add(out, f, no, tokenish && !is_password ? "hardcoded-token" : "hardcoded-password", "high",
          "hard-coded " + what + " in '" + key + "'",
          "the key '" + key + "' names a secret and has a literal value of " +
              std::to_string(value.size()) + " characters (entropy " +
              std::to_string(h).substr(0, 4) +
              " bits/char); a credential shipped in the image is the same on every device",
          key + " = " + mask(value));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_secrets_credentials_check() {
  return std::make_unique<SecretsCredentials>();
}

}  // namespace waybill::checks
