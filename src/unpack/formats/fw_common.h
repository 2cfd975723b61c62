// Small helpers shared by the firmware container unpackers (uimage, fit, trx, android-sparse,
// cramfs). Internal to unpack/formats.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/bytes.h"

namespace waybill::unpack::fw {

// Standard CRC-32 (IEEE, as zlib and U-Boot compute it), continuing from `crc`.
inline std::uint32_t crc32(ByteView v, std::uint32_t crc = 0) {
  uLong c = crc;
  const std::uint8_t* p = v.data();
  std::size_t n = v.size();
  while (n > 0) {
    auto step = static_cast<uInt>(n < (1u << 30) ? n : (1u << 30));
    c = ::crc32(c, p, step);
    p += step;
    n -= step;
  }
  return static_cast<std::uint32_t>(c);
}

inline std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

inline std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

inline bool printable(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace waybill::unpack::fw
