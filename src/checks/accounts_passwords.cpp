// Check "accounts/passwords" (FW-01): /etc/passwd and /etc/shadow of every root.
//
// Reports accounts with an empty password and a login shell, passwords found in the default
// password list (data/default-passwords.json, plus the account name) by hashing each candidate
// with libxcrypt crypt_rn under a per-hash time budget, legacy hash schemes (DES, md5crypt),
// hashes left in the world-readable /etc/passwd, and UID 0 accounts other than root. Locked
// accounts ("!", "*" prefixes) are not tested. Passwords are masked in every output.
#include <crypt.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checks/check.h"
#include "core/embedded.h"

namespace waybill::checks {
namespace {

constexpr std::string_view kId = "accounts/passwords";
constexpr std::size_t kMaxLines = 100000;  // more accounts than this is not a passwd file

struct Tables {
  std::vector<std::string> passwords;
  std::vector<std::string> non_login_shells;
  std::vector<model::CatalogRef> catalog;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    auto pw = nlohmann::json::parse(data::default_passwords_json(), nullptr, false);
    if (pw.is_object() && pw.contains("passwords"))
      for (const auto& p : pw["passwords"])
        if (p.is_string()) t.passwords.push_back(p.get<std::string>());
    auto cc = nlohmann::json::parse(data::content_checks_json(), nullptr, false);
    if (cc.is_object()) {
      for (const auto& s : cc["accounts"]["non_login_shells"])
        if (s.is_string()) t.non_login_shells.push_back(s.get<std::string>());
      for (const auto& r : cc["catalog"]["FW-01"])
        if (r.is_array() && r.size() == 2)
          t.catalog.push_back({r[0].get<std::string>(), r[1].get<std::string>()});
    }
    return t;
  }();
  return t;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (true) {
    std::size_t j = s.find(sep, i);
    if (j == std::string_view::npos) {
      out.push_back(s.substr(i));
      return out;
    }
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
}

struct Line {
  std::uint32_t no = 0;
  std::vector<std::string_view> fields;
};

// Non-empty, non-comment lines split at ':'.
std::vector<Line> colon_lines(std::string_view text) {
  std::vector<Line> out;
  std::uint32_t no = 0;
  std::size_t i = 0;
  while (i < text.size() && out.size() < kMaxLines) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view l = text.substr(i, j - i);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    ++no;
    i = j + 1;
    if (l.empty() || l[0] == '#') continue;
    out.push_back({no, split(l, ':')});
  }
  return out;
}

// The name of a crypt(3) hash scheme, "" when the field is not a hash we know.
std::string crypt_scheme_name(std::string_view h) {
  auto starts = [&](std::string_view p) { return h.substr(0, p.size()) == p; };
  if (starts("$1$")) return "md5crypt ($1$)";
  if (starts("$5$")) return "sha256crypt ($5$)";
  if (starts("$6$")) return "sha512crypt ($6$)";
  if (starts("$y$")) return "yescrypt ($y$)";
  if (starts("$gy$")) return "gost-yescrypt ($gy$)";
  if (starts("$7$")) return "scrypt ($7$)";
  if (starts("$2b$") || starts("$2a$") || starts("$2y$")) return "bcrypt ($2b$)";
  if (starts("$sha1$")) return "sha1crypt ($sha1$)";
  if (starts("_") && h.size() == 20) return "bsdi-crypt (_)";
  if (h.size() == 13) {
    for (char c : h)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/')) return "";
    return "descrypt";
  }
  return "";
}

// "admin" -> "a***n", short values fully masked.
std::string mask_secret(std::string_view s) {
  if (s.size() <= 3) return std::string(s.empty() ? 0 : 3, '*');
  return std::string(1, s.front()) + "***" + std::string(1, s.back());
}

struct PasswordGuess {
  bool found = false;
  bool complete = true;  // false when the time budget ran out first
  std::string password;
  std::size_t tried = 0;
};

// Try the candidates against one crypt hash within budget_ms.
PasswordGuess guess_password(std::string_view hash, const std::vector<std::string>& candidates,
                             unsigned budget_ms) {
  PasswordGuess g;
  auto data = std::make_unique<crypt_data>();
  std::string h(hash);
  auto start = std::chrono::steady_clock::now();
  for (const auto& c : candidates) {
    if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(budget_ms)) {
      g.complete = false;
      break;
    }
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* out = crypt_rn(c.c_str(), h.c_str(), data.get(), sizeof(crypt_data));
    ++g.tried;
    if (out != nullptr && out[0] != '*' && h == out) {
      g.found = true;
      g.password = c;
      break;
    }
  }
  return g;
}

class AccountsPasswords final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{kId, "empty, default and weakly hashed passwords, extra UID 0"};
    return d;
  }
  std::span<const std::string_view> wants() const override {
    static constexpr std::string_view w[] = {"/etc/passwd", "/etc/shadow"};
    return w;
  }
  void run(const catalog::FileIndex& index, const CheckOptions& opts,
           CheckOutput& out) const override {
    for (const auto& root : index.roots()) run_root(index, root, opts, out);
  }

 private:
  struct Account {
    std::uint32_t line = 0;
    std::string uid, shell, pw;
  };

  void add(CheckOutput& out, std::string rule, std::string severity, std::string title,
           std::string detail, const std::string& root, std::string path, std::uint32_t line,
           std::string evidence) const {
    model::CheckFinding f;
    f.check = std::string(kId);
    f.rule = std::move(rule);
    f.severity = std::move(severity);
    f.title = std::move(title);
    f.detail = std::move(detail);
    f.root = root;
    f.path = std::move(path);
    f.line = line;
    f.evidence = std::move(evidence);
    f.catalog = tables().catalog;
    out.findings.push_back(std::move(f));
  }

  bool login_shell(std::string_view shell) const {
    if (shell.empty()) return true;  // an empty shell field means /bin/sh
    for (const auto& s : tables().non_login_shells)
      if (shell == s) return false;
    return true;
  }

  void test_hash(const std::string& root, const std::string& path, std::uint32_t line,
                 const std::string& user, std::string_view hash, const CheckOptions& opts,
                 CheckOutput& out) const {
    std::string scheme = crypt_scheme_name(hash);
    if (scheme.empty()) {
      out.diagnostics.add(Severity::info, Errc::unsupported, std::string(kId), path, std::nullopt,
                          "line " + std::to_string(line) + ": password field of '" + user +
                              "' is not a crypt hash this check knows; not tested");
      return;
    }
    if (scheme == "descrypt" || scheme.starts_with("md5crypt") || scheme.starts_with("bsdi")) {
      add(out, "legacy-hash", "medium", "password of '" + user + "' uses a legacy hash scheme",
          "the hash of account '" + user + "' is " + scheme +
              ", which is fast to brute-force (DES also truncates passwords to 8 characters)",
          root, path, line, user + ": " + scheme);
    }
    std::vector<std::string> cands = tables().passwords;
    cands.insert(cands.begin(), user);
    PasswordGuess g = guess_password(hash, cands, opts.hash_budget_ms);
    if (g.found) {
      add(out, "default-password", "high", "account '" + user + "' has a default password",
          "the " + scheme + " hash of account '" + user +
              "' matches a password of the default-password list (data/default-passwords.json), "
              "tested with crypt_rn",
          root, path, line, user + ": password " + mask_secret(g.password) + " (" + scheme + ")");
    } else if (!g.complete) {
      add(out, "not-tested-fully", "info",
          "password of '" + user + "' not tested fully against the default list",
          "the time budget of " + std::to_string(opts.hash_budget_ms) +
              " ms per hash ran out after " + std::to_string(g.tried) + " of " +
              std::to_string(cands.size()) + " candidates (" + scheme + ")",
          root, path, line, user + ": " + scheme);
    }
  }

  void run_root(const catalog::FileIndex& index, const std::string& root, const CheckOptions& opts,
                CheckOutput& out) const {
    const catalog::FileRecord* passwd = index.lookup(root, "/etc/passwd");
    const catalog::FileRecord* shadow = index.lookup(root, "/etc/shadow");
    if (passwd && !passwd->retained) passwd = nullptr;
    if (shadow && !shadow->retained) shadow = nullptr;
    if (!passwd && !shadow) return;

    std::map<std::string, Account> accounts;
    if (passwd) {
      for (const auto& l : colon_lines(passwd->content)) {
        if (l.fields.size() < 7) {
          out.diagnostics.add(Severity::warning, Errc::corrupt, std::string(kId), passwd->path,
                              std::nullopt, "line " + std::to_string(l.no) + ": expected 7 fields");
          continue;
        }
        Account a{l.no, std::string(l.fields[2]), std::string(l.fields[6]),
                  std::string(l.fields[1])};
        std::string name(l.fields[0]);
        if (a.uid == "0" && name != "root") {
          add(out, "uid0-account", "high", "account '" + name + "' has UID 0 (root rights)",
              "only root should have user id 0; another UID 0 account is a second root login", root,
              passwd->path, l.no, name + ":" + std::string(l.fields[1]) + ":0");
        }
        accounts.emplace(name, std::move(a));
      }
    }
    std::map<std::string, bool> in_shadow;
    if (shadow) {
      for (const auto& l : colon_lines(shadow->content)) {
        if (l.fields.size() < 2) continue;
        std::string user(l.fields[0]);
        std::string_view hash = l.fields[1];
        in_shadow[user] = true;
        auto it = accounts.find(user);
        std::string shell = it != accounts.end() ? it->second.shell : "";
        if (hash.empty()) {
          if (it == accounts.end() || login_shell(shell)) {
            add(out, "empty-password", "high", "account '" + user + "' has an empty password",
                "the password field in /etc/shadow is empty, so '" + user +
                    "' logs in without a password" +
                    (it != accounts.end()
                         ? " (login shell " + (shell.empty() ? "/bin/sh" : shell) +
                               " in /etc/passwd line " + std::to_string(it->second.line) + ")"
                         : " (no /etc/passwd entry found)"),
                root, shadow->path, l.no, user + "::");
          }
          continue;
        }
        if (hash[0] == '!' || hash[0] == '*') continue;  // locked
        test_hash(root, shadow->path, l.no, user, hash, opts, out);
      }
    }
    if (passwd) {
      for (const auto& [user, a] : accounts) {
        if (in_shadow.count(user) || a.pw == "x" || a.pw.starts_with("!") || a.pw.starts_with("*"))
          continue;
        if (a.pw.empty()) {
          if (login_shell(a.shell))
            add(out, "empty-password", "high", "account '" + user + "' has an empty password",
                "the password field in /etc/passwd is empty and there is no /etc/shadow entry",
                root, passwd->path, a.line, user + "::");
          continue;
        }
        add(out, "hash-in-passwd", "medium",
            "password hash of '" + user + "' is in world-readable /etc/passwd",
            "the hash is readable by every user; keep hashes in /etc/shadow", root, passwd->path,
            a.line, user + ": " + crypt_scheme_name(a.pw));
        test_hash(root, passwd->path, a.line, user, a.pw, opts, out);
      }
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_accounts_passwords_check() {
  return std::make_unique<AccountsPasswords>();
}

}  // namespace waybill::checks
