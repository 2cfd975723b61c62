// CSAF 2.0 reader (the csaf_vex profile, and any CSAF document with product_status).
//
// Products (product_tree):
// - branches (nested, depth <= 32): a product's name is the nearest `product_name` branch above
//   it (else a `product_family` branch, which then matches any version) and its version the
//   `product_version` branch it sits in (a version that is really a range, CSAF test 6.1.31, is not
//   used as a version); its product_identification_helper gives purl and cpe;
// - full_product_names: helper purl/cpe only (their `name` is a display name);
// - relationships: the combined product id stands for its `product_reference` (the component
//   inside the other product), so it gets that product's identifiers plus its own helper's;
// - product_groups expand group_ids in flags, threats and remediations.
// Statements: one VexEntry per (vulnerability, product id) of product_status: known_not_affected
// -> not_affected; fixed, first_fixed -> fixed; known_affected, first_affected, last_affected ->
// affected; under_investigation; `recommended` is not a status and is ignored. justification =
// the product's flag label (CSAF labels are the OpenVEX justification names); impact = threats of
// category impact; action = remediations ("vendor_fix: details"). id = cve, else ids[0].text;
// aliases = the other ids. Timestamp = document.tracking.current_release_date.
//
// Consistency checks that matter to VEX decisions become diagnostics naming the CSAF test:
// 6.1.1 undefined product id, 6.1.2 product id defined twice, 6.1.3 circular relationship,
// 6.1.4 undefined group id, 6.1.5 group id defined twice, 6.1.6 contradicting product status
// (statements for that product are then dropped: no suppression from a contradiction), 6.1.23
// CVE listed twice, 6.1.27.7/.8/.9/.10 (VEX profile: status, id, impact and action statements),
// 6.1.31 version range in product_version, 6.1.32 flag without product. Tests on revision
// history, CVSS, CWE, languages and translations are not run (they do not change statements).
#include <algorithm>
#include <map>
#include <set>

#include "vuln/vex/internal.h"

namespace waybill::vuln::vexdetail {

namespace {

struct Product {
  std::vector<std::string> purls, cpes;
  std::vector<std::pair<std::string, std::string>> name_versions;
  std::string reference;  // relationships: product_reference
  bool resolved = true;
};

struct Reader {
  VexDocument& doc;
  std::map<std::string, Product> products;
  std::map<std::string, std::vector<std::string>> groups;

  // CSAF 6.1.31: a product_version containing <, >, or one of the words after, all, before,
  // earlier, later, prior, versions (whole words, any case) is a range; so are "vers:" strings
  // and wildcards.
  bool looks_like_range(const std::string& v) {
    if (v.find_first_of("<>*") != std::string::npos || v.rfind("vers:", 0) == 0) return true;
    static const std::set<std::string> kWords = {"after", "all",   "before",  "earlier",
                                                 "later", "prior", "versions"};
    std::string word;
    for (std::size_t i = 0; i <= v.size(); ++i) {
      char c = i < v.size() ? v[i] : ' ';
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (kWords.count(word)) return true;
        word.clear();
      } else {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return false;
  }

  void define(const std::string& id, Product p, const std::string& where) {
    if (id.empty()) {
      warn(doc, where, "product without product_id");
      return;
    }
    if (products.count(id)) {
      warn(doc, where, "product id " + id + " defined more than once (CSAF 6.1.2)");
      return;
    }
    products.emplace(id, std::move(p));
  }

  void helper(const json& product, Product& p) {
    const json& h = jsonin::obj(product, "product_identification_helper");
    add_unique(p.purls, jsonin::str(h, "purl"));
    add_unique(p.cpes, jsonin::str(h, "cpe"));
  }

  void branches(const json& list, const std::string& name, const std::string& version,
                const std::string& where, int depth) {
    if (depth > 32) {
      warn(doc, where, "product_tree branches nested deeper than 32; rest ignored");
      return;
    }
    std::size_t i = 0;
    for (const json& b : list) {
      std::string w = where + ".branches[" + std::to_string(i++) + "]";
      if (!b.is_object()) continue;
      std::string cat = jsonin::str(b, "category");
      std::string bname = jsonin::str(b, "name");
      std::string n = name, v = version;
      if (cat == "product_name" || (cat == "product_family" && n.empty())) n = bname;
      if (cat == "product_version") {
        if (looks_like_range(bname)) {
          warn(doc, w,
               "product_version \"" + bname +
                   "\" is a version range (CSAF 6.1.31); not used as a version");
        } else {
          v = bname;
        }
      }
      if (const json* prod = jsonin::member(b, "product"); prod && prod->is_object()) {
        Product p;
        helper(*prod, p);
        if (!n.empty()) p.name_versions.emplace_back(n, v);
        define(jsonin::str(*prod, "product_id"), std::move(p), w);
      }
      branches(jsonin::arr(b, "branches"), n, v, w, depth + 1);
    }
  }

  // Expands product ids and group ids of a flag/threat/remediation; reports undefined ones.
  std::vector<std::string> targets(const json& item, const std::string& where) {
    std::vector<std::string> out;
    for (const json& id : jsonin::arr(item, "product_ids")) {
      std::string s = jsonin::as_str(id);
      if (s.empty()) continue;
      if (!products.count(s)) warn(doc, where, "product id " + s + " is not defined (CSAF 6.1.1)");
      add_unique(out, s);
    }
    for (const json& g : jsonin::arr(item, "group_ids")) {
      std::string s = jsonin::as_str(g);
      auto it = groups.find(s);
      if (it == groups.end()) {
        warn(doc, where, "product group " + s + " is not defined (CSAF 6.1.4)");
        continue;
      }
      for (const auto& p : it->second) add_unique(out, p);
    }
    return out;
  }

  void resolve_relationships() {
    // A relationship product takes its product_reference's identifiers; chains are followed
    // (at most 16 rounds), cycles reported.
    for (int round = 0; round < 16; ++round) {
      bool changed = false;
      for (auto& [id, p] : products) {
        if (p.resolved) continue;
        auto it = products.find(p.reference);
        if (it == products.end() || !it->second.resolved) continue;
        for (const auto& x : it->second.purls) add_unique(p.purls, x);
        for (const auto& x : it->second.cpes) add_unique(p.cpes, x);
        for (const auto& nv : it->second.name_versions) p.name_versions.push_back(nv);
        p.resolved = true;
        changed = true;
      }
      if (!changed) break;
    }
    for (auto& [id, p] : products)
      if (!p.resolved && !products.count(p.reference)) p.resolved = true;  // 6.1.1, reported
    for (auto& [id, p] : products)
      if (!p.resolved) {
        warn(doc, "product_tree.relationships",
             "product " + id + " refers to itself through relationships (CSAF 6.1.3)");
        p.resolved = true;
      }
  }

  Status run(const json& root) {
    const json& document = jsonin::obj(root, "document");
    const json& tracking = jsonin::obj(document, "tracking");
    doc.id = jsonin::str(tracking, "id");
    doc.timestamp = jsonin::str(tracking, "current_release_date");
    doc.author = jsonin::str(jsonin::obj(document, "publisher"), "name");
    std::string category = jsonin::str(document, "category");
    bool vex_profile = category == "csaf_vex";
    if (jsonin::str(document, "csaf_version") != "2.0")
      return Error(Errc::unsupported, doc.path + ": CSAF version \"" +
                                          jsonin::str(document, "csaf_version") +
                                          "\" is not supported (2.0 is)");

    const json& tree = jsonin::obj(root, "product_tree");
    branches(jsonin::arr(tree, "branches"), "", "", "product_tree", 0);
    std::size_t i = 0;
    for (const json& f : jsonin::arr(tree, "full_product_names")) {
      Product p;
      helper(f, p);
      define(jsonin::str(f, "product_id"), std::move(p),
             "product_tree.full_product_names[" + std::to_string(i++) + "]");
    }
    i = 0;
    std::vector<std::pair<std::string, std::string>> refs_to_check;
    for (const json& r : jsonin::arr(tree, "relationships")) {
      std::string w = "product_tree.relationships[" + std::to_string(i++) + "]";
      const json& fpn = jsonin::obj(r, "full_product_name");
      Product p;
      helper(fpn, p);
      p.reference = jsonin::str(r, "product_reference");
      p.resolved = false;
      refs_to_check.emplace_back(p.reference, w);
      refs_to_check.emplace_back(jsonin::str(r, "relates_to_product_reference"), w);
      define(jsonin::str(fpn, "product_id"), std::move(p), w);
    }
    for (const auto& [ref, w] : refs_to_check)
      if (!products.count(ref)) warn(doc, w, "product id " + ref + " is not defined (CSAF 6.1.1)");
    resolve_relationships();
    i = 0;
    for (const json& g : jsonin::arr(tree, "product_groups")) {
      std::string w = "product_tree.product_groups[" + std::to_string(i++) + "]";
      std::string gid = jsonin::str(g, "group_id");
      if (groups.count(gid)) {
        warn(doc, w, "product group " + gid + " defined more than once (CSAF 6.1.5)");
        continue;
      }
      std::vector<std::string> ids;
      for (const json& id : jsonin::arr(g, "product_ids")) {
        std::string s = jsonin::as_str(id);
        if (!products.count(s)) warn(doc, w, "product id " + s + " is not defined (CSAF 6.1.1)");
        add_unique(ids, s);
      }
      groups.emplace(gid, std::move(ids));
    }

    const json* vulns = jsonin::member(root, "vulnerabilities");
    if (vulns && !vulns->is_array())
      return Error(Errc::corrupt, doc.path + ": CSAF \"vulnerabilities\" is not an array");
    if (!vulns) {
      warn(doc, "", "CSAF document has no vulnerabilities: no VEX statements");
      return Status::success();
    }
    std::set<std::string> cves;
    std::size_t unmatched_products = 0;
    i = 0;
    for (const json& v : *vulns) {
      std::string w = "vulnerabilities[" + std::to_string(i++) + "]";
      if (!v.is_object()) continue;
      std::string id = jsonin::str(v, "cve");
      std::vector<std::string> aliases;
      for (const json& x : jsonin::arr(v, "ids")) {
        std::string t = jsonin::str(x, "text");
        if (id.empty()) {
          id = t;
        } else if (t != id) {
          add_unique(aliases, t);
        }
      }
      // Without an id nothing can be stated, but the product references are still checked.
      if (id.empty() && vex_profile)
        warn(doc, w, "vulnerability has neither cve nor ids (CSAF 6.1.27.8); skipped");
      if (!id.empty() && !jsonin::str(v, "cve").empty() && !cves.insert(id).second)
        warn(doc, w, id + " is listed in more than one vulnerability (CSAF 6.1.23)");

      // Per-product justification, impact and action.
      std::map<std::string, std::string> justification, impact, action;
      std::size_t k = 0;
      for (const json& f : jsonin::arr(v, "flags")) {
        std::string fw = w + ".flags[" + std::to_string(k++) + "]";
        if (jsonin::arr(f, "product_ids").empty() && jsonin::arr(f, "group_ids").empty())
          warn(doc, fw, "flag without product_ids or group_ids (CSAF 6.1.32)");
        std::string label = jsonin::str(f, "label");
        if (!is_openvex_justification(label)) {
          warn(doc, fw, "unknown flag label \"" + label + "\"");
          continue;
        }
        for (const auto& p : targets(f, fw)) {
          auto [it, fresh] = justification.emplace(p, label);
          if (!fresh && it->second != label)
            warn(doc, fw, "product " + p + " has more than one flag (CSAF 6.1.33)");
        }
      }
      k = 0;
      for (const json& t : jsonin::arr(v, "threats")) {
        std::string tw = w + ".threats[" + std::to_string(k++) + "]";
        std::vector<std::string> tp = targets(t, tw);
        if (jsonin::str(t, "category") != "impact") continue;
        std::string details = jsonin::str(t, "details");
        for (const auto& p : tp) {
          auto& s = impact[p];
          s += (s.empty() ? "" : "; ") + details;
        }
      }
      k = 0;
      for (const json& r : jsonin::arr(v, "remediations")) {
        std::string rw = w + ".remediations[" + std::to_string(k++) + "]";
        std::string text = jsonin::str(r, "category");
        std::string details = jsonin::str(r, "details");
        if (!details.empty()) text += (text.empty() ? "" : ": ") + details;
        for (const auto& p : targets(r, rw)) {
          auto& s = action[p];
          s += (s.empty() ? "" : "; ") + text;
        }
      }

      // product_status: one status per product; contradictions drop the product.
      static const std::pair<const char*, const char*> kStatus[] = {
          {"known_not_affected", "not_affected"},
          {"fixed", "fixed"},
          {"first_fixed", "fixed"},
          {"known_affected", "affected"},
          {"first_affected", "affected"},
          {"last_affected", "affected"},
          {"under_investigation", "under_investigation"}};
      const json& ps = jsonin::obj(v, "product_status");
      std::map<std::string, std::pair<std::string, std::string>> status;  // id -> (status, src)
      std::set<std::string> contradicted;
      for (const auto& [src, mapped] : kStatus) {
        for (const json& pid : jsonin::arr(ps, src)) {
          std::string p = jsonin::as_str(pid);
          if (p.empty()) continue;
          if (!products.count(p))
            warn(doc, w + ".product_status." + src,
                 "product id " + p + " is not defined (CSAF 6.1.1)");
          auto [it, fresh] =
              status.emplace(p, std::make_pair(std::string(mapped), std::string(src)));
          if (!fresh && it->second.first != mapped && contradicted.insert(p).second)
            warn(doc, w + ".product_status",
                 "product " + p + " is both " + it->second.second + " and " + src +
                     " (CSAF 6.1.6); its statements for " + id + " are dropped");
        }
      }
      bool vex_status = false;
      for (const char* k : {"fixed", "known_affected", "known_not_affected", "under_investigation"})
        if (!jsonin::arr(ps, k).empty()) vex_status = true;
      if (!vex_status && vex_profile)
        warn(doc, w,
             "no fixed, known_affected, known_not_affected or under_investigation "
             "product (CSAF 6.1.27.7)");
      for (const auto& [p, st] : status) {
        if (id.empty() || contradicted.count(p)) continue;
        auto prod = products.find(p);
        if (prod == products.end()) continue;
        VexEntry e;
        e.id = id;
        e.aliases = aliases;
        e.where = w + " product " + p;
        e.purls = prod->second.purls;
        e.cpes = prod->second.cpes;
        e.name_versions = prod->second.name_versions;
        e.statement.status = st.first;
        e.source_status = st.second;
        if (auto j = justification.find(p); j != justification.end()) {
          e.statement.justification = j->second;
          e.source_justification = j->second;
        }
        if (auto x = impact.find(p); x != impact.end()) e.statement.impact = x->second;
        if (auto x = action.find(p); x != action.end()) e.statement.action = x->second;
        if (vex_profile && st.first == "not_affected" && e.statement.justification.empty() &&
            e.statement.impact.empty())
          warn(doc, e.where, "known_not_affected without flag or impact threat (CSAF 6.1.27.9)");
        if (vex_profile && st.first == "affected" && e.statement.action.empty())
          warn(doc, e.where, "known_affected without remediation (CSAF 6.1.27.10)");
        if (e.purls.empty() && e.cpes.empty() && e.name_versions.empty()) {
          ++unmatched_products;
          continue;
        }
        if (doc.entries.size() >= kMaxVexEntries) {
          warn(doc, w, "more than " + std::to_string(kMaxVexEntries) + " statements; rest ignored");
          return Status::success();
        }
        doc.entries.push_back(std::move(e));
      }
    }
    if (unmatched_products)
      warn(doc, "",
           std::to_string(unmatched_products) +
               " statement(s) are about products with no purl, cpe or name/version "
               "branch; they cannot be matched and were skipped");
    return Status::success();
  }
};

}  // namespace

Status read_csaf_vex(const json& root, VexDocument& doc) {
  Reader r{doc, {}, {}};
  return r.run(root);
}

}  // namespace waybill::vuln::vexdetail
