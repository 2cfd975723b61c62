// A TreeVisitor that materialises the extracted tree inside a SandboxDir (`waybill unpack`).
#pragma once

#include "core/diagnostic.h"
#include "core/sandbox.h"
#include "unpack/engine.h"

namespace waybill::unpack {

class DiskWriter final : public TreeVisitor {
 public:
  explicit DiskWriter(SandboxDir& dir) : dir_(dir) {}
  Status file(const VEntry& e, ByteView content) override;
  Status directory(const VEntry& e) override;
  Status link(const VEntry& e) override;

  // Problems writing single entries (refused links, name clashes); fatal I/O errors are returned.
  const Diagnostics& diagnostics() const { return diags_; }
  std::uint64_t refused() const { return refused_; }

 private:
  static std::string rel(const std::string& root, const std::string& path);
  Status handle(Status st, const VEntry& e);
  SandboxDir& dir_;
  Diagnostics diags_;
  std::uint64_t refused_ = 0;
};

}  // namespace waybill::unpack
