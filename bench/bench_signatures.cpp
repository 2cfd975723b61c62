// SignatureScanner::scan throughput (Vectorscan prefilter + RE2 extraction) over real binaries.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "catalog/binary/signature_table.h"
#include "corpus_util.h"

namespace {

using waybill::ByteView;
using waybill::catalog::SignatureScanner;
using waybill::catalog::SignatureTable;

const SignatureScanner& scanner() {
  static SignatureScanner* s = [] {
    auto* sc = new SignatureScanner(SignatureTable::builtin());
    if (auto st = sc->compile(); !st) {
      std::fprintf(stderr, "signature compile failed: %s\n", st.error().message.c_str());
      std::exit(1);
    }
    return sc;
  }();
  return *s;
}

// One scan() call per file, as the walker does (in-root path /usr/bin/NAME).
void BM_SignatureScan_PerFile(benchmark::State& state) {
  const auto& files = waybill::bench::real_files();
  const auto& sc = scanner();
  std::size_t hits = 0;
  for (auto _ : state) {
    hits = 0;
    for (const auto& f : files) {
      auto h = sc.scan(ByteView(f.bytes), f.path);
      hits += h.size();
      benchmark::DoNotOptimize(h.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(waybill::bench::total_bytes(files)));
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_SignatureScan_PerFile)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// One scan() call over all files concatenated (raw blob carved out of an image).
void BM_SignatureScan_Blob(benchmark::State& state) {
  const auto& blob = waybill::bench::real_blob();
  const auto& sc = scanner();
  std::size_t hits = 0;
  for (auto _ : state) {
    auto h = sc.scan(ByteView(blob), "/blob.bin");
    hits = h.size();
    benchmark::DoNotOptimize(h.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(blob.size()));
  state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_SignatureScan_Blob)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Incompressible data: the best case (no candidate matches).
void BM_SignatureScan_Random(benchmark::State& state) {
  static const auto data = waybill::bench::random_bytes(16u << 20);
  const auto& sc = scanner();
  for (auto _ : state) {
    auto h = sc.scan(ByteView(data), "/random.bin");
    benchmark::DoNotOptimize(h.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(data.size()));
}
BENCHMARK(BM_SignatureScan_Random)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Compiling the built-in table (paid once per process).
void BM_SignatureCompile(benchmark::State& state) {
  for (auto _ : state) {
    SignatureScanner sc(SignatureTable::builtin());
    auto st = sc.compile();
    benchmark::DoNotOptimize(&st);
  }
}
BENCHMARK(BM_SignatureCompile)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
