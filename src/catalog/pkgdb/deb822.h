// Reader for deb822 / RFC 822-style control data: dpkg and opkg status files, control files,
// DEP-5 copyright files, and (with single-letter keys) Alpine's installed database.
//
// Input is untrusted: every read is bounded, oversized values are truncated, malformed lines are
// reported as problems with their line number and parsing continues.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace waybill::catalog::deb822 {

struct Field {
  std::string name;
  // First line without leading blanks; continuation lines are appended after '\n' with their
  // single leading blank removed, and a lone " ." becomes an empty line.
  std::string value;
  std::uint32_t line = 0;  // 1-based line of the "Name:" line
};

struct Stanza {
  std::vector<Field> fields;
  std::uint32_t line = 0;    // 1-based line of the first field
  std::uint64_t offset = 0;  // byte offset of the first field

  // First field with this name (ASCII case-insensitive), or nullptr.
  const Field* find(std::string_view name) const;
  // Value of the first field with this name, or "" when absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
};

struct Problem {
  std::uint32_t line = 0;
  std::uint64_t offset = 0;
  std::string message;
};

struct Options {
  std::size_t max_value_bytes = 1u << 20;  // longer values are truncated (and reported)
  std::size_t max_fields = 4096;           // per stanza; more are dropped (and reported)
  std::size_t max_stanzas = 200000;
  std::size_t max_problems = 50;  // further problems are counted, not stored
  bool report_duplicates = true;  // a repeated field name in one stanza is a problem
  bool allow_comments = true;     // '#' lines at column 0 are skipped
};

struct Document {
  std::vector<Stanza> stanzas;
  std::vector<Problem> problems;
  std::size_t dropped_problems = 0;  // problems beyond Options::max_problems
};

Document parse(std::string_view text, const Options& opts = {});

// Splits a text into lines (LF or CRLF) and calls f(line, line_number, offset) for each.
template <class F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t pos = 0;
  std::uint32_t n = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line, ++n, static_cast<std::uint64_t>(pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
// First line of a (possibly multi-line) field value.
std::string_view first_line(std::string_view v);

}  // namespace waybill::catalog::deb822
