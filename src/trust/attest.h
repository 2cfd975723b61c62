// Internal pieces shared by the DSSE, Sigstore and Cloud Build verifiers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "trust/crypto.h"
#include "trust/trust.h"

namespace waybill::trust::detail {

constexpr std::size_t kMaxDocumentBytes = 64u << 20;
constexpr std::size_t kMaxSignatures = 64;
constexpr std::size_t kMaxSubjects = 10000;
constexpr int kMaxJsonDepth = 64;

struct DsseSignature {
  bool has_keyid = false;
  std::string keyid;
  std::string sig_text;      // as written (base64)
  std::optional<Bytes> sig;  // decoded; nullopt when not base64
  std::string cert_pem;      // "cert" field some producers add (slsa-github-generator v1)
};

struct Envelope {
  std::string payload_type;
  std::string payload_text;  // base64 as written
  Bytes payload;
  std::vector<DsseSignature> signatures;
};

// Parses a DSSE envelope object; error text when it is not one.
Result<Envelope> parse_envelope(const nlohmann::json& j);
// "DSSEv1" SP len(type) SP type SP len(body) SP body
Bytes pae(std::string_view type, ByteView body);

// A key a DSSE signature may be checked with.
struct CandidateKey {
  PkeyPtr key;
  std::string name;  // for reports
  std::string fingerprint;
  bool trusted = false;  // supplied by the caller (and allowed by policy)
};

// Keys from AttestationInput::keys, marked trusted unless the policy's fingerprint list excludes
// them.
std::vector<CandidateKey> supplied_keys(const AttestationInput& in);

// Checks every signature with the candidate keys (plus the signature's own "cert" field, used as
// an untrusted key whose certificate is reported separately). One "dsse" verdict: pass when some
// signature verifies with some key; `signer_cert` receives the certificate that verified, if any.
model::TrustVerdict verify_dsse(const Envelope& env, std::vector<CandidateKey>& keys,
                                const std::string& subject, bool keyid_required,
                                std::string* signer_cert_pem);

// in-toto statement and SLSA provenance checks of a payload: "in-toto" (type, subject digests vs
// the artifact) and "slsa" (builder / source against policy) verdicts.
std::vector<model::TrustVerdict> check_statement(const Envelope& env, const AttestationInput& in,
                                                 const std::string& subject);

// Artifact digests as (algorithm, lowercase hex), from the input digests and bytes.
std::vector<std::pair<std::string, std::string>> artifact_digests(const AttestationInput& in);

// Signer identity (certificate SAN / OIDC issuer) against policy: one "x509" verdict.
model::TrustVerdict check_signer_identity(const CertInfo& ci, const TrustPolicy& policy,
                                          const std::string& subject);

// Cloud Build provenance document ({"image_summary", "provenance_summary"}).
std::vector<model::TrustVerdict> verify_gcb(const nlohmann::json& doc, const AttestationInput& in,
                                            const std::string& subject);

// Sigstore bundle (any version) or npm attestations document.
std::vector<model::TrustVerdict> verify_sigstore_bundle(const nlohmann::json& bundle,
                                                        const AttestationInput& in,
                                                        const std::string& subject);

}  // namespace waybill::trust::detail
