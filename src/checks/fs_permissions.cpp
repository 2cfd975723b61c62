// Checks "fs/world-writable" and "fs/setuid" (FW-12): file modes recorded by the walk
// (FileRecord.mode carries the permission bits incl. setuid/setgid/sticky as stored by the
// squashfs, cpio, tar, cramfs ... readers).
//
// fs/world-writable: regular files and directories writable by every user. Directories with the
// sticky bit (/tmp-like) are skipped, so are symlinks (their mode is meaningless), device nodes,
// fifos and sockets. Raised severity in sensitive places (binaries, libraries, /etc, init
// scripts): any local process could replace what root runs.
// fs/setuid: every regular file with the setuid or setgid bit, with its owner when the index
// knows it, and the hardening of the binary when it is an ELF file. Binaries setuid by design
// (su, passwd, ping ...) are listed at info level so the inventory of privileged programs stays
// complete; others are findings. Tables: data/checks/fs-permissions.json.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/check.h"
#include "core/embedded.h"

namespace waybill::checks {
namespace {

using catalog::FileRecord;
using unpack::EntryType;

struct Tables {
  std::vector<model::CatalogRef> catalog;
  std::vector<std::string> sensitive_paths;
  std::set<std::string> sensitive_dirs;
  std::set<std::string> expected_setuid;
  nlohmann::json severity = nlohmann::json::object();
  std::string sev(const char* key, const char* fallback) const {
    return severity.value(key, fallback);
  }
};

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    auto j = nlohmann::json::parse(data::fs_permissions_json(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return t;
    for (const auto& c : j.value("catalog", nlohmann::json::array()))
      t.catalog.push_back({c.value("catalog", ""), c.value("item", "")});
    for (const auto& s : j.value("sensitive_paths", nlohmann::json::array()))
      if (s.is_string()) t.sensitive_paths.push_back(s.get<std::string>());
    for (const auto& s : j.value("sensitive_dirs", nlohmann::json::array()))
      if (s.is_string()) t.sensitive_dirs.insert(s.get<std::string>());
    for (const auto& s : j.value("expected_setuid", nlohmann::json::array()))
      if (s.is_string()) t.expected_setuid.insert(s.get<std::string>());
    if (j.contains("severity") && j["severity"].is_object()) t.severity = j["severity"];
    return t;
  }();
  return t;
}

std::string octal(std::uint32_t mode) {
  char b[8];
  std::snprintf(b, sizeof b, "%04o", mode & 07777u);
  return b;
}

std::string basename_of(std::string_view p) {
  auto s = p.rfind('/');
  return std::string(s == std::string_view::npos ? p : p.substr(s + 1));
}

// Owner of a record, when the index carries it (FileRecord gains uid/gid fields in a later
// change of the walk; until then the owner is reported as unknown).
template <class R>
std::string owner_of(const R& r) {
  if constexpr (requires {
                  r.uid;
                  r.gid;
                }) {
    return "uid " + std::to_string(r.uid) + (r.uid == 0 ? " (root)" : "") + ", gid " +
           std::to_string(r.gid);
  } else {
    return "owner unknown (not recorded by the walk)";
  }
}

template <class R>
bool owned_by_root_or_unknown(const R& r) {
  if constexpr (requires { r.uid; }) {
    return r.uid == 0;
  } else {
    return true;
  }
}

model::CheckFinding base(const FileRecord& f, const char* check, std::string rule) {
  model::CheckFinding fd;
  fd.check = check;
  fd.rule = std::move(rule);
  fd.root = f.root;
  fd.path = f.path;
  fd.evidence = "mode " + octal(f.mode);
  fd.catalog = tables().catalog;
  return fd;
}

class WorldWritableCheck final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"fs/world-writable",
                              "files and directories writable by every user (sticky directories "
                              "excepted)"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return {}; }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    const Tables& t = tables();
    for (const FileRecord& f : index.files()) {
      if (f.blob || (f.mode & 0002) == 0) continue;
      const bool dir = f.type == EntryType::directory;
      if (!dir && f.type != EntryType::file && f.type != EntryType::hardlink) continue;
      if (dir && (f.mode & 01000)) continue;  // sticky: /tmp-like, users cannot replace others'
      const bool sensitive =
          dir ? t.sensitive_dirs.count(f.path) > 0
              : std::any_of(t.sensitive_paths.begin(), t.sensitive_paths.end(),
                            [&](const std::string& g) { return catalog::glob_match(g, f.path); });
      model::CheckFinding fd = base(f, "fs/world-writable", dir ? "directory" : "file");
      if (dir) {
        fd.severity = sensitive ? t.sev("world_writable_dir_sensitive", "high")
                                : t.sev("world_writable_dir", "medium");
        fd.title = "world-writable directory without sticky bit: " + f.path;
        fd.detail = "directory " + f.path + " has mode " + octal(f.mode) +
                    ": every user can create, delete and rename entries in it (no sticky bit), "
                    "so files other programs rely on can be replaced";
      } else {
        const bool exec = (f.mode & 0111) != 0 || (f.elf.has_value());
        fd.severity = sensitive || exec ? t.sev("world_writable_sensitive", "high")
                                        : t.sev("world_writable_file", "medium");
        fd.title = "world-writable file: " + f.path;
        fd.detail =
            "file " + f.path + " has mode " + octal(f.mode) +
            ": every user can change its content" +
            (exec ? "; it is executable, so a local user can change what it runs" : std::string()) +
            (sensitive ? "; it lies in a system location (binaries, libraries or "
                         "configuration used by root)"
                       : std::string());
      }
      out.findings.push_back(std::move(fd));
    }
  }
};

class SetuidCheck final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"fs/setuid", "setuid and setgid files, with owner and hardening"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return {}; }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    const Tables& t = tables();
    for (const FileRecord& f : index.files()) {
      if (f.blob || (f.mode & 06000) == 0) continue;
      if (f.type != EntryType::file && f.type != EntryType::hardlink) continue;
      const bool suid = (f.mode & 04000) != 0;
      const bool expected = t.expected_setuid.count(basename_of(f.path)) > 0;
      std::string what = suid && (f.mode & 02000) ? "setuid+setgid" : suid ? "setuid" : "setgid";
      model::CheckFinding fd = base(f, "fs/setuid", suid ? "setuid" : "setgid");

      // What the binary is: ELF hardening summary, a script (setuid is ignored by the kernel for
      // scripts), or other data.
      std::string binary;
      bool unhardened = false;
      if (f.elf && f.elf->hardening.present) {
        const auto& hd = f.elf->hardening;
        using Tri = catalog::ElfInfo::Tri;
        std::vector<std::string> missing;
        if (hd.nx == Tri::no) missing.push_back("NX");
        if (hd.pie == Tri::no) missing.push_back("PIE");
        if (hd.relro == catalog::ElfInfo::Relro::none) missing.push_back("RELRO");
        if (hd.canary == Tri::no) missing.push_back("stack canary");
        if (hd.rwx_segments) missing.push_back("W^X");
        unhardened =
            !missing.empty() && (hd.nx == Tri::no || hd.pie == Tri::no || hd.rwx_segments > 0 ||
                                 hd.relro == catalog::ElfInfo::Relro::none);
        binary = "ELF binary";
        if (!missing.empty()) {
          binary += " lacking ";
          for (std::size_t i = 0; i < missing.size(); ++i) binary += (i ? ", " : "") + missing[i];
        } else {
          binary += " with NX, PIE, RELRO and canary";
        }
      } else if (f.size > 0) {
        binary = "not an ELF binary (the kernel ignores setuid on scripts)";
      } else {
        binary = "empty file";
      }

      if (suid) {
        fd.severity = expected ? t.sev("setuid_expected", "info")
                      : unhardened && owned_by_root_or_unknown(f)
                          ? t.sev("setuid_unhardened", "high")
                          : t.sev("setuid", "medium");
      } else {
        fd.severity = expected ? t.sev("setgid_expected", "info") : t.sev("setgid", "low");
      }
      fd.title = what + " file: " + f.path;
      fd.detail = f.path + " is " + what + " (mode " + octal(f.mode) + ", " + owner_of(f) +
                  "): it runs with its owner's " + (suid ? "user" : "group") +
                  " privileges whatever user starts it; " + binary +
                  (expected ? "; setuid by design for this program, listed for the inventory of "
                              "privileged binaries"
                            : "; verify that it needs the privilege");
      out.findings.push_back(std::move(fd));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_fs_world_writable_check() {
  return std::make_unique<WorldWritableCheck>();
}
std::unique_ptr<Check> make_fs_setuid_check() {
  return std::make_unique<SetuidCheck>();
}

}  // namespace waybill::checks
