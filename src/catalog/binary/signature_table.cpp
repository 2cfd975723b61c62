// PLACEHOLDER: replaced by the real implementation (Vectorscan + RE2).
#include "catalog/binary/signature_table.h"

namespace waybill::catalog {
struct SignatureScanner::Impl {};
Result<SignatureTable> SignatureTable::parse(std::string_view) { return SignatureTable{}; }
const SignatureTable& SignatureTable::builtin() {
  static SignatureTable t;
  return t;
}
SignatureScanner::SignatureScanner(const SignatureTable& t) : table_(t) {}
SignatureScanner::~SignatureScanner() = default;
Status SignatureScanner::compile() { return Status::success(); }
std::vector<SignatureHit> SignatureScanner::scan(ByteView, std::string_view) const { return {}; }
}  // namespace waybill::catalog
