#include "unpack/manifest.h"

namespace waybill::unpack {

nlohmann::json diagnostics_json(const std::vector<Diagnostic>& ds) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& d : ds) {
    nlohmann::json j = {{"severity", severity_name(d.severity)},
                        {"code", errc_name(d.code)},
                        {"source", d.source},
                        {"file", d.file},
                        {"message", d.message}};
    if (d.offset) j["offset"] = *d.offset;
    a.push_back(std::move(j));
  }
  return a;
}

nlohmann::json manifest_json(const UnpackReport& r, const std::string& output_dir) {
  nlohmann::json chunks = nlohmann::json::array();
  for (const auto& c : r.chunks) {
    nlohmann::json j = {{"id", c.id},
                        {"parent", c.parent < 0 ? nlohmann::json(nullptr) : nlohmann::json(c.parent)},
                        {"buffer", c.buffer.empty() ? r.input : c.buffer},
                        {"format", c.format},
                        {"offset", c.offset},
                        {"size", c.size},
                        {"end", c.offset + c.size},
                        {"depth", c.depth},
                        {"status", c.status}};
    if (c.confidence) j["confidence"] = c.confidence;
    if (!c.description.empty()) j["description"] = c.description;
    if (!c.info.empty()) {
      nlohmann::json info = nlohmann::json::object();
      for (const auto& [k, v] : c.info) info[k] = v;
      j["info"] = std::move(info);
    }
    if (!c.extract_root.empty()) {
      j["extracted_to"] = c.extract_root;
      j["entries"] = c.entries;
      j["bytes"] = c.bytes;
    }
    if (!c.error.empty()) j["error"] = c.error;
    chunks.push_back(std::move(j));
  }
  nlohmann::json m = {{"input", r.input},
                      {"input_size", r.input_size},
                      {"output_dir", output_dir},
                      {"chunks", std::move(chunks)},
                      {"totals",
                       {{"entries", r.total_entries},
                        {"bytes", r.total_bytes},
                        {"skipped_special_files", r.skipped_special},
                        {"refused_unsafe", r.refused_unsafe},
                        {"seconds", r.seconds}}},
                      {"limit_hit", r.limit_hit},
                      {"diagnostics", diagnostics_json(r.diagnostics.items())}};
  return m;
}

}  // namespace waybill::unpack
