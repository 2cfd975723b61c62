// Hex encoding and SHA-256 (OpenSSL EVP), one-shot or incremental.
#pragma once

#include <openssl/types.h>

#include <string>

#include "core/bytes.h"

namespace waybill {

std::string hex_encode(ByteView v);

// Lowercase hex SHA-256 of a public key's SubjectPublicKeyInfo DER: the key fingerprint used by
// the checks, the verifiers and the policy; "" when the key cannot be encoded.
std::string spki_sha256_hex(EVP_PKEY* key);

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
