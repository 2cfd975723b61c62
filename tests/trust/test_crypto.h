// Keys, signatures and certificates the trust tests generate with OpenSSL (nothing pre-made).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <vector>

namespace waybill::trust::testing {

struct Key {
  std::shared_ptr<EVP_PKEY> k;
  EVP_PKEY* get() const { return k.get(); }
};

inline Key make_key(const std::string& kind) {
  EVP_PKEY* p = nullptr;
  if (kind == "ed25519") p = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (kind == "p256") p = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (kind == "p384") p = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  if (kind == "rsa2048") p = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  return Key{std::shared_ptr<EVP_PKEY>(p, EVP_PKEY_free)};
}

inline std::string bio_text(BIO* b) {
  char* data = nullptr;
  long len = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<std::size_t>(len));
  BIO_free(b);
  return s;
}

inline std::string pub_pem(const Key& k) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(b, k.get());
  return bio_text(b);
}

inline std::vector<unsigned char> spki_der(const Key& k) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(k.get(), &der);
  std::vector<unsigned char> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

// md nullptr for Ed25519; pss for RSA-PSS (salt = digest length).
inline std::vector<unsigned char> sign(const Key& k, const EVP_MD* md, const std::string& msg,
                                       bool pss = false) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(ctx, &pctx, md, nullptr, k.get());
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(msg.data()),
                 msg.size());
  std::vector<unsigned char> sig(len);
  EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(msg.data()),
                 msg.size());
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

struct Cert {
  std::shared_ptr<X509> c;
  X509* get() const { return c.get(); }
};

struct CertSpec {
  std::string cn;
  bool ca = false;
  long not_before = -3600;  // seconds from `base`
  long not_after = 3600;
  bool code_signing = false;
  bool server_auth_only = false;
  std::string san_uri;
  std::string oidc_issuer;  // Fulcio 1.3.6.1.4.1.57264.1.8 (DER UTF8String)
  long serial = 1;
  time_t base = 0;  // 0 = now
};

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ex = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  X509_add_ext(cert, ex, -1);
  X509_EXTENSION_free(ex);
}

// Issued by (issuer, issuer_key), or self-signed when issuer is null.
inline Cert make_cert(const CertSpec& s, const Key& subject_key, const Cert* issuer,
                      const Key& issuer_key) {
  X509* c = X509_new();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), s.serial);
  time_t base = s.base != 0 ? s.base : time(nullptr);
  X509_time_adj(X509_getm_notBefore(c), s.not_before, &base);
  X509_time_adj(X509_getm_notAfter(c), s.not_after, &base);
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(s.cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer->get()) : name);
  X509_set_pubkey(c, subject_key.get());
  X509* iss = issuer != nullptr ? issuer->get() : c;
  if (s.ca) {
    add_ext(c, iss, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c, iss, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    add_ext(c, iss, NID_subject_key_identifier, "hash");
  } else {
    add_ext(c, iss, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c, iss, NID_key_usage, "critical,digitalSignature");
    if (s.code_signing) add_ext(c, iss, NID_ext_key_usage, "codeSigning");
    if (s.server_auth_only) add_ext(c, iss, NID_ext_key_usage, "serverAuth");
  }
  if (issuer != nullptr) add_ext(c, iss, NID_authority_key_identifier, "keyid:always");
  if (!s.san_uri.empty()) {
    std::string v = "URI:" + s.san_uri;
    add_ext(c, iss, NID_subject_alt_name, v.c_str());
  }
  if (!s.oidc_issuer.empty()) {
    ASN1_OBJECT* obj = OBJ_txt2obj("1.3.6.1.4.1.57264.1.8", 1);
    ASN1_UTF8STRING* str = ASN1_UTF8STRING_new();
    ASN1_STRING_set(str, s.oidc_issuer.data(), static_cast<int>(s.oidc_issuer.size()));
    unsigned char* der = nullptr;
    int len = i2d_ASN1_UTF8STRING(str, &der);
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(os, der, len);
    X509_EXTENSION* ex = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, os);
    X509_add_ext(c, ex, -1);
    X509_EXTENSION_free(ex);
    ASN1_OCTET_STRING_free(os);
    OPENSSL_free(der);
    ASN1_UTF8STRING_free(str);
    ASN1_OBJECT_free(obj);
  }
  X509_sign(c, issuer_key.get(),
            EVP_PKEY_get_base_id(issuer_key.get()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256());
  return Cert{std::shared_ptr<X509>(c, X509_free)};
}

inline std::string cert_pem(const Cert& c) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, c.get());
  return bio_text(b);
}

inline std::vector<unsigned char> cert_der(const Cert& c) {
  unsigned char* der = nullptr;
  int len = i2d_X509(c.get(), &der);
  std::vector<unsigned char> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace waybill::trust::testing
