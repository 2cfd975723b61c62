// Detached signatures: every algorithm the issue names, every signature encoding, and X.509
// chains with validity and key-usage failures. All keys and certificates are made here.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <filesystem>
#include <fstream>

#include "trust/crypto.h"
#include "trust/test_crypto.h"
#include "trust/trust.h"

namespace waybill::trust {
namespace {

using testing::Cert;
using testing::CertSpec;
using testing::Key;

const std::string kImage =
    std::string("firmware image bytes \x00\x01\x02", 24) + std::string(5000, 'x');

ByteView bv(const std::vector<unsigned char>& v) {
  return ByteView(v.data(), v.size());
}

TEST(Signature, Ed25519PassesAndTamperedFails) {
  Key k = testing::make_key("ed25519");
  auto sig = testing::sign(k, nullptr, kImage);
  KeySpec ks{testing::pub_pem(k), {}, "dev-ed25519"};
  auto v = verify_signature(ByteView(kImage), bv(sig), ks, nullptr);
  EXPECT_EQ(v.verdict, "pass") << v.detail;
  EXPECT_NE(v.detail.find("Ed25519"), std::string::npos);
  std::string tampered = kImage;
  tampered[100] ^= 1;
  auto bad = verify_signature(ByteView(tampered), bv(sig), ks, nullptr);
  EXPECT_EQ(bad.verdict, "fail");
  EXPECT_NE(bad.detail.find("does not verify"), std::string::npos) << bad.detail;
}

TEST(Signature, EcdsaDerBase64PemAndRawRS) {
  for (const char* kind : {"p256", "p384"}) {
    Key k = testing::make_key(kind);
    const EVP_MD* md = std::string(kind) == "p384" ? EVP_sha384() : EVP_sha256();
    SignatureOptions o;
    o.hash = std::string(kind) == "p384" ? HashAlg::sha384 : HashAlg::sha256;
    auto der = testing::sign(k, md, kImage);
    KeySpec ks{testing::pub_pem(k), {}, kind};
    EXPECT_EQ(verify_signature(ByteView(kImage), bv(der), ks, nullptr, o).verdict, "pass");
    // base64 text and a PEM SIGNATURE block of the same bytes.
    std::string b64 = detail::b64_encode(bv(der));
    EXPECT_EQ(verify_signature(ByteView(kImage), ByteView(b64), ks, nullptr, o).verdict, "pass");
    std::string pem = "-----BEGIN SIGNATURE-----\n" + b64 + "\n-----END SIGNATURE-----\n";
    EXPECT_EQ(verify_signature(ByteView(kImage), ByteView(pem), ks, nullptr, o).verdict, "pass");
    // Raw r||s (IEEE P1363) converted from the DER signature.
    const unsigned char* p = der.data();
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(es, nullptr);
    int n = (EVP_PKEY_get_bits(k.get()) + 7) / 8;
    std::vector<unsigned char> raw(static_cast<std::size_t>(2 * n));
    BN_bn2binpad(ECDSA_SIG_get0_r(es), raw.data(), n);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw.data() + n, n);
    ECDSA_SIG_free(es);
    auto v = verify_signature(ByteView(kImage), bv(raw), ks, nullptr, o);
    EXPECT_EQ(v.verdict, "pass") << kind << ": " << v.detail;
    // Wrong hash option fails and says which algorithm was tried.
    SignatureOptions wrong = o;
    wrong.hash = HashAlg::sha512;
    auto w = verify_signature(ByteView(kImage), bv(der), ks, nullptr, wrong);
    EXPECT_EQ(w.verdict, "fail");
    EXPECT_NE(w.detail.find("SHA512"), std::string::npos) << w.detail;
  }
}

TEST(Signature, RsaPkcs1AndPss) {
  Key k = testing::make_key("rsa2048");
  KeySpec ks{testing::pub_pem(k), {}, "rsa"};
  auto v15 = testing::sign(k, EVP_sha256(), kImage);
  auto pss = testing::sign(k, EVP_sha256(), kImage, true);
  auto a = verify_signature(ByteView(kImage), bv(v15), ks, nullptr);
  EXPECT_EQ(a.verdict, "pass");
  EXPECT_NE(a.detail.find("PKCS#1 v1.5"), std::string::npos) << a.detail;
  auto b = verify_signature(ByteView(kImage), bv(pss), ks, nullptr);
  EXPECT_EQ(b.verdict, "pass");
  EXPECT_NE(b.detail.find("PSS"), std::string::npos) << b.detail;
  SignatureOptions only15;
  only15.padding = RsaPadding::pkcs1v15;
  EXPECT_EQ(verify_signature(ByteView(kImage), bv(pss), ks, nullptr, only15).verdict, "fail");
  // A different key fails.
  Key other = testing::make_key("rsa2048");
  KeySpec ks2{testing::pub_pem(other), {}, "other"};
  EXPECT_EQ(verify_signature(ByteView(kImage), bv(v15), ks2, nullptr).verdict, "fail");
}

TEST(Signature, GarbageInputsFailWithReasons) {
  Key k = testing::make_key("p256");
  KeySpec ks{testing::pub_pem(k), {}, "k"};
  auto empty = verify_signature(ByteView(kImage), ByteView(std::string_view("")), ks, nullptr);
  EXPECT_EQ(empty.verdict, "fail");
  auto junk =
      verify_signature(ByteView(kImage), ByteView(std::string_view("\x30\x02\x01")), ks, nullptr);
  EXPECT_EQ(junk.verdict, "fail");
  KeySpec nokey{"not a key", {}, "junk"};
  auto sig = testing::sign(k, EVP_sha256(), kImage);
  EXPECT_EQ(verify_signature(ByteView(kImage), bv(sig), nokey, nullptr).verdict, "unknown");
}

CertSpec spec(const std::string& cn, bool ca = false, long nb = -3600, long na = 3600) {
  CertSpec s;
  s.cn = cn;
  s.ca = ca;
  s.not_before = nb;
  s.not_after = na;
  return s;
}

struct Pki {
  Key root_key = testing::make_key("p256");
  Key inter_key = testing::make_key("p256");
  Cert root, inter;
  Pki() {
    CertSpec r = spec("Test Root CA", true, -86400, 86400 * 365);
    root = testing::make_cert(r, root_key, nullptr, root_key);
    CertSpec i = spec("Test Intermediate CA", true, -86400, 86400 * 30);
    i.serial = 2;
    inter = testing::make_cert(i, inter_key, &root, root_key);
  }
  Cert leaf(const Key& k, CertSpec s) { return testing::make_cert(s, k, &inter, inter_key); }
};

TEST(Signature, X509ChainValidityAndKeyUsage) {
  Pki pki;
  Key lk = testing::make_key("p256");
  CertSpec ls = spec("Firmware Signer");
  ls.code_signing = true;
  ls.serial = 3;
  Cert leaf = pki.leaf(lk, ls);
  auto sig = testing::sign(lk, EVP_sha256(), kImage);
  TrustStore store;
  ASSERT_TRUE(store.add_pem(testing::cert_pem(pki.root)).ok());
  KeySpec ks{testing::cert_pem(leaf), {testing::cert_pem(pki.inter)}, ""};

  auto ok = verify_signature(ByteView(kImage), bv(sig), ks, &store);
  EXPECT_EQ(ok.verdict, "pass") << ok.detail;
  EXPECT_NE(ok.detail.find("chained to a trusted CA"), std::string::npos);

  // Without a trust store: the signature is fine but the certificate is not anchored.
  EXPECT_EQ(verify_signature(ByteView(kImage), bv(sig), ks, nullptr).verdict, "unknown");

  // Missing intermediate.
  KeySpec no_inter{testing::cert_pem(leaf), {}, ""};
  auto ni = verify_signature(ByteView(kImage), bv(sig), no_inter, &store);
  EXPECT_EQ(ni.verdict, "fail");
  EXPECT_NE(ni.detail.find("unable to get local issuer"), std::string::npos) << ni.detail;

  // Expired at the verification time.
  SignatureOptions later;
  later.time = detail::now_unix() + 86400 * 2;
  auto ex = verify_signature(ByteView(kImage), bv(sig), ks, &store, later);
  EXPECT_EQ(ex.verdict, "fail");
  EXPECT_NE(ex.detail.find("expired"), std::string::npos) << ex.detail;

  // Untrusted root.
  Pki other;
  TrustStore other_store;
  ASSERT_TRUE(other_store.add_pem(testing::cert_pem(other.root)).ok());
  EXPECT_EQ(verify_signature(ByteView(kImage), bv(sig), ks, &other_store).verdict, "fail");

  // EKU without codeSigning.
  Key tk = testing::make_key("p256");
  CertSpec ts = spec("TLS Server");
  ts.server_auth_only = true;
  ts.serial = 4;
  Cert tls = pki.leaf(tk, ts);
  auto tsig = testing::sign(tk, EVP_sha256(), kImage);
  KeySpec tks{testing::cert_pem(tls), {testing::cert_pem(pki.inter)}, ""};
  auto eku = verify_signature(ByteView(kImage), bv(tsig), tks, &store);
  EXPECT_EQ(eku.verdict, "fail");
  EXPECT_NE(eku.detail.find("codeSigning"), std::string::npos) << eku.detail;
}

TEST(Signature, TrustStoreFromDirectoryAndFingerprint) {
  Pki pki;
  auto dir = std::filesystem::temp_directory_path() / "waybill-trust-store-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "root.pem") << testing::cert_pem(pki.root);
    std::ofstream(dir / "README") << "not a certificate\n";
  }
  TrustStore s;
  EXPECT_TRUE(s.add_path(dir.string()).ok());
  EXPECT_EQ(s.size(), 1u);
  EXPECT_FALSE(s.add_path((dir / "README").string()).ok());
  std::filesystem::remove_all(dir);

  Key k = testing::make_key("ed25519");
  auto fp = key_fingerprint(testing::pub_pem(k));
  ASSERT_TRUE(fp.ok());
  EXPECT_EQ(*fp, detail::sha256_hex(bv(testing::spki_der(k))));
}

}  // namespace
}  // namespace waybill::trust
