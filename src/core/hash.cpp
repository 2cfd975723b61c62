#include "core/hash.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace waybill {

std::string hex_encode(ByteView v) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(v.size() * 2);
  for (std::uint8_t b : v) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256::update(ByteView v) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), v.data(), v.size());
}

std::string Sha256::hex_final() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), md, &len);
  return hex_encode(ByteView(md, len));
}

std::string spki_sha256_hex(EVP_PKEY* key) {
  if (!key) return "";
  int n = i2d_PUBKEY(key, nullptr);
  if (n <= 0) return "";
  std::string der(static_cast<std::size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PUBKEY(key, &p) != n) return "";
  Sha256 h;
  h.update(ByteView(der));
  return h.hex_final();
}

}  // namespace waybill
