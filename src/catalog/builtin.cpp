// The one list of catalogers, in the order they run. Package databases come first so that the
// merge step can attach binary evidence to the packages that own the files.
#include "catalog/catalogers.h"
#include "catalog/cataloger.h"

namespace waybill::catalog {

void register_builtin_catalogers(CatalogerRegistry& r) {
  // --- package databases
  (void)r.add(make_dpkg_cataloger());
  (void)r.add(make_opkg_cataloger());
  (void)r.add(make_apk_cataloger());
  (void)r.add(make_buildroot_cataloger());
  (void)r.add(make_yocto_cataloger());
  (void)r.add(make_os_release_cataloger());
  // --- end package databases

  // --- binaries (signatures, ELF, kernel)
  (void)r.add(make_signature_cataloger());
  (void)r.add(make_soname_cataloger());
  (void)r.add(make_kernel_cataloger());
  // --- end binaries
  (void)r;
}

}  // namespace waybill::catalog
