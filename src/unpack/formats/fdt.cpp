#include "unpack/formats/fdt.h"

#include <string>

namespace waybill::unpack::fdt {

namespace {

constexpr std::uint32_t kBeginNode = 1, kEndNode = 2, kProp = 3, kNop = 4, kEnd = 9;
constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxItems = 1u << 20;  // nodes + properties

std::uint64_t align4(std::uint64_t v) {
  return (v + 3) & ~std::uint64_t{3};
}

Error corrupt(std::string msg, std::uint64_t off) {
  return Error(Errc::corrupt, "FDT: " + std::move(msg), off);
}

}  // namespace

const Node* Tree::child(const Node& n, std::string_view name) const {
  for (int c : n.children) {
    const Node& k = nodes[static_cast<std::size_t>(c)];
    if (k.name == name) return &k;
  }
  return nullptr;
}

const Node* Tree::find(std::string_view path) const {
  if (nodes.empty() || path.empty() || path[0] != '/') return nullptr;
  const Node* n = &root();
  std::size_t i = 1;
  while (n && i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) n = child(*n, path.substr(i, j - i));
    i = j + 1;
  }
  return n;
}

const Property* Tree::prop(const Node& n, std::string_view name) {
  for (const auto& p : n.props)
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<std::string_view> Tree::prop_string(const Node& n, std::string_view name) {
  const Property* p = prop(n, name);
  if (!p) return std::nullopt;
  return p->value.cstr(0, p->value.size());
}

std::optional<std::uint32_t> Tree::prop_u32(const Node& n, std::string_view name) {
  const Property* p = prop(n, name);
  if (!p || p->value.size() != 4) return std::nullopt;
  return p->value.be32(0);
}

Result<Tree> parse(ByteView data) {
  Tree t;
  Header& h = t.header;
  Cursor c(data, 0, /*big_endian=*/true);
  if (c.u32() != kMagic || !c.ok()) return Error(Errc::not_this_format, "FDT: no magic");
  h.totalsize = c.u32();
  h.off_dt_struct = c.u32();
  h.off_dt_strings = c.u32();
  h.off_mem_rsvmap = c.u32();
  h.version = c.u32();
  h.last_comp_version = c.u32();
  h.boot_cpuid_phys = c.u32();
  h.size_dt_strings = c.u32();
  if (!c.ok()) return Error(Errc::truncated, "FDT: header truncated", 0);
  if (h.version < 16 || h.last_comp_version > 17 || h.last_comp_version > h.version)
    return corrupt("unsupported version " + std::to_string(h.version), 20);
  std::uint64_t header_size = 36;
  if (h.version >= 17) {
    h.size_dt_struct = c.u32();
    header_size = 40;
    if (!c.ok()) return Error(Errc::truncated, "FDT: header truncated", 0);
  }
  if (h.totalsize < header_size) return corrupt("totalsize smaller than the header", 4);
  if (!data.has(0, h.totalsize))
    return Error(Errc::truncated,
                 "FDT: totalsize " + std::to_string(h.totalsize) + " exceeds the available " +
                     std::to_string(data.size()) + " bytes",
                 4);
  ByteView blob = data.sub(0, h.totalsize);
  if (h.version < 17) {
    if (h.off_dt_struct > h.totalsize) return corrupt("structure block outside the blob", 8);
    h.size_dt_struct = h.totalsize - h.off_dt_struct;
  }
  if (h.off_dt_struct % 4 != 0 || h.off_dt_struct < header_size ||
      !blob.has(h.off_dt_struct, h.size_dt_struct))
    return corrupt("structure block outside the blob", 8);
  if (h.off_dt_strings < header_size || !blob.has(h.off_dt_strings, h.size_dt_strings))
    return corrupt("strings block outside the blob", 12);

  const ByteView strings = blob.sub(h.off_dt_strings, h.size_dt_strings);
  const std::uint64_t sbeg = h.off_dt_struct, send = sbeg + h.size_dt_struct;
  std::vector<int> stack;
  std::size_t items = 0;
  bool done = false, root_closed = false;
  std::uint64_t pos = sbeg;
  while (!done) {
    if (pos + 4 > send) return corrupt("structure block ends without FDT_END", pos);
    const std::uint64_t tok_off = pos;
    std::uint32_t tok = *blob.be32(pos);
    pos += 4;
    switch (tok) {
      case kBeginNode: {
        if (root_closed) return corrupt("second root node", tok_off);
        if (stack.size() >= kMaxDepth) return corrupt("nodes nested too deeply", tok_off);
        if (++items > kMaxItems) return Error(Errc::limit_exceeded, "FDT: too many nodes", tok_off);
        std::string_view rest = blob.str(pos, send - pos);
        auto nul = rest.find('\0');
        if (nul == std::string_view::npos) return corrupt("unterminated node name", pos);
        Node n;
        n.name = rest.substr(0, nul);
        if (stack.empty() && !t.nodes.empty()) return corrupt("second root node", tok_off);
        n.parent = stack.empty() ? -1 : stack.back();
        auto idx = static_cast<int>(t.nodes.size());
        if (n.parent >= 0) t.nodes[static_cast<std::size_t>(n.parent)].children.push_back(idx);
        t.nodes.push_back(std::move(n));
        stack.push_back(idx);
        pos = align4(pos + nul + 1);
        break;
      }
      case kEndNode:
        if (stack.empty()) return corrupt("unbalanced FDT_END_NODE", tok_off);
        stack.pop_back();
        if (stack.empty()) root_closed = true;
        break;
      case kProp: {
        if (stack.empty()) return corrupt("property outside a node", tok_off);
        if (++items > kMaxItems)
          return Error(Errc::limit_exceeded, "FDT: too many properties", tok_off);
        auto len = blob.be32(pos);
        auto nameoff = blob.be32(pos + 4);
        if (!len || !nameoff || pos + 8 > send) return corrupt("property header truncated", pos);
        pos += 8;
        if (pos + *len > send) return corrupt("property value outside the structure", pos);
        if (*nameoff >= strings.size()) return corrupt("property name offset out of range", pos);
        std::string_view sn = strings.str(*nameoff, strings.size() - *nameoff);
        auto nul = sn.find('\0');
        if (nul == std::string_view::npos) return corrupt("unterminated property name", pos);
        Property p{sn.substr(0, nul), blob.sub(pos, *len), pos};
        t.nodes[static_cast<std::size_t>(stack.back())].props.push_back(p);
        pos = align4(pos + *len);
        break;
      }
      case kNop:
        break;
      case kEnd:
        if (!stack.empty() || !root_closed) return corrupt("FDT_END inside a node", tok_off);
        done = true;
        break;
      default:
        return corrupt("unknown structure token " + std::to_string(tok), tok_off);
    }
  }
  if (t.nodes.empty()) return corrupt("no root node", sbeg);
  if (!t.nodes.front().name.empty()) return corrupt("root node has a name", sbeg);
  return t;
}

}  // namespace waybill::unpack::fdt
