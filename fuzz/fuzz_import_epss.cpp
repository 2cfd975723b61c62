// libFuzzer harness for the vulnerability-database importer: FIRST EPSS: the input follows the
// #model_version comment and CSV header. Bytes -> Database::import_buffer into an in-memory SQLite
// database (content detection, decompression, JSON/JSONL/CSV/YAML readers, upserts); then
// candidates() over the keys the records produced and records() by id read the stored blobs back.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "vuln/db/database.h"

namespace {

constexpr const char* kPrefix =
    "#model_version:v2025,score_date:2026-01-01T00:00:00Z\ncve,epss,percentile\n";

waybill::vuln::Database* db() {
  static std::unique_ptr<waybill::vuln::Database> d;
  static unsigned uses = 0;
  if (!d || ++uses % 1000 == 0) {  // a fresh database now and then keeps memory flat
    d.reset();
    auto r = waybill::vuln::Database::open(":memory:", true);
    if (!r.ok()) return nullptr;
    d = std::move(r.value());
  }
  return d.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto* d = db();
  if (!d) return 0;
  std::string input = kPrefix;
  input.append(reinterpret_cast<const char*>(data), size);
  waybill::vuln::ImportOptions opts;
  opts.max_input_bytes = 64u << 20;
  opts.max_records = 10000;
  auto rep = d->import_buffer("fuzz-input", waybill::ByteView(std::string_view(input)), opts);
  if (!rep.ok()) return 0;
  std::string keys[] = {waybill::vuln::cpe_key("linux", "linux_kernel"),
                        waybill::vuln::osv_key("Go", "github.com/gin-gonic/gin")};
  (void)d->candidates(keys);
  (void)d->records("CVE-2024-1086");
  (void)d->kev("CVE-2024-1086");
  (void)d->epss("CVE-2024-1086");
  (void)d->status();
  return 0;
}
