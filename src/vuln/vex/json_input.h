// Reading untrusted JSON documents (VEX, SBOMs) with nlohmann::json: size and nesting limits
// checked before parsing, parse errors turned into Errors that name the file and the byte, and
// accessors that never throw on a missing key or a wrong type. Header-only because both the vuln
// stage (vuln/vex) and the SBOM readers (sbom/input) use it and do not link each other.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace waybill::jsonin {

using json = nlohmann::json;

inline constexpr std::size_t kMaxDepth = 64;

// Deepest nesting of arrays/objects in `text` (strings and escapes skipped), stopping early once
// `limit` is passed. nlohmann's parser keeps its own stack, but a bound keeps memory predictable.
inline std::size_t nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, max = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max;
}

// Parses `text` (at most `max_bytes`) as one JSON value; errors name `name`.
inline Result<json> parse(std::string_view name, std::string_view text, std::size_t max_bytes,
                          std::size_t max_depth = kMaxDepth) {
  std::string who(name);
  if (text.size() > max_bytes)
    return Error(Errc::limit_exceeded, who + ": document is " + std::to_string(text.size()) +
                                           " bytes, more than the limit of " +
                                           std::to_string(max_bytes));
  if (nesting_depth(text, max_depth) > max_depth)
    return Error(Errc::limit_exceeded,
                 who + ": JSON nesting deeper than " + std::to_string(max_depth) + " levels");
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return Error(Errc::corrupt, who + ": not valid JSON: " + e.what(), e.byte);
  } catch (const std::exception& e) {
    return Error(Errc::corrupt, who + ": not valid JSON: " + e.what());
  }
}

// Member `key` of object `j`, or nullptr (also when `j` is not an object).
inline const json* member(const json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

// String member (or "" when absent / not a string).
inline std::string str(const json& j, std::string_view key) {
  const json* m = member(j, key);
  return m && m->is_string() ? m->get<std::string>() : std::string();
}

// The value itself as a string ("" unless it is a string).
inline std::string as_str(const json& j) {
  return j.is_string() ? j.get<std::string>() : std::string();
}

// Array member, or an empty array when absent / not an array.
inline const json& arr(const json& j, std::string_view key) {
  static const json kEmpty = json::array();
  const json* m = member(j, key);
  return m && m->is_array() ? *m : kEmpty;
}

// Object member, or an empty object.
inline const json& obj(const json& j, std::string_view key) {
  static const json kEmpty = json::object();
  const json* m = member(j, key);
  return m && m->is_object() ? *m : kEmpty;
}

}  // namespace waybill::jsonin
