#include "core/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace waybill {

Result<MappedFile> MappedFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(Errc::io, "cannot open '" + path + "': " + std::strerror(errno));
  struct stat sb;
  if (::fstat(fd, &sb) != 0) {
    int e = errno;
    ::close(fd);
    return Error(Errc::io, "cannot stat '" + path + "': " + std::strerror(e));
  }
  if (!S_ISREG(sb.st_mode)) {
    ::close(fd);
    return Error(Errc::io, "'" + path + "' is not a regular file");
  }
  if (sb.st_size == 0) {
    ::close(fd);
    return MappedFile(nullptr, 0);
  }
  void* a = ::mmap(nullptr, static_cast<std::size_t>(sb.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  int e = errno;
  ::close(fd);
  if (a == MAP_FAILED) return Error(Errc::io, "cannot map '" + path + "': " + std::strerror(e));
  ::madvise(a, static_cast<std::size_t>(sb.st_size), MADV_SEQUENTIAL);
  return MappedFile(a, static_cast<std::size_t>(sb.st_size));
}

MappedFile::MappedFile(MappedFile&& o) noexcept : addr_(o.addr_), size_(o.size_) {
  o.addr_ = nullptr;
  o.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    if (addr_) ::munmap(addr_, size_);
    addr_ = o.addr_;
    size_ = o.size_;
    o.addr_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

void MappedFile::release_pages() const {
  if (addr_) ::madvise(addr_, size_, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (addr_) ::munmap(addr_, size_);
}

}  // namespace waybill
