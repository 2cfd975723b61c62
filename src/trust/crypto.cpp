#include "trust/crypto.h"

#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstring>
#include <ctime>

namespace waybill::trust::detail {

namespace {

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr mem_bio(std::string_view s) {
  return BioPtr(BIO_new_mem_buf(s.data(), static_cast<int>(s.size())));
}

std::int64_t asn1_to_unix(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string name_text(const X509_NAME* n) {
  if (n == nullptr) return "";
  BioPtr b(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(b.get(), n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(b.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

// The value of a custom extension: DER UTF8String when it parses as one, else the raw bytes.
std::string ext_text(X509* c, const char* oid, bool der_string) {
  ASN1_OBJECT* obj = OBJ_txt2obj(oid, 1);
  if (obj == nullptr) return "";
  int idx = X509_get_ext_by_OBJ(c, obj, -1);
  ASN1_OBJECT_free(obj);
  if (idx < 0) return "";
  X509_EXTENSION* ext = X509_get_ext(c, idx);
  ASN1_OCTET_STRING* os = X509_EXTENSION_get_data(ext);
  if (os == nullptr) return "";
  const unsigned char* p = ASN1_STRING_get0_data(os);
  int len = ASN1_STRING_length(os);
  if (der_string) {
    const unsigned char* q = p;
    ASN1_UTF8STRING* s = d2i_ASN1_UTF8STRING(nullptr, &q, len);
    if (s != nullptr) {
      std::string out(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                      static_cast<std::size_t>(ASN1_STRING_length(s)));
      ASN1_UTF8STRING_free(s);
      return out;
    }
  }
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(len));
}

// ECDSA signature to DER: DER as given, or raw r||s of twice the field size converted.
std::optional<Bytes> ecdsa_der(EVP_PKEY* key, ByteView sig) {
  const unsigned char* p = sig.data();
  ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  if (s != nullptr) {
    bool whole = p == sig.data() + sig.size();
    ECDSA_SIG_free(s);
    if (whole) return Bytes(sig.begin(), sig.end());
  }
  std::size_t n = static_cast<std::size_t>((EVP_PKEY_get_bits(key) + 7) / 8);
  if (n == 0 || sig.size() != 2 * n) return std::nullopt;
  ECDSA_SIG* raw = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(sig.data(), static_cast<int>(n), nullptr);
  BIGNUM* ss = BN_bin2bn(sig.data() + n, static_cast<int>(n), nullptr);
  if (raw == nullptr || r == nullptr || ss == nullptr || ECDSA_SIG_set0(raw, r, ss) != 1) {
    BN_free(r);
    BN_free(ss);
    ECDSA_SIG_free(raw);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(raw, &der);
  ECDSA_SIG_free(raw);
  if (len <= 0) return std::nullopt;
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

bool digest_verify(EVP_PKEY* key, const EVP_MD* md, ByteView msg, ByteView sig, int rsa_pad) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, key) == 1;
  if (ok && rsa_pad != 0) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, rsa_pad) > 0;
    if (ok && rsa_pad == RSA_PKCS1_PSS_PADDING) {
      ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) > 0;
    }
  }
  if (ok) {
    ok = EVP_DigestVerify(ctx, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  }
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

}  // namespace

std::optional<Bytes> b64_decode(std::string_view s) {
  Bytes out;
  out.reserve(s.size() * 3 / 4 + 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t pad = 0;
  std::size_t chars = 0;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad != 0) return std::nullopt;  // data after padding
    int v = b64_value(c);
    if (v < 0) return std::nullopt;
    ++chars;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (chars % 4 == 1 || pad > 2) return std::nullopt;
  return out;
}

std::optional<Bytes> b64_decode_strict(std::string_view s) {
  if (s.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  return b64_decode(s);
}

std::string b64_encode(ByteView v) {
  static const char* kAlpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((v.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < v.size(); i += 3) {
    std::uint32_t n = (std::uint32_t{v.data()[i]} << 16) | (std::uint32_t{v.data()[i + 1]} << 8) |
                      v.data()[i + 2];
    out += kAlpha[(n >> 18) & 63];
    out += kAlpha[(n >> 12) & 63];
    out += kAlpha[(n >> 6) & 63];
    out += kAlpha[n & 63];
  }
  if (i < v.size()) {
    std::uint32_t n = std::uint32_t{v.data()[i]} << 16;
    if (i + 1 < v.size()) n |= std::uint32_t{v.data()[i + 1]} << 8;
    out += kAlpha[(n >> 18) & 63];
    out += kAlpha[(n >> 12) & 63];
    out += i + 1 < v.size() ? kAlpha[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex(ByteView v) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(v.size() * 2);
  for (std::uint8_t b : v) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<Bytes> hex_decode(std::string_view s) {
  if (s.size() % 2 != 0) return std::nullopt;
  Bytes out;
  out.reserve(s.size() / 2);
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int hi = val(s[i]), lo = val(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const EVP_MD* md_of(HashAlg h) {
  switch (h) {
    case HashAlg::sha384:
      return EVP_sha384();
    case HashAlg::sha512:
      return EVP_sha512();
    case HashAlg::sha256:
      break;
  }
  return EVP_sha256();
}

Bytes digest(const EVP_MD* md, ByteView data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) return {};
  out.resize(len);
  return out;
}

std::string sha256_hex(ByteView data) {
  return hex(digest(EVP_sha256(), data));
}

std::vector<X509Ptr> certs_from_pem(std::string_view pem) {
  std::vector<X509Ptr> out;
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos) return out;
  BioPtr b = mem_bio(pem);
  while (out.size() < 64) {
    X509* c = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr);
    if (c == nullptr) break;
    out.emplace_back(c);
  }
  ERR_clear_error();
  return out;
}

X509Ptr cert_from_der(ByteView der) {
  const unsigned char* p = der.data();
  X509Ptr c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  return c;
}

PkeyPtr pubkey_from_pem(std::string_view pem) {
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    auto certs = certs_from_pem(pem);
    if (certs.empty()) return nullptr;
    return PkeyPtr(X509_get_pubkey(certs.front().get()));
  }
  BioPtr b = mem_bio(pem);
  PkeyPtr k(PEM_read_bio_PUBKEY(b.get(), nullptr, nullptr, nullptr));
  if (!k && pem.find("-----BEGIN RSA PUBLIC KEY-----") != std::string_view::npos) {
    // PKCS#1 RSAPublicKey (as `openssl rsa -RSAPublicKey_out` writes).
    EVP_PKEY* out = nullptr;
    OSSL_DECODER_CTX* dctx = OSSL_DECODER_CTX_new_for_pkey(&out, "PEM", nullptr, "RSA",
                                                           EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
    if (dctx != nullptr) {
      const unsigned char* data = reinterpret_cast<const unsigned char*>(pem.data());
      size_t len = pem.size();
      if (OSSL_DECODER_from_data(dctx, &data, &len) == 1) k.reset(out);
      OSSL_DECODER_CTX_free(dctx);
    }
  }
  ERR_clear_error();
  return k;
}

PkeyPtr pubkey_from_der(ByteView spki) {
  const unsigned char* p = spki.data();
  PkeyPtr k(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  ERR_clear_error();
  return k;
}

Bytes spki_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return {};
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

std::string key_description(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
      return "Ed25519";
    case EVP_PKEY_ED448:
      return "Ed448";
    case EVP_PKEY_EC: {
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1) {
        std::string g(group, len);
        if (g == "prime256v1") return "ECDSA P-256";
        if (g == "secp384r1") return "ECDSA P-384";
        if (g == "secp521r1") return "ECDSA P-521";
        return "ECDSA " + g;
      }
      return "ECDSA";
    }
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return "RSA-" + std::to_string(EVP_PKEY_get_bits(key));
    default:
      return "key type " + std::to_string(EVP_PKEY_get_base_id(key));
  }
}

std::string cert_to_pem(X509* c) {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(b.get(), c);
  char* data = nullptr;
  long len = BIO_get_mem_data(b.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string verify_raw(EVP_PKEY* key, const EVP_MD* md, ByteView msg, ByteView sig,
                       RsaPadding padding, std::string* used) {
  if (key == nullptr) return "no key";
  if (sig.empty()) return "empty signature";
  int id = EVP_PKEY_get_base_id(key);
  std::string mdname = md != nullptr ? EVP_MD_get0_name(md) : "none";
  if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) {
    if (used != nullptr) *used = key_description(key);
    return digest_verify(key, nullptr, msg, sig, 0) ? "" : "Ed25519 signature does not verify";
  }
  if (id == EVP_PKEY_EC) {
    auto der = ecdsa_der(key, sig);
    if (used != nullptr) *used = key_description(key) + " with " + mdname;
    if (!der) return "signature is neither DER nor raw r||s ECDSA for " + key_description(key);
    return digest_verify(key, md, msg, *der, 0)
               ? ""
               : key_description(key) + "/" + mdname + " signature does not verify";
  }
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
    if (padding != RsaPadding::pss && id == EVP_PKEY_RSA &&
        digest_verify(key, md, msg, sig, RSA_PKCS1_PADDING)) {
      if (used != nullptr) *used = key_description(key) + " PKCS#1 v1.5 with " + mdname;
      return "";
    }
    if (padding != RsaPadding::pkcs1v15 &&
        digest_verify(key, md, msg, sig, RSA_PKCS1_PSS_PADDING)) {
      if (used != nullptr) *used = key_description(key) + " PSS with " + mdname;
      return "";
    }
    const char* tried = padding == RsaPadding::pss        ? "PSS"
                        : padding == RsaPadding::pkcs1v15 ? "PKCS#1 v1.5"
                                                          : "PKCS#1 v1.5 or PSS";
    return key_description(key) + " " + tried + "/" + mdname + " signature does not verify";
  }
  return "unsupported key type " + key_description(key);
}

std::string CertInfo::identity() const {
  if (!san_uris.empty()) return san_uris.front();
  if (!san_emails.empty()) return san_emails.front();
  if (!san_dns.empty()) return san_dns.front();
  return subject;
}

CertInfo cert_info(X509* c) {
  CertInfo ci;
  if (c == nullptr) return ci;
  ci.subject = name_text(X509_get_subject_name(c));
  ci.issuer = name_text(X509_get_issuer_name(c));
  if (const ASN1_INTEGER* sn = X509_get0_serialNumber(c)) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(sn, nullptr);
    if (bn != nullptr) {
      char* h = BN_bn2hex(bn);
      if (h != nullptr) {
        ci.serial = lower(h);
        OPENSSL_free(h);
      }
      BN_free(bn);
    }
  }
  ci.not_before = asn1_to_unix(X509_get0_notBefore(c));
  ci.not_after = asn1_to_unix(X509_get0_notAfter(c));
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(c, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
      int type = 0;
      const ASN1_STRING* s = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(gn, &type));
      if (s == nullptr) continue;
      std::string v(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                    static_cast<std::size_t>(ASN1_STRING_length(s)));
      if (type == GEN_URI) ci.san_uris.push_back(v);
      if (type == GEN_EMAIL) ci.san_emails.push_back(v);
      if (type == GEN_DNS) ci.san_dns.push_back(v);
    }
    GENERAL_NAMES_free(names);
  }
  ci.oidc_issuer = ext_text(c, "1.3.6.1.4.1.57264.1.8", true);
  if (ci.oidc_issuer.empty()) ci.oidc_issuer = ext_text(c, "1.3.6.1.4.1.57264.1.1", false);
  ci.build_signer_uri = ext_text(c, "1.3.6.1.4.1.57264.1.9", true);
  ci.source_repo_uri = ext_text(c, "1.3.6.1.4.1.57264.1.12", true);
  ci.source_repo_digest = ext_text(c, "1.3.6.1.4.1.57264.1.13", true);
  ci.source_repo_ref = ext_text(c, "1.3.6.1.4.1.57264.1.14", true);
  ERR_clear_error();
  return ci;
}

std::string verify_chain(X509* leaf, const std::vector<X509*>& untrusted,
                         const std::vector<X509*>& anchors, std::int64_t time,
                         bool require_code_signing, std::vector<std::string>* path) {
  if (leaf == nullptr) return "no certificate";
  if (anchors.empty()) return "no trust anchors (CA certificates) were supplied";
  X509_STORE* store = X509_STORE_new();
  STACK_OF(X509)* chain = sk_X509_new_null();
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  std::string why;
  if (store == nullptr || chain == nullptr || ctx == nullptr) {
    why = "out of memory";
  } else {
    for (X509* a : anchors) X509_STORE_add_cert(store, a);
    for (X509* u : untrusted) sk_X509_push(chain, u);
    X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
    if (X509_STORE_CTX_init(ctx, store, leaf, chain) != 1) {
      why = "cannot initialise chain verification: " + openssl_error();
    } else {
      X509_STORE_CTX_set_time(ctx, 0, static_cast<time_t>(time));
      if (X509_verify_cert(ctx) != 1) {
        int err = X509_STORE_CTX_get_error(ctx);
        int depth = X509_STORE_CTX_get_error_depth(ctx);
        X509* bad = X509_STORE_CTX_get_current_cert(ctx);
        why = std::string("certificate chain rejected: ") + X509_verify_cert_error_string(err) +
              " (depth " + std::to_string(depth) + ", " +
              (bad != nullptr ? name_text(X509_get_subject_name(bad)) : std::string("?")) +
              ", at " + format_time(time) + ")";
      } else if (path != nullptr) {
        STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx);
        for (int i = 0; i < sk_X509_num(built); ++i) {
          std::string s = name_text(X509_get_subject_name(sk_X509_value(built, i)));
          path->push_back(s.empty() ? "(empty subject)" : s);
        }
      }
    }
  }
  X509_STORE_CTX_free(ctx);
  sk_X509_free(chain);
  X509_STORE_free(store);
  ERR_clear_error();
  if (!why.empty()) return why;
  std::uint32_t flags = X509_get_extension_flags(leaf);
  if ((flags & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
    return "leaf certificate key usage lacks digitalSignature";
  }
  if (require_code_signing && (flags & EXFLAG_XKUSAGE) != 0 &&
      (X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN) == 0) {
    return "leaf certificate extended key usage lacks codeSigning";
  }
  return "";
}

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  auto num = [&](std::size_t off, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = off; i < off + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  struct tm tm {};
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
      se = num(17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      se < 0 || se > 60) {
    return std::nullopt;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  std::int64_t t = static_cast<std::int64_t>(timegm(&tm));
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i >= s.size()) return std::nullopt;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size() ? std::optional(t) : std::nullopt;
  if ((s[i] == '+' || s[i] == '-') && i + 6 == s.size() && s[i + 3] == ':') {
    int oh = num(i + 1, 2), om = num(i + 4, 2);
    if (oh < 0 || om < 0) return std::nullopt;
    std::int64_t off = (oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
    return t - off;
  }
  return std::nullopt;
}

std::string format_time(std::int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  if (gmtime_r(&tt, &tm) == nullptr) return std::to_string(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool wildcard_match(std::string_view p, std::string_view t) {
  // Iterative glob with backtracking to the last '*': linear in practice, no recursion.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool any_match(const std::vector<std::string>& patterns, std::string_view text) {
  for (const auto& p : patterns) {
    if (wildcard_match(p, text)) return true;
  }
  return false;
}

model::TrustVerdict verdict(std::string kind, std::string subject, std::string v,
                            std::string detail) {
  model::TrustVerdict tv;
  tv.kind = std::move(kind);
  tv.subject = std::move(subject);
  tv.verdict = std::move(v);
  tv.detail = std::move(detail);
  return tv;
}

}  // namespace waybill::trust::detail
