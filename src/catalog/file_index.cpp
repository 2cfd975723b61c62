#include "catalog/file_index.h"

#include <set>

namespace waybill::catalog {

std::size_t FileIndex::add(FileRecord r) {
  std::size_t i = files_.size();
  by_path_.emplace(r.path, i);
  files_.push_back(std::move(r));
  return i;
}

std::vector<const FileRecord*> FileIndex::find(std::string_view path) const {
  std::vector<const FileRecord*> out;
  auto [b, e] = by_path_.equal_range(std::string(path));
  for (auto it = b; it != e; ++it) out.push_back(&files_[it->second]);
  return out;
}

static std::string dirname_of(std::string_view p) {
  auto s = p.rfind('/');
  return s == std::string_view::npos || s == 0 ? "/" : std::string(p.substr(0, s));
}

static std::string resolve_link(std::string_view link_path, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/'
                           ? std::string(target)
                           : dirname_of(link_path) + "/" + std::string(target);
  // lexical normalisation that clamps at the root (a link can never leave its root)
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i <= joined.size()) {
    std::size_t j = joined.find('/', i);
    if (j == std::string::npos) j = joined.size();
    std::string part = joined.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

const FileRecord* FileIndex::lookup(std::string_view root, std::string_view path) const {
  std::string cur(path);
  for (int hops = 0; hops < 16; ++hops) {
    const FileRecord* hit = nullptr;
    auto [b, e] = by_path_.equal_range(cur);
    for (auto it = b; it != e; ++it)
      if (files_[it->second].root == root) hit = &files_[it->second];
    if (!hit) return nullptr;
    if (hit->type != unpack::EntryType::symlink) return hit;
    cur = resolve_link(cur, hit->link_target);
  }
  return nullptr;
}

std::vector<std::string> FileIndex::roots() const {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const auto& f : files_)
    if (!f.blob && seen.insert(f.root).second) out.push_back(f.root);
  return out;
}

bool glob_match(std::string_view pat, std::string_view s) {
  // Iterative matcher with backtracking for '*' (single segment) and '**' (any).
  std::size_t p = 0, i = 0;
  std::size_t star_p = std::string_view::npos, star_i = 0;
  bool star_deep = false;
  while (i < s.size()) {
    if (p + 1 < pat.size() && pat[p] == '*' && pat[p + 1] == '*') {
      star_p = p + 2;
      star_i = i;
      star_deep = true;
      p += 2;
      if (p < pat.size() && pat[p] == '/') ++p, star_p = p;
    } else if (p < pat.size() && pat[p] == '*') {
      star_p = ++p;
      star_i = i;
      star_deep = false;
    } else if (p < pat.size() && (pat[p] == '?' ? s[i] != '/' : pat[p] == s[i])) {
      ++p;
      ++i;
    } else if (star_p != std::string_view::npos && (star_deep || s[star_i] != '/')) {
      p = star_p;
      i = ++star_i;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace waybill::catalog
