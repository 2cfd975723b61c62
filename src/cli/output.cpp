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

bool color_ok(std::ostream& out) {
  return &out == &std::cout && isatty(STDOUT_FILENO);
}

}  // namespace

bool is_known_format(const std::string& f) {
  return f == "table" || encoders().find(f) != nullptr;
}

std::string known_formats() {
  std::string s = "table";
  for (const auto& e : encoders().all()) s += ", " + std::string(e->describe().id);
  return s;
}

Status write_format(const std::string& format, const model::Report& report, std::ostream& out,
                    const TableOptions& table) {
  if (format == "table") {
    print_summary_table(out, report, table);
    return Status::success();
  }
  const sbom::Encoder* e = encoders().find(format);
  if (!e) return Error(Errc::usage, "unknown format " + format);
  return e->encode(report, out);
}

Status write_format(const std::string& format, const pipeline::Inventory& inv, std::ostream& out) {
  model::Report report;
  report.sbom = inv.sbom;
  TableOptions t;
  t.color = color_ok(out);
  t.unpack = &inv.unpack;
  return write_format(format, report, out, t);
}

void print_summary_table(std::ostream& out, const model::Report& report, const TableOptions& opts) {
  report::print_table(out, report, opts);
}

void print_summary_table(std::ostream& out, const pipeline::Inventory& inv) {
  model::Report report;
  report.sbom = inv.sbom;
  TableOptions t;
  t.color = color_ok(out);
  t.unpack = &inv.unpack;
  print_summary_table(out, report, t);
}

void print_unpack_summary(std::ostream& out, const unpack::UnpackReport& r, const std::string& dir,
                          const std::string& manifest) {
  out << "unpacked " << r.input << " (" << r.input_size << " bytes) into " << dir << "\n";
  for (const auto& c : r.chunks) {
    out << std::string(2 + 2 * c.depth, ' ') << "0x" << std::hex << c.offset << std::dec << " +"
        << c.size << "  " << c.format;
    if (!c.description.empty()) out << "  (" << c.description << ")";
    if (c.status != "extracted" && c.status != c.format) out << "  [" << c.status << "]";
    if (!c.extract_root.empty())
      out << "  -> " << c.extract_root << " (" << c.entries << " entries)";
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
