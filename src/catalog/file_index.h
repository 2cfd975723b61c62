// What the walk learned about every file of the extracted tree, kept small: metadata, hashes,
// ELF facts, version-signature hits, and the contents of the few files catalogers asked for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "unpack/unpacker.h"

namespace waybill::catalog {

struct ElfInfo {
  std::uint16_t machine = 0;   // e_machine
  std::uint8_t elf_class = 0;  // 1 = 32-bit, 2 = 64-bit
  bool big_endian = false;
  std::uint16_t type = 0;      // e_type (ET_EXEC, ET_DYN, ET_REL ...)
  std::string soname;
  std::vector<std::string> needed;
  std::string rpath, runpath, interpreter;
  // Kernel modules (.ko): the "vermagic=" value from .modinfo, e.g. "6.1.0-50-armmp SMP ...".
  std::string vermagic;
  // ".note.package" (FDO packaging metadata) JSON, if present.
  std::string package_note;
  // ".comment" strings: toolchain idents such as "GCC: (Debian 12.2.0-14) 12.2.0" (distinct,
  // printable, at most kMaxComments of at most kMaxCommentBytes each). Distribution packages
  // usually strip the section (Debian's dh_strip does); vendor and OpenWrt/Buildroot builds keep it.
  static constexpr std::size_t kMaxComments = 16;
  static constexpr std::size_t kMaxCommentBytes = 200;
  std::vector<std::string> comments;

  // Exploit-mitigation facts (checks/elf_hardening.cpp), read in the same walk from the program
  // headers, the dynamic section and the symbol tables. Three-valued: "unknown" where the file
  // does not tell (e.g. canary of a stripped static binary).
  enum class Tri : std::uint8_t { unknown, no, yes };
  enum class Kind : std::uint8_t {
    unknown,
    executable,         // ET_EXEC or PIE executable with an interpreter
    static_executable,  // no PT_INTERP and no PT_DYNAMIC (or static-pie)
    shared_library,     // ET_DYN without interpreter / PIE flag, or with a SONAME
    kernel_module,      // ET_REL with .modinfo
    object,             // other ET_REL
    other               // core files and the like
  };
  enum class Relro : std::uint8_t { unknown, none, partial, full };
  struct Hardening {
    bool present = false;       // the facts below were computed
    Kind kind = Kind::unknown;
    bool has_phdrs = false;     // any program headers at all
    bool gnu_stack = false;     // PT_GNU_STACK present
    bool gnu_stack_exec = false;  // its flags include PF_X
    Tri nx = Tri::unknown;      // stack not executable (absent PT_GNU_STACK: see elf_reader.cpp)
    Tri pie = Tri::unknown;     // executables only; libraries and objects stay unknown
    Relro relro = Relro::unknown;
    bool gnu_relro = false;     // PT_GNU_RELRO present
    bool bind_now = false;      // DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW
    bool df1_pie = false;       // DF_1_PIE
    bool dt_debug = false;      // DT_DEBUG (what checksec 2.6 uses to tell PIE from DSO)
    bool dynamic = false;       // PT_DYNAMIC present
    Tri canary = Tri::unknown;
    std::string canary_symbol;  // the symbol that told (e.g. "__stack_chk_fail")
    // FORTIFY_SOURCE: imported *_chk functions of the fortifiable set, and plain fortifiable
    // functions imported (in dynsym for dynamic files, symtab for static ones).
    Tri fortify = Tri::unknown;
    std::uint32_t fortified = 0, unfortified = 0;
    std::vector<std::string> fortified_names;  // at most kMaxNames
    bool stripped = false;       // no .symtab
    bool has_dynsym = false;
    std::uint32_t dynsym_count = 0, symtab_count = 0;
    std::uint32_t rwx_segments = 0;     // PT_LOAD with both PF_W and PF_X
    std::uint64_t rwx_offset = 0;       // p_offset of the first such segment
    bool network_server = false;        // imports listen() and accept()/accept4()
    static constexpr std::size_t kMaxNames = 32;
  };
  Hardening hardening;
};

// One hit of a binary version signature (data/signatures.json) in a file.
struct SignatureHit {
  std::uint32_t signature = 0;  // index into the signature table
  std::uint64_t offset = 0;     // offset of the matched text in the file
  std::string matched;          // the matched text (bounded length)
  std::string version;          // extracted version
};

struct FileRecord {
  std::string root;  // virtual root (see unpack::VEntry)
  std::string path;  // in-root path, starting with '/'
  unpack::EntryType type = unpack::EntryType::file;
  std::uint32_t mode = 0;
  std::uint32_t uid = 0, gid = 0;  // owner as recorded by the container
  std::uint64_t size = 0;
  std::string link_target;
  bool blob = false;          // raw region rather than a filesystem entry
  std::string sha256;         // hex, regular files only
  std::optional<ElfInfo> elf;
  std::vector<SignatureHit> hits;
  bool retained = false;      // content kept because a cataloger wants it
  std::string content;        // retained content (bounded by kMaxRetainedBytes)
};

class FileIndex {
 public:
  static constexpr std::uint64_t kMaxRetainedBytes = 16ull << 20;

  std::size_t add(FileRecord r);
  const std::vector<FileRecord>& files() const { return files_; }
  std::vector<FileRecord>& files() { return files_; }
  // Records with this in-root path, in any root.
  std::vector<const FileRecord*> find(std::string_view path) const;
  // The record with this path in the given root, following symlinks inside the root (bounded).
  const FileRecord* lookup(std::string_view root, std::string_view path) const;
  // Distinct roots that contain at least one filesystem entry.
  std::vector<std::string> roots() const;

 private:
  std::vector<FileRecord> files_;
  std::unordered_multimap<std::string, std::size_t> by_path_;
};

// Lexical normalisation clamped at the root: "/a/../b/./c" -> "/b/c", "../.." -> "/".
std::string normalize_path(std::string_view p);

// Glob match for in-root paths: '*' matches within one path segment, '**' across segments.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace waybill::catalog
