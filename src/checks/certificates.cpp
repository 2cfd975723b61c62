// Check "crypto/certificates" (FW-11, FW-03): X.509 certificates shipped in the image.
//
// Every PEM "CERTIFICATE" block and whole-file DER certificate in the retained files is parsed
// with OpenSSL and checked for: expiry and not-yet-valid (against CheckOptions.now), weak keys
// (RSA/DSA < 2048 bits, EC < 256 bits), MD5/SHA-1 signatures (not for self-signed ones, whose
// signature nobody relies on) and self-signed leaf certificates (a fixed identity shared by all
// devices; the finding says when the matching private key ships in the image too).
//
// Decision for CA stores (data/checks/content-checks.json "certificates.ca_bundles", e.g.
// /etc/ssl/certs/ca-certificates.crt, /usr/share/ca-certificates/**): trust anchors are
// self-signed by design and often SHA-1 signed, so only expired roots are reported there, at
// info level (an old bundle is an update-hygiene signal, not a vulnerability).
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "catalog/walker.h"
#include "checks/check.h"
#include "core/embedded.h"
#include "core/hash.h"

namespace waybill::checks {
namespace {

constexpr std::string_view kId = "crypto/certificates";
constexpr std::size_t kMaxCertsPerFile = 4096;

struct Tables {
  std::vector<std::string> ca_bundles;
  std::vector<model::CatalogRef> fw11, fw03;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    auto cc = nlohmann::json::parse(data::content_checks_json(), nullptr, false);
    if (!cc.is_object()) return t;
    for (const auto& g : cc["certificates"]["ca_bundles"]) t.ca_bundles.push_back(g);
    auto refs = [&](const char* fw, std::vector<model::CatalogRef>& v) {
      for (const auto& r : cc["catalog"][fw])
        if (r.is_array() && r.size() == 2)
          v.push_back({r[0].get<std::string>(), r[1].get<std::string>()});
    };
    refs("FW-11", t.fw11);
    refs("FW-02", t.fw03);
    return t;
  }();
  return t;
}

int no_password(char*, int, int, void*) {
  return -1;
}

std::string name_of(const X509_NAME* n) {
  if (!n) return "";
  BIO* b = BIO_new(BIO_s_mem());
  if (!b) return "";
  X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(b, &data);
  std::string s = len > 0 && data ? std::string(data, static_cast<std::size_t>(len)) : "";
  BIO_free(b);
  if (s.size() > 300) s.resize(300);
  return s;
}

std::string time_of(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "?";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct Cert {
  X509* x = nullptr;
  std::uint32_t line = 1;
  std::uint64_t offset = 0;
};

struct PrivateKeyIndex {
  std::set<std::string> spki;  // SPKI hashes of unencrypted private keys in the image
};

PrivateKeyIndex private_keys(const catalog::FileIndex& index) {
  PrivateKeyIndex out;
  for (const auto& f : index.files()) {
    if (!f.retained || f.content.find("PRIVATE KEY-----") == std::string::npos) continue;
    BIO* bio = BIO_new_mem_buf(f.content.data(), static_cast<int>(f.content.size()));
    if (!bio) continue;
    for (int i = 0; i < 64; ++i) {
      EVP_PKEY* pk = PEM_read_bio_PrivateKey(bio, nullptr, no_password, nullptr);
      if (!pk) break;
      out.spki.insert(spki_sha256_hex(pk));
      EVP_PKEY_free(pk);
    }
    BIO_free(bio);
  }
  return out;
}

std::vector<Cert> certificates_in(const catalog::FileRecord& f) {
  std::vector<Cert> out;
  std::string_view s = f.content;
  static constexpr std::string_view kBegin = "-----BEGIN ";
  if (s.find(kBegin) == std::string_view::npos) {
    if (!catalog::looks_like_key_material(f.path, ByteView(s))) return out;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    if (X509* x = d2i_X509(nullptr, &p, static_cast<long>(s.size()))) out.push_back({x, 1, 0});
    return out;
  }
  std::size_t pos = 0;
  std::uint32_t line = 1;
  std::size_t counted = 0;
  while (out.size() < kMaxCertsPerFile) {
    std::size_t b = s.find(kBegin, pos);
    if (b == std::string_view::npos) break;
    std::string_view rest = s.substr(b + kBegin.size());
    bool cert = rest.starts_with("CERTIFICATE-----") ||
                rest.starts_with("TRUSTED CERTIFICATE-----") ||
                rest.starts_with("X509 CERTIFICATE-----");
    pos = b + kBegin.size();
    if (!cert) continue;
    std::size_t e = s.find("-----END ", pos);
    if (e == std::string_view::npos) break;
    std::size_t ee = s.find("-----", e + 9);
    if (ee == std::string_view::npos) break;
    for (std::size_t k = counted; k < b; ++k)
      if (s[k] == '\n') ++line;
    counted = b;
    std::string_view blk = s.substr(b, ee + 5 - b);
    BIO* bio = BIO_new_mem_buf(blk.data(), static_cast<int>(blk.size()));
    X509* x = bio ? PEM_read_bio_X509_AUX(bio, nullptr, no_password, nullptr) : nullptr;
    BIO_free(bio);
    if (x) out.push_back({x, line, b});
    pos = ee + 5;
  }
  return out;
}

class Certificates final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{kId, "expired, self-signed and weak X.509 certificates"};
    return d;
  }
  std::span<const std::string_view> wants() const override {
    static constexpr std::string_view w[] = {"**/*.crt", "**/*.cer", "**/*.der", "**/*.pem"};
    return w;
  }

  void run(const catalog::FileIndex& index, const CheckOptions& opts,
           CheckOutput& out) const override {
    const Tables& t = tables();
    time_t now = opts.now > 0 ? static_cast<time_t>(opts.now) : std::time(nullptr);
    std::optional<PrivateKeyIndex> keys;
    for (const auto& f : index.files()) {
      if (!f.retained || f.type != unpack::EntryType::file) continue;
      auto certs = certificates_in(f);
      if (certs.empty()) continue;
      bool bundle = false;
      for (const auto& g : t.ca_bundles) bundle = bundle || catalog::glob_match(g, f.path);
      if (!keys) keys = private_keys(index);
      for (auto& c : certs) {
        examine(f, c, bundle, now, *keys, out);
        X509_free(c.x);
      }
    }
  }

 private:
  void add(CheckOutput& out, const catalog::FileRecord& f, const Cert& c, std::string rule,
           std::string severity, std::string title, std::string detail, std::string evidence,
           const std::vector<model::CatalogRef>& refs) const {
    model::CheckFinding fd;
    fd.check = std::string(kId);
    fd.rule = std::move(rule);
    fd.severity = std::move(severity);
    fd.title = std::move(title);
    fd.detail = std::move(detail);
    fd.root = f.root;
    fd.path = f.path;
    fd.line = c.line;
    fd.offset = c.offset;
    fd.evidence = std::move(evidence);
    fd.catalog = refs;
    out.findings.push_back(std::move(fd));
  }

  void examine(const catalog::FileRecord& f, const Cert& c, bool bundle, time_t now,
               const PrivateKeyIndex& keys, CheckOutput& out) const {
    const Tables& t = tables();
    X509* x = c.x;
    std::string subject = name_of(X509_get_subject_name(x));
    std::string nb = time_of(X509_get0_notBefore(x)), na = time_of(X509_get0_notAfter(x));
    std::string ev = "subject: " + subject + "; valid " + nb + " .. " + na;
    bool expired = X509_cmp_time(X509_get0_notAfter(x), &now) < 0;
    if (bundle) {
      if (expired)
        add(out, f, c, "ca-bundle-expired-root", "info", "expired root in the CA bundle",
            "the trust anchor '" + subject + "' expired on " + na +
                "; an outdated CA bundle suggests the trust store is not updated",
            ev, t.fw11);
      return;
    }
    if (expired)
      add(out, f, c, "expired", "medium", "expired certificate",
          "certificate '" + subject + "' expired on " + na, ev, t.fw11);
    if (X509_cmp_time(X509_get0_notBefore(x), &now) > 0)
      add(out, f, c, "not-yet-valid", "low", "certificate not yet valid",
          "certificate '" + subject + "' is valid only from " + nb, ev, t.fw11);

    EVP_PKEY* pk = X509_get0_pubkey(x);
    int bits = pk ? EVP_PKEY_get_bits(pk) : 0;
    int base = pk ? EVP_PKEY_get_base_id(pk) : 0;
    const char* tn = pk ? EVP_PKEY_get0_type_name(pk) : nullptr;
    std::string ktype = tn ? tn : "unknown";
    bool weak = (base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS || base == EVP_PKEY_DSA)
                    ? bits < 2048
                : base == EVP_PKEY_EC ? bits < 256
                                      : false;
    if (weak)
      add(out, f, c, "weak-key", "high", "certificate with a weak " + ktype + " key",
          "certificate '" + subject + "' has a " + std::to_string(bits) + "-bit " + ktype +
              " key (minimum: RSA/DSA 2048, EC 256)",
          ev, t.fw11);

    bool self_issued = X509_check_issued(x, x) == X509_V_OK;
    bool self_signed = self_issued && pk && X509_verify(x, pk) == 1;
    int md = NID_undef, pknid = NID_undef;
    OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pknid);
    if (!self_signed && (md == NID_md5 || md == NID_sha1 || md == NID_md2 || md == NID_md4))
      add(out, f, c, "weak-signature", "medium",
          std::string("certificate signed with ") + OBJ_nid2sn(md),
          "certificate '" + subject + "' is signed with " + OBJ_nid2ln(md) +
              ", which allows forged certificates with the same signature",
          ev, t.fw11);
    std::string spki = self_signed ? spki_sha256_hex(pk) : "";
    bool key_here = self_signed && keys.spki.count(spki) > 0;
    // A self-signed CA certificate without its key in the image is a private trust anchor (how
    // a device pins its vendor CA), not a finding; with its key it is an identity anyone can use.
    if (self_signed && (key_here || !(X509_get_extension_flags(x) & EXFLAG_CA))) {
      add(out, f, c, "self-signed", key_here ? "medium" : "low",
          "self-signed certificate" +
              std::string(key_here ? " with its private key in the image" : ""),
          "certificate '" + subject +
              "' is self-signed: clients cannot verify it, and the identity is the same on "
              "every device" +
              (key_here ? "; the private key for it (SPKI SHA-256 " + spki +
                              ") ships in the image, so anyone can impersonate the device"
                        : std::string()),
          ev, t.fw03);
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_certificates_check() {
  return std::make_unique<Certificates>();
}

}  // namespace waybill::checks
