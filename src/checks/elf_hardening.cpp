// Check "elf/hardening" (FW-06): exploit mitigations of every executable and shared library in
// the tree, from the facts the walk read (ElfInfo::Hardening; no file is read again here).
//
// One finding per file and missing property (rule = "nx", "rwx", "pie", "relro-none",
// "relro-partial", "canary", "fortify", "rpath"), which is what SARIF consumers expect. Severity
// comes from data/checks/elf-hardening.json and is raised for exposed binaries: setuid/setgid
// ones and network daemons (importing listen() and accept(), or a well-known daemon name).
// Three-valued facts: an "unknown" property (e.g. the canary of a stripped static binary) yields
// no finding, only a count in the diagnostics. Kernel modules, relocatable objects and ELF files
// under firmware directories (co-processor images) are not judged; shared libraries are judged
// on NX, W^X, RELRO and RPATH only (PIE does not apply, and canary/FORTIFY are reported for the
// programs that run).
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/check.h"
#include "core/embedded.h"

namespace waybill::checks {
namespace {

using catalog::ElfInfo;
using catalog::FileRecord;

struct Rule {
  std::string severity, severity_exposed, title, why;
};

struct Tables {
  std::map<std::string, Rule> rules;
  std::vector<model::CatalogRef> catalog;
  std::set<std::string> daemons;
  std::vector<std::string> exclude;
  std::vector<std::string> tmp_dirs;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    auto j = nlohmann::json::parse(data::elf_hardening_json(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return t;
    const nlohmann::json rules = j.value("rules", nlohmann::json::object());
    for (const auto& [id, r] : rules.items()) {
      t.rules[id] = Rule{r.value("severity", "low"), r.value("severity_exposed", "medium"),
                         r.value("title", id), r.value("why", "")};
    }
    for (const auto& c : j.value("catalog", nlohmann::json::array()))
      t.catalog.push_back({c.value("catalog", ""), c.value("item", "")});
    for (const auto& d : j.value("network_daemons", nlohmann::json::array()))
      if (d.is_string()) t.daemons.insert(d.get<std::string>());
    for (const auto& d : j.value("exclude_paths", nlohmann::json::array()))
      if (d.is_string()) t.exclude.push_back(d.get<std::string>());
    for (const auto& d : j.value("insecure_rpath_dirs", nlohmann::json::array()))
      if (d.is_string()) t.tmp_dirs.push_back(d.get<std::string>());
    return t;
  }();
  return t;
}

std::string basename_of(std::string_view p) {
  auto s = p.rfind('/');
  return std::string(s == std::string_view::npos ? p : p.substr(s + 1));
}

const char* kind_name(ElfInfo::Kind k) {
  switch (k) {
    case ElfInfo::Kind::executable:
      return "executable";
    case ElfInfo::Kind::static_executable:
      return "static executable";
    case ElfInfo::Kind::shared_library:
      return "shared library";
    case ElfInfo::Kind::kernel_module:
      return "kernel module";
    case ElfInfo::Kind::object:
      return "relocatable object";
    case ElfInfo::Kind::other:
      return "other ELF file";
    case ElfInfo::Kind::unknown:
      break;
  }
  return "ELF file";
}

// Problems of one RPATH/RUNPATH list: relative entries, empty entries (= the current directory),
// temporary directories, and directories that are world-writable in this root.
std::vector<std::string> rpath_problems(const catalog::FileIndex& index, const FileRecord& f,
                                        std::string_view list) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= list.size()) {
    std::size_t j = list.find(':', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view e = list.substr(i, j - i);
    i = j + 1;
    if (e.empty()) {
      out.push_back("empty entry (searches the current directory)");
      continue;
    }
    if (e.starts_with("$ORIGIN") || e.starts_with("${ORIGIN}")) {
      // Relative to the binary: safe unless the binary is setuid (glibc ignores it then).
      continue;
    }
    if (e[0] != '/') {
      out.push_back("relative entry '" + std::string(e) +
                    "' (resolved against the working "
                    "directory)");
      continue;
    }
    std::string norm = catalog::normalize_path(e);
    for (const auto& t : tables().tmp_dirs) {
      if (norm == t || norm.starts_with(t + "/")) {
        out.push_back("temporary directory '" + std::string(e) + "'");
        break;
      }
    }
    if (const FileRecord* d = index.lookup(f.root, norm);
        d && d->type == unpack::EntryType::directory && (d->mode & 0002) != 0) {
      out.push_back("world-writable directory '" + std::string(e) + "' (mode " + [&] {
        char b[8];
        std::snprintf(b, sizeof b, "%04o", d->mode & 07777);
        return std::string(b);
      }() + ")");
    }
    if (j == list.size()) break;
  }
  return out;
}

class ElfHardeningCheck final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"elf/hardening",
                              "ELF exploit mitigations: NX, W^X, PIE, RELRO, stack canary, "
                              "FORTIFY_SOURCE, RPATH/RUNPATH"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return {}; }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    const Tables& t = tables();
    std::size_t judged = 0, canary_unknown = 0, nx_unknown = 0;
    for (const FileRecord& f : index.files()) {
      if (!f.elf || !f.elf->hardening.present || f.blob) continue;
      const ElfInfo& e = *f.elf;
      const auto& hd = e.hardening;
      const bool exe =
          hd.kind == ElfInfo::Kind::executable || hd.kind == ElfInfo::Kind::static_executable;
      const bool lib = hd.kind == ElfInfo::Kind::shared_library;
      if (!exe && !lib) continue;
      if (std::any_of(t.exclude.begin(), t.exclude.end(),
                      [&](const std::string& g) { return catalog::glob_match(g, f.path); }))
        continue;
      ++judged;
      if (exe && hd.canary == ElfInfo::Tri::unknown) ++canary_unknown;
      if (hd.nx == ElfInfo::Tri::unknown) ++nx_unknown;

      // Exposure raises severity.
      std::string exposure;
      if (f.mode & 04000) exposure = "setuid";
      if (f.mode & 02000) exposure += exposure.empty() ? "setgid" : "/setgid";
      if (exe && (hd.network_server || t.daemons.count(basename_of(f.path)))) {
        if (!exposure.empty()) exposure += ", ";
        exposure +=
            hd.network_server ? "network server (imports listen and accept)" : "network daemon";
      }
      const bool exposed = !exposure.empty();

      auto emit = [&](const std::string& rule_id, std::string fact, std::string evidence,
                      std::optional<std::uint64_t> offset = std::nullopt) {
        auto it = t.rules.find(rule_id);
        if (it == t.rules.end()) return;
        const Rule& r = it->second;
        model::CheckFinding fd;
        fd.check = "elf/hardening";
        fd.rule = rule_id;
        fd.severity = exposed ? r.severity_exposed : r.severity;
        fd.title = r.title + ": " + f.path;
        fd.detail = std::string(kind_name(hd.kind)) + " " + f.path + ": " + fact + "; " + r.why;
        if (exposed) fd.detail += " [severity raised: " + exposure + "]";
        fd.root = f.root;
        fd.path = f.path;
        fd.offset = offset;
        fd.evidence = std::move(evidence);
        fd.catalog = t.catalog;
        out.findings.push_back(std::move(fd));
      };

      if (hd.nx == ElfInfo::Tri::no) {
        if (hd.gnu_stack)
          emit("nx", "PT_GNU_STACK requests an executable stack (flags include X)",
               "PT_GNU_STACK RWX");
        else
          emit("nx",
               "no PT_GNU_STACK program header, so the kernel maps the stack executable on "
               "this architecture",
               "PT_GNU_STACK absent");
      }
      if (hd.rwx_segments > 0) {
        emit("rwx",
             std::to_string(hd.rwx_segments) +
                 " PT_LOAD segment(s) with flags RWX, first at "
                 "file offset " +
                 std::to_string(hd.rwx_offset),
             "PT_LOAD RWX", hd.rwx_offset);
      }
      if (exe && hd.pie == ElfInfo::Tri::no) {
        emit("pie", "ELF type ET_EXEC (fixed load address)", "e_type=ET_EXEC");
      }
      if (hd.relro == ElfInfo::Relro::none && (hd.dynamic || exe)) {
        emit("relro-none", "no PT_GNU_RELRO program header", "PT_GNU_RELRO absent");
      } else if (hd.relro == ElfInfo::Relro::partial && hd.dynamic) {
        emit("relro-partial", "PT_GNU_RELRO present but no DT_BIND_NOW / DF_BIND_NOW / DF_1_NOW",
             "PT_GNU_RELRO without BIND_NOW");
      }
      if (exe && hd.canary == ElfInfo::Tri::no) {
        emit("canary",
             std::string("no __stack_chk_fail/__stack_chk_guard in the ") +
                 (hd.dynamic ? "dynamic symbols (" + std::to_string(hd.dynsym_count) + ")"
                             : "symbol table (" + std::to_string(hd.symtab_count) + ")"),
             "no stack-protector symbol");
      }
      if (exe && hd.fortify == ElfInfo::Tri::no) {
        emit("fortify",
             "imports " + std::to_string(hd.unfortified) +
                 " fortifiable libc function(s) and no __*_chk variant",
             "fortified 0 of " + std::to_string(hd.unfortified));
      }
      for (const auto* which : {"RPATH", "RUNPATH"}) {
        const std::string& list = std::string_view(which) == "RPATH" ? e.rpath : e.runpath;
        if (list.empty()) continue;
        auto problems = rpath_problems(index, f, list);
        if (problems.empty()) continue;
        std::string fact = std::string(which) + " '" + list + "': ";
        for (std::size_t i = 0; i < problems.size(); ++i) fact += (i ? "; " : "") + problems[i];
        emit("rpath", fact, std::string(which) + "=" + list);
      }
    }
    if (canary_unknown > 0 || nx_unknown > 0) {
      out.diagnostics.add(Severity::info, Errc::unsupported, "elf/hardening", "", std::nullopt,
                          std::to_string(judged) +
                              " ELF programs/libraries judged; stack canary "
                              "unknown for " +
                              std::to_string(canary_unknown) +
                              " stripped static executable(s), NX unknown for " +
                              std::to_string(nx_unknown) + " file(s) without program headers");
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_elf_hardening_check() {
  return std::make_unique<ElfHardeningCheck>();
}

}  // namespace waybill::checks
