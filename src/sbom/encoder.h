// SBOM writers, one per format (sbom/<family>/<format>.cpp), listed in sbom/builtin.cpp.
#pragma once

#include <ostream>
#include <string_view>

#include "core/registry.h"
#include "core/result.h"
#include "model/report.h"

namespace waybill::sbom {

class Encoder {
 public:
  virtual ~Encoder() = default;
  // id is the -o token: "cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tag-value", "json"
  virtual const Descriptor& describe() const = 0;
  virtual std::string_view file_extension() const = 0;  // ".cdx.json", ".spdx.json" ...
  // Encoders that write only an SBOM read report.sbom; others add findings, checks, trust.
  virtual Status encode(const model::Report& report, std::ostream& out) const = 0;
};

using EncoderRegistry = Registry<Encoder>;
void register_builtin_encoders(EncoderRegistry& r);

}  // namespace waybill::sbom
