// Limits on the work that untrusted input can cause, and the running budget that enforces them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace waybill {

struct Limits {
  std::uint64_t max_total_bytes = 8ull << 30;  // everything extracted or decompressed, summed
  std::uint64_t max_file_bytes = 1ull << 30;   // one extracted file or decompressed stream
  double max_ratio = 200.0;                    // extracted bytes / input bytes, per container
  std::uint64_t ratio_floor_bytes = 64ull << 20;  // ratio is only enforced above this output
  std::uint32_t max_depth = 8;                 // nesting of containers
  std::uint64_t max_files = 200000;            // files + directories + links, summed
  std::uint64_t max_chunks = 10000;            // carved chunks, summed
  std::chrono::seconds max_time{600};          // wall time for the whole run
};

// Shared by every unpacker in one run. Unpackers call charge_* before materialising data and
// stop with the returned error when a limit is hit.
class Budget {
 public:
  explicit Budget(Limits l) : limits_(l), start_(std::chrono::steady_clock::now()) {}

  const Limits& limits() const { return limits_; }

  // Account `n` more output bytes produced from a container whose input is `input_size` bytes and
  // which has produced `produced_so_far` bytes before this call: checks the total size, the
  // container's expansion ratio and the time. The size of one object is check_file_size()'s job.
  Status charge_bytes(std::uint64_t n, std::uint64_t input_size, std::uint64_t produced_so_far);
  Status charge_file();
  Status charge_chunk();
  Status check_depth(std::uint32_t depth) const;
  Status check_time() const;
  // For streams: is a single object of `n` bytes acceptable?
  Status check_file_size(std::uint64_t n) const;

  std::uint64_t total_bytes() const { return total_bytes_.load(); }
  std::uint64_t files() const { return files_.load(); }
  std::uint64_t chunks() const { return chunks_.load(); }
  double elapsed_seconds() const;

 private:
  Limits limits_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<std::uint64_t> total_bytes_{0};
  std::atomic<std::uint64_t> files_{0};
  std::atomic<std::uint64_t> chunks_{0};
};

}  // namespace waybill
