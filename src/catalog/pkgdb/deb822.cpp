#include "catalog/pkgdb/deb822.h"

namespace waybill::catalog::deb822 {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 128 || n[0] == '-' || n[0] == '#') return false;
  for (char c : n)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return false;
  return true;
}

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}

class Parser {
 public:
  Parser(const Options& o, Document& d) : o_(o), d_(d) {}

  void line(std::string_view l, std::uint32_t n, std::uint64_t off) {
    if (stopped_) return;
    if (blank(l)) {
      finish();
      return;
    }
    if (o_.allow_comments && l[0] == '#') return;
    if (l[0] == ' ' || l[0] == '\t') {
      if (!field_) {
        problem(n, off, "continuation line outside a field");
        return;
      }
      std::string_view rest = l.substr(1);
      append(trim(rest) == "." ? std::string_view{} : rest, n, off, true);
      return;
    }
    auto colon = l.find(':');
    if (colon == std::string_view::npos) {
      problem(n, off, "line is not a 'Name: value' field");
      field_ = nullptr;
      return;
    }
    std::string_view name = l.substr(0, colon);
    if (!valid_name(name)) {
      problem(n, off, "invalid field name");
      field_ = nullptr;
      return;
    }
    if (cur_.fields.empty()) {
      if (d_.stanzas.size() >= o_.max_stanzas) {
        problem(n, off, "too many stanzas; rest of file ignored");
        stopped_ = true;
        return;
      }
      cur_.line = n;
      cur_.offset = off;
    }
    if (cur_.fields.size() >= o_.max_fields) {
      if (cur_.fields.size() == o_.max_fields) problem(n, off, "too many fields in stanza");
      field_ = nullptr;
      return;
    }
    if (o_.report_duplicates && cur_.find(name))
      problem(n, off, "duplicate field '" + std::string(name) + "'");
    cur_.fields.push_back({std::string(name), {}, n});
    field_ = &cur_.fields.back();
    truncated_ = false;
    append(trim(l.substr(colon + 1)), n, off, false);
  }

  void finish() {
    if (!cur_.fields.empty()) d_.stanzas.push_back(std::move(cur_));
    cur_ = Stanza{};
    field_ = nullptr;
  }

 private:
  void append(std::string_view v, std::uint32_t n, std::uint64_t off, bool newline) {
    std::string& dst = field_->value;
    std::size_t need = v.size() + (newline ? 1 : 0);
    if (dst.size() + need > o_.max_value_bytes) {
      if (!truncated_) problem(n, off, "field '" + field_->name + "' too long; truncated");
      truncated_ = true;
      return;
    }
    if (newline) dst.push_back('\n');
    dst.append(v);
  }

  void problem(std::uint32_t n, std::uint64_t off, std::string msg) {
    if (d_.problems.size() >= o_.max_problems) {
      ++d_.dropped_problems;
      return;
    }
    d_.problems.push_back({n, off, std::move(msg)});
  }

  const Options& o_;
  Document& d_;
  Stanza cur_;
  Field* field_ = nullptr;
  bool truncated_ = false;
  bool stopped_ = false;
};

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view first_line(std::string_view v) {
  return v.substr(0, v.find('\n'));
}

const Field* Stanza::find(std::string_view name) const {
  for (const auto& f : fields)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

std::string_view Stanza::get(std::string_view name) const {
  const Field* f = find(name);
  return f ? std::string_view(f->value) : std::string_view{};
}

Document parse(std::string_view text, const Options& opts) {
  Document doc;
  Parser p(opts, doc);
  for_each_line(text,
                [&](std::string_view l, std::uint32_t n, std::uint64_t off) { p.line(l, n, off); });
  p.finish();
  return doc;
}

}  // namespace waybill::catalog::deb822
