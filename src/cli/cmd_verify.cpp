// `waybill verify`: detached signatures, attestations (DSSE / in-toto / SLSA / Sigstore), FIT
// signatures and SBOM-declared hashes, each verdict explained; exit 1 unless all pass.
#include "cli/cmd_verify.h"

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/common.h"
#include "core/mapped_file.h"
#include "pipeline/inventory.h"
#include "sbom/input/input.h"
#include "trust/trust.h"

namespace waybill::cli {

namespace {

Result<std::string> slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error(Errc::io, path + ": cannot open");
  std::ostringstream s;
  s << f.rdbuf();
  std::string t = s.str();
  if (t.size() > (256u << 20)) return Error(Errc::limit_exceeded, path + ": larger than 256 MiB");
  return t;
}

// RFC 3339 / ISO date to UNIX seconds.
std::optional<std::int64_t> parse_time(const std::string& t) {
  std::tm tm{};
  std::istringstream in(t);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) {
    std::istringstream d(t);
    tm = {};
    d >> std::get_time(&tm, "%Y-%m-%d");
    if (d.fail()) return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

bool is_fit(ByteView v) {
  const std::uint8_t* d = v.data();
  return v.size() >= 4 && d[0] == 0xd0 && d[1] == 0x0d && d[2] == 0xfe && d[3] == 0xed;
}

}  // namespace

void add_verify_command(CLI::App& app, VerifyArgs& a) {
  a.cmd = app.add_subcommand(
      "verify", "Verify signatures, attestations, FIT signatures and SBOM hashes of an artifact");
  a.cmd->add_option("ARTIFACT", a.artifact, "The image or file that was signed / attested")
      ->check(CLI::ExistingFile);
  auto* g = "Detached signature";
  a.cmd->add_option("--signature", a.signature, "Detached signature (raw, base64 or PEM)")
      ->group(g)
      ->check(CLI::ExistingFile);
  a.cmd->add_option("--key", a.keys, "PEM public key or X.509 certificate (repeatable)")
      ->group(g)
      ->check(CLI::ExistingFile);
  a.cmd->add_option("--chain", a.chain, "Intermediate certificates (PEM, repeatable)")
      ->group(g)
      ->check(CLI::ExistingFile);
  a.cmd->add_option("--ca", a.cas, "Trusted CA certificates: PEM file or directory (repeatable)")
      ->group(g)
      ->check(CLI::ExistingPath);
  a.cmd->add_option("--hash", a.hash, "Digest of the signature: sha256, sha384, sha512")
      ->group(g)
      ->check(CLI::IsMember({"sha256", "sha384", "sha512"}))
      ->capture_default_str();
  a.cmd->add_option("--padding", a.padding, "RSA padding: auto, pkcs1, pss")
      ->group(g)
      ->check(CLI::IsMember({"auto", "pkcs1", "pss"}))
      ->capture_default_str();
  auto* ga = "Attestations (DSSE, in-toto, SLSA, Sigstore bundles)";
  a.cmd->add_option("--attestation", a.attestations, "Attestation document (repeatable)")
      ->group(ga)
      ->check(CLI::ExistingFile);
  a.cmd
      ->add_option("--digest", a.digests,
                   "Artifact digest sha256:HEX (when the artifact itself is not at hand)")
      ->group(ga);
  a.cmd->add_option("--trusted-root", a.trusted_root, "Sigstore trusted_root.json (offline)")
      ->group(ga)
      ->check(CLI::ExistingFile);
  a.cmd->add_option("--builder", a.builders, "Allowed SLSA builder id (glob, repeatable)")
      ->group(ga);
  a.cmd->add_option("--source", a.sources, "Allowed source repository URI (glob, repeatable)")
      ->group(ga);
  a.cmd->add_option("--signer", a.signers, "Allowed certificate identity (SAN, glob)")->group(ga);
  a.cmd->add_option("--issuer", a.issuers, "Allowed OIDC issuer of the signer (glob)")->group(ga);
  a.cmd
      ->add_flag("--require-provenance", a.require_provenance,
                 "Fail when no SLSA provenance is among the statements")
      ->group(ga);
  auto* gf = "U-Boot FIT";
  a.cmd->add_flag("--fit", a.fit, "Verify FIT signature nodes (automatic for FIT images)")
      ->group(gf);
  a.cmd->add_option("--fit-key", a.fit_keys, "PEM key for FIT signatures (repeatable)")
      ->group(gf)
      ->check(CLI::ExistingFile);
  a.cmd->add_option("--fit-dtb", a.fit_dtb, "U-Boot control DTB holding the public keys")
      ->group(gf)
      ->check(CLI::ExistingFile);
  a.cmd
      ->add_option("--sbom", a.sbom,
                   "Compare the file hashes this SBOM declares with the files in ARTIFACT")
      ->check(CLI::ExistingFile);
  a.cmd->add_option("--time", a.time, "Verify as of this time (RFC 3339; default now)");
  a.cmd->add_option("-o,--output", a.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  a.cmd->footer(
      "Every verdict is pass, fail or unknown with the reason; the exit code is 0 only when\n"
      "every verdict passes (1 otherwise).\n"
      "Examples:\n"
      "  waybill verify fw.bin --signature fw.bin.sig --key vendor.pub.pem\n"
      "  waybill verify fw.bin --signature fw.sig --key signer.crt --ca vendor-ca.pem\n"
      "  waybill verify fw.bin --attestation fw.intoto.jsonl --key builder.pub \\\n"
      "      --builder 'https://github.com/slsa-framework/*' --source "
      "'git+https://github.com/acme/*'\n"
      "  waybill verify --digest sha256:ab12... --attestation fw.sigstore.json --trusted-root "
      "trusted_root.json\n"
      "  waybill verify fit.itb --fit-key dev.crt\n"
      "  waybill verify fw.img --sbom supplier.cdx.json");
}

void add_scan_trust_options(CLI::App* c, VerifyArgs& a) {
  auto* g = "Trust (verified with the scan, reported in every format)";
  c->add_option("--signature", a.signature, "Detached signature over TARGET")
      ->group(g)
      ->check(CLI::ExistingFile);
  c->add_option("--key", a.keys, "PEM public key or certificate for --signature/--attestation")
      ->group(g)
      ->check(CLI::ExistingFile);
  c->add_option("--ca", a.cas, "Trusted CA certificates (PEM file or directory)")
      ->group(g)
      ->check(CLI::ExistingPath);
  c->add_option("--attestation", a.attestations, "DSSE / in-toto / Sigstore bundle (repeatable)")
      ->group(g)
      ->check(CLI::ExistingFile);
  c->add_option("--trusted-root", a.trusted_root, "Sigstore trusted_root.json")
      ->group(g)
      ->check(CLI::ExistingFile);
  c->add_option("--builder", a.builders, "Allowed SLSA builder id (glob)")->group(g);
  c->add_option("--source", a.sources, "Allowed source repository (glob)")->group(g);
  c->add_option("--declared-sbom", a.sbom,
                "Supplier SBOM whose declared file hashes are compared with TARGET's files")
      ->group(g)
      ->check(CLI::ExistingFile);
}

int collect_verdicts(const VerifyArgs& a, const std::string& cache_dir, bool verbose,
                     const catalog::FileIndex* index, std::vector<model::TrustVerdict>& verdicts,
                     bool& did) {
  std::optional<MappedFile> art;
  ByteView artifact;
  if (!a.artifact.empty()) {
    auto m = MappedFile::open(a.artifact);
    if (!m) {
      std::cerr << "waybill: " << a.artifact << ": " << m.error().message << "\n";
      return kExitInput;
    }
    art.emplace(std::move(*m));
    artifact = art->view();
  }
  std::optional<std::int64_t> when;
  if (!a.time.empty()) {
    when = parse_time(a.time);
    if (!when) {
      std::cerr << "waybill: --time: cannot parse '" << a.time << "' (use 2026-01-31T12:00:00Z)\n";
      return kExitUsage;
    }
  }
  std::vector<trust::KeySpec> keys;
  for (const auto& k : a.keys) {
    auto t = slurp(k);
    if (!t) {
      std::cerr << "waybill: " << t.error().message << "\n";
      return kExitInput;
    }
    trust::KeySpec ks;
    ks.pem = *t;
    ks.name = std::filesystem::path(k).filename().string();
    for (const auto& c : a.chain) {
      auto ct = slurp(c);
      if (!ct) {
        std::cerr << "waybill: " << ct.error().message << "\n";
        return kExitInput;
      }
      ks.chain_pem.push_back(*ct);
    }
    keys.push_back(std::move(ks));
  }
  trust::TrustStore store;
  for (const auto& c : a.cas) {
    if (auto st = store.add_path(c); !st) {
      std::cerr << "waybill: " << c << ": " << st.error().message << "\n";
      return kExitInput;
    }
  }
  did = false;

  if (!a.signature.empty()) {
    if (a.artifact.empty() || keys.empty()) {
      std::cerr << "waybill: --signature needs ARTIFACT and at least one --key\n";
      return kExitUsage;
    }
    auto sig = slurp(a.signature);
    if (!sig) {
      std::cerr << "waybill: " << sig.error().message << "\n";
      return kExitInput;
    }
    trust::SignatureOptions so;
    so.hash = a.hash == "sha384"   ? trust::HashAlg::sha384
              : a.hash == "sha512" ? trust::HashAlg::sha512
                                   : trust::HashAlg::sha256;
    so.padding = a.padding == "pkcs1" ? trust::RsaPadding::pkcs1v15
                 : a.padding == "pss" ? trust::RsaPadding::pss
                                      : trust::RsaPadding::auto_detect;
    so.time = when;
    so.subject = std::filesystem::path(a.artifact).filename().string();
    // One key that verifies is enough; report the best verdict, all when none passes.
    std::vector<model::TrustVerdict> tried;
    for (const auto& k : keys) {
      tried.push_back(trust::verify_signature(
          artifact, ByteView(reinterpret_cast<const std::uint8_t*>(sig->data()), sig->size()), k,
          store.size() ? &store : nullptr, so));
      if (tried.back().verdict == "pass") {
        tried = {tried.back()};
        break;
      }
    }
    for (auto& v : tried) verdicts.push_back(std::move(v));
    did = true;
  }

  if (!a.attestations.empty()) {
    trust::AttestationInput in;
    in.artifact_digests = a.digests;
    in.artifact = artifact;
    in.keys = keys;
    in.store = store.size() ? &store : nullptr;
    if (!a.trusted_root.empty()) {
      auto t = slurp(a.trusted_root);
      if (!t) {
        std::cerr << "waybill: " << t.error().message << "\n";
        return kExitInput;
      }
      in.trusted_root_json = *t;
    }
    in.policy.allowed_builders = a.builders;
    in.policy.allowed_sources = a.sources;
    in.policy.allowed_signers = a.signers;
    in.policy.allowed_issuers = a.issuers;
    in.policy.require_provenance = a.require_provenance;
    in.time = when;
    for (const auto& doc : a.attestations) {
      auto t = slurp(doc);
      if (!t) {
        std::cerr << "waybill: " << t.error().message << "\n";
        return kExitInput;
      }
      in.name = std::filesystem::path(doc).filename().string();
      for (auto& v : trust::verify_attestation(*t, in)) verdicts.push_back(std::move(v));
    }
    did = true;
  }

  if (a.fit || !a.fit_keys.empty() || !a.fit_dtb.empty() ||
      (a.auto_fit && art && is_fit(artifact))) {
    if (a.artifact.empty()) {
      std::cerr << "waybill: FIT verification needs ARTIFACT\n";
      return kExitUsage;
    }
    trust::FitKeys fk;
    for (const auto& k : a.fit_keys) {
      auto t = slurp(k);
      if (!t) {
        std::cerr << "waybill: " << t.error().message << "\n";
        return kExitInput;
      }
      fk.pem_keys.push_back({*t, {}, std::filesystem::path(k).filename().string()});
    }
    std::string dtb;
    if (!a.fit_dtb.empty()) {
      auto t = slurp(a.fit_dtb);
      if (!t) {
        std::cerr << "waybill: " << t.error().message << "\n";
        return kExitInput;
      }
      dtb = std::move(*t);
      fk.control_dtb = ByteView(reinterpret_cast<const std::uint8_t*>(dtb.data()), dtb.size());
    }
    for (auto& v : trust::verify_fit_signatures(artifact, fk)) verdicts.push_back(std::move(v));
    did = true;
  }

  if (!a.sbom.empty()) {
    if (a.artifact.empty()) {
      std::cerr << "waybill: --sbom needs ARTIFACT (the image whose files are compared)\n";
      return kExitUsage;
    }
    auto declared = sbom::read_sbom(a.sbom);
    if (!declared) {
      std::cerr << "waybill: " << a.sbom << ": " << declared.error().message << "\n";
      return kExitInput;
    }
    if (index) {
      for (auto& v : trust::verify_sbom_hashes(*declared, *index)) verdicts.push_back(std::move(v));
    } else {
      pipeline::InventoryOptions io;
      io.cache_dir = cache_dir;
      auto inv = pipeline::build_inventory(a.artifact, io);
      if (!inv) {
        std::cerr << "waybill: " << a.artifact << ": " << inv.error().message << "\n";
        return kExitInput;
      }
      print_diagnostics(inv->sbom.diagnostics, verbose);
      for (auto& v : trust::verify_sbom_hashes(*declared, *inv->index))
        verdicts.push_back(std::move(v));
    }
    did = true;
  }
  return kExitOk;
}

int run_verify_command(const VerifyArgs& a, const std::string& cache_dir, bool quiet,
                       bool verbose) {
  std::vector<model::TrustVerdict> verdicts;
  bool did = false;
  if (int rc = collect_verdicts(a, cache_dir, verbose, nullptr, verdicts, did); rc != kExitOk)
    return rc;

  if (!did) {
    std::cerr << "waybill: nothing to verify: give --signature, --attestation, --fit-key, "
                 "--sbom, or a FIT image (see waybill verify --help)\n";
    return kExitUsage;
  }
  bool all_pass = !verdicts.empty();
  for (const auto& v : verdicts) all_pass = all_pass && v.verdict == "pass";
  if (a.output == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& v : verdicts) {
      j.push_back({{"kind", v.kind},
                   {"subject", v.subject},
                   {"verdict", v.verdict},
                   {"detail", v.detail},
                   {"key", v.key},
                   {"evidence", v.evidence}});
    }
    std::cout << nlohmann::json({{"verdicts", j}, {"passed", all_pass}}).dump(2) << "\n";
  } else {
    for (const auto& v : verdicts) {
      std::cout << std::left << std::setw(8) << v.verdict << std::setw(12) << v.kind << v.subject
                << "\n        " << v.detail << "\n";
      if (!v.key.empty()) std::cout << "        key: " << v.key << "\n";
      if (verbose)
        for (const auto& e : v.evidence) std::cout << "        - " << e << "\n";
    }
    if (!quiet)
      std::cout << (all_pass ? "verified: all " : "NOT verified: ") << verdicts.size()
                << " verdict(s)" << (all_pass ? " pass" : " (not all pass)") << "\n";
  }
  return all_pass ? kExitOk : kExitFailed;
}

}  // namespace waybill::cli
