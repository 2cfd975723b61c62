// RFC 4180 CSV reader for the KEV and EPSS CSV files. Written here (a few lines) because none of
// the libraries in the build reads CSV; quoted fields may hold commas, "" and newlines.
#include "vuln/db/internal.h"

namespace waybill::vuln::db {

void csv_rows(std::string_view text, const std::function<bool(std::vector<std::string>&)>& row) {
  constexpr std::size_t kMaxFields = 1024;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, any = false;
  std::size_t i = 0;
  auto end_row = [&]() -> bool {
    fields.push_back(std::move(field));
    field.clear();
    bool go = row(fields);
    fields.clear();
    any = false;
    return go;
  };
  while (i < text.size()) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field.push_back(c);
      }
      ++i;
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      if (fields.size() < kMaxFields) fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        if (!end_row()) return;
      }
    } else {
      field.push_back(c);
      any = true;
    }
    ++i;
  }
  if (any || !field.empty()) end_row();
}

}  // namespace waybill::vuln::db
