// Shared helpers of the firmware unpacker tests: run the real engine over a buffer with the
// built-in registry and record everything the visitor sees.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "support/support.h"
#include "unpack/engine.h"

namespace waybill::test::fw {

using namespace waybill::unpack;

struct Seen {
  VEntry e;
  std::vector<std::uint8_t> content;  // full content up to 4 MiB, else the first 4 MiB
};

class Recorder final : public TreeVisitor {
 public:
  std::vector<Seen> files, dirs, links;
  Status file(const VEntry& e, ByteView c) override {
    Seen s{e, {}};
    s.content.assign(c.begin(), c.begin() + std::min<std::size_t>(c.size(), 4u << 20));
    files.push_back(std::move(s));
    return Status::success();
  }
  Status directory(const VEntry& e) override {
    dirs.push_back({e, {}});
    return Status::success();
  }
  Status link(const VEntry& e) override {
    links.push_back({e, {}});
    return Status::success();
  }
};

inline const UnpackerRegistry& registry() {
  static const UnpackerRegistry r = [] {
    UnpackerRegistry reg;
    register_builtin_unpackers(reg);
    return reg;
  }();
  return r;
}

struct Outcome {
  UnpackReport report;
  Recorder rec;

  const ChunkRecord* chunk(std::string_view format, std::string_view buffer = "",
                           std::optional<std::uint64_t> offset = std::nullopt) const {
    for (const auto& c : report.chunks)
      if (c.format == format && c.buffer == buffer && (!offset || c.offset == *offset)) return &c;
    return nullptr;
  }
  const Seen* file(std::string_view full_path) const {
    for (const auto& f : rec.files)
      if (f.e.full_path() == full_path) return &f;
    return nullptr;
  }
  const Seen* link(std::string_view full_path) const {
    for (const auto& f : rec.links)
      if (f.e.full_path() == full_path) return &f;
    return nullptr;
  }
  std::vector<const Diagnostic*> diags(std::string_view source, Severity s) const {
    std::vector<const Diagnostic*> out;
    for (const auto& d : report.diagnostics.items())
      if (d.source == source && d.severity == s) out.push_back(&d);
    return out;
  }
  std::string dump() const {
    std::string s;
    for (const auto& c : report.chunks)
      s += "chunk " + std::to_string(c.id) + " " + c.format + " buf='" + c.buffer +
           "' off=" + std::to_string(c.offset) + " size=" + std::to_string(c.size) + " " +
           c.status + " " + c.error + "\n";
    for (const auto& f : rec.files)
      s += std::string(f.e.blob ? "blob " : "file ") + f.e.full_path() + " " +
           std::to_string(f.e.size) + "\n";
    for (const auto& d : report.diagnostics.items()) s += "diag " + d.to_string() + "\n";
    return s;
  }
};

inline Outcome unpack(ByteView data, const std::string& name, UnpackOptions opts = {}) {
  Outcome r;
  Engine eng(registry(), opts);
  r.report = eng.run(data, name, r.rec);
  return r;
}

inline std::string info(const ChunkRecord& c, std::string_view key) {
  for (const auto& [k, v] : c.info)
    if (k == key) return v;
  return "<missing " + std::string(key) + ">";
}

inline bool has_squashfs() {
  return registry().find("squashfs") != nullptr;
}

inline std::string text(const std::vector<std::uint8_t>& v, std::size_t off, std::size_t n) {
  if (off >= v.size()) return {};
  return std::string(v.begin() + static_cast<std::ptrdiff_t>(off),
                     v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), off + n)));
}

}  // namespace waybill::test::fw

#define WAYBILL_FW_FIXTURE(var, name) \
  WAYBILL_REQUIRE_FIXTURE(var, std::string("firmware/") + (name))
