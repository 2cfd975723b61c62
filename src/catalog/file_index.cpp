#include "catalog/file_index.h"

#include <set>
#include <vector>

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

std::string normalize_path(std::string_view p) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= p.size()) {
    std::size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view part = p.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto part : parts) out.append("/").append(part);
  return out.empty() ? "/" : out;
}

static std::string resolve_link(std::string_view link_path, std::string_view target) {
  // A link can never leave its root: normalisation clamps at "/".
  return normalize_path(!target.empty() && target[0] == '/'
                            ? std::string(target)
                            : dirname_of(link_path) + "/" + std::string(target));
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

namespace {

// Match one path segment against a segment pattern with '*' and '?'.
bool segment_match(std::string_view pat, std::string_view seg) {
  std::size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < seg.size()) {
    if (p < pat.size() && (pat[p] == '?' || pat[p] == seg[i])) {
      ++p;
      ++i;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

std::vector<std::string_view> segments(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find('/', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool match_from(const std::vector<std::string_view>& pat, std::size_t pi,
                const std::vector<std::string_view>& segs, std::size_t si) {
  while (pi < pat.size()) {
    if (pat[pi] == "**") {
      // '**' matches zero or more whole segments.
      for (std::size_t k = si; k <= segs.size(); ++k)
        if (match_from(pat, pi + 1, segs, k)) return true;
      return false;
    }
    if (si >= segs.size() || !segment_match(pat[pi], segs[si])) return false;
    ++pi;
    ++si;
  }
  return si == segs.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(segments(pattern), 0, segments(path), 0);
}

}  // namespace waybill::catalog
