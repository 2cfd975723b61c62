// Sigstore bundles against a trusted_root.json: the shared corpus has no trusted root, so this
// test builds a complete private Sigstore here (Fulcio root + intermediate, a short-lived leaf,
// a Rekor key, a 3-leaf log with an inclusion proof, a signed checkpoint and a SET) and checks
// that every part passes, and that each tampering fails with its reason.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "trust/attest.h"
#include "trust/crypto.h"
#include "trust/test_crypto.h"
#include "trust/trust.h"

namespace waybill::trust {
namespace {

using detail::b64_encode;
using detail::Bytes;
using json = nlohmann::json;
using model::TrustVerdict;

std::string b64(const std::vector<unsigned char>& v) {
  return b64_encode(ByteView(v.data(), v.size()));
}
std::string b64s(const std::string& s) {
  return b64_encode(ByteView(s));
}

Bytes h(const Bytes& a) {
  return detail::digest(EVP_sha256(), a);
}
Bytes leaf_hash(const std::string& data) {
  Bytes b{0};
  b.insert(b.end(), data.begin(), data.end());
  return h(b);
}
Bytes node(const Bytes& l, const Bytes& r) {
  Bytes b{1};
  b.insert(b.end(), l.begin(), l.end());
  b.insert(b.end(), r.begin(), r.end());
  return h(b);
}

std::string dump(const std::vector<TrustVerdict>& vs) {
  std::string s;
  for (const auto& v : vs)
    s += v.kind + " | " + v.subject + " | " + v.verdict + " | " + v.detail + "\n";
  return s;
}
const TrustVerdict* find(const std::vector<TrustVerdict>& vs, std::string_view subject_suffix) {
  for (const auto& v : vs) {
    if (v.subject.size() >= subject_suffix.size() &&
        v.subject.compare(v.subject.size() - subject_suffix.size(), std::string::npos,
                          subject_suffix) == 0) {
      return &v;
    }
  }
  return nullptr;
}

struct PrivateSigstore {
  testing::Key root_key = testing::make_key("p384");
  testing::Key inter_key = testing::make_key("p384");
  testing::Key leaf_key = testing::make_key("p256");
  testing::Key rekor_key = testing::make_key("p256");
  testing::Cert root, inter, leaf;
  std::int64_t t = detail::now_unix() - 5000;  // integrated time
  std::string identity = "https://ci.example.com/org/fw/.github/workflows/release.yml@refs/tags/v1";
  std::string image = "firmware image 1.0";
  Bytes log_id;

  PrivateSigstore() {
    testing::CertSpec r;
    r.cn = "private-fulcio-root";
    r.ca = true;
    r.not_before = -86400 * 30;
    r.not_after = 86400 * 365;
    root = testing::make_cert(r, root_key, nullptr, root_key);
    testing::CertSpec i = r;
    i.cn = "private-fulcio-intermediate";
    i.serial = 2;
    inter = testing::make_cert(i, inter_key, &root, root_key);
    testing::CertSpec l;
    l.cn = "";
    l.code_signing = true;
    l.san_uri = identity;
    l.oidc_issuer = "https://token.ci.example.com";
    l.serial = 3;
    l.base = static_cast<time_t>(t);
    l.not_before = -60;
    l.not_after = 600;
    leaf = testing::make_cert(l, leaf_key, &inter, inter_key);
    auto spki = testing::spki_der(rekor_key);
    log_id = h(Bytes(spki.begin(), spki.end()));
  }

  std::string statement() const {
    json s;
    s["_type"] = "https://in-toto.io/Statement/v1";
    s["subject"] = {
        {{"name", "fw.img"}, {"digest", {{"sha256", detail::sha256_hex(ByteView(image))}}}}};
    s["predicateType"] = "https://slsa.dev/provenance/v1";
    s["predicate"]["runDetails"]["builder"]["id"] = identity;
    s["predicate"]["buildDefinition"]["externalParameters"]["workflow"]["repository"] =
        "https://ci.example.com/org/fw";
    return s.dump();
  }

  std::string trusted_root(const testing::Key& rekor, const testing::Cert& ca_root,
                           const testing::Cert& ca_inter) const {
    auto spki = testing::spki_der(rekor);
    Bytes id = h(Bytes(spki.begin(), spki.end()));
    json j;
    j["mediaType"] = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
    j["tlogs"] = {{{"baseUrl", "https://rekor.example.com"},
                   {"hashAlgorithm", "SHA2_256"},
                   {"publicKey",
                    {{"rawBytes", b64(spki)},
                     {"keyDetails", "PKIX_ECDSA_P256_SHA_256"},
                     {"validFor", {{"start", "2020-01-01T00:00:00Z"}}}}},
                   {"logId", {{"keyId", b64(id)}}}}};
    j["certificateAuthorities"] = {{{"uri", "https://fulcio.example.com"},
                                    {"certChain",
                                     {{"certificates",
                                       {{{"rawBytes", b64(testing::cert_der(ca_inter))}},
                                        {{"rawBytes", b64(testing::cert_der(ca_root))}}}}}},
                                    {"validFor", {{"start", "2020-01-01T00:00:00.000Z"}}}}};
    return j.dump();
  }

  // The bundle; `entry_time` lets a test move the integrated time.
  std::string bundle(std::int64_t entry_time) const {
    std::string payload = statement();
    auto pae = detail::pae("application/vnd.in-toto+json", ByteView(payload));
    auto sig = testing::sign(leaf_key, EVP_sha256(), std::string(pae.begin(), pae.end()));
    json body;
    body["apiVersion"] = "0.0.1";
    body["kind"] = "dsse";
    body["spec"]["payloadHash"] = {{"algorithm", "sha256"},
                                   {"value", detail::sha256_hex(ByteView(payload))}};
    body["spec"]["signatures"] = {
        {{"signature", b64(sig)}, {"verifier", b64s(testing::cert_pem(leaf))}}};
    std::string body_text = body.dump();
    std::string body_b64 = b64s(body_text);

    // A 3-leaf log; our entry is leaf 1.
    Bytes l0 = leaf_hash("entry zero"), l1 = leaf_hash(body_text), l2 = leaf_hash("entry two");
    Bytes root_hash = node(node(l0, l1), l2);
    std::string note_body = "rekor.example.com - 42\n3\n" + b64(root_hash) + "\n";
    auto note_sig = testing::sign(rekor_key, EVP_sha256(), note_body);
    std::vector<unsigned char> blob(4 + note_sig.size());
    std::copy(log_id.begin(), log_id.begin() + 4, blob.begin());
    std::copy(note_sig.begin(), note_sig.end(), blob.begin() + 4);
    std::string note = note_body + "\n\xe2\x80\x94 rekor.example.com " + b64(blob) + "\n";

    json canon;
    canon["body"] = body_b64;
    canon["integratedTime"] = entry_time;
    canon["logID"] = detail::hex(log_id);
    canon["logIndex"] = 1001;
    auto set = testing::sign(rekor_key, EVP_sha256(), canon.dump());

    json b;
    b["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json";
    b["verificationMaterial"]["certificate"]["rawBytes"] = b64(testing::cert_der(leaf));
    b["verificationMaterial"]["tlogEntries"] = {
        {{"logIndex", "1001"},
         {"logId", {{"keyId", b64(log_id)}}},
         {"kindVersion", {{"kind", "dsse"}, {"version", "0.0.1"}}},
         {"integratedTime", std::to_string(entry_time)},
         {"inclusionPromise", {{"signedEntryTimestamp", b64(set)}}},
         {"inclusionProof",
          {{"logIndex", "1"},
           {"rootHash", b64(root_hash)},
           {"treeSize", "3"},
           {"hashes", {b64(l0), b64(l2)}},
           {"checkpoint", {{"envelope", note}}}}},
         {"canonicalizedBody", body_b64}}};
    b["dsseEnvelope"] = {{"payloadType", "application/vnd.in-toto+json"},
                         {"payload", b64s(payload)},
                         {"signatures", {{{"sig", b64(sig)}, {"keyid", ""}}}}};
    return b.dump();
  }

  AttestationInput input() const {
    AttestationInput in;
    in.name = "bundle";
    in.artifact_digests = {"sha256:" + detail::sha256_hex(ByteView(image))};
    in.trusted_root_json = trusted_root(rekor_key, root, inter);
    in.policy.allowed_builders = {"https://ci.example.com/org/fw/*"};
    in.policy.allowed_sources = {"https://ci.example.com/org/fw"};
    in.policy.allowed_signers = {"https://ci.example.com/org/fw/.github/workflows/*"};
    in.policy.allowed_issuers = {"https://token.ci.example.com"};
    return in;
  }
};

TEST(Sigstore, PrivateRootEverythingPasses) {
  PrivateSigstore ps;
  auto vs = verify_attestation(ps.bundle(ps.t), ps.input());
  ASSERT_GE(vs.size(), 9u) << dump(vs);
  for (const auto& v : vs) EXPECT_EQ(v.verdict, "pass") << dump(vs);
  for (const char* s : {": signing certificate", ": signer identity", "rekor entry 1001 body",
                        "rekor entry 1001 inclusion promise", "rekor entry 1001 inclusion proof",
                        "rekor entry 1001 checkpoint"}) {
    const TrustVerdict* v = find(vs, s);
    ASSERT_NE(v, nullptr) << s << "\n" << dump(vs);
    EXPECT_EQ(v->verdict, "pass") << s;
  }
  EXPECT_NE(find(vs, ": signing certificate")->detail.find("chains to a trusted Fulcio CA"),
            std::string::npos);
}

TEST(Sigstore, WrongRekorKeyOrFulcioRootFails) {
  PrivateSigstore ps;
  AttestationInput in = ps.input();
  auto other_rekor = testing::make_key("p256");
  in.trusted_root_json = ps.trusted_root(other_rekor, ps.root, ps.inter);
  auto vs = verify_attestation(ps.bundle(ps.t), in);
  EXPECT_EQ(find(vs, "inclusion promise")->verdict, "fail") << dump(vs);
  EXPECT_NE(
      find(vs, "inclusion promise")->detail.find("not a transparency log of the trusted root"),
      std::string::npos);
  EXPECT_EQ(find(vs, "checkpoint")->verdict, "fail");
  // The Merkle proof itself does not depend on keys.
  EXPECT_EQ(find(vs, "inclusion proof")->verdict, "pass");

  PrivateSigstore other;  // different Fulcio CA
  in = ps.input();
  in.trusted_root_json = ps.trusted_root(ps.rekor_key, other.root, other.inter);
  vs = verify_attestation(ps.bundle(ps.t), in);
  EXPECT_EQ(find(vs, ": signing certificate")->verdict, "fail") << dump(vs);
  EXPECT_NE(find(vs, ": signing certificate")->detail.find("certificate chain rejected"),
            std::string::npos);
}

TEST(Sigstore, SigningTimeOutsideCertificateValidityFails) {
  PrivateSigstore ps;
  auto vs = verify_attestation(ps.bundle(ps.t + 3600), ps.input());
  const TrustVerdict* x = find(vs, ": signing certificate");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->verdict, "fail");
  EXPECT_NE(x->detail.find("outside the certificate validity"), std::string::npos) << x->detail;
  // SET was made over the moved time by the real Rekor key, so it still verifies.
  EXPECT_EQ(find(vs, "inclusion promise")->verdict, "pass") << dump(vs);
}

TEST(Sigstore, TamperedSetAndSignerPolicy) {
  PrivateSigstore ps;
  auto j = json::parse(ps.bundle(ps.t));
  // Claim another integrated time without re-signing: the SET no longer verifies.
  j["verificationMaterial"]["tlogEntries"][0]["integratedTime"] = std::to_string(ps.t + 1);
  auto vs = verify_attestation(j.dump(), ps.input());
  EXPECT_EQ(find(vs, "inclusion promise")->verdict, "fail") << dump(vs);

  AttestationInput in = ps.input();
  in.policy.allowed_signers = {"https://ci.example.com/other/*"};
  vs = verify_attestation(ps.bundle(ps.t), in);
  EXPECT_EQ(find(vs, ": signer identity")->verdict, "fail") << dump(vs);
  in = ps.input();
  in.policy.allowed_issuers = {"https://accounts.example.org"};
  vs = verify_attestation(ps.bundle(ps.t), in);
  EXPECT_EQ(find(vs, ": signer identity")->verdict, "fail") << dump(vs);

  // Entry body recording another payload hash.
  j = json::parse(ps.bundle(ps.t));
  j["dsseEnvelope"]["payload"] = b64s(ps.statement() + " ");
  vs = verify_attestation(j.dump(), ps.input());
  EXPECT_EQ(find(vs, "rekor entry 1001 body")->verdict, "fail") << dump(vs);
}

}  // namespace
}  // namespace waybill::trust
