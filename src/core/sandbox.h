// Writes extracted entries strictly inside one output directory.
//
// Every path is resolved component by component with openat(O_NOFOLLOW | O_DIRECTORY) from a
// directory descriptor of the sandbox root, so a symlink planted earlier by the same (hostile)
// archive can never redirect a later write outside the root. Symlinks are created as links and
// never followed; links whose target would leave the root are refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace waybill {

class SandboxDir {
 public:
  // Creates `root` if needed. The directory must be empty or not exist unless `allow_existing`.
  static Result<SandboxDir> open(const std::string& root, bool allow_existing);
  SandboxDir(SandboxDir&& o) noexcept;
  SandboxDir& operator=(SandboxDir&&) = delete;
  SandboxDir(const SandboxDir&) = delete;
  ~SandboxDir();

  // `rel` is a normalised relative path "a/b/c" (no "..", no leading '/').
  Status mkdirs(std::string_view rel, std::uint32_t mode = 0755);
  Status write_file(std::string_view rel, ByteView content, std::uint32_t mode);
  // `target` is stored verbatim unless it escapes: absolute targets are rewritten relative to
  // `link_root` (the filesystem root the link belongs to, relative to the sandbox); relative
  // targets that climb above `link_root` are refused with Errc::unsafe.
  Status symlink(std::string_view rel, std::string_view target, std::string_view link_root);
  Status hardlink(std::string_view rel, std::string_view existing_rel);
  const std::string& root() const { return root_; }

 private:
  SandboxDir(std::string root, int fd) : root_(std::move(root)), fd_(fd) {}
  // Open (creating when asked) the parent directory of `rel`; returns an fd the caller closes and
  // the final component in *leaf.
  Result<int> open_parent(std::string_view rel, bool create, std::string* leaf);
  std::string root_;
  int fd_ = -1;
};

}  // namespace waybill
