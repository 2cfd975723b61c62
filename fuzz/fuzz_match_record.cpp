// Fuzz the record evaluators of vuln/match: the input is split on '\n' into strings that fill a
// component (version, CPE, distro, purl) and one record of each shape (NVD cpeMatch with bounds,
// CVE 5 versions[] with odd strings and wildcards, OSV events and versions); every evaluator runs
// on it. Also feeds the whole input to the alias-table parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vuln/match/matcher.h"

using namespace waybill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  (void)vuln::AliasTable::parse(in);
  std::vector<std::string> f;
  std::size_t pos = 0;
  while (pos <= in.size() && f.size() < 24) {
    auto nl = in.find('\n', pos);
    if (nl == std::string::npos) nl = in.size();
    f.push_back(in.substr(pos, nl - pos));
    pos = nl + 1;
  }
  f.resize(24);
  model::Component c;
  c.name = c.upstream_name = f[0];
  c.version = f[1];
  c.cpes.push_back(f[2]);
  c.distro = f[3];
  c.ecosystem = f[4];
  c.package_version = f[5];
  c.purl = f[6];
  c.bom_ref = "c";
  model::Component other;
  other.cpes.push_back(f[7]);
  other.bom_ref = "o";
  std::vector<model::Component> sbom{c, other};
  vuln::MatchContext ctx;
  ctx.sbom = sbom;

  vuln::VulnRecord nvd;
  nvd.id = "CVE-0000-0000";
  nvd.source = "nvd";
  vuln::CpeConfiguration conf;
  conf.op = f[8].empty() ? "OR" : "AND";
  vuln::CpeNode node;
  node.negate = !f[9].empty() && f[9][0] == '!';
  vuln::CpeMatch m;
  m.criteria = f[10];
  m.version_start_including = f[11];
  m.version_end_excluding = f[12];
  node.matches.push_back(m);
  vuln::CpeMatch p;
  p.criteria = f[7];
  p.vulnerable = false;
  vuln::CpeNode pnode;
  pnode.matches.push_back(p);
  conf.nodes = {node, pnode};
  nvd.configurations.push_back(conf);
  vuln::NoMatch why;
  (void)vuln::match_record(nvd, c, ctx, &why);

  vuln::VulnRecord cve5;
  cve5.id = "CVE-0000-0001";
  cve5.source = "cve5";
  vuln::Affected a;
  a.vendor = f[13];
  a.product = f[14];
  a.default_status = f[15];
  a.cpes.push_back(f[2]);
  a.cve5_versions.push_back({f[16], f[17], f[18], "affected", f[19]});
  a.cve5_versions.push_back({f[17], "", f[16], "unaffected", "custom"});
  cve5.affected.push_back(a);
  cve5.configurations = nvd.configurations;
  (void)vuln::match_record(cve5, c, ctx, &why);

  vuln::VulnRecord osv;
  osv.id = "OSV-0";
  osv.source = "osv";
  vuln::Affected o;
  o.ecosystem = f[20];
  o.package = f[0];
  o.purl = f[6];
  o.versions = {f[21]};
  vuln::Range r;
  r.type = f[22];
  r.events = {{f[21], "", "", ""}, {"", f[23], "", ""}, {"", "", f[16], ""}, {"", "", "", f[17]}};
  o.ranges.push_back(r);
  osv.affected.push_back(o);
  (void)vuln::match_record(osv, c, ctx, &why);
  (void)vuln::component_keys(c, vuln::AliasTable::builtin());
  return 0;
}
