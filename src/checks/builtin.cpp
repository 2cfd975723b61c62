// The one list of security-by-default checks, in the order they run. Adding a check is adding
// its file under checks/ and one line here.
#include <memory>

#include "checks/check.h"

namespace waybill::checks {

// Factories, one per check file.
// -- binaries, file system, kernel --
std::unique_ptr<Check> make_elf_hardening_check();
std::unique_ptr<Check> make_fs_world_writable_check();
std::unique_ptr<Check> make_fs_setuid_check();
std::unique_ptr<Check> make_kernel_config_check();
// -- accounts, secrets, certificates, services --
std::unique_ptr<Check> make_accounts_passwords_check();
std::unique_ptr<Check> make_secrets_credentials_check();
std::unique_ptr<Check> make_private_keys_check();
std::unique_ptr<Check> make_certificates_check();
std::unique_ptr<Check> make_insecure_services_check();

void register_builtin_checks(CheckRegistry& r) {
  // -- binaries, file system, kernel --
  (void)r.add(make_elf_hardening_check());
  (void)r.add(make_fs_world_writable_check());
  (void)r.add(make_fs_setuid_check());
  (void)r.add(make_kernel_config_check());
  // -- accounts, secrets, certificates, services --
  (void)r.add(make_accounts_passwords_check());
  (void)r.add(make_secrets_credentials_check());
  (void)r.add(make_private_keys_check());
  (void)r.add(make_certificates_check());
  (void)r.add(make_insecure_services_check());
  (void)r;
}

}  // namespace waybill::checks
