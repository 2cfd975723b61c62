// DSSE envelopes (PAE, base64 std/url, several signatures, keyids) and the in-toto Statement /
// SLSA provenance checks of their payload.
#include <algorithm>

#include "trust/attest.h"
#include "trust/json_util.h"

namespace waybill::trust::detail {

using nlohmann::json;

Result<Envelope> parse_envelope(const json& j) {
  if (!j.is_object()) return Error(Errc::corrupt, "DSSE envelope is not a JSON object");
  Envelope env;
  env.payload_type = jstr(j, "payloadType");
  env.payload_text = jstr(j, "payload");
  if (!j.contains("payload") || !j["payload"].is_string()) {
    return Error(Errc::corrupt, "DSSE envelope has no string \"payload\"");
  }
  auto p = b64_decode_strict(env.payload_text);
  if (!p) return Error(Errc::corrupt, "DSSE payload is not valid base64");
  env.payload = std::move(*p);
  auto sit = j.find("signatures");
  if (sit == j.end() || !sit->is_array()) {
    return Error(Errc::corrupt, "DSSE envelope has no \"signatures\" array");
  }
  for (const auto& s : *sit) {
    if (env.signatures.size() >= kMaxSignatures) break;
    DsseSignature ds;
    if (!s.is_object()) {
      env.signatures.push_back(ds);
      continue;
    }
    auto kit = s.find("keyid");
    ds.has_keyid = kit != s.end() && kit->is_string();
    if (ds.has_keyid) ds.keyid = kit->get<std::string>();
    ds.sig_text = jstr(s, "sig");
    if (!ds.sig_text.empty()) ds.sig = b64_decode_strict(ds.sig_text);
    ds.cert_pem = jstr(s, "cert");
    env.signatures.push_back(std::move(ds));
  }
  return env;
}

Bytes pae(std::string_view type, ByteView body) {
  std::string head = "DSSEv1 " + std::to_string(type.size()) + " " + std::string(type) + " " +
                     std::to_string(body.size()) + " ";
  Bytes out(head.begin(), head.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::vector<CandidateKey> supplied_keys(const AttestationInput& in) {
  std::vector<CandidateKey> out;
  for (const auto& k : in.keys) {
    CandidateKey ck;
    ck.key = pubkey_from_pem(k.pem);
    if (!ck.key) continue;
    ck.fingerprint = spki_sha256_hex(ck.key.get());
    ck.name = k.name.empty() ? "sha256:" + ck.fingerprint : k.name;
    ck.trusted = in.policy.allowed_key_fingerprints.empty() ||
                 std::find(in.policy.allowed_key_fingerprints.begin(),
                           in.policy.allowed_key_fingerprints.end(),
                           ck.fingerprint) != in.policy.allowed_key_fingerprints.end();
    out.push_back(std::move(ck));
  }
  return out;
}

namespace {

const EVP_MD* md_for_key(EVP_PKEY* k) {
  if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
    int bits = EVP_PKEY_get_bits(k);
    if (bits > 384) return EVP_sha512();
    if (bits > 256) return EVP_sha384();
  }
  return EVP_sha256();
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// "git+https://github.com/o/r@refs/tags/v1" -> "https://github.com/o/r"
std::string normalize_source(std::string_view uri) {
  std::string u(uri);
  if (u.rfind("git+", 0) == 0) u.erase(0, 4);
  auto scheme = u.find("://");
  std::size_t from = scheme == std::string::npos ? 0 : u.find('/', scheme + 3);
  if (from != std::string::npos) {
    auto at = u.find('@', from);
    if (at != std::string::npos) u.erase(at);
  }
  if (u.size() > 4 && u.compare(u.size() - 4, 4, ".git") == 0) u.erase(u.size() - 4);
  return u;
}

}  // namespace

model::TrustVerdict verify_dsse(const Envelope& env, std::vector<CandidateKey>& keys,
                                const std::string& subject, bool keyid_required,
                                std::string* signer_cert_pem) {
  model::TrustVerdict v = verdict("dsse", subject, "fail", "");
  v.evidence.push_back("payloadType " + env.payload_type);
  if (env.signatures.empty()) {
    v.detail = "envelope has no signatures";
    return v;
  }
  Bytes msg = pae(env.payload_type, env.payload);
  std::vector<std::string> problems;
  bool untrusted_ok = false;
  std::string untrusted_name;
  bool any_key = !keys.empty();
  for (std::size_t i = 0; i < env.signatures.size(); ++i) {
    const DsseSignature& s = env.signatures[i];
    std::string tag = "signature " + std::to_string(i + 1);
    if (keyid_required && !s.has_keyid) {
      problems.push_back(tag + " has no keyid");
      continue;
    }
    if (keyid_required && s.keyid.empty()) {
      problems.push_back(tag + " has an empty keyid");
      continue;
    }
    if (s.sig_text.empty()) {
      problems.push_back(tag + " is empty");
      continue;
    }
    if (!s.sig) {
      problems.push_back(tag + " is not valid base64");
      continue;
    }
    if (!s.keyid.empty()) v.evidence.push_back(tag + " keyid " + s.keyid);
    // Caller-supplied keys first, then the certificate carried by the signature itself.
    for (auto& k : keys) {
      std::string used;
      std::string why = verify_raw(k.key.get(), md_for_key(k.key.get()), msg, *s.sig,
                                   RsaPadding::auto_detect, &used);
      if (!why.empty()) continue;
      if (k.trusted) {
        v.verdict = "pass";
        v.key = k.name;
        v.detail = tag + " verifies with trusted key " + k.name + " (" + used + ")";
        return v;
      }
      untrusted_ok = true;
      untrusted_name = k.name;
    }
    if (!s.cert_pem.empty()) {
      any_key = true;
      auto certs = certs_from_pem(s.cert_pem);
      PkeyPtr ck = certs.empty() ? nullptr : PkeyPtr(X509_get_pubkey(certs.front().get()));
      if (!ck) {
        problems.push_back(tag + " carries a certificate that does not parse");
        continue;
      }
      std::string used;
      std::string why =
          verify_raw(ck.get(), md_for_key(ck.get()), msg, *s.sig, RsaPadding::auto_detect, &used);
      if (why.empty()) {
        CertInfo ci = cert_info(certs.front().get());
        if (signer_cert_pem != nullptr) *signer_cert_pem = s.cert_pem;
        v.verdict = "pass";
        v.key = ci.identity() + " (sha256:" + spki_sha256_hex(ck.get()) + ")";
        v.detail = tag + " verifies with the key of its certificate " + ci.identity() + " (" +
                   used + "); the certificate's trust is a separate verdict";
        return v;
      }
      problems.push_back(tag + ": " + why + " with its certificate key");
      continue;
    }
    if (!keys.empty()) {
      std::vector<std::string> names;
      for (const auto& k : keys) names.push_back(k.name);
      problems.push_back(tag + " does not verify with " + join(names, ", "));
    }
  }
  if (untrusted_ok) {
    v.verdict = "unknown";
    v.key = untrusted_name;
    v.detail = "a signature verifies with " + untrusted_name +
               ", which is not a trusted key (not supplied or not allowed by policy)";
    return v;
  }
  if (!any_key && problems.empty()) {
    v.verdict = "unknown";
    v.detail = "no verification key was supplied for the envelope's " +
               std::to_string(env.signatures.size()) + " signature(s)";
    return v;
  }
  if (!any_key) {
    v.detail = join(problems, "; ");
    return v;
  }
  v.detail = problems.empty() ? "no signature verifies" : join(problems, "; ");
  return v;
}

std::vector<std::pair<std::string, std::string>> artifact_digests(const AttestationInput& in) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : in.artifact_digests) {
    auto colon = d.find(':');
    std::string alg, val;
    if (colon != std::string::npos) {
      alg = lower(d.substr(0, colon));
      val = lower(d.substr(colon + 1));
    } else {
      val = lower(d);
      alg = val.size() == 128 ? "sha512" : val.size() == 96 ? "sha384" : "sha256";
    }
    out.emplace_back(alg, val);
  }
  if (!in.artifact.empty()) {
    out.emplace_back("sha256", hex(digest(EVP_sha256(), in.artifact)));
    out.emplace_back("sha512", hex(digest(EVP_sha512(), in.artifact)));
  }
  return out;
}

model::TrustVerdict check_signer_identity(const CertInfo& ci, const TrustPolicy& policy,
                                          const std::string& subject) {
  model::TrustVerdict v = verdict("x509", subject + ": signer identity", "pass", "");
  v.key = ci.identity();
  v.evidence.push_back("identity " + ci.identity());
  if (!ci.oidc_issuer.empty()) v.evidence.push_back("OIDC issuer " + ci.oidc_issuer);
  if (!ci.source_repo_uri.empty()) v.evidence.push_back("source repository " + ci.source_repo_uri);
  if (!ci.source_repo_ref.empty()) v.evidence.push_back("source ref " + ci.source_repo_ref);
  if (!ci.source_repo_digest.empty())
    v.evidence.push_back("source digest " + ci.source_repo_digest);
  if (policy.allowed_signers.empty() && policy.allowed_issuers.empty()) {
    v.verdict = "unknown";
    v.detail = "signed by " + ci.identity() +
               (ci.oidc_issuer.empty() ? "" : " (issuer " + ci.oidc_issuer + ")") +
               "; the policy names no allowed signers";
    return v;
  }
  std::vector<std::string> ids = ci.san_uris;
  ids.insert(ids.end(), ci.san_emails.begin(), ci.san_emails.end());
  if (!policy.allowed_signers.empty()) {
    bool ok = std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
      return any_match(policy.allowed_signers, id);
    });
    if (!ok) {
      v.verdict = "fail";
      v.detail = "signer " + ci.identity() + " is not an allowed signer (" +
                 join(policy.allowed_signers, ", ") + ")";
      return v;
    }
  }
  if (!policy.allowed_issuers.empty() && !any_match(policy.allowed_issuers, ci.oidc_issuer)) {
    v.verdict = "fail";
    v.detail = "signer issuer '" + ci.oidc_issuer + "' is not allowed (" +
               join(policy.allowed_issuers, ", ") + ")";
    return v;
  }
  v.detail = "signer " + ci.identity() + " is allowed by policy";
  return v;
}

std::vector<model::TrustVerdict> check_statement(const Envelope& env, const AttestationInput& in,
                                                 const std::string& subject) {
  std::vector<model::TrustVerdict> out;
  model::TrustVerdict st = verdict("in-toto", subject, "fail", "");
  if (env.payload_type != "application/vnd.in-toto+json") {
    st.detail = "payloadType '" + env.payload_type + "' is not application/vnd.in-toto+json";
    out.push_back(std::move(st));
    return out;
  }
  std::string_view text(reinterpret_cast<const char*>(env.payload.data()), env.payload.size());
  json j = parse_json(text);
  if (!j.is_object()) {
    st.detail = "payload is not a JSON object (or nests deeper than the limit)";
    out.push_back(std::move(st));
    return out;
  }
  std::string type = jstr(j, "_type");
  std::string ptype = jstr(j, "predicateType");
  st.evidence.push_back("_type " + type);
  st.evidence.push_back("predicateType " + ptype);
  if (type != "https://in-toto.io/Statement/v1" && type != "https://in-toto.io/Statement/v0.1") {
    st.detail = "_type '" + type + "' is not an in-toto Statement v1 or v0.1";
    out.push_back(std::move(st));
    return out;
  }
  // Subjects against the artifact digests.
  auto want = artifact_digests(in);
  const json* subjects = jget(j, "subject");
  std::vector<std::string> listed;
  std::string matched;
  if (subjects != nullptr && subjects->is_array()) {
    std::size_t n = 0;
    for (const auto& s : *subjects) {
      if (++n > kMaxSubjects) break;
      std::string name = jstr(s, "name");
      const json* dg = jget(s, "digest");
      if (dg == nullptr || !dg->is_object()) continue;
      for (auto it = dg->begin(); it != dg->end(); ++it) {
        if (!it->is_string()) continue;
        std::string alg = lower(it.key()), val = lower(it->get<std::string>());
        if (listed.size() < 16) listed.push_back(name + " " + alg + ":" + val);
        for (const auto& [wa, wv] : want) {
          if (wa == alg && wv == val && matched.empty()) matched = name + " " + alg + ":" + val;
        }
      }
    }
  }
  for (const auto& l : listed) st.evidence.push_back("subject " + l);
  if (listed.empty()) {
    st.detail = "statement has no subject with a digest";
  } else if (want.empty()) {
    st.verdict = "unknown";
    st.detail = "no artifact digest was given to compare with the " +
                std::to_string(listed.size()) + " subject digest(s)";
  } else if (matched.empty()) {
    std::string w;
    for (const auto& [a, d] : want) w += (w.empty() ? "" : ", ") + a + ":" + d;
    st.detail = "no subject digest matches the artifact (" + w + ")";
  } else {
    st.verdict = "pass";
    st.detail = "subject " + matched + " matches the artifact";
  }
  out.push_back(std::move(st));

  // SLSA provenance: builder and source against policy.
  const json* pred = jget(j, "predicate");
  bool v1 = ptype == "https://slsa.dev/provenance/v1";
  bool v02 =
      ptype == "https://slsa.dev/provenance/v0.2" || ptype == "https://slsa.dev/provenance/v0.1";
  if (!v1 && !v02) {
    if (in.policy.require_provenance) {
      out.push_back(
          verdict("slsa", subject, "fail", "predicateType '" + ptype + "' is not SLSA provenance"));
    }
    return out;
  }
  model::TrustVerdict sl = verdict("slsa", subject, "pass", "");
  std::string builder;
  std::vector<std::string> sources;
  if (pred != nullptr) {
    if (v1) {
      builder = jstr(jpath(*pred, {"runDetails", "builder"}), "id");
      const json* ext = jpath_ptr(*pred, {"buildDefinition", "externalParameters"});
      if (ext != nullptr) {
        std::string repo = jstr(jpath(*ext, {"workflow"}), "repository");
        if (!repo.empty()) sources.push_back(repo);
        if (const json* src = jget(*ext, "source")) {
          if (src->is_string()) sources.push_back(src->get<std::string>());
          if (src->is_object() && !jstr(*src, "uri").empty()) sources.push_back(jstr(*src, "uri"));
        }
      }
      const json* deps = jpath_ptr(*pred, {"buildDefinition", "resolvedDependencies"});
      if (deps != nullptr && deps->is_array() && !deps->empty()) {
        std::string uri = jstr((*deps)[0], "uri");
        if (!uri.empty()) sources.push_back(uri);
      }
    } else {
      builder = jstr(jpath(*pred, {"builder"}), "id");
      const json* cs = jpath_ptr(*pred, {"invocation", "configSource"});
      if (cs != nullptr && !jstr(*cs, "uri").empty()) sources.push_back(jstr(*cs, "uri"));
      const json* mats = jget(*pred, "materials");
      if (mats != nullptr && mats->is_array() && !mats->empty()) {
        std::string uri = jstr((*mats)[0], "uri");
        if (!uri.empty()) sources.push_back(uri);
      }
    }
  }
  sl.evidence.push_back("predicateType " + ptype);
  sl.evidence.push_back("builder.id " + (builder.empty() ? "(none)" : builder));
  for (const auto& s : sources) sl.evidence.push_back("source " + s);
  std::vector<std::string> problems, checked;
  if (builder.empty()) {
    problems.push_back("provenance names no builder.id");
  } else if (!in.policy.allowed_builders.empty()) {
    if (any_match(in.policy.allowed_builders, builder)) {
      checked.push_back("builder " + builder + " allowed");
    } else {
      problems.push_back("builder " + builder + " is not allowed (" +
                         join(in.policy.allowed_builders, ", ") + ")");
    }
  }
  if (!in.policy.allowed_sources.empty()) {
    bool ok = std::any_of(sources.begin(), sources.end(), [&](const std::string& s) {
      return any_match(in.policy.allowed_sources, s) ||
             any_match(in.policy.allowed_sources, normalize_source(s));
    });
    if (ok) {
      checked.push_back("source allowed");
    } else {
      problems.push_back("source " + (sources.empty() ? "(none)" : join(sources, ", ")) +
                         " is not allowed (" + join(in.policy.allowed_sources, ", ") + ")");
    }
  }
  if (!problems.empty()) {
    sl.verdict = "fail";
    sl.detail = join(problems, "; ");
  } else if (checked.empty()) {
    sl.verdict = "unknown";
    sl.detail = "builder " + builder + ", source " +
                (sources.empty() ? "(none)" : sources.front()) +
                "; the policy names no allowed builders or sources";
  } else {
    sl.detail = join(checked, "; ");
  }
  out.push_back(std::move(sl));
  return out;
}

}  // namespace waybill::trust::detail
