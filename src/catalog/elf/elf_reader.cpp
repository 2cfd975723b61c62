#include "catalog/elf/elf_reader.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

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

  std::size_t phnum = 0;
  if (elf_getphdrnum(h.e, &phnum) == 0) {
    for (std::size_t i = 0; i < phnum && i < 4096; ++i) {
      GElf_Phdr ph;
      if (!gelf_getphdr(h.e, static_cast<int>(i), &ph)) continue;
      if (ph.p_type == PT_INTERP && ph.p_offset < content.size()) {
        info.interpreter =
            std::string(content.cstr(ph.p_offset, std::min<std::uint64_t>(ph.p_filesz, 256)));
      }
    }
  }

  std::size_t shstrndx = 0;
  if (elf_getshdrstrndx(h.e, &shstrndx) != 0) return info;
  Elf_Scn* scn = nullptr;
  std::size_t guard = 0;
  while ((scn = elf_nextscn(h.e, scn)) != nullptr && ++guard < 65536) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    std::string name = strptr(h.e, shstrndx, sh.sh_name);
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
          default:
            break;
        }
      }
    } else if (name == ".modinfo" && sh.sh_type != SHT_NOBITS) {
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
  return info;
}

}  // namespace waybill::catalog
