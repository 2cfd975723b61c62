// libFuzzer harness for the SBOM readers (sbom/input). The first byte picks the reader (so each
// one is fuzzed even when the content would not be detected as its format); byte values above 3
// use the content detection of parse_sbom.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/input/input.h"
#include "sbom/input/internal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waybill;
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 0:
      (void)sbom::inputdetail::read_cyclonedx_json("fuzz", text);
      break;
    case 1:
      (void)sbom::inputdetail::read_cyclonedx_xml("fuzz", text);
      break;
    case 2:
      (void)sbom::inputdetail::read_spdx_json("fuzz", text);
      break;
    case 3:
      (void)sbom::inputdetail::read_spdx_tag_value("fuzz", text);
      break;
    default:
      (void)sbom::parse_sbom("fuzz", text);
      break;
  }
  (void)sbom::looks_like_sbom(ByteView(text));
  return 0;
}
