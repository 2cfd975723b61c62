// CISA Known Exploited Vulnerabilities: the JSON catalog and the CSV of the same catalog.
#include "vuln/db/internal.h"

namespace waybill::vuln::db {

using simdjson::dom::element;

bool kev_accepts_json(element v) {
  if (!v.is_object()) return false;
  simdjson::dom::array vulns;
  if (v["vulnerabilities"].get_array().get(vulns)) return false;
  if (!jstr(v, "catalogVersion").empty()) return true;
  for (element item : vulns) return !jstr(item, "cveID").empty();
  return false;
}

void kev_read_json(element v, Sink& sink) {
  std::string_view version = jstr(v, "catalogVersion");
  if (!version.empty()) sink.kev_catalog(version);
  for (element item : jarr(v, "vulnerabilities")) {
    KevEntry e;
    e.cve = jstr(item, "cveID");
    if (!e.cve.starts_with("CVE-")) {
      sink.issue(e.cve, "KEV: entry without a cveID");
      continue;
    }
    e.vendor = jstr(item, "vendorProject");
    e.product = jstr(item, "product");
    e.name = jstr(item, "vulnerabilityName");
    e.date_added = jstr(item, "dateAdded");
    e.due_date = jstr(item, "dueDate");
    e.required_action = jstr(item, "requiredAction");
    e.known_ransomware = jstr(item, "knownRansomwareCampaignUse");
    e.notes = jstr(item, "notes");
    sink.kev(std::move(e));
  }
}

bool kev_accepts_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text.starts_with("cveID,vendorProject,");
}

void kev_read_csv(std::string_view text, Sink& sink) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::string> header;
  csv_rows(text, [&](std::vector<std::string>& f) {
    if (header.empty()) {
      header = f;
      return true;
    }
    auto col = [&](std::string_view name) -> std::string {
      for (std::size_t i = 0; i < header.size() && i < f.size(); ++i)
        if (header[i] == name) return f[i];
      return {};
    };
    KevEntry e;
    e.cve = col("cveID");
    if (!e.cve.starts_with("CVE-") || f.size() != header.size()) {
      sink.issue(e.cve, "KEV CSV: row with " + std::to_string(f.size()) + " fields, expected " +
                            std::to_string(header.size()));
      return true;
    }
    e.vendor = col("vendorProject");
    e.product = col("product");
    e.name = col("vulnerabilityName");
    e.date_added = col("dateAdded");
    e.due_date = col("dueDate");
    e.required_action = col("requiredAction");
    e.known_ransomware = col("knownRansomwareCampaignUse");
    e.notes = col("notes");
    sink.kev(std::move(e));
    return true;
  });
}

}  // namespace waybill::vuln::db
