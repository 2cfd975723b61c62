// The unpack engine: carves containers at any offset, extracts them recursively through the
// registered unpackers, enforces limits, and hands every resulting entry to a TreeVisitor.
//
// The visitor is what makes `waybill scan` single-pass: the catalog analyses file contents while
// they are in memory, and `waybill unpack` uses a visitor that writes into a sandboxed directory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/diagnostic.h"
#include "core/limits.h"
#include "unpack/unpacker.h"

namespace waybill::unpack {

// One entry of the extracted tree, with a sanitised path.
struct VEntry {
  // Virtual path of the root this entry belongs to: the input name for blobs at top level, or
  // "<input>.extract/<offset>-<format>" (nested as deep as needed) for filesystem contents.
  std::string root;
  // Path inside `root`, always starting with '/', normalised (no "." / ".." / "//").
  std::string path;
  EntryType type = EntryType::file;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
  std::uint32_t uid = 0, gid = 0;
  std::string link_target;  // symlinks: target as stored; hard links: normalised in-root path
  int chunk_id = -1;        // chunk that produced this entry (-1 for the input itself)
  bool blob = false;        // a raw region (stream not fully carved, unknown gap), not an fs entry
  std::uint32_t depth = 0;

  std::string full_path() const { return root + path; }
};

class TreeVisitor {
 public:
  virtual ~TreeVisitor() = default;
  // Regular files and raw blobs. `content` is valid only during the call.
  virtual Status file(const VEntry& e, ByteView content) = 0;
  virtual Status directory(const VEntry& e) = 0;
  virtual Status link(const VEntry& e) = 0;  // symlinks and hard links
  // Chunk boundaries, so a disk writer can lay out directories; optional.
  virtual void chunk_begin(int /*chunk_id*/, const std::string& /*extract_root*/) {}
};

struct ChunkRecord {
  int id = -1;
  int parent = -1;             // enclosing chunk, -1 for chunks found in the input itself
  std::string buffer;          // virtual path of the buffer the chunk was found in
  std::string format;          // unpacker id, or "unknown" / "padding"
  std::uint64_t offset = 0;    // inside `buffer`
  std::uint64_t size = 0;
  int confidence = 0;
  std::string description;
  std::vector<std::pair<std::string, std::string>> info;
  std::string extract_root;    // virtual root of what it produced (empty for unknown/padding)
  std::string status;          // "extracted", "partial", "failed", "unknown", "padding", "skipped"
  std::string error;           // why partial/failed
  std::uint64_t entries = 0;   // entries produced
  std::uint64_t bytes = 0;     // bytes produced
  std::uint32_t depth = 0;
};

struct UnpackOptions {
  Limits limits;
  // Carve every extracted file for embedded containers, not only the input and raw streams.
  bool deep = false;
  // Report raw regions (unknown gaps, uncarved streams) to the visitor as blobs.
  bool visit_blobs = true;
  // Called while the input itself is scanned for container magics, after each 64 MiB window;
  // lets the owner of a memory-mapped input release the pages it has touched.
  std::function<void()> after_input_scan;
};

struct UnpackReport {
  std::string input;
  std::uint64_t input_size = 0;
  std::vector<ChunkRecord> chunks;
  Diagnostics diagnostics;
  std::uint64_t total_entries = 0;
  std::uint64_t total_bytes = 0;
  std::uint64_t skipped_special = 0;  // device nodes, fifos, sockets
  std::uint64_t refused_unsafe = 0;   // path traversal, escaping links
  bool limit_hit = false;
  double seconds = 0;
  // Was anything extracted from the input (a chunk fully or partly read)?
  bool recognised() const;
};

class Engine {
 public:
  Engine(const UnpackerRegistry& registry, UnpackOptions opts);
  ~Engine();
  // Unpack `data` (named `name`, e.g. the image's file name) into `visitor`. Never throws on bad
  // input; problems end up in the report's diagnostics.
  UnpackReport run(ByteView data, const std::string& name, TreeVisitor& visitor);
  // Walk a directory on disk (an already extracted root filesystem) without following symlinks:
  // entries are reported under root "" and regular files are probed for nested containers.
  UnpackReport run_directory(const std::string& dir, TreeVisitor& visitor);

 public:
  struct Impl;  // public so the per-chunk sink in engine.cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

// Lexically normalise an untrusted in-container path to "/a/b". Returns nullopt when the path
// climbs above the root ("../x", "a/../../x") or is empty after normalisation.
std::optional<std::string> normalize_entry_path(std::string_view raw);

}  // namespace waybill::unpack
