// libFuzzer harness for the content checks (accounts/passwords, secrets/credentials,
// crypto/private-keys, crypto/certificates, services/insecure): the input becomes the retained
// content of every file those checks parse (passwd, shadow, boot scripts, inittab, sshd_config,
// a UCI config, a PEM file, a DER key and a PuTTY-named file), then the checks run.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "checks/check.h"

namespace waybill::checks {
std::unique_ptr<Check> make_accounts_passwords_check();
std::unique_ptr<Check> make_secrets_credentials_check();
std::unique_ptr<Check> make_private_keys_check();
std::unique_ptr<Check> make_certificates_check();
std::unique_ptr<Check> make_insecure_services_check();
}  // namespace waybill::checks

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waybill;
  static const char* kPaths[] = {"/etc/passwd",          "/etc/shadow",
                                 "/etc/init.d/rcS",      "/etc/inittab",
                                 "/etc/ssh/sshd_config", "/etc/config/cloud",
                                 "/etc/ssl/key.pem",     "/etc/ssl/key.der",
                                 "/root/id.ppk",         "/lib/systemd/system/x.service"};
  catalog::FileIndex idx;
  for (const char* p : kPaths) {
    catalog::FileRecord r;
    r.root = "fuzz";
    r.path = p;
    r.retained = true;
    r.content.assign(reinterpret_cast<const char*>(data), size);
    r.size = size;
    idx.add(std::move(r));
  }
  checks::CheckOptions opts;
  opts.hash_budget_ms = 5;
  for (auto make : {checks::make_accounts_passwords_check, checks::make_secrets_credentials_check,
                    checks::make_private_keys_check, checks::make_certificates_check,
                    checks::make_insecure_services_check}) {
    checks::CheckOutput out;
    make()->run(idx, opts, out);
  }
  return 0;
}
