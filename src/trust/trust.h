// `waybill verify`: signatures over images, X.509 chains, DSSE / in-toto / SLSA attestations,
// Sigstore bundles (offline, against a supplied trusted_root.json), U-Boot FIT signatures and the
// file hashes an SBOM declares. Every function returns verdicts ("pass", "fail", "unknown") that
// say what was checked and why; nothing throws, nothing prints.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/file_index.h"
#include "core/bytes.h"
#include "core/result.h"
#include "model/report.h"

namespace waybill::trust {

// What an attestation's builder, source and signer must be. Patterns are exact strings, or globs
// where '*' matches any run of characters (so "https://github.com/org/*" is a prefix match).
// An empty list means "not constrained" (the verdict then says the value was not checked).
struct TrustPolicy {
  std::vector<std::string> allowed_builders;  // SLSA builder.id
  std::vector<std::string> allowed_sources;   // source repository URI (configSource / workflow)
  // Signing keys: lowercase hex SHA-256 of the SubjectPublicKeyInfo DER. When non-empty, a key
  // that is not listed (or a certificate whose key is not listed) does not count as trusted.
  std::vector<std::string> allowed_key_fingerprints;
  // Certificate identities (SAN URI / email) and OIDC issuers (Fulcio extension) of signers.
  std::vector<std::string> allowed_signers;
  std::vector<std::string> allowed_issuers;
  bool require_provenance = false;  // no SLSA provenance among the statements -> fail
};

// CA certificates that anchor X.509 chains (PEM bundle files or directories of them).
class TrustStore {
 public:
  TrustStore();
  ~TrustStore();
  TrustStore(TrustStore&&) noexcept;
  TrustStore& operator=(TrustStore&&) noexcept;
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  // Adds every CERTIFICATE block of a PEM text; error when it holds none.
  Status add_pem(std::string_view pem, std::string_view origin = "pem");
  // A PEM file, or every regular file of a directory (non-recursive; files without certificates
  // are skipped in a directory, an error for a single file).
  Status add_path(const std::string& path);
  std::size_t size() const;
  // The certificates as PEM (for code that builds its own X509_STORE).
  const std::vector<std::string>& pem_certs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A verification key: a PEM public key, or one or more PEM certificates (leaf first, then
// untrusted intermediates). `chain_pem` adds more intermediates.
struct KeySpec {
  std::string pem;
  std::vector<std::string> chain_pem;
  std::string name;  // shown in verdicts; defaults to the key fingerprint
};

enum class HashAlg { sha256, sha384, sha512 };
enum class RsaPadding { auto_detect, pkcs1v15, pss };

struct SignatureOptions {
  HashAlg hash = HashAlg::sha256;                // ignored for Ed25519 (pure EdDSA)
  RsaPadding padding = RsaPadding::auto_detect;  // auto: PKCS#1 v1.5, then PSS (salt auto)
  std::optional<std::int64_t> time;  // UNIX seconds for certificate validity; default now
  bool require_code_signing = true;  // EKU, when present, must include codeSigning
  std::string subject;               // name of the artifact, for the verdict
};

// Detached signature over `artifact`. `signature` is raw bytes, base64 text, or a PEM block
// ("-----BEGIN SIGNATURE-----"). ECDSA signatures may be DER or raw r||s (IEEE P1363).
// With a certificate key, the chain is built to `store` (required for a pass) and checked for
// validity at opts.time and key usage digitalSignature / EKU codeSigning.
model::TrustVerdict verify_signature(ByteView artifact, ByteView signature, const KeySpec& key,
                                     const TrustStore* store, const SignatureOptions& opts = {});

// Artifact digest as "sha256:<hex>", "sha512:<hex>" or bare hex (64 chars sha256, 128 sha512).
struct AttestationInput {
  std::vector<std::string> artifact_digests;
  ByteView artifact;                  // optional: its sha256/sha512 are added to artifact_digests
  std::vector<KeySpec> keys;          // trusted DSSE keys (public keys or certificates)
  const TrustStore* store = nullptr;  // CA anchors for certificate keys
  std::string trusted_root_json;      // Sigstore trusted_root.json text (Fulcio CAs, Rekor keys)
  TrustPolicy policy;
  std::optional<std::int64_t> time;  // verification time (default now; Sigstore: integratedTime)
  std::string name;                  // document name, used as verdict subject prefix
};

// A DSSE envelope (JSON, or JSON Lines of envelopes), a Sigstore bundle (v0.1/0.2/0.3), an npm
// attestations document ({"attestations":[{bundle}...]}) or a Google Cloud Build provenance
// document ({"provenance_summary":...}). One verdict per checked aspect: "dsse" (signatures),
// "in-toto" (subject digests), "slsa" (builder/source policy), "sigstore" (certificate chain,
// transparency log), "x509".
std::vector<model::TrustVerdict> verify_attestation(std::string_view document,
                                                    const AttestationInput& in);

// Keys for FIT verification: PEM public keys / certificates, and/or a U-Boot control DTB whose
// /signature/key-<name> nodes hold RSA (rsa,modulus, rsa,exponent) or ECDSA (ecdsa,x-point,
// ecdsa,y-point, ecdsa,curve) public keys.
struct FitKeys {
  std::vector<KeySpec> pem_keys;
  ByteView control_dtb;
};

// Verifies /images/*/signature* nodes (value over the image data) and
// /configurations/*/signature* nodes (value over the hashed-nodes regions of the FIT structure).
// One verdict per signature node; "fail" also when the FIT has no signature at all.
std::vector<model::TrustVerdict> verify_fit_signatures(ByteView fit_image, const FitKeys& keys);

// Compares the file hashes an SBOM declares (component.files[].sha256) with the files actually
// present (FileIndex sha256 by path, in the same root when the SBOM names one). One verdict per
// component that declares hashes: pass, or fail listing mismatching and missing files.
std::vector<model::TrustVerdict> verify_sbom_hashes(const model::Sbom& declared,
                                                    const catalog::FileIndex& actual);

// Lowercase hex SHA-256 of the SubjectPublicKeyInfo DER of a PEM public key or certificate.
Result<std::string> key_fingerprint(std::string_view pem);

}  // namespace waybill::trust
