// Multi-literal search for container magics (one Vectorscan pass over a buffer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace waybill::unpack {

struct MagicHit {
  std::uint64_t start;  // candidate chunk start (magic position minus magic offset)
  std::uint32_t tag;    // caller's tag given to add()
};

class MagicScanner {
 public:
  MagicScanner();
  ~MagicScanner();
  MagicScanner(const MagicScanner&) = delete;
  MagicScanner& operator=(const MagicScanner&) = delete;

  void add(std::string_view bytes, std::uint32_t offset_in_chunk, std::uint32_t tag);
  Status compile();
  // All candidate starts in `data`, sorted by start then tag (registration order).
  // `between_windows`, if set, is called after each 64 MiB window (lets a caller release the
  // pages of a memory-mapped input while scanning it).
  std::vector<MagicHit> scan(ByteView data, const std::function<void()>& between_windows = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace waybill::unpack
