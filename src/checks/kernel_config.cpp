// Check "kernel/config" (FW-06, kernel part): when the tree holds a kernel configuration
// (/boot/config-*, /proc/config.gz, a .config, or a kernel image with an embedded IKCONFIG blob
// whose bytes the walk retained), evaluate the hardening options of
// data/checks/kernel-hardening.json. One finding per option that differs from the recommended
// value, with the option, expected and actual value, file and line.
#include "checks/kernel_config.h"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/check.h"
#include "core/embedded.h"

namespace waybill::checks {

KernelConfig parse_kernel_config(std::string_view text) {
  KernelConfig cfg;
  cfg.how = "text";
  text = text.substr(0, std::min(text.size(), kMaxKernelConfigBytes));
  std::uint32_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("CONFIG_")) {
      auto eq = line.find('=');
      if (eq == std::string_view::npos || eq <= 7) continue;
      std::string key(line.substr(7, eq - 7));
      std::string_view val = line.substr(eq + 1);
      if (val.size() >= 2 && val.front() == '"' && val.back() == '"')
        val = val.substr(1, val.size() - 2);
      cfg.options[key] = {std::string(val.substr(0, 256)), line_no};
    } else if (line.starts_with("# CONFIG_") && line.ends_with(" is not set")) {
      std::string_view key = line.substr(9, line.size() - 9 - 11);
      if (!key.empty() && key.find(' ') == std::string_view::npos)
        cfg.options[std::string(key)] = {"n", line_no};
    }
  }
  return cfg;
}

namespace {

// Inflates one gzip member starting at `in`, output bounded by kMaxKernelConfigBytes (a config
// is ~200 KiB; the cap stops decompression bombs).
Result<std::string> gunzip(std::string_view in) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Error(Errc::internal, "zlib init failed");
  std::unique_ptr<z_stream, void (*)(z_stream*)> guard(&z, [](z_stream* p) { inflateEnd(p); });
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), 64u << 20));
  char buf[16384];
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    int rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxKernelConfigBytes)
      return Error(Errc::limit_exceeded, "kernel config larger than the limit after gunzip");
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) return Error(Errc::corrupt, "damaged gzip stream in kernel config");
    if (z.avail_in == 0 && z.avail_out != 0)
      return Error(Errc::truncated, "gzip stream of kernel config ends early");
  }
  return out;
}

bool looks_like_config_text(std::string_view s) {
  std::string_view head = s.substr(0, std::min<std::size_t>(s.size(), 4096));
  return head.find("\nCONFIG_") != std::string_view::npos || head.starts_with("CONFIG_") ||
         head.find("# CONFIG_") != std::string_view::npos ||
         head.find("# Automatically generated file") != std::string_view::npos;
}

}  // namespace

Result<std::optional<KernelConfig>> read_kernel_config(std::string_view bytes) {
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b) {
    auto text = gunzip(bytes);
    if (!text) return text.error();
    if (!looks_like_config_text(*text)) return std::optional<KernelConfig>{};
    KernelConfig c = parse_kernel_config(*text);
    c.how = "gzip";
    return std::optional<KernelConfig>{std::move(c)};
  }
  // IKCONFIG: "IKCFG_ST" + gzip + "IKCFG_ED" inside an uncompressed kernel image.
  constexpr std::string_view kStart = "IKCFG_ST\x1f\x8b";
  if (auto p = bytes.find(kStart); p != std::string_view::npos) {
    std::string_view rest = bytes.substr(p + 8);
    auto e = rest.find("IKCFG_ED");
    if (e != std::string_view::npos) rest = rest.substr(0, e);
    auto text = gunzip(rest);
    if (!text) return text.error();
    KernelConfig c = parse_kernel_config(*text);
    c.how = "ikconfig";
    return std::optional<KernelConfig>{std::move(c)};
  }
  if (looks_like_config_text(bytes)) return std::optional<KernelConfig>{parse_kernel_config(bytes)};
  return std::optional<KernelConfig>{};
}

namespace {

struct OptionRule {
  std::string option, expect, severity, why, requires_opt;
  std::vector<std::string> alternatives, arch;
};

struct Tables {
  std::vector<OptionRule> rules;
  std::vector<model::CatalogRef> catalog;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables t;
    auto j = nlohmann::json::parse(data::kernel_hardening_json(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return t;
    for (const auto& c : j.value("catalog", nlohmann::json::array()))
      t.catalog.push_back({c.value("catalog", ""), c.value("item", "")});
    for (const auto& o : j.value("options", nlohmann::json::array())) {
      OptionRule r;
      r.option = o.value("option", "");
      r.expect = o.value("expect", "y");
      r.severity = o.value("severity", "low");
      r.why = o.value("why", "");
      r.requires_opt = o.value("requires", "");
      for (const auto& a : o.value("alternatives", nlohmann::json::array()))
        if (a.is_string()) r.alternatives.push_back(a.get<std::string>());
      for (const auto& a : o.value("arch", nlohmann::json::array()))
        if (a.is_string()) r.arch.push_back(a.get<std::string>());
      if (!r.option.empty()) t.rules.push_back(std::move(r));
    }
    return t;
  }();
  return t;
}

// In-root globs of the files that may hold a kernel configuration.
constexpr std::string_view kWants[] = {
    "/boot/config*",
    "/proc/config.gz",
    "/proc/config",
    "/**/.config",
    "/boot/vmlinux*",
    "/boot/Image",
    "/lib/modules/*/build/.config",
    "/lib/modules/*/config",
};

bool is_set(const KernelConfig& c, const std::string& opt) {
  auto it = c.options.find(opt);
  return it != c.options.end() && (it->second.value == "y" || it->second.value == "m");
}

class KernelConfigCheck final : public Check {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"kernel/config",
                              "kernel configuration hardening (KSPP-style options) when a "
                              "config is in the image"};
    return d;
  }
  std::span<const std::string_view> wants() const override { return kWants; }

  void run(const catalog::FileIndex& index, const CheckOptions&, CheckOutput& out) const override {
    for (const catalog::FileRecord& f : index.files()) {
      if (!f.retained || f.content.empty()) continue;
      if (!std::any_of(std::begin(kWants), std::end(kWants),
                       [&](std::string_view g) { return catalog::glob_match(g, f.path); }) &&
          f.content.find("IKCFG_ST") == std::string::npos)
        continue;
      auto cfg = read_kernel_config(f.content);
      if (!cfg) {
        out.diagnostics.add(Severity::warning, cfg.error().code, "kernel/config", f.path,
                            std::nullopt, cfg.error().message);
        continue;
      }
      if (!cfg->has_value() || (*cfg)->options.empty()) continue;
      evaluate(f, **cfg, out);
    }
  }

 private:
  static void evaluate(const catalog::FileRecord& f, const KernelConfig& c, CheckOutput& out) {
    const Tables& t = tables();
    std::set<std::string> arches;
    for (const char* a : {"ARM", "ARM64", "X86", "X86_64", "X86_32", "MIPS", "RISCV", "PPC"})
      if (is_set(c, a)) arches.insert(a);
    const std::string where = c.how == "gzip" ? " (line in the gunzipped text)"
                              : c.how == "ikconfig"
                                  ? " (line in the IKCONFIG text embedded in the kernel image)"
                                  : "";
    std::size_t evaluated = 0, failed = 0;
    for (const OptionRule& r : t.rules) {
      if (!r.arch.empty() && std::none_of(r.arch.begin(), r.arch.end(),
                                          [&](const auto& a) { return arches.count(a) > 0; }))
        continue;
      if (!r.requires_opt.empty() && !is_set(c, r.requires_opt)) continue;
      ++evaluated;
      // The option or one of its older names.
      const KernelConfig::Value* v = nullptr;
      std::string name = r.option;
      for (const auto& cand : [&] {
             std::vector<std::string> all{r.option};
             all.insert(all.end(), r.alternatives.begin(), r.alternatives.end());
             return all;
           }()) {
        auto it = c.options.find(cand);
        if (it == c.options.end()) continue;
        const bool on = it->second.value == "y" || it->second.value == "m";
        if (!v || on) {
          v = &it->second;
          name = cand;
        }
        if (on) break;
      }
      const std::string actual = v ? v->value : "absent";
      const bool on = v && (v->value == "y" || v->value == "m");
      const bool ok = r.expect == "y" ? on : !on;
      if (ok) continue;
      ++failed;
      model::CheckFinding fd;
      fd.check = "kernel/config";
      fd.rule = "CONFIG_" + r.option;
      fd.severity = r.severity;
      fd.title = "CONFIG_" + name + (r.expect == "y" ? " is not enabled" : " is enabled") +
                 " (expected " + (r.expect == "y" ? "y" : "not set") + ")";
      fd.detail = "kernel config " + f.path + where + ": CONFIG_" + name + " = " +
                  (v ? (v->value == "n" ? std::string("not set") : v->value)
                     : std::string("absent (not set)")) +
                  ", expected " + (r.expect == "y" ? "y" : "not set") + ": " + r.why;
      if (!r.alternatives.empty() && name == r.option) {
        fd.detail += " (older name";
        for (std::size_t i = 0; i < r.alternatives.size(); ++i)
          fd.detail += (i ? ", " : " ") + ("CONFIG_" + r.alternatives[i]);
        fd.detail += " also accepted)";
      }
      fd.root = f.root;
      fd.path = f.path;
      if (v) {
        fd.line = v->line;
        fd.evidence = v->value == "n" ? "# CONFIG_" + name + " is not set"
                                      : "CONFIG_" + name + "=" + v->value;
      } else {
        fd.evidence = "CONFIG_" + name + " absent";
      }
      fd.catalog = t.catalog;
      out.findings.push_back(std::move(fd));
    }
    std::string arch_list;
    for (const auto& a : arches) arch_list += (arch_list.empty() ? "" : ",") + a;
    out.diagnostics.add(
        Severity::info, Errc::not_this_format, "kernel/config", f.path, std::nullopt,
        "kernel config (" + c.how + ", " + std::to_string(c.options.size()) + " options, arch " +
            (arch_list.empty() ? "?" : arch_list) + "): " + std::to_string(evaluated - failed) +
            " of " + std::to_string(evaluated) + " hardening options as recommended");
  }
};

}  // namespace

std::unique_ptr<Check> make_kernel_config_check() {
  return std::make_unique<KernelConfigCheck>();
}

}  // namespace waybill::checks
