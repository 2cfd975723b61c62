// Flattened device trees: FIT images (a DTB with an /images node, as `mkimage -f` writes) and
// plain DTBs. FIT sub-images are emitted as streams, embedded (`data`) or external (`data-offset`
// relative to the 4-byte aligned end of the FDT, or absolute `data-position`, as `mkimage -E`
// writes); hash-N nodes are verified. Plain DTBs become a chunk with header facts only.
#include <openssl/evp.h>

#include <algorithm>
#include <string>

#include "core/hash.h"
#include "unpack/formats/fdt.h"
#include "unpack/formats/formats.h"
#include "unpack/formats/fw_common.h"

namespace waybill::unpack {

namespace {

struct Image {
  const fdt::Node* node = nullptr;
  std::uint64_t offset = 0;  // of the data, from the start of the FIT
  std::uint64_t size = 0;
  bool external = false;
};

std::uint64_t align4(std::uint64_t v) {
  return (v + 3) & ~std::uint64_t{3};
}

// Where the data of each /images/<name> lives. Images without data are skipped.
std::vector<Image> locate_images(const fdt::Tree& t, const fdt::Node& images) {
  std::vector<Image> out;
  const std::uint64_t ext_base = align4(t.header.totalsize);
  for (int ci : images.children) {
    const fdt::Node& n = t.nodes[static_cast<std::size_t>(ci)];
    Image im;
    im.node = &n;
    if (const fdt::Property* p = fdt::Tree::prop(n, "data")) {
      im.offset = p->offset;
      im.size = p->value.size();
    } else if (auto sz = fdt::Tree::prop_u32(n, "data-size")) {
      im.size = *sz;
      im.external = true;
      if (auto pos = fdt::Tree::prop_u32(n, "data-position")) {
        im.offset = *pos;
      } else if (auto off = fdt::Tree::prop_u32(n, "data-offset")) {
        im.offset = ext_base + *off;
      } else {
        continue;
      }
    } else {
      continue;
    }
    out.push_back(im);
  }
  return out;
}

// nullopt when the algorithm is not one we verify.
std::optional<std::vector<std::uint8_t>> digest(std::string_view algo, ByteView data) {
  if (algo == "crc32") {
    std::uint32_t c = fw::crc32(data);
    return std::vector<std::uint8_t>{
        static_cast<std::uint8_t>(c >> 24), static_cast<std::uint8_t>(c >> 16),
        static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
  }
  const EVP_MD* md = nullptr;
  if (algo == "sha1")
    md = EVP_sha1();
  else if (algo == "sha256")
    md = EVP_sha256();
  else if (algo == "sha384")
    md = EVP_sha384();
  else if (algo == "sha512")
    md = EVP_sha512();
  else if (algo == "md5")
    md = EVP_md5();
  if (!md) return std::nullopt;
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) return std::nullopt;
  out.resize(len);
  return out;
}

void add_str(Chunk& c, const std::string& key, const fdt::Node& n, std::string_view prop) {
  if (auto v = fdt::Tree::prop_string(n, prop)) c.info.emplace_back(key, std::string(*v));
}

class FitUnpacker final : public Unpacker {
 public:
  const Descriptor& describe() const override {
    static const Descriptor d{"fit", "U-Boot FIT image / flattened device tree blob"};
    return d;
  }

  std::span<const Magic> magics() const override {
    static const Magic m[] = {{std::string_view("\xd0\x0d\xfe\xed", 4), 0}};
    return m;
  }

  Result<Chunk> probe(ByteView data, std::uint64_t start) const override {
    auto tree = fdt::parse(data.sub(start));
    if (!tree) return Error(Errc::not_this_format, "");
    const fdt::Tree& t = *tree;
    Chunk c;
    c.size = t.header.totalsize;
    c.confidence = 90;
    const fdt::Node* images = t.find("/images");
    if (!images) {
      c.description = "device tree blob, " + std::to_string(t.nodes.size()) + " nodes";
      c.info.emplace_back("kind", "dtb");
      add_str(c, "model", t.root(), "model");
      add_str(c, "compatible", t.root(), "compatible");
      c.info.emplace_back("nodes", std::to_string(t.nodes.size()));
      return c;
    }
    std::vector<Image> ims = locate_images(t, *images);
    c.description = "FIT image, " + std::to_string(ims.size()) + " images";
    c.info.emplace_back("kind", "fit");
    add_str(c, "description", t.root(), "description");
    if (auto ts = fdt::Tree::prop_u32(t.root(), "timestamp"))
      c.info.emplace_back("timestamp", std::to_string(*ts));
    if (const fdt::Node* cfg = t.find("/configurations")) add_str(c, "default", *cfg, "default");
    for (const Image& im : ims) {
      std::string k(im.node->name);
      add_str(c, k + ".description", *im.node, "description");
      add_str(c, k + ".type", *im.node, "type");
      add_str(c, k + ".arch", *im.node, "arch");
      add_str(c, k + ".os", *im.node, "os");
      add_str(c, k + ".compression", *im.node, "compression");
      c.info.emplace_back(k + ".data_offset", std::to_string(im.offset));
      c.info.emplace_back(k + ".data_size", std::to_string(im.size));
      if (im.external) {
        c.info.emplace_back(k + ".external", "true");
        c.size = std::max<std::uint64_t>(c.size, im.offset + im.size);
      }
    }
    return c;
  }

  Result<std::uint64_t> extract(ByteView data, const Chunk& chunk, Sink& sink) const override {
    auto tree = fdt::parse(data);
    if (!tree) return tree.error();
    const fdt::Tree& t = *tree;
    const fdt::Node* images = t.find("/images");
    if (!images) return std::uint64_t{t.header.totalsize};
    std::uint64_t end = t.header.totalsize;
    bool truncated = false;
    for (const Image& im : locate_images(t, *images)) {
      const std::string name(im.node->name);
      ByteView payload = data.sub(im.offset, im.size);
      if (im.external) end = std::max<std::uint64_t>(end, im.offset + im.size);
      if (payload.size() < im.size) {
        truncated = true;
        sink.diagnostic(Severity::warning, Errc::truncated, im.offset,
                        "FIT image '" + name + "': external data truncated (" +
                            std::to_string(payload.size()) + " of " + std::to_string(im.size) +
                            " bytes)");
      } else {
        verify_hashes(t, *im.node, name, payload, sink);
      }
      if (!payload.empty()) {
        if (auto st = sink.stream(name, payload); !st) return st.error();
      }
    }
    (void)chunk;
    if (truncated) return Error(Errc::truncated, "FIT external data truncated", data.size());
    return end;
  }

 private:
  static void verify_hashes(const fdt::Tree& t, const fdt::Node& image, const std::string& name,
                            ByteView payload, Sink& sink) {
    for (int ci : image.children) {
      const fdt::Node& h = t.nodes[static_cast<std::size_t>(ci)];
      if (h.name.substr(0, 4) != "hash") continue;
      auto algo = fdt::Tree::prop_string(h, "algo");
      const fdt::Property* value = fdt::Tree::prop(h, "value");
      if (!algo || !value) continue;
      auto calc = digest(*algo, payload);
      if (!calc) {
        sink.diagnostic(
            Severity::info, Errc::unsupported, value->offset,
            "FIT image '" + name + "': hash algorithm '" + std::string(*algo) + "' not verified");
        continue;
      }
      if (calc->size() != value->value.size() ||
          !std::equal(calc->begin(), calc->end(), value->value.begin())) {
        sink.diagnostic(Severity::warning, Errc::corrupt, value->offset,
                        "FIT image '" + name + "': " + std::string(*algo) + " mismatch in " +
                            std::string(h.name) + ": stored " + hex_encode(value->value) +
                            ", computed " + hex_encode(ByteView(calc->data(), calc->size())));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Unpacker> make_fit_unpacker() {
  return std::make_unique<FitUnpacker>();
}

}  // namespace waybill::unpack
