// Driver for bench/hardening.sh: the ELF hardening checks on an extracted root filesystem (or an
// image), timed the way a user runs them. Two modes:
//   bench_hardening scan DIR|IMAGE   build_inventory (the single walk: hashes, signatures, ELF
//                                    facts) + elf/hardening, fs/setuid, fs/world-writable
//   bench_hardening elf DIR          only what checksec does: read every regular file, ELF facts,
//                                    elf/hardening (no hashing, no signatures)
// Prints one JSON line: files, elf, findings, seconds.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "catalog/elf/elf_reader.h"
#include "checks/check.h"
#include "pipeline/inventory.h"

namespace waybill::checks {
std::unique_ptr<Check> make_elf_hardening_check();
std::unique_ptr<Check> make_fs_world_writable_check();
std::unique_ptr<Check> make_fs_setuid_check();
}  // namespace waybill::checks

using namespace waybill;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_hardening scan|elf DIR|IMAGE\n");
    return 2;
  }
  const std::string mode = argv[1], target = argv[2];
  auto t0 = std::chrono::steady_clock::now();
  catalog::FileIndex local;
  const catalog::FileIndex* index = &local;
  pipeline::Inventory inv;
  if (mode == "scan") {
    auto r = pipeline::build_inventory(target, pipeline::InventoryOptions{});
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      return 3;
    }
    inv = std::move(r.value());
    index = inv.index.get();
  } else {
    std::error_code ec;
    std::vector<char> buf;
    for (auto it = fs::recursive_directory_iterator(target, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
      std::ifstream in(it->path(), std::ios::binary);
      buf.resize(static_cast<std::size_t>(it->file_size(ec)));
      if (ec || !in.read(buf.data(), static_cast<std::streamsize>(buf.size()))) continue;
      catalog::FileRecord rec;
      rec.root = "/";
      rec.path = "/" + fs::relative(it->path(), target, ec).string();
      rec.mode = static_cast<std::uint32_t>(it->status(ec).permissions()) & 07777;
      rec.size = buf.size();
      ByteView v(reinterpret_cast<const std::uint8_t*>(buf.data()), buf.size());
      if (catalog::looks_like_elf(v)) rec.elf = catalog::read_elf(v);
      local.add(std::move(rec));
    }
  }
  std::size_t findings = 0;
  std::vector<std::unique_ptr<checks::Check>> cs;
  cs.push_back(checks::make_elf_hardening_check());
  if (mode == "scan") {
    cs.push_back(checks::make_fs_setuid_check());
    cs.push_back(checks::make_fs_world_writable_check());
  }
  for (const auto& c : cs) {
    checks::CheckOutput out;
    c->run(*index, checks::CheckOptions{}, out);
    findings += out.findings.size();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::size_t elf = 0;
  for (const auto& f : index->files()) elf += f.elf.has_value();
  std::printf("{\"mode\":\"%s\",\"files\":%zu,\"elf\":%zu,\"findings\":%zu,\"seconds\":%.3f}\n",
              mode.c_str(), index->files().size(), elf, findings, secs);
  return 0;
}
