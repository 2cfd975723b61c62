// FIRST EPSS: the daily CSV (`#model_version:...,score_date:...` comment, then
// `cve,epss,percentile`) and EPSS API records {"cve","epss","percentile","date"} (alone, one
// per JSONL line, or in the API envelope {"data":[...]}).
#include <charconv>

#include "vuln/db/internal.h"

namespace waybill::vuln::db {

using simdjson::dom::element;

namespace {

bool is_api_record(element v) {
  if (!v.is_object()) return false;
  element x;
  return jstr(v, "cve").starts_with("CVE-") && !v["epss"].get(x);
}

bool to_double(std::string_view s, double& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= 0 && out <= 1;
}

void api_record(element v, Sink& sink) {
  EpssScore s;
  s.cve = jstr(v, "cve");
  s.epss = jnum(v, "epss", -1);
  s.percentile = jnum(v, "percentile", -1);
  s.date = jstr(v, "date");
  if (s.epss < 0 || s.epss > 1 || s.percentile < 0 || s.percentile > 1)
    return sink.issue(s.cve, "EPSS: epss/percentile missing or outside 0..1");
  sink.epss(std::move(s));
}

}  // namespace

bool epss_accepts_json(element v) {
  if (is_api_record(v)) return true;
  simdjson::dom::array data;
  if (!v.is_object() || v["data"].get_array().get(data)) return false;
  for (element item : data) return is_api_record(item);
  return false;
}

void epss_read_json(element v, Sink& sink) {
  if (is_api_record(v)) return api_record(v, sink);
  for (element item : jarr(v, "data")) {
    if (is_api_record(item)) {
      api_record(item, sink);
    } else {
      sink.issue({}, "EPSS: data[] item is not an EPSS record");
    }
  }
}

bool epss_accepts_csv(std::string_view text) {
  return text.starts_with("#model_version") || text.starts_with("cve,epss,percentile");
}

void epss_read_csv(std::string_view text, Sink& sink) {
  std::string date;
  if (text.starts_with("#")) {
    auto nl = text.find('\n');
    std::string_view comment = text.substr(0, nl);
    auto p = comment.find("score_date:");
    if (p != std::string_view::npos) {
      date = comment.substr(p + 11);
      while (!date.empty() && (date.back() == '\r' || date.back() == ' ')) date.pop_back();
      if (date.size() > 10 && date[10] == 'T') date.resize(10);  // the score day
    }
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
  bool header = true;
  csv_rows(text, [&](std::vector<std::string>& f) {
    if (header) {
      header = false;
      if (!f.empty() && f[0] == "cve") return true;
    }
    EpssScore s;
    if (f.size() < 3 || !f[0].starts_with("CVE-")) {
      sink.issue(f.empty() ? std::string_view{} : f[0], "EPSS CSV: row is not cve,epss,percentile");
      return true;
    }
    s.cve = f[0];
    s.date = date;
    if (!to_double(f[1], s.epss) || !to_double(f[2], s.percentile)) {
      sink.issue(s.cve, "EPSS CSV: epss/percentile not a number in 0..1");
      return true;
    }
    sink.epss(std::move(s));
    return true;
  });
}

}  // namespace waybill::vuln::db
