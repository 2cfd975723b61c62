// Factory functions of the built-in catalogers, one per file under catalog/<family>/.
#pragma once

#include <memory>

#include "catalog/cataloger.h"

namespace waybill::catalog {

// --- package databases
std::unique_ptr<Cataloger> make_dpkg_cataloger();        // pkgdb/dpkg.cpp
std::unique_ptr<Cataloger> make_opkg_cataloger();        // pkgdb/opkg.cpp
std::unique_ptr<Cataloger> make_apk_cataloger();         // pkgdb/apk.cpp
std::unique_ptr<Cataloger> make_buildroot_cataloger();   // pkgdb/buildroot.cpp
std::unique_ptr<Cataloger> make_yocto_cataloger();       // pkgdb/yocto.cpp
std::unique_ptr<Cataloger> make_os_release_cataloger();  // os/os_release.cpp
// --- end package databases

// --- binaries (signatures, ELF, kernel)
std::unique_ptr<Cataloger> make_signature_cataloger();  // binary/signature_cataloger.cpp
std::unique_ptr<Cataloger> make_soname_cataloger();     // elf/soname_cataloger.cpp
std::unique_ptr<Cataloger> make_kernel_cataloger();     // binary/kernel_cataloger.cpp
// --- end binaries

}  // namespace waybill::catalog
