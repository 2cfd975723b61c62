// libFuzzer harness for the vulnerability-database importers, one source compiled per feed
// (fuzz/CMakeLists.txt): bytes -> Database::import_buffer into an in-memory SQLite database
// (content detection, decompression, JSON/JSONL/CSV/YAML readers, upserts); then candidates(),
// records(), kev(), epss() and status() read the stored data back.
// The NVD, CVE 5 and OSV targets differ only in their seed corpora (the format is detected from
// the content); the CSV targets put the fuzz input after the feed's header line
// (WAYBILL_FUZZ_IMPORT_KEV_CSV / _EPSS_CSV) so the CSV readers always run.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "vuln/db/database.h"

namespace {

#if defined(WAYBILL_FUZZ_IMPORT_KEV_CSV)
constexpr const char* kPrefix =
    "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,"
    "dueDate,knownRansomwareCampaignUse,notes,cwes\n";
#elif defined(WAYBILL_FUZZ_IMPORT_EPSS_CSV)
constexpr const char* kPrefix =
    "#model_version:v2025,score_date:2026-01-01T00:00:00Z\ncve,epss,percentile\n";
#else
constexpr const char* kPrefix = "";
#endif

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
