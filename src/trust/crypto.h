// Internal helpers of the trust stage: base64, digests, OpenSSL key / certificate handling,
// signature verification with the algorithm taken from the key, X.509 chain building.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/hash.h"
#include "core/result.h"
#include "trust/trust.h"

namespace waybill::trust::detail {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

using Bytes = std::vector<std::uint8_t>;

// Standard or URL-safe alphabet, padding optional, ASCII whitespace ignored; nullopt on any other
// character or impossible length.
std::optional<Bytes> b64_decode(std::string_view s);
// As b64_decode, but whitespace is an error too (DSSE fields, log entries).
std::optional<Bytes> b64_decode_strict(std::string_view s);
std::string b64_encode(ByteView v);
std::string hex(ByteView v);
std::optional<Bytes> hex_decode(std::string_view s);
std::string lower(std::string_view s);

const EVP_MD* md_of(HashAlg h);
Bytes digest(const EVP_MD* md, ByteView data);
std::string sha256_hex(ByteView data);

// Every CERTIFICATE block of a PEM text, in order.
std::vector<X509Ptr> certs_from_pem(std::string_view pem);
X509Ptr cert_from_der(ByteView der);
// A PEM "PUBLIC KEY" (or RSA PUBLIC KEY) block, or the key of the first certificate.
PkeyPtr pubkey_from_pem(std::string_view pem);
PkeyPtr pubkey_from_der(ByteView spki_der);
Bytes spki_der(EVP_PKEY* key);
// "Ed25519", "ECDSA P-256", "RSA-2048" ...
std::string key_description(EVP_PKEY* key);
std::string cert_to_pem(X509* c);

// Verifies `sig` over `msg` with the key's algorithm: Ed25519 (md ignored), ECDSA (DER or raw
// r||s), RSA (PKCS#1 v1.5 and/or PSS with auto salt length). Returns "" on success, else why not.
std::string verify_raw(EVP_PKEY* key, const EVP_MD* md, ByteView msg, ByteView sig,
                       RsaPadding padding = RsaPadding::auto_detect, std::string* used = nullptr);

// Facts about a certificate for reports and policy.
struct CertInfo {
  std::string subject, issuer, serial;
  std::vector<std::string> san_uris, san_emails, san_dns;
  std::string oidc_issuer;                     // Fulcio 1.3.6.1.4.1.57264.1.8 (or legacy .1.1)
  std::string build_signer_uri;                // 1.3.6.1.4.1.57264.1.9
  std::string source_repo_uri;                 // 1.3.6.1.4.1.57264.1.12
  std::string source_repo_digest;              // 1.3.6.1.4.1.57264.1.13
  std::string source_repo_ref;                 // 1.3.6.1.4.1.57264.1.14
  std::int64_t not_before = 0, not_after = 0;  // UNIX seconds
  std::string identity() const;                // first SAN URI, else email, else DNS, else subject
};
CertInfo cert_info(X509* c);

// Chain of `leaf` to one of `anchors` through `untrusted`, valid at `time`. On success returns
// "" and fills `path` (subjects, leaf first); else the reason. Key usage digitalSignature and
// (when require_code_signing and the certificate has an EKU) codeSigning are checked on the leaf.
std::string verify_chain(X509* leaf, const std::vector<X509*>& untrusted,
                         const std::vector<X509*>& anchors, std::int64_t time,
                         bool require_code_signing, std::vector<std::string>* path = nullptr);

std::int64_t now_unix();
// RFC 3339 UTC ("2021-03-07T03:20:29.000Z" or with +hh:mm offset); nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);
std::string format_time(std::int64_t t);

// '*' matches any run of characters; everything else literally.
bool wildcard_match(std::string_view pattern, std::string_view text);
bool any_match(const std::vector<std::string>& patterns, std::string_view text);

model::TrustVerdict verdict(std::string kind, std::string subject, std::string verdict,
                            std::string detail);

}  // namespace waybill::trust::detail
