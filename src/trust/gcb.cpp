// Google Cloud Build provenance documents (`gcloud artifacts docker images describe
// --show-provenance` output): the signed DSSE envelope must agree with the clear-text summary
// beside it (kind, resource URI, image digest, statement), its keyid must name a Cloud KMS key
// version in a real location, and a signature must verify with a supplied key.
#include <algorithm>

#include "trust/attest.h"
#include "trust/json_util.h"

namespace waybill::trust::detail {

using nlohmann::json;

namespace {

// projects/<p>/locations/<region>/keyRings/<r>/cryptoKeys/<k>/cryptoKeyVersions/<n>, region like
// "us-west2", "europe-west1" or "global".
bool valid_kms_keyid(const std::string& keyid, std::string* why) {
  if (keyid.size() > 1024) {
    *why = "keyid is too long";
    return false;
  }
  std::vector<std::string> parts;
  std::size_t p = 0;
  while (parts.size() <= 12) {
    auto slash = keyid.find('/', p);
    parts.push_back(keyid.substr(p, slash == std::string::npos ? slash : slash - p));
    if (slash == std::string::npos) break;
    p = slash + 1;
  }
  static const char* kShape[] = {"projects",          nullptr, "locations",  nullptr,
                                 "keyRings",          nullptr, "cryptoKeys", nullptr,
                                 "cryptoKeyVersions", nullptr};
  bool shape = parts.size() == 10;
  for (std::size_t i = 0; shape && i < 10; ++i) {
    if (kShape[i] != nullptr && parts[i] != kShape[i]) shape = false;
    if (kShape[i] == nullptr && i != 3 && parts[i].empty()) shape = false;
  }
  if (shape) {
    shape =
        std::all_of(parts[9].begin(), parts[9].end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  if (!shape) {
    *why = "keyid '" + keyid + "' is not a Cloud KMS key version name";
    return false;
  }
  const std::string& region = parts[3];
  if (region.empty()) {
    *why = "keyid '" + keyid + "' has an empty location";
    return false;
  }
  // "global" or <area>-<direction><digits>, e.g. us-west2, europe-west1, asia-northeast3.
  auto dash = region.find('-');
  bool ok = region == "global";
  if (!ok && dash != std::string::npos && dash > 0) {
    std::size_t i = dash + 1, letters = 0, digits = 0;
    bool lower_area =
        std::all_of(region.begin(), region.begin() + static_cast<std::ptrdiff_t>(dash),
                    [](char c) { return c >= 'a' && c <= 'z'; });
    while (i < region.size() && region[i] >= 'a' && region[i] <= 'z') ++i, ++letters;
    while (i < region.size() && region[i] >= '0' && region[i] <= '9') ++i, ++digits;
    ok = lower_area && letters > 0 && digits > 0 && i == region.size();
  }
  if (!ok) {
    *why = "keyid '" + keyid + "' names an invalid location '" + region + "'";
    return false;
  }
  return true;
}

}  // namespace

std::vector<model::TrustVerdict> verify_gcb(const json& doc, const AttestationInput& in,
                                            const std::string& subject) {
  std::vector<model::TrustVerdict> out;
  std::string image_digest = jstr(jpath(doc, {"image_summary"}), "digest");
  const json* provs = jpath_ptr(doc, {"provenance_summary", "provenance"});
  if (provs == nullptr || !provs->is_array() || provs->empty()) {
    out.push_back(
        verdict("slsa", subject, "fail", "document has no provenance_summary.provenance"));
    return out;
  }
  AttestationInput with_image = in;
  if (!image_digest.empty()) with_image.artifact_digests.push_back(image_digest);
  std::size_t n_pass = 0, n_fail = 0, idx = 0;
  for (const auto& p : *provs) {
    if (++idx > kMaxSignatures) break;
    std::string sub = subject + "#provenance[" + std::to_string(idx) + "]";
    std::vector<model::TrustVerdict> vs;
    // Clear-text metadata against the image summary.
    model::TrustVerdict meta = verdict("in-toto", sub + ": metadata", "pass", "");
    std::vector<std::string> problems;
    std::string kind = jstr(p, "kind");
    if (kind != "BUILD") problems.push_back("kind is '" + kind + "', expected BUILD");
    std::string uri = jstr(p, "resourceUri");
    if (image_digest.empty()) {
      problems.push_back("image_summary has no digest");
    } else if (uri.size() < image_digest.size() + 1 ||
               uri.compare(uri.size() - image_digest.size() - 1, std::string::npos,
                           "@" + image_digest) != 0) {
      problems.push_back("resourceUri " + uri + " does not name the image digest " + image_digest);
    }
    auto env = parse_envelope(jget(p, "envelope") != nullptr ? p["envelope"] : json());
    if (!env.ok()) {
      meta.verdict = "fail";
      meta.detail = env.error().message;
      out.push_back(meta);
      ++n_fail;
      continue;
    }
    // The signed statement must equal the clear-text one shown next to it.
    json signed_stmt = parse_json(
        std::string_view(reinterpret_cast<const char*>(env->payload.data()), env->payload.size()));
    const json& clear = jpath(p, {"build", "intotoStatement"});
    if (!signed_stmt.is_object()) {
      problems.push_back("signed payload is not JSON");
    } else if (clear.is_object()) {
      for (auto it = clear.begin(); it != clear.end(); ++it) {
        const json* s = jget(signed_stmt, it.key().c_str());
        if (s == nullptr || *s != *it) {
          problems.push_back("clear-text build.intotoStatement." + it.key() +
                             " differs from the signed payload");
        }
      }
      if (const json* sp = jget(signed_stmt, "slsaProvenance"); sp != nullptr) {
        const json* pr = jget(signed_stmt, "predicate");
        if (pr != nullptr &&
            jstr(jpath(*sp, {"builder"}), "id") != jstr(jpath(*pr, {"builder"}), "id")) {
          problems.push_back("signed payload names two builders");
        }
      }
    }
    meta.evidence.push_back("kind " + kind);
    meta.evidence.push_back("resourceUri " + uri);
    if (!problems.empty()) {
      meta.verdict = "fail";
      std::string d;
      for (const auto& s : problems) d += (d.empty() ? "" : "; ") + s;
      meta.detail = d;
    } else {
      meta.detail = "kind, resource URI and clear-text statement agree with the signed payload";
    }
    vs.push_back(meta);

    // Signatures: keyids must be KMS key names; verified with the supplied keys.
    Envelope e = *env;
    std::vector<std::string> keyid_problems;
    for (std::size_t i = 0; i < e.signatures.size(); ++i) {
      std::string why;
      if (e.signatures[i].has_keyid && !e.signatures[i].keyid.empty() &&
          !valid_kms_keyid(e.signatures[i].keyid, &why)) {
        keyid_problems.push_back("signature " + std::to_string(i + 1) + ": " + why);
        e.signatures[i].has_keyid = false;  // unusable
        e.signatures[i].keyid.clear();
      }
    }
    auto keys = supplied_keys(in);
    model::TrustVerdict sig = verify_dsse(e, keys, sub, /*keyid_required=*/true, nullptr);
    if (!keyid_problems.empty() && sig.verdict != "pass") {
      std::string d;
      for (const auto& s : keyid_problems) d += (d.empty() ? "" : "; ") + s;
      sig.verdict = "fail";
      sig.detail = d + (sig.detail.empty() ? "" : "; " + sig.detail);
    }
    vs.push_back(sig);
    for (auto& v : check_statement(*env, with_image, sub)) vs.push_back(std::move(v));

    bool fail = false, unknown = false;
    for (const auto& v : vs) {
      fail = fail || v.verdict == "fail";
      unknown = unknown || v.verdict == "unknown";
    }
    if (fail) ++n_fail;
    if (!fail && !unknown) ++n_pass;
    for (auto& v : vs) out.push_back(std::move(v));
  }
  // Like slsa-verifier: the document is good when one provenance is fully verified.
  model::TrustVerdict sum = verdict("slsa", subject, "unknown", "");
  sum.evidence.push_back("image digest " + image_digest);
  if (n_pass > 0) {
    sum.verdict = "pass";
    sum.detail = std::to_string(n_pass) + " of " + std::to_string(idx) +
                 " provenance statement(s) fully verified";
  } else if (n_fail == idx) {
    sum.verdict = "fail";
    sum.detail = "every provenance statement (" + std::to_string(idx) + ") failed a check";
  } else {
    sum.detail =
        "no provenance statement failed, but none could be fully verified offline "
        "(supply the builder's verification key)";
  }
  out.push_back(std::move(sum));
  return out;
}

}  // namespace waybill::trust::detail
