// Exception-free, depth-limited JSON access for hostile documents.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace waybill::trust::detail {

// Nesting depth of a JSON text (brackets outside strings); stops counting past `limit`.
inline int json_depth(std::string_view s, int limit) {
  int depth = 0, max_depth = 0;
  bool in_str = false, esc = false;
  for (char c : s) {
    if (in_str) {
      if (esc) {
        esc = false;
      } else if (c == '\\') {
        esc = true;
      } else if (c == '"') {
        in_str = false;
      }
      continue;
    }
    if (c == '"') {
      in_str = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) max_depth = depth;
      if (max_depth > limit) return max_depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}

// Discarded value (is_discarded()) when malformed or nested deeper than 64.
inline nlohmann::json parse_json(std::string_view text) {
  if (json_depth(text, 64) > 64) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

inline const nlohmann::json* jget(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

inline std::string jstr(const nlohmann::json& j, const char* key) {
  const nlohmann::json* v = jget(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// A string, or the decimal text of an integer (Sigstore writes int64 as strings).
inline std::string jnum_text(const nlohmann::json& j, const char* key) {
  const nlohmann::json* v = jget(j, key);
  if (v == nullptr) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
  return "";
}

inline const nlohmann::json* jpath_ptr(const nlohmann::json& j,
                                       std::initializer_list<const char*> keys) {
  const nlohmann::json* cur = &j;
  for (const char* k : keys) {
    cur = jget(*cur, k);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

inline const nlohmann::json& jpath(const nlohmann::json& j,
                                   std::initializer_list<const char*> keys) {
  static const nlohmann::json kNull;
  const nlohmann::json* p = jpath_ptr(j, keys);
  return p != nullptr ? *p : kNull;
}

}  // namespace waybill::trust::detail
