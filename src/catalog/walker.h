// The single walk over the extracted tree: a TreeVisitor that fills a FileIndex.
//
// For each regular file it computes SHA-256, reads ELF facts, runs the binary version
// signatures, and keeps the contents of files some cataloger asked for. Nothing is written to
// disk, so `waybill scan` reads every byte of the image once.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/binary/signature_table.h"
#include "catalog/cataloger.h"
#include "catalog/file_index.h"
#include "unpack/engine.h"

namespace waybill::catalog {

struct WalkOptions {
  bool hash = true;
  bool signatures = true;
  bool elf = true;
  // Called after every file with the running byte count (for progress bars); may be empty.
  std::function<void(std::uint64_t bytes, std::uint64_t files)> progress;
  // Further in-root globs whose contents are retained, beside the catalogers' wants (the
  // pipeline passes the checks' wants here).
  std::vector<std::string> extra_wants;
  // Content trigger: also retain files of any path that carry key or certificate material
  // ("-----BEGIN " PEM armour, a PuTTY key header, or DER ASN.1 at the start of a *.der, *.key,
  // *.p8, *.crt, *.cer, *.pem file). ELF files are not considered. Bounded by size and count.
  bool key_material = true;
  std::uint64_t key_material_max_bytes = 1ull << 20;
  std::size_t key_material_max_files = 4096;
};

class Walker final : public unpack::TreeVisitor {
 public:
  Walker(const CatalogerRegistry& catalogers, const SignatureScanner* scanner, FileIndex& index,
         WalkOptions opts = {});
  // patterns_ holds views into opts_.extra_wants: not copyable or movable.
  Walker(const Walker&) = delete;
  Walker& operator=(const Walker&) = delete;

  Status file(const unpack::VEntry& e, ByteView content) override;
  Status directory(const unpack::VEntry& e) override;
  Status link(const unpack::VEntry& e) override;

 private:
  bool wanted(std::string_view path) const;
  bool key_material(std::string_view path, ByteView content) const;
  std::vector<std::string_view> patterns_;
  std::size_t key_material_files_ = 0;
  const SignatureScanner* scanner_;
  FileIndex& index_;
  WalkOptions opts_;
  std::uint64_t bytes_ = 0, files_ = 0;
};

std::string sha256_hex(ByteView data);

// True when `content` looks like key or certificate material (see WalkOptions::key_material):
// PEM armour anywhere, a PuTTY private-key header at the start, or, for files named *.der,
// *.key, *.p8, *.crt, *.cer, *.pem, a DER SEQUENCE whose length spans the file.
bool looks_like_key_material(std::string_view path, ByteView content);

}  // namespace waybill::catalog
