// unpack -> catalog -> merge in one pass over the bytes: the engine hands each extracted file to
// the catalog walk while it is in memory; nothing is written to disk.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/file_index.h"
#include "core/result.h"
#include "model/sbom.h"
#include "unpack/engine.h"

namespace waybill::pipeline {

struct Progress {
  std::uint64_t bytes_done = 0;    // bytes of extracted content analysed so far
  std::uint64_t files_done = 0;
  std::uint64_t input_size = 0;    // size of the input image (0 for directories)
  std::string stage;               // "unpack+catalog", "merge"
};

struct InventoryOptions {
  unpack::UnpackOptions unpack;
  bool signatures = true;
  std::function<void(const Progress&)> progress;  // called from the scanning thread
  std::string tool_version;
  // Where compiled signature databases may be cached between runs ("" = no cache).
  std::string cache_dir;
  // More in-root globs whose contents the walk keeps (the checks' wants), and whether files
  // carrying key/certificate material are kept wherever they are (for the crypto checks).
  std::vector<std::string> extra_wants;
  bool key_material = false;
};

struct Inventory {
  model::Sbom sbom;
  unpack::UnpackReport unpack;
  std::unique_ptr<catalog::FileIndex> index;  // kept for later stages (checks)
};

// `target` is an image file or a directory (an extracted root filesystem). Returns an error only
// when the target cannot be read at all; problems inside it are diagnostics in the result.
Result<Inventory> build_inventory(const std::string& target, const InventoryOptions& opts);

// `waybill unpack`: extract into `out_dir` (created; must be empty unless `force`).
Result<unpack::UnpackReport> unpack_to_directory(const std::string& image, const std::string& out_dir,
                                                 const unpack::UnpackOptions& opts, bool force);

std::string rfc3339_now();
std::string random_uuid();

}  // namespace waybill::pipeline
