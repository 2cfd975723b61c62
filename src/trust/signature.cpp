// Detached signatures over artifacts with PEM public keys or X.509 certificates, and the CA
// trust store that anchors certificate chains.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "trust/crypto.h"
#include "trust/trust.h"

namespace waybill::trust {

using namespace detail;  // NOLINT(google-build-using-namespace)

struct TrustStore::Impl {
  std::vector<std::string> pems;
};

TrustStore::TrustStore() : impl_(std::make_unique<Impl>()) {}
TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;

Status TrustStore::add_pem(std::string_view pem, std::string_view origin) {
  auto certs = certs_from_pem(pem);
  if (certs.empty()) {
    return Error(Errc::corrupt, std::string(origin) + ": no PEM CERTIFICATE block");
  }
  for (auto& c : certs) impl_->pems.push_back(cert_to_pem(c.get()));
  return Status::success();
}

Status TrustStore::add_path(const std::string& path) {
  namespace fs = std::filesystem;
  constexpr std::uintmax_t kMaxFile = 16u << 20;
  auto read = [](const fs::path& p, std::string* out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    *out = ss.str();
    return true;
  };
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::size_t added = 0, seen = 0;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (++seen > 4096) break;
      if (!e.is_regular_file(ec) || e.file_size(ec) > kMaxFile) continue;
      std::string text;
      if (!read(e.path(), &text)) continue;
      if (add_pem(text, e.path().string()).ok()) ++added;
    }
    if (added == 0) return Error(Errc::corrupt, path + ": no CA certificate in the directory");
    return Status::success();
  }
  if (!fs::is_regular_file(path, ec)) return Error(Errc::io, path + ": not found");
  if (fs::file_size(path, ec) > kMaxFile) return Error(Errc::limit_exceeded, path + ": too large");
  std::string text;
  if (!read(path, &text)) return Error(Errc::io, path + ": cannot read");
  return add_pem(text, path);
}

std::size_t TrustStore::size() const {
  return impl_->pems.size();
}

const std::vector<std::string>& TrustStore::pem_certs() const {
  return impl_->pems;
}

Result<std::string> key_fingerprint(std::string_view pem) {
  PkeyPtr k = pubkey_from_pem(pem);
  if (!k) return Error(Errc::corrupt, "not a PEM public key or certificate");
  return spki_sha256_hex(k.get());
}

namespace {

// Signature bytes from raw / base64 / PEM input.
std::optional<Bytes> signature_bytes(ByteView sig, std::string* how) {
  std::string_view s = sig.str();
  auto begin = s.find("-----BEGIN ");
  if (begin != std::string_view::npos) {
    auto body = s.find('\n', begin);
    auto end = s.find("-----END ", begin);
    if (body == std::string_view::npos || end == std::string_view::npos || end < body) {
      return std::nullopt;
    }
    *how = "PEM";
    return b64_decode(s.substr(body + 1, end - body - 1));
  }
  bool text = !s.empty();
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '-' || c == '_' || c == '=' || c == '\n' || c == '\r' ||
              c == ' ' || c == '\t';
    if (!ok) {
      text = false;
      break;
    }
  }
  if (text) {
    if (auto d = b64_decode(s)) {
      *how = "base64";
      return d;
    }
  }
  *how = "raw";
  return Bytes(sig.begin(), sig.end());
}

}  // namespace

model::TrustVerdict verify_signature(ByteView artifact, ByteView signature, const KeySpec& key,
                                     const TrustStore* store, const SignatureOptions& opts) {
  std::string subject = opts.subject.empty() ? "sha256:" + sha256_hex(artifact) : opts.subject;
  model::TrustVerdict v = verdict("signature", subject, "fail", "");
  v.evidence.push_back("artifact sha256 " + sha256_hex(artifact));
  std::string how;
  auto sig = signature_bytes(signature, &how);
  if (!sig || sig->empty()) {
    v.detail = "signature is empty or not decodable (" + (how.empty() ? "?" : how) + ")";
    return v;
  }
  v.evidence.push_back("signature " + std::to_string(sig->size()) + " bytes (" + how + ")");

  auto certs = certs_from_pem(key.pem);
  PkeyPtr pkey =
      certs.empty() ? pubkey_from_pem(key.pem) : PkeyPtr(X509_get_pubkey(certs.front().get()));
  if (!pkey) {
    v.verdict = "unknown";
    v.detail = "key " + (key.name.empty() ? std::string("(unnamed)") : key.name) +
               " is not a PEM public key or certificate";
    return v;
  }
  std::string fp = spki_sha256_hex(pkey.get());
  v.key = key.name.empty() ? "sha256:" + fp : key.name + " (sha256:" + fp + ")";
  std::string used;
  std::string why = verify_raw(pkey.get(), md_of(opts.hash), artifact, *sig, opts.padding, &used);
  if (!why.empty()) {
    v.detail = why;
    return v;
  }
  v.evidence.push_back("algorithm " + used);
  if (certs.empty()) {
    v.verdict = "pass";
    v.detail = "signature verifies with " + used + " public key " + v.key;
    return v;
  }

  // Certificate key: the signature alone is not enough, the chain must reach a trusted CA.
  CertInfo ci = cert_info(certs.front().get());
  v.key = ci.identity() + " (sha256:" + fp + ")";
  v.evidence.push_back("certificate subject " + ci.subject + ", issuer " + ci.issuer);
  std::vector<X509Ptr> extra;
  for (const auto& p : key.chain_pem) {
    for (auto& c : certs_from_pem(p)) extra.push_back(std::move(c));
  }
  std::vector<X509*> untrusted;
  for (std::size_t i = 1; i < certs.size(); ++i) untrusted.push_back(certs[i].get());
  for (auto& c : extra) untrusted.push_back(c.get());
  std::vector<X509Ptr> anchor_owner;
  std::vector<X509*> anchors;
  if (store != nullptr) {
    for (const auto& p : store->pem_certs()) {
      for (auto& c : certs_from_pem(p)) {
        anchors.push_back(c.get());
        anchor_owner.push_back(std::move(c));
      }
    }
  }
  if (anchors.empty()) {
    v.verdict = "unknown";
    v.detail = "signature verifies with the certificate key (" + used +
               "), but no trust store was given to anchor the certificate";
    return v;
  }
  std::int64_t t = opts.time.value_or(now_unix());
  std::vector<std::string> path;
  why = verify_chain(certs.front().get(), untrusted, anchors, t, opts.require_code_signing, &path);
  if (!why.empty()) {
    v.kind = "x509";
    v.detail = "signature verifies (" + used + ") but " + why;
    return v;
  }
  std::string chain;
  for (const auto& p : path) chain += (chain.empty() ? "" : " / issued by ") + p;
  v.evidence.push_back("chain " + chain);
  v.verdict = "pass";
  v.detail = "signature verifies (" + used + ") with certificate " + ci.identity() +
             " chained to a trusted CA, valid at " + format_time(t);
  return v;
}

}  // namespace waybill::trust
