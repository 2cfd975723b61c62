// CPE 2.3 names (NISTIR 7695 naming, NISTIR 7696 name matching).
//
// Attribute values are stored as follows:
//   "*"  ANY (also what an empty/missing 2.2 URI component becomes);
//   "-"  NA (not applicable);
//   otherwise the value with the formatted-string escapes removed (`solidfire_\&_hci` is stored
//   as `solidfire_&_hci`, `1\.0` as `1.0`), EXCEPT that a backslash is kept in front of the
//   three characters that would otherwise be read as special: `\\`, `\*`, `\?` (and a value that
//   is exactly `\-`, a literal hyphen rather than NA). An unescaped `*` or `?` inside a value is
//   a wildcard (only meaningful in a matching criteria / source name).
// Case is kept as written; matching is case-insensitive (ASCII).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace waybill::vuln {

struct Cpe {
  std::string part = "*";  // "a", "o", "h" or "*"
  std::string vendor = "*", product = "*", version = "*", update = "*", edition = "*",
              language = "*", sw_edition = "*", target_sw = "*", target_hw = "*", other = "*";
};

// Parses the 2.3 formatted string ("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", exactly 13
// colon-separated fields, backslash escapes) or the 2.2 URI ("cpe:/a:vendor:product:1.0", %xx
// percent-encoding, packed "~"-edition). Returns nullopt for anything malformed (wrong prefix or
// field count, bad part, dangling escape, empty 2.3 field, over 4096 bytes).
std::optional<Cpe> parse_cpe(std::string_view s);

// The 2.3 formatted string of c (characters other than letters, digits, '_' and the stored
// wildcards are backslash-escaped; empty values are written as "*").
std::string format_cpe(const Cpe& c);

// NISTIR 7696 attribute comparison, true when source is a SUPERSET of or EQUAL to target:
// source ANY matches everything; source NA matches only NA; a source value matches a target
// value case-insensitively, with unescaped '*' (any run, possibly empty) and '?' (exactly one
// character; a run of '?' at the start or end of the value matches up to that many characters)
// as wildcards. A target that is ANY, NA (against a value) or itself contains wildcards does not
// match a value source.
bool attr_match(std::string_view source, std::string_view target);

// True when every attribute of criteria matches (attr_match) the one of target. With
// ignore_version, version and update are not compared (the caller checks version ranges).
bool cpe_name_match(const Cpe& criteria, const Cpe& target, bool ignore_version);

}  // namespace waybill::vuln
