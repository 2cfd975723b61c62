// libFuzzer harness for Sigstore bundles and trusted roots: the first line of the input (up to
// '\n') is the trusted_root.json text, the rest is the bundle given to verify_attestation.
// Inputs without a newline are a bundle checked with no trusted root.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "trust/trust.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  waybill::trust::AttestationInput in;
  in.name = "fuzz";
  in.artifact_digests = {"sha256:" + std::string(64, 'b')};
  in.policy.allowed_signers = {"https://github.com/*"};
  std::string_view bundle = all;
  auto nl = all.find('\n');
  if (nl != std::string_view::npos) {
    in.trusted_root_json = std::string(all.substr(0, nl));
    bundle = all.substr(nl + 1);
  }
  auto vs = waybill::trust::verify_attestation(bundle, in);
  (void)vs;
  return 0;
}
