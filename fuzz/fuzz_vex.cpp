// libFuzzer harness for the VEX readers (vuln/vex): parse the input as a VEX document (format by
// content: OpenVEX, CycloneDX, CSAF) and apply whatever it says to a few findings, so that the
// matching code (purls, CPEs, bom-links, timestamps) sees fuzzed statements too.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vuln/vex/purl.h"
#include "vuln/vex/vex.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waybill;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = vuln::parse_vex("fuzz.json", text);
  (void)vuln::rfc3339_seconds(text.substr(0, 64));
  (void)purl::parse_purl(text.substr(0, 256));
  if (!doc.ok()) return 0;
  std::vector<model::Component> comps(2);
  comps[0].bom_ref = "pkg:deb/debian/busybox@1:1.35.0-4?arch=armhf";
  comps[0].name = "busybox";
  comps[0].version = "1.35.0";
  comps[0].package_version = "1:1.35.0-4";
  comps[0].purl = comps[0].bom_ref;
  comps[0].cpes = {"cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"};
  comps[1].bom_ref = "ABC";
  comps[1].name = "ABC";
  comps[1].version = "4.2";
  std::vector<vuln::Finding> findings;
  for (const auto& e : doc->entries) {
    if (findings.size() >= 64) break;
    for (const auto& c : comps) {
      vuln::Finding f;
      f.id = e.id;
      f.aliases = e.aliases;
      f.component_ref = c.bom_ref;
      findings.push_back(std::move(f));
    }
  }
  vuln::apply_vex(std::span<const vuln::VexDocument>(&*doc, 1), findings, comps,
                  "urn:uuid:2c385cf7-e1ee-46e9-a51c-13de1ecb380a");
  return 0;
}
