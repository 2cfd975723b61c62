// SPDX 2.3 tag-value: the same document as spdx_json.cpp (built in spdx_common.cpp).
#include <string>

#include "sbom/common.h"
#include "sbom/formats.h"
#include "sbom/spdx/spdx_common.h"

namespace waybill::sbom {

namespace {

// Single-line value.
std::string v(std::string_view s) {
  return detail::clean_text(detail::one_line(s));
}

// An external reference locator has no spaces (the line is split on them).
std::string locator(std::string_view s) {
  std::string out;
  for (char c : v(s)) out += c == ' ' ? std::string("%20") : std::string(1, c);
  return out;
}

// Multi-line value: <text>...</text>; a literal "</text>" inside would end it early.
std::string text(std::string_view s) {
  std::string t = detail::clean_text(s);
  for (std::size_t pos = 0; (pos = t.find("</text>", pos)) != std::string::npos;)
    t.replace(pos, 7, "</ text>");
  return "<text>" + t + "</text>";
}

void annotations(std::ostream& out, const std::string& ref,
                 const std::vector<spdx::Annotation>& list) {
  for (const auto& a : list) {
    out << "Annotator: " << v(a.annotator) << "\nAnnotationDate: " << v(a.date)
        << "\nAnnotationType: OTHER\nSPDXREF: " << ref << "\nAnnotationComment: " << text(a.comment)
        << "\n\n";
  }
}

class SpdxTagValueEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"spdx-tag-value", "SPDX 2.3 tag-value"};
    return d;
  }
  std::string_view file_extension() const override { return ".spdx"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    const model::Sbom& sbom = report.sbom;
    spdx::Document d = spdx::build_document(sbom);
    out << "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n"
        << "DocumentName: " << v(d.name) << "\nDocumentNamespace: " << v(d.namespace_uri)
        << "\nCreator: " << v(d.creator) << "\nCreated: " << v(d.created) << "\n";
    if (!d.comment.empty()) out << "DocumentComment: " << text(d.comment) << "\n";
    out << "\n";
    annotations(out, "SPDXRef-DOCUMENT", d.annotations);

    for (const auto& p : d.packages) {
      out << "##### Package: " << v(p.name) << "\n\n";
      out << "PackageName: " << v(p.name) << "\nSPDXID: " << p.spdxid << "\n";
      if (!p.version.empty()) out << "PackageVersion: " << v(p.version) << "\n";
      out << "PackageSupplier: " << v(p.supplier) << "\n";
      out << "PackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n";
      if (!p.sha256.empty()) out << "PackageChecksum: SHA256: " << p.sha256 << "\n";
      if (!p.homepage.empty()) out << "PackageHomePage: " << v(p.homepage) << "\n";
      if (!p.source_info.empty()) out << "PackageSourceInfo: " << text(p.source_info) << "\n";
      out << "PackageLicenseConcluded: NOASSERTION\nPackageLicenseDeclared: "
          << v(p.license_declared) << "\nPackageCopyrightText: NOASSERTION\n";
      if (!p.description.empty()) out << "PackageDescription: " << text(p.description) << "\n";
      if (!p.comment.empty()) out << "PackageComment: " << text(p.comment) << "\n";
      for (const auto& r : p.refs)
        out << "ExternalRef: " << r.category << " " << r.type << " " << locator(r.locator) << "\n";
      out << "PrimaryPackagePurpose: " << p.purpose << "\n\n";
      annotations(out, p.spdxid, p.annotations);
    }

    if (!d.extracted.empty()) out << "##### Other licences\n\n";
    for (const auto& e : d.extracted) {
      out << "LicenseID: " << e.id << "\nExtractedText: " << text(e.text)
          << "\nLicenseName: " << v(e.name) << "\n\n";
    }

    out << "##### Relationships\n\n";
    for (const auto& r : d.relationships)
      out << "Relationship: " << r.from << " " << r.type << " " << r.to << "\n";
    if (!out) return Error(Errc::io, "spdx-tag-value: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Encoder> make_spdx_tag_value_encoder() {
  return std::make_unique<SpdxTagValueEncoder>();
}

}  // namespace waybill::sbom
