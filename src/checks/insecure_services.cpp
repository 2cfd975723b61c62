// Check "services/insecure" (FW-07, FW-08): services started at boot that open an insecure
// remote or debug entry: telnetd (a shell without login is critical), ftpd, tftpd, adbd,
// gdbserver, shells and auto-login gettys on consoles, SSH servers that accept password logins.
//
// Boot files (data/checks/content-checks.json "services.boot_files"): /etc/inittab (the process
// field), init.d / rc.d scripts, /etc/rc.local, inetd/xinetd, systemd units (ExecStart lines),
// OpenWrt procd scripts (procd_set_param command lines are shell lines too), sshd_config and the
// UCI dropbear config. Rules are RE2 expressions in the same table; each finding names the file
// and the 1-based line of the command.
#include <re2/re2.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checks/check.h"
#include "core/embedded.h"

namespace waybill::checks {
namespace {

constexpr std::string_view kId = "services/insecure";
constexpr std::size_t kMaxLines = 200000;
constexpr std::size_t kMaxLineBytes = 8192;

struct Rule {
  std::string id, severity, title, kind;
  std::unique_ptr<RE2> re, unless;
  std::vector<std::string> files;  // empty: every boot file
  std::vector<model::CatalogRef> catalog;
};

struct Tables {
  std::vector<std::string> boot_files;
  std::vector<std::string_view> wants;
  std::vector<Rule> rules;
};

std::vector<model::CatalogRef> refs(const nlohmann::json& cc, const std::string& fw) {
  std::vector<model::CatalogRef> out;
  if (!cc.contains("catalog") || !cc["catalog"].contains(fw)) return out;
  for (const auto& r : cc["catalog"][fw])
    if (r.is_array() && r.size() == 2)
      out.push_back({r[0].get<std::string>(), r[1].get<std::string>()});
  return out;
}

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    auto cc = nlohmann::json::parse(data::content_checks_json(), nullptr, false);
    if (!cc.is_object() || !cc.contains("services")) return t;
    const auto& s = cc["services"];
    for (const auto& f : s["boot_files"]) t.boot_files.push_back(f.get<std::string>());
    for (const auto& j : s["rules"]) {
      Rule r;
      r.id = j.value("id", "");
      r.severity = j.value("severity", "medium");
      r.title = j.value("title", "");
      r.kind = j.value("kind", "");
      RE2::Options o;
      o.set_log_errors(false);
      r.re = std::make_unique<RE2>(j.value("regex", ""), o);
      if (j.contains("unless")) r.unless = std::make_unique<RE2>(j.value("unless", ""), o);
      if (j.contains("files"))
        for (const auto& f : j["files"]) r.files.push_back(f.get<std::string>());
      r.catalog = refs(cc, j.value("catalog", "FW-07"));
      if (!r.re->ok() || (r.unless && !r.unless->ok())) continue;  // table bug: rule unusable
      t.rules.push_back(std::move(r));
    }
    for (const auto& f : t.boot_files) t.wants.push_back(f);
    return t;
  }();
  return t;
}

bool any_glob(const std::vector<std::string>& globs, std::string_view path) {
  for (const auto& g : globs)
    if (catalog::glob_match(g, path)) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Shell-style comment removal: '#' at the start or after blank space (not inside "$#" etc.).
std::string_view strip_comment(std::string_view l) {
  for (std::size_t i = 0; i < l.size(); ++i)
    if (l[i] == '#' && (i == 0 || l[i - 1] == ' ' || l[i - 1] == '\t')) return l.substr(0, i);
  return l;
}

enum class Kind { shell, inittab, systemd, config };

Kind kind_of(std::string_view path) {
  if (path == "/etc/inittab") return Kind::inittab;
  if (path.ends_with(".service") || path.ends_with(".socket")) return Kind::systemd;
  if (path.starts_with("/etc/ssh/") || path == "/etc/config/dropbear") return Kind::config;
  return Kind::shell;
}

class InsecureServices final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{kId, "telnet/ftp/tftp/adb/debug shells and SSH password logins"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return tables().wants; }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    const Tables& t = tables();
    for (const auto& f : index.files()) {
      if (!f.retained || f.type != unpack::EntryType::file) continue;
      if (!any_glob(t.boot_files, f.path)) continue;
      scan(f, t, out);
    }
  }

 private:
  void scan(const catalog::FileRecord& f, const Tables& t, CheckOutput& out) const {
    Kind kind = kind_of(f.path);
    std::string_view text = f.content;
    if (text.find('\0') != std::string_view::npos) return;  // not a text file
    std::size_t i = 0;
    std::uint32_t no = 0;
    while (i < text.size() && no < kMaxLines) {
      std::size_t j = text.find('\n', i);
      if (j == std::string_view::npos) j = text.size();
      std::string_view raw = text.substr(i, j - i);
      i = j + 1;
      ++no;
      if (raw.size() > kMaxLineBytes) continue;
      std::string_view cmd = trim(strip_comment(raw));
      if (cmd.empty()) continue;
      if (kind == Kind::inittab) {
        // id:runlevels:action:process; the process may itself contain ':'.
        std::size_t c1 = cmd.find(':'), c2 = c1 == cmd.npos ? c1 : cmd.find(':', c1 + 1),
                    c3 = c2 == cmd.npos ? c2 : cmd.find(':', c2 + 1);
        if (c3 == cmd.npos) continue;
        cmd = trim(cmd.substr(c3 + 1));
      } else if (kind == Kind::systemd) {
        if (!cmd.starts_with("ExecStart")) continue;
        std::size_t eq = cmd.find('=');
        if (eq == cmd.npos) continue;
        cmd = trim(cmd.substr(eq + 1));
        while (!cmd.empty() &&
               (cmd[0] == '-' || cmd[0] == '@' || cmd[0] == '+' || cmd[0] == '!' || cmd[0] == ':'))
          cmd.remove_prefix(1);
      }
      for (const auto& r : t.rules) {
        if (!r.files.empty() ? !any_glob(r.files, f.path) : kind == Kind::config) continue;
        if (r.kind == "inittab" && kind != Kind::inittab) continue;
        if (!RE2::PartialMatch(cmd, *r.re)) continue;
        if (r.unless && RE2::PartialMatch(cmd, *r.unless)) continue;
        model::CheckFinding fd;
        fd.check = std::string(kId);
        fd.rule = r.id;
        fd.severity = r.severity;
        fd.title = r.title;
        fd.detail = "rule '" + r.id + "' (data/checks/content-checks.json) matched the " +
                    (kind == Kind::inittab   ? std::string("inittab process field")
                     : kind == Kind::systemd ? std::string("ExecStart command")
                     : kind == Kind::config  ? std::string("configuration line")
                                             : std::string("boot script command")) +
                    " '" + std::string(cmd) + "'";
        fd.root = f.root;
        fd.path = f.path;
        fd.line = no;
        fd.evidence = std::string(trim(raw));
        fd.catalog = r.catalog;
        out.findings.push_back(std::move(fd));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_insecure_services_check() {
  return std::make_unique<InsecureServices>();
}

}  // namespace waybill::checks
