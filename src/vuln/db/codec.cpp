// Compact binary codec for VulnRecord (records.data). Our own format rather than JSON because
// decoding records is the hot path of matching (Database::candidates): a length-prefixed
// layout decodes with one bounds check per field and no tokenising.
//
// Layout: byte 'W', byte version (1), then the fields of model.h in declaration order. Strings
// and lists are a LEB128 length followed by the bytes/elements; bools one byte; doubles 8 bytes
// little-endian IEEE 754. Adding a field means bumping kVersion and reading old versions.
#include <bit>
#include <cstring>

#include "vuln/db/internal.h"

namespace waybill::vuln::db {
namespace {

constexpr std::uint8_t kMagic = 'W';
constexpr std::uint8_t kVersion = 1;
constexpr std::uint64_t kMaxList = 1u << 24;  // sanity bound on list lengths in a record

class Writer {
 public:
  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void b(bool v) { out_.push_back(v ? 1 : 0); }
  void s(std::string_view v) {
    u(v.size());
    out_.append(v);
  }
  void d(double v) {
    std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  void raw(std::uint8_t c) { out_.push_back(static_cast<char>(c)); }
  void strings(const std::vector<std::string>& v) {
    u(v.size());
    for (const auto& x : v) s(x);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(ByteView d) : d_(d) {}
  bool ok() const { return ok_; }
  std::uint64_t u() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      auto c = d_.u8(pos_);
      if (!c) return fail();
      ++pos_;
      v |= static_cast<std::uint64_t>(*c & 0x7f) << shift;
      if (!(*c & 0x80)) return v;
    }
    return fail();
  }
  bool b() {
    auto c = d_.u8(pos_);
    if (!c || *c > 1) return fail() != 0;
    ++pos_;
    return *c == 1;
  }
  void s(std::string& out) {
    std::uint64_t n = u();
    if (!ok_ || !d_.has(pos_, n)) {
      fail();
      return;
    }
    out.assign(d_.str(pos_, n));
    pos_ += n;
  }
  double d() {
    if (!d_.has(pos_, 8)) return static_cast<double>(fail());
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(d_.data()[pos_ + i]) << (8 * i);
    pos_ += 8;
    return std::bit_cast<double>(bits);
  }
  std::uint8_t raw() {
    auto c = d_.u8(pos_);
    if (!c) return static_cast<std::uint8_t>(fail());
    ++pos_;
    return *c;
  }
  // A list length, checked against the bytes left (every element takes at least one byte).
  // `min` is the smallest encoded size of one element, so hostile counts cannot allocate more
  // than a small multiple of the blob.
  std::uint64_t count(std::uint64_t min = 1) {
    std::uint64_t n = u();
    if (!ok_ || n > kMaxList || n > (d_.size() - pos_) / min) return fail();
    return n;
  }
  void strings(std::vector<std::string>& v) {
    std::uint64_t n = count();
    v.resize(n);
    for (auto& x : v) s(x);
  }
  bool at_end() const { return pos_ == d_.size(); }

 private:
  std::uint64_t fail() {
    ok_ = false;
    pos_ = d_.size();
    return 0;
  }
  ByteView d_;
  std::uint64_t pos_ = 0;
  bool ok_ = true;
};

void put_match(Writer& w, const CpeMatch& m) {
  w.s(m.criteria);
  w.b(m.vulnerable);
  w.s(m.version_start_including);
  w.s(m.version_start_excluding);
  w.s(m.version_end_including);
  w.s(m.version_end_excluding);
  w.s(m.match_criteria_id);
}

void get_match(Reader& r, CpeMatch& m) {
  r.s(m.criteria);
  m.vulnerable = r.b();
  r.s(m.version_start_including);
  r.s(m.version_start_excluding);
  r.s(m.version_end_including);
  r.s(m.version_end_excluding);
  r.s(m.match_criteria_id);
}

}  // namespace

std::string encode_record(const VulnRecord& rec) {
  Writer w;
  w.raw(kMagic);
  w.raw(kVersion);
  w.s(rec.id);
  w.s(rec.source);
  w.strings(rec.aliases);
  w.strings(rec.related);
  w.s(rec.summary);
  w.s(rec.description);
  w.s(rec.published);
  w.s(rec.modified);
  w.s(rec.status);
  w.b(rec.withdrawn);
  w.u(rec.configurations.size());
  for (const auto& c : rec.configurations) {
    w.s(c.op);
    w.b(c.negate);
    w.u(c.nodes.size());
    for (const auto& n : c.nodes) {
      w.s(n.op);
      w.b(n.negate);
      w.u(n.matches.size());
      for (const auto& m : n.matches) put_match(w, m);
    }
  }
  w.u(rec.affected.size());
  for (const auto& a : rec.affected) {
    w.s(a.ecosystem);
    w.s(a.package);
    w.s(a.purl);
    w.s(a.vendor);
    w.s(a.product);
    w.s(a.repo);
    w.strings(a.cpes);
    w.s(a.default_status);
    w.u(a.ranges.size());
    for (const auto& rg : a.ranges) {
      w.s(rg.type);
      w.s(rg.repo);
      w.u(rg.events.size());
      for (const auto& e : rg.events) {
        w.s(e.introduced);
        w.s(e.fixed);
        w.s(e.last_affected);
        w.s(e.limit);
      }
    }
    w.strings(a.versions);
    w.u(a.cve5_versions.size());
    for (const auto& v : a.cve5_versions) {
      w.s(v.version);
      w.s(v.less_than);
      w.s(v.less_than_or_equal);
      w.s(v.status);
      w.s(v.version_type);
    }
    w.s(a.container);
  }
  w.u(rec.cvss.size());
  for (const auto& c : rec.cvss) {
    w.s(c.source);
    w.s(c.version);
    w.s(c.vector);
    w.d(c.score);
    w.s(c.severity);
    w.b(c.primary);
  }
  w.strings(rec.cwes);
  w.strings(rec.references);
  w.s(rec.cisa_exploit_add);
  w.s(rec.cisa_action_due);
  w.s(rec.cisa_required_action);
  return w.take();
}

Result<VulnRecord> decode_record(ByteView data) {
  Reader r(data);
  if (r.raw() != kMagic) return Error(Errc::corrupt, "record blob: bad magic");
  std::uint8_t ver = r.raw();
  if (ver != kVersion)
    return Error(Errc::unsupported, "record blob: codec version " + std::to_string(ver));
  VulnRecord rec;
  r.s(rec.id);
  r.s(rec.source);
  r.strings(rec.aliases);
  r.strings(rec.related);
  r.s(rec.summary);
  r.s(rec.description);
  r.s(rec.published);
  r.s(rec.modified);
  r.s(rec.status);
  rec.withdrawn = r.b();
  rec.configurations.resize(r.count(3));
  for (auto& c : rec.configurations) {
    r.s(c.op);
    c.negate = r.b();
    c.nodes.resize(r.count(3));
    for (auto& n : c.nodes) {
      r.s(n.op);
      n.negate = r.b();
      n.matches.resize(r.count(7));
      for (auto& m : n.matches) get_match(r, m);
    }
  }
  rec.affected.resize(r.count(12));
  for (auto& a : rec.affected) {
    r.s(a.ecosystem);
    r.s(a.package);
    r.s(a.purl);
    r.s(a.vendor);
    r.s(a.product);
    r.s(a.repo);
    r.strings(a.cpes);
    r.s(a.default_status);
    a.ranges.resize(r.count(3));
    for (auto& rg : a.ranges) {
      r.s(rg.type);
      r.s(rg.repo);
      rg.events.resize(r.count(4));
      for (auto& e : rg.events) {
        r.s(e.introduced);
        r.s(e.fixed);
        r.s(e.last_affected);
        r.s(e.limit);
      }
    }
    r.strings(a.versions);
    a.cve5_versions.resize(r.count(5));
    for (auto& v : a.cve5_versions) {
      r.s(v.version);
      r.s(v.less_than);
      r.s(v.less_than_or_equal);
      r.s(v.status);
      r.s(v.version_type);
    }
    r.s(a.container);
  }
  rec.cvss.resize(r.count(13));
  for (auto& c : rec.cvss) {
    r.s(c.source);
    r.s(c.version);
    r.s(c.vector);
    c.score = r.d();
    r.s(c.severity);
    c.primary = r.b();
  }
  r.strings(rec.cwes);
  r.strings(rec.references);
  r.s(rec.cisa_exploit_add);
  r.s(rec.cisa_action_due);
  r.s(rec.cisa_required_action);
  if (!r.ok()) return Error(Errc::corrupt, "record blob: truncated or malformed");
  if (!r.at_end()) return Error(Errc::corrupt, "record blob: trailing bytes");
  return rec;
}

}  // namespace waybill::vuln::db
