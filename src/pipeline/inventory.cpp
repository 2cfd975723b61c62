#include "pipeline/inventory.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "catalog/binary/signature_table.h"
#include "catalog/cataloger.h"
#include "catalog/merge.h"
#include "catalog/walker.h"
#include "core/hash.h"
#include "core/mapped_file.h"
#include "core/sandbox.h"
#include "unpack/disk_writer.h"

namespace waybill::pipeline {

std::string rfc3339_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string random_uuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    auto n = static_cast<unsigned long long>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    for (int i = 0; i < 16; ++i) b[i] = static_cast<unsigned char>(n >> ((i % 8) * 8));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char s[37];
  std::snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15]);
  return s;
}

namespace {

const unpack::UnpackerRegistry& unpackers() {
  static const unpack::UnpackerRegistry r = [] {
    unpack::UnpackerRegistry reg;
    unpack::register_builtin_unpackers(reg);
    return reg;
  }();
  return r;
}

const catalog::CatalogerRegistry& catalogers() {
  static const catalog::CatalogerRegistry r = [] {
    catalog::CatalogerRegistry reg;
    catalog::register_builtin_catalogers(reg);
    return reg;
  }();
  return r;
}

// SHA-256 of a mapped image in 64 MiB steps, giving the pages back after each step.
std::string sha256_releasing(const MappedFile& m) {
  ByteView v = m.view();
  Sha256 h;
  constexpr std::uint64_t kStep = 64ull << 20;
  for (std::uint64_t off = 0; off < v.size(); off += kStep) {
    h.update(v.sub(off, kStep));
    if (v.size() > kStep) m.release_pages();
  }
  return h.hex_final();
}

}  // namespace

Result<Inventory> build_inventory(const std::string& target, const InventoryOptions& opts) {
  namespace fs = std::filesystem;
  Inventory inv;
  inv.index = std::make_unique<catalog::FileIndex>();
  std::error_code ec;
  bool is_dir = fs::is_directory(target, ec);
  if (!is_dir && !fs::exists(target, ec)) {
    return Error(Errc::io, "'" + target + "' does not exist");
  }

  const catalog::SignatureTable& table = catalog::SignatureTable::builtin();
  catalog::SignatureScanner scanner(table);
  if (auto st = scanner.compile(opts.cache_dir); !st) return st.error();

  Progress prog;
  catalog::WalkOptions wopts;
  wopts.signatures = opts.signatures;
  wopts.extra_wants = opts.extra_wants;
  wopts.key_material = opts.key_material;
  std::optional<MappedFile> mapped;
  std::uint64_t released_at = 0;
  wopts.progress = [&](std::uint64_t bytes, std::uint64_t files) {
    // The input image is mapped, and every page read so far counts as resident memory; on a
    // large image give the pages back every 32 MiB of analysed content.
    if (mapped && bytes - released_at > (32ull << 20)) {
      mapped->release_pages();
      released_at = bytes;
    }
    if (opts.progress) {
      prog.bytes_done = bytes;
      prog.files_done = files;
      prog.stage = "unpack+catalog";
      opts.progress(prog);
    }
  };
  catalog::Walker walker(catalogers(), &scanner, *inv.index, wopts);
  unpack::UnpackOptions uopts = opts.unpack;
  uopts.after_input_scan = [&] {
    if (mapped) mapped->release_pages();
  };
  unpack::Engine engine(unpackers(), uopts);

  model::Target& tgt = inv.sbom.target;
  tgt.name = fs::path(target).filename().string();
  if (tgt.name.empty()) tgt.name = target;
  if (is_dir) {
    tgt.kind = "directory";
    inv.unpack = engine.run_directory(target, walker);
  } else {
    auto m = MappedFile::open(target);
    if (!m) return m.error();
    mapped.emplace(std::move(m.value()));
    tgt.kind = "image";
    tgt.size = mapped->view().size();
    prog.input_size = tgt.size;
    tgt.sha256 = sha256_releasing(*mapped);
    inv.unpack = engine.run(mapped->view(), tgt.name, walker);
  }

  // Catalogers run once over the finished index.
  std::vector<model::Component> found;
  std::vector<Diagnostic> diags = inv.unpack.diagnostics.items();
  for (const auto& c : catalogers().all()) {
    catalog::CatalogOutput out;
    try {
      c->catalog(*inv.index, out);
    } catch (const std::exception& ex) {
      out.diagnostics.add(Severity::error, Errc::internal, std::string(c->describe().id), "",
                          std::nullopt, std::string("cataloger failed: ") + ex.what());
    }
    for (auto& comp : out.components) found.push_back(std::move(comp));
    for (auto& os : out.operating_systems) inv.sbom.operating_systems.push_back(std::move(os));
    for (auto& d : out.diagnostics.items()) diags.push_back(std::move(d));
  }
  if (opts.progress) {
    prog.stage = "merge";
    opts.progress(prog);
  }
  auto merged = catalog::merge_components(std::move(found), *inv.index);
  inv.sbom.components = std::move(merged.components);
  inv.sbom.relationships = std::move(merged.relationships);
  inv.sbom.diagnostics = std::move(diags);
  inv.sbom.tool.version = opts.tool_version;
  inv.sbom.timestamp = rfc3339_now();
  inv.sbom.serial = "urn:uuid:" + random_uuid();
  return inv;
}

Result<unpack::UnpackReport> unpack_to_directory(const std::string& image,
                                                 const std::string& out_dir,
                                                 const unpack::UnpackOptions& opts, bool force) {
  auto m = MappedFile::open(image);
  if (!m) return m.error();
  auto dir = SandboxDir::open(out_dir, force);
  if (!dir) return dir.error();
  unpack::DiskWriter writer(*dir);
  unpack::UnpackOptions o = opts;
  unpack::Engine engine(unpackers(), o);
  std::string name = std::filesystem::path(image).filename().string();
  unpack::UnpackReport r = engine.run(m->view(), name, writer);
  for (const auto& d : writer.diagnostics().items()) r.diagnostics.add(d);
  r.refused_unsafe += writer.refused();
  return r;
}

}  // namespace waybill::pipeline
