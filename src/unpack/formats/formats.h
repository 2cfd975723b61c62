// Factory functions of the built-in container formats, one per file in unpack/formats/.
#pragma once

#include <memory>

#include "unpack/unpacker.h"

namespace waybill::unpack {

// --- archives, filesystems and compressors (libsquashfs, libarchive, codec libraries)
// --- end archives

// --- firmware containers (uImage, FIT, TRX, sparse, ...)
// --- end firmware

}  // namespace waybill::unpack
