// Factory functions of the built-in catalogers, one per file under catalog/<family>/.
#pragma once

#include <memory>

#include "catalog/cataloger.h"

namespace waybill::catalog {

// --- package databases
// --- end package databases

// --- binaries (signatures, ELF, kernel)
// --- end binaries

}  // namespace waybill::catalog
