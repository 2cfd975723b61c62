#!/usr/bin/env python3
"""Write N synthetic vulnerability records shaped like the real ones, for import benchmarks.

Templates are the real records in ../shared/data/vuln (NVD CVE 2.0 lines and OSV Go lines);
each output record is a template with a new id, vendor/product or package name, versions and
modified time, so sizes and structure follow the real feeds.

  gen-corpus.py --nvd 200000 --osv 100000 --out DIR [--data ../shared/data/vuln] [--seed 1]

Writes DIR/nvd.jsonl ({"cve":{...}} per line) and DIR/osv.jsonl (one OSV record per line).
"""
import argparse
import json
import lzma
import os
import random


def load(path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def vary_version(rng, v):
    if not v or v in ("*", "-"):
        return v
    parts = v.split(".")
    out = []
    for p in parts:
        out.append(str(rng.randint(0, 40)) if p.isdigit() else p)
    return ".".join(out)


def nvd_record(rng, tpl, i, vendors):
    cve = json.loads(json.dumps(tpl["cve"]))
    year = 1999 + i % 27
    cve["id"] = "CVE-%d-%07d" % (year, 100000 + i)
    cve["lastModified"] = "20%02d-%02d-%02dT%02d:%02d:%02d.%03d" % (
        rng.randint(10, 25), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
        rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999))
    vendor, product = vendors[rng.randrange(len(vendors))]
    for conf in cve.get("configurations", []):
        for node in conf.get("nodes", []):
            for m in node.get("cpeMatch", []):
                if not m.get("vulnerable", True):
                    continue
                f = m["criteria"].split(":")
                if len(f) > 5:
                    f[3], f[4] = vendor, product
                    m["criteria"] = ":".join(f)
                for k in ("versionStartIncluding", "versionEndExcluding", "versionEndIncluding"):
                    if k in m:
                        m[k] = vary_version(rng, m[k])
    return {"cve": cve}


def osv_record(rng, tpl, i, packages):
    r = json.loads(json.dumps(tpl))
    r["id"] = "GO-SYN-%07d" % i
    r["modified"] = "20%02d-%02d-%02dT00:00:00Z" % (rng.randint(10, 25), rng.randint(1, 12),
                                                   rng.randint(1, 28))
    r["aliases"] = ["CVE-%d-%07d" % (2000 + i % 26, 500000 + i)]
    for a in r.get("affected", []):
        a["package"]["name"] = packages[rng.randrange(len(packages))]
        for rg in a.get("ranges", []):
            for ev in rg.get("events", []):
                for k in list(ev):
                    if ev[k] != "0":
                        ev[k] = vary_version(rng, ev[k])
    return r


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nvd", type=int, default=200000)
    ap.add_argument("--osv", type=int, default=100000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", default=os.path.join(here, "../../../shared/data/vuln"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    nvd_t = [r for r in load(os.path.join(a.data, "nvd/nvd_iot_cve_2.0.jsonl.xz"))
             + load(os.path.join(a.data, "nvd/nvd_cve_2.0.jsonl.xz"))]
    osv_t = load(os.path.join(a.data, "osv/osv_go.jsonl.xz"))
    # ~20k products, like the CPE vendor:product space a firmware SBOM is matched against.
    vendors = [("vendor%d" % (k % 5000), "product%d" % k) for k in range(20000)]
    packages = ["example.com/mod%d/pkg%d" % (k % 3000, k) for k in range(10000)]
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "nvd.jsonl"), "w", encoding="utf-8") as f:
        for i in range(a.nvd):
            rec = nvd_record(rng, nvd_t[i % len(nvd_t)], i, vendors)
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(a.out, "osv.jsonl"), "w", encoding="utf-8") as f:
        for i in range(a.osv):
            rec = osv_record(rng, osv_t[i % len(osv_t)], i, packages)
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(a.out, "keys.txt"), "w") as f:
        # 10k lookup keys as an SBOM would produce: 5k that exist, 5k that do not.
        for k in range(5000):
            v, p = vendors[rng.randrange(len(vendors))]
            f.write("cpe:%s:%s\n" % (v, p))
        for k in range(5000):
            f.write("cpe:absent%d:absent%d\n" % (k, k))


if __name__ == "__main__":
    main()
