// The one list of container formats. Order matters only when two formats claim the same start
// offset: earlier entries are probed first.
#include "unpack/formats/formats.h"
#include "unpack/unpacker.h"

namespace waybill::unpack {

void register_builtin_unpackers(UnpackerRegistry& r) {
  // --- firmware containers (uImage, FIT, TRX, sparse, ...)
  (void)r.add(make_uimage_unpacker());
  (void)r.add(make_fit_unpacker());
  (void)r.add(make_trx_unpacker());
  (void)r.add(make_android_sparse_unpacker());
  (void)r.add(make_cramfs_unpacker());
  // --- end firmware

  // --- archives, filesystems and compressors
  (void)r.add(make_squashfs_unpacker());
  (void)r.add(make_cpio_unpacker());
  (void)r.add(make_tar_unpacker());
  (void)r.add(make_zip_unpacker());
  (void)r.add(make_gzip_unpacker());
  (void)r.add(make_xz_unpacker());
  (void)r.add(make_lzma_unpacker());
  (void)r.add(make_bzip2_unpacker());
  (void)r.add(make_zstd_unpacker());
  (void)r.add(make_lz4_unpacker());
  // --- end archives
  (void)r;
}

}  // namespace waybill::unpack
