// Reading the policy file (yaml-cpp). Strict: every key is known, every value has the right
// shape, and an error names the file, the 1-based line and the key.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "policy/policy.h"

namespace waybill::policy {

namespace {

constexpr std::size_t kMaxPolicyBytes = 4u << 20;

struct Ctx {
  std::string file;
  Error err(const YAML::Node& n, const std::string& msg) const {
    int line = n.IsDefined() ? n.Mark().line + 1 : 0;
    return Error(Errc::usage,
                 file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + msg);
  }
};

int line_of(const YAML::Node& n) {
  return n.IsDefined() ? n.Mark().line + 1 : 0;
}

Status check_keys(const Ctx& c, const YAML::Node& map, const std::string& where,
                  std::initializer_list<std::string_view> known) {
  if (!map.IsMap()) return c.err(map, where + ": expected a mapping");
  for (const auto& kv : map) {
    std::string k = kv.first.as<std::string>("");
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      std::string list;
      for (auto s : known) list += (list.empty() ? "" : ", ") + std::string(s);
      return c.err(kv.first, "unknown key '" + k + "' in " + where + " (known: " + list + ")");
    }
  }
  return Status::success();
}

Result<std::string> scalar(const Ctx& c, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) return c.err(n, key + ": expected a single value");
  return n.as<std::string>();
}

Result<std::vector<std::string>> strings(const Ctx& c, const YAML::Node& n,
                                         const std::string& key) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return out;
  }
  if (!n.IsSequence()) return c.err(n, key + ": expected a list of values");
  for (const auto& e : n) {
    if (!e.IsScalar()) return c.err(e, key + ": expected a list of values");
    out.push_back(e.as<std::string>());
  }
  return out;
}

Status one_of(const Ctx& c, const YAML::Node& n, const std::string& key, const std::string& v,
              std::initializer_list<std::string_view> allowed) {
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return Status::success();
  std::string list;
  for (auto s : allowed) list += (list.empty() ? "" : ", ") + std::string(s);
  return c.err(n, key + ": '" + v + "' is not one of " + list);
}

Status read_severity(const Ctx& c, const YAML::Node& n, const std::string& key, std::string& out) {
  auto v = scalar(c, n, key);
  if (!v) return v.error();
  std::string s = *v;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (auto st = one_of(c, n, key, s, {"critical", "high", "medium", "low", "info", "none"}); !st)
    return st;
  out = s;
  return Status::success();
}

Status read_mode(const Ctx& c, const YAML::Node& n, const std::string& key, std::string& out,
                 std::initializer_list<std::string_view> allowed) {
  auto v = scalar(c, n, key);
  if (!v) return v.error();
  if (auto st = one_of(c, n, key, *v, allowed); !st) return st;
  out = *v;
  return Status::success();
}

Status read_selector(const Ctx& c, const YAML::Node& n, const std::string& where,
                     ComponentSelector& sel, std::initializer_list<std::string_view> extra_keys,
                     std::vector<std::pair<std::string, YAML::Node>>* extras) {
  if (!n.IsMap()) return c.err(n, where + ": expected a mapping");
  std::string scheme = "generic";
  if (n["scheme"]) {
    auto s = scalar(c, n["scheme"], where + ".scheme");
    if (!s) return s.error();
    if (auto st = one_of(c, n["scheme"], where + ".scheme", *s,
                         {"generic", "deb", "rpm", "apk", "semver"});
        !st)
      return st;
    scheme = *s;
  }
  for (const auto& kv : n) {
    std::string k = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (k == "name" || k == "purl" || k == "supplier") {
      auto s = scalar(c, v, where + "." + k);
      if (!s) return s.error();
      (k == "name" ? sel.name : k == "purl" ? sel.purl : sel.supplier) = *s;
    } else if (k == "versions") {
      auto s = scalar(c, v, where + ".versions");
      if (!s) return s.error();
      auto vc = parse_constraint(*s, scheme);
      if (!vc) return c.err(v, where + ".versions: " + vc.error().message);
      sel.versions = *vc;
    } else if (k == "scheme") {
      continue;
    } else if (std::find(extra_keys.begin(), extra_keys.end(), k) != extra_keys.end()) {
      if (extras) extras->emplace_back(k, v);
    } else {
      std::string list = "name, purl, supplier, versions, scheme";
      for (auto s : extra_keys) list += ", " + std::string(s);
      return c.err(kv.first, "unknown key '" + k + "' in " + where + " (known: " + list + ")");
    }
  }
  if (sel.name.empty() && sel.purl.empty() && sel.supplier.empty())
    return c.err(n, where + ": give at least one of name, purl, supplier");
  return Status::success();
}

Status read_suppliers(const Ctx& c, const YAML::Node& n, Policy& p) {
  if (n.IsMap()) {
    // suppliers: {unlisted: warn, list: [...]}
    if (auto st = check_keys(c, n, "suppliers", {"unlisted", "list"}); !st) return st;
    if (n["unlisted"])
      if (auto st = read_mode(c, n["unlisted"], "suppliers.unlisted", p.unlisted_supplier,
                              {"allow", "warn", "error"});
          !st)
        return st;
    if (!n["list"]) return Status::success();
    return read_suppliers(c, n["list"], p);
  }
  if (!n.IsSequence()) return c.err(n, "suppliers: expected a list");
  for (const auto& e : n) {
    if (!e.IsMap()) return c.err(e, "suppliers[]: expected a mapping");
    if (auto st = check_keys(c, e, "suppliers[]", {"name", "match", "trust", "keys", "require"});
        !st)
      return st;
    Supplier s;
    s.line = line_of(e);
    if (!e["name"]) return c.err(e, "suppliers[]: 'name' is required");
    auto nm = scalar(c, e["name"], "suppliers[].name");
    if (!nm) return nm.error();
    s.name = *nm;
    if (e["match"]) {
      if (auto st = read_selector(c, e["match"], "suppliers[].match", s.match, {}, nullptr); !st)
        return st;
    } else {
      s.match.supplier = s.name + "*";
    }
    if (e["trust"]) {
      std::string t;
      if (auto st = read_mode(c, e["trust"], "suppliers[].trust", t,
                              {"trusted", "conditional", "untrusted"});
          !st)
        return st;
      s.trust = t == "trusted"     ? TrustLevel::trusted
                : t == "untrusted" ? TrustLevel::untrusted
                                   : TrustLevel::conditional;
    }
    if (e["keys"]) {
      auto k = strings(c, e["keys"], "suppliers[].keys");
      if (!k) return k.error();
      for (auto& key : *k) {
        std::string h;
        for (char ch : key)
          if (std::isxdigit(static_cast<unsigned char>(ch)))
            h += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (key.rfind("sha256:", 0) == 0) h = h.substr(h.size() >= 64 ? h.size() - 64 : 0);
        if (h.size() != 64)
          return c.err(e["keys"], "suppliers[].keys: '" + key +
                                      "' is not a SHA-256 key fingerprint (64 hex digits)");
        s.keys.push_back(h);
      }
    }
    if (e["require"]) {
      auto r = strings(c, e["require"], "suppliers[].require");
      if (!r) return r.error();
      for (const auto& x : *r)
        if (auto st = one_of(c, e["require"], "suppliers[].require", x,
                             {"signature", "provenance", "sbom-hashes", "attestation"});
            !st)
          return st;
      s.require = *r;
    }
    p.suppliers.push_back(std::move(s));
  }
  return Status::success();
}

Status read_components(const Ctx& c, const YAML::Node& n, Policy& p) {
  if (auto st = check_keys(c, n, "components", {"require_supplier", "banned", "end_of_life"}); !st)
    return st;
  if (n["require_supplier"]) {
    const auto& v = n["require_supplier"];
    std::string s = v.as<std::string>("");
    if (s == "true") s = "error";
    if (s == "false") s = "allow";
    if (auto st = one_of(c, v, "components.require_supplier", s, {"allow", "warn", "error"}); !st)
      return st;
    p.require_supplier = s;
  }
  if (const auto& b = n["banned"]) {
    if (!b.IsSequence()) return c.err(b, "components.banned: expected a list");
    for (const auto& e : b) {
      BannedComponent bc;
      bc.line = line_of(e);
      std::vector<std::pair<std::string, YAML::Node>> ex;
      if (auto st = read_selector(c, e, "components.banned[]", bc.match, {"reason"}, &ex); !st)
        return st;
      for (auto& [k, v] : ex) bc.reason = v.as<std::string>("");
      p.banned.push_back(std::move(bc));
    }
  }
  if (const auto& b = n["end_of_life"]) {
    if (!b.IsSequence()) return c.err(b, "components.end_of_life: expected a list");
    for (const auto& e : b) {
      EndOfLife eol;
      eol.line = line_of(e);
      std::vector<std::pair<std::string, YAML::Node>> ex;
      if (auto st =
              read_selector(c, e, "components.end_of_life[]", eol.match, {"reason", "date"}, &ex);
          !st)
        return st;
      for (auto& [k, v] : ex) (k == "reason" ? eol.reason : eol.date) = v.as<std::string>("");
      p.end_of_life.push_back(std::move(eol));
    }
  }
  return Status::success();
}

Status read_licenses(const Ctx& c, const YAML::Node& n, Policy& p) {
  if (auto st = check_keys(c, n, "licenses", {"allow", "deny", "unknown"}); !st) return st;
  if (n["allow"]) {
    auto v = strings(c, n["allow"], "licenses.allow");
    if (!v) return v.error();
    p.license_allow = *v;
  }
  if (n["deny"]) {
    auto v = strings(c, n["deny"], "licenses.deny");
    if (!v) return v.error();
    p.license_deny = *v;
  }
  if (n["unknown"])
    if (auto st = read_mode(c, n["unknown"], "licenses.unknown", p.license_unknown,
                            {"allow", "warn", "error"});
        !st)
      return st;
  return Status::success();
}

Status read_vulns(const Ctx& c, const YAML::Node& n, Policy& p) {
  if (auto st = check_keys(c, n, "vulnerabilities",
                           {"max_severity", "kev", "max_epss", "count_suppressed", "ignore"});
      !st)
    return st;
  if (n["max_severity"])
    if (auto st =
            read_severity(c, n["max_severity"], "vulnerabilities.max_severity", p.max_severity);
        !st)
      return st;
  if (n["kev"])
    if (auto st = read_mode(c, n["kev"], "vulnerabilities.kev", p.kev, {"allow", "warn", "deny"});
        !st)
      return st;
  if (n["max_epss"]) {
    auto s = scalar(c, n["max_epss"], "vulnerabilities.max_epss");
    if (!s) return s.error();
    try {
      std::size_t pos = 0;
      double d = std::stod(*s, &pos);
      if (pos != s->size() || d < 0 || d > 1) throw std::invalid_argument("range");
      p.max_epss = d;
    } catch (...) {
      return c.err(n["max_epss"], "vulnerabilities.max_epss: expected a number from 0 to 1");
    }
  }
  if (n["count_suppressed"]) {
    std::string s = n["count_suppressed"].as<std::string>("");
    if (s != "true" && s != "false")
      return c.err(n["count_suppressed"], "vulnerabilities.count_suppressed: expected true/false");
    p.count_suppressed = s == "true";
  }
  if (const auto& ig = n["ignore"]) {
    if (!ig.IsSequence()) return c.err(ig, "vulnerabilities.ignore: expected a list");
    for (const auto& e : ig) {
      if (auto st = check_keys(c, e, "vulnerabilities.ignore[]",
                               {"id", "component", "reason", "expires"});
          !st)
        return st;
      IgnoreVuln iv;
      iv.line = line_of(e);
      if (!e["id"]) return c.err(e, "vulnerabilities.ignore[]: 'id' is required");
      iv.id = e["id"].as<std::string>("");
      iv.component = e["component"].as<std::string>("");
      iv.reason = e["reason"].as<std::string>("");
      iv.expires = e["expires"].as<std::string>("");
      if (iv.reason.empty())
        return c.err(e, "vulnerabilities.ignore[]: 'reason' is required (say why it is accepted)");
      if (!iv.expires.empty() &&
          (iv.expires.size() != 10 || iv.expires[4] != '-' || iv.expires[7] != '-'))
        return c.err(e["expires"], "vulnerabilities.ignore[].expires: expected YYYY-MM-DD");
      p.ignore_vulns.push_back(std::move(iv));
    }
  }
  return Status::success();
}

Status read_checks(const Ctx& c, const YAML::Node& n, Policy& p) {
  if (auto st = check_keys(c, n, "checks", {"fail_on", "ignore"}); !st) return st;
  if (n["fail_on"])
    if (auto st = read_severity(c, n["fail_on"], "checks.fail_on", p.checks_fail_on); !st)
      return st;
  if (const auto& ig = n["ignore"]) {
    if (!ig.IsSequence()) return c.err(ig, "checks.ignore: expected a list");
    for (const auto& e : ig) {
      if (auto st = check_keys(c, e, "checks.ignore[]", {"check", "path", "reason"}); !st)
        return st;
      IgnoreCheck ic;
      ic.line = line_of(e);
      ic.check = e["check"].as<std::string>("");
      ic.path = e["path"].as<std::string>("");
      ic.reason = e["reason"].as<std::string>("");
      if (ic.check.empty()) return c.err(e, "checks.ignore[]: 'check' is required");
      if (ic.reason.empty()) return c.err(e, "checks.ignore[]: 'reason' is required");
      p.ignore_checks.push_back(std::move(ic));
    }
  }
  return Status::success();
}

Status read_trust(const Ctx& c, const YAML::Node& n, Policy& p) {
  if (auto st = check_keys(c, n, "trust", {"require", "builders", "sources"}); !st) return st;
  if (n["require"]) {
    auto r = strings(c, n["require"], "trust.require");
    if (!r) return r.error();
    for (const auto& x : *r)
      if (auto st = one_of(c, n["require"], "trust.require", x,
                           {"signature", "provenance", "sbom-hashes", "attestation"});
          !st)
        return st;
    p.trust_require = *r;
  }
  if (n["builders"]) {
    auto r = strings(c, n["builders"], "trust.builders");
    if (!r) return r.error();
    p.builders = *r;
  }
  if (n["sources"]) {
    auto r = strings(c, n["sources"], "trust.sources");
    if (!r) return r.error();
    p.sources = *r;
  }
  return Status::success();
}

}  // namespace

Result<Policy> parse_policy(std::string_view name, std::string_view text) {
  Ctx c{std::string(name)};
  if (text.size() > kMaxPolicyBytes)
    return Error(Errc::limit_exceeded, c.file + ": policy larger than 4 MiB");
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error(Errc::usage, c.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  Policy p;
  p.path = c.file;
  try {
    if (!root.IsMap()) return Error(Errc::usage, c.file + ": a policy is a YAML mapping");
    if (auto st = check_keys(c, root, "the policy",
                             {"version", "suppliers", "components", "licenses", "vulnerabilities",
                              "checks", "trust", "on_violation", "today"});
        !st)
      return st.error();
    if (!root["version"]) return c.err(root, "'version: 1' is required");
    if (root["version"].as<std::string>("") != "1")
      return c.err(root["version"], "unsupported policy version (this waybill reads version 1)");
    if (root["suppliers"])
      if (auto st = read_suppliers(c, root["suppliers"], p); !st) return st.error();
    if (root["components"])
      if (auto st = read_components(c, root["components"], p); !st) return st.error();
    if (root["licenses"])
      if (auto st = read_licenses(c, root["licenses"], p); !st) return st.error();
    if (root["vulnerabilities"])
      if (auto st = read_vulns(c, root["vulnerabilities"], p); !st) return st.error();
    if (root["checks"])
      if (auto st = read_checks(c, root["checks"], p); !st) return st.error();
    if (root["trust"])
      if (auto st = read_trust(c, root["trust"], p); !st) return st.error();
    if (const auto& ov = root["on_violation"]) {
      if (!ov.IsMap()) return c.err(ov, "on_violation: expected a mapping rule: error|warning|off");
      for (const auto& kv : ov) {
        std::string rule = kv.first.as<std::string>("");
        std::string sev;
        if (auto st =
                read_mode(c, kv.second, "on_violation." + rule, sev, {"error", "warning", "off"});
            !st)
          return st.error();
        p.on_violation.emplace_back(rule, sev);
      }
    }
    if (root["today"]) p.today = root["today"].as<std::string>("");
  } catch (const YAML::Exception& e) {
    return Error(Errc::usage, c.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return p;
}

Result<Policy> load_policy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error(Errc::io, path + ": cannot open policy file");
  std::string text;
  text.resize(kMaxPolicyBytes + 1);
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(f.gcount()));
  return parse_policy(path, text);
}

}  // namespace waybill::policy
