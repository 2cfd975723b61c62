// OSV records written as YAML (google/oss-fuzz-vulns `vulns/<project>/OSV-*.yaml`): converted
// to JSON (yaml-cpp -> nlohmann) and read by the OSV importer. Scalars stay strings (so
// timestamps keep their text), except plain true/false/null.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "vuln/db/internal.h"

namespace waybill::vuln::db {
namespace {

constexpr int kMaxDepth = 64;

bool to_json(const YAML::Node& n, nlohmann::json& out, int depth) {
  if (depth > kMaxDepth) return false;
  switch (n.Type()) {
    case YAML::NodeType::Map:
      out = nlohmann::json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) return false;
        if (!to_json(kv.second, out[kv.first.Scalar()], depth + 1)) return false;
      }
      return true;
    case YAML::NodeType::Sequence:
      out = nlohmann::json::array();
      for (const auto& x : n) {
        out.push_back(nullptr);
        if (!to_json(x, out.back(), depth + 1)) return false;
      }
      return true;
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      bool plain = n.Tag() != "!";
      if (plain && (s == "true" || s == "false")) {
        out = s == "true";
      } else if (plain && (s == "null" || s == "~")) {
        out = nullptr;
      } else {
        out = s;
      }
      return true;
    }
    default:
      out = nullptr;
      return true;
  }
}

bool has_line(std::string_view text, std::string_view prefix) {
  if (text.starts_with(prefix)) return true;
  return text.find("\n" + std::string(prefix)) != std::string_view::npos;
}

}  // namespace

bool osv_yaml_accepts(std::string_view text) {
  return has_line(text, "id: ") && has_line(text, "modified: ");
}

void osv_yaml_read(std::string_view text, Sink& sink) {
  nlohmann::json j;
  std::string text_json;
  try {  // yaml-cpp reports errors by exceptions; none leaves this function
    YAML::Node root = YAML::Load(std::string(text));
    if (!to_json(root, j, 0)) return sink.issue({}, "OSV YAML: unsupported structure or too deep");
    text_json = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return sink.issue({}, std::string("OSV YAML: ") + e.what());
  }
  simdjson::padded_string json(text_json);
  simdjson::dom::parser parser;
  simdjson::dom::element v;
  if (auto err = parser.parse(json).get(v); err)
    return sink.issue({}, std::string("OSV YAML: ") + simdjson::error_message(err));
  if (!osv_accepts(v)) {
    std::string id =
        j.is_object() && j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
    return sink.issue(id, "OSV YAML: not an OSV record");
  }
  osv_read(v, sink);
}

}  // namespace waybill::vuln::db
