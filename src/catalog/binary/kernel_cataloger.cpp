// The Linux kernel as a component: from "Linux version" banners (found by the signature scanner
// in any file or blob, typically a decompressed kernel payload) and from kernel modules'
// vermagic. Reports the real upstream version, not Debian's or Ubuntu's ABI name.
#include <re2/re2.h>

#include <map>

#include "catalog/binary/kernel.h"
#include "catalog/binary/signature_table.h"
#include "catalog/catalogers.h"
#include "catalog/component_db.h"

namespace waybill::catalog {

namespace {

// Upstream part of a release string: "5.10.161-rt-xyz" -> "5.10.161", "6.1" -> "6.1".
std::string upstream_of_release(std::string_view release) {
  static const RE2 re(R"(^([0-9]+\.[0-9]+(?:\.[0-9]+)?))");
  std::string v;
  RE2::PartialMatch(re2::StringPiece(release.data(), release.size()), re, &v);
  return v;
}

// Debian ABI names ("6.1.0-50-armmp") carry ".0" and an ABI number instead of the real patch
// level, so the upstream version cannot be read from them.
bool debian_abi_release(std::string_view release) {
  static const RE2 re(R"(^[0-9]+\.[0-9]+\.0-[0-9]+-[a-z0-9]+(?:-[a-z0-9]+)*$)");
  return RE2::FullMatch(re2::StringPiece(release.data(), release.size()), re);
}

}  // namespace

KernelVersion parse_kernel_release(std::string_view vermagic) {
  KernelVersion k;
  auto sp = vermagic.find_first_of(" \t");
  k.release = std::string(vermagic.substr(0, sp));
  if (k.release.empty() || !std::isdigit(static_cast<unsigned char>(k.release[0]))) return {};
  k.version = debian_abi_release(k.release) ? std::string() : upstream_of_release(k.release);
  return k;
}

KernelVersion parse_kernel_banner(std::string_view banner) {
  static const std::string_view kPrefix = "Linux version ";
  auto p = banner.find(kPrefix);
  if (p == std::string_view::npos) return {};
  banner = banner.substr(p + kPrefix.size());
  KernelVersion k = parse_kernel_release(banner);
  if (k.release.empty()) return k;
  re2::StringPiece text(banner.data(), banner.size());
  // Distribution suffixes come after the build number ("#1 SMP ..."), not inside the compiler
  // description ("(gcc-12 (Debian 12.2.0-14) 12.2.0)").
  auto hash = banner.rfind('#');
  re2::StringPiece tail = hash == std::string_view::npos ? text : text.substr(hash);
  static const RE2 debian(R"(Debian ([0-9]+\.[0-9]+(?:\.[0-9]+)?)(-[0-9A-Za-z.+~]+)?)");
  static const RE2 ubuntu(
      R"(\(Ubuntu ([0-9]+\.[0-9]+\.[0-9]+-[0-9]+\.[0-9]+)[^ )]* ([0-9]+\.[0-9]+(?:\.[0-9]+)?)\))");
  std::string up, rev, pkg;
  if (RE2::PartialMatch(tail, debian, &up, &rev)) {
    k.version = up;
    k.package_version = up + rev;
    k.distro = "debian";
  } else if (RE2::PartialMatch(tail, ubuntu, &pkg, &up)) {
    k.version = up;
    k.package_version = pkg;
    k.distro = "ubuntu";
  }
  return k;
}

namespace {

class KernelCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"kernel", "Linux kernel from version banners and module vermagic"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return {}; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    const SignatureTable& table = SignatureTable::builtin();
    const int sig = table.index_of(kKernelSignatureId);
    struct Acc {
      KernelVersion k;
      model::Component c;
      std::size_t vermagic_files = 0;
    };
    std::map<std::string, Acc> by_release;
    auto acc_for = [&](const KernelVersion& k) -> Acc& {
      Acc& a = by_release[k.release];
      if (a.k.release.empty()) a.k = k;
      // A banner knows more than a vermagic string: let it fill in the gaps.
      if (a.k.version.empty()) a.k.version = k.version;
      if (a.k.package_version.empty()) a.k.package_version = k.package_version;
      if (a.k.distro.empty()) a.k.distro = k.distro;
      return a;
    };
    for (const auto& f : index.files()) {
      for (const auto& h : f.hits) {
        if (sig < 0 || h.signature != static_cast<std::uint32_t>(sig)) continue;
        KernelVersion k = parse_kernel_banner(h.matched);
        if (k.release.empty()) continue;
        Acc& a = acc_for(k);
        model::Evidence e;
        e.method = "kernel-banner";
        e.source = "kernel";
        e.path = f.path;
        e.root = f.root;
        e.offset = h.offset;
        e.matched = h.matched;
        e.version = k.version;
        e.confidence = k.version.empty() ? 0.6 : 0.95;
        e.detail = std::string(kKernelSignatureId);
        a.c.evidence.push_back(std::move(e));
        if (!f.blob && !f.sha256.empty()) a.c.files.push_back({f.path, f.root, f.sha256, f.size});
      }
      if (f.elf && !f.elf->vermagic.empty()) {
        KernelVersion k = parse_kernel_release(f.elf->vermagic);
        if (k.release.empty()) continue;
        Acc& a = acc_for(k);
        // Thousands of modules say the same: keep a few as evidence, count the rest.
        if (++a.vermagic_files <= 8) {
          model::Evidence e;
          e.method = "kernel-vermagic";
          e.source = "kernel";
          e.path = f.path;
          e.root = f.root;
          e.matched = f.elf->vermagic.substr(0, 200);
          e.version = k.version;
          e.confidence = k.version.empty() ? 0.4 : 0.7;
          e.detail = "vermagic of a kernel module";
          a.c.evidence.push_back(std::move(e));
        }
      }
    }
    const ComponentInfo* info = lookup_component("linux");
    for (auto& [release, a] : by_release) {
      model::Component& c = a.c;
      c.type = "operating-system";
      c.name = "linux";
      c.upstream_name = "linux";
      c.version = a.k.version;
      c.package_version = a.k.package_version;
      c.ecosystem = "kernel";
      c.distro = a.k.distro;
      c.purl = "pkg:generic/linux" + (c.version.empty() ? std::string() : "@" + c.version);
      c.cpes.push_back(make_cpe23("linux:linux_kernel", c.version, "o"));
      c.licenses = {"GPL-2.0-only"};
      if (info) {
        c.supplier = info->supplier;
        c.homepage = info->homepage;
      }
      c.properties["waybill:kernel:release"] = release;
      if (a.vermagic_files > 0)
        c.properties["waybill:kernel:modules"] = std::to_string(a.vermagic_files);
      if (c.version.empty())
        c.notes.push_back("kernel release '" + release +
                          "' is a distribution ABI name; the upstream version is not in it");
      for (const auto& e : c.evidence) c.confidence = std::max(c.confidence, e.confidence);
      out.components.push_back(std::move(c));
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_kernel_cataloger() {
  return std::make_unique<KernelCataloger>();
}

}  // namespace waybill::catalog
