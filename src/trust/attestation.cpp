// verify_attestation: recognises the document (DSSE envelope / JSON Lines of them, Sigstore
// bundle, npm attestations, Cloud Build provenance) and runs the matching verifier.
#include "trust/attest.h"
#include "trust/json_util.h"

namespace waybill::trust {

using namespace detail;  // NOLINT(google-build-using-namespace)
using nlohmann::json;

namespace {

constexpr std::size_t kMaxLines = 1000;

void verify_envelope_doc(const json& j, const AttestationInput& in, const std::string& subject,
                         std::vector<model::TrustVerdict>* out) {
  auto env = parse_envelope(j);
  if (!env.ok()) {
    out->push_back(verdict("dsse", subject, "fail", env.error().message));
    return;
  }
  auto keys = supplied_keys(in);
  std::string cert_pem;
  out->push_back(verify_dsse(*env, keys, subject, false, &cert_pem));
  for (auto& v : check_statement(*env, in, subject)) out->push_back(std::move(v));
  if (cert_pem.empty()) return;
  // A certificate-signed envelope without its transparency-log entry: the certificate's
  // validity window cannot be tied to a signing time offline.
  auto certs = certs_from_pem(cert_pem);
  if (certs.empty()) return;
  CertInfo ci = cert_info(certs.front().get());
  model::TrustVerdict xv = verdict("x509", subject + ": signing certificate", "unknown", "");
  xv.key = ci.identity();
  xv.evidence.push_back("issuer " + ci.issuer);
  xv.evidence.push_back("valid " + format_time(ci.not_before) + " .. " + format_time(ci.not_after));
  std::int64_t t = in.time.value_or(now_unix());
  std::vector<X509*> anchors;
  std::vector<X509Ptr> own;
  if (in.store != nullptr) {
    for (const auto& p : in.store->pem_certs()) {
      for (auto& c : certs_from_pem(p)) {
        anchors.push_back(c.get());
        own.push_back(std::move(c));
      }
    }
  }
  std::vector<X509*> untrusted;
  for (std::size_t i = 1; i < certs.size(); ++i) untrusted.push_back(certs[i].get());
  if (!anchors.empty()) {
    std::string why = verify_chain(certs.front().get(), untrusted, anchors, t, true);
    xv.verdict = why.empty() ? "pass" : "fail";
    xv.detail = why.empty() ? "certificate chains to the trust store at " + format_time(t) : why;
  } else {
    xv.detail = "certificate issued by " + ci.issuer +
                "; no transparency-log entry or trust store to establish it offline";
  }
  out->push_back(std::move(xv));
  out->push_back(check_signer_identity(ci, in.policy, subject));
}

void verify_one(const json& j, const AttestationInput& in, const std::string& subject,
                std::vector<model::TrustVerdict>* out) {
  std::string media = jstr(j, "mediaType");
  if (media.rfind("application/vnd.dev.sigstore.bundle", 0) == 0) {
    for (auto& v : verify_sigstore_bundle(j, in, subject)) out->push_back(std::move(v));
    return;
  }
  if (const json* atts = jget(j, "attestations"); atts != nullptr && atts->is_array()) {
    std::size_t i = 0;
    for (const auto& a : *atts) {
      if (++i > kMaxSignatures) break;
      std::string pt = jstr(a, "predicateType");
      std::string sub = subject + "#" + (pt.empty() ? std::to_string(i) : pt);
      const json* b = jget(a, "bundle");
      if (b == nullptr) {
        out->push_back(verdict("sigstore", sub, "fail", "attestation has no bundle"));
        continue;
      }
      for (auto& v : verify_sigstore_bundle(*b, in, sub)) out->push_back(std::move(v));
    }
    return;
  }
  if (jget(j, "provenance_summary") != nullptr) {
    for (auto& v : verify_gcb(j, in, subject)) out->push_back(std::move(v));
    return;
  }
  if (jget(j, "payload") != nullptr || jget(j, "signatures") != nullptr) {
    verify_envelope_doc(j, in, subject, out);
    return;
  }
  out->push_back(verdict("dsse", subject, "fail",
                         "not a DSSE envelope, Sigstore bundle, npm attestations or Cloud Build "
                         "provenance document"));
}

}  // namespace

std::vector<model::TrustVerdict> verify_attestation(std::string_view document,
                                                    const AttestationInput& in) {
  std::vector<model::TrustVerdict> out;
  std::string name = in.name.empty() ? "attestation" : in.name;
  if (document.size() > kMaxDocumentBytes) {
    out.push_back(verdict("dsse", name, "fail", "document exceeds the size limit"));
    return out;
  }
  json whole = parse_json(document);
  if (!whole.is_discarded()) {
    if (!whole.is_object()) {
      out.push_back(verdict("dsse", name, "fail", "document is not a JSON object"));
    } else {
      verify_one(whole, in, name, &out);
    }
  } else {
    // JSON Lines: one envelope per line.
    std::size_t line_no = 0, parsed = 0, start = 0;
    std::vector<std::string> bad;
    while (start < document.size() && line_no < kMaxLines) {
      auto nl = document.find('\n', start);
      std::string_view line =
          document.substr(start, nl == std::string_view::npos ? nl : nl - start);
      start = nl == std::string_view::npos ? document.size() : nl + 1;
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      json j = parse_json(line);
      if (!j.is_object()) {
        bad.push_back(std::to_string(line_no));
        continue;
      }
      ++parsed;
      verify_one(j, in, name + ":" + std::to_string(line_no), &out);
    }
    if (parsed == 0 || !bad.empty()) {
      std::string l;
      for (const auto& b : bad) l += (l.empty() ? "" : ",") + b;
      out.push_back(verdict("dsse", name, "fail",
                            parsed == 0 ? "document is not JSON or JSON Lines"
                                        : "lines " + l + " are not JSON objects"));
    }
  }
  if (in.policy.require_provenance) {
    bool any = false;
    for (const auto& v : out) any = any || v.kind == "slsa";
    if (!any) {
      out.push_back(verdict("slsa", name, "fail",
                            "policy requires SLSA provenance and the document has none"));
    }
  }
  return out;
}

}  // namespace waybill::trust
