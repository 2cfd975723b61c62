// Record codec and CVSS scoring used by the vulnerability database (and its tests).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "vuln/model.h"

namespace waybill::vuln::db {

// Compact binary form of a VulnRecord as stored in records.data (codec.cpp); decode is
// bounds-checked and rejects truncated or trailing bytes.
std::string encode_record(const VulnRecord& r);
Result<VulnRecord> decode_record(ByteView data);

// Base score of a CVSS 3.0/3.1 vector ("CVSS:3.1/AV:N/..."), per the FIRST specification;
// nullopt when it is not a complete, valid 3.x base vector (cvss.cpp).
std::optional<double> cvss3_base_score(std::string_view vector);
// Qualitative rating of a 3.x/4.0 score: "CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE".
std::string cvss_severity(double score);

}  // namespace waybill::vuln::db
