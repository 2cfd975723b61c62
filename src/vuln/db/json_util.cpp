// Small, forgiving accessors over simdjson DOM values for the importers: a missing or
// wrongly-typed field reads as empty, so one odd field never drops a whole record.
#include <charconv>
#include <cstdio>

#include "vuln/db/internal.h"

namespace waybill::vuln::db {

using simdjson::dom::element;

std::string_view jstr(element v, std::string_view key) {
  std::string_view s;
  if (v[key].get_string().get(s)) return {};
  return s;
}

std::string jstr_any(element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(v.get_string().value_unsafe());
    case simdjson::dom::element_type::INT64:
      return std::to_string(v.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return std::to_string(v.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_double().value_unsafe());
      return std::string(buf, r.ptr);
    }
    case simdjson::dom::element_type::BOOL:
      return v.get_bool().value_unsafe() ? "true" : "false";
    default:
      return {};
  }
}

bool jbool(element v, std::string_view key, bool dflt) {
  bool b;
  if (v[key].get_bool().get(b)) return dflt;
  return b;
}

double jnum(element v, std::string_view key, double dflt) {
  element x;
  if (v[key].get(x)) return dflt;
  double d;
  if (!x.get_double().get(d)) return d;
  std::string_view s;
  if (!x.get_string().get(s)) {
    double out = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return out;
  }
  return dflt;
}

// A valid empty array (a default-constructed dom::array has no document and cannot be iterated).
static simdjson::dom::array empty_array() {
  static simdjson::dom::parser parser;
  static const simdjson::dom::array empty = [] {
    simdjson::dom::array a;
    auto err = parser.parse(simdjson::padded_string(std::string_view("[]"))).get_array().get(a);
    (void)err;
    return a;
  }();
  return empty;
}

simdjson::dom::array jarr(element v, std::string_view key) {
  simdjson::dom::array a;
  if (v[key].get_array().get(a)) return empty_array();
  return a;
}

bool jobj(element v, std::string_view key, element& out) {
  element x;
  if (v[key].get(x) || !x.is_object()) return false;
  out = x;
  return true;
}

std::string english(simdjson::dom::array a) {
  std::string first;
  bool have_first = false;
  for (element d : a) {
    std::string_view lang = jstr(d, "lang"), value = jstr(d, "value");
    if (lang == "en" || lang.starts_with("en-") || lang.starts_with("en_"))
      return std::string(value);
    if (!have_first) {
      first = value;
      have_first = true;
    }
  }
  return first;
}

void push_unique(std::vector<std::string>& v, std::string_view s) {
  if (s.empty()) return;
  for (const auto& x : v)
    if (x == s) return;
  v.emplace_back(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace waybill::vuln::db
