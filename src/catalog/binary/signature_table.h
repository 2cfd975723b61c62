// Binary version signatures: data/signatures.json, compiled into one Vectorscan database.
//
// Each signature names a component and one or more regular expressions whose first capture group
// is the version. Vectorscan finds candidate match ends in one pass over a file; RE2 then
// extracts the version from a small window around each candidate (Vectorscan reports every
// match end and no capture groups, see ../shared/reference/dependencies.md section 2).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/file_index.h"
#include "core/bytes.h"
#include "core/result.h"

namespace waybill::catalog {

// A positive example from the table: text as it appears in a real binary, the version the
// signature must extract from it, and (for signatures restricted by `files`) a path it applies to.
struct SignatureExample {
  std::string text;
  std::string version;
  std::string path;
};

struct Signature {
  std::string id;                 // unique, e.g. "busybox", "openssl-libcrypto"
  std::string name;               // component name, e.g. "busybox", "openssl"
  std::string vendor;             // CPE vendor, e.g. "busybox"
  std::string product;            // CPE product
  std::vector<std::string> cpes;  // CPE 2.3 templates with "{version}"; default from vendor/product
  std::string purl;  // purl template with "{version}", default "pkg:generic/<name>@{version}"
  std::string supplier;
  std::vector<std::string> licenses;  // SPDX ids / expression
  std::string type = "application";   // CycloneDX component type
  std::vector<std::string> patterns;  // regexes, group 1 = version
  std::vector<std::string> files;     // optional in-root path globs where it applies
  double confidence = 0.8;
  // Strings that must NOT surround the match (e.g. "compiled against"), optional.
  std::vector<std::string> reject_context;
  // Hits count only in ELF files, raw blobs and files named by `files`, unless this is set
  // (firmware images such as U-Boot and kernels are not ELF). Text files (docs, changelogs,
  // package databases) quote versions of everything and would otherwise produce false positives.
  bool any_file = false;
  // Upper bound of SignatureHit::matched (the kernel banner needs more than the default).
  std::size_t max_matched = 200;
  std::vector<SignatureExample> examples;
};

class SignatureTable {
 public:
  // Parse the JSON table. Errors name the signature and field.
  static Result<SignatureTable> parse(std::string_view json);
  // The table compiled into the binary.
  static const SignatureTable& builtin();
  const std::vector<Signature>& all() const { return sigs_; }
  const Signature& at(std::size_t i) const { return sigs_.at(i); }
  // Index of the signature with this id, or -1.
  int index_of(std::string_view id) const;

 private:
  std::vector<Signature> sigs_;
};

class SignatureScanner {
 public:
  explicit SignatureScanner(const SignatureTable& table);
  ~SignatureScanner();
  SignatureScanner(const SignatureScanner&) = delete;
  SignatureScanner& operator=(const SignatureScanner&) = delete;
  // Compiling the Vectorscan databases costs ~0.2 s of CPU, a large share of a small scan. When
  // `cache_dir` is given, compiled databases are kept there (keyed by a hash of the patterns, the
  // Vectorscan version and the CPU platform) and reused; an unusable cache file is recompiled.
  Status compile(const std::string& cache_dir = "");
  // All signature hits in one file's content; `path` is the in-root path (for `files` globs).
  // Thread-compatible: one scanner per thread.
  std::vector<SignatureHit> scan(ByteView content, std::string_view path) const;
  const SignatureTable& table() const { return table_; }

 private:
  const SignatureTable& table_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace waybill::catalog
