// Index keys: which product names select a record (see database.h for the three key kinds).
#include "vuln/db/internal.h"

namespace waybill::vuln {
namespace {

// Lowercase, spaces to '_' (CVE 5 vendor/product names are free text: "Linux Kernel").
std::string norm(std::string_view s) {
  std::string out = db::lower(s);
  for (char& c : out)
    if (c == ' ') c = '_';
  return out;
}

bool meaningful(std::string_view s) {
  return !s.empty() && s != "*" && s != "-" && s != "n/a" && s != "N/A" && s != "unknown";
}

}  // namespace

std::string cpe_key(std::string_view vendor, std::string_view product) {
  return "cpe:" + norm(vendor) + ":" + norm(product);
}

std::string osv_key(std::string_view ecosystem, std::string_view package) {
  return "osv:" + db::lower(ecosystem) + ":" + db::lower(package);
}

std::string purl_key(std::string_view purl) {
  if (purl.starts_with("pkg:")) purl.remove_prefix(4);
  while (purl.starts_with("/")) purl.remove_prefix(1);
  for (char stop : {'#', '?', '@'}) {
    auto p = purl.find(stop);
    if (p != std::string_view::npos) purl = purl.substr(0, p);
  }
  while (purl.ends_with("/")) purl.remove_suffix(1);
  return "purl:" + db::lower(purl);
}

namespace db {

bool cpe_vendor_product(std::string_view cpe, std::string& vendor, std::string& product) {
  // cpe:2.3:part:vendor:product:...; fields are split on ':' not preceded by a backslash.
  std::vector<std::string> f;
  std::string cur;
  for (std::size_t i = 0; i < cpe.size() && f.size() < 6; ++i) {
    char c = cpe[i];
    if (c == '\\' && i + 1 < cpe.size()) {
      cur.push_back(cpe[++i]);
    } else if (c == ':') {
      f.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (f.size() < 6) f.push_back(std::move(cur));
  if (f.size() < 5 || f[0] != "cpe" || f[1] != "2.3") return false;
  if (!meaningful(f[3]) || !meaningful(f[4])) return false;
  vendor = std::move(f[3]);
  product = std::move(f[4]);
  return true;
}

std::vector<std::string> record_keys(const VulnRecord& r) {
  std::vector<std::string> keys;
  std::string v, p;
  auto add_cpe = [&](std::string_view criteria) {
    if (cpe_vendor_product(criteria, v, p)) push_unique(keys, cpe_key(v, p));
  };
  for (const auto& c : r.configurations)
    for (const auto& n : c.nodes)
      for (const auto& m : n.matches)
        if (m.vulnerable) add_cpe(m.criteria);
  for (const auto& a : r.affected) {
    if (meaningful(a.vendor) && meaningful(a.product))
      push_unique(keys, cpe_key(a.vendor, a.product));
    for (const auto& c : a.cpes) add_cpe(c);
    if (!a.ecosystem.empty() && !a.package.empty())
      push_unique(keys, osv_key(a.ecosystem, a.package));
    if (!a.purl.empty()) push_unique(keys, purl_key(a.purl));
  }
  return keys;
}

}  // namespace db
}  // namespace waybill::vuln
