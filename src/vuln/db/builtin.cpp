// The registered feed formats, tried in this order on each JSON value / text document, and the
// dispatch of one input document (JSON, JSONL, CSV) to them. Detection is by content only.
#include "vuln/db/internal.h"

namespace waybill::vuln::db {

const std::vector<Format>& formats() {
  static const std::vector<Format> list = {
      // name    accepts_json        read_json        accepts_text      read_text
      {"nvd", nvd_accepts, nvd_read, nullptr, nullptr},
      {"cve5", cve5_accepts, cve5_read, nullptr, nullptr},
      {"kev", kev_accepts_json, kev_read_json, kev_accepts_csv, kev_read_csv},
      {"epss", epss_accepts_json, epss_read_json, epss_accepts_csv, epss_read_csv},
      {"osv", osv_accepts, osv_read, osv_yaml_accepts, osv_yaml_read},  // most permissive: last
  };
  return list;
}

namespace {

constexpr std::size_t kMaxArrayDepth = 2;  // [[record, ...], ...] at most

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// The first "id"/"cveId"/"cveID"/"cve" string value in unparsable text, for messages.
std::string guess_id(std::string_view text) {
  for (std::string_view key : {"\"id\"", "\"cveId\"", "\"cveID\"", "\"cve\""}) {
    auto p = text.find(key);
    if (p == std::string_view::npos) continue;
    p = text.find('"', text.find(':', p + key.size()) + 1);
    if (p == std::string_view::npos) continue;
    auto e = text.find('"', p + 1);
    if (e == std::string_view::npos || e - p > 128) continue;
    return std::string(text.substr(p + 1, e - p - 1));
  }
  return {};
}

void dispatch(simdjson::dom::element v, Sink& sink, std::size_t depth) {
  if (v.is_array()) {
    if (depth >= kMaxArrayDepth) return sink.issue({}, "nested arrays too deep");
    simdjson::dom::array arr;
    if (v.get_array().get(arr)) return;
    for (simdjson::dom::element x : arr) {
      if (sink.full()) return;
      dispatch(x, sink, depth + 1);
    }
    return;
  }
  for (const Format& f : formats()) {
    if (f.accepts_json && f.accepts_json(v)) return f.read_json(v, sink);
  }
  std::string id;
  if (v.is_object()) id = jstr(v, "id");
  sink.issue(id, "not a record of any known feed format (NVD 2.0, CVE 5, OSV, KEV, EPSS)");
}

}  // namespace

void import_document(const InputDoc& d, simdjson::dom::parser& parser, Sink& sink) {
  std::string_view text = d.text;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string_view t = trim(text);
  if (t.empty()) return;
  if (t.front() != '{' && t.front() != '[') {
    for (const Format& f : formats())
      if (f.accepts_text && f.accepts_text(t)) return f.read_text(t, sink);
    return sink.issue({}, "not JSON, JSONL or a known CSV");
  }
  // JSONL when the first line is a complete object and more follows.
  auto nl = t.find('\n');
  bool jsonl = false;
  if (nl != std::string_view::npos) {
    std::string_view first = trim(t.substr(0, nl));
    jsonl = first.size() >= 2 && first.front() == '{' && first.back() == '}' &&
            !trim(t.substr(nl + 1)).empty();
  }
  if (!jsonl) {
    simdjson::dom::element v;
    // `text` is followed by SIMDJSON_PADDING readable bytes (input.cpp guarantees it).
    auto err = parser.parse(t.data(), t.size(), false).get(v);
    if (err)
      return sink.issue(guess_id(t.substr(0, 4096)),
                        std::string("invalid JSON: ") + simdjson::error_message(err));
    return dispatch(v, sink, 0);
  }
  std::size_t pos = 0, line_no = 0;
  while (pos < t.size() && !sink.full()) {
    auto e = t.find('\n', pos);
    if (e == std::string_view::npos) e = t.size();
    ++line_no;
    std::string_view line = trim(t.substr(pos, e - pos));
    pos = e + 1;
    if (line.empty()) continue;
    simdjson::dom::element v;
    auto err = parser.parse(line.data(), line.size(), false).get(v);
    if (err) {
      sink.issue(
          guess_id(line.substr(0, 4096)),
          "line " + std::to_string(line_no) + ": invalid JSON: " + simdjson::error_message(err));
      continue;
    }
    dispatch(v, sink, 0);
  }
}

}  // namespace waybill::vuln::db
