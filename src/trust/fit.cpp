// U-Boot FIT signatures: /images/*/signature* (over the image data) and
// /configurations/*/signature* (over the FDT regions of the hashed nodes plus a slice of the
// strings block, as U-Boot computes them), with keys from PEM or from a U-Boot control DTB.
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <algorithm>

#include "trust/crypto.h"
#include "trust/trust.h"
#include "unpack/formats/fdt.h"

namespace waybill::trust {

using namespace detail;  // NOLINT(google-build-using-namespace)
namespace fdt = unpack::fdt;

namespace {

constexpr std::uint32_t kBeginNode = 1, kEndNode = 2, kProp = 3, kNop = 4, kEnd = 9;
constexpr int kMaxDepth = 32;

struct FitKey {
  PkeyPtr key;
  std::string name;  // key-name-hint it answers to ("" = any)
  std::string origin;
};

std::uint64_t align4(std::uint64_t v) {
  return (v + 3) & ~std::uint64_t{3};
}

PkeyPtr rsa_from_dtb(ByteView modulus, std::uint64_t exponent) {
  PkeyPtr out;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  BIGNUM* n = BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr);
  BIGNUM* e = BN_new();
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  if (bld != nullptr && n != nullptr && e != nullptr && ctx != nullptr &&
      BN_set_word(e, exponent) == 1 && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY* k = nullptr;
    if (params != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) == 1) {
      out.reset(k);
    }
    OSSL_PARAM_free(params);
  }
  EVP_PKEY_CTX_free(ctx);
  BN_free(n);
  BN_free(e);
  OSSL_PARAM_BLD_free(bld);
  return out;
}

PkeyPtr ec_from_dtb(const std::string& curve, ByteView x, ByteView y) {
  std::size_t n = curve == "secp384r1" ? 48 : curve == "prime256v1" ? 32 : 0;
  if (n == 0 || x.size() > n || y.size() > n) return nullptr;
  Bytes point(1 + 2 * n, 0);
  point[0] = 4;
  std::copy(x.begin(), x.end(), point.begin() + 1 + static_cast<std::ptrdiff_t>(n - x.size()));
  std::copy(y.begin(), y.end(), point.begin() + 1 + static_cast<std::ptrdiff_t>(2 * n - y.size()));
  PkeyPtr out;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  if (bld != nullptr && ctx != nullptr &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve.c_str(), 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) ==
          1) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY* k = nullptr;
    if (params != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) == 1) {
      out.reset(k);
    }
    OSSL_PARAM_free(params);
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_BLD_free(bld);
  return out;
}

std::vector<FitKey> load_keys(const FitKeys& keys, std::vector<std::string>* notes) {
  std::vector<FitKey> out;
  for (const auto& k : keys.pem_keys) {
    FitKey fk;
    fk.key = pubkey_from_pem(k.pem);
    if (!fk.key) {
      notes->push_back("key " + k.name + " is not a PEM public key or certificate");
      continue;
    }
    fk.name = k.name;
    fk.origin = "PEM key " + (k.name.empty() ? "sha256:" + spki_sha256_hex(fk.key.get()) : k.name);
    out.push_back(std::move(fk));
  }
  if (keys.control_dtb.empty()) return out;
  auto tree = fdt::parse(keys.control_dtb);
  if (!tree.ok()) {
    notes->push_back("control DTB does not parse: " + tree.error().message);
    return out;
  }
  const fdt::Node* sig = tree->find("/signature");
  if (sig == nullptr) {
    notes->push_back("control DTB has no /signature node");
    return out;
  }
  for (int ci : sig->children) {
    const fdt::Node& n = tree->nodes[static_cast<std::size_t>(ci)];
    std::string node_name(n.name);
    std::string hint(fdt::Tree::prop_string(n, "key-name-hint").value_or(""));
    if (hint.empty() && node_name.rfind("key-", 0) == 0) hint = node_name.substr(4);
    FitKey fk;
    fk.name = hint;
    fk.origin = "control DTB /signature/" + node_name;
    if (const fdt::Property* mod = fdt::Tree::prop(n, "rsa,modulus")) {
      std::uint64_t e = 65537;
      if (const fdt::Property* ep = fdt::Tree::prop(n, "rsa,exponent")) {
        if (auto v = ep->value.be64(0)) e = *v;
      }
      fk.key = rsa_from_dtb(mod->value, e);
    } else if (const fdt::Property* x = fdt::Tree::prop(n, "ecdsa,x-point")) {
      const fdt::Property* y = fdt::Tree::prop(n, "ecdsa,y-point");
      std::string curve(fdt::Tree::prop_string(n, "ecdsa,curve").value_or(""));
      if (y != nullptr) fk.key = ec_from_dtb(curve, x->value, y->value);
    }
    if (!fk.key) {
      notes->push_back(fk.origin + " holds no usable RSA or ECDSA public key");
      continue;
    }
    out.push_back(std::move(fk));
  }
  return out;
}

// The byte ranges U-Boot hashes for a configuration signature: walk the structure block and
// include the tags of the listed nodes (with their properties except data*), the begin/end tags
// of their direct children, and the END tag; then the given slice of the strings block.
// Region boundaries follow U-Boot's fdt_find_regions so the concatenated bytes are identical.
std::optional<Bytes> config_regions(ByteView fit, const fdt::Header& h,
                                    const std::vector<std::string>& nodes, std::uint32_t str_off,
                                    std::uint32_t str_size, std::string* why) {
  ByteView st = fit.sub(h.off_dt_struct, h.size_dt_struct);
  if (st.size() != h.size_dt_struct) {
    *why = "structure block outside the image";
    return std::nullopt;
  }
  auto excluded = [](std::string_view p) {
    return p == "data" || p == "data-size" || p == "data-position" || p == "data-offset";
  };
  ByteView strings = fit.sub(h.off_dt_strings, h.size_dt_strings);
  Bytes out;
  std::string path;
  int stack[kMaxDepth + 1] = {0};
  int depth = -1, want = 0;
  std::int64_t start = -1;
  std::uint64_t next = 0;
  std::uint32_t tag = 0;
  std::size_t steps = 0;
  do {
    if (++steps > 4'000'000) {
      *why = "structure block too long";
      return std::nullopt;
    }
    std::uint64_t off = next;
    auto t = st.be32(off);
    if (!t) {
      *why = "structure block ends without FDT_END";
      return std::nullopt;
    }
    tag = *t;
    bool include = false;
    std::uint64_t stop_at = 0;
    switch (tag) {
      case kBeginNode: {
        std::string_view name =
            st.cstr(off + 4, st.size() - std::min<std::uint64_t>(st.size(), off + 4));
        if (!st.has(off + 4, name.size() + 1)) {
          *why = "unterminated node name";
          return std::nullopt;
        }
        next = off + 4 + align4(name.size() + 1);
        stop_at = next;
        if (++depth > kMaxDepth) {
          *why = "nodes nest too deeply";
          return std::nullopt;
        }
        if (depth == 0) {
          path = "/";
        } else {
          if (path != "/") path += '/';
          path += name;
        }
        stack[depth] = want;
        if (want == 1) stop_at = off;
        if (std::find(nodes.begin(), nodes.end(), path) != nodes.end()) {
          want = 2;
        } else if (want != 0) {
          --want;
        } else {
          stop_at = off;
        }
        include = want != 0;
        break;
      }
      case kEndNode:
        next = off + 4;
        stop_at = next;
        include = want != 0;
        if (depth < 0) {
          *why = "unbalanced FDT_END_NODE";
          return std::nullopt;
        }
        want = stack[depth--];
        if (depth < 0) {
          path.clear();
        } else {
          auto slash = path.rfind('/');
          path.erase(slash == 0 || slash == std::string::npos ? 1 : slash);
        }
        break;
      case kProp: {
        auto len = st.be32(off + 4);
        auto nameoff = st.be32(off + 8);
        if (!len || !nameoff || !st.has(off + 12, *len)) {
          *why = "property runs past the structure block";
          return std::nullopt;
        }
        next = off + 12 + align4(*len);
        stop_at = off;
        std::string_view pname = strings.cstr(*nameoff, strings.size());
        include = want >= 2 && !excluded(pname);
        break;
      }
      case kNop:
        next = off + 4;
        stop_at = off;
        include = want >= 2;
        break;
      case kEnd:
        next = off + 4;
        include = true;
        break;
      default:
        *why = "unknown structure tag " + std::to_string(tag);
        return std::nullopt;
    }
    if (include && start < 0) start = static_cast<std::int64_t>(off);
    if (!include && start >= 0) {
      ByteView r =
          st.sub(static_cast<std::uint64_t>(start), stop_at - static_cast<std::uint64_t>(start));
      out.insert(out.end(), r.begin(), r.end());
      start = -1;
    }
  } while (tag != kEnd);
  if (start >= 0) {
    ByteView r =
        st.sub(static_cast<std::uint64_t>(start), next - static_cast<std::uint64_t>(start));
    out.insert(out.end(), r.begin(), r.end());
  }
  if (!strings.has(str_off, str_size)) {
    *why = "hashed-strings outside the strings block";
    return std::nullopt;
  }
  ByteView s = strings.sub(str_off, str_size);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// "sha256,rsa2048" -> digest; nullptr when unknown.
const EVP_MD* algo_md(std::string_view algo) {
  auto comma = algo.find(',');
  std::string_view h = algo.substr(0, comma);
  if (h == "sha256") return EVP_sha256();
  if (h == "sha384") return EVP_sha384();
  if (h == "sha512") return EVP_sha512();
  if (h == "sha1") return EVP_sha1();
  return nullptr;
}

std::vector<std::string> string_list(const fdt::Property* p) {
  std::vector<std::string> out;
  if (p == nullptr) return out;
  std::string_view s = p->value.str();
  std::size_t i = 0;
  while (i < s.size() && out.size() < 1024) {
    auto nul = s.find('\0', i);
    std::string_view item = s.substr(i, nul == std::string_view::npos ? nul : nul - i);
    if (!item.empty()) out.emplace_back(item);
    if (nul == std::string_view::npos) break;
    i = nul + 1;
  }
  return out;
}

model::TrustVerdict check_value(const std::vector<FitKey>& keys, const fdt::Node& sig,
                                ByteView signed_bytes, const std::string& subject) {
  model::TrustVerdict v = verdict("fit", subject, "fail", "");
  std::string algo(fdt::Tree::prop_string(sig, "algo").value_or(""));
  std::string hint(fdt::Tree::prop_string(sig, "key-name-hint").value_or(""));
  std::string padding(fdt::Tree::prop_string(sig, "padding").value_or(""));
  const fdt::Property* value = fdt::Tree::prop(sig, "value");
  v.evidence.push_back("algo " + algo);
  if (!hint.empty()) v.evidence.push_back("key-name-hint " + hint);
  v.evidence.push_back("signed bytes " + std::to_string(signed_bytes.size()));
  const EVP_MD* md = algo_md(algo);
  if (md == nullptr) {
    v.verdict = "unknown";
    v.detail = "unsupported algo '" + algo + "'";
    return v;
  }
  if (value == nullptr || value->value.empty()) {
    v.detail = "signature node has no value (image was not signed)";
    return v;
  }
  RsaPadding pad = padding == "pss" ? RsaPadding::pss : RsaPadding::pkcs1v15;
  std::vector<const FitKey*> cands;
  for (const auto& k : keys) {
    if (hint.empty() || k.name.empty() || k.name == hint) cands.push_back(&k);
  }
  if (cands.empty()) {
    v.verdict = keys.empty() ? "unknown" : "fail";
    v.detail = keys.empty() ? "no key supplied" : "no supplied key is named '" + hint + "'";
    return v;
  }
  std::string last;
  for (const FitKey* k : cands) {
    std::string used;
    std::string why = verify_raw(k->key.get(), md, signed_bytes, value->value, pad, &used);
    if (why.empty()) {
      v.verdict = "pass";
      v.key = k->origin;
      v.detail = algo + " signature verifies with " + k->origin + " (" + used + ")";
      return v;
    }
    last = why;
  }
  v.detail = algo + " signature does not verify with " + std::to_string(cands.size()) +
             " candidate key(s): " + last;
  return v;
}

}  // namespace

std::vector<model::TrustVerdict> verify_fit_signatures(ByteView fit, const FitKeys& fkeys) {
  std::vector<model::TrustVerdict> out;
  auto tree = fdt::parse(fit);
  if (!tree.ok()) {
    out.push_back(verdict("fit", "FIT", "fail", "not a FIT/FDT: " + tree.error().message));
    return out;
  }
  std::vector<std::string> notes;
  std::vector<FitKey> keys = load_keys(fkeys, &notes);
  const fdt::Node* images = tree->find("/images");
  if (images == nullptr) {
    out.push_back(verdict("fit", "FIT", "fail", "FDT has no /images node (not a FIT image)"));
    return out;
  }
  const std::uint64_t ext_base = align4(tree->header.totalsize);
  std::size_t sig_nodes = 0;
  for (int ci : images->children) {
    const fdt::Node& img = tree->nodes[static_cast<std::size_t>(ci)];
    ByteView data;
    bool have = false;
    if (const fdt::Property* p = fdt::Tree::prop(img, "data")) {
      data = p->value;
      have = true;
    } else if (auto sz = fdt::Tree::prop_u32(img, "data-size")) {
      std::optional<std::uint64_t> off;
      if (auto pos = fdt::Tree::prop_u32(img, "data-position")) off = *pos;
      if (auto o = fdt::Tree::prop_u32(img, "data-offset")) off = ext_base + *o;
      if (off && fit.has(*off, *sz)) {
        data = fit.sub(*off, *sz);
        have = true;
      }
    }
    for (int si : img.children) {
      const fdt::Node& sig = tree->nodes[static_cast<std::size_t>(si)];
      if (sig.name.rfind("signature", 0) != 0) continue;
      ++sig_nodes;
      std::string subject = "/images/" + std::string(img.name) + "/" + std::string(sig.name);
      if (!have) {
        out.push_back(verdict("fit", subject, "fail", "image data is missing or out of range"));
        continue;
      }
      out.push_back(check_value(keys, sig, data, subject));
    }
  }
  if (const fdt::Node* confs = tree->find("/configurations")) {
    for (int ci : confs->children) {
      const fdt::Node& conf = tree->nodes[static_cast<std::size_t>(ci)];
      std::string conf_path = "/configurations/" + std::string(conf.name);
      for (int si : conf.children) {
        const fdt::Node& sig = tree->nodes[static_cast<std::size_t>(si)];
        if (sig.name.rfind("signature", 0) != 0) continue;
        ++sig_nodes;
        std::string subject = conf_path + "/" + std::string(sig.name);
        std::vector<std::string> nodes = string_list(fdt::Tree::prop(sig, "hashed-nodes"));
        const fdt::Property* hs = fdt::Tree::prop(sig, "hashed-strings");
        if (nodes.empty() || hs == nullptr || hs->value.size() < 8) {
          out.push_back(verdict("fit", subject, "fail",
                                "configuration signature lacks hashed-nodes / hashed-strings"));
          continue;
        }
        // The signed node list must cover the configuration and every image it uses (with its
        // hash nodes); otherwise the signature would not protect what boots.
        std::vector<std::string> uncovered;
        if (std::find(nodes.begin(), nodes.end(), conf_path) == nodes.end()) {
          uncovered.push_back(conf_path);
        }
        for (const char* role : {"kernel", "fdt", "ramdisk", "firmware", "loadables", "setup"}) {
          for (const auto& name : string_list(fdt::Tree::prop(conf, role))) {
            std::string ip = "/images/" + name;
            if (std::find(nodes.begin(), nodes.end(), ip) == nodes.end()) uncovered.push_back(ip);
          }
        }
        std::string why;
        auto bytes =
            config_regions(fit, tree->header, nodes, *hs->value.be32(0), *hs->value.be32(4), &why);
        if (!bytes) {
          out.push_back(verdict("fit", subject, "fail", "cannot compute signed regions: " + why));
          continue;
        }
        model::TrustVerdict v = check_value(keys, sig, *bytes, subject);
        v.evidence.push_back("hashed-nodes " + std::to_string(nodes.size()));
        if (!uncovered.empty()) {
          std::string u;
          for (const auto& s : uncovered) u += (u.empty() ? "" : ", ") + s;
          v.verdict = "fail";
          v.detail += "; hashed-nodes do not cover " + u;
        }
        out.push_back(std::move(v));
      }
    }
  }
  if (sig_nodes == 0) {
    out.push_back(
        verdict("fit", "FIT", "fail", "FIT image has no signature nodes: it is not signed"));
  }
  for (auto& v : out) {
    for (const auto& n : notes) v.evidence.push_back("note: " + n);
  }
  return out;
}

}  // namespace waybill::trust
