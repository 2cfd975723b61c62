#include "catalog/pkgdb/deb_version.h"

#include <array>

namespace waybill::catalog {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string_view lower_prefix_match(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return {};
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return {};
  }
  return s.substr(word.size());
}

// Length of a repack marker starting at s[0] (one of ".+~"), or 0 when s does not start with
// one. A marker is the separator, a keyword and an optional number: "+dfsg2", ".ds", "~repack1".
std::size_t repack_marker(std::string_view s) {
  static constexpr std::array<std::string_view, 5> kWords = {"dfsg", "ds", "repack", "nmu",
                                                             "debian"};
  if (s.empty() || (s[0] != '.' && s[0] != '+' && s[0] != '~')) return 0;
  for (auto w : kWords) {
    std::string_view rest = lower_prefix_match(s.substr(1), w);
    if (rest.data() == nullptr) continue;
    std::size_t n = 1 + w.size();
    // "+ds" must not eat "+dsp1.2" etc.: only digits, '.' + digits, or end may follow.
    std::size_t j = 0;
    while (j < rest.size() && (is_digit(rest[j]) || rest[j] == '.')) ++j;
    if (j < rest.size() && is_alnum(rest[j])) continue;
    return n + j;
  }
  return 0;
}

// "+debNNuM" / "~debNNuM" (stable update) and "+bN" (binNMU) for native packages.
bool is_native_update_marker(std::string_view s) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '~')) return false;
  std::string_view r = s.substr(1);
  if (r[0] == 'b') {
    r.remove_prefix(1);
    if (r.empty()) return false;
    for (char c : r)
      if (!is_digit(c)) return false;
    return true;
  }
  if (r.substr(0, 3) != "deb") return false;
  r.remove_prefix(3);
  std::size_t i = 0;
  while (i < r.size() && is_digit(r[i])) ++i;
  if (i == 0) return false;
  if (i == r.size()) return true;
  if (r[i] != 'u') return false;
  for (++i; i < r.size(); ++i)
    if (!is_digit(r[i]) && r[i] != '.') return false;
  return true;
}

}  // namespace

std::optional<DebVersion> parse_deb_version(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.empty() || v.size() > 256) return std::nullopt;
  DebVersion d;
  auto colon = v.find(':');
  if (colon != std::string_view::npos) {
    d.epoch = v.substr(0, colon);
    if (d.epoch.empty()) return std::nullopt;
    for (char c : d.epoch)
      if (!is_digit(c)) return std::nullopt;
    v.remove_prefix(colon + 1);
  }
  auto dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    d.revision = v.substr(dash + 1);
    v = v.substr(0, dash);
    if (d.revision.empty()) return std::nullopt;
  }
  if (v.empty() || !is_alnum(v[0])) return std::nullopt;
  for (char c : v)
    if (!is_alnum(c) && c != '.' && c != '+' && c != '~' && c != '-' && c != ':' && c != '_')
      return std::nullopt;
  d.upstream = v;
  return d;
}

std::string strip_repack_suffix(std::string_view up) {
  // "+really": the version after it is what the package really contains.
  for (std::string_view key : {"+really", "~really", ".really"}) {
    auto p = up.find(key);
    if (p != std::string_view::npos && p + key.size() < up.size() && is_digit(up[p + key.size()]))
      up = up.substr(p + key.size());
  }
  std::string out;
  out.reserve(up.size());
  for (std::size_t i = 0; i < up.size();) {
    std::size_t n = repack_marker(up.substr(i));
    if (n > 0) {
      i += n;
      continue;
    }
    out.push_back(up[i++]);
  }
  // Native packages carry stable-update / binNMU markers in the only version part they have.
  for (bool changed = true; changed;) {
    changed = false;
    auto p = out.find_last_of("+~");
    if (p != std::string::npos && p > 0 &&
        is_native_update_marker(std::string_view(out).substr(p))) {
      out.resize(p);
      changed = true;
    }
  }
  while (!out.empty() && (out.back() == '.' || out.back() == '+' || out.back() == '~'))
    out.pop_back();
  return out.empty() ? std::string(up) : out;
}

std::string upstream_version(std::string_view v) {
  auto d = parse_deb_version(v);
  if (!d) return std::string(v);
  return strip_repack_suffix(d->upstream);
}

}  // namespace waybill::catalog
