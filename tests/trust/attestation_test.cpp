// Attestations from the shared corpus (real slsa-verifier test data): every file parses, every
// `invalid` one whose reason is checkable offline fails for that reason, and the offline-
// checkable parts of every `valid` one pass. Plus DSSE envelopes made here with generated keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/support.h"
#include "trust/attest.h"
#include "trust/crypto.h"
#include "trust/test_crypto.h"
#include "trust/trust.h"

namespace waybill::trust {
namespace {

namespace fs = std::filesystem;
using model::TrustVerdict;

std::vector<TrustVerdict> run(const fs::path& f, AttestationInput in) {
  in.name = f.filename().string();
  return verify_attestation(test::read_text(f), in);
}

std::string dump(const std::vector<TrustVerdict>& vs) {
  std::string s;
  for (const auto& v : vs)
    s += v.kind + " | " + v.subject + " | " + v.verdict + " | " + v.detail + "\n";
  return s;
}

// The first verdict of `kind` whose verdict is `verdict` and whose detail contains `needle`.
bool has(const std::vector<TrustVerdict>& vs, std::string_view kind, std::string_view verdict,
         std::string_view needle = "") {
  for (const auto& v : vs) {
    if (v.kind == kind && v.verdict == verdict && v.detail.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool any_fail(const std::vector<TrustVerdict>& vs) {
  for (const auto& v : vs) {
    if (v.verdict == "fail") return true;
  }
  return false;
}

const char* kGenericBuilder =
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/*";

TEST(Attestation, GhaGenericV121EnvelopeWithEmbeddedCertificate) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path f = shared /
               "corpus/documents/attestations/slsa-verifier/gha_generic/v1.2.1/"
               "binary-linux-amd64-push-v14.intoto.jsonl";
  AttestationInput in;
  in.artifact_digests = {"sha256:ec8ff1bb40da2a36e3e9113dd7a5dd452c5125f7013e849519c0754b3c9fda89"};
  in.policy.allowed_builders = {kGenericBuilder};
  in.policy.allowed_sources = {"https://github.com/slsa-framework/example-package"};
  auto vs = run(f, in);
  EXPECT_TRUE(has(vs, "dsse", "pass", "verifies with the key of its certificate")) << dump(vs);
  EXPECT_TRUE(has(vs, "in-toto", "pass", "matches the artifact")) << dump(vs);
  EXPECT_TRUE(has(vs, "slsa", "pass")) << dump(vs);
  // The Fulcio certificate needs its Rekor entry to be judged offline: unknown, not pass.
  EXPECT_TRUE(has(vs, "x509", "unknown")) << dump(vs);
  EXPECT_FALSE(any_fail(vs)) << dump(vs);

  // Wrong artifact, wrong builder, wrong source: each fails with its reason.
  AttestationInput wrong = in;
  wrong.artifact_digests = {std::string(64, '0')};
  EXPECT_TRUE(has(run(f, wrong), "in-toto", "fail", "no subject digest matches"));
  wrong = in;
  wrong.policy.allowed_builders = {"https://github.com/evil/*"};
  EXPECT_TRUE(has(run(f, wrong), "slsa", "fail", "is not allowed"));
  wrong = in;
  wrong.policy.allowed_sources = {"https://github.com/other/repo"};
  EXPECT_TRUE(has(run(f, wrong), "slsa", "fail", "source"));
  // Tampered payload: the signature no longer verifies.
  std::string text = test::read_text(f);
  auto j = nlohmann::json::parse(text);
  std::string payload = j["payload"].get<std::string>();
  payload[40] = payload[40] == 'A' ? 'B' : 'A';
  j["payload"] = payload;
  in.name = "tampered";
  auto t = verify_attestation(j.dump(), in);
  EXPECT_TRUE(has(t, "dsse", "fail", "does not verify")) << dump(t);
}

TEST(Attestation, BcrWrongSignerFailsSignerPolicy) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = shared / "corpus/documents/attestations/slsa-verifier/bcr";
  AttestationInput in;
  in.artifact_digests = {"06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b"};
  in.policy.allowed_builders = {"https://github.com/bazel-contrib/publish-to-bcr/*"};
  in.policy.allowed_sources = {"https://github.com/aspect-build/rules_lint"};
  in.policy.allowed_signers = {
      "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@*"};
  auto good = run(dir / "MODULE.bazel.intoto.jsonl", in);
  EXPECT_TRUE(has(good, "x509", "pass", "allowed by policy")) << dump(good);
  EXPECT_TRUE(has(good, "slsa", "pass")) << dump(good);
  EXPECT_TRUE(has(good, "in-toto", "pass")) << dump(good);
  EXPECT_TRUE(has(good, "dsse", "pass")) << dump(good);
  EXPECT_TRUE(has(good, "sigstore", "pass", "audit path")) << dump(good);
  EXPECT_FALSE(any_fail(good)) << dump(good);
  // Same statement, signed by another workflow: the signature itself is fine, the signer is not.
  auto bad = run(dir / "MODULE-wrong-signer.bazel.intoto.jsonl", in);
  EXPECT_TRUE(has(bad, "dsse", "pass")) << dump(bad);
  EXPECT_TRUE(has(bad, "x509", "fail", "loosebazooka/aa-test")) << dump(bad);
}

TEST(Attestation, SigstoreBundleOfflineParts) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path f = shared /
               "corpus/documents/attestations/slsa-verifier/gha_maven/v2.1.0/"
               "binary-linux-amd64-push-v14.build.slsa";
  AttestationInput in;
  in.artifact_digests = {"sha256:18a114f0a2d8031687d28e5514d7ababe54d641e08fd01d99f22c3f8745caf0a"};
  in.policy.allowed_builders = {kGenericBuilder};
  in.policy.allowed_sources = {"https://github.com/slsa-framework/example-package"};
  auto vs = run(f, in);
  EXPECT_TRUE(has(vs, "dsse", "pass")) << dump(vs);
  EXPECT_TRUE(has(vs, "slsa", "pass")) << dump(vs);
  EXPECT_TRUE(has(vs, "sigstore", "pass", "records the bundle's")) << dump(vs);
  EXPECT_TRUE(has(vs, "sigstore", "pass", "audit path of")) << dump(vs);
  // No trusted_root.json in the corpus: Fulcio chain, SET and checkpoint signature are unknown.
  EXPECT_TRUE(has(vs, "x509", "unknown", "no trusted_root.json")) << dump(vs);
  EXPECT_TRUE(has(vs, "sigstore", "unknown", "Rekor key")) << dump(vs);
  EXPECT_TRUE(has(vs, "sigstore", "unknown", "checkpoint matches the proof's tree")) << dump(vs);
  EXPECT_FALSE(any_fail(vs)) << dump(vs);

  // A broken audit path is caught.
  auto j = nlohmann::json::parse(test::read_text(f));
  auto& hashes = j["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"];
  hashes[0] = hashes[1];
  in.name = "broken-proof";
  auto b = verify_attestation(j.dump(), in);
  EXPECT_TRUE(has(b, "sigstore", "fail", "not included in the tree")) << dump(b);
}

TEST(Attestation, NpmTamperedSignaturesFail) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = shared / "corpus/documents/attestations/slsa-verifier/npm/gha";
  for (const char* base : {"provenance-npm-test-cli-v02-prega", "provenance-npm-test-cli-v1-prega",
                           "provenance-npm-test-ossf"}) {
    std::string b(base);
    auto good = run(dir / (b + ".tgz.json"), {});
    EXPECT_FALSE(any_fail(good)) << b << "\n" << dump(good);
    // Provenance signed with the Fulcio certificate: verifiable offline.
    EXPECT_TRUE(has(good, "dsse", "pass", "certificate")) << dump(good);
    // Publish attestation signed with npm's key, recorded in the Rekor entry but not supplied.
    EXPECT_TRUE(has(good, "dsse", "unknown", "not a trusted key")) << dump(good);
    auto prov = run(dir / (b + "-invalidsigprov.tgz.json"), {});
    EXPECT_TRUE(has(prov, "dsse", "fail", "does not verify")) << b << "\n" << dump(prov);
    auto pub = run(dir / (b + "-invalidsigpub.tgz.json"), {});
    EXPECT_TRUE(any_fail(pub)) << b << "\n" << dump(pub);
  }
}

struct GcbCase {
  const char* file;
  const char* kind;
  const char* reason;
};

TEST(Attestation, CloudBuildInvalidDocumentsFailForTheirReason) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path dir = shared / "corpus/documents/attestations/slsa-verifier/gcb_container/v0.3";
  const GcbCase cases[] = {
      {"gcloud-container-empty-keyid.json", "dsse", "empty keyid"},
      {"gcloud-container-no-keyid.json", "dsse", "has no keyid"},
      {"gcloud-container-invalid-keyid.json", "dsse", "not a Cloud KMS key version name"},
      {"gcloud-container-empty-signature-region.json", "dsse", "empty location"},
      {"gcloud-container-invalid-signature-region.json", "dsse", "invalid location"},
      {"gcloud-container-empty-signature.json", "dsse", "is empty"},
      {"gcloud-container-invalid-signature-encoding.json", "dsse", "not valid base64"},
      {"gcloud-container-mismatch-metadata-kind.json", "in-toto", "kind is 'BUIL'"},
      {"gcloud-container-mismatch-metadata-urisha256.json", "in-toto", "does not name the image"},
      {"gcloud-container-mismatch-payload-builderid.json", "in-toto", "two builders"},
      {"gcloud-container-mismatch-payload-digest.json", "in-toto", "no subject digest matches"},
      {"gcloud-container-mismatch-summary-digest.json", "in-toto", "no subject digest matches"},
      {"gcloud-container-mismatch-text-digest.json", "in-toto", "differs from the signed payload"},
      {"gcloud-container-mismatch-text-steps.json", "in-toto", "differs from the signed payload"},
      {"gcloud-container-no-signature.json", "dsse", "not JSON"},
  };
  for (const auto& c : cases) {
    auto vs = run(dir / c.file, {});
    EXPECT_TRUE(has(vs, c.kind, "fail", c.reason)) << c.file << "\n" << dump(vs);
  }
  // Valid ones: metadata and digests agree; the signature needs Google's key (not in the corpus).
  for (const char* f : {"gcloud-container-github.json", "gcloud-container-github-tag.json",
                        "gcloud-container-multiple-provenance-2ndvalid.json",
                        "gcloud-container-multiple-signatures-3rdvalid.json"}) {
    AttestationInput in;
    in.policy.allowed_builders = {"https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3"};
    auto vs = run(dir / f, in);
    EXPECT_FALSE(any_fail(vs)) << f << "\n" << dump(vs);
    EXPECT_TRUE(has(vs, "in-toto", "pass", "agree with the signed payload")) << dump(vs);
    EXPECT_TRUE(has(vs, "slsa", "unknown", "none could be fully verified offline")) << dump(vs);
  }
}

TEST(Attestation, EveryCorpusFileParsesAndValidOnesHaveNoFailure) {
  WAYBILL_REQUIRE_SHARED(shared);
  fs::path root = shared / "corpus/documents/attestations";
  auto manifest = nlohmann::json::parse(test::read_text(root / "manifest.json"));
  std::size_t n = 0;
  for (const auto& e : manifest) {
    fs::path f = root / e["file"].get<std::string>();
    auto vs = run(f, {});
    ++n;
    ASSERT_FALSE(vs.empty()) << f;
    for (const auto& v : vs) {
      EXPECT_FALSE(v.detail.empty()) << f << ": verdict without explanation";
      EXPECT_TRUE(v.verdict == "pass" || v.verdict == "fail" || v.verdict == "unknown");
    }
    if (e["expected"] == "valid") {
      EXPECT_FALSE(any_fail(vs)) << f << "\n" << dump(vs);
    }
  }
  EXPECT_EQ(n, 56u);
}

// ---- Envelopes made here ----

std::string envelope(const std::string& payload, const std::vector<testing::Key>& signers,
                     const std::vector<std::string>& keyids, bool url_safe = false) {
  nlohmann::json j;
  j["payloadType"] = "application/vnd.in-toto+json";
  std::string b64 = detail::b64_encode(ByteView(payload));
  if (url_safe) {
    for (char& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
  }
  j["payload"] = b64;
  j["signatures"] = nlohmann::json::array();
  auto msg = detail::pae("application/vnd.in-toto+json", ByteView(payload));
  std::string m(msg.begin(), msg.end());
  for (std::size_t i = 0; i < signers.size(); ++i) {
    auto sig = testing::sign(
        signers[i],
        EVP_PKEY_get_base_id(signers[i].get()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256(), m);
    j["signatures"].push_back(
        {{"keyid", keyids[i]}, {"sig", detail::b64_encode(ByteView(sig.data(), sig.size()))}});
  }
  return j.dump();
}

std::string statement_v1(const std::string& digest) {
  nlohmann::json s;
  s["_type"] = "https://in-toto.io/Statement/v1";
  s["subject"] = {{{"name", "fw.img"}, {"digest", {{"sha256", digest}}}}};
  s["predicateType"] = "https://slsa.dev/provenance/v1";
  s["predicate"]["buildDefinition"]["externalParameters"]["source"] =
      "git+https://git.example.com/fw@refs/tags/v1";
  s["predicate"]["runDetails"]["builder"]["id"] = "https://ci.example.com/builders/fw@v1";
  return s.dump();
}

TEST(Attestation, GeneratedEnvelopeMultipleSignaturesAndPolicy) {
  std::string image = "firmware-1.0 image";
  std::string digest = detail::sha256_hex(ByteView(image));
  auto k1 = testing::make_key("ed25519");
  auto k2 = testing::make_key("p256");
  auto other = testing::make_key("p256");
  std::string doc = envelope(statement_v1(digest), {other, k2}, {"stranger", "ci-key"});
  AttestationInput in;
  in.artifact = ByteView(image);
  in.keys = {KeySpec{testing::pub_pem(k1), {}, "release-key"},
             KeySpec{testing::pub_pem(k2), {}, "ci-key"}};
  in.policy.allowed_builders = {"https://ci.example.com/builders/*"};
  in.policy.allowed_sources = {"https://git.example.com/fw"};
  auto vs = verify_attestation(doc, in);
  EXPECT_TRUE(has(vs, "dsse", "pass", "signature 2 verifies with trusted key ci-key")) << dump(vs);
  EXPECT_TRUE(has(vs, "in-toto", "pass")) << dump(vs);
  EXPECT_TRUE(has(vs, "slsa", "pass")) << dump(vs);

  // Fingerprint policy excludes ci-key: the good signature no longer counts as trusted.
  AttestationInput pinned = in;
  pinned.policy.allowed_key_fingerprints = {*key_fingerprint(testing::pub_pem(k1))};
  EXPECT_TRUE(has(verify_attestation(doc, pinned), "dsse", "unknown", "not a trusted key"));

  // URL-safe, unpadded base64 payload signed with Ed25519.
  std::string url = envelope(statement_v1(digest), {k1}, {""}, true);
  EXPECT_TRUE(has(verify_attestation(url, in), "dsse", "pass", "release-key"));

  // Provenance required but the statement is not provenance.
  nlohmann::json s = nlohmann::json::parse(statement_v1(digest));
  s["predicateType"] = "https://example.com/test-result/v1";
  AttestationInput req = in;
  req.policy.require_provenance = true;
  auto r = verify_attestation(envelope(s.dump(), {k1}, {""}), req);
  EXPECT_TRUE(has(r, "slsa", "fail", "not SLSA provenance")) << dump(r);

  // Not an in-toto statement type.
  s = nlohmann::json::parse(statement_v1(digest));
  s["_type"] = "https://example.com/Statement/v9";
  EXPECT_TRUE(has(verify_attestation(envelope(s.dump(), {k1}, {""}), in), "in-toto", "fail",
                  "is not an in-toto Statement"));

  // JSON Lines of two envelopes, one per line.
  std::string lines = doc + "\n" + url + "\n";
  auto jl = verify_attestation(lines, in);
  std::size_t dsse_pass = 0;
  for (const auto& v : jl) dsse_pass += v.kind == "dsse" && v.verdict == "pass";
  EXPECT_EQ(dsse_pass, 2u) << dump(jl);
}

TEST(Attestation, HostileDocumentsFailCleanly) {
  AttestationInput in;
  for (std::string doc :
       {std::string(""), std::string("[]"), std::string("{}"), std::string(100000, '['),
        std::string("{\"payload\":1}"), std::string("{\"payload\":\"!!\",\"signatures\":[]}"),
        std::string("{\"mediaType\":\"application/vnd.dev.sigstore.bundle+json;"
                    "version=0.2\"}")}) {
    auto vs = verify_attestation(doc, in);
    ASSERT_FALSE(vs.empty());
    EXPECT_TRUE(any_fail(vs)) << doc.substr(0, 60) << "\n" << dump(vs);
  }
}

}  // namespace
}  // namespace waybill::trust
