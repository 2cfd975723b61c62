// Database on SQLite: schema, idempotent upserts, one transaction per import call, candidate
// lookup by index key with a decoded-record cache, status, KEV/EPSS, meta.
//
// Schema (PRAGMA user_version = kSchemaVersion):
//   records(rowid, source, id, modified, data)   data = codec.cpp blob; UNIQUE(source, id)
//   keys(key, rec)          WITHOUT ROWID, PRIMARY KEY(key, rec): index key -> records.rowid
//   aliases(alias, id, rec) WITHOUT ROWID, PRIMARY KEY(alias, rec)
//   kev(cve PRIMARY KEY, ...), epss(cve PRIMARY KEY, epss, percentile, date)
//   meta(key PRIMARY KEY, value), imports(time, files, counts)   (log of import runs)
// Old keys/aliases of an updated record are deleted using the old blob, so no (rec) index is
// needed on the hot insert path.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <list>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "vuln/db/internal.h"

namespace waybill::vuln {
namespace {

using db::InputDoc;

constexpr int kSchemaVersion = 1;
constexpr std::size_t kMaxIssues = 1000;
constexpr std::size_t kCacheMax = 200000;  // decoded records kept between candidates() calls
constexpr std::uint64_t kProgressEvery = 1000;

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS records(
  rowid INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL, modified TEXT NOT NULL,
  data BLOB NOT NULL, UNIQUE(source, id));
CREATE INDEX IF NOT EXISTS records_id ON records(id);
CREATE TABLE IF NOT EXISTS keys(key TEXT NOT NULL, rec INTEGER NOT NULL,
  PRIMARY KEY(key, rec)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases(alias TEXT NOT NULL, id TEXT NOT NULL, rec INTEGER NOT NULL,
  PRIMARY KEY(alias, rec)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kev(cve TEXT PRIMARY KEY, vendor TEXT, product TEXT, name TEXT,
  date_added TEXT, due_date TEXT, required_action TEXT, ransomware TEXT, notes TEXT);
CREATE TABLE IF NOT EXISTS epss(cve TEXT PRIMARY KEY, epss REAL, percentile REAL, date TEXT);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS imports(time TEXT, files TEXT, counts TEXT);
)sql";

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A prepared statement, reset after each use.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s_); }
  int prepare(sqlite3* db, const char* sql) {
    sqlite3_finalize(s_);
    s_ = nullptr;
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
  }
  sqlite3_stmt* get() { return s_; }
  Stmt& reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  Stmt& text(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& blob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& i64(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& real(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  std::string col_text(int i) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i)))
             : std::string();
  }
  ByteView col_blob(int i) {
    auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, i));
    return p ? ByteView(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i))) : ByteView();
  }
  std::int64_t col_i64(int i) { return sqlite3_column_int64(s_, i); }
  double col_real(int i) { return sqlite3_column_double(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
};

class SqliteDatabase;

// Receives what the importers read and writes it inside the open transaction.
class Writer final : public db::Sink {
 public:
  Writer(SqliteDatabase& d, ImportReport& rep, const ImportOptions& opts)
      : d_(d),
        rep_(rep),
        opts_(opts),
        max_records_(opts.max_records ? opts.max_records : 50'000'000ull) {}
  void set_file(const std::string& f) { file_ = f; }
  void record(VulnRecord&& r) override;
  void kev(KevEntry&& e) override;
  void kev_catalog(std::string_view v) override { catalog_version_ = v; }
  void epss(EpssScore&& s) override;
  void issue(std::string_view id, std::string message) override {
    ++rep_.skipped;
    add_issue(std::string(id), std::move(message));
  }
  bool full() const override { return full_ || !db_error_.empty(); }
  void add_issue(std::string id, std::string message) {
    if (rep_.issues.size() < kMaxIssues)
      rep_.issues.push_back(ImportIssue{file_, std::move(id), std::move(message)});
  }
  const std::string& db_error() const { return db_error_; }
  const std::string& catalog_version() const { return catalog_version_; }

 private:
  bool count_one(const std::string& source);
  void fail(const std::string& what);

  SqliteDatabase& d_;
  ImportReport& rep_;
  const ImportOptions& opts_;
  std::uint64_t max_records_;
  std::uint64_t total_ = 0;
  bool full_ = false;
  std::string file_, db_error_, catalog_version_;
};

class SqliteDatabase final : public Database {
 public:
  // sqlite3_close_v2 defers the close until the statements (members) are finalized.
  ~SqliteDatabase() override {
    if (db_) sqlite3_close_v2(db_);
  }

  Status init(const std::string& path, bool create) {
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      return Error(Errc::io, "vulnerability database " + path + ": " + msg);
    }
    path_ = path;
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
    int ver = 0;
    {
      Stmt s;
      if (s.prepare(db_, "PRAGMA user_version") != SQLITE_OK || s.step() != SQLITE_ROW)
        return err("is not a database");
      ver = static_cast<int>(s.col_i64(0));
    }
    if (ver > kSchemaVersion)
      return Error(Errc::unsupported,
                   "vulnerability database " + path + " has schema version " + std::to_string(ver) +
                       ", newer than this waybill supports (" + std::to_string(kSchemaVersion) +
                       "); update waybill or rebuild it");
    // mmap_size: candidate lookups read record pages through the mapping instead of one pread
    // per page (measured with perf on bench/vuln/match_bench: a quarter of the time was syscalls).
    if (auto st = exec("PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                       "PRAGMA cache_size=-65536; PRAGMA foreign_keys=OFF; "
                       "PRAGMA mmap_size=1073741824");
        !st.ok())
      return st;
    if (ver < kSchemaVersion) {
      if (auto st = exec(kSchema); !st.ok()) return st;
      if (auto st = exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)); !st.ok())
        return st;
    }
    return prepare_all();
  }

  Result<ImportReport> import_paths(const std::vector<std::string>& paths,
                                    const ImportOptions& opts) override {
    return run(opts, [&](const db::DocFn& doc, const db::IssueFn& issue, ImportReport& rep) {
      db::read_paths(paths, limits(opts), doc, issue, rep.files);
    });
  }

  Result<ImportReport> import_buffer(std::string_view name, ByteView data,
                                     const ImportOptions& opts) override {
    return run(opts, [&](const db::DocFn& doc, const db::IssueFn& issue, ImportReport& rep) {
      rep.files.emplace_back(name);
      db::read_buffer(name, data, limits(opts), doc, issue);
    });
  }

  Result<std::vector<SourceStatus>> status() override {
    std::vector<SourceStatus> out;
    Stmt s;
    if (s.prepare(db_, "SELECT source, count(*), max(modified) FROM records GROUP BY source") !=
        SQLITE_OK)
      return err("status");
    while (s.step() == SQLITE_ROW)
      out.push_back({s.col_text(0), static_cast<std::uint64_t>(s.col_i64(1)), s.col_text(2), {}});
    Stmt k;
    if (k.prepare(db_,
                  "SELECT 'kev', count(*), max(date_added) FROM kev UNION ALL "
                  "SELECT 'epss', count(*), max(date) FROM epss") != SQLITE_OK)
      return err("status");
    while (k.step() == SQLITE_ROW) {
      if (k.col_i64(1) == 0) continue;
      SourceStatus st{k.col_text(0), static_cast<std::uint64_t>(k.col_i64(1)), k.col_text(2), {}};
      if (st.source == "kev") {
        if (auto v = get_meta("kev.catalog_version")) st.newest = *v;
      }
      out.push_back(std::move(st));
    }
    for (auto& st : out) {
      if (auto v = get_meta("last_import." + st.source)) st.last_import = *v;
    }
    return out;
  }

  Result<std::vector<Candidate>> candidates(std::span<const std::string> keys) override {
    std::vector<Candidate> out;
    std::unordered_map<std::int64_t, std::size_t> pos;  // rowid -> index in out
    // One read transaction for the whole batch: without it SQLite takes and releases its file
    // lock (fcntl + fstat) around every lookup.
    struct ReadTxn {
      sqlite3* db;
      bool own;
      explicit ReadTxn(sqlite3* d) : db(d), own(sqlite3_get_autocommit(d) != 0) {
        if (own && sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) own = false;
      }
      ~ReadTxn() {
        if (own) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
      }
    } txn(db_);
    Stmt& byk = stmts_.key_recs;
    // Unique keys in sorted order: each looked up once, and neighbouring B-tree pages are hit
    // in sequence.
    std::vector<std::string_view> sorted(keys.begin(), keys.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (std::string_view key : sorted) {
      byk.reset().text(1, key);
      int rc;
      while ((rc = byk.step()) == SQLITE_ROW) {
        std::int64_t rec = byk.col_i64(0);
        auto [it, fresh] = pos.try_emplace(rec, out.size());
        if (fresh) {
          auto r = load(rec);
          if (!r.ok()) {
            byk.reset();
            return r.error();
          }
          out.push_back(Candidate{std::move(r.value()), {}});
        }
        auto& ks = out[it->second].keys;
        ks.emplace_back(key);  // keys are unique, so each appears once per record
      }
      byk.reset();
      if (rc != SQLITE_DONE) return err("candidates");
    }
    return out;
  }

  Result<std::vector<VulnRecord>> records(std::string_view id) override {
    std::vector<VulnRecord> out;
    Stmt& s = stmts_.by_id;
    s.reset().text(1, id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      auto r = db::decode_record(s.col_blob(0));
      if (!r.ok()) {
        s.reset();
        return Error(r.error().code, "record " + std::string(id) + ": " + r.error().message);
      }
      out.push_back(std::move(r.value()));
    }
    s.reset();
    if (rc != SQLITE_DONE) return err("records");
    return out;
  }

  std::optional<KevEntry> kev(std::string_view cve) override {
    Stmt& s = stmts_.kev_get;
    s.reset().text(1, cve);
    std::optional<KevEntry> out;
    if (s.step() == SQLITE_ROW) {
      KevEntry e;
      e.cve = cve;
      e.vendor = s.col_text(0);
      e.product = s.col_text(1);
      e.name = s.col_text(2);
      e.date_added = s.col_text(3);
      e.due_date = s.col_text(4);
      e.required_action = s.col_text(5);
      e.known_ransomware = s.col_text(6);
      e.notes = s.col_text(7);
      out = std::move(e);
    }
    s.reset();
    return out;
  }

  std::optional<EpssScore> epss(std::string_view cve) override {
    Stmt& s = stmts_.epss_get;
    s.reset().text(1, cve);
    std::optional<EpssScore> out;
    if (s.step() == SQLITE_ROW)
      out = EpssScore{std::string(cve), s.col_real(0), s.col_real(1), s.col_text(2)};
    s.reset();
    return out;
  }

  std::optional<std::string> get_meta(std::string_view key) override {
    Stmt& s = stmts_.meta_get;
    s.reset().text(1, key);
    std::optional<std::string> out;
    if (s.step() == SQLITE_ROW) out = s.col_text(0);
    s.reset();
    return out;
  }

  Status set_meta(std::string_view key, std::string_view value) override {
    Stmt& s = stmts_.meta_set;
    s.reset().text(1, key).text(2, value);
    int rc = s.step();
    s.reset();
    if (rc != SQLITE_DONE) return err("set_meta");
    return {};
  }

 private:
  friend class Writer;

  struct Stmts {
    Stmt rec_find, rec_insert, rec_update, key_insert, key_delete, alias_insert, alias_delete;
    Stmt kev_get, kev_upsert, epss_get, epss_upsert, meta_get, meta_set, key_recs, rec_data, by_id,
        import_log;
  };

  Status prepare_all() {
    struct P {
      Stmt* s;
      const char* sql;
    } list[] = {
        {&stmts_.rec_find, "SELECT rowid, modified, data FROM records WHERE source=?1 AND id=?2"},
        {&stmts_.rec_insert, "INSERT INTO records(source, id, modified, data) VALUES(?1,?2,?3,?4)"},
        {&stmts_.rec_update, "UPDATE records SET modified=?2, data=?3 WHERE rowid=?1"},
        {&stmts_.key_insert, "INSERT OR IGNORE INTO keys(key, rec) VALUES(?1,?2)"},
        {&stmts_.key_delete, "DELETE FROM keys WHERE key=?1 AND rec=?2"},
        {&stmts_.alias_insert, "INSERT OR IGNORE INTO aliases(alias, id, rec) VALUES(?1,?2,?3)"},
        {&stmts_.alias_delete, "DELETE FROM aliases WHERE alias=?1 AND rec=?2"},
        {&stmts_.kev_get,
         "SELECT vendor, product, name, date_added, due_date, required_action, ransomware, notes "
         "FROM kev WHERE cve=?1"},
        {&stmts_.kev_upsert,
         "INSERT OR REPLACE INTO kev(cve, vendor, product, name, date_added, due_date, "
         "required_action, ransomware, notes) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)"},
        {&stmts_.epss_get, "SELECT epss, percentile, date FROM epss WHERE cve=?1"},
        {&stmts_.epss_upsert,
         "INSERT OR REPLACE INTO epss(cve, epss, percentile, date) VALUES(?1,?2,?3,?4)"},
        {&stmts_.meta_get, "SELECT value FROM meta WHERE key=?1"},
        {&stmts_.meta_set, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1,?2)"},
        {&stmts_.key_recs, "SELECT rec FROM keys WHERE key=?1"},
        {&stmts_.rec_data, "SELECT data FROM records WHERE rowid=?1"},
        {&stmts_.by_id, "SELECT data FROM records WHERE id=?1 ORDER BY source"},
        {&stmts_.import_log, "INSERT INTO imports(time, files, counts) VALUES(?1,?2,?3)"},
    };
    for (auto& p : list)
      if (p.s->prepare(db_, p.sql) != SQLITE_OK) return err(std::string("prepare: ") + p.sql);
    return {};
  }

  static db::InputLimits limits(const ImportOptions& opts) {
    db::InputLimits lim;
    if (opts.max_input_bytes) lim.max_input_bytes = opts.max_input_bytes;
    return lim;
  }

  Error err(const std::string& what) {
    return Error(Errc::io, "vulnerability database " + path_ + ": " + what + ": " +
                               (db_ ? sqlite3_errmsg(db_) : "not open"));
  }

  Status exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "error";
      sqlite3_free(msg);
      return Error(Errc::io, "vulnerability database " + path_ + ": " + m);
    }
    return {};
  }

  // A decoded record by rowid, from the cache or the database.
  Result<std::shared_ptr<const VulnRecord>> load(std::int64_t rec) {
    if (auto it = cache_.find(rec); it != cache_.end()) return it->second;
    Stmt& s = stmts_.rec_data;
    s.reset().i64(1, rec);
    if (s.step() != SQLITE_ROW) {
      s.reset();
      return err("record " + std::to_string(rec) + " missing");
    }
    auto r = db::decode_record(s.col_blob(0));
    s.reset();
    if (!r.ok())
      return Error(r.error().code, "record " + std::to_string(rec) + ": " + r.error().message);
    auto p = std::make_shared<const VulnRecord>(std::move(r.value()));
    if (cache_.size() >= kCacheMax) cache_.clear();
    cache_.emplace(rec, p);
    return p;
  }

  template <class ReadFn>
  Result<ImportReport> run(const ImportOptions& opts, ReadFn&& read) {
    auto t0 = std::chrono::steady_clock::now();
    ImportReport rep;
    if (auto st = exec("BEGIN IMMEDIATE"); !st.ok()) return st.error();
    cache_.clear();
    Writer w(*this, rep, opts);
    simdjson::dom::parser parser;
    db::DocFn doc = [&](const InputDoc& d) {
      if (w.full()) return;
      w.set_file(d.name);
      db::import_document(d, parser, w);
    };
    db::IssueFn issue = [&](const std::string& file, std::string message) {
      w.set_file(file);
      w.issue({}, std::move(message));
    };
    read(doc, issue, rep);
    if (!w.db_error().empty()) {
      (void)exec("ROLLBACK");
      cache_.clear();
      return Error(Errc::io, "vulnerability database " + path_ + ": " + w.db_error() +
                                 "; import rolled back");
    }
    std::string now = now_rfc3339();
    if (!w.catalog_version().empty()) {
      if (auto st = set_meta("kev.catalog_version", w.catalog_version()); !st.ok())
        return abort(st);
    }
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [src, c] : rep.sources) {
      counts[src] = {{"read", c.read},
                     {"inserted", c.inserted},
                     {"updated", c.updated},
                     {"unchanged", c.unchanged}};
      if (auto st = set_meta("last_import." + src, now); !st.ok()) return abort(st);
    }
    counts["skipped"] = rep.skipped;
    // File names may be any bytes: replace invalid UTF-8 rather than throw.
    constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
    std::string files = nlohmann::json(rep.files).dump(-1, ' ', false, kReplace);
    std::string cj = counts.dump(-1, ' ', false, kReplace);
    Stmt& log = stmts_.import_log;
    log.reset().text(1, now).text(2, files).text(3, cj);
    int rc = log.step();
    log.reset();
    if (rc != SQLITE_DONE) return abort(err("import log"));
    if (auto st = exec("COMMIT"); !st.ok()) return abort(st);
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
  }

  Error abort(const Status& st) {
    (void)exec("ROLLBACK");
    cache_.clear();
    return st.error();
  }

  sqlite3* db_ = nullptr;
  std::string path_;
  Stmts stmts_;
  std::unordered_map<std::int64_t, std::shared_ptr<const VulnRecord>> cache_;
};

bool Writer::count_one(const std::string& source) {
  ++rep_.sources[source].read;
  ++total_;
  if (opts_.progress && total_ % kProgressEvery == 0) opts_.progress(total_);
  if (total_ > max_records_) {
    --rep_.sources[source].read;
    full_ = true;
    ++rep_.skipped;
    add_issue({}, "record limit of " + std::to_string(max_records_) + " reached; rest skipped");
    return false;
  }
  return true;
}

void Writer::fail(const std::string& what) {
  if (db_error_.empty()) db_error_ = what + ": " + sqlite3_errmsg(d_.db_);
}

void Writer::record(VulnRecord&& r) {
  if (full()) return;
  if (!count_one(r.source)) return;
  auto& c = rep_.sources[r.source];
  auto& st = d_.stmts_;
  st.rec_find.reset().text(1, r.source).text(2, r.id);
  int rc = st.rec_find.step();
  std::int64_t rowid = 0;
  if (rc == SQLITE_ROW) {
    rowid = st.rec_find.col_i64(0);
    std::string old_modified = st.rec_find.col_text(1);
    if (!(r.modified > old_modified)) {
      st.rec_find.reset();
      ++c.unchanged;
      return;
    }
    // Newer: remove the old record's keys and aliases (from its blob), then rewrite.
    auto old = db::decode_record(st.rec_find.col_blob(2));
    std::vector<std::string> old_keys, old_aliases;
    if (old.ok()) {
      old_keys = db::record_keys(old.value());
      old_aliases = old.value().aliases;
    }
    st.rec_find.reset();
    for (const auto& k : old_keys) {
      st.key_delete.reset().text(1, k).i64(2, rowid);
      if (st.key_delete.step() != SQLITE_DONE) return fail("delete keys");
    }
    for (const auto& a : old_aliases) {
      st.alias_delete.reset().text(1, a).i64(2, rowid);
      if (st.alias_delete.step() != SQLITE_DONE) return fail("delete aliases");
    }
    std::string blob = db::encode_record(r);
    st.rec_update.reset().i64(1, rowid).text(2, r.modified).blob(3, blob);
    if (st.rec_update.step() != SQLITE_DONE) return fail("update record");
    ++c.updated;
  } else {
    st.rec_find.reset();
    if (rc != SQLITE_DONE) return fail("find record");
    std::string blob = db::encode_record(r);
    st.rec_insert.reset().text(1, r.source).text(2, r.id).text(3, r.modified).blob(4, blob);
    if (st.rec_insert.step() != SQLITE_DONE) return fail("insert record");
    rowid = sqlite3_last_insert_rowid(d_.db_);
    ++c.inserted;
  }
  for (const auto& k : db::record_keys(r)) {
    st.key_insert.reset().text(1, k).i64(2, rowid);
    if (st.key_insert.step() != SQLITE_DONE) return fail("insert key");
  }
  for (const auto& a : r.aliases) {
    st.alias_insert.reset().text(1, a).text(2, r.id).i64(3, rowid);
    if (st.alias_insert.step() != SQLITE_DONE) return fail("insert alias");
  }
}

void Writer::kev(KevEntry&& e) {
  if (full()) return;
  if (!count_one("kev")) return;
  auto& c = rep_.sources["kev"];
  auto old = d_.kev(e.cve);
  if (old && old->vendor == e.vendor && old->product == e.product && old->name == e.name &&
      old->date_added == e.date_added && old->due_date == e.due_date &&
      old->required_action == e.required_action && old->known_ransomware == e.known_ransomware &&
      old->notes == e.notes) {
    ++c.unchanged;
    return;
  }
  auto& s = d_.stmts_.kev_upsert;
  s.reset().text(1, e.cve).text(2, e.vendor).text(3, e.product).text(4, e.name);
  s.text(5, e.date_added).text(6, e.due_date).text(7, e.required_action);
  s.text(8, e.known_ransomware).text(9, e.notes);
  if (s.step() != SQLITE_DONE) return fail("insert kev");
  ++(old ? c.updated : c.inserted);
}

void Writer::epss(EpssScore&& e) {
  if (full()) return;
  if (!count_one("epss")) return;
  auto& c = rep_.sources["epss"];
  auto old = d_.epss(e.cve);
  if (old && (e.date < old->date ||
              (e.date == old->date && e.epss == old->epss && e.percentile == old->percentile))) {
    ++c.unchanged;
    return;
  }
  auto& s = d_.stmts_.epss_upsert;
  s.reset().text(1, e.cve).real(2, e.epss).real(3, e.percentile).text(4, e.date);
  if (s.step() != SQLITE_DONE) return fail("insert epss");
  ++(old ? c.updated : c.inserted);
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const std::string& path, bool create) {
  auto d = std::make_unique<SqliteDatabase>();
  if (auto st = d->init(path, create); !st.ok()) return st.error();
  return std::unique_ptr<Database>(std::move(d));
}

}  // namespace waybill::vuln
