// CPE names: parse, format, re-parse; the re-parsed name must format identically; attr_match on the
// raw halves must not crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cpe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto c = waybill::vuln::parse_cpe(in)) {
    std::string f = waybill::vuln::format_cpe(*c);
    auto again = waybill::vuln::parse_cpe(f);
    if (!again || waybill::vuln::format_cpe(*again) != f) std::abort();
  }
  (void)waybill::vuln::attr_match(in.substr(0, size / 2), in.substr(size / 2));
  return 0;
}
