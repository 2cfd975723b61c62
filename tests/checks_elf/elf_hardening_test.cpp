// ELF hardening facts (catalog/elf/elf_reader.cpp) and the checks elf/hardening, fs/setuid,
// fs/world-writable and kernel/config, on real binaries: the shared armhf firmware, the generated
// arm64 corpus, this machine's x86-64 programs, Debian's mipsel busybox/libc and big-endian MIPS
// programs built by tests/fixtures/parts/elf-hardening.sh. Facts are compared with checksec 2.6.0
// run on the same files; every known disagreement is explained in explain_disagreement().
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/elf/elf_reader.h"
#include "checks/check.h"
#include "checks/kernel_config.h"
#include "core/embedded.h"
#include "pipeline/inventory.h"
#include "support/support.h"

namespace waybill::checks {
std::unique_ptr<Check> make_elf_hardening_check();
std::unique_ptr<Check> make_fs_world_writable_check();
std::unique_ptr<Check> make_fs_setuid_check();
std::unique_ptr<Check> make_kernel_config_check();
}  // namespace waybill::checks

namespace {

namespace fs = std::filesystem;
using namespace waybill;
using catalog::ElfInfo;
using Tri = ElfInfo::Tri;
using json = nlohmann::json;

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

std::optional<ElfInfo> elf_of(const fs::path& p) {
  auto b = test::read_file(p);
  return catalog::read_elf(ByteView(b.data(), b.size()));
}

checks::CheckOutput run_check(const checks::Check& c, const catalog::FileIndex& idx) {
  checks::CheckOutput out;
  c.run(idx, checks::CheckOptions{}, out);
  return out;
}

bool have(const char* tool) {
  return test::run(std::string("command -v ") + tool + " >/dev/null 2>&1").exit_code == 0;
}

// The parts made by tests/fixtures/parts/elf-hardening.sh (cached in the build tree).
fs::path parts_dir() {
  static const fs::path dir = [] {
    const char* b = std::getenv("WAYBILL_BUILD_DIR");
    fs::path base = b ? fs::path(b) : fs::path(WAYBILL_BUILD_DIR_DEFAULT);
    fs::path script =
        fs::path(WAYBILL_SOURCE_DIR_DEFAULT) / "tests/fixtures/parts/elf-hardening.sh";
    test::run("bash " + q(script) + " " + q(base / "test-parts") + " >/dev/null 2>&1");
    return base / "test-parts" / "elf-hardening";
  }();
  return dir;
}

// ---------------------------------------------------------------------------------------------
// checksec comparison

std::string ours_relro(const ElfInfo::Hardening& h) {
  switch (h.relro) {
    case ElfInfo::Relro::full:
      return "full";
    case ElfInfo::Relro::partial:
      return "partial";
    case ElfInfo::Relro::none:
      return "no";
    default:
      return "unknown";
  }
}
std::string tri(Tri t) {
  return t == Tri::yes ? "yes" : t == Tri::no ? "no" : "unknown";
}
std::string ours_pie(const ElfInfo& e) {
  if (e.type == 1) return "rel";  // ET_REL
  if (e.hardening.kind == ElfInfo::Kind::shared_library) return "dso";
  return tri(e.hardening.pie);
}

// Why our value may differ from checksec 2.6.0's, or "" when the difference is not explained.
// Each case is a documented checksec limitation (see docs/checks.md and peers.md §2.11).
std::string explain_disagreement(const std::string& prop, const fs::path& file, const ElfInfo& e,
                                 const std::string& ours, const std::string& theirs) {
  const auto& h = e.hardening;
  if (h.kind == ElfInfo::Kind::kernel_module || h.kind == ElfInfo::Kind::object ||
      h.kind == ElfInfo::Kind::other)
    return "relocatable object / kernel module: not judged (no segments, no dynamic linking)";
  if (prop == "relro" && ours == "full" && theirs == "partial") {
    // checksec greps `readelf -d` for "BIND_NOW"; DF_1_NOW alone (FLAGS_1: NOW) is not seen.
    auto d = test::run("readelf -d " + q(file) + " 2>/dev/null");
    if (d.out.find("BIND_NOW") == std::string::npos && d.out.find("NOW") != std::string::npos)
      return "checksec only recognises BIND_NOW, not FLAGS_1 NOW";
  }
  if (prop == "canary" && ours == "unknown" && theirs == "no" && h.stripped && !h.dynamic)
    return "stripped static binary: absence of the symbol proves nothing (three-valued)";
  if (prop == "nx" && ours == "yes" && theirs == "no" && !h.gnu_stack && e.machine == 183)
    return "AArch64 without PT_GNU_STACK: the kernel keeps the stack non-executable";
  if (prop == "pie" && ours == "yes" && theirs == "dso" && !h.dt_debug)
    return "PIE executable without DT_DEBUG: checksec takes DT_DEBUG as the PIE marker";
  if (prop == "pie" && ours == "dso" && theirs == "yes" && h.dt_debug)
    return "shared library that also has DT_DEBUG (runnable library such as libc.so.6)";
  if (prop == "pie" && ours == "unknown" && theirs == "dso")
    return "not judged (ET_DYN without program headers)";
  if (prop == "fortify_source") {
    if (!h.dynamic) return "static binary: checksec reads only dynamic symbols";
    if (ours == "no" || ours == "unknown") {
      // checksec says yes for any dynamic symbol ending in _chk, also ones that are not a
      // fortified libc function, or defined (exported) by a library.
      if (h.kind == ElfInfo::Kind::shared_library)
        return "library exporting or importing non-libc *_chk symbols";
      return "a *_chk symbol outside glibc's fortify set";
    }
    if (ours == "yes" && theirs == "no") return "";
  }
  if (prop == "fortified" && std::stoul(theirs) > std::stoul(ours))
    return "checksec counts every dynamic-symbol line (versioned duplicates, exported ones)";
  if (prop == "fortify-able" && std::stoul(theirs) > std::stoul(ours))
    return "checksec counts exported functions too (libraries define what they export)";
  if (prop == "fortify-able" && std::stoul(theirs) < std::stoul(ours) && !h.dynamic)
    return "static binary: checksec reads only dynamic symbols";
  if ((prop == "fortified" || prop == "fortify-able") && !h.dynamic)
    return "static binary: checksec reads only dynamic symbols";
  return "";
}

struct Agreement {
  std::map<std::string, int> agree, explained;
  std::vector<std::string> unexplained;
  std::map<std::string, int> explanations;  // explanation -> count
  int files = 0;
};

// Runs checksec on `dir` and compares every ELF file it reports with `ours(rel_path)`.
Agreement compare_with_checksec(const fs::path& dir,
                                const std::function<const ElfInfo*(const std::string&)>& ours) {
  Agreement a;
  auto r = test::run("checksec --output=json --dir=" + q(dir) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "checksec output is not JSON: " << r.out.substr(0, 300);
  if (j.is_discarded()) return a;
  const std::string prefix = dir.string() + "/";
  for (const auto& [key, v] : j.items()) {
    if (!v.is_object() || !v.contains("relro")) continue;
    std::string abs = v.value("filename", key);
    std::string rel = abs.starts_with(prefix) ? "/" + abs.substr(prefix.size()) : abs;
    const ElfInfo* e = ours(rel);
    if (!e) {
      a.unexplained.push_back(rel + ": checksec saw an ELF file we did not read");
      continue;
    }
    if (!e->hardening.present) {
      a.unexplained.push_back(rel + ": no hardening facts");
      continue;
    }
    ++a.files;
    const auto& h = e->hardening;
    std::map<std::string, std::string> mine = {
        {"relro", ours_relro(h)},
        {"canary", tri(h.canary)},
        {"nx", tri(h.nx)},
        {"pie", ours_pie(*e)},
        {"rpath", e->rpath.empty() ? "no" : "yes"},
        {"runpath", e->runpath.empty() ? "no" : "yes"},
        {"symbols", h.stripped ? "no" : "yes"},
        {"fortify_source", tri(h.fortify)},
        {"fortified", std::to_string(h.fortified)},
        {"fortify-able", std::to_string(h.fortified + h.unfortified)},
    };
    // Our fortify is three-valued; "unknown" (nothing fortifiable imported) is checksec's "no".
    if (mine["fortify_source"] == "unknown") mine["fortify_source"] = "no";
    for (const auto& [prop, mv] : mine) {
      std::string theirs = v.value(prop, "");
      if (mv == theirs) {
        ++a.agree[prop];
        continue;
      }
      std::string why = explain_disagreement(prop, abs, *e, mv, theirs);
      if (why.empty()) {
        a.unexplained.push_back(rel + " " + prop + ": ours " + mv + ", checksec " + theirs);
      } else {
        ++a.explained[prop];
        ++a.explanations[prop + ": " + why];
      }
    }
  }
  return a;
}

void report(const Agreement& a, const std::string& what) {
  std::ostringstream s;
  s << what << ": " << a.files << " ELF files compared with checksec;";
  for (const auto& [p, n] : a.agree) s << " " << p << "=" << n;
  for (const auto& [why, n] : a.explanations) s << "\n  explained x" << n << ": " << why;
  std::cout << s.str() << "\n";
  EXPECT_TRUE(a.unexplained.empty())
      << what << ": unexplained disagreements with checksec:\n  " << [&] {
           std::string r;
           for (std::size_t i = 0; i < a.unexplained.size() && i < 40; ++i)
             r += a.unexplained[i] + "\n  ";
           return r;
         }();
}

// ---------------------------------------------------------------------------------------------
// Firmware images: build_inventory, then our checks on inv.index; checksec on the same rootfs
// extracted by unsquashfs (an independent extractor).

struct Firmware {
  pipeline::Inventory inv;
  fs::path rootfs;                            // unsquashfs output
  std::map<std::string, const ElfInfo*> elf;  // in-root path -> facts
};

std::unique_ptr<Firmware> load_firmware(const fs::path& image, std::uint64_t sqfs_offset,
                                        std::uint64_t sqfs_size, const std::string& tag) {
  auto fw = std::make_unique<Firmware>();
  pipeline::InventoryOptions opts;
  auto inv = pipeline::build_inventory(image.string(), opts);
  EXPECT_TRUE(inv.ok()) << (inv.ok() ? "" : inv.error().message);
  if (!inv.ok()) return nullptr;
  fw->inv = std::move(inv.value());
  for (const auto& f : fw->inv.index->files())
    if (f.elf && !f.blob) fw->elf.emplace(f.path, &*f.elf);
  if (have("unsquashfs")) {
    fs::path tmp = test::temp_dir("h8a-" + tag);
    fs::path sq = tmp / "rootfs.sqfs";
    {
      auto bytes = test::read_file(image);
      std::ofstream o(sq, std::ios::binary);
      std::uint64_t size = sqfs_size ? sqfs_size : bytes.size() - sqfs_offset;
      o.write(reinterpret_cast<const char*>(bytes.data() + sqfs_offset),
              static_cast<std::streamsize>(size));
    }
    fw->rootfs = tmp / "root";
    auto r =
        test::run("unsquashfs -no-xattrs -d " + q(fw->rootfs) + " " + q(sq) + " >/dev/null 2>&1");
    EXPECT_EQ(r.exit_code, 0) << "unsquashfs failed on " << image;
  }
  return fw;
}

TEST(ElfHardening, ArmhfFirmwareFactsAgreeWithChecksec) {
  WAYBILL_REQUIRE_SHARED(shared);
  const fs::path img = shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
  json truth = json::parse(test::read_text(img.string() + ".truth.json"));
  std::uint64_t off = 0, size = 0;
  for (const auto& l : truth["container_layers"])
    if (l.value("format", "") == "squashfs") off = l["offset"], size = l.value("size", 0ull);
  ASSERT_GT(off, 0u);
  auto fw = load_firmware(img, off, size, "armhf");
  ASSERT_TRUE(fw);
  // Every ELF in the image is 32-bit little-endian ARM and got hardening facts.
  std::size_t exes = 0, libs = 0;
  for (const auto& [p, e] : fw->elf) {
    EXPECT_EQ(e->machine, 40) << p;
    EXPECT_TRUE(e->hardening.present) << p;
    exes += e->hardening.kind == ElfInfo::Kind::executable;
    libs += e->hardening.kind == ElfInfo::Kind::shared_library;
  }
  EXPECT_GT(exes, 20u);
  EXPECT_GT(libs, 40u);
  // Debian builds dropbear as a PIE with full RELRO and NX; it accepts connections.
  ASSERT_TRUE(fw->elf.count("/usr/sbin/dropbear"));
  const auto& db = fw->elf["/usr/sbin/dropbear"]->hardening;
  EXPECT_EQ(db.kind, ElfInfo::Kind::executable);
  EXPECT_EQ(db.pie, Tri::yes);
  EXPECT_EQ(db.nx, Tri::yes);
  EXPECT_EQ(db.relro, ElfInfo::Relro::full);
  EXPECT_TRUE(db.network_server);
  if (!have("checksec") || fw->rootfs.empty()) GTEST_SKIP() << "checksec/unsquashfs missing";
  auto a = compare_with_checksec(fw->rootfs, [&](const std::string& rel) -> const ElfInfo* {
    auto it = fw->elf.find(rel);
    return it == fw->elf.end() ? nullptr : it->second;
  });
  EXPECT_GT(a.files, 100);
  report(a, "armhf firmware");
}

TEST(ElfHardening, ArmhfFirmwareCheckFindings) {
  WAYBILL_REQUIRE_SHARED(shared);
  const fs::path img = shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
  pipeline::InventoryOptions opts;
  auto inv = pipeline::build_inventory(img.string(), opts);
  ASSERT_TRUE(inv.ok());
  auto out = run_check(*checks::make_elf_hardening_check(), *inv->index);
  // Each finding names a file of the image that is an ELF executable or library, a rule of the
  // table, and the fact behind it; the fact matches the ELF facts of that file.
  std::map<std::string, int> by_rule;
  for (const auto& f : out.findings) {
    ++by_rule[f.rule];
    auto recs = inv->index->find(f.path);
    ASSERT_FALSE(recs.empty()) << f.path;
    const auto& h = recs[0]->elf->hardening;
    EXPECT_FALSE(f.catalog.empty());
    EXPECT_NE(f.detail.find(f.path), std::string::npos);
    if (f.rule == "nx") {
      EXPECT_EQ(h.nx, Tri::no) << f.path;
    }
    if (f.rule == "pie") {
      EXPECT_EQ(h.pie, Tri::no) << f.path;
    }
    if (f.rule == "canary") {
      EXPECT_EQ(h.canary, Tri::no) << f.path;
    }
    if (f.rule == "relro-partial") {
      EXPECT_EQ(h.relro, ElfInfo::Relro::partial) << f.path;
    }
    if (f.rule == "relro-none") {
      EXPECT_EQ(h.relro, ElfInfo::Relro::none) << f.path;
    }
    if (f.rule == "fortify") {
      EXPECT_EQ(h.fortify, Tri::no) << f.path;
    }
    if (h.network_server) {
      EXPECT_NE(f.detail.find("network server"), std::string::npos);
    }
  }
  // And the other way: every executable without a canary has its finding.
  std::size_t no_canary = 0;
  for (const auto& r : inv->index->files())
    if (r.elf && r.elf->hardening.kind == ElfInfo::Kind::executable &&
        r.elf->hardening.canary == Tri::no && r.path.find("/lib/firmware/") != 0)
      ++no_canary;
  EXPECT_EQ(static_cast<std::size_t>(by_rule["canary"]), no_canary);
  // Debian bookworm armhf binaries are PIE with a non-executable stack: no nx/pie/rwx findings.
  EXPECT_EQ(by_rule["nx"], 0);
  EXPECT_EQ(by_rule["rwx"], 0);
  // Only static executables (Debian's /sbin/ldconfig) are not PIE; every dynamic program is.
  for (const auto& f : out.findings) {
    if (f.rule == "pie") {
      EXPECT_EQ(inv->index->find(f.path)[0]->elf->hardening.kind, ElfInfo::Kind::static_executable)
          << f.path;
    }
  }
  std::cout << "armhf findings:";
  for (const auto& [r, n] : by_rule) std::cout << " " << r << "=" << n;
  std::cout << "\n";
}

// Modes recorded by the walk equal what unsquashfs lists, and the fs checks agree with the listing:
// the only world-writable entry is the sticky /tmp, and there are no setuid/setgid files.
TEST(FsPermissions, ArmhfFirmwareModesMatchUnsquashfs) {
  WAYBILL_REQUIRE_SHARED(shared);
  if (!have("unsquashfs")) GTEST_SKIP() << "unsquashfs missing";
  const fs::path img = shared / "corpus/firmware/armhf/fw-armhf-opkg-defects.uImage";
  json truth = json::parse(test::read_text(img.string() + ".truth.json"));
  std::uint64_t off = 0, size = 0;
  for (const auto& l : truth["container_layers"])
    if (l.value("format", "") == "squashfs") off = l["offset"], size = l.value("size", 0ull);
  auto fw = load_firmware(img, off, size, "armhf-modes");
  ASSERT_TRUE(fw);
  fs::path sq = fw->rootfs.parent_path() / "rootfs.sqfs";
  auto r = test::run("unsquashfs -lln " + q(sq));
  ASSERT_EQ(r.exit_code, 0);
  std::istringstream in(r.out);
  std::string line;
  std::size_t compared = 0, ww_listing = 0, suid_listing = 0;
  while (std::getline(in, line)) {
    if (line.size() < 11 || line.find("squashfs-root") == std::string::npos) continue;
    std::string perm = line.substr(0, 10);
    auto p = line.find("squashfs-root");
    std::string path = line.substr(p + 13);
    if (path.empty()) continue;
    if (auto arrow = path.find(" -> "); arrow != std::string::npos) path.resize(arrow);
    std::uint32_t mode = 0;
    const char* bits = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
      if (perm[1 + i] != '-') mode |= 1u << (8 - i);
    if (perm[3] == 's' || perm[3] == 'S') mode |= 04000;
    if (perm[6] == 's' || perm[6] == 'S') mode |= 02000;
    if (perm[9] == 't' || perm[9] == 'T') mode |= 01000;
    if (perm[3] == 'S') mode &= ~0100u;
    if (perm[6] == 'S') mode &= ~0010u;
    if (perm[9] == 'T') mode &= ~0001u;
    (void)bits;
    if (perm[0] != 'l' && (mode & 0002) && !(perm[0] == 'd' && (mode & 01000))) ++ww_listing;
    if (perm[0] == '-' && (mode & 06000)) ++suid_listing;
    auto recs = fw->inv.index->find(path);
    if (recs.empty() || perm[0] == 'l') continue;
    EXPECT_EQ(recs[0]->mode & 07777, mode) << path << " " << perm;
    ++compared;
  }
  EXPECT_GT(compared, 500u);
  auto ww = run_check(*checks::make_fs_world_writable_check(), *fw->inv.index);
  auto su = run_check(*checks::make_fs_setuid_check(), *fw->inv.index);
  EXPECT_EQ(ww.findings.size(), ww_listing);
  EXPECT_EQ(su.findings.size(), suid_listing);
  // The image has a sticky, world-writable /tmp (drwxrwxrwt) which must not be reported.
  const catalog::FileRecord* tmp = fw->inv.index->lookup(fw->inv.index->roots().front(), "/tmp");
  if (tmp) {
    EXPECT_EQ(tmp->mode & 07777, 01777u);
  }
}

TEST(ElfHardening, Arm64CorpusFactsAgreeWithChecksec) {
  const char* corpus = std::getenv("WAYBILL_CORPUS");
  fs::path img = fs::path(corpus ? corpus : "") / "arm64/fw-arm64-opkg.sqfs-gzip.img";
  if (!fs::exists(img)) GTEST_SKIP() << "generated corpus missing: " << img;
  auto fw = load_firmware(img, 0, 0, "arm64");
  ASSERT_TRUE(fw);
  std::size_t n = 0;
  for (const auto& [p, e] : fw->elf) {
    EXPECT_EQ(e->machine, 183) << p;  // EM_AARCH64
    EXPECT_EQ(e->elf_class, 2) << p;
    n += e->hardening.kind == ElfInfo::Kind::executable;
  }
  EXPECT_GT(n, 20u);
  if (!have("checksec") || fw->rootfs.empty()) GTEST_SKIP() << "checksec/unsquashfs missing";
  auto a = compare_with_checksec(fw->rootfs, [&](const std::string& rel) -> const ElfInfo* {
    auto it = fw->elf.find(rel);
    return it == fw->elf.end() ? nullptr : it->second;
  });
  EXPECT_GT(a.files, 100);
  report(a, "arm64 corpus");
}

// x86-64 programs and libraries of this machine, a deterministic sample.
TEST(ElfHardening, HostX86_64FactsAgreeWithChecksec) {
  if (!have("checksec")) GTEST_SKIP() << "checksec missing (scripts/setup.sh installs it)";
  fs::path tmp = test::temp_dir("h8a-x86");
  std::map<std::string, ElfInfo> ours;
  std::size_t picked = 0;
  for (const char* d : {"/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu"}) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(d, ec))
      if (de.is_regular_file(ec) && !de.is_symlink(ec)) files.push_back(de.path());
    std::sort(files.begin(), files.end());
    std::size_t taken = 0;
    for (std::size_t i = 0; i < files.size() && taken < 60; i += 7) {
      auto size = fs::file_size(files[i], ec);
      if (ec || size > (64u << 20)) continue;
      auto e = elf_of(files[i]);
      if (!e) continue;
      std::string rel =
          std::string("/") + fs::path(d).filename().string() + "-" + files[i].filename().string();
      fs::copy_file(files[i], tmp / rel.substr(1), ec);
      if (ec) continue;
      EXPECT_EQ(e->machine, 62) << files[i];  // EM_X86_64
      ours.emplace(rel, std::move(*e));
      ++taken;
      ++picked;
    }
  }
  ASSERT_GT(picked, 60u);
  auto a = compare_with_checksec(tmp, [&](const std::string& rel) -> const ElfInfo* {
    auto it = ours.find(rel);
    return it == ours.end() ? nullptr : &it->second;
  });
  EXPECT_GT(a.files, 60);
  report(a, "x86-64 host");
  fs::remove_all(tmp);
}

// Big-endian MIPS programs built with known hardening: exact facts, and checksec agrees.
TEST(ElfHardening, MipsBigEndianBuiltVariants) {
  fs::path dir = parts_dir() / "mipsbe";
  if (!fs::exists(dir / ".done")) GTEST_SKIP() << "MIPS BE parts not built (clang/ld.lld missing)";
  auto hard = elf_of(dir / "hard"), partial = elf_of(dir / "partial"), soft = elf_of(dir / "soft"),
       rwx = elf_of(dir / "rwx"), nostack = elf_of(dir / "nostack"), stat = elf_of(dir / "static");
  ASSERT_TRUE(hard && partial && soft && rwx && nostack && stat);
  for (const auto* e : {&*hard, &*partial, &*soft, &*rwx, &*nostack, &*stat}) {
    EXPECT_EQ(e->machine, 8);  // EM_MIPS
    EXPECT_TRUE(e->big_endian);
    EXPECT_EQ(e->elf_class, 1);
  }
  const auto& h = hard->hardening;
  EXPECT_EQ(h.kind, ElfInfo::Kind::executable);
  EXPECT_EQ(h.nx, Tri::yes);
  EXPECT_EQ(h.pie, Tri::yes);
  EXPECT_EQ(h.relro, ElfInfo::Relro::full);
  EXPECT_EQ(h.canary, Tri::yes);
  EXPECT_EQ(h.canary_symbol, "__stack_chk_fail");
  EXPECT_EQ(h.fortify, Tri::yes);
  EXPECT_EQ(h.fortified, 2u);    // __memcpy_chk, __printf_chk
  EXPECT_EQ(h.unfortified, 1u);  // strcpy
  EXPECT_EQ(h.fortified_names, (std::vector<std::string>{"__memcpy_chk", "__printf_chk"}));
  EXPECT_EQ(h.rwx_segments, 0u);

  EXPECT_EQ(partial->hardening.relro, ElfInfo::Relro::partial);
  EXPECT_EQ(partial->hardening.pie, Tri::no);
  EXPECT_EQ(partial->hardening.canary, Tri::yes);
  EXPECT_EQ(partial->hardening.fortify, Tri::no);

  const auto& s = soft->hardening;
  EXPECT_EQ(s.nx, Tri::no);
  EXPECT_TRUE(s.gnu_stack && s.gnu_stack_exec);
  EXPECT_EQ(s.relro, ElfInfo::Relro::none);
  EXPECT_EQ(s.canary, Tri::no);
  EXPECT_EQ(s.fortify, Tri::no);
  EXPECT_EQ(s.unfortified, 2u);
  EXPECT_TRUE(s.network_server);
  EXPECT_EQ(soft->rpath, "lib:/tmp/x");

  EXPECT_EQ(rwx->hardening.rwx_segments, 1u);
  EXPECT_EQ(rwx->hardening.nx, Tri::yes);
  EXPECT_FALSE(nostack->hardening.gnu_stack);
  EXPECT_EQ(nostack->hardening.nx, Tri::no);  // MIPS: absent PT_GNU_STACK = executable stack
  EXPECT_EQ(stat->hardening.kind, ElfInfo::Kind::static_executable);
  EXPECT_TRUE(stat->hardening.stripped);
  EXPECT_EQ(stat->hardening.canary, Tri::unknown);

  // The check on these files as one tree: the expected rules per file, nothing else.
  catalog::FileIndex idx;
  for (const char* n : {"hard", "partial", "soft", "rwx", "nostack", "static"}) {
    catalog::FileRecord r;
    r.root = "/";
    r.path = std::string("/usr/sbin/") + n;
    r.mode = 0755;
    r.elf = elf_of(dir / n);
    idx.add(std::move(r));
  }
  auto out = run_check(*checks::make_elf_hardening_check(), idx);
  std::set<std::string> got;
  for (const auto& f : out.findings)
    got.insert(f.path.substr(10) + ":" + f.rule + ":" + f.severity);
  std::set<std::string> want = {
      "partial:pie:low",
      "partial:relro-partial:info",
      "partial:fortify:info",
      // soft imports listen+accept: a network server, so severities are raised.
      "soft:nx:high",
      "soft:pie:medium",
      "soft:relro-none:medium",
      "soft:canary:medium",
      "soft:fortify:low",
      "soft:rpath:high",
      "rwx:rwx:medium",
      "rwx:pie:low",
      "rwx:canary:low",
      "rwx:fortify:info",
      "nostack:nx:medium",
      "nostack:pie:low",
      "nostack:canary:low",
      "nostack:fortify:info",
      "static:pie:low",
  };
  EXPECT_EQ(got, want);
  for (const auto& f : out.findings)
    if (f.rule == "rpath") {
      EXPECT_NE(f.detail.find("relative entry 'lib'"), std::string::npos) << f.detail;
      EXPECT_NE(f.detail.find("temporary directory '/tmp/x'"), std::string::npos) << f.detail;
    }
  if (!have("checksec")) GTEST_SKIP() << "checksec missing";
  std::map<std::string, ElfInfo> ours;
  for (const char* n : {"hard", "partial", "soft", "rwx", "nostack", "static"})
    ours.emplace(std::string("/") + n, *elf_of(dir / n));
  fs::path tmp = test::temp_dir("h8a-mipsbe");
  for (const auto& [n, e] : ours) fs::copy_file(dir / n.substr(1), tmp / n.substr(1));
  auto a = compare_with_checksec(tmp, [&](const std::string& rel) -> const ElfInfo* {
    auto it = ours.find(rel);
    return it == ours.end() ? nullptr : &it->second;
  });
  EXPECT_EQ(a.files, 6);
  report(a, "MIPS big-endian");
  fs::remove_all(tmp);
}

// Debian's mipsel busybox and libc: little-endian MIPS as distributions ship it.
TEST(ElfHardening, MipselDebianPackages) {
  fs::path root = parts_dir() / "mipsel/root";
  if (!fs::exists(parts_dir() / "mipsel/.done"))
    GTEST_SKIP() << "mipsel packages not downloaded (no network or apt-get download failed)";
  auto bb = elf_of(root / "bin/busybox");
  ASSERT_TRUE(bb);
  EXPECT_EQ(bb->machine, 8);
  EXPECT_FALSE(bb->big_endian);
  EXPECT_EQ(bb->hardening.kind, ElfInfo::Kind::executable);
  EXPECT_EQ(bb->hardening.pie, Tri::yes);
  EXPECT_NE(bb->hardening.relro, ElfInfo::Relro::unknown);
  if (!have("checksec")) GTEST_SKIP() << "checksec missing";
  std::map<std::string, ElfInfo> ours;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    if (auto e = elf_of(it->path()))
      ours.emplace("/" + fs::relative(it->path(), root).string(), std::move(*e));
  }
  EXPECT_GT(ours.size(), 10u);
  auto a = compare_with_checksec(root, [&](const std::string& rel) -> const ElfInfo* {
    auto it = ours.find(rel);
    return it == ours.end() ? nullptr : &it->second;
  });
  EXPECT_GT(a.files, 10);
  report(a, "mipsel Debian");
}

// ---------------------------------------------------------------------------------------------
// fs/world-writable and fs/setuid

TEST(FsPermissions, DirectoryTreeModes) {
  fs::path t = test::temp_dir("h8a-fs");
  // Files are copies of /usr/bin/true (a hardened Debian ELF program) unless `text` is given.
  auto mk = [&](const std::string& rel, fs::perms p, bool dir = false, const char* text = nullptr) {
    fs::path p2 = t / rel;
    fs::create_directories(dir ? p2 : p2.parent_path());
    if (text) {
      std::ofstream(p2) << text;
    } else if (!dir) {
      fs::copy_file("/usr/bin/true", p2, fs::copy_options::overwrite_existing);
    }
    fs::permissions(p2, p, fs::perm_options::replace);
  };
  using P = fs::perms;
  mk("tmp", P::all | P::sticky_bit, true);  // skipped: sticky
  mk("var/share", P::all, true);            // world-writable dir
  mk("etc/init.d/rcS", P::owner_all | P::group_read | P::others_read | P::others_write);
  mk("data/notes.txt", P::owner_read | P::owner_write | P::others_read | P::others_write, false,
     "notes\n");
  mk("usr/bin/suidprog",
     P::owner_all | P::group_read | P::group_exec | P::others_read | P::others_exec | P::set_uid);
  mk("usr/bin/passwd", P::owner_all | P::others_exec | P::set_uid);
  mk("usr/bin/sgidprog", P::owner_all | P::group_exec | P::set_gid);
  fs::create_symlink("/etc/init.d/rcS", t / "link-to-rcs");
  auto inv = pipeline::build_inventory(t.string(), pipeline::InventoryOptions{});
  ASSERT_TRUE(inv.ok());
  auto ww = run_check(*checks::make_fs_world_writable_check(), *inv->index);
  std::set<std::string> got;
  for (const auto& f : ww.findings) got.insert(f.path + ":" + f.rule + ":" + f.severity);
  EXPECT_EQ(got, (std::set<std::string>{"/var/share:directory:medium", "/etc/init.d/rcS:file:high",
                                        "/data/notes.txt:file:medium"}));
  auto su = run_check(*checks::make_fs_setuid_check(), *inv->index);
  got.clear();
  for (const auto& f : su.findings) {
    got.insert(f.path + ":" + f.rule + ":" + f.severity);
    EXPECT_NE(f.evidence.find("mode"), std::string::npos);
    EXPECT_NE(f.detail.find("ELF binary"), std::string::npos) << f.detail;
    EXPECT_FALSE(f.catalog.empty());
  }
  // /usr/bin/true is a hardened Debian binary: setuid "medium"; passwd is setuid by design.
  EXPECT_EQ(got,
            (std::set<std::string>{"/usr/bin/suidprog:setuid:medium", "/usr/bin/passwd:setuid:info",
                                   "/usr/bin/sgidprog:setgid:low"}));
  fs::remove_all(t);
}

// The setuid bit of /bin/su (mode 4755 in the archive fixtures) survives squashfs, cpio and tar.
TEST(FsPermissions, SetuidBitFromArchives) {
  fs::path dir = test::fixtures_dir() / "archives";
  int tested = 0;
  for (const char* name : {"sample-gzip.sqfs", "sample-xz.sqfs", "sample-newc.cpio",
                           "sample-odc.cpio", "sample.tar", "sample-pax.tar"}) {
    fs::path img = dir / name;
    if (!fs::exists(img)) continue;
    auto inv = pipeline::build_inventory(img.string(), pipeline::InventoryOptions{});
    ASSERT_TRUE(inv.ok()) << name;
    auto su = run_check(*checks::make_fs_setuid_check(), *inv->index);
    ASSERT_EQ(su.findings.size(), 1u) << name;
    EXPECT_EQ(su.findings[0].path, "/bin/su") << name;
    EXPECT_EQ(su.findings[0].evidence, "mode 4755") << name;
    EXPECT_EQ(su.findings[0].rule, "setuid");
    // su is setuid by design; this one is a text file, which the kernel would not run setuid.
    EXPECT_NE(su.findings[0].detail.find("not an ELF binary"), std::string::npos);
    ++tested;
  }
  if (tested == 0) GTEST_SKIP() << "archive fixtures missing (fixtures.build)";
}

// ---------------------------------------------------------------------------------------------
// kernel/config

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

catalog::FileIndex index_with(const std::string& path, std::string content) {
  catalog::FileIndex idx;
  catalog::FileRecord r;
  r.root = "/";
  r.path = path;
  r.mode = 0644;
  r.retained = true;
  r.content = std::move(content);
  r.size = r.content.size();
  idx.add(std::move(r));
  return idx;
}

// Every finding points at the line that holds the option (or says it is absent), and the set of
// findings follows from the text: checked against an independent grep of the config.
void check_config_findings(const std::string& text, const checks::CheckOutput& out) {
  auto lines = lines_of(text);
  json table = json::parse(std::string(data::kernel_hardening_json()));
  std::set<std::string> flagged;
  for (const auto& f : out.findings) {
    EXPECT_EQ(f.check, "kernel/config");
    EXPECT_FALSE(f.catalog.empty());
    flagged.insert(f.rule);
    if (f.line) {
      ASSERT_LE(*f.line, lines.size());
      EXPECT_EQ(lines[*f.line - 1], f.evidence) << f.rule;
    } else {
      EXPECT_NE(f.evidence.find("absent"), std::string::npos);
    }
  }
  // Options that need no arch/requires condition: finding iff the text does not say =y/=m.
  for (const auto& o : table["options"]) {
    if (o.contains("arch") || o.contains("requires") || o.contains("alternatives")) continue;
    std::string opt = o["option"];
    bool on = text.find("\nCONFIG_" + opt + "=y") != std::string::npos ||
              text.find("\nCONFIG_" + opt + "=m") != std::string::npos;
    bool want_finding = o["expect"] == "y" ? !on : on;
    EXPECT_EQ(flagged.count("CONFIG_" + opt) > 0, want_finding) << opt;
  }
}

TEST(KernelConfig, DebianArmmpConfig) {
  fs::path cfg = parts_dir() / "kernel/config-6.1-armmp";
  if (!fs::exists(cfg)) GTEST_SKIP() << "linux-config-6.1:armhf not downloaded";
  std::string text = test::read_text(cfg);
  auto idx = index_with("/boot/config-6.1.0-50-armmp", text);
  auto out = run_check(*checks::make_kernel_config_check(), idx);
  check_config_findings(text, out);
  std::set<std::string> rules;
  for (const auto& f : out.findings) rules.insert(f.rule);
  // Facts of Debian's armmp config (grep-checked above): strict RWX and the strong stack
  // protector are on; module signatures are not enforced; x86/arm64-only options not evaluated.
  EXPECT_FALSE(rules.count("CONFIG_STRICT_KERNEL_RWX"));
  EXPECT_FALSE(rules.count("CONFIG_STACKPROTECTOR_STRONG"));
  EXPECT_TRUE(rules.count("CONFIG_MODULE_SIG_FORCE"));
  EXPECT_FALSE(rules.count("CONFIG_RANDOMIZE_BASE"));
  EXPECT_FALSE(rules.count("CONFIG_PAGE_TABLE_ISOLATION"));
  ASSERT_EQ(out.diagnostics.items().size(), 1u);
  EXPECT_NE(out.diagnostics.items()[0].message.find("arch ARM"), std::string::npos);

  // The same config inside a kernel image (IKCONFIG) and gzip-compressed: same findings.
  fs::path tmp = test::temp_dir("h8a-kcfg");
  std::ofstream(tmp / "config") << text;
  auto gzr = test::run("gzip -9 -n -c " + q(tmp / "config"));  // run() captures stdout
  ASSERT_EQ(gzr.exit_code, 0);
  const std::string gz = gzr.out;
  std::string image =
      std::string(4096, '\x7f') + "IKCFG_ST" + gz + "IKCFG_ED" + std::string(99, 'k');
  for (const auto& [path, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"/proc/config.gz", gz}, {"/boot/vmlinux-6.1", image}}) {
    auto idx2 = index_with(path, bytes);
    auto out2 = run_check(*checks::make_kernel_config_check(), idx2);
    ASSERT_EQ(out2.findings.size(), out.findings.size())
        << path << " " << bytes.size() << " "
        << (out2.diagnostics.items().empty() ? "" : out2.diagnostics.items()[0].message);
    for (std::size_t i = 0; i < out.findings.size(); ++i) {
      EXPECT_EQ(out2.findings[i].rule, out.findings[i].rule);
      EXPECT_EQ(out2.findings[i].line, out.findings[i].line);
      EXPECT_EQ(out2.findings[i].evidence, out.findings[i].evidence);
    }
  }
  // A damaged gzip stream is a diagnostic, not a crash or a finding.
  std::string broken = gz.substr(0, gz.size() / 2);
  auto idx3 = index_with("/proc/config.gz", broken);
  auto out3 = run_check(*checks::make_kernel_config_check(), idx3);
  EXPECT_TRUE(out3.findings.empty());
  ASSERT_EQ(out3.diagnostics.items().size(), 1u);
  EXPECT_EQ(out3.diagnostics.items()[0].severity, Severity::warning);
  fs::remove_all(tmp);
}

// This machine's running kernel config (/proc/config.gz), a real x86-64 config.
TEST(KernelConfig, HostProcConfigGz) {
  if (!fs::exists("/proc/config.gz")) GTEST_SKIP() << "/proc/config.gz not available";
  std::string gz = test::read_text("/proc/config.gz");
  auto cfg = checks::read_kernel_config(gz);
  ASSERT_TRUE(cfg.ok());
  ASSERT_TRUE(cfg->has_value());
  EXPECT_EQ((*cfg)->how, "gzip");
  EXPECT_GT((*cfg)->options.size(), 500u);
  auto text = test::run("gzip -dc /proc/config.gz");
  ASSERT_EQ(text.exit_code, 0);
  auto idx = index_with("/proc/config.gz", gz);
  auto out = run_check(*checks::make_kernel_config_check(), idx);
  check_config_findings(text.out, out);
}

TEST(KernelConfig, ParserLines) {
  auto c = checks::parse_kernel_config(
      "#\n# Automatically generated file; DO NOT EDIT.\nCONFIG_A=y\n# CONFIG_B is not set\n"
      "CONFIG_C=\"str\"\r\nCONFIG_=x\n#CONFIG_D is not set\nCONFIG_E=0x10");
  ASSERT_EQ(c.options.size(), 4u);
  EXPECT_EQ(c.options["A"].value, "y");
  EXPECT_EQ(c.options["A"].line, 3u);
  EXPECT_EQ(c.options["B"].value, "n");
  EXPECT_EQ(c.options["C"].value, "str");
  EXPECT_EQ(c.options["E"].line, 8u);
  auto none = checks::read_kernel_config("just some text\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
