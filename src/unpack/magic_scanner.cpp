#include "unpack/magic_scanner.h"

#include <hs/hs.h>

#include <algorithm>
#include <mutex>

namespace waybill::unpack {

struct MagicScanner::Impl {
  struct Pattern {
    std::string bytes;
    std::uint32_t offset;
    std::uint32_t tag;
  };
  std::vector<Pattern> patterns;
  hs_database_t* db = nullptr;
  mutable hs_scratch_t* scratch = nullptr;
  mutable std::mutex mu;  // scratch is per-scanner; scans are serialised

  ~Impl() {
    if (scratch) hs_free_scratch(scratch);
    if (db) hs_free_database(db);
  }
};

MagicScanner::MagicScanner() : impl_(std::make_unique<Impl>()) {}
MagicScanner::~MagicScanner() = default;

void MagicScanner::add(std::string_view bytes, std::uint32_t offset_in_chunk, std::uint32_t tag) {
  impl_->patterns.push_back({std::string(bytes), offset_in_chunk, tag});
}

Status MagicScanner::compile() {
  auto& im = *impl_;
  if (im.patterns.empty()) return Status::success();
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> flags, ids;
  for (std::size_t i = 0; i < im.patterns.size(); ++i) {
    exprs.push_back(im.patterns[i].bytes.data());
    lens.push_back(im.patterns[i].bytes.size());
    flags.push_back(0);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &im.db,
                           &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    hs_free_compile_error(err);
    return Error(Errc::internal, "cannot compile container magics: " + msg);
  }
  if (hs_alloc_scratch(im.db, &im.scratch) != HS_SUCCESS) {
    return Error(Errc::internal, "cannot allocate vectorscan scratch");
  }
  return Status::success();
}

std::vector<MagicHit> MagicScanner::scan(ByteView data,
                                         const std::function<void()>& between_windows) const {
  auto& im = *impl_;
  std::vector<MagicHit> hits;
  if (!im.db || data.empty()) return hits;
  struct Ctx {
    const Impl* im;
    std::vector<MagicHit>* hits;
    std::uint64_t base;
  };
  std::lock_guard<std::mutex> lock(im.mu);
  // Vectorscan takes 32-bit lengths: scan in overlapping windows for very large buffers.
  const std::uint64_t kWindow = between_windows ? (64ull << 20) : (1ull << 30);
  constexpr std::uint64_t kOverlap = 64;
  for (std::uint64_t base = 0; base < data.size();) {
    ByteView win = data.sub(base, kWindow + kOverlap);
    Ctx ctx{&im, &hits, base};
    auto cb = [](unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned,
                 void* p) -> int {
      auto* c = static_cast<Ctx*>(p);
      const auto& pat = c->im->patterns[id];
      std::uint64_t end = c->base + to;
      std::uint64_t magic_pos = end - pat.bytes.size();
      if (magic_pos >= pat.offset) c->hits->push_back({magic_pos - pat.offset, pat.tag});
      return 0;
    };
    hs_scan(im.db, reinterpret_cast<const char*>(win.data()), static_cast<unsigned>(win.size()), 0,
            im.scratch, cb, &ctx);
    if (between_windows) between_windows();
    if (win.size() < kWindow + kOverlap) break;
    base += kWindow;
  }
  std::sort(hits.begin(), hits.end(), [](const MagicHit& a, const MagicHit& b) {
    return a.start != b.start ? a.start < b.start : a.tag < b.tag;
  });
  hits.erase(std::unique(hits.begin(), hits.end(),
                         [](const MagicHit& a, const MagicHit& b) {
                           return a.start == b.start && a.tag == b.tag;
                         }),
             hits.end());
  return hits;
}

}  // namespace waybill::unpack
