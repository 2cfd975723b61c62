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
};

class Walker final : public unpack::TreeVisitor {
 public:
  Walker(const CatalogerRegistry& catalogers, const SignatureScanner* scanner, FileIndex& index,
         WalkOptions opts = {});

  Status file(const unpack::VEntry& e, ByteView content) override;
  Status directory(const unpack::VEntry& e) override;
  Status link(const unpack::VEntry& e) override;

 private:
  bool wanted(std::string_view path) const;
  std::vector<std::string_view> patterns_;
  const SignatureScanner* scanner_;
  FileIndex& index_;
  WalkOptions opts_;
  std::uint64_t bytes_ = 0, files_ = 0;
};

std::string sha256_hex(ByteView data);

}  // namespace waybill::catalog
