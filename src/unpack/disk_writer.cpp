#include "unpack/disk_writer.h"

namespace waybill::unpack {

std::string DiskWriter::rel(const std::string& root, const std::string& path) {
  std::string r = root;
  if (!r.empty() && !path.empty() && path[0] != '/') r += '/';
  r += path;
  std::size_t i = 0;
  while (i < r.size() && r[i] == '/') ++i;
  return r.substr(i);
}

Status DiskWriter::handle(Status st, const VEntry& e) {
  if (st.ok()) return st;
  if (st.error().code == Errc::unsafe) {
    ++refused_;
    diags_.add(Severity::warning, Errc::unsafe, "unpack", e.full_path(), std::nullopt,
               st.error().message + "; not written");
    return Status::success();
  }
  if (st.error().code == Errc::io && (st.error().message.find("No space") != std::string::npos ||
                                      st.error().message.find("Read-only") != std::string::npos)) {
    return st;  // the disk is unusable: stop the run
  }
  diags_.add(Severity::warning, st.error().code, "unpack", e.full_path(), std::nullopt,
             st.error().message);
  return Status::success();
}

Status DiskWriter::file(const VEntry& e, ByteView content) {
  return handle(dir_.write_file(rel(e.root, e.path), content, e.mode ? e.mode : 0644), e);
}

Status DiskWriter::directory(const VEntry& e) {
  return handle(dir_.mkdirs(rel(e.root, e.path), e.mode ? e.mode : 0755), e);
}

Status DiskWriter::link(const VEntry& e) {
  if (e.type == EntryType::hardlink)
    return handle(dir_.hardlink(rel(e.root, e.path), rel(e.root, e.link_target)), e);
  return handle(dir_.symlink(rel(e.root, e.path), e.link_target, rel(e.root, "")), e);
}

}  // namespace waybill::unpack
