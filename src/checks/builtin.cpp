// The one list of security-by-default checks, in the order they run. Adding a check is adding
// its file under checks/ and one line here.
#include <memory>

#include "checks/check.h"

namespace waybill::checks {

// Factories, one per check file.
// -- binaries, file system, kernel --
// -- accounts, secrets, certificates, services --

void register_builtin_checks(CheckRegistry& r) {
  // -- binaries, file system, kernel --
  // -- accounts, secrets, certificates, services --
  (void)r;
}

}  // namespace waybill::checks
