// Read-only memory map of an input file (the image is never copied into memory).
#pragma once

#include <string>

#include "core/bytes.h"
#include "core/result.h"

namespace waybill {

class MappedFile {
 public:
  static Result<MappedFile> open(const std::string& path);
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  ByteView view() const { return {static_cast<const std::uint8_t*>(addr_), size_}; }
  // Drop the mapped pages from this process's resident set. The mapping stays valid: pages are
  // read back from the page cache on the next access. Bounds the memory a huge image costs.
  void release_pages() const;

 private:
  MappedFile(void* a, std::size_t n) : addr_(a), size_(n) {}
  void* addr_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace waybill
