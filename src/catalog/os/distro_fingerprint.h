// Which distribution release built the binaries of an image, when no package database says so,
// and what that release ships.
//
// - Fingerprint (data/toolchains.json): every ELF file votes for the releases its idents name:
//   toolchain idents in .comment ("GCC: (Debian 12.2.0-14) 12.2.0") and the text matched by
//   its signature hits (libc banners "GNU C Library (Debian GLIBC 2.36-9+deb12u14)", stable
//   update revisions "+deb12u1"). The release with a strict majority of the voting files wins;
//   an os-release naming a known release wins over the votes.
// - Library table (data/distro-libraries.json, made by tools/gen-distro-libraries.sh): for a
//   release, the real file name of a shared library -> package, package version, upstream
//   project and version.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/file_index.h"
#include "model/component.h"

namespace waybill::catalog::os {

struct DistroRelease {
  std::string id;          // os-release ID, e.g. "debian"
  std::string version_id;  // os-release VERSION_ID, e.g. "12"; "" for a family (OpenWrt)
  std::string codename;
  std::string name;  // e.g. "Debian 12 (bookworm)"
  std::string key() const { return version_id.empty() ? id : id + "-" + version_id; }
};

// All releases of data/toolchains.json, in file order.
const std::vector<DistroRelease>& known_releases();

// Indexes into known_releases() of the releases one ident string names (usually 0 or 1).
std::vector<std::size_t> releases_of_ident(std::string_view ident);

struct DistroFingerprint {
  std::optional<DistroRelease> release;  // unset: unknown
  std::string source;                    // "os-release" or "binaries"
  std::size_t votes = 0;                 // ELF files that name the winning release
  std::size_t voters = 0;                // ELF files that name any known release
  std::string example;                   // one ident that named it
  std::string example_path;
  // One sentence for evidence details, e.g. "GCC 12.2.0-14 ... in 142 of 142 ELF files".
  std::string summary() const;
};

// One ELF file's idents (for the pure function below).
struct FileIdents {
  std::string path;
  std::vector<std::string> idents;
};

// Pure: the vote over files, and an os-release (may be null) that wins when it names a release.
DistroFingerprint fingerprint_from_idents(const std::vector<FileIdents>& files,
                                          const model::OperatingSystem* os_release);

// Over a walked index: ELF .comment strings and signature-hit texts of every ELF file, and the
// os-release of each root (retained contents only).
DistroFingerprint fingerprint_distro(const FileIndex& index);

// One library of data/distro-libraries.json.
struct DistroLibrary {
  std::string file;             // real file name, e.g. "libnl-3.so.200.26.0"
  std::string package;          // e.g. "libnl-3-200"
  std::string project;          // canonical name in data/components.json, e.g. "libnl"
  std::string version;          // upstream, e.g. "3.7.0"
  std::string package_version;  // e.g. "3.7.0-0.2+b1"
};

// The library of this release with this real file name, if the table has one.
std::optional<DistroLibrary> lookup_distro_library(const DistroRelease& release,
                                                   std::string_view file_name);

// Where the library table of a release came from ("deb.debian.org/debian bookworm 2026-..."),
// empty when the table has no entry for the release.
std::string distro_library_source(const DistroRelease& release);

// Every library of the table for a release (tests, documentation).
std::vector<DistroLibrary> distro_libraries(const DistroRelease& release);

}  // namespace waybill::catalog::os
