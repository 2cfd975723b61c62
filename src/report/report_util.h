// Helpers shared by the report encoders (SARIF, HTML, table, CycloneDX vulnerabilities, native
// JSON): severity ordering, the wording of a match explanation, component lookup, stable
// fingerprints and the small format conversions every output needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.h"

namespace waybill::report {

// Lowercase severity in a fixed vocabulary: "critical", "high", "medium", "low", "info", "none",
// "unknown" (anything else, including "", is "unknown"; "moderate" is "medium", "warning" is
// "medium", "error" is "high", "note" is "low").
std::string normalize_severity(std::string_view s);
// 5 critical, 4 high, 3 medium, 2 low, 1 info/none, 0 unknown.
int severity_rank(std::string_view s);
// The severities in display order, highest first.
const std::vector<std::string>& severity_order();

// SARIF level for a severity: critical/high -> "error", medium -> "warning", else "note".
std::string_view sarif_level(std::string_view severity);
// A numeric score for a severity without a CVSS score (GitHub's security-severity bands):
// critical 9.5, high 8.0, medium 5.5, low 2.0, else 0.0.
double severity_score(std::string_view severity);

// CycloneDX rating method for a CVSS version: "2.0" -> CVSSv2, "3.0" -> CVSSv3, "3.1" -> CVSSv31,
// "4.0" -> CVSSv4, else "other".
std::string_view cdx_method(std::string_view cvss_version);

// One readable line for one match: "nvd record CVE-2022-28391 (cpe-configuration): criteria
// cpe:2.3:a:busybox:...; range 1.35.0 <= v; comparison 1.35.0 <= 1.35.0 by generic".
std::string explain_match(const vuln::MatchExplanation& m);
// Every match of a finding, joined with "; also " (or "no match explanation recorded").
std::string explain_finding(const vuln::Finding& f);
// "busybox@1.35.0" (or the ref when name is empty).
std::string component_label(const vuln::Finding& f);
// A short description of a VEX statement: "not_affected (vulnerable_code_not_in_execute_path)
// per vex.json [openvex]".
std::string explain_vex(const vuln::VexStatement& v);

// The component a finding names, or nullptr.
const model::Component* find_component(const model::Sbom& sbom, std::string_view bom_ref);
// The file that best evidences a component: its first non-package-DB evidence path, else its
// first file, else the first evidence path (package DB). `root` receives the virtual root.
std::string evidence_path(const model::Component& c, std::string* root = nullptr);

// Findings ordered for display: unsuppressed first, then by risk, severity rank, score, id.
std::vector<const vuln::Finding*> ordered_findings(const std::vector<vuln::Finding>& findings);
// Check findings ordered by severity, check id, path, line.
std::vector<const model::CheckFinding*> ordered_checks(const std::vector<model::CheckFinding>& c);

// A public web page for a vulnerability id (NVD for CVE, GitHub for GHSA, else osv.dev), or "".
std::string vuln_url(std::string_view id);
// Source name of a database source id: "nvd" -> "NVD", "cve5" -> "CVE", "osv*" -> "OSV".
std::string source_name(std::string_view source);

// An RFC 3339 date-time with a zone, from the forms the feeds use ("2022-04-03T21:15:08.207",
// "2024-05-30", "2024-05-30T00:00:00Z"); "" when `s` is none of them.
std::string rfc3339(std::string_view s);

// "CWE-88" -> 88; nullopt for "NVD-CWE-noinfo" and other non-numeric forms.
std::optional<int> cwe_number(std::string_view s);

// A stable hex fingerprint (SHA-256, first 32 hex digits) of the parts joined by '\x1f'.
std::string fingerprint(const std::vector<std::string_view>& parts);

// Percent-encode a path for a URI reference (keeps unreserved characters and '/'); a leading
// '/' is dropped so the result is relative.
std::string relative_uri(std::string_view path);

// Number with up to `digits` decimals, trailing zeros removed ("8.8", "0.00134", "9").
std::string short_number(double v, int digits = 5);

// Severity of a check finding / policy violation / trust verdict as a normalized severity.
std::string check_severity(const model::CheckFinding& c);

}  // namespace waybill::report
