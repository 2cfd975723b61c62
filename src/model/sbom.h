// The inventory of one target: what the SBOM encoders write.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "model/component.h"

namespace waybill::model {

struct Relationship {
  std::string from;  // bom_ref
  std::string to;    // bom_ref
  std::string type;  // "depends-on", "contains"
};

struct ToolInfo {
  std::string name = "waybill";
  std::string version;
};

struct Sbom {
  Target target;
  ToolInfo tool;
  std::string timestamp;    // RFC 3339 UTC, e.g. "2026-11-24T22:00:00Z"
  std::string serial;       // "urn:uuid:..."
  std::vector<Component> components;  // includes kernel and operating-system components
  std::vector<Relationship> relationships;
  std::vector<OperatingSystem> operating_systems;
  std::vector<Diagnostic> diagnostics;  // unknowns / problems while reading the target
};

}  // namespace waybill::model
