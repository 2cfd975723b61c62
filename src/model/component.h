// The inventory model shared by catalogers, the merge step and the SBOM encoders.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"

namespace waybill::model {

// How and where a component was seen. Every component carries at least one.
struct Evidence {
  std::string method;      // "package-db/dpkg", "package-db/opkg", "package-db/apk",
                           // "binary-signature", "elf-soname", "filename", "kernel-banner",
                           // "kernel-vermagic", "os-release", "build-manifest/buildroot" ...
  std::string source;      // cataloger id that produced it
  std::string path;        // in-root path, e.g. "/usr/sbin/dropbear" (or DB file)
  std::string root;        // virtual root (which extracted filesystem), "" for the input itself
  std::optional<std::uint64_t> offset;  // byte offset of the match inside `path`
  std::string matched;     // the matched text, e.g. "Dropbear sshd v2022.83"
  std::string version;     // version this evidence alone implies ("" if none)
  double confidence = 0.5; // 0..1
  std::string detail;      // free text, e.g. the signature id or "Package: busybox-static"
};

struct FileHash {
  std::string path;    // in-root path
  std::string root;
  std::string sha256;  // lowercase hex
  std::uint64_t size = 0;
};

struct Component {
  std::string bom_ref;       // stable id, filled by the merge step
  std::string type = "library";  // CycloneDX type: application, library, operating-system, firmware
  std::string name;          // package name where a DB knows it, else the upstream product name
  std::string version;       // exact upstream version, e.g. "1.35.0"
  std::string package_version;  // full distribution version, e.g. "1:1.35.0-4+deb12u1+b1"
  std::string source_package;   // e.g. "busybox"
  std::string upstream_name;    // e.g. "busybox" (product name used for CPE/purl generic)
  std::string ecosystem;     // "deb", "opkg", "apk", "buildroot", "yocto", "generic", "kernel"
  std::string distro;        // e.g. "debian-12", "openwrt"
  std::string arch;
  std::string purl;
  std::vector<std::string> cpes;  // CPE 2.3 formatted strings
  std::string supplier;      // organisation or maintainer
  std::string author;
  std::vector<std::string> licenses;  // SPDX ids or expressions as found
  std::string description;
  std::string homepage;
  std::vector<FileHash> files;
  std::vector<Evidence> evidence;
  std::vector<std::string> depends;   // names of components it depends on (package DB)
  std::vector<std::string> notes;     // e.g. disagreement between package DB and binary
  std::map<std::string, std::string> properties;  // extra facts (waybill:* properties)
  double confidence = 0.0;  // max of evidence confidences after merge
};

// What was scanned.
struct Target {
  std::string name;      // file or directory name as given
  std::string kind;      // "image", "directory"
  std::string sha256;    // images only
  std::uint64_t size = 0;
};

struct OperatingSystem {
  std::string id, name, version_id, version, pretty_name, id_like, path;
};

}  // namespace waybill::model
