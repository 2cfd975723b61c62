// Small pieces the rules share: globs, version constraints, SPDX expression judgement.
#include <algorithm>
#include <cctype>

#include "policy/policy.h"
#include "sbom/spdx_license.h"
#include "vuln/version/scheme.h"

namespace waybill::policy {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

}  // namespace

// Iterative glob with backtracking over the last '*' (linear in practice, no recursion).
bool glob_match_ci(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || lower(p[pi]) == lower(t[ti]))) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

Result<VersionConstraint> parse_constraint(std::string_view text, std::string_view scheme) {
  VersionConstraint c;
  c.text = std::string(text);
  c.scheme = std::string(scheme.empty() ? "generic" : scheme);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string part = trim(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!part.empty()) {
      VersionConstraint::Term t;
      for (std::string_view op : {"<=", ">=", "!=", "==", "<", ">", "="}) {
        if (part.rfind(op, 0) == 0) {
          t.op = op == "==" ? "=" : std::string(op);
          part = trim(std::string_view(part).substr(op.size()));
          break;
        }
      }
      if (t.op.empty()) t.op = "=";
      if (part.empty() || part.find_first_of(" \t<>=!") != std::string::npos)
        return Error(Errc::usage, "cannot read version constraint '" + std::string(text) +
                                      "' (use e.g. \"<1.36.0\" or \">=3.0, <3.0.13\")");
      t.version = part;
      c.terms.push_back(std::move(t));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (c.terms.empty()) return Error(Errc::usage, "empty version constraint");
  return c;
}

bool satisfies(const VersionConstraint& c, std::string_view version) {
  if (c.terms.empty()) return true;
  if (version.empty()) return false;
  const vuln::VersionScheme& s = vuln::version_scheme(c.scheme);
  for (const auto& t : c.terms) {
    int r = s.compare(version, t.version);
    bool ok = t.op == "<"    ? r < 0
              : t.op == "<=" ? r <= 0
              : t.op == ">"  ? r > 0
              : t.op == ">=" ? r >= 0
              : t.op == "!=" ? r != 0
                             : r == 0;
    if (!ok) return false;
  }
  return true;
}

namespace {

// A tiny SPDX expression parser (OR < AND < WITH, parentheses, '+'); the evaluation needs the
// tree, which sbom::normalize_license_expression does not expose. Depth is bounded.
struct Judge {
  std::vector<std::string> toks;
  std::size_t i = 0;
  const std::vector<std::string>& allow;
  const std::vector<std::string>& deny;
  int depth = 0;
  bool syntax_error = false;

  static bool listed(const std::vector<std::string>& list, const std::string& id) {
    for (const auto& pat : list) {
      if (glob_match_ci(pat, id)) return true;
      // "GPL-2.0+" / "GPL-2.0-or-later" / "GPL-2.0-only" / "GPL-2.0" are one family for a
      // list entry that names the family without a suffix.
      auto base = [](std::string s) {
        for (std::string_view suf : {"-or-later", "-only", "+"})
          if (s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0)
            return s.substr(0, s.size() - suf.size());
        return s;
      };
      if (pat.find('*') == std::string::npos && pat.find('+') == std::string::npos &&
          pat.find("-only") == std::string::npos && pat.find("-or-later") == std::string::npos &&
          glob_match_ci(pat, base(id)))
        return true;
    }
    return false;
  }

  // Returns "" when allowed, else why.
  std::string term(const std::string& raw) {
    std::string id = raw;
    if (auto canon = sbom::spdx_license_id(raw)) id = *canon;
    if (listed(deny, id)) return id + " is denied";
    if (!allow.empty() && !listed(allow, id)) return id + " is not in the allowed list";
    return "";
  }

  std::string primary() {
    if (i >= toks.size()) {
      syntax_error = true;
      return "incomplete expression";
    }
    if (toks[i] == "(") {
      ++i;
      if (++depth > 32) {
        syntax_error = true;
        return "expression nested too deeply";
      }
      std::string r = or_expr();
      --depth;
      if (i < toks.size() && toks[i] == ")")
        ++i;
      else
        syntax_error = true;
      return r;
    }
    std::string id = toks[i++];
    std::string r = term(id);
    if (i < toks.size() && (toks[i] == "WITH" || toks[i] == "with")) {
      i += 2;  // the exception does not change what the licence allows
    }
    return r;
  }
  std::string and_expr() {
    std::string r = primary();
    while (i < toks.size() && (toks[i] == "AND" || toks[i] == "and")) {
      ++i;
      std::string r2 = primary();
      if (r.empty()) r = r2;
    }
    return r;
  }
  std::string or_expr() {
    std::string r = and_expr();
    while (i < toks.size() && (toks[i] == "OR" || toks[i] == "or")) {
      ++i;
      std::string r2 = and_expr();
      if (!r.empty()) r = r2.empty() ? "" : r + "; " + r2;
    }
    return r;
  }
};

}  // namespace

std::string judge_license(std::string_view expression, const std::vector<std::string>& allow,
                          const std::vector<std::string>& deny) {
  Judge j{{}, 0, allow, deny};
  std::string cur;
  for (char ch : expression) {
    if (ch == '(' || ch == ')' || std::isspace(static_cast<unsigned char>(ch))) {
      if (!cur.empty()) j.toks.push_back(cur), cur.clear();
      if (ch == '(' || ch == ')') j.toks.emplace_back(1, ch);
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) j.toks.push_back(cur);
  if (j.toks.empty()) return "empty licence expression";
  if (j.toks.size() > 4096) return "licence expression too long";
  std::string r = j.or_expr();
  if (j.syntax_error || j.i != j.toks.size())
    return "'" + std::string(expression) + "' is not a valid SPDX expression";
  return r;
}

bool policy_failed(const std::vector<model::PolicyViolation>& v) {
  return std::any_of(v.begin(), v.end(),
                     [](const model::PolicyViolation& x) { return x.severity == "error"; });
}

}  // namespace waybill::policy
