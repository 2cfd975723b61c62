// waybill's native SBOM JSON: encoder (rapidjson Writer, streamed) and decoder (rapidjson DOM).
#include "sbom/native/native_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/writer.h>

#include "sbom/common.h"
#include "sbom/formats.h"

namespace waybill::sbom {

namespace {

using Writer = rapidjson::Writer<detail::BufferedOStream>;

class NativeWriter {
 public:
  explicit NativeWriter(std::ostream& out) : os_(out), w_(os_) {}

  void run(const model::Report& r) {
    const model::Sbom& s = r.sbom;
    w_.StartObject();
    kv("waybill", "sbom");
    key("formatVersion");
    w_.Int(kNativeFormatVersion);
    key("target");
    w_.StartObject();
    kv("name", s.target.name);
    kv("kind", s.target.kind);
    kv("sha256", s.target.sha256);
    key("size");
    w_.Uint64(s.target.size);
    w_.EndObject();
    key("tool");
    w_.StartObject();
    kv("name", s.tool.name);
    kv("version", s.tool.version);
    w_.EndObject();
    kv("timestamp", s.timestamp);
    kv("serial", s.serial);

    key("components");
    w_.StartArray();
    for (const auto& c : s.components) component(c);
    w_.EndArray();

    key("relationships");
    w_.StartArray();
    for (const auto& r : s.relationships) {
      w_.StartObject();
      kv("from", r.from);
      kv("to", r.to);
      kv("type", r.type);
      w_.EndObject();
    }
    w_.EndArray();

    key("operatingSystems");
    w_.StartArray();
    for (const auto& os : s.operating_systems) {
      w_.StartObject();
      kv("id", os.id);
      kv("name", os.name);
      kv("versionId", os.version_id);
      kv("version", os.version);
      kv("prettyName", os.pretty_name);
      kv("idLike", os.id_like);
      kv("path", os.path);
      w_.EndObject();
    }
    w_.EndArray();

    key("diagnostics");
    w_.StartArray();
    for (const auto& d : s.diagnostics) {
      w_.StartObject();
      kv("severity", severity_name(d.severity));
      kv("code", errc_name(d.code));
      kv("source", d.source);
      kv("file", d.file);
      if (d.offset) {
        key("offset");
        w_.Uint64(*d.offset);
      }
      kv("message", d.message);
      w_.EndObject();
    }
    w_.EndArray();
    bool has_results = r.vulnerabilities_matched || r.checks_run || !r.findings.empty() ||
                       !r.checks.empty() || !r.trust.empty() || !r.policy.empty() ||
                       !r.vuln_sources.empty();
    if (has_results) results(r);
    w_.EndObject();
    os_.Flush();
  }

 private:
  void str(std::string_view s) {
    if (detail::is_clean_text(s)) {
      w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    } else {
      std::string c = detail::clean_text(s);
      w_.String(c.data(), static_cast<rapidjson::SizeType>(c.size()));
    }
  }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void kv(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }
  void strings(std::string_view k, const std::vector<std::string>& list) {
    key(k);
    w_.StartArray();
    for (const auto& s : list) str(s);
    w_.EndArray();
  }

  // The scan results beside the SBOM (written only when a stage ran or produced something, so an
  // SBOM-only document stays as it was). Field names are the model's in lowerCamelCase.
  void results(const model::Report& r) {
    key("vulnerabilitiesMatched");
    w_.Bool(r.vulnerabilities_matched);
    key("checksRun");
    w_.Bool(r.checks_run);
    key("vulnSources");
    w_.StartArray();
    for (const auto& [src, when] : r.vuln_sources) {
      w_.StartObject();
      kv("source", src);
      kv("newest", when);
      w_.EndObject();
    }
    w_.EndArray();
    key("findings");
    w_.StartArray();
    for (const auto& f : r.findings) finding(f);
    w_.EndArray();
    key("checks");
    w_.StartArray();
    for (const auto& c : r.checks) {
      w_.StartObject();
      kv("check", c.check);
      kv("rule", c.rule);
      kv("severity", c.severity);
      kv("title", c.title);
      kv("detail", c.detail);
      kv("root", c.root);
      kv("path", c.path);
      if (c.line) {
        key("line");
        w_.Uint(*c.line);
      }
      if (c.offset) {
        key("offset");
        w_.Uint64(*c.offset);
      }
      kv("evidence", c.evidence);
      key("catalog");
      w_.StartArray();
      for (const auto& ref : c.catalog) {
        w_.StartObject();
        kv("catalog", ref.catalog);
        kv("item", ref.item);
        w_.EndObject();
      }
      w_.EndArray();
      w_.EndObject();
    }
    w_.EndArray();
    key("trust");
    w_.StartArray();
    for (const auto& t : r.trust) {
      w_.StartObject();
      kv("kind", t.kind);
      kv("subject", t.subject);
      kv("verdict", t.verdict);
      kv("detail", t.detail);
      kv("key", t.key);
      strings("evidence", t.evidence);
      w_.EndObject();
    }
    w_.EndArray();
    key("policy");
    w_.StartArray();
    for (const auto& p : r.policy) {
      w_.StartObject();
      kv("rule", p.rule);
      kv("severity", p.severity);
      kv("subject", p.subject);
      kv("message", p.message);
      strings("evidence", p.evidence);
      w_.EndObject();
    }
    w_.EndArray();
  }

  void finding(const vuln::Finding& f) {
    w_.StartObject();
    kv("id", f.id);
    strings("aliases", f.aliases);
    kv("componentRef", f.component_ref);
    kv("componentName", f.component_name);
    kv("componentVersion", f.component_version);
    kv("componentPurl", f.component_purl);
    key("matches");
    w_.StartArray();
    for (const auto& m : f.matches) {
      w_.StartObject();
      kv("source", m.source);
      kv("record", m.record);
      kv("method", m.method);
      kv("criteria", m.criteria);
      kv("range", m.range);
      kv("comparison", m.comparison);
      kv("scheme", m.scheme);
      kv("componentVersion", m.component_version);
      w_.EndObject();
    }
    w_.EndArray();
    kv("summary", f.summary);
    key("cvss");
    w_.StartArray();
    for (const auto& c : f.cvss) {
      w_.StartObject();
      kv("source", c.source);
      kv("version", c.version);
      kv("vector", c.vector);
      key("score");
      w_.Double(c.score);
      kv("severity", c.severity);
      key("primary");
      w_.Bool(c.primary);
      w_.EndObject();
    }
    w_.EndArray();
    kv("severity", f.severity);
    key("score");
    w_.Double(f.score);
    if (f.epss) {
      key("epss");
      w_.Double(*f.epss);
    }
    if (f.epss_percentile) {
      key("epssPercentile");
      w_.Double(*f.epss_percentile);
    }
    key("kev");
    w_.Bool(f.kev);
    kv("kevDateAdded", f.kev_date_added);
    kv("kevDueDate", f.kev_due_date);
    kv("kevRansomware", f.kev_ransomware);
    kv("fixedVersion", f.fixed_version);
    strings("cwes", f.cwes);
    strings("references", f.references);
    kv("published", f.published);
    kv("modified", f.modified);
    if (f.vex) {
      key("vex");
      w_.StartObject();
      kv("status", f.vex->status);
      kv("justification", f.vex->justification);
      kv("impact", f.vex->impact);
      kv("action", f.vex->action);
      kv("document", f.vex->document);
      kv("format", f.vex->format);
      w_.EndObject();
    }
    key("suppressed");
    w_.Bool(f.suppressed);
    key("risk");
    w_.Double(f.risk);
    w_.EndObject();
  }

  void component(const model::Component& c) {
    w_.StartObject();
    kv("bomRef", c.bom_ref);
    kv("type", c.type);
    kv("name", c.name);
    kv("version", c.version);
    kv("packageVersion", c.package_version);
    kv("sourcePackage", c.source_package);
    kv("upstreamName", c.upstream_name);
    kv("ecosystem", c.ecosystem);
    kv("distro", c.distro);
    kv("arch", c.arch);
    kv("purl", c.purl);
    strings("cpes", c.cpes);
    kv("supplier", c.supplier);
    kv("author", c.author);
    strings("licenses", c.licenses);
    kv("description", c.description);
    kv("homepage", c.homepage);
    key("files");
    w_.StartArray();
    for (const auto& f : c.files) {
      w_.StartObject();
      kv("path", f.path);
      kv("root", f.root);
      kv("sha256", f.sha256);
      key("size");
      w_.Uint64(f.size);
      w_.EndObject();
    }
    w_.EndArray();
    key("evidence");
    w_.StartArray();
    for (const auto& e : c.evidence) {
      w_.StartObject();
      kv("method", e.method);
      kv("source", e.source);
      kv("path", e.path);
      kv("root", e.root);
      if (e.offset) {
        key("offset");
        w_.Uint64(*e.offset);
      }
      kv("matched", e.matched);
      kv("version", e.version);
      key("confidence");
      w_.Double(e.confidence);
      kv("detail", e.detail);
      w_.EndObject();
    }
    w_.EndArray();
    strings("depends", c.depends);
    strings("notes", c.notes);
    key("properties");
    w_.StartObject();
    for (const auto& [k, v] : c.properties) kv(k, v);
    w_.EndObject();
    key("confidence");
    w_.Double(c.confidence);
    w_.EndObject();
  }

  detail::BufferedOStream os_;
  Writer w_;
};

class NativeJsonEncoder final : public Encoder {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"json", "waybill native JSON (lossless; read back by later stages)"};
    return d;
  }
  std::string_view file_extension() const override { return ".waybill.json"; }
  Status encode(const model::Report& report, std::ostream& out) const override {
    NativeWriter(out).run(report);
    out << '\n';
    if (!out) return Error(Errc::io, "json: write failed");
    return Status::success();
  }
};

// ---- decoding

using Value = rapidjson::Value;

class Reader {
 public:
  std::optional<Error> err;

  // Field `k` of object `o` as a string; absent = "" (the model's default).
  void get(const Value& o, const char* k, std::string& out, const std::string& where) {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || err) return;
    if (!it->value.IsString()) return fail(where + "." + k + ": expected a string");
    out.assign(it->value.GetString(), it->value.GetStringLength());
  }
  void get(const Value& o, const char* k, std::uint64_t& out, const std::string& where) {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || err) return;
    if (!it->value.IsUint64()) return fail(where + "." + k + ": expected an unsigned integer");
    out = it->value.GetUint64();
  }
  void get(const Value& o, const char* k, std::optional<std::uint64_t>& out,
           const std::string& where) {
    if (o.HasMember(k)) {
      std::uint64_t v = 0;
      get(o, k, v, where);
      out = v;
    }
  }
  void get(const Value& o, const char* k, double& out, const std::string& where) {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || err) return;
    if (!it->value.IsNumber()) return fail(where + "." + k + ": expected a number");
    out = it->value.GetDouble();
  }
  void get(const Value& o, const char* k, std::vector<std::string>& out, const std::string& where) {
    const Value* a = array(o, k, where);
    if (!a) return;
    for (const auto& v : a->GetArray()) {
      if (!v.IsString()) return fail(where + "." + k + ": expected strings");
      out.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  // Array field (absent = empty = nullptr).
  const Value* array(const Value& o, const char* k, const std::string& where) {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || err) return nullptr;
    if (!it->value.IsArray()) {
      fail(where + "." + k + ": expected an array");
      return nullptr;
    }
    return &it->value;
  }
  const Value* object(const Value& o, const char* k, const std::string& where) {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || err) return nullptr;
    if (!it->value.IsObject()) {
      fail(where + "." + k + ": expected an object");
      return nullptr;
    }
    return &it->value;
  }
  bool is_object(const Value& v, const std::string& where) {
    if (!v.IsObject()) fail(where + ": expected an object");
    return !err;
  }
  void fail(std::string msg) {
    if (!err) err = Error(Errc::corrupt, "native sbom json: " + std::move(msg));
  }
};

std::optional<Severity> parse_severity(std::string_view s) {
  for (Severity v : {Severity::info, Severity::warning, Severity::error})
    if (s == severity_name(v)) return v;
  return std::nullopt;
}

std::optional<Errc> parse_errc(std::string_view s) {
  for (Errc v : {Errc::not_this_format, Errc::truncated, Errc::corrupt, Errc::unsupported,
                 Errc::limit_exceeded, Errc::unsafe, Errc::io, Errc::usage, Errc::internal})
    if (s == errc_name(v)) return v;
  return std::nullopt;
}

model::Component read_component(Reader& r, const Value& o, const std::string& w) {
  model::Component c;
  r.get(o, "bomRef", c.bom_ref, w);
  r.get(o, "type", c.type, w);
  r.get(o, "name", c.name, w);
  r.get(o, "version", c.version, w);
  r.get(o, "packageVersion", c.package_version, w);
  r.get(o, "sourcePackage", c.source_package, w);
  r.get(o, "upstreamName", c.upstream_name, w);
  r.get(o, "ecosystem", c.ecosystem, w);
  r.get(o, "distro", c.distro, w);
  r.get(o, "arch", c.arch, w);
  r.get(o, "purl", c.purl, w);
  r.get(o, "cpes", c.cpes, w);
  r.get(o, "supplier", c.supplier, w);
  r.get(o, "author", c.author, w);
  r.get(o, "licenses", c.licenses, w);
  r.get(o, "description", c.description, w);
  r.get(o, "homepage", c.homepage, w);
  if (const Value* files = r.array(o, "files", w)) {
    std::size_t i = 0;
    for (const auto& f : files->GetArray()) {
      std::string wf = w + ".files[" + std::to_string(i++) + "]";
      if (!r.is_object(f, wf)) break;
      model::FileHash h;
      r.get(f, "path", h.path, wf);
      r.get(f, "root", h.root, wf);
      r.get(f, "sha256", h.sha256, wf);
      r.get(f, "size", h.size, wf);
      c.files.push_back(std::move(h));
    }
  }
  if (const Value* ev = r.array(o, "evidence", w)) {
    std::size_t i = 0;
    for (const auto& e : ev->GetArray()) {
      std::string we = w + ".evidence[" + std::to_string(i++) + "]";
      if (!r.is_object(e, we)) break;
      model::Evidence x;
      r.get(e, "method", x.method, we);
      r.get(e, "source", x.source, we);
      r.get(e, "path", x.path, we);
      r.get(e, "root", x.root, we);
      r.get(e, "offset", x.offset, we);
      r.get(e, "matched", x.matched, we);
      r.get(e, "version", x.version, we);
      r.get(e, "confidence", x.confidence, we);
      r.get(e, "detail", x.detail, we);
      c.evidence.push_back(std::move(x));
    }
  }
  r.get(o, "depends", c.depends, w);
  r.get(o, "notes", c.notes, w);
  if (const Value* props = r.object(o, "properties", w)) {
    for (const auto& m : props->GetObject()) {
      if (!m.value.IsString()) {
        r.fail(w + ".properties: expected string values");
        break;
      }
      c.properties[std::string(m.name.GetString(), m.name.GetStringLength())] =
          std::string(m.value.GetString(), m.value.GetStringLength());
    }
  }
  r.get(o, "confidence", c.confidence, w);
  return c;
}

}  // namespace

Result<model::Sbom> decode_native_json(std::istream& in) {
  // Whole input in memory, then one parse (IStreamWrapper reads a character per call).
  std::string text;
  {
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
      text.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return Error(Errc::io, "native sbom json: read failed");
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    return Error(
        Errc::corrupt,
        std::string("native sbom json: ") + rapidjson::GetParseError_En(doc.GetParseError()),
        doc.GetErrorOffset());
  }
  if (!doc.IsObject() || !doc.HasMember("waybill") || !doc["waybill"].IsString() ||
      std::string_view(doc["waybill"].GetString()) != "sbom") {
    return Error(Errc::not_this_format, "not a waybill native SBOM (no \"waybill\": \"sbom\")");
  }
  if (!doc.HasMember("formatVersion") || !doc["formatVersion"].IsInt() ||
      doc["formatVersion"].GetInt() > kNativeFormatVersion || doc["formatVersion"].GetInt() < 1) {
    return Error(Errc::unsupported, "native sbom json: unsupported formatVersion");
  }

  Reader r;
  model::Sbom s;
  if (const Value* t = r.object(doc, "target", "")) {
    r.get(*t, "name", s.target.name, "target");
    r.get(*t, "kind", s.target.kind, "target");
    r.get(*t, "sha256", s.target.sha256, "target");
    r.get(*t, "size", s.target.size, "target");
  }
  if (const Value* t = r.object(doc, "tool", "")) {
    r.get(*t, "name", s.tool.name, "tool");
    r.get(*t, "version", s.tool.version, "tool");
  }
  r.get(doc, "timestamp", s.timestamp, "");
  r.get(doc, "serial", s.serial, "");
  if (const Value* a = r.array(doc, "components", "")) {
    s.components.reserve(a->Size());
    std::size_t i = 0;
    for (const auto& c : a->GetArray()) {
      std::string w = "components[" + std::to_string(i++) + "]";
      if (!r.is_object(c, w)) break;
      s.components.push_back(read_component(r, c, w));
      if (r.err) break;
    }
  }
  if (const Value* a = r.array(doc, "relationships", "")) {
    std::size_t i = 0;
    for (const auto& v : a->GetArray()) {
      std::string w = "relationships[" + std::to_string(i++) + "]";
      if (!r.is_object(v, w)) break;
      model::Relationship rel;
      r.get(v, "from", rel.from, w);
      r.get(v, "to", rel.to, w);
      r.get(v, "type", rel.type, w);
      s.relationships.push_back(std::move(rel));
    }
  }
  if (const Value* a = r.array(doc, "operatingSystems", "")) {
    std::size_t i = 0;
    for (const auto& v : a->GetArray()) {
      std::string w = "operatingSystems[" + std::to_string(i++) + "]";
      if (!r.is_object(v, w)) break;
      model::OperatingSystem os;
      r.get(v, "id", os.id, w);
      r.get(v, "name", os.name, w);
      r.get(v, "versionId", os.version_id, w);
      r.get(v, "version", os.version, w);
      r.get(v, "prettyName", os.pretty_name, w);
      r.get(v, "idLike", os.id_like, w);
      r.get(v, "path", os.path, w);
      s.operating_systems.push_back(std::move(os));
    }
  }
  if (const Value* a = r.array(doc, "diagnostics", "")) {
    std::size_t i = 0;
    for (const auto& v : a->GetArray()) {
      std::string w = "diagnostics[" + std::to_string(i++) + "]";
      if (!r.is_object(v, w)) break;
      Diagnostic d;
      std::string sev, code;
      r.get(v, "severity", sev, w);
      r.get(v, "code", code, w);
      if (auto x = parse_severity(sev)) {
        d.severity = *x;
      } else if (!r.err) {
        r.fail(w + ".severity: unknown value \"" + sev + "\"");
      }
      if (auto x = parse_errc(code)) {
        d.code = *x;
      } else if (!r.err) {
        r.fail(w + ".code: unknown value \"" + code + "\"");
      }
      r.get(v, "source", d.source, w);
      r.get(v, "file", d.file, w);
      r.get(v, "offset", d.offset, w);
      r.get(v, "message", d.message, w);
      s.diagnostics.push_back(std::move(d));
    }
  }
  if (r.err) return *r.err;
  return s;
}

std::unique_ptr<Encoder> make_native_json_encoder() {
  return std::make_unique<NativeJsonEncoder>();
}

}  // namespace waybill::sbom
