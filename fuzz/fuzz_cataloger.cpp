// libFuzzer harness for stage 2 (catalog). One source, compiled once per target:
//
//   -DWAYBILL_FUZZ_ID="pkgdb/dpkg" -DWAYBILL_FUZZ_PATH="/var/lib/dpkg/status"
//        the input becomes the retained content of that path in a FileIndex (and, when the
//        cataloger also wants "*.list" files, of one such file, e.g. /var/lib/dpkg/info/x.list),
//        then the cataloger runs over the index;
//   -DWAYBILL_FUZZ_SIGNATURES=1   SignatureScanner::scan over the input (an optional first line
//                                 "/some/path\n" sets the in-root path used for `files` globs);
//   -DWAYBILL_FUZZ_ELF=1          looks_like_elf + read_elf over the input.
//
// A cataloger id that is not registered (plugin still being written) makes the target a no-op.
// When WAYBILL_FUZZ_PATH matches none of the cataloger's wants(), the harness says so once and
// places the input at every path the cataloger wants instead, so it still exercises the parser.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/binary/signature_table.h"
#include "catalog/cataloger.h"
#include "catalog/elf/elf_reader.h"
#include "catalog/file_index.h"
#include "core/bytes.h"

namespace {

using namespace waybill;
using namespace waybill::catalog;

volatile std::uint8_t g_fold = 0;
void touch(std::string_view s) {
  std::uint8_t x = 0;
  for (char c : s) x ^= static_cast<std::uint8_t>(c);
  g_fold = g_fold ^ x;
}

#if defined(WAYBILL_FUZZ_SIGNATURES)

int run_one(const std::uint8_t* data, std::size_t size) {
  static const SignatureScanner* scanner = [] {
    auto* s = new SignatureScanner(SignatureTable::builtin());
    if (auto st = s->compile(); !st) {
      std::fprintf(stderr, "fuzz: signature table does not compile: %s\n",
                   st.error().to_string().c_str());
      __builtin_trap();
    }
    return s;
  }();
  ByteView in(data, size);
  std::string_view path = "/usr/bin/fuzz";
  if (size > 1 && data[0] == '/') {
    std::size_t nl = in.str().substr(0, 256).find('\n');
    if (nl != std::string_view::npos) {
      path = in.str(0, nl);
      in = in.sub(nl + 1);
    }
  }
  for (const auto& h : scanner->scan(in, path)) {
    if (h.offset >= in.size()) __builtin_trap();  // a hit must lie inside the file
    touch(h.matched);
    touch(h.version);
  }
  return 0;
}

#elif defined(WAYBILL_FUZZ_ELF)

int run_one(const std::uint8_t* data, std::size_t size) {
  ByteView in(data, size);
  (void)looks_like_elf(in);
  if (auto info = read_elf(in)) {
    touch(info->soname);
    for (const auto& n : info->needed) touch(n);
    touch(info->rpath);
    touch(info->runpath);
    touch(info->interpreter);
    touch(info->vermagic);
    touch(info->package_note);
  }
  return 0;
}

#else  // one cataloger

#if !defined(WAYBILL_FUZZ_ID) || !defined(WAYBILL_FUZZ_PATH)
#error "compile with -DWAYBILL_FUZZ_ID=... -DWAYBILL_FUZZ_PATH=..., or a WAYBILL_FUZZ_<mode>=1"
#endif

constexpr std::string_view kRoot = "fuzz.img.extract/0x0-squashfs";

// A concrete path matching a wants() glob: every '*' / '**' becomes "x", made absolute
// ("**/a" -> "/x/a"). If glob_match does not accept that, the relative form is tried too, so
// the parser still gets fuzzed while the glob and the path disagree.
std::string instantiate(std::string_view glob) {
  std::string out;
  for (std::size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == '*') {
      while (i + 1 < glob.size() && glob[i + 1] == '*') ++i;
      out += 'x';
    } else {
      out += glob[i];
    }
  }
  if (out.empty() || out[0] != '/') {
    std::string abs = "/" + out;
    if (glob_match(glob, abs) || !glob_match(glob, out)) return abs;
  }
  return out;
}

struct Setup {
  const Cataloger* cataloger = nullptr;
  std::vector<std::string> paths;  // where the input goes
};

Setup make_setup() {
  Setup s;
  // The registry owns the catalogers; keep it alive for the whole process.
  static CatalogerRegistry* keep = new CatalogerRegistry;
  register_builtin_catalogers(*keep);
  s.cataloger = keep->find(WAYBILL_FUZZ_ID);
  if (!s.cataloger) {
    std::fprintf(stderr, "fuzz: cataloger '%s' is not registered; every input is a no-op\n",
                 WAYBILL_FUZZ_ID);
    return s;
  }
  const std::string primary = WAYBILL_FUZZ_PATH;
  bool primary_wanted = false;
  for (auto g : s.cataloger->wants())
    if (glob_match(g, primary)) primary_wanted = true;
  if (primary_wanted) {
    s.paths.push_back(primary);
    for (auto g : s.cataloger->wants()) {
      std::string p = instantiate(g);
      if (p != primary && g.size() >= 5 && g.substr(g.size() - 5) == ".list") s.paths.push_back(p);
    }
  } else {
    std::fprintf(stderr,
                 "fuzz: %s wants no file at %s (fix WAYBILL_FUZZ_CATALOGERS in "
                 "fuzz/CMakeLists.txt); using all of its wants() paths instead\n",
                 WAYBILL_FUZZ_ID, WAYBILL_FUZZ_PATH);
    for (auto g : s.cataloger->wants()) s.paths.push_back(instantiate(g));
  }
  return s;
}

int run_one(const std::uint8_t* data, std::size_t size) {
  static const Setup setup = make_setup();
  if (!setup.cataloger) return 0;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  FileIndex index;
  for (const auto& p : setup.paths) {
    FileRecord r;
    r.root = kRoot;
    r.path = p;
    r.type = unpack::EntryType::file;
    r.mode = 0644;
    r.size = size;
    r.retained = true;
    r.content.assign(content);
    index.add(std::move(r));
  }
  CatalogOutput out;
  setup.cataloger->catalog(index, out);
  for (const auto& c : out.components) {
    touch(c.name);
    touch(c.version);
    touch(c.purl);
    for (const auto& cpe : c.cpes) touch(cpe);
  }
  for (const auto& d : out.diagnostics.items()) touch(d.message);
  return 0;
}

#endif

}  // namespace

// UBSan is compiled in recoverable mode (top-level CMakeLists.txt); stop at the first report so
// that libFuzzer saves the input, and print where it happened.
extern "C" const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return run_one(data, size);
}
