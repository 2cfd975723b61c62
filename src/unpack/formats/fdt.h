// Bounds-checked reader for flattened device trees (DTB, and FIT images which are DTBs).
//
// Our own parser rather than libfdt: libfdt-dev is not a dependency yet, and its accessors trust
// the blob unless fdt_check_full() ran first; this reader validates every offset as it walks and
// produces an immutable tree of views into the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace waybill::unpack::fdt {

constexpr std::uint32_t kMagic = 0xd00dfeed;

struct Header {
  std::uint32_t totalsize = 0, off_dt_struct = 0, off_dt_strings = 0, off_mem_rsvmap = 0;
  std::uint32_t version = 0, last_comp_version = 0, boot_cpuid_phys = 0;
  std::uint32_t size_dt_strings = 0, size_dt_struct = 0;
};

struct Property {
  std::string_view name;
  ByteView value;
  std::uint64_t offset = 0;  // of the value, from the start of the FDT
};

struct Node {
  std::string_view name;  // "" for the root, "name@unit" otherwise
  int parent = -1;
  std::vector<int> children;
  std::vector<Property> props;
};

struct Tree {
  Header header;
  std::vector<Node> nodes;  // nodes[0] is the root

  const Node& root() const { return nodes.front(); }
  const Node* child(const Node& n, std::string_view name) const;
  // Absolute path such as "/images"; "/" is the root.
  const Node* find(std::string_view path) const;
  static const Property* prop(const Node& n, std::string_view name);
  // First NUL-terminated string of a string (list) property.
  static std::optional<std::string_view> prop_string(const Node& n, std::string_view name);
  static std::optional<std::uint32_t> prop_u32(const Node& n, std::string_view name);
};

// Parse the FDT that starts at data[0]. Bytes after totalsize are ignored. Errors: truncated when
// totalsize exceeds `data`, corrupt for any inconsistency, limit_exceeded for absurd node counts.
Result<Tree> parse(ByteView data);

}  // namespace waybill::unpack::fdt
