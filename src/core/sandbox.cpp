#include "core/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace waybill {

namespace {

std::vector<std::string_view> split(std::string_view rel) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= rel.size()) {
    std::size_t j = rel.find('/', i);
    if (j == std::string_view::npos) j = rel.size();
    if (j > i) parts.push_back(rel.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

Error sys_error(const std::string& what, std::string_view path) {
  return Error(Errc::io, what + " '" + std::string(path) + "': " + std::strerror(errno));
}

bool bad_component(std::string_view c) { return c == "." || c == ".." || c.empty(); }

}  // namespace

Result<SandboxDir> SandboxDir::open(const std::string& root, bool allow_existing) {
  if (::mkdir(root.c_str(), 0755) != 0) {
    if (errno != EEXIST) return sys_error("cannot create output directory", root);
    if (!allow_existing) {
      DIR* d = ::opendir(root.c_str());
      if (!d) return sys_error("cannot open output directory", root);
      bool empty = true;
      while (dirent* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
          empty = false;
          break;
        }
      }
      ::closedir(d);
      if (!empty) {
        return Error(Errc::usage, "output directory '" + root + "' is not empty (use --force)");
      }
    }
  }
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open output directory", root);
  return SandboxDir(root, fd);
}

SandboxDir::SandboxDir(SandboxDir&& o) noexcept : root_(std::move(o.root_)), fd_(o.fd_) {
  o.fd_ = -1;
}

SandboxDir::~SandboxDir() {
  if (fd_ >= 0) ::close(fd_);
}

Result<int> SandboxDir::open_parent(std::string_view rel, bool create, std::string* leaf) {
  auto parts = split(rel);
  if (parts.empty()) return Error(Errc::unsafe, "empty path");
  for (auto p : parts)
    if (bad_component(p)) return Error(Errc::unsafe, "path component '" + std::string(p) + "'");
  int cur = ::dup(fd_);
  if (cur < 0) return sys_error("dup", root_);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string name(parts[i]);
    int next = ::openat(cur, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (::mkdirat(cur, name.c_str(), 0755) != 0 && errno != EEXIST) {
        Error e = sys_error("cannot create directory", rel);
        ::close(cur);
        return e;
      }
      next = ::openat(cur, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) {
      // ELOOP / ENOTDIR: a symlink or file sits where a directory is needed. Never follow it.
      Error e = (errno == ELOOP || errno == ENOTDIR)
                    ? Error(Errc::unsafe, "'" + std::string(rel) +
                                              "' would be written through a symlink or file")
                    : sys_error("cannot open directory", rel);
      ::close(cur);
      return e;
    }
    ::close(cur);
    cur = next;
  }
  *leaf = std::string(parts.back());
  return cur;
}

Status SandboxDir::mkdirs(std::string_view rel, std::uint32_t mode) {
  std::string leaf;
  auto parent = open_parent(rel, true, &leaf);
  if (!parent) return parent.error();
  int rc = ::mkdirat(*parent, leaf.c_str(), (mode & 07777) | 0700);
  int err = errno;
  Status st;
  if (rc != 0 && err == EEXIST) {
    struct stat sb;
    if (::fstatat(*parent, leaf.c_str(), &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
      st = Error(Errc::unsafe, "'" + std::string(rel) + "' exists and is not a directory");
  } else if (rc != 0) {
    errno = err;
    st = sys_error("cannot create directory", rel);
  }
  ::close(*parent);
  return st;
}

Status SandboxDir::write_file(std::string_view rel, ByteView content, std::uint32_t mode) {
  std::string leaf;
  auto parent = open_parent(rel, true, &leaf);
  if (!parent) return parent.error();
  // Replace an existing entry (duplicate archive members), but never write through a link.
  struct stat sb;
  if (::fstatat(*parent, leaf.c_str(), &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(sb.st_mode))
    ::unlinkat(*parent, leaf.c_str(), 0);
  // Extracted files never keep setuid/setgid/sticky bits on disk; the manifest records them.
  int fd = ::openat(*parent, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    (mode & 0777) | 0600);
  if (fd < 0) {
    Error e = sys_error("cannot create file", rel);
    ::close(*parent);
    return e;
  }
  const std::uint8_t* p = content.data();
  std::size_t left = content.size();
  Status st;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      st = sys_error("cannot write", rel);
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::close(fd);
  ::close(*parent);
  return st;
}

Status SandboxDir::symlink(std::string_view rel, std::string_view target,
                           std::string_view link_root) {
  if (target.empty() || target.find('\0') != std::string_view::npos)
    return Error(Errc::unsafe, "symlink '" + std::string(rel) + "' has an empty or invalid target");
  // Depth of the link's directory below link_root, to rewrite absolute targets and to check
  // that relative ones stay inside link_root.
  auto root_parts = split(link_root);
  auto rel_parts = split(rel);
  if (rel_parts.size() <= root_parts.size())
    return Error(Errc::unsafe, "symlink '" + std::string(rel) + "' is outside its root");
  std::size_t depth = rel_parts.size() - root_parts.size() - 1;  // dirs between root and link
  std::string final_target;
  if (target[0] == '/') {
    for (std::size_t i = 0; i < depth; ++i) final_target += "../";
    auto tparts = split(target);
    std::vector<std::string_view> norm;
    for (auto t : tparts) {
      if (t == ".") continue;
      if (t == "..") {
        if (!norm.empty()) norm.pop_back();
        continue;
      }
      norm.push_back(t);
    }
    for (std::size_t i = 0; i < norm.size(); ++i) {
      if (i) final_target += "/";
      final_target += norm[i];
    }
    if (final_target.empty() || final_target.back() == '/') final_target += ".";
  } else {
    long level = static_cast<long>(depth);
    for (auto t : split(target)) {
      if (t == "..")
        --level;
      else if (t != ".")
        ++level;
      if (level < 0)
        return Error(Errc::unsafe, "symlink '" + std::string(rel) + "' -> '" +
                                       std::string(target) + "' points outside the extraction root");
    }
    final_target = std::string(target);
  }
  std::string leaf;
  auto parent = open_parent(rel, true, &leaf);
  if (!parent) return parent.error();
  struct stat sb;
  if (::fstatat(*parent, leaf.c_str(), &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(sb.st_mode))
    ::unlinkat(*parent, leaf.c_str(), 0);
  Status st;
  if (::symlinkat(final_target.c_str(), *parent, leaf.c_str()) != 0)
    st = sys_error("cannot create symlink", rel);
  ::close(*parent);
  return st;
}

Status SandboxDir::hardlink(std::string_view rel, std::string_view existing_rel) {
  std::string leaf, src_leaf;
  auto src_parent = open_parent(existing_rel, false, &src_leaf);
  if (!src_parent) return src_parent.error();
  struct stat sb;
  if (::fstatat(*src_parent, src_leaf.c_str(), &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
      !S_ISREG(sb.st_mode)) {
    ::close(*src_parent);
    return Error(Errc::unsafe, "hard link '" + std::string(rel) + "' to '" +
                                   std::string(existing_rel) + "' which is not a regular file");
  }
  auto parent = open_parent(rel, true, &leaf);
  if (!parent) {
    ::close(*src_parent);
    return parent.error();
  }
  Status st;
  if (::linkat(*src_parent, src_leaf.c_str(), *parent, leaf.c_str(), 0) != 0)
    st = sys_error("cannot create hard link", rel);
  ::close(*parent);
  ::close(*src_parent);
  return st;
}

}  // namespace waybill
