// Hex encoding and SHA-256 (OpenSSL EVP), one-shot or incremental.
#pragma once

#include <string>

#include "core/bytes.h"

namespace waybill {

std::string hex_encode(ByteView v);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(ByteView v);
  std::string hex_final();  // lowercase hex digest; the object is spent afterwards

 private:
  void* ctx_;  // EVP_MD_CTX*
};

}  // namespace waybill
