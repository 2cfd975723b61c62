// Binary version signatures: table parsing and the scanner.
//
// Why Vectorscan + RE2: the scanner runs over every byte of every file, so it must be one pass
// with all patterns at once. Vectorscan (Hyperscan's portable fork) does exactly that at ~1.6 GB/s
// on real binaries, but it reports only match *ends* (every one of them: "v1", "v1.", "v1.3" ...)
// and no capture groups; start-of-match tracking (SOM_LEFTMOST) fails to compile on bounded
// repeats and SINGLEMATCH loses a second version of the same component. RE2 has captures and
// linear-time guarantees but is 2-3x slower as a multi-pattern prefilter. So Vectorscan finds the
// rare candidate positions and RE2 extracts the version from a small window around each one
// (see ../shared/reference/dependencies.md section 2 for the measurements).
#include "catalog/binary/signature_table.h"

#include <hs/hs.h>
#include <re2/re2.h>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "catalog/walker.h"
#include "core/embedded.h"

namespace waybill::catalog {

namespace {

using json = nlohmann::json;

Error table_error(std::string_view id, std::string_view field, std::string_view what) {
  return Error(Errc::corrupt, "signature '" + std::string(id) + "': field '" + std::string(field) +
                                  "': " + std::string(what));
}

// Reads an optional array of strings (a single string is accepted as a one-element array).
Status string_list(const json& j, std::string_view id, const char* field,
                   std::vector<std::string>& out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return Status::success();
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return Status::success();
  }
  if (!it->is_array()) return table_error(id, field, "must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return table_error(id, field, "must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return Status::success();
}

Status string_field(const json& j, std::string_view id, const char* field, std::string& out,
                    bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return table_error(id, field, "missing");
    return Status::success();
  }
  if (!it->is_string()) return table_error(id, field, "must be a string");
  out = it->get<std::string>();
  if (required && out.empty()) return table_error(id, field, "must not be empty");
  return Status::success();
}

RE2::Options re2_options() {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);  // bytes, not UTF-8
  o.set_log_errors(false);
  o.set_max_mem(8 << 20);
  return o;
}

Result<Signature> parse_one(const json& j, std::size_t index) {
  std::string id = "#" + std::to_string(index);
  if (!j.is_object()) return table_error(id, "(entry)", "must be an object");
  Signature s;
  if (auto st = string_field(j, id, "id", s.id, true); !st) return st.error();
  id = s.id;
  Status st;
  if (!(st = string_field(j, id, "name", s.name, true))) return st.error();
  if (!(st = string_field(j, id, "vendor", s.vendor, false))) return st.error();
  if (!(st = string_field(j, id, "product", s.product, false))) return st.error();
  if (!(st = string_field(j, id, "purl", s.purl, false))) return st.error();
  if (!(st = string_field(j, id, "supplier", s.supplier, false))) return st.error();
  if (!(st = string_field(j, id, "type", s.type, false))) return st.error();
  if (!(st = string_list(j, id, "cpes", s.cpes))) return st.error();
  if (!(st = string_list(j, id, "licenses", s.licenses))) return st.error();
  if (!(st = string_list(j, id, "patterns", s.patterns))) return st.error();
  if (!(st = string_list(j, id, "files", s.files))) return st.error();
  if (!(st = string_list(j, id, "reject_context", s.reject_context))) return st.error();
  if (s.type.empty()) s.type = "application";
  if (s.product.empty()) s.product = s.name;
  if (s.vendor.empty()) s.vendor = s.product;
  if (s.purl.empty()) s.purl = "pkg:generic/" + s.name + "@{version}";
  if (s.purl.find("{version}") == std::string::npos)
    return table_error(id, "purl", "template must contain {version}");
  for (const auto& c : s.cpes)
    if (c.rfind("cpe:2.3:", 0) != 0) return table_error(id, "cpes", "not a CPE 2.3 string: " + c);
  if (auto it = j.find("confidence"); it != j.end()) {
    if (!it->is_number()) return table_error(id, "confidence", "must be a number");
    s.confidence = it->get<double>();
    if (s.confidence <= 0 || s.confidence > 1)
      return table_error(id, "confidence", "not in (0, 1]");
  }
  if (auto it = j.find("any_file"); it != j.end()) {
    if (!it->is_boolean()) return table_error(id, "any_file", "must be true or false");
    s.any_file = it->get<bool>();
  }
  if (auto it = j.find("max_matched"); it != j.end()) {
    if (!it->is_number_unsigned()) return table_error(id, "max_matched", "must be an integer");
    s.max_matched = std::clamp<std::size_t>(it->get<std::size_t>(), 16, 512);
  }
  if (s.patterns.empty()) return table_error(id, "patterns", "at least one pattern is required");
  for (const auto& p : s.patterns) {
    RE2 re(p, re2_options());
    if (!re.ok()) return table_error(id, "patterns", "bad regex '" + p + "': " + re.error());
    if (re.NumberOfCapturingGroups() != 1)
      return table_error(id, "patterns", "'" + p + "' must have exactly one capture group");
  }
  if (auto it = j.find("examples"); it != j.end()) {
    if (!it->is_array()) return table_error(id, "examples", "must be an array");
    for (const auto& e : *it) {
      if (!e.is_object() || !e.contains("text") || !e["text"].is_string() ||
          !e.contains("version") || !e["version"].is_string())
        return table_error(id, "examples", "each needs string 'text' and 'version'");
      SignatureExample ex;
      ex.text = e["text"].get<std::string>();
      ex.version = e["version"].get<std::string>();
      if (e.contains("path") && e["path"].is_string()) ex.path = e["path"].get<std::string>();
      s.examples.push_back(std::move(ex));
    }
  }
  return s;
}

}  // namespace

Result<SignatureTable> SignatureTable::parse(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (doc.is_discarded()) return Error(Errc::corrupt, "signatures: not valid JSON");
  if (!doc.is_object() || !doc.contains("signatures") || !doc["signatures"].is_array())
    return Error(Errc::corrupt, "signatures: top level must be {\"signatures\": [...]}");
  SignatureTable t;
  std::set<std::string> ids;
  std::size_t i = 0;
  for (const auto& j : doc["signatures"]) {
    auto s = parse_one(j, i++);
    if (!s) return s.error();
    if (!ids.insert(s->id).second) return table_error(s->id, "id", "duplicate id");
    t.sigs_.push_back(std::move(*s));
  }
  return t;
}

const SignatureTable& SignatureTable::builtin() {
  // A broken built-in table is a build defect caught by the tests; at run time it degrades to
  // "no signatures" rather than aborting.
  static const SignatureTable t = [] {
    auto r = parse(data::signatures_json());
    return r ? std::move(*r) : SignatureTable{};
  }();
  return t;
}

int SignatureTable::index_of(std::string_view id) const {
  for (std::size_t i = 0; i < sigs_.size(); ++i)
    if (sigs_[i].id == id) return static_cast<int>(i);
  return -1;
}

// ---------------------------------------------------------------------------------------------

namespace {

constexpr std::uint64_t kWindowBefore = 384;  // no pattern may match more than this before its end
constexpr std::uint64_t kWindowAfter = 64;
constexpr std::size_t kMaxHitsPerFile = 4096;
constexpr std::size_t kMaxExtractionsPerFile = 65536;
constexpr std::size_t kContextBytes = 200;

bool printable(std::uint8_t c) {
  return (c >= 0x20 && c < 0x7f) || c == '\t';
}

struct Pattern {
  std::uint32_t sig = 0;
  std::unique_ptr<RE2> re;
};

struct HsDatabase {
  hs_database_t* db = nullptr;
  std::vector<unsigned> ids;  // pattern indices compiled into it
  ~HsDatabase() {
    if (db) hs_free_database(db);
  }
};

}  // namespace

struct SignatureScanner::Impl {
  std::vector<Pattern> patterns;
  std::vector<bool> restricted;  // per signature: has `files` globs
  HsDatabase all;                // every pattern
  HsDatabase open;               // patterns of signatures without `files` globs
  hs_scratch_t* scratch = nullptr;
  ~Impl() {
    if (scratch) hs_free_scratch(scratch);
  }
};

SignatureScanner::SignatureScanner(const SignatureTable& t)
    : table_(t), impl_(std::make_unique<Impl>()) {}
SignatureScanner::~SignatureScanner() = default;

namespace {

// Serialised database cache (see SignatureScanner::compile). Failures only cost a recompile.
std::string cache_key(const std::vector<const char*>& exprs, const std::vector<unsigned>& ids) {
  std::string blob = hs_version();
  hs_platform_info_t plat{};
  if (hs_populate_platform(&plat) == HS_SUCCESS) {
    blob += "|" + std::to_string(plat.tune) + "|" + std::to_string(plat.cpu_features);
  }
  for (std::size_t i = 0; i < exprs.size(); ++i) blob += "|" + std::to_string(ids[i]) + ":" + exprs[i];
  return sha256_hex(ByteView(std::string_view(blob))).substr(0, 32);
}

bool load_cached(const std::string& path, hs_database_t** db) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return !bytes.empty() &&
         hs_deserialize_database(bytes.data(), bytes.size(), db) == HS_SUCCESS;
}

void store_cached(const std::string& dir, const std::string& path, const hs_database_t* db) {
  char* bytes = nullptr;
  std::size_t n = 0;
  if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes, static_cast<std::streamsize>(n));
  }
  std::free(bytes);
  std::filesystem::rename(tmp, path, ec);  // atomic: concurrent scans never see a partial file
  if (ec) std::filesystem::remove(tmp, ec);
}

Status build_db(const std::vector<Pattern>& pats, const std::vector<std::string>& sources,
                const SignatureTable& table, HsDatabase& out, bool only_open,
                const std::string& cache_dir) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (unsigned i = 0; i < pats.size(); ++i) {
    if (only_open && !table.at(pats[i].sig).files.empty()) continue;
    exprs.push_back(sources[i].c_str());
    flags.push_back(0);  // no SINGLEMATCH (loses 2nd versions), no SOM_LEFTMOST (too large)
    ids.push_back(i);
  }
  out.ids = ids;
  if (exprs.empty()) return Status::success();
  std::string cache_path;
  if (!cache_dir.empty()) {
    cache_path = cache_dir + "/signatures-" + cache_key(exprs, ids) + ".hsdb";
    if (load_cached(cache_path, &out.db)) return Status::success();
    out.db = nullptr;
  }
  hs_compile_error_t* err = nullptr;
  hs_error_t rc =
      hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &out.db, &err);
  if (rc != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    std::string where = "(database)";
    if (err && err->expression >= 0 && static_cast<std::size_t>(err->expression) < ids.size()) {
      const auto& p = pats[ids[err->expression]];
      where = "signature '" + table.at(p.sig).id + "': field 'patterns': '" +
              sources[ids[err->expression]] + "'";
    }
    if (err) hs_free_compile_error(err);
    return Error(Errc::internal, "vectorscan: " + where + ": " + msg);
  }
  if (!cache_path.empty()) store_cached(cache_dir, cache_path, out.db);
  return Status::success();
}

struct ScanContext {
  const std::vector<Pattern>* patterns = nullptr;
  const SignatureTable* table = nullptr;
  ByteView content;
  std::uint64_t base = 0;  // offset of the scanned piece inside `content`
  const std::vector<bool>* allowed = nullptr;
  std::vector<std::uint64_t> covered;  // per pattern: absolute end already examined
  std::set<std::pair<std::uint32_t, std::uint64_t>> seen;
  std::vector<SignatureHit>* out = nullptr;
  std::size_t extractions = 0;
};

bool rejected(const Signature& sig, ByteView content, std::uint64_t start, std::uint64_t end) {
  if (sig.reject_context.empty()) return false;
  std::uint64_t b = start, e = end;
  while (b > 0 && start - b < kContextBytes && printable(content.data()[b - 1])) --b;
  while (e < content.size() && e - end < kContextBytes && printable(content.data()[e])) ++e;
  std::string_view ctx = content.str(b, e - b);
  for (const auto& r : sig.reject_context)
    if (ctx.find(r) != std::string_view::npos) return true;
  return false;
}

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
             unsigned int /*flags*/, void* vctx) {
  auto& c = *static_cast<ScanContext*>(vctx);
  const Pattern& pat = (*c.patterns)[id];
  if (!(*c.allowed)[pat.sig]) return 0;
  const std::uint64_t end = c.base + to;
  if (end <= c.covered[id]) return 0;  // inside a match already extracted: coalesce
  if (++c.extractions > kMaxExtractionsPerFile) return 1;
  const Signature& sig = c.table->at(pat.sig);
  const std::uint64_t after = std::max<std::uint64_t>(kWindowAfter, sig.max_matched);
  const std::uint64_t ws = end > kWindowBefore ? end - kWindowBefore : 0;
  const std::uint64_t we = std::min<std::uint64_t>(c.content.size(), end + after);
  const std::string_view win = c.content.str(ws, we - ws);
  re2::StringPiece input(win.data(), win.size());
  re2::StringPiece g[2];
  std::uint64_t covered = end;
  std::size_t pos = 0;
  while (pos <= win.size() && pat.re->Match(input, pos, win.size(), RE2::UNANCHORED, g, 2)) {
    const std::uint64_t ms = ws + static_cast<std::uint64_t>(g[0].data() - win.data());
    const std::uint64_t me = ms + g[0].size();
    pos = static_cast<std::size_t>(me - ws) + (g[0].empty() ? 1 : 0);
    if (me <= c.covered[id] || g[1].empty()) continue;
    covered = std::max(covered, me);
    // Trim the match to its printable core (patterns may include a delimiter byte).
    std::uint64_t ts = ms, te = me;
    while (ts < te && !printable(c.content.data()[ts])) ++ts;
    while (te > ts && !printable(c.content.data()[te - 1])) --te;
    if (!c.seen.insert({pat.sig, ts}).second) continue;
    if (rejected(sig, c.content, ms, me)) continue;
    SignatureHit h;
    h.signature = pat.sig;
    h.offset = ts;
    h.version.assign(g[1].data(), g[1].size());
    std::string_view m = c.content.str(ts, std::min<std::uint64_t>(te - ts, sig.max_matched));
    h.matched.reserve(m.size());
    for (char ch : m) h.matched.push_back(printable(static_cast<std::uint8_t>(ch)) ? ch : '.');
    c.out->push_back(std::move(h));
    if (c.out->size() >= kMaxHitsPerFile) return 1;
  }
  c.covered[id] = std::max(c.covered[id], covered);
  return 0;
}

}  // namespace

Status SignatureScanner::compile(const std::string& cache_dir) {
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> sources;
  impl->restricted.resize(table_.all().size());
  for (std::uint32_t s = 0; s < table_.all().size(); ++s) {
    const Signature& sig = table_.at(s);
    impl->restricted[s] = !sig.files.empty();
    for (const auto& p : sig.patterns) {
      Pattern pat;
      pat.sig = s;
      pat.re = std::make_unique<RE2>(p, re2_options());
      if (!pat.re->ok() || pat.re->NumberOfCapturingGroups() != 1)
        return table_error(sig.id, "patterns", "bad regex '" + p + "'");
      impl->patterns.push_back(std::move(pat));
      sources.push_back(p);
    }
  }
  if (auto st = build_db(impl->patterns, sources, table_, impl->all, false, cache_dir); !st)
    return st;
  if (auto st = build_db(impl->patterns, sources, table_, impl->open, true, cache_dir); !st)
    return st;
  for (hs_database_t* db : {impl->all.db, impl->open.db}) {
    if (db && hs_alloc_scratch(db, &impl->scratch) != HS_SUCCESS)
      return Error(Errc::internal, "vectorscan: cannot allocate scratch space");
  }
  impl_ = std::move(impl);
  return Status::success();
}

std::vector<SignatureHit> SignatureScanner::scan(ByteView content, std::string_view path) const {
  std::vector<SignatureHit> hits;
  if (!impl_ || !impl_->scratch || content.empty()) return hits;
  const std::size_t nsig = table_.all().size();
  std::vector<bool> allowed(nsig, true);
  bool any_restricted = false;
  for (std::size_t s = 0; s < nsig; ++s) {
    if (!impl_->restricted[s]) continue;
    bool ok = false;
    for (const auto& g : table_.at(s).files)
      if (glob_match(g, path)) {
        ok = true;
        break;
      }
    allowed[s] = ok;
    any_restricted |= ok;
  }
  const HsDatabase& db = any_restricted ? impl_->all : impl_->open;
  if (!db.db) return hits;

  ScanContext ctx;
  ctx.patterns = &impl_->patterns;
  ctx.table = &table_;
  ctx.content = content;
  ctx.allowed = &allowed;
  ctx.covered.assign(impl_->patterns.size(), 0);
  ctx.out = &hits;
  // hs_scan takes an unsigned length: scan very large inputs in overlapping pieces.
  constexpr std::uint64_t kPiece = 1ull << 30, kOverlap = 4096;
  for (std::uint64_t off = 0; off < content.size();) {
    ByteView piece = content.sub(off, kPiece);
    ctx.base = off;
    hs_error_t rc = hs_scan(db.db, reinterpret_cast<const char*>(piece.data()),
                            static_cast<unsigned>(piece.size()), 0, impl_->scratch, on_match, &ctx);
    if (rc != HS_SUCCESS) break;  // HS_SCAN_TERMINATED: a per-file cap was reached
    if (off + piece.size() >= content.size()) break;
    off += piece.size() - kOverlap;
  }
  std::sort(hits.begin(), hits.end(), [](const SignatureHit& a, const SignatureHit& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.signature < b.signature;
  });
  return hits;
}

}  // namespace waybill::catalog
