// Online feed update (see update.h). HTTP with cpp-httplib; parsing is left to the importers,
// except for the NVD page header (totalResults / resultsPerPage), read with simdjson.
#include "vuln/update/update.h"

#include <httplib.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

namespace waybill::vuln {
namespace {

using Clock = std::chrono::steady_clock;

struct Url {
  std::string origin;  // scheme://host[:port]
  std::string path;    // /path?query
};

Result<Url> split_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0)
    return Error(Errc::usage, "not an absolute URL: '" + url + "'");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    return Error(Errc::usage, "unsupported URL scheme '" + scheme + "' in " + url);
  auto path_start = url.find('/', scheme_end + 3);
  Url u;
  u.origin = url.substr(0, path_start);
  u.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (u.origin.size() <= scheme_end + 3) return Error(Errc::usage, "no host in URL " + url);
  return u;
}

std::string url_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string rfc3339(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

// Parses "YYYY-MM-DDTHH:MM:SS" (rest ignored) as UTC; nullopt when malformed.
std::optional<std::int64_t> parse_time(std::string_view s) {
  int Y, M, D, h, m, sec;
  std::string str(s.substr(0, 19));
  if (str.size() < 19 ||
      std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &Y, &M, &D, &h, &m, &sec) != 6)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = Y - 1900;
  tm.tm_mon = M - 1;
  tm.tm_mday = D;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = sec;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string meta_or_empty(Database& db, std::string_view key) {
  auto v = db.get_meta(key);
  return v ? *v : std::string();
}

struct Response {
  int status = 0;
  httplib::Headers headers;
  std::string body;
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Fetcher {
 public:
  explicit Fetcher(const UpdateOptions& o) : o_(o) {}

  void sleep(double s) {
    if (s <= 0) return;
    if (o_.sleep)
      o_.sleep(s);
    else
      std::this_thread::sleep_for(std::chrono::duration<double>(s));
  }

  // GET with retries on 403/429/503 and connection failures (exponential backoff, Retry-After).
  // `min_interval`: seconds that must pass since the previous request of this fetcher.
  Result<Response> get(const std::string& url, const httplib::Headers& headers,
                       UpdateReport::Source& src, double min_interval) {
    auto u = split_url(url);
    if (!u) return u.error();
    double backoff = o_.backoff_seconds;
    int redirects = 0;
    for (int attempt = 0;; ++attempt) {
      if (o_.cancelled && o_.cancelled()) return Error(Errc::io, "cancelled before GET " + url);
      if (min_interval > 0 && have_last_) {
        double since = std::chrono::duration<double>(Clock::now() - last_).count();
        if (since < min_interval) sleep(min_interval - since);
      }
      httplib::Client cli(u->origin);
      cli.set_tcp_nodelay(true);
      cli.set_connection_timeout(std::chrono::seconds(o_.connect_timeout_seconds));
      cli.set_read_timeout(std::chrono::seconds(o_.read_timeout_seconds));
      // Redirects are followed below: cpp-httplib 0.11 treats every 3xx, including 304, as a
      // redirect and fails on a 304 without Location.
      cli.set_follow_location(false);
      if (!o_.ca_cert_path.empty()) cli.set_ca_cert_path(o_.ca_cert_path.c_str());
      httplib::Headers h = headers;
      h.emplace("User-Agent", o_.user_agent);
      Response r;
      bool too_big = false;
      // The plain Get keeps the body in the response (304 handling is reliable there); the
      // progress callback enforces the size limit while downloading.
      auto res = cli.Get(u->path, h, [&](std::uint64_t current, std::uint64_t) {
        if (current > o_.max_download_bytes) {
          too_big = true;
          return false;
        }
        return true;
      });
      if (res) {
        r.status = res->status;
        r.headers = res->headers;
        r.body = std::move(res->body);
      }
      last_ = Clock::now();
      have_last_ = true;
      ++src.requests;
      src.bytes += r.body.size();
      if (too_big)
        return Error(Errc::limit_exceeded, "GET " + url + ": response larger than " +
                                               std::to_string(o_.max_download_bytes) + " bytes");
      bool retryable;
      std::string what;
      if (!res) {
        retryable = true;
        what = "GET " + url + " failed: " + httplib::to_string(res.error());
      } else {
        std::string loc = r.header("Location");
        if ((r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 ||
             r.status == 308) &&
            !loc.empty()) {
          if (++redirects > 5) return Error(Errc::io, "GET " + url + ": too many redirects");
          if (loc.rfind("http://", 0) != 0 && loc.rfind("https://", 0) != 0) {
            if (loc.empty() || loc[0] != '/') loc = "/" + loc;
            loc = u->origin + loc;
          }
          auto nu = split_url(loc);
          if (!nu) return nu.error();
          u = std::move(nu);
          --attempt;  // a redirect is not a failed attempt
          continue;
        }
        retryable = r.status == 403 || r.status == 429 || r.status == 503;
        if (!retryable) return r;
        what = "GET " + url + ": HTTP " + std::to_string(r.status);
      }
      if (attempt >= o_.max_retries)
        return Error(Errc::io,
                     what + " (gave up after " + std::to_string(attempt + 1) + " attempts)");
      double wait = backoff;
      std::string ra = res ? r.header("Retry-After") : std::string();
      if (!ra.empty() &&
          std::all_of(ra.begin(), ra.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
          ra.size() < 9)
        wait = std::max(wait, static_cast<double>(std::stol(ra)));
      wait = std::min(wait, o_.max_backoff_seconds);
      ++src.retries;
      sleep(wait);
      backoff *= 2;
    }
  }

 private:
  const UpdateOptions& o_;
  Clock::time_point last_{};
  bool have_last_ = false;
};

std::string http_error(const std::string& url, const Response& r) {
  std::string msg = "GET " + url + ": HTTP " + std::to_string(r.status);
  std::string snippet = r.body.substr(0, 200);
  for (char& c : snippet)
    if (c == '\n' || c == '\r') c = ' ';
  if (!snippet.empty()) msg += " (" + snippet + ")";
  return msg;
}

class Updater {
 public:
  Updater(Database& db, const UpdateOptions& o, UpdateReport& rep)
      : db_(db), o_(o), rep_(rep), fetch_(o) {}

  std::int64_t now() const {
    if (o_.now_unix) return o_.now_unix();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  ImportOptions import_opts() {
    ImportOptions io;
    if (o_.progress) {
      std::uint64_t base = records_;
      io.progress = [this, base](std::uint64_t n) { o_.progress(base + n); };
    }
    return io;
  }

  Status import(UpdateReport::Source& src, const std::string& name, const std::string& body) {
    auto r = db_.import_buffer(name, ByteView(std::string_view(body)), import_opts());
    if (!r) return Error(r.error().code, "importing " + name + ": " + r.error().message);
    for (const auto& [s, c] : r->sources) {
      (void)s;
      src.counts.read += c.read;
      src.counts.inserted += c.inserted;
      src.counts.updated += c.updated;
      src.counts.unchanged += c.unchanged;
      records_ += c.read;
    }
    src.skipped += r->skipped;
    for (auto& i : r->issues)
      if (rep_.issues.size() < 100) rep_.issues.push_back(i);
    ++src.pages;
    if (o_.progress) o_.progress(records_);
    return {};
  }

  Status set_meta(std::string_view k, std::string_view v) {
    auto s = db_.set_meta(k, v);
    if (!s)
      return Error(s.error().code,
                   "saving update state '" + std::string(k) + "': " + s.error().message);
    return {};
  }

  // --- NVD -----------------------------------------------------------------------------------

  double nvd_interval() const {
    if (o_.nvd_interval >= 0) return o_.nvd_interval;
    return o_.nvd_api_key.empty() ? 6.0 : 0.6;
  }

  // Fetches one window (or the whole set when start is empty) from `first_index`.
  Status nvd_window(UpdateReport::Source& src, const std::string& start, const std::string& end,
                    std::uint64_t first_index) {
    std::uint64_t index = first_index;
    int page_size = std::clamp(o_.nvd_page_size, 1, 2000);
    httplib::Headers h;
    if (!o_.nvd_api_key.empty()) h.emplace("apiKey", o_.nvd_api_key);
    h.emplace("Accept-Encoding", "gzip");
    for (std::uint64_t guard = 0; guard < 1000000; ++guard) {
      std::string url = o_.nvd_base;
      url += url.find('?') == std::string::npos ? '?' : '&';
      url += "startIndex=" + std::to_string(index) + "&resultsPerPage=" + std::to_string(page_size);
      if (!start.empty())
        url += "&lastModStartDate=" + url_escape(start) + "&lastModEndDate=" + url_escape(end);
      auto r = fetch_.get(url, h, src, nvd_interval());
      if (!r) return r.error();
      if (r->status != 200) return Error(Errc::io, http_error(url, *r));
      // Page header: totalResults and resultsPerPage (records in this page).
      std::int64_t total = -1, per_page = -1;
      {
        simdjson::ondemand::parser parser;
        simdjson::padded_string ps(r->body);
        simdjson::ondemand::document doc;
        if (parser.iterate(ps).get(doc) == simdjson::SUCCESS) {
          simdjson::ondemand::object obj;
          if (doc.get_object().get(obj) == simdjson::SUCCESS) {
            for (auto field : obj) {
              std::string_view key;
              if (field.unescaped_key().get(key) != simdjson::SUCCESS) break;
              std::int64_t v;
              if (key == "totalResults" && field.value().get_int64().get(v) == simdjson::SUCCESS)
                total = v;
              else if (key == "resultsPerPage" &&
                       field.value().get_int64().get(v) == simdjson::SUCCESS)
                per_page = v;
              if (total >= 0 && per_page >= 0) break;
            }
          }
        }
      }
      if (total < 0 || per_page < 0)
        return Error(Errc::corrupt, "GET " + url +
                                        ": not an NVD API 2.0 page (no totalResults / "
                                        "resultsPerPage)");
      if (per_page > 0 || total > 0) {
        auto s = import(src, "nvd-" + std::to_string(index) + ".json", r->body);
        if (!s) return s;
      }
      index += static_cast<std::uint64_t>(per_page);
      bool done = index >= static_cast<std::uint64_t>(total) || per_page == 0;
      if (per_page == 0 && index < static_cast<std::uint64_t>(total))
        return Error(Errc::corrupt,
                     "GET " + url + ": empty page before totalResults " + std::to_string(total));
      if (done) return {};
      // Committed: remember where to continue if killed.
      auto s = set_meta("nvd.resume", std::to_string(index));
      if (!s) return s;
      s = set_meta("nvd.resume_end", end);
      if (!s) return s;
    }
    return Error(Errc::limit_exceeded, "NVD: too many pages");
  }

  void nvd() {
    UpdateReport::Source src;
    src.name = "nvd";
    Status st = nvd_run(src);
    if (!st) src.error = st.error().message;
    rep_.sources.push_back(std::move(src));
  }

  Status nvd_run(UpdateReport::Source& src) {
    std::string last = meta_or_empty(db_, "nvd.last_modified");
    std::string resume = meta_or_empty(db_, "nvd.resume");
    std::string resume_end = meta_or_empty(db_, "nvd.resume_end");
    std::uint64_t first_index = 0;
    if (!resume.empty()) {
      try {
        first_index = std::stoull(resume);
        src.resumed = true;
      } catch (...) {
        first_index = 0;
      }
    }
    std::int64_t run_end = now();
    if (last.empty()) {
      // First run: everything, no lastMod filter.
      src.window = "full";
      auto s = nvd_window(src, "", "", first_index);
      if (!s) return s;
    } else {
      auto start_t = parse_time(last);
      if (!start_t)
        return Error(Errc::corrupt, "meta nvd.last_modified is not a time: '" + last + "'");
      std::int64_t t = *start_t;
      std::int64_t max_span = std::int64_t{o_.nvd_max_window_days} * 86400;
      if (max_span <= 0) max_span = 120 * 86400;
      bool first = true;
      while (t < run_end) {
        std::int64_t e = std::min(t + max_span, run_end);
        std::string ws = rfc3339(t), we = rfc3339(e);
        std::uint64_t from = 0;
        if (first && src.resumed) {
          from = first_index;
          if (!resume_end.empty()) {
            auto re = parse_time(resume_end);
            if (re && *re > t) {
              e = *re;
              we = rfc3339(e);
            }
          }
        }
        first = false;
        if (!src.window.empty()) src.window += ", ";
        src.window += ws + ".." + we;
        auto s = nvd_window(src, ws, we, from);
        if (!s) return s;
        // The whole window succeeded.
        s = set_meta("nvd.last_modified", we);
        if (!s) return s;
        s = set_meta("nvd.resume", "");
        if (!s) return s;
        t = e;
      }
    }
    auto s = set_meta("nvd.last_modified", rfc3339(run_end));
    if (!s) return s;
    s = set_meta("nvd.resume", "");
    if (!s) return s;
    return set_meta("nvd.resume_end", "");
  }

  // --- whole-file downloads -------------------------------------------------------------------

  void file(const std::string& name, const std::string& key, const std::string& url,
            const std::string& import_name) {
    UpdateReport::Source src;
    src.name = name;
    Status st = file_run(src, key, url, import_name);
    if (!st) src.error = st.error().message;
    rep_.sources.push_back(std::move(src));
  }

  Status file_run(UpdateReport::Source& src, const std::string& key, const std::string& url,
                  const std::string& import_name) {
    httplib::Headers h;
    std::string etag = meta_or_empty(db_, key + ".etag");
    std::string lm = meta_or_empty(db_, key + ".last_modified_header");
    if (!etag.empty()) h.emplace("If-None-Match", etag);
    if (!lm.empty()) h.emplace("If-Modified-Since", lm);
    auto r = fetch_.get(url, h, src, 0);
    if (!r) return r.error();
    if (r->status == 304) {
      src.not_modified = true;
      return {};
    }
    if (r->status != 200) return Error(Errc::io, http_error(url, *r));
    auto s = import(src, import_name, r->body);
    if (!s) return s;
    s = set_meta(key + ".etag", r->header("ETag"));
    if (!s) return s;
    return set_meta(key + ".last_modified_header", r->header("Last-Modified"));
  }

  void run() {
    auto want = [&](const char* s) {
      return o_.sources.empty() ||
             std::find(o_.sources.begin(), o_.sources.end(), s) != o_.sources.end();
    };
    if (want("nvd")) nvd();
    if (want("osv")) {
      std::string base = o_.osv_base;
      while (!base.empty() && base.back() == '/') base.pop_back();
      for (const auto& eco : o_.osv_ecosystems)
        file("osv." + eco, "osv." + eco, base + "/" + url_escape(eco) + "/all.zip",
             "osv-" + eco + "-all.zip");
    }
    if (want("kev")) file("kev", "kev", o_.kev_url, "known_exploited_vulnerabilities.json");
    if (want("epss")) file("epss", "epss", o_.epss_url, "epss_scores-current.csv.gz");
  }

 private:
  Database& db_;
  const UpdateOptions& o_;
  UpdateReport& rep_;
  Fetcher fetch_;
  std::uint64_t records_ = 0;
};

}  // namespace

bool UpdateReport::ok() const {
  return std::all_of(sources.begin(), sources.end(),
                     [](const Source& s) { return s.error.empty(); });
}

Result<UpdateReport> update(Database& db, const UpdateOptions& opts, UpdateReport& report) {
  for (const auto& s : opts.sources)
    if (s != "nvd" && s != "osv" && s != "kev" && s != "epss")
      return Error(Errc::usage, "unknown update source '" + s + "' (nvd, osv, kev, epss)");
  report = UpdateReport{};
  auto t0 = Clock::now();
  Updater u(db, opts, report);
  u.run();
  report.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (report.ok()) return report;
  std::string msg = "db update failed:";
  for (const auto& s : report.sources)
    if (!s.error.empty()) msg += "\n  " + s.name + ": " + s.error;
  msg += "\n(work committed before the failure is kept; run the update again to continue)";
  return Error(Errc::io, msg);
}

Result<UpdateReport> update(Database& db, const UpdateOptions& opts) {
  UpdateReport rep;
  return update(db, opts, rep);
}

std::string describe(const UpdateReport& r) {
  std::string out;
  char buf[64];
  for (const auto& s : r.sources) {
    out += s.name + ": ";
    if (!s.error.empty()) {
      out += "FAILED: " + s.error + "\n  ";
    }
    if (s.not_modified) {
      out += "not modified (304), nothing downloaded";
    } else {
      out += std::to_string(s.counts.read) + " records read, " + std::to_string(s.counts.inserted) +
             " new, " + std::to_string(s.counts.updated) + " updated, " +
             std::to_string(s.counts.unchanged) + " unchanged";
      if (s.skipped) out += ", " + std::to_string(s.skipped) + " malformed skipped";
      std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(s.bytes) / 1e6);
      out += "; " + std::to_string(s.pages) + (s.name == "nvd" ? " pages, " : " files, ") +
             std::to_string(s.requests) + " requests, " + buf + " MB";
    }
    if (s.retries) out += ", " + std::to_string(s.retries) + " retries";
    if (s.resumed) out += ", resumed";
    if (!s.window.empty()) out += "; window " + s.window;
    out += "\n";
  }
  std::snprintf(buf, sizeof buf, "%.1f", r.seconds);
  out += std::string(r.ok() ? "update complete" : "update incomplete") + " in " + buf + " s";
  if (!r.issues.empty()) out += "; " + std::to_string(r.issues.size()) + " importer issues";
  out += "\n";
  return out;
}

Result<UpdateArgs> parse_update_args(const std::vector<std::string>& args,
                                     const std::function<const char*(const char*)>& getenv) {
  UpdateArgs out;
  UpdateOptions& o = out.options;
  bool key_set = false, eco_set = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::string flag = a, value;
    bool has_value = false;
    if (a.rfind("--", 0) == 0) {
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        flag = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_value = true;
      }
    }
    static const char* known[] = {"--nvd-api-key",   "--nvd-url",      "--osv-url",
                                  "--kev-url",       "--epss-url",     "--source",
                                  "--osv-ecosystem", "--nvd-page-size"};
    bool is_known = std::find_if(std::begin(known), std::end(known),
                                 [&](const char* k) { return flag == k; }) != std::end(known);
    if (!is_known) {
      out.rest.push_back(a);
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return Error(Errc::usage, flag + " needs a value");
      value = args[++i];
    }
    if (flag == "--nvd-api-key") {
      o.nvd_api_key = value;
      key_set = true;
    } else if (flag == "--nvd-url") {
      o.nvd_base = value;
    } else if (flag == "--osv-url") {
      o.osv_base = value;
    } else if (flag == "--kev-url") {
      o.kev_url = value;
    } else if (flag == "--epss-url") {
      o.epss_url = value;
    } else if (flag == "--source") {
      if (value != "nvd" && value != "osv" && value != "kev" && value != "epss")
        return Error(Errc::usage, "--source " + value + ": expected nvd, osv, kev or epss");
      o.sources.push_back(value);
    } else if (flag == "--osv-ecosystem") {
      if (!eco_set) o.osv_ecosystems.clear();
      eco_set = true;
      o.osv_ecosystems.push_back(value);
    } else if (flag == "--nvd-page-size") {
      char* end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (!end || *end || n < 1 || n > 2000)
        return Error(Errc::usage, "--nvd-page-size " + value + ": expected 1..2000");
      o.nvd_page_size = static_cast<int>(n);
    }
  }
  if (!key_set && getenv) {
    const char* k = getenv("NVD_API_KEY");
    if (k && *k) o.nvd_api_key = k;
  }
  return out;
}

}  // namespace waybill::vuln
