// Version schemes: the input split at its first NUL (or in half) gives two versions; every
// scheme must compare them without crashing and antisymmetrically, and reflexively.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/version/scheme.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t cut = in.find('\0');
  if (cut == std::string_view::npos) cut = size / 2;
  std::string_view a = in.substr(0, cut);
  std::string_view b = in.substr(cut < size ? cut + 1 : size);
  for (const auto& s : waybill::vuln::version_schemes().all()) {
    int ab = s->compare(a, b), ba = s->compare(b, a);
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) std::abort();
    if (s->compare(a, a) != 0 || s->compare(b, b) != 0) std::abort();
    (void)s->valid(a);
    (void)s->valid(b);
  }
  (void)waybill::vuln::scheme_for_ecosystem(a).compare(a, b);
  return 0;
}
