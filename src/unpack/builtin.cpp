// The one list of container formats. Order matters only when two formats claim the same start
// offset: earlier entries are probed first.
#include "unpack/formats/formats.h"
#include "unpack/unpacker.h"

namespace waybill::unpack {

void register_builtin_unpackers(UnpackerRegistry& r) {
  // --- firmware containers (uImage, FIT, TRX, sparse, ...)
  // --- end firmware

  // --- archives, filesystems and compressors
  // --- end archives
  (void)r;
}

}  // namespace waybill::unpack
