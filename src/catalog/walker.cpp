#include "catalog/walker.h"

#include "catalog/elf/elf_reader.h"
#include "core/hash.h"

namespace waybill::catalog {

std::string sha256_hex(ByteView data) {
  Sha256 h;
  h.update(data);
  return h.hex_final();
}

Walker::Walker(const CatalogerRegistry& catalogers, const SignatureScanner* scanner,
               FileIndex& index, WalkOptions opts)
    : scanner_(scanner), index_(index), opts_(std::move(opts)) {
  for (const auto& c : catalogers.all())
    for (auto p : c->wants()) patterns_.push_back(p);
}

bool Walker::wanted(std::string_view path) const {
  for (auto p : patterns_)
    if (glob_match(p, path)) return true;
  return false;
}

static FileRecord base_record(const unpack::VEntry& e) {
  FileRecord r;
  r.root = e.root;
  r.path = e.path;
  r.type = e.type;
  r.mode = e.mode;
  r.size = e.size;
  r.link_target = e.link_target;
  r.blob = e.blob;
  return r;
}

Status Walker::file(const unpack::VEntry& e, ByteView content) {
  FileRecord r = base_record(e);
  r.size = content.size();
  if (opts_.hash) r.sha256 = sha256_hex(content);
  if (opts_.elf && looks_like_elf(content)) r.elf = read_elf(content);
  if (opts_.signatures && scanner_) r.hits = scanner_->scan(content, e.path);
  if (!e.blob && content.size() <= FileIndex::kMaxRetainedBytes && wanted(e.path)) {
    r.retained = true;
    r.content.assign(content.str());
  }
  index_.add(std::move(r));
  bytes_ += content.size();
  ++files_;
  if (opts_.progress) opts_.progress(bytes_, files_);
  return Status::success();
}

Status Walker::directory(const unpack::VEntry& e) {
  index_.add(base_record(e));
  return Status::success();
}

Status Walker::link(const unpack::VEntry& e) {
  index_.add(base_record(e));
  return Status::success();
}

}  // namespace waybill::catalog
