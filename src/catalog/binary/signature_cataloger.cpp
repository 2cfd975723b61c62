// Components from binary version signatures (data/signatures.json): the hits were found by the
// walk (catalog/walker.cpp); this groups them into one component per (name, version).
#include <algorithm>
#include <map>
#include <set>

#include "catalog/binary/kernel.h"
#include "catalog/binary/signature_table.h"
#include "catalog/catalogers.h"
#include "catalog/component_db.h"

namespace waybill::catalog {

namespace {

std::string replace_all(std::string s, std::string_view what, std::string_view with) {
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size()))
    s.replace(p, what.size(), with);
  return s;
}

// Does a hit of `sig` in `f` count? Text files (docs, changelogs, package databases, scripts)
// quote versions of everything, so only binaries count unless the signature says otherwise.
bool hit_counts(const Signature& sig, const FileRecord& f) {
  return sig.any_file || !sig.files.empty() || f.elf.has_value() || f.blob;
}

model::Component make_component(const Signature& sig, const std::string& version) {
  model::Component c;
  c.type = sig.type;
  c.name = sig.name;
  c.upstream_name = sig.name;
  c.version = version;
  c.ecosystem = "generic";
  c.purl = replace_all(sig.purl, "{version}", version);
  const ComponentInfo* info = lookup_component(sig.name);
  if (!sig.cpes.empty()) {
    // Templates are complete CPE strings; the version goes in escaped like make_cpe23 does.
    std::string v = make_cpe23("x:x", version);
    v = v.substr(std::string_view("cpe:2.3:a:x:x:").size());
    v = v.substr(0, v.find(":*:*:*:*:*:*:*"));
    for (const auto& t : sig.cpes) c.cpes.push_back(replace_all(t, "{version}", v));
  } else if (info && !info->cpes.empty()) {
    for (const auto& vp : info->cpes) c.cpes.push_back(make_cpe23(vp, version));
  } else {
    c.cpes.push_back(make_cpe23(sig.vendor + ":" + sig.product, version));
  }
  c.supplier = sig.supplier.empty() && info ? info->supplier : sig.supplier;
  c.licenses = sig.licenses;
  if (c.licenses.empty() && info && !info->license.empty()) c.licenses.push_back(info->license);
  if (info) c.homepage = info->homepage;
  return c;
}

class SignatureCataloger final : public Cataloger {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"binary/signatures",
                              "components from version strings in binaries (signature table)"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return {}; }

  void catalog(const FileIndex& index, CatalogOutput& out) const override {
    const SignatureTable& table = SignatureTable::builtin();
    std::map<std::pair<std::string, std::string>, model::Component> comps;
    std::map<std::pair<std::string, std::string>, std::set<std::pair<std::string, std::string>>>
        seen_files;
    for (const auto& f : index.files()) {
      if (f.hits.empty()) continue;
      std::map<std::uint32_t, std::set<std::string>> versions_per_sig;
      for (const auto& h : f.hits) {
        if (h.signature >= table.all().size()) continue;
        const Signature& sig = table.at(h.signature);
        if (sig.id == kKernelSignatureId || !hit_counts(sig, f) || h.version.empty()) continue;
        versions_per_sig[h.signature].insert(h.version);
        auto key = std::make_pair(sig.name, h.version);
        auto it = comps.find(key);
        if (it == comps.end()) it = comps.emplace(key, make_component(sig, h.version)).first;
        model::Component& c = it->second;
        model::Evidence e;
        e.method = "binary-signature";
        e.source = "binary/signatures";
        e.path = f.path;
        e.root = f.root;
        e.offset = h.offset;
        e.matched = h.matched;
        e.version = h.version;
        e.confidence = sig.confidence;
        e.detail = sig.id;
        c.evidence.push_back(std::move(e));
        c.confidence = std::max(c.confidence, sig.confidence);
        if (seen_files[key].insert({f.root, f.path}).second)
          c.files.push_back({f.path, f.root, f.sha256, f.size});
      }
      for (const auto& [s, versions] : versions_per_sig) {
        if (versions.size() < 2) continue;
        std::string list;
        for (const auto& v : versions) list += (list.empty() ? "" : ", ") + v;
        const Signature& sig = table.at(s);
        for (const auto& v : versions)
          comps[{sig.name, v}].notes.push_back(f.path + " has hits of several versions of " +
                                               sig.id + " (" + list + ")");
      }
    }
    for (auto& [key, c] : comps) out.components.push_back(std::move(c));
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_signature_cataloger() {
  return std::make_unique<SignatureCataloger>();
}

}  // namespace waybill::catalog
