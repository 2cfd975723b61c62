#include "catalog/elf/elf_reader.h"

#include <gelf.h>
#include <libelf.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/embedded.h"

namespace waybill::catalog {

bool looks_like_elf(ByteView content) {
  return content.size() >= 52 && content.starts_with(0, "\177ELF");
}

namespace {

void init_libelf() {
  static std::once_flag once;
  std::call_once(once, [] { elf_version(EV_CURRENT); });
}

struct ElfHandle {
  Elf* e = nullptr;
  ~ElfHandle() {
    if (e) elf_end(e);
  }
};

std::string strptr(Elf* e, std::size_t section, std::size_t off) {
  const char* s = elf_strptr(e, section, off);
  return s ? std::string(s) : std::string();
}

// ".comment" holds NUL-terminated idents, one per object file linked in, mostly repeated.
void read_comments(ByteView section, std::vector<std::string>& out) {
  std::string_view s = section.str();
  std::size_t pos = 0;
  while (pos < s.size() && out.size() < ElfInfo::kMaxComments) {
    auto end = s.find('\0', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view one = s.substr(pos, std::min(end - pos, ElfInfo::kMaxCommentBytes));
    pos = end + 1;
    bool printable = !one.empty() && std::all_of(one.begin(), one.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    if (printable && std::find(out.begin(), out.end(), one) == out.end()) out.emplace_back(one);
  }
}

// A buffer the size of the ELF file holding only its headers, section header table and the
// small sections the reader looks at (dynamic, string tables, notes, .modinfo, .comment); large
// sections such as .text are left uninitialised and never read.
class SparseCopy {
 public:
  explicit SparseCopy(ByteView v) : size_(v.size()), buf_(new char[v.size()]) {
    const bool is64 = v.u8(4) == 2;
    const bool be = v.u8(5) == 2;
    auto u16 = [&](std::uint64_t o) { return (be ? v.be16(o) : v.le16(o)).value_or(0); };
    auto u32 = [&](std::uint64_t o) { return (be ? v.be32(o) : v.le32(o)).value_or(0); };
    auto u64 = [&](std::uint64_t o) { return (be ? v.be64(o) : v.le64(o)).value_or(0); };
    auto addr = [&](std::uint64_t o) { return is64 ? u64(o) : std::uint64_t{u32(o)}; };
    const std::uint64_t phoff = addr(is64 ? 32 : 28), shoff = addr(is64 ? 40 : 32);
    const std::uint16_t phentsize = u16(is64 ? 54 : 42), phnum = u16(is64 ? 56 : 44);
    const std::uint16_t shentsize = u16(is64 ? 58 : 46), shnum = u16(is64 ? 60 : 48);
    copy(v, 0, is64 ? 64 : 52);
    copy(v, phoff, std::uint64_t{phentsize} * phnum);
    copy(v, shoff, std::uint64_t{shentsize} * shnum);
    for (std::uint64_t i = 0; i < shnum && shentsize >= (is64 ? 64u : 40u); ++i) {
      std::uint64_t sh = shoff + i * shentsize;
      std::uint32_t type = u32(sh + 4);
      std::uint64_t off = addr(sh + (is64 ? 24 : 16)), size = addr(sh + (is64 ? 32 : 20));
      bool wanted = type == SHT_DYNAMIC || type == SHT_STRTAB || type == SHT_NOTE ||
                    type == SHT_DYNSYM || type == SHT_GNU_verdef || type == SHT_GNU_verneed ||
                    (type == SHT_PROGBITS && size <= (1u << 20));
      if (wanted && type != SHT_NOBITS) copy(v, off, size);
    }
  }
  char* data() { return buf_.get(); }
  std::size_t size() const { return size_; }

 private:
  void copy(ByteView v, std::uint64_t off, std::uint64_t len) {
    ByteView part = v.sub(off, len);
    if (!part.empty()) std::memcpy(buf_.get() + off, part.data(), part.size());
  }
  std::size_t size_;
  std::unique_ptr<char[]> buf_;
};

// Symbol names that tell about hardening (data/checks/elf-hardening.json), loaded once.
struct HardeningSymbols {
  std::unordered_set<std::string> canary;   // __stack_chk_fail ...
  std::unordered_set<std::string> fortify;  // plain names: memcpy, printf ...
};

const HardeningSymbols& hardening_symbols() {
  static const HardeningSymbols syms = [] {
    HardeningSymbols s;
    auto j = nlohmann::json::parse(data::elf_hardening_json(), nullptr, false);
    if (j.is_discarded()) return s;
    for (const auto& n : j.value("canary_symbols", nlohmann::json::array()))
      if (n.is_string()) s.canary.insert(n.get<std::string>());
    for (const auto& n : j.value("fortify_functions", nlohmann::json::array()))
      if (n.is_string()) s.fortify.insert(n.get<std::string>());
    return s;
  }();
  return syms;
}

// Hardening facts gathered while reading one file.
struct SymbolFacts {
  std::unordered_set<std::string> fortified, unfortified;
  bool imports_listen = false, imports_accept = false;
};

// Reads one symbol table (SHT_DYNSYM or SHT_SYMTAB) straight from the file bytes: libelf's copy
// of the file holds only small sections, and a symbol table needs nothing but its entries and
// the linked string table. Bounded by the table size and kMaxSymbols.
void scan_symbols(ByteView content, bool is64, bool be, const GElf_Shdr& sym, const GElf_Shdr& str,
                  bool dynamic_table, ElfInfo::Hardening& hd, SymbolFacts& facts) {
  constexpr std::uint64_t kMaxSymbols = 1u << 20;
  const std::uint64_t ent = is64 ? 24 : 16;
  if (sym.sh_entsize != 0 && sym.sh_entsize < ent) return;
  const std::uint64_t step = sym.sh_entsize ? sym.sh_entsize : ent;
  ByteView table = content.sub(sym.sh_offset, sym.sh_size);
  ByteView strings = content.sub(str.sh_offset, str.sh_size);
  const auto& known = hardening_symbols();
  const std::uint64_t n = std::min<std::uint64_t>(table.size() / step, kMaxSymbols);
  if (dynamic_table)
    hd.dynsym_count = static_cast<std::uint32_t>(n);
  else
    hd.symtab_count = static_cast<std::uint32_t>(n);
  for (std::uint64_t i = 1; i < n; ++i) {  // entry 0 is the null symbol
    const std::uint64_t o = i * step;
    auto name_off = be ? table.be32(o) : table.le32(o);
    auto shndx = be ? table.be16(o + (is64 ? 6 : 14)) : table.le16(o + (is64 ? 6 : 14));
    if (!name_off || !shndx || *name_off == 0) continue;
    std::string_view name = strings.cstr(*name_off, 256);
    if (name.empty()) continue;
    const bool undefined = *shndx == SHN_UNDEF;
    if (name[0] == '_') {
      if (hd.canary_symbol.empty() && known.canary.count(std::string(name)))
        hd.canary_symbol = std::string(name);
      // __<fn>_chk: a fortified call (imported by dynamic files, linked in by static ones).
      if (name.size() > 6 && name.starts_with("__") && name.ends_with("_chk") &&
          (undefined || !dynamic_table)) {
        std::string base(name.substr(2, name.size() - 6));
        if (known.fortify.count(base)) facts.fortified.insert(std::move(base));
      }
      continue;
    }
    if (!(undefined || !dynamic_table)) continue;
    if (known.fortify.count(std::string(name))) facts.unfortified.insert(std::string(name));
    if (dynamic_table && undefined) {
      if (name == "listen") facts.imports_listen = true;
      if (name == "accept" || name == "accept4") facts.imports_accept = true;
    }
  }
}

// Derives the three-valued results from the raw facts (see ElfInfo::Hardening).
void finish_hardening(ElfInfo& info, bool has_interp, bool has_modinfo, const SymbolFacts& f) {
  using Tri = ElfInfo::Tri;
  using Kind = ElfInfo::Kind;
  auto& hd = info.hardening;
  hd.present = true;
  switch (info.type) {
    case ET_REL:
      hd.kind = has_modinfo || !info.vermagic.empty() ? Kind::kernel_module : Kind::object;
      break;
    case ET_EXEC:
      hd.kind = has_interp || hd.dynamic ? Kind::executable : Kind::static_executable;
      break;
    case ET_DYN:
      if (has_interp && (hd.df1_pie || info.soname.empty()))
        hd.kind = Kind::executable;
      else if (!has_interp && hd.df1_pie)
        hd.kind = Kind::static_executable;  // static-pie
      else
        hd.kind = Kind::shared_library;
      break;
    default:
      hd.kind = Kind::other;
  }
  const bool linked = hd.kind == Kind::executable || hd.kind == Kind::static_executable ||
                      hd.kind == Kind::shared_library;
  if (!linked) return;

  // NX. Without PT_GNU_STACK the kernel decides: on AArch64 the stack stays non-executable; on
  // 32-bit ARM, MIPS and i386 it becomes executable (READ_IMPLIES_EXEC); x86-64 kernels before
  // 5.8 did the same, so an absent header counts as an executable stack there too.
  if (hd.gnu_stack)
    hd.nx = hd.gnu_stack_exec ? Tri::no : Tri::yes;
  else if (!hd.has_phdrs)
    hd.nx = Tri::unknown;
  else
    hd.nx = info.machine == EM_AARCH64 ? Tri::yes : Tri::no;

  if (hd.kind != Kind::shared_library) hd.pie = info.type == ET_DYN ? Tri::yes : Tri::no;

  hd.relro = !hd.gnu_relro ? ElfInfo::Relro::none
             : hd.bind_now ? ElfInfo::Relro::full
                           : ElfInfo::Relro::partial;

  // Canary: a dynamic file imports __stack_chk_fail (or the guard) when any of its functions is
  // protected, so its dynamic symbols tell; a static one only tells through .symtab.
  if (!hd.canary_symbol.empty())
    hd.canary = Tri::yes;
  else if (hd.dynamic && hd.has_dynsym)
    hd.canary = Tri::no;
  else if (!hd.stripped)
    hd.canary = Tri::no;
  else
    hd.canary = Tri::unknown;

  hd.fortified = static_cast<std::uint32_t>(f.fortified.size());
  hd.unfortified = static_cast<std::uint32_t>(f.unfortified.size());
  for (const auto& n : f.fortified) {
    if (hd.fortified_names.size() >= ElfInfo::Hardening::kMaxNames) break;
    hd.fortified_names.push_back("__" + n + "_chk");
  }
  std::sort(hd.fortified_names.begin(), hd.fortified_names.end());
  if (hd.fortified > 0)
    hd.fortify = Tri::yes;
  else if (hd.unfortified > 0)
    hd.fortify = Tri::no;
  else
    hd.fortify = Tri::unknown;  // nothing fortifiable used, or no symbols to tell
  hd.network_server = f.imports_listen && f.imports_accept;
}

}  // namespace

std::optional<ElfInfo> read_elf(ByteView content) {
  if (!looks_like_elf(content)) return std::nullopt;
  init_libelf();
  // libelf may convert data in place for a foreign byte order, so it gets a private copy rather
  // than the (possibly read-only, memory-mapped) input. Only the parts it is asked about are
  // copied; the rest of the buffer stays untouched (and, being a fresh allocation, not resident).
  SparseCopy copy(content);
  ElfHandle h;
  h.e = elf_memory(copy.data(), copy.size());
  if (!h.e || elf_kind(h.e) != ELF_K_ELF) return std::nullopt;
  GElf_Ehdr eh;
  if (!gelf_getehdr(h.e, &eh)) return std::nullopt;
  ElfInfo info;
  info.machine = eh.e_machine;
  info.elf_class = eh.e_ident[EI_CLASS];
  info.big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
  info.type = eh.e_type;

  auto& hd = info.hardening;
  bool has_interp = false, has_modinfo = false;
  SymbolFacts facts;
  hd.stripped = true;
  std::size_t phnum = 0;
  if (elf_getphdrnum(h.e, &phnum) == 0) {
    for (std::size_t i = 0; i < phnum && i < 4096; ++i) {
      GElf_Phdr ph;
      if (!gelf_getphdr(h.e, static_cast<int>(i), &ph)) continue;
      hd.has_phdrs = true;
      if (ph.p_type == PT_INTERP) has_interp = true;
      if (ph.p_type == PT_DYNAMIC) hd.dynamic = true;
      if (ph.p_type == PT_GNU_RELRO) hd.gnu_relro = true;
      if (ph.p_type == PT_GNU_STACK) {
        hd.gnu_stack = true;
        hd.gnu_stack_exec = (ph.p_flags & PF_X) != 0;
      }
      if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W) && (ph.p_flags & PF_X)) {
        if (hd.rwx_segments++ == 0) hd.rwx_offset = ph.p_offset;
      }
      if (ph.p_type == PT_INTERP && ph.p_offset < content.size()) {
        info.interpreter =
            std::string(content.cstr(ph.p_offset, std::min<std::uint64_t>(ph.p_filesz, 256)));
      }
    }
  }

  std::size_t shstrndx = 0;
  if (elf_getshdrstrndx(h.e, &shstrndx) != 0) {
    finish_hardening(info, has_interp, has_modinfo, facts);
    return info;
  }
  const bool is64 = info.elf_class == ELFCLASS64;
  Elf_Scn* scn = nullptr;
  std::size_t guard = 0;
  while ((scn = elf_nextscn(h.e, scn)) != nullptr && ++guard < 65536) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    std::string name = strptr(h.e, shstrndx, sh.sh_name);
    if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
      const bool dyn = sh.sh_type == SHT_DYNSYM;
      if (dyn)
        hd.has_dynsym = true;
      else
        hd.stripped = false;
      GElf_Shdr str;
      Elf_Scn* link = elf_getscn(h.e, sh.sh_link);
      if (link && gelf_getshdr(link, &str) && str.sh_type == SHT_STRTAB)
        scan_symbols(content, is64, info.big_endian, sh, str, dyn, hd, facts);
      continue;
    }
    if (sh.sh_type == SHT_DYNAMIC) {
      Elf_Data* d = elf_getdata(scn, nullptr);
      if (!d || sh.sh_entsize == 0) continue;
      std::size_t n = d->d_size / sh.sh_entsize;
      for (std::size_t i = 0; i < n && i < 65536; ++i) {
        GElf_Dyn dyn;
        if (!gelf_getdyn(d, static_cast<int>(i), &dyn)) break;
        if (dyn.d_tag == DT_NULL) break;
        switch (dyn.d_tag) {
          case DT_NEEDED:
            info.needed.push_back(strptr(h.e, sh.sh_link, dyn.d_un.d_val));
            break;
          case DT_SONAME:
            info.soname = strptr(h.e, sh.sh_link, dyn.d_un.d_val);
            break;
          case DT_RPATH:
            info.rpath = strptr(h.e, sh.sh_link, dyn.d_un.d_val);
            break;
          case DT_RUNPATH:
            info.runpath = strptr(h.e, sh.sh_link, dyn.d_un.d_val);
            break;
          case DT_BIND_NOW:
            hd.bind_now = true;
            break;
          case DT_FLAGS:
            if (dyn.d_un.d_val & DF_BIND_NOW) hd.bind_now = true;
            break;
          case DT_FLAGS_1:
            if (dyn.d_un.d_val & DF_1_NOW) hd.bind_now = true;
            if (dyn.d_un.d_val & DF_1_PIE) hd.df1_pie = true;
            break;
          case DT_DEBUG:
            hd.dt_debug = true;
            break;
          default:
            break;
        }
      }
    } else if (name == ".modinfo" && sh.sh_type != SHT_NOBITS) {
      has_modinfo = true;
      ByteView mi = content.sub(sh.sh_offset, sh.sh_size);
      std::string_view s = mi.str();
      auto p = s.find("vermagic=");
      if (p != std::string_view::npos) {
        auto end = s.find('\0', p);
        info.vermagic =
            std::string(s.substr(p + 9, end == std::string_view::npos ? 256 : end - p - 9));
      }
    } else if (name == ".comment" && sh.sh_type == SHT_PROGBITS) {
      read_comments(content.sub(sh.sh_offset, std::min<std::uint64_t>(sh.sh_size, 64 * 1024)),
                    info.comments);
    } else if (name == ".note.package" && sh.sh_type == SHT_NOTE) {
      // Note: namesz, descsz, type, name ("FDO\0"), desc (JSON), 4-byte aligned.
      ByteView n = content.sub(sh.sh_offset, sh.sh_size);
      bool be = info.big_endian;
      auto rd = [&](std::uint64_t o) { return be ? n.be32(o) : n.le32(o); };
      auto namesz = rd(0), descsz = rd(4);
      if (namesz && descsz && *namesz < 64 && *descsz < 65536) {
        std::uint64_t desc_off = 12 + ((*namesz + 3) & ~3u);
        info.package_note = std::string(n.cstr(desc_off, *descsz));
      }
    }
  }
  finish_hardening(info, has_interp, has_modinfo, facts);
  return info;
}

}  // namespace waybill::catalog
