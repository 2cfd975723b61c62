// libFuzzer: policy YAML parsing and evaluation against a small report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = waybill::policy::parse_policy("fuzz.yaml", text);
  if (!p) return 0;
  waybill::model::Report r;
  waybill::model::Component c;
  c.name = "busybox";
  c.version = "1.35.0";
  c.purl = "pkg:deb/debian/busybox@1.35.0";
  c.licenses = {"GPL-2.0-only AND (MIT OR Apache-2.0)"};
  r.sbom.components.push_back(c);
  (void)waybill::policy::evaluate(*p, r);
  (void)waybill::policy::judge_license(text.substr(0, 512), {"MIT"}, {"GPL-*"});
  return 0;
}
