// The one list of catalogers, in the order they run. Package databases come first so that the
// merge step can attach binary evidence to the packages that own the files.
#include "catalog/catalogers.h"
#include "catalog/cataloger.h"

namespace waybill::catalog {

void register_builtin_catalogers(CatalogerRegistry& r) {
  // --- package databases
  // --- end package databases

  // --- binaries (signatures, ELF, kernel)
  // --- end binaries
  (void)r;
}

}  // namespace waybill::catalog
