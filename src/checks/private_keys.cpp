// Check "crypto/private-keys" (FW-02, FW-03): private keys shipped in the image.
//
// Looks at every retained file (the walk keeps files carrying key material whatever their path):
// PEM blocks (PKCS#1 "RSA/EC/DSA PRIVATE KEY", legacy-encrypted PEM with Proc-Type/DEK-Info,
// PKCS#8 "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"), whole-file DER PKCS#1 /
// PKCS#8 / encrypted PKCS#8 and PuTTY .ppk files. OpenSSL parses each key for its type and size
// and the SHA-256 of the public key's SubjectPublicKeyInfo DER; for OpenSSH and PuTTY keys the
// public half is stored in clear and is rebuilt from the SSH wire format, so the hash is known
// even when the private part is encrypted. Encrypted keys are reported at a lower severity.
// Certificates in the image with the same public key are named in the finding.
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/walker.h"
#include "checks/check.h"
#include "core/embedded.h"
#include "core/hash.h"

namespace waybill::checks {
namespace {

constexpr std::string_view kId = "crypto/private-keys";
constexpr std::size_t kMaxBlocksPerFile = 4096;

const std::vector<model::CatalogRef>& catalog_refs() {
  static const std::vector<model::CatalogRef> refs = [] {
    std::vector<model::CatalogRef> out;
    auto cc = nlohmann::json::parse(data::content_checks_json(), nullptr, false);
    if (!cc.is_object()) return out;
    for (const char* fw : {"FW-02"})
      for (const auto& r : cc["catalog"][fw])
        if (r.is_array() && r.size() == 2)
          out.push_back({r[0].get<std::string>(), r[1].get<std::string>()});
    return out;
  }();
  return refs;
}

struct PemBlock {
  std::string label;       // "RSA PRIVATE KEY"
  std::string_view text;   // BEGIN line to END line inclusive
  std::string_view body;   // between the armour lines (headers + base64)
  std::uint32_t line = 0;  // 1-based line of the BEGIN line
  std::uint64_t offset = 0;
};

std::vector<PemBlock> pem_blocks(std::string_view s) {
  std::vector<PemBlock> out;
  static constexpr std::string_view kBegin = "-----BEGIN ";
  std::size_t pos = 0;
  std::uint32_t line = 1;
  std::size_t counted = 0;
  while (out.size() < kMaxBlocksPerFile) {
    std::size_t b = s.find(kBegin, pos);
    if (b == std::string_view::npos) break;
    std::size_t le = s.find("-----", b + kBegin.size());
    if (le == std::string_view::npos || le - b > 100) {
      pos = b + kBegin.size();
      continue;
    }
    std::string label(s.substr(b + kBegin.size(), le - b - kBegin.size()));
    std::string end = "-----END " + label + "-----";
    std::size_t e = s.find(end, le + 5);
    if (e == std::string_view::npos) {
      pos = le + 5;
      continue;
    }
    for (std::size_t k = counted; k < b; ++k)
      if (s[k] == '\n') ++line;
    counted = b;
    PemBlock blk;
    blk.label = label;
    blk.text = s.substr(b, e + end.size() - b);
    blk.body = s.substr(le + 5, e - le - 5);
    blk.line = line;
    blk.offset = b;
    out.push_back(std::move(blk));
    pos = e + end.size();
  }
  return out;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

int no_password(char*, int, int, void*) {
  return -1;
}

std::string decode_base64(std::string_view b64) {
  std::string clean;
  clean.reserve(b64.size());
  for (char c : b64)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')
      clean.push_back(c);
  if (clean.empty() || clean.size() % 4 != 0) return "";
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) return "";
  std::size_t pad = 0;
  if (clean.ends_with("=="))
    pad = 2;
  else if (clean.ends_with("="))
    pad = 1;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

// SSH wire format reader (RFC 4251 string / uint32), bounds-checked.
struct Wire {
  std::string_view d;
  bool ok = true;
  std::uint32_t u32() {
    if (d.size() < 4) {
      ok = false;
      return 0;
    }
    auto b = reinterpret_cast<const unsigned char*>(d.data());
    std::uint32_t v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                      (std::uint32_t{b[2]} << 8) | b[3];
    d.remove_prefix(4);
    return v;
  }
  std::string_view str() {
    std::uint32_t n = u32();
    if (!ok || n > d.size()) {
      ok = false;
      return {};
    }
    std::string_view s = d.substr(0, n);
    d.remove_prefix(n);
    return s;
  }
};

struct KeyInfo {
  std::string type;  // "RSA", "EC", "ED25519", "DSA" ...
  int bits = 0;
  std::string spki_sha256;
  bool encrypted = false;
  std::string cipher;  // for encrypted keys, when known
  std::string format;  // "PKCS#1 PEM", "PKCS#8 PEM", "OpenSSH", "PuTTY", "PKCS#8 DER" ...
};

void fill_from_pkey(EVP_PKEY* pk, KeyInfo& k) {
  const char* tn = EVP_PKEY_get0_type_name(pk);
  k.type = tn ? tn : "unknown";
  k.bits = EVP_PKEY_get_bits(pk);
  k.spki_sha256 = spki_sha256_hex(pk);
}

BIGNUM* mpint(std::string_view s) {
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()),
                   nullptr);
}

// Public key from an SSH public-key blob ("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp*").
void fill_from_ssh_blob(std::string_view blob, KeyInfo& k) {
  Wire w{blob};
  std::string_view type = w.str();
  if (!w.ok) return;
  k.type = std::string(type);
  EVP_PKEY* pk = nullptr;
  if (type == "ssh-rsa") {
    std::string_view e = w.str(), n = w.str();
    if (!w.ok) return;
    BIGNUM* be = mpint(e);
    BIGNUM* bn = mpint(n);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM* params = nullptr;
    if (bld && be && bn && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
      params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1)
      EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(be);
    BN_free(bn);
  } else if (type == "ssh-ed25519") {
    std::string_view pub = w.str();
    if (!w.ok || pub.size() != 32) return;
    pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                     reinterpret_cast<const unsigned char*>(pub.data()), 32);
  } else if (type.starts_with("ecdsa-sha2-")) {
    std::string_view curve = w.str(), q = w.str();
    if (!w.ok) return;
    const char* group = curve == "nistp256"   ? "P-256"
                        : curve == "nistp384" ? "P-384"
                        : curve == "nistp521" ? "P-521"
                                              : nullptr;
    if (!group) return;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(q.data()),
                                          q.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
      EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
  } else if (type == "ssh-dss") {
    std::string_view p = w.str();
    if (!w.ok) return;
    BIGNUM* bp = mpint(p);
    k.type = "DSA";
    k.bits = bp ? BN_num_bits(bp) : 0;
    BN_free(bp);
    return;
  }
  if (pk) {
    fill_from_pkey(pk, k);
    EVP_PKEY_free(pk);
  }
}

std::optional<KeyInfo> parse_openssh(std::string_view body) {
  std::string bin = decode_base64(body);
  static constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
  if (bin.size() < kMagic.size() || std::string_view(bin).substr(0, kMagic.size()) != kMagic)
    return std::nullopt;
  Wire w{std::string_view(bin).substr(kMagic.size())};
  KeyInfo k;
  k.format = "OpenSSH";
  std::string_view cipher = w.str();
  w.str();  // kdfname
  w.str();  // kdfoptions
  std::uint32_t nkeys = w.u32();
  std::string_view pub = w.str();
  if (!w.ok || nkeys < 1) return std::nullopt;
  k.cipher = std::string(cipher);
  k.encrypted = cipher != "none";
  fill_from_ssh_blob(pub, k);
  return k;
}

std::optional<KeyInfo> parse_putty(std::string_view text) {
  // PuTTY-User-Key-File-2|3: <type> / Encryption: <cipher> / Comment / Public-Lines: N / base64
  KeyInfo k;
  k.format = "PuTTY";
  std::size_t enc = text.find("\nEncryption: ");
  std::size_t pl = text.find("\nPublic-Lines: ");
  if (enc == std::string_view::npos || pl == std::string_view::npos) return std::nullopt;
  std::size_t ee = text.find('\n', enc + 1);
  k.cipher = std::string(text.substr(enc + 13, ee == text.npos ? 0 : ee - enc - 13));
  if (!k.cipher.empty() && k.cipher.back() == '\r') k.cipher.pop_back();
  k.encrypted = k.cipher != "none";
  std::size_t le = text.find('\n', pl + 1);
  if (le == std::string_view::npos) return std::nullopt;
  int lines = std::atoi(std::string(text.substr(pl + 15, le - pl - 15)).c_str());
  if (lines <= 0 || lines > 1000) return std::nullopt;
  std::size_t start = le + 1, end = start;
  for (int i = 0; i < lines && end < text.size(); ++i) {
    std::size_t n = text.find('\n', end);
    end = n == std::string_view::npos ? text.size() : n + 1;
  }
  fill_from_ssh_blob(decode_base64(text.substr(start, end - start)), k);
  return k;
}

std::optional<KeyInfo> parse_pem_key(const PemBlock& b) {
  if (b.label == "OPENSSH PRIVATE KEY") return parse_openssh(b.body);
  KeyInfo k;
  if (b.label == "ENCRYPTED PRIVATE KEY") {
    k.format = "encrypted PKCS#8 PEM";
    k.encrypted = true;
    return k;
  }
  bool pkcs1 =
      b.label == "RSA PRIVATE KEY" || b.label == "EC PRIVATE KEY" || b.label == "DSA PRIVATE KEY";
  if (!pkcs1 && b.label != "PRIVATE KEY" && b.label != "ANY PRIVATE KEY") return std::nullopt;
  k.format = pkcs1 ? "PKCS#1 PEM" : "PKCS#8 PEM";
  if (b.label == "EC PRIVATE KEY") k.format = "SEC1 PEM";
  if (b.body.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos) {
    k.encrypted = true;
    std::size_t d = b.body.find("DEK-Info: ");
    if (d != std::string_view::npos) {
      std::size_t e = b.body.find_first_of(",\r\n", d + 10);
      k.cipher = std::string(b.body.substr(d + 10, e == b.body.npos ? 0 : e - d - 10));
    }
    k.type = b.label.substr(0, b.label.find(' '));
    return k;
  }
  BIO* bio = BIO_new_mem_buf(b.text.data(), static_cast<int>(b.text.size()));
  EVP_PKEY* pk = bio ? PEM_read_bio_PrivateKey(bio, nullptr, no_password, nullptr) : nullptr;
  BIO_free(bio);
  if (!pk) return std::nullopt;
  fill_from_pkey(pk, k);
  EVP_PKEY_free(pk);
  return k;
}

std::optional<KeyInfo> parse_der_key(std::string_view d) {
  KeyInfo k;
  const auto* p = reinterpret_cast<const unsigned char*>(d.data());
  // An X.509 certificate is not a key (the certificates check reads those).
  if (X509* x = d2i_X509(nullptr, &p, static_cast<long>(d.size()))) {
    X509_free(x);
    return std::nullopt;
  }
  p = reinterpret_cast<const unsigned char*>(d.data());
  if (EVP_PKEY* pk = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(d.size()))) {
    k.format = "DER";
    fill_from_pkey(pk, k);
    EVP_PKEY_free(pk);
    return k;
  }
  p = reinterpret_cast<const unsigned char*>(d.data());
  if (X509_SIG* sig = d2i_X509_SIG(nullptr, &p, static_cast<long>(d.size()))) {
    bool whole = p == reinterpret_cast<const unsigned char*>(d.data()) + d.size();
    X509_SIG_free(sig);
    if (whole) {
      k.format = "encrypted PKCS#8 DER";
      k.encrypted = true;
      return k;
    }
  }
  return std::nullopt;
}

// SPKI hashes of every certificate in the retained files -> where they are.
std::multimap<std::string, std::string> certificate_keys(const catalog::FileIndex& index) {
  std::multimap<std::string, std::string> out;
  for (const auto& f : index.files()) {
    if (!f.retained) continue;
    std::string_view s = f.content;
    auto add = [&](X509* x) {
      if (!x) return;
      std::string h = spki_sha256_hex(X509_get0_pubkey(x));
      if (!h.empty()) out.emplace(h, f.path);
      X509_free(x);
    };
    if (s.find("-----BEGIN ") != std::string_view::npos) {
      for (const auto& b : pem_blocks(s)) {
        if (b.label != "CERTIFICATE" && b.label != "TRUSTED CERTIFICATE") continue;
        BIO* bio = BIO_new_mem_buf(b.text.data(), static_cast<int>(b.text.size()));
        add(bio ? PEM_read_bio_X509_AUX(bio, nullptr, no_password, nullptr) : nullptr);
        BIO_free(bio);
      }
    } else if (catalog::looks_like_key_material(f.path, ByteView(s))) {
      const auto* p = reinterpret_cast<const unsigned char*>(s.data());
      add(d2i_X509(nullptr, &p, static_cast<long>(s.size())));
    }
  }
  return out;
}

class PrivateKeys final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{kId, "private keys (PEM, DER, OpenSSH, PuTTY) shipped in the image"};
    return d;
  }
  std::span<const std::string_view> wants() const override {
    // The walk's key-material trigger retains key files anywhere; these are the usual homes of
    // keys that have no PEM armour (raw DER, dropbear host keys).
    static constexpr std::string_view w[] = {"**/*.der", "**/*.p8", "**/*.ppk"};
    return w;
  }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    std::multimap<std::string, std::string> certs;
    bool certs_done = false;
    for (const auto& f : index.files()) {
      if (!f.retained || f.type != unpack::EntryType::file) continue;
      std::string_view s = f.content;
      std::vector<std::pair<KeyInfo, const PemBlock*>> keys;
      std::vector<PemBlock> blocks;
      if (s.starts_with("PuTTY-User-Key-File-")) {
        if (auto k = parse_putty(s)) keys.push_back({*k, nullptr});
      } else if (s.find("PRIVATE KEY-----") != std::string_view::npos) {
        blocks = pem_blocks(s);
        for (const auto& b : blocks) {
          if (b.label.find("PRIVATE KEY") == std::string::npos) continue;
          auto k = parse_pem_key(b);
          if (!k) {
            out.diagnostics.add(Severity::info, Errc::corrupt, std::string(kId), f.path, b.offset,
                                "'" + b.label + "' block at line " + std::to_string(b.line) +
                                    " could not be parsed");
            continue;
          }
          keys.push_back({*k, &b});
        }
      } else if (s.find("-----BEGIN ") == std::string_view::npos &&
                 catalog::looks_like_key_material(f.path, ByteView(s))) {
        if (auto k = parse_der_key(s)) keys.push_back({*k, nullptr});
      }
      if (keys.empty()) continue;
      if (!certs_done) {
        certs = certificate_keys(index);
        certs_done = true;
      }
      for (const auto& [k, b] : keys) report(f, k, b, certs, out);
    }
  }

 private:
  void report(const catalog::FileRecord& f, const KeyInfo& k, const PemBlock* b,
              const std::multimap<std::string, std::string>& certs, CheckOutput& out) const {
    model::CheckFinding fd;
    fd.check = std::string(kId);
    fd.rule = k.encrypted ? "encrypted-private-key" : "private-key";
    fd.severity = k.encrypted ? "medium" : "high";
    std::string what =
        (k.type.empty()
             ? std::string("private key")
             : k.type + (k.bits ? " " + std::to_string(k.bits) + "-bit" : std::string()) +
                   " private key");
    fd.title = std::string(k.encrypted ? "encrypted " : "unencrypted ") + what + " in the image";
    fd.detail = what + " (" + k.format +
                (k.encrypted ? ", encrypted" + (k.cipher.empty() ? "" : " with " + k.cipher)
                             : std::string(", not encrypted")) +
                "); a key in the firmware image is the same on every device";
    if (!k.spki_sha256.empty()) {
      fd.detail += "; public key SPKI DER SHA-256 " + k.spki_sha256;
      auto [lo, hi] = certs.equal_range(k.spki_sha256);
      std::string paths;
      for (auto it = lo; it != hi; ++it)
        if (paths.find(it->second) == std::string::npos)
          paths += (paths.empty() ? "" : ", ") + it->second;
      if (!paths.empty()) fd.detail += "; certificate(s) with this key: " + paths;
    }
    fd.root = f.root;
    fd.path = f.path;
    if (b) {
      fd.line = b->line;
      fd.offset = b->offset;
      fd.evidence = "-----BEGIN " + b->label + "-----";
    } else {
      fd.line = 1;
      fd.offset = 0;
      fd.evidence = k.format;
    }
    if (!k.spki_sha256.empty()) fd.evidence += " spki-sha256:" + k.spki_sha256;
    fd.catalog = catalog_refs();
    out.findings.push_back(std::move(fd));
  }
};

}  // namespace

std::unique_ptr<Check> make_private_keys_check() {
  return std::make_unique<PrivateKeys>();
}

}  // namespace waybill::checks
