// Factory functions of the built-in container formats, one per file in unpack/formats/.
#pragma once

#include <memory>

#include "unpack/unpacker.h"

namespace waybill::unpack {

// --- archives, filesystems and compressors (libsquashfs, libarchive, codec libraries)
std::unique_ptr<Unpacker> make_squashfs_unpacker();
std::unique_ptr<Unpacker> make_cpio_unpacker();
std::unique_ptr<Unpacker> make_tar_unpacker();
std::unique_ptr<Unpacker> make_zip_unpacker();
std::unique_ptr<Unpacker> make_gzip_unpacker();
std::unique_ptr<Unpacker> make_xz_unpacker();
std::unique_ptr<Unpacker> make_lzma_unpacker();
std::unique_ptr<Unpacker> make_bzip2_unpacker();
std::unique_ptr<Unpacker> make_zstd_unpacker();
std::unique_ptr<Unpacker> make_lz4_unpacker();
// --- end archives

// --- firmware containers (uImage, FIT, TRX, sparse, ...)
std::unique_ptr<Unpacker> make_uimage_unpacker();
std::unique_ptr<Unpacker> make_fit_unpacker();
std::unique_ptr<Unpacker> make_trx_unpacker();
std::unique_ptr<Unpacker> make_android_sparse_unpacker();
std::unique_ptr<Unpacker> make_cramfs_unpacker();
// --- end firmware

}  // namespace waybill::unpack
