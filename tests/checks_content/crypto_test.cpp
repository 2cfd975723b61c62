// crypto/private-keys and crypto/certificates on keys and certificates generated here with
// OpenSSL (and ssh-keygen when installed), placed at paths no glob wants so that the walk's
// key-material trigger has to retain them.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "checks_content/support_content.h"
#include "core/hash.h"
#include "support/support.h"

using waybill::test::index_files;
using waybill::test::keys_of;
using waybill::test::run_content_checks;

namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Pkey rsa(unsigned bits) {
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{bits}), EVP_PKEY_free);
}
Pkey ec() {
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
}
Pkey ed25519() {
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
}

std::string bio_string(BIO* b) {
  char* d = nullptr;
  long n = BIO_get_mem_data(b, &d);
  std::string s(d, static_cast<std::size_t>(n));
  BIO_free(b);
  return s;
}

std::string spki_hash(EVP_PKEY* k) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(k, &der);
  waybill::Sha256 h;
  h.update(waybill::ByteView(der, static_cast<std::size_t>(n)));
  OPENSSL_free(der);
  return h.hex_final();
}

std::string pem_traditional(EVP_PKEY* k) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey_traditional(b, k, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_string(b);
}
std::string pem_pkcs8(EVP_PKEY* k, const char* pass = nullptr) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(b, k, pass ? EVP_aes_256_cbc() : nullptr, pass,
                                pass ? static_cast<int>(strlen(pass)) : 0, nullptr, nullptr);
  return bio_string(b);
}
std::string der_pkcs8(EVP_PKEY* k) {
  BIO* b = BIO_new(BIO_s_mem());
  i2d_PKCS8PrivateKey_bio(b, k, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_string(b);
}

const waybill::model::CheckFinding* at(const waybill::checks::CheckOutput& out,
                                       std::string_view path) {
  for (const auto& f : out.findings)
    if (f.path == path) return &f;
  return nullptr;
}

// A certificate for `key`, signed by `signer` (itself when null), valid [from, to] seconds
// relative to now.
std::string cert(EVP_PKEY* key, const char* cn, EVP_PKEY* signer, const char* issuer_cn,
                 const EVP_MD* md, long from, long to, bool ca = false, bool der = false) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_gmtime_adj(X509_getm_notBefore(x), from);
  X509_gmtime_adj(X509_getm_notAfter(x), to);
  X509_set_pubkey(x, key);
  X509_NAME* n = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1,
                             -1, 0);
  X509_NAME* in = X509_get_issuer_name(x);
  X509_NAME_add_entry_by_txt(in, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(issuer_cn), -1, -1, 0);
  if (ca) {
    X509_EXTENSION* e =
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
  }
  X509_sign(x, signer ? signer : key, md);
  BIO* b = BIO_new(BIO_s_mem());
  if (der)
    i2d_X509_bio(b, x);
  else
    PEM_write_bio_X509(b, x);
  X509_free(x);
  return bio_string(b);
}

}  // namespace

TEST(PrivateKeys, PemDerPkcs1Pkcs8EncryptedAndHashes) {
  auto r = rsa(2048);
  auto e = ec();
  auto d = ed25519();
  ASSERT_TRUE(r && e && d);
  auto index = index_files({
      {"/opt/vendor/blob1", "junk before\n" + pem_traditional(r.get())},       // PKCS#1, line 2
      {"/usr/share/x/ec.txt", pem_traditional(e.get())},                       // SEC1
      {"/lib/firmware/ed.bin", pem_pkcs8(d.get())},                            // PKCS#8
      {"/etc/enc.pem", pem_pkcs8(r.get(), "s3cret-pass")},                     // encrypted PKCS#8
      {"/data/k.der", der_pkcs8(e.get())},                                     // DER PKCS#8
      {"/usr/bin/script.pl", "print \"-----BEGIN RSA PRIVATE KEY-----\";\n"},  // not a key
  });
  auto out = run_content_checks(*index);
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{
                              "crypto/private-keys encrypted-private-key /etc/enc.pem:1",
                              "crypto/private-keys private-key /data/k.der:1",
                              "crypto/private-keys private-key /lib/firmware/ed.bin:1",
                              "crypto/private-keys private-key /opt/vendor/blob1:2",
                              "crypto/private-keys private-key /usr/share/x/ec.txt:1",
                          }));
  auto* f = at(out, "/opt/vendor/blob1");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->title.find("RSA 2048-bit"), std::string::npos) << f->title;
  EXPECT_NE(f->detail.find(spki_hash(r.get())), std::string::npos);
  EXPECT_EQ(f->severity, "high");
  f = at(out, "/usr/share/x/ec.txt");
  EXPECT_NE(f->title.find("EC 256-bit"), std::string::npos) << f->title;
  EXPECT_NE(f->detail.find(spki_hash(e.get())), std::string::npos);
  f = at(out, "/lib/firmware/ed.bin");
  EXPECT_NE(f->detail.find(spki_hash(d.get())), std::string::npos);
  f = at(out, "/data/k.der");
  EXPECT_NE(f->detail.find(spki_hash(e.get())), std::string::npos);
  f = at(out, "/etc/enc.pem");
  EXPECT_EQ(f->severity, "medium");
}

TEST(PrivateKeys, OpenSshKeysViaSshKeygen) {
  auto dir = waybill::test::temp_dir("h8b-ssh");
  auto have = waybill::test::run("command -v ssh-keygen");
  if (have.exit_code != 0) GTEST_SKIP() << "ssh-keygen not installed";
  std::string cmd = "cd '" + dir.string() +
                    "' && ssh-keygen -q -t ecdsa -b 256 -N '' -f plain && "
                    "ssh-keygen -q -t rsa -b 3072 -N 'pw-for-test' -f enc && "
                    "ssh-keygen -e -m PKCS8 -f plain.pub > plain.spki && "
                    "ssh-keygen -e -m PKCS8 -f enc.pub > enc.spki";
  auto r = waybill::test::run(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto hash_of_pub = [&](const char* name) {
    std::string pem = waybill::test::read_text(dir / name);
    BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* k = PEM_read_bio_PUBKEY(b, nullptr, nullptr, nullptr);
    BIO_free(b);
    std::string h = k ? spki_hash(k) : "";
    EVP_PKEY_free(k);
    return h;
  };
  auto index = index_files({{"/etc/dropbear/id_plain", waybill::test::read_text(dir / "plain")},
                            {"/root/.ssh/id_enc", waybill::test::read_text(dir / "enc")}});
  auto out = run_content_checks(*index);
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{
                              "crypto/private-keys encrypted-private-key /root/.ssh/id_enc:1",
                              "crypto/private-keys private-key /etc/dropbear/id_plain:1",
                          }));
  auto* f = at(out, "/etc/dropbear/id_plain");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->detail.find(hash_of_pub("plain.spki")), std::string::npos) << f->detail;
  f = at(out, "/root/.ssh/id_enc");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->detail.find("aes256-ctr"), std::string::npos) << f->detail;
  EXPECT_NE(f->detail.find(hash_of_pub("enc.spki")), std::string::npos) << f->detail;
  EXPECT_NE(f->title.find("3072"), std::string::npos) << f->title;
  std::filesystem::remove_all(dir);
}

TEST(Certificates, ExpiredWeakSelfSignedAndWeakSignature) {
  auto ca_key = rsa(2048);
  auto leaf_key = rsa(2048);
  auto weak = rsa(1024);
  auto dev = ec();
  const long day = 86400;
  std::string root1 =
      cert(ca_key.get(), "root1", nullptr, "root1", EVP_sha1(), -400 * day, 400 * day, true);
  auto root2_line = std::to_string(1 + std::count(root1.begin(), root1.end(), '\n'));
  auto index = index_files({
      // self-signed, 1024-bit RSA, SHA-1, expired: expired + weak-key + self-signed
      {"/etc/old.crt", cert(weak.get(), "old", nullptr, "old", EVP_sha1(), -400 * day, -10 * day)},
      // leaf signed by a CA with SHA-1: weak-signature only
      {"/etc/ssl/leaf.pem",
       "# leaf\n" + cert(leaf_key.get(), "leaf", ca_key.get(), "ca", EVP_sha1(), -day, 300 * day)},
      // not yet valid, DER, signed by the CA with SHA-256
      {"/etc/future.der", cert(leaf_key.get(), "future", ca_key.get(), "ca", EVP_sha256(), 10 * day,
                               300 * day, false, true)},
      // self-signed EC device cert whose key ships too: self-signed at medium
      {"/etc/dev.crt", cert(dev.get(), "dev", nullptr, "dev", EVP_sha256(), -day, 300 * day)},
      {"/etc/dev.key", pem_pkcs8(dev.get())},
      // CA bundle: an expired root is info, a SHA-1 self-signed valid root is nothing
      {"/etc/ssl/certs/ca-certificates.crt",
       root1 + cert(weak.get(), "root2", nullptr, "root2", EVP_sha256(), -400 * day, -day, true)},
  });
  auto out = run_content_checks(*index);
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{
                              "crypto/certificates ca-bundle-expired-root "
                              "/etc/ssl/certs/ca-certificates.crt:" +
                                  root2_line,
                              "crypto/certificates expired /etc/old.crt:1",
                              "crypto/certificates not-yet-valid /etc/future.der:1",
                              "crypto/certificates self-signed /etc/dev.crt:1",
                              "crypto/certificates self-signed /etc/old.crt:1",
                              "crypto/certificates weak-key /etc/old.crt:1",
                              "crypto/certificates weak-signature /etc/ssl/leaf.pem:2",
                              "crypto/private-keys private-key /etc/dev.key:1",
                          }));
  for (const auto& f : out.findings) {
    if (f.path == "/etc/dev.crt") {
      EXPECT_EQ(f.severity, "medium");
      EXPECT_NE(f.detail.find(spki_hash(dev.get())), std::string::npos);
    }
    if (f.path == "/etc/old.crt" && f.rule == "self-signed") {
      EXPECT_EQ(f.severity, "low");
    }
    if (f.path == "/etc/dev.key") {
      EXPECT_NE(f.detail.find("/etc/dev.crt"), std::string::npos) << f.detail;
    }
  }
  // With "now" two years ahead the valid leaf expires too.
  waybill::checks::CheckOptions later;
  later.now = static_cast<long long>(std::time(nullptr)) + 2 * 365 * day;
  auto out2 = run_content_checks(*index, later);
  bool leaf_expired = false;
  for (const auto& f : out2.findings)
    leaf_expired = leaf_expired || (f.path == "/etc/ssl/leaf.pem" && f.rule == "expired");
  EXPECT_TRUE(leaf_expired);
}
