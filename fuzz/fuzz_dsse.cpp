// libFuzzer harness for DSSE / in-toto / Cloud Build documents: the input is the document given
// to verify_attestation, with a fixed Ed25519 verification key and artifact digest so the
// signature, statement and policy paths all run.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "trust/trust.h"

namespace {

std::string make_key_pem() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(b, k);
  char* data = nullptr;
  long len = BIO_get_mem_data(b, &data);
  std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(b);
  EVP_PKEY_free(k);
  return pem;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string pem = make_key_pem();
  waybill::trust::AttestationInput in;
  in.name = "fuzz";
  in.keys = {waybill::trust::KeySpec{pem, {}, "fuzz-key"}};
  in.artifact_digests = {"sha256:" + std::string(64, 'a')};
  in.policy.allowed_builders = {"https://builder.example/*"};
  in.policy.allowed_sources = {"https://git.example/*"};
  in.policy.require_provenance = true;
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  auto vs = waybill::trust::verify_attestation(doc, in);
  (void)vs;
  return 0;
}
