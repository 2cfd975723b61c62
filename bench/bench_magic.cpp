// unpack::MagicScanner throughput with the magics of every built-in unpacker (the carving pass).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "corpus_util.h"
#include "unpack/magic_scanner.h"
#include "unpack/unpacker.h"

namespace {

using waybill::ByteView;
using waybill::unpack::MagicScanner;

const MagicScanner& scanner() {
  static MagicScanner* s = [] {
    static waybill::unpack::UnpackerRegistry reg;
    waybill::unpack::register_builtin_unpackers(reg);
    auto* sc = new MagicScanner();
    std::uint32_t tag = 0;
    for (const auto& u : reg.all()) {
      for (const auto& m : u->magics()) sc->add(m.bytes, m.offset, tag);
      ++tag;
    }
    if (auto st = sc->compile(); !st) {
      std::fprintf(stderr, "magic compile failed: %s\n", st.error().message.c_str());
      std::exit(1);
    }
    return sc;
  }();
  return *s;
}

void run(benchmark::State& state, const std::vector<std::uint8_t>& data) {
  const auto& sc = scanner();
  std::size_t hits = 0;
  for (auto _ : state) {
    auto h = sc.scan(ByteView(data));
    hits = h.size();
    benchmark::DoNotOptimize(h.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(data.size()));
  state.counters["hits"] = static_cast<double>(hits);
}

void BM_MagicScan_Random(benchmark::State& state) {
  static const auto data = waybill::bench::random_bytes(64u << 20);
  run(state, data);
}
BENCHMARK(BM_MagicScan_Random)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_MagicScan_RealBinaries(benchmark::State& state) {
  run(state, waybill::bench::real_blob());
}
BENCHMARK(BM_MagicScan_RealBinaries)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_MagicScan_Zeros(benchmark::State& state) {
  static const std::vector<std::uint8_t> data(64u << 20, 0);
  run(state, data);
}
BENCHMARK(BM_MagicScan_Zeros)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
