// CPE 2.3 parsing, formatting and name matching (NISTIR 7695 / 7696). Written here rather than
// taken from a library because no maintained C++ CPE library is packaged in Debian 12.
// Value storage rules are in cpe.h.
#include "vuln/cpe.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace waybill::vuln {
namespace {

constexpr std::size_t kMaxCpeLength = 4096;

char lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
bool is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool keeps_backslash(char c) {
  return c == '\\' || c == '*' || c == '?';
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != lower(prefix[i])) return false;
  return true;
}

std::array<std::string*, 11> fields(Cpe& c) {
  return {&c.part,     &c.vendor,     &c.product,   &c.version,   &c.update, &c.edition,
          &c.language, &c.sw_edition, &c.target_sw, &c.target_hw, &c.other};
}
std::array<const std::string*, 11> fields(const Cpe& c) {
  return {&c.part,     &c.vendor,     &c.product,   &c.version,   &c.update, &c.edition,
          &c.language, &c.sw_edition, &c.target_sw, &c.target_hw, &c.other};
}

bool valid_part(std::string& p) {
  if (p.size() != 1) return false;
  p[0] = lower(p[0]);
  return p == "a" || p == "o" || p == "h" || p == "*";
}

// One formatted-string field (still escaped) to the stored form.
std::string unescape_fs(std::string_view f) {
  if (f == "*" || f == "-" || f == "\\-") return std::string(f);
  std::string out;
  out.reserve(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '\\' && i + 1 < f.size()) {
      char c = f[++i];
      if (keeps_backslash(c)) out.push_back('\\');
      out.push_back(c);
    } else {
      out.push_back(f[i]);
    }
  }
  return out;
}

std::optional<Cpe> parse_fs(std::string_view s) {
  std::string_view body = s.substr(8);  // after "cpe:2.3:"
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\') {
      if (i + 1 >= body.size()) return std::nullopt;  // dangling escape
      ++i;
    } else if (body[i] == ':') {
      parts.push_back(body.substr(start, i - start));
      start = i + 1;
      if (parts.size() > 11) return std::nullopt;
    }
  }
  parts.push_back(body.substr(start));
  if (parts.size() != 11) return std::nullopt;
  Cpe c;
  auto f = fields(c);
  for (std::size_t k = 0; k < 11; ++k) {
    if (parts[k].empty()) return std::nullopt;
    *f[k] = unescape_fs(parts[k]);
  }
  if (!valid_part(c.part)) return std::nullopt;
  return c;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// One 2.2 URI component (percent-encoded) to the stored form.
std::optional<std::string> decode_uri(std::string_view f) {
  if (f.empty()) return std::string("*");
  if (f == "-") return std::string("-");
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if (c == '%') {
      if (i + 2 >= f.size()) return std::nullopt;
      int hi = hex_value(f[i + 1]), lo = hex_value(f[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      i += 2;
      int v = hi * 16 + lo;
      if (v == 1) {
        out.push_back('?');  // %01: wildcard '?'
        continue;
      }
      if (v == 2) {
        out.push_back('*');  // %02: wildcard '*'
        continue;
      }
      c = static_cast<char>(v);
    }
    if (keeps_backslash(c)) out.push_back('\\');
    out.push_back(c);
  }
  if (out == "-") return std::string("\\-");  // "%2d": a literal hyphen, not NA
  return out;
}

std::optional<Cpe> parse_uri(std::string_view s) {
  std::string_view body = s.substr(5);  // after "cpe:/"
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i == body.size() || body[i] == ':') {
      parts.push_back(body.substr(start, i - start));
      start = i + 1;
      if (parts.size() > 7) return std::nullopt;
    }
  }
  Cpe c;
  std::string* seven[7] = {&c.part,   &c.vendor,  &c.product, &c.version,
                           &c.update, &c.edition, &c.language};
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::string_view f = parts[k];
    if (k == 5 && !f.empty() && f.front() == '~') {
      // Packed edition: ~edition~sw_edition~target_sw~target_hw~other
      std::vector<std::string_view> packed;
      std::size_t ps = 1;
      for (std::size_t i = 1; i <= f.size(); ++i) {
        if (i == f.size() || f[i] == '~') {
          packed.push_back(f.substr(ps, i - ps));
          ps = i + 1;
        }
      }
      if (packed.size() != 5) return std::nullopt;
      std::string* five[5] = {&c.edition, &c.sw_edition, &c.target_sw, &c.target_hw, &c.other};
      for (std::size_t j = 0; j < 5; ++j) {
        auto v = decode_uri(packed[j]);
        if (!v) return std::nullopt;
        *five[j] = std::move(*v);
      }
      continue;
    }
    auto v = decode_uri(f);
    if (!v) return std::nullopt;
    *seven[k] = std::move(*v);
  }
  if (!valid_part(c.part)) return std::nullopt;
  return c;
}

// A value as a sequence of pattern elements.
enum class El { kChar, kStar, kQone, kQopt };
struct Elem {
  El kind = El::kChar;
  char c = 0;
};

std::vector<Elem> elements(std::string_view v, bool& has_wildcard) {
  std::vector<Elem> out;
  has_wildcard = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      out.push_back({El::kChar, lower(v[++i])});
    } else if (v[i] == '*') {
      out.push_back({El::kStar, 0});
      has_wildcard = true;
    } else if (v[i] == '?') {
      out.push_back({El::kQone, 0});
      has_wildcard = true;
    } else {
      out.push_back({El::kChar, lower(v[i])});
    }
  }
  // Runs of '?' at the start or the end match zero or one character each.
  for (std::size_t i = 0; i < out.size() && out[i].kind == El::kQone; ++i) out[i].kind = El::kQopt;
  for (std::size_t i = out.size();
       i > 0 && (out[i - 1].kind == El::kQone || out[i - 1].kind == El::kQopt); --i)
    out[i - 1].kind = El::kQopt;
  return out;
}

// Iterative dynamic programme over pattern elements: can[j] = the pattern so far matches the
// first j characters of the text.
bool wildcard_match(const std::vector<Elem>& pat, const std::vector<Elem>& text) {
  const std::size_t n = text.size();
  std::vector<char> can(n + 1, 0), next(n + 1, 0);
  can[0] = 1;
  for (const Elem& p : pat) {
    std::fill(next.begin(), next.end(), 0);
    switch (p.kind) {
      case El::kStar: {
        char any = 0;
        for (std::size_t j = 0; j <= n; ++j) {
          any = any || can[j];
          next[j] = any;
        }
        break;
      }
      case El::kQopt:
        for (std::size_t j = 0; j <= n; ++j) next[j] = can[j] || (j > 0 && can[j - 1]);
        break;
      case El::kQone:
        for (std::size_t j = 1; j <= n; ++j) next[j] = can[j - 1];
        break;
      case El::kChar:
        for (std::size_t j = 1; j <= n; ++j) next[j] = can[j - 1] && text[j - 1].c == p.c;
        break;
    }
    can.swap(next);
  }
  return can[n] != 0;
}

}  // namespace

std::optional<Cpe> parse_cpe(std::string_view s) {
  if (s.size() > kMaxCpeLength) return std::nullopt;
  if (istarts_with(s, "cpe:2.3:")) return parse_fs(s);
  if (istarts_with(s, "cpe:/")) return parse_uri(s);
  return std::nullopt;
}

std::string format_cpe(const Cpe& c) {
  std::string out = "cpe:2.3";
  for (const std::string* f : fields(c)) {
    out.push_back(':');
    const std::string& v = *f;
    if (v.empty() || v == "*" || v == "-" || v == "\\-") {
      out += v.empty() ? "*" : v;
      continue;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      char ch = v[i];
      if (ch == '\\' && i + 1 < v.size() && keeps_backslash(v[i + 1])) {
        out.push_back('\\');
        out.push_back(v[++i]);
      } else if (is_alnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '*' || ch == '?') {
        out.push_back(ch);
      } else {
        out.push_back('\\');
        out.push_back(ch);
      }
    }
  }
  return out;
}

bool attr_match(std::string_view source, std::string_view target) {
  if (source.empty() || source == "*") return true;
  if (source == "-") return target == "-";
  if (target.empty() || target == "*" || target == "-") return false;
  if (source.size() > kMaxCpeLength || target.size() > kMaxCpeLength) return false;
  // Fast path (the common case while matching): plain values compare case-insensitively
  // without building element vectors.
  auto plain = [](std::string_view v) { return v.find_first_of("\\*?") == std::string_view::npos; };
  if (plain(source) && plain(target)) {
    if (source.size() != target.size()) return false;
    for (std::size_t i = 0; i < source.size(); ++i)
      if (lower(source[i]) != lower(target[i])) return false;
    return true;
  }
  bool src_wild = false, tgt_wild = false;
  std::vector<Elem> pat = elements(source, src_wild);
  std::vector<Elem> text = elements(target, tgt_wild);
  if (tgt_wild) return false;  // undefined relation in NISTIR 7696
  if (!src_wild) {
    if (pat.size() != text.size()) return false;
    for (std::size_t i = 0; i < pat.size(); ++i)
      if (pat[i].c != text[i].c) return false;
    return true;
  }
  return wildcard_match(pat, text);
}

bool cpe_name_match(const Cpe& criteria, const Cpe& target, bool ignore_version) {
  auto a = fields(criteria);
  auto b = fields(target);
  for (std::size_t k = 0; k < 11; ++k) {
    if (ignore_version && (k == 3 || k == 4)) continue;
    if (!attr_match(*a[k], *b[k])) return false;
  }
  return true;
}

}  // namespace waybill::vuln
