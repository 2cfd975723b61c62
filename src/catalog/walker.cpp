#include "catalog/walker.h"

#include <cstring>

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
  for (const auto& p : opts_.extra_wants) patterns_.push_back(p);
}

static bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

bool looks_like_key_material(std::string_view path, ByteView content) {
  std::string_view text = content.str();
  static constexpr std::string_view kPutty = "PuTTY-User-Key-File-";
  if (text.substr(0, kPutty.size()) == kPutty) return true;
  // One memmem pass for the PEM armour (covers "PRIVATE KEY-----", OpenSSH "openssh-key-v1"
  // which is only ever stored inside "-----BEGIN OPENSSH PRIVATE KEY-----", and certificates).
  static constexpr std::string_view kPem = "-----BEGIN ";
  if (!text.empty() && memmem(text.data(), text.size(), kPem.data(), kPem.size()) != nullptr)
    return true;
  static constexpr std::string_view kDerExt[] = {".der", ".key", ".p8", ".crt", ".cer", ".pem"};
  bool der_name = false;
  for (auto ext : kDerExt) der_name = der_name || ends_with_ci(path, ext);
  if (!der_name || content.size() < 8) return false;
  const std::uint8_t* b = content.data();
  if (b[0] != 0x30) return false;  // SEQUENCE
  std::uint64_t len = 0, hdr = 2;
  if (b[1] < 0x80) {
    len = b[1];
  } else if (b[1] == 0x81) {
    len = b[2];
    hdr = 3;
  } else if (b[1] == 0x82) {
    len = (std::uint64_t{b[2]} << 8) | b[3];
    hdr = 4;
  } else if (b[1] == 0x83) {
    len = (std::uint64_t{b[2]} << 16) | (std::uint64_t{b[3]} << 8) | b[4];
    hdr = 5;
  } else {
    return false;
  }
  std::uint64_t total = hdr + len;
  // The outer SEQUENCE spans the file (a few bytes of trailing padding are tolerated), and the
  // first inner element is a SEQUENCE or an INTEGER (certificates, PKCS#1, PKCS#8, EC keys).
  return total <= content.size() && content.size() - total <= 16 && len >= 2 &&
         (b[hdr] == 0x30 || b[hdr] == 0x02);
}

bool Walker::key_material(std::string_view path, ByteView content) const {
  if (!opts_.key_material || key_material_files_ >= opts_.key_material_max_files) return false;
  if (content.size() > opts_.key_material_max_bytes || looks_like_elf(content)) return false;
  return looks_like_key_material(path, content);
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
  r.uid = e.uid;
  r.gid = e.gid;
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
  if (!e.blob && content.size() <= FileIndex::kMaxRetainedBytes) {
    bool keep = wanted(e.path);
    if (!keep && key_material(e.path, content)) {
      keep = true;
      ++key_material_files_;
    }
    if (keep) {
      r.retained = true;
      r.content.assign(content.str());
    }
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
