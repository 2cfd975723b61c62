// Internals of the vulnerability database shared by the importers, the input reader, the codec
// and the SQLite store. Not part of the public API (include vuln/db/database.h instead).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "vuln/db/codec.h"
#include "vuln/db/database.h"
#include "vuln/model.h"

namespace waybill::vuln::db {

// ---- Index keys of a record (keys.cpp) ----
std::vector<std::string> record_keys(const VulnRecord& r);
// vendor and product of a CPE 2.3 formatted string ("cpe:2.3:a:vendor:product:..."), unescaped;
// false when it is not one.
bool cpe_vendor_product(std::string_view cpe, std::string& vendor, std::string& product);

// ---- What importers produce ----
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void record(VulnRecord&& r) = 0;
  virtual void kev(KevEntry&& e) = 0;
  virtual void kev_catalog(std::string_view catalog_version) = 0;
  virtual void epss(EpssScore&& s) = 0;
  // A malformed record: skipped, counted, listed with the current file.
  virtual void issue(std::string_view id, std::string message) = 0;
  // True once the record-count limit is reached: readers stop early.
  virtual bool full() const { return false; }
};

// One registered feed format (builtin.cpp holds the list, one import_*.cpp per format).
struct Format {
  std::string_view name;  // "nvd", "cve5", "osv", "kev", "epss"
  // One JSON value (a whole document or one JSONL line): does this format read it?
  bool (*accepts_json)(simdjson::dom::element v) = nullptr;
  void (*read_json)(simdjson::dom::element v, Sink& sink) = nullptr;
  // Non-JSON text (CSV): does this format read it, and read it.
  bool (*accepts_text)(std::string_view text) = nullptr;
  void (*read_text)(std::string_view text, Sink& sink) = nullptr;
};
const std::vector<Format>& formats();

// Per-format entry points (import_*.cpp).
bool nvd_accepts(simdjson::dom::element v);
void nvd_read(simdjson::dom::element v, Sink& sink);
bool cve5_accepts(simdjson::dom::element v);
void cve5_read(simdjson::dom::element v, Sink& sink);
bool osv_accepts(simdjson::dom::element v);
void osv_read(simdjson::dom::element v, Sink& sink);
bool osv_yaml_accepts(std::string_view text);
void osv_yaml_read(std::string_view text, Sink& sink);
bool kev_accepts_json(simdjson::dom::element v);
void kev_read_json(simdjson::dom::element v, Sink& sink);
bool kev_accepts_csv(std::string_view text);
void kev_read_csv(std::string_view text, Sink& sink);
bool epss_accepts_json(simdjson::dom::element v);
void epss_read_json(simdjson::dom::element v, Sink& sink);
bool epss_accepts_csv(std::string_view text);
void epss_read_csv(std::string_view text, Sink& sink);

// ---- Small JSON helpers for the importers (json_util.cpp) ----
std::string_view jstr(simdjson::dom::element v, std::string_view key);  // "" when absent
std::string jstr_any(simdjson::dom::element v);  // string, number or bool as text; "" otherwise
bool jbool(simdjson::dom::element v, std::string_view key, bool dflt);
double jnum(simdjson::dom::element v, std::string_view key,
            double dflt);  // number or numeric string
simdjson::dom::array jarr(simdjson::dom::element v, std::string_view key);  // empty when absent
bool jobj(simdjson::dom::element v, std::string_view key, simdjson::dom::element& out);
// English (or else first) "value" of a [{lang, value}] array.
std::string english(simdjson::dom::array a);
void push_unique(std::vector<std::string>& v, std::string_view s);
std::string lower(std::string_view s);

// NVD-style `configurations` / CVE 5 `cpeApplicability` (import_nvd.cpp).
void read_cpe_configurations(simdjson::dom::array confs, std::vector<CpeConfiguration>& out);

// ---- CSV (csv.cpp): RFC 4180 fields, quoted fields with "" escapes and embedded newlines ----
// Calls `row` for each record; stops early when it returns false. Bounded by the text.
void csv_rows(std::string_view text, const std::function<bool(std::vector<std::string>&)>& row);

// ---- Input reader (input.cpp) ----
struct InputLimits {
  std::uint64_t max_input_bytes = 4ull << 30;  // per decompressed input
  int max_depth = 3;                           // archives inside compressed files inside ...
};
// One input document: a plain file, an archive member or a decompressed file. `text` is
// followed by at least simdjson::SIMDJSON_PADDING readable bytes.
struct InputDoc {
  std::string name;
  std::string_view text;
};
using DocFn = std::function<void(const InputDoc&)>;
using IssueFn = std::function<void(const std::string& file, std::string message)>;
// Reads each path (file or directory, recursively) and calls `doc` for each document inside.
// Unreadable, corrupt or oversize inputs are reported through `issue` and skipped.
void read_paths(const std::vector<std::string>& paths, const InputLimits& lim, const DocFn& doc,
                const IssueFn& issue, std::vector<std::string>& files_read);
void read_buffer(std::string_view name, ByteView data, const InputLimits& lim, const DocFn& doc,
                 const IssueFn& issue);

// ---- Dispatch of one document to the formats (builtin.cpp) ----
// Splits JSON documents / JSONL lines / CSV text and hands them to the registered formats.
void import_document(const InputDoc& d, simdjson::dom::parser& parser, Sink& sink);

}  // namespace waybill::vuln::db
