// VEX vocabulary: CycloneDX analysis states/justifications <-> OpenVEX statuses/justifications.
// Header-only because the VEX readers (vuln stage) and the VEX encoders (sbom library) both use
// it and those libraries do not link each other. The full table is in vex.cpp's header comment
// and in docs/vulnerabilities.md ("VEX").
#pragma once

#include <string>
#include <string_view>

namespace waybill::vuln {

inline std::string cdx_state_to_openvex(std::string_view s) {
  if (s == "not_affected" || s == "false_positive") return "not_affected";
  if (s == "resolved" || s == "resolved_with_pedigree") return "fixed";
  if (s == "exploitable") return "affected";
  if (s == "in_triage") return "under_investigation";
  return {};
}

inline std::string cdx_justification_to_openvex(std::string_view j) {
  if (j == "code_not_present") return "vulnerable_code_not_present";
  if (j == "code_not_reachable") return "vulnerable_code_not_in_execute_path";
  if (j == "requires_configuration" || j == "requires_environment")
    return "vulnerable_code_cannot_be_controlled_by_adversary";
  if (j == "requires_dependency") return "component_not_present";
  if (j == "protected_by_compiler" || j == "protected_at_runtime" ||
      j == "protected_at_perimeter" || j == "protected_by_mitigating_control")
    return "inline_mitigations_already_exist";
  return {};
}

inline std::string openvex_status_to_cdx(std::string_view s) {
  if (s == "not_affected") return "not_affected";
  if (s == "fixed") return "resolved";
  if (s == "affected") return "exploitable";
  if (s == "under_investigation") return "in_triage";
  return {};
}

inline std::string openvex_justification_to_cdx(std::string_view j) {
  if (j == "vulnerable_code_not_present") return "code_not_present";
  if (j == "vulnerable_code_not_in_execute_path") return "code_not_reachable";
  if (j == "vulnerable_code_cannot_be_controlled_by_adversary") return "requires_environment";
  if (j == "component_not_present") return "requires_dependency";
  if (j == "inline_mitigations_already_exist") return "protected_by_mitigating_control";
  return {};
}

inline bool is_openvex_status(std::string_view s) {
  return s == "not_affected" || s == "affected" || s == "fixed" || s == "under_investigation";
}

inline bool is_openvex_justification(std::string_view s) {
  return s == "component_not_present" || s == "vulnerable_code_not_present" ||
         s == "vulnerable_code_not_in_execute_path" ||
         s == "vulnerable_code_cannot_be_controlled_by_adversary" ||
         s == "inline_mitigations_already_exist";
}

}  // namespace waybill::vuln
