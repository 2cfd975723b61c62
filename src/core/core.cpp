#include <cstdio>
#include <string>

#include "core/diagnostic.h"
#include "core/limits.h"
#include "core/result.h"

namespace waybill {

const char* errc_name(Errc c) {
  switch (c) {
    case Errc::not_this_format: return "not-this-format";
    case Errc::truncated: return "truncated";
    case Errc::corrupt: return "corrupt";
    case Errc::unsupported: return "unsupported";
    case Errc::limit_exceeded: return "limit-exceeded";
    case Errc::unsafe: return "unsafe";
    case Errc::io: return "io";
    case Errc::usage: return "usage";
    case Errc::internal: return "internal";
  }
  return "internal";
}

static std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Error::to_string() const {
  std::string s = errc_name(code);
  if (offset) s += " at offset " + hex(*offset);
  s += ": " + message;
  return s;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::string Diagnostic::to_string() const {
  std::string s = std::string(severity_name(severity)) + ": ";
  if (!file.empty()) s += file;
  if (offset) s += (file.empty() ? "offset " : " @ ") + hex(*offset);
  if (!file.empty() || offset) s += ": ";
  if (!source.empty()) s += "[" + source + "] ";
  s += std::string(errc_name(code)) + ": " + message;
  return s;
}

Status Budget::charge_bytes(std::uint64_t n, std::uint64_t input_size,
                            std::uint64_t produced_so_far) {
  std::uint64_t total = total_bytes_.fetch_add(n) + n;
  if (total > limits_.max_total_bytes) {
    return Error(Errc::limit_exceeded, "total extracted size exceeds --max-total-size (" +
                                           std::to_string(limits_.max_total_bytes) + " bytes)");
  }
  std::uint64_t produced = produced_so_far + n;
  if (produced > limits_.ratio_floor_bytes && input_size > 0 &&
      static_cast<double>(produced) / static_cast<double>(input_size) > limits_.max_ratio) {
    return Error(Errc::limit_exceeded,
                 "expansion ratio exceeds --max-ratio (" + std::to_string(limits_.max_ratio) +
                     "): " + std::to_string(input_size) + " bytes expand past " +
                     std::to_string(produced) + " bytes; possible decompression bomb");
  }
  return check_time();
}

Status Budget::charge_file() {
  if (files_.fetch_add(1) + 1 > limits_.max_files) {
    return Error(Errc::limit_exceeded,
                 "file count exceeds --max-files (" + std::to_string(limits_.max_files) + ")");
  }
  return Status::success();
}

Status Budget::charge_chunk() {
  if (chunks_.fetch_add(1) + 1 > limits_.max_chunks) {
    return Error(Errc::limit_exceeded,
                 "chunk count exceeds the limit (" + std::to_string(limits_.max_chunks) + ")");
  }
  return check_time();
}

Status Budget::check_depth(std::uint32_t depth) const {
  if (depth > limits_.max_depth) {
    return Error(Errc::limit_exceeded,
                 "nesting depth exceeds --max-depth (" + std::to_string(limits_.max_depth) + ")");
  }
  return Status::success();
}

Status Budget::check_time() const {
  if (std::chrono::steady_clock::now() - start_ > limits_.max_time) {
    return Error(Errc::limit_exceeded, "time limit of " + std::to_string(limits_.max_time.count()) +
                                           " s (--max-time) reached");
  }
  return Status::success();
}

Status Budget::check_file_size(std::uint64_t n) const {
  if (n > limits_.max_file_bytes) {
    return Error(Errc::limit_exceeded, "object of " + std::to_string(n) +
                                           " bytes exceeds --max-file-size (" +
                                           std::to_string(limits_.max_file_bytes) + " bytes)");
  }
  return Status::success();
}

double Budget::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace waybill
