// Test helpers shared by the tests of the document writers: the built-in encoder registry, one
// call to encode a report, and the source tree (for tools/validate).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#include "model/report.h"
#include "sbom/encoder.h"

namespace waybill::test {

inline sbom::EncoderRegistry& encoder_registry() {
  static sbom::EncoderRegistry r = [] {
    sbom::EncoderRegistry x;
    sbom::register_builtin_encoders(x);
    return x;
  }();
  return r;
}

// The encoder's output; a missing encoder or an encoding error fails the calling test.
inline std::string encode_report(std::string_view id, const model::Report& r) {
  const sbom::Encoder* e = encoder_registry().find(id);
  EXPECT_NE(e, nullptr) << id;
  if (!e) return {};
  std::ostringstream out;
  Status st = e->encode(r, out);
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().to_string());
  return out.str();
}

// $WAYBILL_SOURCE_DIR, else the checkout this test was compiled from.
inline std::filesystem::path source_tree() {
  const char* env = std::getenv("WAYBILL_SOURCE_DIR");
  return env && *env ? std::filesystem::path(env)
                     : std::filesystem::path(WAYBILL_SOURCE_DIR_DEFAULT);
}

inline std::string shell_quote(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

}  // namespace waybill::test
