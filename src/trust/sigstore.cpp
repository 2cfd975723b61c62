// Sigstore bundles (media types v0.1, v0.2, v0.3) verified offline: the signature with the leaf
// certificate (or a supplied public key), the leaf chain to a Fulcio CA of the supplied
// trusted_root.json at the log's integrated time, and each Rekor entry: body consistent with the
// bundle, signed entry timestamp (SET), RFC 6962 inclusion proof and signed checkpoint.
#include <openssl/evp.h>

#include <algorithm>

#include "trust/attest.h"
#include "trust/json_util.h"

namespace waybill::trust::detail {

using nlohmann::json;

namespace {

struct TlogKey {
  PkeyPtr key;
  Bytes log_id;
  std::string url;
  std::int64_t start = 0, end = INT64_MAX;
};

struct FulcioCa {
  std::vector<X509Ptr> chain;
  std::string uri;
  std::int64_t start = 0, end = INT64_MAX;
};

struct TrustedRoot {
  bool present = false;
  std::string error;
  std::vector<TlogKey> tlogs;
  std::vector<FulcioCa> cas;
};

void valid_for(const json& j, std::int64_t* start, std::int64_t* end) {
  const json& vf = jpath(j, {"validFor"});
  if (auto s = parse_rfc3339(jstr(vf, "start"))) *start = *s;
  if (auto e = parse_rfc3339(jstr(vf, "end"))) *end = *e;
}

TrustedRoot parse_trusted_root(std::string_view text) {
  TrustedRoot tr;
  if (text.empty()) return tr;
  tr.present = true;
  json j = parse_json(text);
  if (!j.is_object()) {
    tr.error = "trusted_root.json is not a JSON object";
    return tr;
  }
  if (const json* tl = jget(j, "tlogs"); tl != nullptr && tl->is_array()) {
    for (const auto& t : *tl) {
      TlogKey k;
      auto raw = b64_decode(jstr(jpath(t, {"publicKey"}), "rawBytes"));
      auto id = b64_decode(jstr(jpath(t, {"logId"}), "keyId"));
      if (!raw || !id) continue;
      k.key = pubkey_from_der(*raw);
      if (!k.key) continue;
      k.log_id = *id;
      k.url = jstr(t, "baseUrl");
      valid_for(jpath(t, {"publicKey"}), &k.start, &k.end);
      tr.tlogs.push_back(std::move(k));
    }
  }
  if (const json* cas = jget(j, "certificateAuthorities"); cas != nullptr && cas->is_array()) {
    for (const auto& c : *cas) {
      FulcioCa ca;
      ca.uri = jstr(c, "uri");
      valid_for(c, &ca.start, &ca.end);
      const json* certs = jpath_ptr(c, {"certChain", "certificates"});
      if (certs == nullptr || !certs->is_array()) continue;
      for (const auto& ce : *certs) {
        auto der = b64_decode(jstr(ce, "rawBytes"));
        if (!der) continue;
        if (X509Ptr x = cert_from_der(*der)) ca.chain.push_back(std::move(x));
      }
      if (!ca.chain.empty()) tr.cas.push_back(std::move(ca));
    }
  }
  if (tr.tlogs.empty() && tr.cas.empty()) {
    tr.error = "trusted_root.json holds no usable tlog key or certificate authority";
  }
  return tr;
}

struct TlogEntry {
  std::string log_index, integrated_time_text, kind, version;
  std::int64_t integrated_time = 0;
  Bytes log_id;
  std::string body_b64;
  Bytes body;
  json body_json;
  std::optional<Bytes> set;
  const json* proof = nullptr;
};

bool parse_i64(const std::string& s, std::int64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

Bytes hash_node(ByteView l, ByteView r) {
  Bytes b;
  b.reserve(1 + l.size() + r.size());
  b.push_back(1);
  b.insert(b.end(), l.begin(), l.end());
  b.insert(b.end(), r.begin(), r.end());
  return digest(EVP_sha256(), b);
}

// RFC 9162 2.1.3.2: root from leaf hash, index, tree size and audit path; "" when it matches.
std::string check_inclusion(const Bytes& leaf_hash, std::int64_t index, std::int64_t size,
                            const std::vector<Bytes>& path, const Bytes& root) {
  if (index < 0 || size <= 0 || index >= size) return "leaf index outside the tree";
  std::uint64_t fn = static_cast<std::uint64_t>(index);
  std::uint64_t sn = static_cast<std::uint64_t>(size - 1);
  Bytes r = leaf_hash;
  for (const Bytes& p : path) {
    if (p.size() != 32) return "audit path hash is not 32 bytes";
    if (sn == 0) return "audit path is longer than the tree allows";
    if ((fn & 1) != 0 || fn == sn) {
      r = hash_node(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = hash_node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return "audit path is shorter than the tree needs";
  if (r != root) return "computed root " + hex(r) + " differs from the proof's root " + hex(root);
  return "";
}

// Signature over the SHA-256 digest (prehashed), for messageSignature bundles.
bool verify_prehashed(EVP_PKEY* key, ByteView dg, ByteView sig) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  bool ok = ctx != nullptr && EVP_PKEY_verify_init(ctx) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
            EVP_PKEY_verify(ctx, sig.data(), sig.size(), dg.data(), dg.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

const TlogKey* find_log(const TrustedRoot& tr, const Bytes& id) {
  for (const auto& t : tr.tlogs) {
    if (t.log_id == id) return &t;
  }
  return nullptr;
}

// The key or certificate PEMs and signatures a Rekor entry body records, and the payload /
// artifact hash it commits to.
struct BodyFacts {
  std::vector<std::string> key_pems;
  std::vector<Bytes> sigs;
  std::string payload_hash;   // dsse / intoto
  std::string artifact_hash;  // hashedrekord
};

BodyFacts body_facts(const json& body) {
  BodyFacts f;
  const json& spec = jpath(body, {"spec"});
  auto add_pem = [&](const std::string& b64) {
    if (auto p = b64_decode(b64)) f.key_pems.emplace_back(p->begin(), p->end());
  };
  auto add_sig = [&](const std::string& b64, bool double_encoded) {
    auto s = b64_decode(b64);
    if (s && double_encoded) {
      s = b64_decode(std::string_view(reinterpret_cast<const char*>(s->data()), s->size()));
    }
    if (s) f.sigs.push_back(*s);
  };
  std::string kind = jstr(body, "kind");
  if (kind == "dsse") {
    f.payload_hash = lower(jstr(jpath(spec, {"payloadHash"}), "value"));
    if (const json* ss = jget(spec, "signatures"); ss != nullptr && ss->is_array()) {
      for (const auto& s : *ss) {
        add_sig(jstr(s, "signature"), false);
        add_pem(jstr(s, "verifier"));
      }
    }
  } else if (kind == "intoto") {
    f.payload_hash = lower(jstr(jpath(spec, {"content", "payloadHash"}), "value"));
    const json* ss = jpath_ptr(spec, {"content", "envelope", "signatures"});
    if (ss != nullptr && ss->is_array()) {
      for (const auto& s : *ss) {
        add_sig(jstr(s, "sig"), true);
        add_pem(jstr(s, "publicKey"));
      }
    }
    if (!jstr(spec, "publicKey").empty()) add_pem(jstr(spec, "publicKey"));
  } else if (kind == "hashedrekord") {
    f.artifact_hash = lower(jstr(jpath(spec, {"data", "hash"}), "value"));
    add_sig(jstr(jpath(spec, {"signature"}), "content"), false);
    add_pem(jstr(jpath(spec, {"signature", "publicKey"}), "content"));
  }
  return f;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

}  // namespace

std::vector<model::TrustVerdict> verify_sigstore_bundle(const json& bundle,
                                                        const AttestationInput& in,
                                                        const std::string& subject) {
  std::vector<model::TrustVerdict> out;
  std::string media = jstr(bundle, "mediaType");
  const json& vm = jpath(bundle, {"verificationMaterial"});
  TrustedRoot tr = parse_trusted_root(in.trusted_root_json);

  // Leaf certificate (and any chain the bundle carries) or public-key hint.
  std::vector<X509Ptr> bundle_certs;
  if (const json* c = jpath_ptr(vm, {"certificate"})) {
    if (auto der = b64_decode(jstr(*c, "rawBytes"))) {
      if (X509Ptr x = cert_from_der(*der)) bundle_certs.push_back(std::move(x));
    }
  }
  if (const json* cs = jpath_ptr(vm, {"x509CertificateChain", "certificates"});
      cs != nullptr && cs->is_array()) {
    for (const auto& c : *cs) {
      if (bundle_certs.size() >= 16) break;
      if (auto der = b64_decode(jstr(c, "rawBytes"))) {
        if (X509Ptr x = cert_from_der(*der)) bundle_certs.push_back(std::move(x));
      }
    }
  }
  std::string key_hint = jstr(jpath(vm, {"publicKey"}), "hint");
  X509* leaf = bundle_certs.empty() ? nullptr : bundle_certs.front().get();
  std::string leaf_pem = leaf != nullptr ? cert_to_pem(leaf) : std::string();

  // Transparency-log entries.
  std::vector<TlogEntry> entries;
  if (const json* tl = jget(vm, "tlogEntries"); tl != nullptr && tl->is_array()) {
    for (const auto& t : *tl) {
      if (entries.size() >= 16) break;
      TlogEntry e;
      e.log_index = jnum_text(t, "logIndex");
      e.integrated_time_text = jnum_text(t, "integratedTime");
      parse_i64(e.integrated_time_text, &e.integrated_time);
      e.kind = jstr(jpath(t, {"kindVersion"}), "kind");
      e.version = jstr(jpath(t, {"kindVersion"}), "version");
      if (auto id = b64_decode(jstr(jpath(t, {"logId"}), "keyId"))) e.log_id = *id;
      e.body_b64 = jstr(t, "canonicalizedBody");
      if (auto b = b64_decode(e.body_b64)) e.body = *b;
      e.body_json =
          parse_json(std::string_view(reinterpret_cast<const char*>(e.body.data()), e.body.size()));
      std::string set = jstr(jpath(t, {"inclusionPromise"}), "signedEntryTimestamp");
      if (!set.empty()) e.set = b64_decode(set);
      const json* pr = jget(t, "inclusionProof");
      e.proof = pr != nullptr && pr->is_object() ? pr : nullptr;
      entries.push_back(std::move(e));
    }
  }

  // Content: DSSE envelope or message signature.
  std::optional<Envelope> env;
  Bytes content_sig;
  std::string content_payload_hash;
  model::TrustVerdict sigv = verdict("sigstore", subject + ": signature", "fail", "");
  sigv.evidence.push_back("mediaType " + media);
  if (const json* d = jget(bundle, "dsseEnvelope")) {
    auto e = parse_envelope(*d);
    if (!e.ok()) {
      sigv.kind = "dsse";
      sigv.detail = e.error().message;
      out.push_back(sigv);
      return out;
    }
    env = std::move(*e);
    content_payload_hash = sha256_hex(env->payload);
    if (!env->signatures.empty() && env->signatures.front().sig) {
      content_sig = *env->signatures.front().sig;
    }
    std::vector<CandidateKey> keys;
    if (leaf != nullptr) {
      for (auto& s : env->signatures) s.cert_pem = leaf_pem;
    } else {
      keys = supplied_keys(in);
      // The key recorded in the log entry, as an untrusted candidate (npm publish attestations).
      for (const auto& e2 : entries) {
        for (const auto& pem : body_facts(e2.body_json).key_pems) {
          CandidateKey ck;
          ck.key = pubkey_from_pem(pem);
          if (!ck.key) continue;
          ck.fingerprint = spki_sha256_hex(ck.key.get());
          Bytes fp = digest(EVP_sha256(), spki_der(ck.key.get()));
          std::string b64 = b64_encode(fp);
          while (!b64.empty() && b64.back() == '=') b64.pop_back();
          ck.name = "key SHA256:" + b64 + " from Rekor entry " + e2.log_index;
          if (!key_hint.empty() && key_hint != "SHA256:" + b64) {
            ck.name += " (does not match the bundle's key hint " + key_hint + ")";
          }
          keys.push_back(std::move(ck));
        }
      }
    }
    model::TrustVerdict dv = verify_dsse(*env, keys, subject, false, nullptr);
    if (!key_hint.empty()) dv.evidence.push_back("bundle key hint " + key_hint);
    out.push_back(std::move(dv));
    for (auto& v : check_statement(*env, in, subject)) out.push_back(std::move(v));
  } else if (const json* ms = jget(bundle, "messageSignature")) {
    auto sig = b64_decode(jstr(*ms, "signature"));
    std::string alg = jstr(jpath(*ms, {"messageDigest"}), "algorithm");
    auto dg = b64_decode(jstr(jpath(*ms, {"messageDigest"}), "digest"));
    if (!sig || sig->empty()) {
      sigv.detail = "messageSignature.signature is missing or not base64";
      out.push_back(sigv);
    } else {
      content_sig = *sig;
      Bytes want;
      if (!in.artifact.empty()) want = digest(EVP_sha256(), in.artifact);
      for (const auto& [a, v] : artifact_digests(in)) {
        if (a == "sha256" && want.empty()) want = hex_decode(v).value_or(Bytes{});
      }
      if (dg) content_payload_hash = hex(*dg);
      std::vector<std::pair<PkeyPtr, std::string>> keys;
      if (leaf != nullptr) keys.emplace_back(PkeyPtr(X509_get_pubkey(leaf)), "leaf certificate");
      for (auto& ck : supplied_keys(in)) {
        if (ck.trusted) keys.emplace_back(std::move(ck.key), ck.name);
      }
      if (want.empty()) {
        sigv.verdict = "unknown";
        sigv.detail = "no artifact (or sha256 digest) given to check the message signature";
      } else if (dg && (alg == "SHA2_256" || alg.empty()) && *dg != want) {
        sigv.detail =
            "bundle messageDigest " + hex(*dg) + " differs from the artifact " + hex(want);
      } else if (keys.empty()) {
        sigv.verdict = "unknown";
        sigv.detail = "no key to verify the message signature";
      } else {
        sigv.detail = "message signature does not verify with " + keys.front().second;
        for (auto& [k, name] : keys) {
          if (verify_prehashed(k.get(), want, *sig)) {
            sigv.verdict = "pass";
            sigv.key = name;
            sigv.detail = "message signature over sha256:" + hex(want) + " verifies with " + name;
            break;
          }
        }
      }
      out.push_back(sigv);
    }
  } else {
    sigv.detail = "bundle has neither dsseEnvelope nor messageSignature";
    out.push_back(sigv);
    return out;
  }

  // Signing time: the earliest integrated time of the log entries.
  std::optional<std::int64_t> signed_at;
  for (const auto& e : entries) {
    if (e.integrated_time > 0 && (!signed_at || e.integrated_time < *signed_at)) {
      signed_at = e.integrated_time;
    }
  }

  // Certificate: validity at signing time, chain to a Fulcio CA, identity against policy.
  if (leaf != nullptr) {
    CertInfo ci = cert_info(leaf);
    model::TrustVerdict xv = verdict("x509", subject + ": signing certificate", "fail", "");
    xv.key = ci.identity();
    xv.evidence.push_back("issuer " + ci.issuer);
    xv.evidence.push_back("valid " + format_time(ci.not_before) + " .. " +
                          format_time(ci.not_after));
    if (!signed_at) {
      xv.detail = "no transparency-log entry gives a signing time for the short-lived certificate";
    } else if (*signed_at < ci.not_before || *signed_at > ci.not_after) {
      xv.detail = "signing time " + format_time(*signed_at) +
                  " is outside the certificate validity " + format_time(ci.not_before) + " .. " +
                  format_time(ci.not_after);
    } else if (!tr.present) {
      xv.verdict = "unknown";
      xv.detail = "signed at " + format_time(*signed_at) +
                  " within the certificate validity; no trusted_root.json was supplied, so the "
                  "chain to a Fulcio CA is not checked";
    } else {
      std::vector<X509*> untrusted, anchors;
      for (std::size_t i = 1; i < bundle_certs.size(); ++i)
        untrusted.push_back(bundle_certs[i].get());
      std::vector<std::string> cas;
      for (const auto& ca : tr.cas) {
        if (*signed_at < ca.start || *signed_at > ca.end) continue;
        for (const auto& c : ca.chain) anchors.push_back(c.get());
        cas.push_back(ca.uri);
      }
      std::vector<std::string> path;
      std::string why = verify_chain(leaf, untrusted, anchors, *signed_at, true, &path);
      if (!why.empty()) {
        xv.detail = anchors.empty()
                        ? "no Fulcio CA of the trusted root is valid at " + format_time(*signed_at)
                        : why;
      } else {
        xv.verdict = "pass";
        std::string chain;
        for (const auto& p : path) chain += (chain.empty() ? "" : " / ") + p;
        xv.evidence.push_back("chain " + chain);
        xv.detail = "certificate for " + ci.identity() + " chains to a trusted Fulcio CA at " +
                    format_time(*signed_at);
      }
    }
    out.push_back(std::move(xv));
    out.push_back(check_signer_identity(ci, in.policy, subject));
  } else if (!key_hint.empty()) {
    model::TrustVerdict kv = verdict("sigstore", subject + ": key", "unknown", "");
    kv.key = key_hint;
    auto keys = supplied_keys(in);
    bool have =
        std::any_of(keys.begin(), keys.end(), [](const CandidateKey& k) { return k.trusted; });
    kv.detail = have ? "signed with key " + key_hint + "; see the dsse verdict"
                     : "signed with key " + key_hint + ", which was not supplied as a trusted key";
    if (have) kv.verdict = "pass";
    out.push_back(std::move(kv));
  }

  // Transparency log.
  if (entries.empty()) {
    out.push_back(verdict("sigstore", subject + ": transparency log", "fail",
                          "bundle has no transparency-log entry"));
  }
  for (const auto& e : entries) {
    std::string es = subject + ": rekor entry " + e.log_index;
    // Body consistency.
    model::TrustVerdict bv = verdict("sigstore", es + " body", "pass", "");
    bv.evidence.push_back("kind " + e.kind + " " + e.version);
    std::vector<std::string> problems;
    if (!e.body_json.is_object()) {
      problems.push_back("canonicalizedBody is not base64 JSON");
    } else {
      BodyFacts f = body_facts(e.body_json);
      std::string payload_or_artifact = e.kind == "hashedrekord" ? f.artifact_hash : f.payload_hash;
      if (!payload_or_artifact.empty() && !content_payload_hash.empty() &&
          payload_or_artifact != content_payload_hash) {
        problems.push_back("entry records hash " + payload_or_artifact +
                           " but the bundle content has " + content_payload_hash);
      }
      if (!f.sigs.empty() && !content_sig.empty() &&
          std::find(f.sigs.begin(), f.sigs.end(), content_sig) == f.sigs.end()) {
        problems.push_back("entry records a different signature than the bundle");
      }
      if (leaf != nullptr && !f.key_pems.empty()) {
        bool same = false;
        for (const auto& pem : f.key_pems) {
          auto certs = certs_from_pem(pem);
          if (!certs.empty() && X509_cmp(certs.front().get(), leaf) == 0) same = true;
        }
        if (!same) problems.push_back("entry records a different certificate than the bundle");
      }
    }
    if (!problems.empty()) {
      bv.verdict = "fail";
      bv.detail = join(problems);
    } else {
      bv.detail = "entry body records the bundle's content hash, signature and key";
    }
    out.push_back(std::move(bv));

    const TlogKey* log = tr.present ? find_log(tr, e.log_id) : nullptr;
    std::string log_hex = hex(e.log_id);
    // Signed entry timestamp.
    model::TrustVerdict sv = verdict("sigstore", es + " inclusion promise", "unknown", "");
    sv.evidence.push_back("logID " + log_hex);
    sv.evidence.push_back("integratedTime " + e.integrated_time_text + " (" +
                          format_time(e.integrated_time) + ")");
    std::int64_t idx = 0;
    if (!e.set) {
      sv.detail = "no signed entry timestamp";
      if (!e.proof) sv.verdict = "fail";
    } else if (!tr.present) {
      sv.detail =
          "no trusted_root.json supplied: the Rekor key to check the signed entry timestamp "
          "is unknown";
    } else if (log == nullptr) {
      sv.verdict = "fail";
      sv.detail = "log " + log_hex + " is not a transparency log of the trusted root";
    } else if (!parse_i64(e.log_index, &idx)) {
      sv.verdict = "fail";
      sv.detail = "logIndex is not a number";
    } else {
      json canon = json::object();
      canon["body"] = e.body_b64;
      canon["integratedTime"] = e.integrated_time;
      canon["logID"] = log_hex;
      canon["logIndex"] = idx;
      std::string text = canon.dump();  // keys sorted, no whitespace: RFC 8785 for this shape
      std::string why = verify_raw(log->key.get(), EVP_sha256(), ByteView(text), *e.set);
      if (!why.empty()) {
        sv.verdict = "fail";
        sv.detail = "signed entry timestamp does not verify with the Rekor key: " + why;
      } else if (e.integrated_time < log->start || e.integrated_time > log->end) {
        sv.verdict = "fail";
        sv.detail = "integrated time is outside the Rekor key's validity";
      } else {
        sv.verdict = "pass";
        sv.key = log->url.empty() ? log_hex : log->url;
        sv.detail = "signed entry timestamp verifies with the Rekor key " + sv.key;
      }
    }
    out.push_back(std::move(sv));

    // Inclusion proof and checkpoint.
    if (e.proof == nullptr) continue;
    model::TrustVerdict pv = verdict("sigstore", es + " inclusion proof", "fail", "");
    std::int64_t pidx = 0, size = 0;
    auto root = b64_decode(jstr(*e.proof, "rootHash"));
    std::vector<Bytes> path;
    bool ok = parse_i64(jnum_text(*e.proof, "logIndex"), &pidx) &&
              parse_i64(jnum_text(*e.proof, "treeSize"), &size) && root.has_value();
    if (const json* hs = jget(*e.proof, "hashes"); ok && hs != nullptr && hs->is_array()) {
      for (const auto& h : *hs) {
        if (path.size() > 64 || !h.is_string()) {
          ok = false;
          break;
        }
        auto b = b64_decode(h.get<std::string>());
        if (!b) {
          ok = false;
          break;
        }
        path.push_back(*b);
      }
    }
    if (!ok) {
      pv.detail = "inclusion proof is malformed (logIndex, treeSize, rootHash, hashes)";
      out.push_back(std::move(pv));
      continue;
    }
    Bytes leaf_in;
    leaf_in.push_back(0);
    leaf_in.insert(leaf_in.end(), e.body.begin(), e.body.end());
    std::string why = check_inclusion(digest(EVP_sha256(), leaf_in), pidx, size, path, *root);
    pv.evidence.push_back("tree size " + std::to_string(size) + ", leaf " + std::to_string(pidx) +
                          ", root " + hex(*root));
    if (!why.empty()) {
      pv.detail = "entry is not included in the tree: " + why;
    } else {
      pv.verdict = "pass";
      pv.detail = "audit path of " + std::to_string(path.size()) +
                  " hashes leads from the entry to the tree root";
    }
    out.push_back(std::move(pv));

    model::TrustVerdict cv = verdict("sigstore", es + " checkpoint", "fail", "");
    std::string note = jstr(jpath(*e.proof, {"checkpoint"}), "envelope");
    auto split = note.find("\n\n");
    if (note.empty() || split == std::string::npos) {
      cv.verdict = note.empty() ? "unknown" : "fail";
      cv.detail = note.empty() ? "no checkpoint" : "checkpoint is not a signed note";
      out.push_back(std::move(cv));
      continue;
    }
    std::string body = note.substr(0, split + 1);
    std::vector<std::string> lines;
    for (std::size_t p = 0; p < body.size();) {
      auto nl = body.find('\n', p);
      lines.push_back(body.substr(p, nl - p));
      p = nl + 1;
    }
    std::int64_t cp_size = 0;
    auto cp_root = lines.size() >= 3 ? b64_decode(lines[2]) : std::nullopt;
    cv.evidence.push_back("origin " + (lines.empty() ? std::string() : lines[0]));
    if (lines.size() < 3 || !parse_i64(lines[1], &cp_size) || !cp_root) {
      cv.detail = "checkpoint body is malformed";
    } else if (cp_size != size || *cp_root != *root) {
      cv.detail = "checkpoint (size " + lines[1] + ", root " + hex(*cp_root) +
                  ") differs from the inclusion proof";
    } else if (!tr.present) {
      cv.verdict = "unknown";
      cv.detail =
          "checkpoint matches the proof's tree; no trusted_root.json supplied to check "
          "its signature";
    } else if (log == nullptr) {
      cv.detail = "log " + log_hex + " is not a transparency log of the trusted root";
    } else {
      cv.detail = "no checkpoint signature verifies with the Rekor key";
      std::string sigs = note.substr(split + 2);
      for (std::size_t p = 0; p < sigs.size();) {
        auto nl = sigs.find('\n', p);
        std::string line = sigs.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
        p = nl == std::string::npos ? sigs.size() : nl + 1;
        static const std::string kDash = "\xe2\x80\x94 ";
        if (line.rfind(kDash, 0) != 0) continue;
        auto sp = line.rfind(' ');
        auto blob = b64_decode(line.substr(sp + 1));
        if (!blob || blob->size() <= 4) continue;
        if (!std::equal(blob->begin(), blob->begin() + 4, log->log_id.begin(),
                        log->log_id.begin() + std::min<std::size_t>(4, log->log_id.size()))) {
          continue;
        }
        ByteView s(blob->data() + 4, blob->size() - 4);
        if (verify_raw(log->key.get(), EVP_sha256(), ByteView(body), s).empty()) {
          cv.verdict = "pass";
          cv.detail = "checkpoint signed by the Rekor key commits to the proof's root";
          break;
        }
      }
    }
    out.push_back(std::move(cv));
  }
  return out;
}

}  // namespace waybill::trust::detail
