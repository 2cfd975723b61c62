// catalog::sha256_hex throughput (every extracted file is hashed once by the walker).
#include <benchmark/benchmark.h>

#include "catalog/walker.h"
#include "corpus_util.h"

namespace {

using waybill::ByteView;

// Buffer size sweep: per-call overhead (EVP set-up, hex) vs raw SHA-256 speed.
void BM_Sha256(benchmark::State& state) {
  const auto data = waybill::bench::random_bytes(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto h = waybill::catalog::sha256_hex(ByteView(data));
    benchmark::DoNotOptimize(h.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(256)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)->Arg(16 << 20);

// The real file-size mix of /usr/bin (one call per file).
void BM_Sha256_RealFiles(benchmark::State& state) {
  const auto& files = waybill::bench::real_files();
  for (auto _ : state)
    for (const auto& f : files) {
      auto h = waybill::catalog::sha256_hex(ByteView(f.bytes));
      benchmark::DoNotOptimize(h.data());
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(waybill::bench::total_bytes(files)));
  state.counters["files"] = static_cast<double>(files.size());
}
BENCHMARK(BM_Sha256_RealFiles)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
