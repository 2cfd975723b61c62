// CVSS v3.0/v3.1 base score from a vector string, per the FIRST specification (section 7.1
// formulas, Appendix A "Roundup" for 3.1). Used for OSV `severity`, which carries only vectors.
//
//   ISS    = 1 - (1-C)(1-I)(1-A)
//   Impact = S:U ? 6.42*ISS : 7.52*(ISS-0.029) - 3.25*(ISS-0.02)^15
//   Expl   = 8.22 * AV * AC * PR * UI          (PR weights depend on Scope)
//   Base   = Impact <= 0 ? 0 : S:U ? Roundup(min(Impact+Expl, 10))
//                                  : Roundup(min(1.08*(Impact+Expl), 10))
#include <cmath>
#include <cstdint>
#include <optional>

#include "vuln/db/internal.h"

namespace waybill::vuln::db {
namespace {

// 3.1 Roundup: smallest number with one decimal >= x, computed on integers to avoid
// floating-point artefacts (e.g. 4.000000001 -> 4.0, not 4.1).
double roundup31(double x) {
  auto i = static_cast<std::int64_t>(std::llround(x * 100000.0));
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000.0) + 1) / 10.0;
}
// 3.0 round up to one decimal.
double roundup30(double x) {
  return std::ceil(x * 10.0 - 1e-9) / 10.0;
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vec) {
  bool v31;
  if (vec.starts_with("CVSS:3.1/")) {
    v31 = true;
  } else if (vec.starts_with("CVSS:3.0/")) {
    v31 = false;
  } else {
    return std::nullopt;
  }
  vec.remove_prefix(9);
  char av = 0, ac = 0, pr = 0, ui = 0, s = 0, c = 0, i = 0, a = 0;
  while (!vec.empty()) {
    auto slash = vec.find('/');
    std::string_view part = vec.substr(0, slash);
    vec = slash == std::string_view::npos ? std::string_view{} : vec.substr(slash + 1);
    auto colon = part.find(':');
    if (colon == std::string_view::npos || colon + 2 != part.size()) {
      if (part.empty()) continue;
      // Temporal/environmental metrics may have longer names or values; ignore them.
      continue;
    }
    std::string_view m = part.substr(0, colon);
    char v = part[colon + 1];
    if (m == "AV")
      av = v;
    else if (m == "AC")
      ac = v;
    else if (m == "PR")
      pr = v;
    else if (m == "UI")
      ui = v;
    else if (m == "S")
      s = v;
    else if (m == "C")
      c = v;
    else if (m == "I")
      i = v;
    else if (m == "A")
      a = v;
  }
  auto cia = [](char x) -> double { return x == 'H' ? 0.56 : x == 'L' ? 0.22 : x == 'N' ? 0 : -1; };
  double wav = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : av == 'P' ? 0.2 : -1;
  double wac = ac == 'L' ? 0.77 : ac == 'H' ? 0.44 : -1;
  double wui = ui == 'N' ? 0.85 : ui == 'R' ? 0.62 : -1;
  if (s != 'U' && s != 'C') return std::nullopt;
  bool changed = s == 'C';
  double wpr = pr == 'N'   ? 0.85
               : pr == 'L' ? (changed ? 0.68 : 0.62)
               : pr == 'H' ? (changed ? 0.5 : 0.27)
                           : -1;
  double wc = cia(c), wi = cia(i), wa = cia(a);
  if (wav < 0 || wac < 0 || wui < 0 || wpr < 0 || wc < 0 || wi < 0 || wa < 0) return std::nullopt;
  double iss = 1 - (1 - wc) * (1 - wi) * (1 - wa);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double expl = 8.22 * wav * wac * wpr * wui;
  if (impact <= 0) return 0.0;
  double raw = changed ? std::min(1.08 * (impact + expl), 10.0) : std::min(impact + expl, 10.0);
  return v31 ? roundup31(raw) : roundup30(raw);
}

std::string cvss_severity(double score) {
  if (score <= 0) return "NONE";
  if (score < 4.0) return "LOW";
  if (score < 7.0) return "MEDIUM";
  if (score < 9.0) return "HIGH";
  return "CRITICAL";
}

}  // namespace waybill::vuln::db
