// The file hashes an SBOM declares against the files actually in the image.
#include <algorithm>

#include "trust/crypto.h"
#include "trust/trust.h"

namespace waybill::trust {

using namespace detail;  // NOLINT(google-build-using-namespace)

std::vector<model::TrustVerdict> verify_sbom_hashes(const model::Sbom& declared,
                                                    const catalog::FileIndex& actual) {
  std::vector<model::TrustVerdict> out;
  constexpr std::size_t kMaxListed = 20;
  for (const auto& c : declared.components) {
    std::size_t checked = 0, ok = 0, n_mismatch = 0, n_missing = 0;
    std::vector<std::string> mismatched, missing;
    for (const auto& f : c.files) {
      if (f.sha256.empty()) continue;
      ++checked;
      std::string path = catalog::normalize_path(f.path);
      const catalog::FileRecord* rec = nullptr;
      if (!f.root.empty()) rec = actual.lookup(f.root, path);
      std::string got;
      if (rec == nullptr) {
        // No root named (or not found there): any root with a regular file at this path; a match
        // in any of them counts.
        for (const auto* r : actual.find(path)) {
          if (r->sha256.empty()) continue;
          if (got.empty() || lower(r->sha256) == lower(f.sha256)) {
            got = r->sha256;
            rec = r;
          }
        }
      } else {
        got = rec->sha256;
      }
      if (rec == nullptr || got.empty()) {
        ++n_missing;
        if (missing.size() < kMaxListed) missing.push_back(path);
        continue;
      }
      if (lower(got) != lower(f.sha256)) {
        ++n_mismatch;
        if (mismatched.size() < kMaxListed) {
          mismatched.push_back(path + " declared sha256:" + lower(f.sha256) +
                               " actual sha256:" + lower(got));
        }
        continue;
      }
      ++ok;
    }
    if (checked == 0) continue;
    std::string id = c.name + (c.version.empty() ? "" : "@" + c.version);
    model::TrustVerdict v = verdict("sbom-hashes", c.bom_ref.empty() ? id : c.bom_ref, "pass", "");
    v.evidence.push_back(std::to_string(ok) + " of " + std::to_string(checked) +
                         " declared file hashes match");
    for (const auto& m : mismatched) v.evidence.push_back("mismatch " + m);
    for (const auto& m : missing) v.evidence.push_back("missing " + m);
    std::size_t bad = checked - ok;
    if (bad == 0) {
      v.detail = id + ": all " + std::to_string(checked) + " declared file hashes match the image";
    } else {
      v.verdict = "fail";
      v.detail = id + ": " + std::to_string(bad) + " of " + std::to_string(checked) +
                 " declared files differ or are missing (" + std::to_string(n_mismatch) +
                 " mismatching, " + std::to_string(n_missing) + " missing)";
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace waybill::trust
