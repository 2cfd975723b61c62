// SPDX 2.3 JSON (schema: spdx-schema.json of spdx-spec support/2.3), streamed with rapidjson.
// Content is built once in spdx_common.cpp and shared with the tag-value form.
#include <rapidjson/writer.h>

#include "sbom/common.h"
#include "sbom/formats.h"
#include "sbom/spdx/spdx_common.h"

namespace waybill::sbom {

namespace {

class SpdxJson {
 public:
  explicit SpdxJson(std::ostream& out) : os_(out), w_(os_) {}

  void run(const spdx::Document& d) {
    w_.StartObject();
    kv("spdxVersion", "SPDX-2.3");
    kv("dataLicense", "CC0-1.0");
    kv("SPDXID", "SPDXRef-DOCUMENT");
    kv("name", d.name);
    kv("documentNamespace", d.namespace_uri);
    key("creationInfo");
    w_.StartObject();
    kv("created", d.created);
    key("creators");
    w_.StartArray();
    str(d.creator);
    w_.EndArray();
    w_.EndObject();
    kv_opt("comment", d.comment);
    annotations(d.annotations);

    key("packages");
    w_.StartArray();
    for (const auto& p : d.packages) package(p);
    w_.EndArray();

    if (!d.extracted.empty()) {
      key("hasExtractedLicensingInfos");
      w_.StartArray();
      for (const auto& e : d.extracted) {
        w_.StartObject();
        kv("licenseId", e.id);
        kv("name", e.name);
        kv("extractedText", e.text);
        w_.EndObject();
      }
      w_.EndArray();
    }

    key("relationships");
    w_.StartArray();
    for (const auto& r : d.relationships) {
      w_.StartObject();
      kv("spdxElementId", r.from);
      kv("relationshipType", r.type);
      kv("relatedSpdxElement", r.to);
      w_.EndObject();
    }
    w_.EndArray();
    w_.EndObject();
    os_.Flush();
  }

 private:
  void str(std::string_view s) {
    std::string c = detail::clean_text(s);
    w_.String(c.data(), static_cast<rapidjson::SizeType>(c.size()));
  }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void kv(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }
  void kv_opt(std::string_view k, std::string_view v) {
    if (!v.empty()) kv(k, v);
  }

  void annotations(const std::vector<spdx::Annotation>& list) {
    if (list.empty()) return;
    key("annotations");
    w_.StartArray();
    for (const auto& a : list) {
      w_.StartObject();
      kv("annotationDate", a.date);
      kv("annotationType", "OTHER");
      kv("annotator", a.annotator);
      kv("comment", a.comment);
      w_.EndObject();
    }
    w_.EndArray();
  }

  void package(const spdx::Package& p) {
    w_.StartObject();
    kv("SPDXID", p.spdxid);
    kv("name", p.name);
    kv_opt("versionInfo", p.version);
    kv("supplier", p.supplier);
    kv("downloadLocation", "NOASSERTION");
    key("filesAnalyzed");
    w_.Bool(false);
    kv_opt("homepage", p.homepage);
    kv_opt("sourceInfo", p.source_info);
    if (!p.sha256.empty()) {
      key("checksums");
      w_.StartArray();
      w_.StartObject();
      kv("algorithm", "SHA256");
      kv("checksumValue", p.sha256);
      w_.EndObject();
      w_.EndArray();
    }
    kv("licenseConcluded", "NOASSERTION");
    kv("licenseDeclared", p.license_declared);
    kv("copyrightText", "NOASSERTION");
    kv_opt("description", p.description);
    kv_opt("comment", p.comment);
    if (!p.refs.empty()) {
      key("externalRefs");
      w_.StartArray();
      for (const auto& r : p.refs) {
        w_.StartObject();
        kv("referenceCategory", r.category);
        kv("referenceType", r.type);
        kv("referenceLocator", r.locator);
        w_.EndObject();
      }
      w_.EndArray();
    }
    kv("primaryPackagePurpose", p.purpose);
    annotations(p.annotations);
    w_.EndObject();
  }

  detail::BufferedOStream os_;
  rapidjson::Writer<detail::BufferedOStream> w_;
};

class SpdxJsonEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"spdx-json", "SPDX 2.3 JSON"};
    return d;
  }
  std::string_view file_extension() const override { return ".spdx.json"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    const model::Sbom& sbom = report.sbom;
    SpdxJson(out).run(spdx::build_document(sbom));
    out << '\n';
    if (!out) return Error(Errc::io, "spdx-json: write failed");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<Encoder> make_spdx_json_encoder() {
  return std::make_unique<SpdxJsonEncoder>();
}

}  // namespace waybill::sbom
