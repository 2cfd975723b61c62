// ELF facts from an in-memory file (elfutils libelf): class, byte order, machine, SONAME,
// NEEDED, RPATH/RUNPATH, interpreter, kernel-module vermagic, .note.package, .comment idents.
#pragma once

#include <optional>

#include "catalog/file_index.h"
#include "core/bytes.h"

namespace waybill::catalog {

bool looks_like_elf(ByteView content);
// nullopt when the bytes are not a readable ELF file.
std::optional<ElfInfo> read_elf(ByteView content);

}  // namespace waybill::catalog
