// libFuzzer harness for the kernel/config check: the input is the retained content of
// /proc/config.gz (plain text, gzip or a kernel image with an IKCONFIG blob are all tried by
// read_kernel_config), then the check runs over a one-file index. Also runs elf/hardening and the
// fs checks over the same record with read_elf facts, which exercises the ELF hardening reader.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "catalog/elf/elf_reader.h"
#include "checks/check.h"
#include "checks/kernel_config.h"

namespace waybill::checks {
std::unique_ptr<Check> make_elf_hardening_check();
std::unique_ptr<Check> make_fs_world_writable_check();
std::unique_ptr<Check> make_fs_setuid_check();
std::unique_ptr<Check> make_kernel_config_check();
}  // namespace waybill::checks

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waybill;
  catalog::FileIndex idx;
  catalog::FileRecord r;
  r.root = "/";
  r.path = "/proc/config.gz";
  r.mode = size > 0 ? (data[0] | 04000u) & 07777u : 0;
  r.retained = true;
  r.content.assign(reinterpret_cast<const char*>(data), size);
  r.size = size;
  r.elf = catalog::read_elf(ByteView(data, size));
  idx.add(std::move(r));
  for (auto make : {checks::make_kernel_config_check, checks::make_elf_hardening_check,
                    checks::make_fs_world_writable_check, checks::make_fs_setuid_check}) {
    checks::CheckOutput out;
    make()->run(idx, checks::CheckOptions{}, out);
  }
  return 0;
}
