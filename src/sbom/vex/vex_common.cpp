// Shared by the two VEX encoders: the statement for one finding and the document identity.
#include <openssl/sha.h>

#include <array>

#include "sbom/common.h"
#include "sbom/vex/vex_encoders.h"

namespace waybill::sbom::vexout {

Statement statement_for(const vuln::Finding& f) {
  Statement s;
  if (f.vex && !f.vex->status.empty()) {
    s.status = f.vex->status;
    s.justification = f.vex->justification;
    s.impact = f.vex->impact;
    s.action = f.vex->action;
  } else {
    s.status = "affected";
  }
  if (s.status == "not_affected" && s.justification.empty() && s.impact.empty())
    s.impact =
        "Not affected" +
        (f.vex && !f.vex->document.empty() ? " according to " + f.vex->document : std::string());
  if (s.status == "affected" && s.action.empty()) {
    std::string who = f.component_name.empty() ? "the component" : f.component_name;
    s.action = !f.fixed_version.empty()
                   ? "Update " + who + " to version " + f.fixed_version + " or later."
                   : "No fixed version is known; apply the supplier's guidance or mitigate.";
  }
  return s;
}

const model::Component* component_of(const model::Report& r, const vuln::Finding& f) {
  if (f.component_ref.empty()) return nullptr;
  for (const auto& c : r.sbom.components)
    if (c.bom_ref == f.component_ref) return &c;
  return nullptr;
}

std::string document_uuid(const model::Report& r, std::string_view kind) {
  std::string seed(kind);
  seed += '\n' + detail::document_uuid(r.sbom) + '\n';
  for (const auto& f : r.findings) {
    Statement s = statement_for(f);
    seed += f.id + '\t' + f.component_ref + '\t' + s.status + '\t' + s.justification + '\n';
  }
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), d.data());
  d[6] = static_cast<unsigned char>((d[6] & 0x0f) | 0x50);
  d[8] = static_cast<unsigned char>((d[8] & 0x3f) | 0x80);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[d[i] >> 4];
    out += hex[d[i] & 15];
  }
  return out;
}

}  // namespace waybill::sbom::vexout
