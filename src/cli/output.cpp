#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>

#include "catalog/cataloger.h"
#include "sbom/encoder.h"
#include "unpack/unpacker.h"

namespace waybill::cli {

namespace {

const sbom::EncoderRegistry& encoders() {
  static const sbom::EncoderRegistry r = [] {
    sbom::EncoderRegistry reg;
    sbom::register_builtin_encoders(reg);
    return reg;
  }();
  return r;
}

std::string truncate(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  return s.substr(0, n - 1) + "~";
}

std::string methods_of(const model::Component& c) {
  std::set<std::string> m;
  for (const auto& e : c.evidence) {
    std::string x = e.method;
    if (x.rfind("package-db/", 0) == 0) x = x.substr(11);
    m.insert(x);
  }
  std::string s;
  for (const auto& x : m) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string where_of(const model::Component& c) {
  for (const auto& e : c.evidence) {
    if (e.method.rfind("package-db", 0) == 0 || e.path.empty()) continue;
    // Raw regions (a decompressed kernel, an unknown gap) only make sense with their root.
    bool raw = e.path.size() > 8 && e.path.compare(e.path.size() - 8, 8, ".unknown") == 0;
    return raw && !e.root.empty() ? e.root + e.path : e.path;
  }
  if (!c.files.empty()) return c.files.front().path;
  return c.evidence.empty() ? "" : c.evidence.front().path;
}

bool color_ok(std::ostream& out) { return &out == &std::cout && isatty(STDOUT_FILENO); }

}  // namespace

bool is_known_format(const std::string& f) {
  return f == "table" || encoders().find(f) != nullptr;
}

std::string known_formats() {
  std::string s = "table";
  for (const auto& e : encoders().all()) s += ", " + std::string(e->describe().id);
  return s;
}

Status write_format(const std::string& format, const pipeline::Inventory& inv, std::ostream& out) {
  if (format == "table") {
    print_summary_table(out, inv);
    return Status::success();
  }
  const sbom::Encoder* e = encoders().find(format);
  if (!e) return Error(Errc::usage, "unknown format " + format);
  model::Report report;
  report.sbom = inv.sbom;
  return e->encode(report, out);
}

void print_summary_table(std::ostream& out, const pipeline::Inventory& inv) {
  const auto& s = inv.sbom;
  bool color = color_ok(out);
  auto bold = [&](const std::string& t) { return color ? "\033[1m" + t + "\033[0m" : t; };
  out << bold("waybill scan of " + s.target.name) << "  (" << s.target.kind;
  if (s.target.kind == "image") out << ", " << s.target.size << " bytes, sha256 " << s.target.sha256;
  out << ")\n";
  // Containers
  std::map<std::string, int> formats;
  for (const auto& c : inv.unpack.chunks)
    if (c.status != "padding" && c.status != "unknown") formats[c.format]++;
  out << "containers: ";
  if (formats.empty()) out << "none recognised";
  bool first = true;
  for (const auto& [f, n] : formats) {
    out << (first ? "" : ", ") << f << (n > 1 ? " x" + std::to_string(n) : "");
    first = false;
  }
  out << "; " << inv.unpack.total_entries << " entries, "
      << std::fixed << std::setprecision(1) << static_cast<double>(inv.unpack.total_bytes) / 1e6
      << " MB extracted in " << std::setprecision(2) << inv.unpack.seconds << " s\n";
  for (const auto& os : s.operating_systems)
    out << "os: " << (os.pretty_name.empty() ? os.name : os.pretty_name) << " (" << os.path << ")\n";
  out << "\n";

  std::vector<const model::Component*> comps;
  for (const auto& c : s.components) comps.push_back(&c);
  std::stable_sort(comps.begin(), comps.end(), [](auto* a, auto* b) {
    if ((a->type == "operating-system") != (b->type == "operating-system"))
      return a->type == "operating-system";
    return a->name < b->name;
  });
  std::size_t wn = 4, wv = 7, wt = 4, wm = 5;
  for (auto* c : comps) {
    wn = std::max(wn, std::min<std::size_t>(c->name.size(), 28));
    wv = std::max(wv, std::min<std::size_t>(c->version.size(), 18));
    wt = std::max(wt, c->type.size());
    wm = std::max(wm, std::min<std::size_t>(methods_of(*c).size(), 30));
  }
  out << std::left << std::setw(static_cast<int>(wn)) << "NAME" << "  " << std::setw(static_cast<int>(wv))
      << "VERSION" << "  " << std::setw(static_cast<int>(wt)) << "TYPE" << "  "
      << std::setw(static_cast<int>(wm)) << "FOUND BY" << "  WHERE\n";
  for (auto* c : comps) {
    std::string ver = c->version.empty() ? "?" : c->version;
    out << std::left << std::setw(static_cast<int>(wn)) << truncate(c->name, 28) << "  "
        << std::setw(static_cast<int>(wv)) << truncate(ver, 18) << "  "
        << std::setw(static_cast<int>(wt)) << c->type << "  " << std::setw(static_cast<int>(wm))
        << truncate(methods_of(*c), 30) << "  " << where_of(*c)
        << (c->notes.empty() ? "" : "  [!]") << "\n";
  }
  std::size_t notes = 0;
  for (auto* c : comps) notes += c->notes.empty() ? 0 : 1;
  std::size_t warn = 0, err = 0;
  for (const auto& d : s.diagnostics) {
    warn += d.severity == Severity::warning;
    err += d.severity == Severity::error;
  }
  out << "\n" << comps.size() << " components";
  if (notes) out << ", " << notes << " with notes [!] (see -o json)";
  out << "; diagnostics: " << err << " errors, " << warn << " warnings\n";
}

void print_unpack_summary(std::ostream& out, const unpack::UnpackReport& r, const std::string& dir,
                          const std::string& manifest) {
  out << "unpacked " << r.input << " (" << r.input_size << " bytes) into " << dir << "\n";
  for (const auto& c : r.chunks) {
    out << std::string(2 + 2 * c.depth, ' ') << "0x" << std::hex << c.offset << std::dec << " +"
        << c.size << "  " << c.format;
    if (!c.description.empty()) out << "  (" << c.description << ")";
    if (c.status != "extracted" && c.status != c.format) out << "  [" << c.status << "]";
    if (!c.extract_root.empty()) out << "  -> " << c.extract_root << " (" << c.entries << " entries)";
    out << "\n";
  }
  out << r.total_entries << " entries, " << r.total_bytes << " bytes";
  if (r.skipped_special) out << ", " << r.skipped_special << " device/special files skipped";
  if (r.refused_unsafe) out << ", " << r.refused_unsafe << " unsafe entries refused";
  if (r.limit_hit) out << ", A LIMIT WAS HIT (see diagnostics)";
  out << "\nmanifest: " << manifest << "\n";
}

void print_plugin_list(std::ostream& out) {
  unpack::UnpackerRegistry u;
  unpack::register_builtin_unpackers(u);
  catalog::CatalogerRegistry c;
  catalog::register_builtin_catalogers(c);
  out << "Container formats (unpack):\n";
  for (const auto& p : u.all())
    out << "  " << std::left << std::setw(18) << p->describe().id << p->describe().summary << "\n";
  out << "Catalogers (inventory):\n";
  for (const auto& p : c.all())
    out << "  " << std::left << std::setw(18) << p->describe().id << p->describe().summary << "\n";
  out << "Output formats (-o):\n  table             human summary\n";
  for (const auto& e : encoders().all())
    out << "  " << std::left << std::setw(18) << e->describe().id << e->describe().summary << "\n";
}

}  // namespace waybill::cli
