// libFuzzer harness for stage 1 (unpack). One source, compiled once per unpacker id:
//
//   -DWAYBILL_FUZZ_ID="squashfs"  probe the input at offset 0 with that unpacker and, if it
//                                 accepts, extract into a sink that reads and discards everything;
//   -DWAYBILL_FUZZ_ENGINE=1       run the whole Engine (carving at any offset, recursion, every
//                                 registered unpacker) into a visitor that discards everything.
//
// An id that is not registered (plugin still being written) makes the target a no-op.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "core/bytes.h"
#include "core/limits.h"
#include "unpack/engine.h"
#include "unpack/unpacker.h"

namespace {

using namespace waybill;
using namespace waybill::unpack;

Limits fuzz_limits() {
  Limits l;
  l.max_total_bytes = 64ull << 20;
  l.max_file_bytes = 64ull << 20;
  l.max_depth = 2;
  l.max_files = 20000;
  l.max_chunks = 1000;
  l.max_time = std::chrono::seconds(5);
  return l;
}

// Touch every byte handed out, so that a view pointing outside its buffer is caught by ASan
// here rather than never.
volatile std::uint8_t g_fold = 0;
void touch(ByteView v) {
  std::uint8_t x = 0;
  for (std::uint8_t b : v) x ^= b;
  g_fold = g_fold ^ x;
}
void touch(const std::string& s) { touch(ByteView(std::string_view(s))); }

const UnpackerRegistry& registry() {
  static const UnpackerRegistry* r = [] {
    auto* reg = new UnpackerRegistry;
    register_builtin_unpackers(*reg);
    return reg;
  }();
  return *r;
}

#ifdef WAYBILL_FUZZ_ENGINE

class DiscardVisitor final : public TreeVisitor {
 public:
  Status file(const VEntry& e, ByteView content) override {
    touch(e.full_path());
    touch(content);
    return Status::success();
  }
  Status directory(const VEntry& e) override {
    touch(e.full_path());
    return Status::success();
  }
  Status link(const VEntry& e) override {
    touch(e.full_path());
    touch(e.link_target);
    return Status::success();
  }
};

int run_one(const std::uint8_t* data, std::size_t size) {
  static Engine* engine = [] {
    UnpackOptions o;
    o.limits = fuzz_limits();
    o.deep = true;  // carve inside extracted files too (bounded by depth 2)
    o.visit_blobs = true;
    return new Engine(registry(), o);
  }();
  DiscardVisitor v;
  UnpackReport rep = engine->run(ByteView(data, size), "fuzz.bin", v);
  for (const auto& c : rep.chunks) touch(c.description);
  for (const auto& d : rep.diagnostics.items()) touch(d.message);
  return 0;
}

#else  // one unpacker

#ifndef WAYBILL_FUZZ_ID
#error "compile with -DWAYBILL_FUZZ_ID=\"<unpacker id>\" or -DWAYBILL_FUZZ_ENGINE=1"
#endif

class DiscardSink final : public Sink {
 public:
  explicit DiscardSink(Budget& b) : budget_(b) {}
  Status entry(const Entry& e, ByteView content) override {
    if (auto st = budget_.charge_file(); !st) return st;
    if (auto st = budget_.check_time(); !st) return st;
    touch(e.path);
    touch(e.link_target);
    touch(content);
    return Status::success();
  }
  Status stream(std::string_view name, ByteView content) override {
    if (auto st = budget_.charge_file(); !st) return st;
    if (auto st = budget_.check_time(); !st) return st;
    touch(ByteView(name));
    touch(content);
    return Status::success();
  }
  void diagnostic(Severity, Errc, std::optional<std::uint64_t>, std::string message) override {
    touch(message);
  }
  Budget& budget() override { return budget_; }

 private:
  Budget& budget_;
};

int run_one(const std::uint8_t* data, std::size_t size) {
  static const Unpacker* u = [] {
    const Unpacker* p = registry().find(WAYBILL_FUZZ_ID);
    if (!p)
      std::fprintf(stderr, "fuzz: unpacker '%s' is not registered; every input is a no-op\n",
                   WAYBILL_FUZZ_ID);
    return p;
  }();
  if (!u) return 0;
  ByteView in(data, size);
  Result<Chunk> chunk = u->probe(in, 0);
  if (!chunk) return 0;
  const Chunk& c = *chunk;
  if (c.offset > size) __builtin_trap();  // a probe must stay inside the data it was given
  touch(c.description);
  ByteView region = in.sub(c.offset, c.size_exact ? c.size : UINT64_MAX);
  Budget budget(fuzz_limits());
  DiscardSink sink(budget);
  Result<std::uint64_t> used = u->extract(region, c, sink);
  (void)used;
  return 0;
}

#endif

}  // namespace

// UBSan is compiled in recoverable mode (top-level CMakeLists.txt); stop at the first report so
// that libFuzzer saves the input, and print where it happened.
extern "C" const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return run_one(data, size);
}
