#!/bin/bash
# Vulnerability database import benchmark: waybill's importer vs a plain SQLite baseline on the
# same synthetic JSONL (bench/vuln/gen-corpus.py), plus DB size per 100k records and the
# candidates() lookup of 10k keys.
#   bench/vuln/import.sh IMPORT_BENCH_BINARY [N_NVD] [N_OSV] [WORKDIR]
set -euo pipefail
BIN=${1:?usage: import.sh path/to/import_bench [n_nvd] [n_osv] [workdir]}
NNVD=${2:-200000}
NOSV=${3:-100000}
WORK=${4:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
if [ ! -s "$WORK/nvd.jsonl" ] || [ "$(wc -l < "$WORK/nvd.jsonl")" != "$NNVD" ]; then
  python3 "$HERE/gen-corpus.py" --nvd "$NNVD" --osv "$NOSV" --out "$WORK"
fi
N=$((NNVD + NOSV))
echo "corpus: $NNVD NVD + $NOSV OSV records, $(du -ch "$WORK"/nvd.jsonl "$WORK"/osv.jsonl | tail -1 | cut -f1)"

rm -f "$WORK/waybill.db"
/usr/bin/time -f "waybill: wall %e s, user %U s, sys %S s, max RSS %M KB" \
  "$BIN" import "$WORK/waybill.db" "$WORK/nvd.jsonl" "$WORK/osv.jsonl"
SZ=$(stat -c %s "$WORK/waybill.db")
echo "waybill DB size: $SZ bytes = $((SZ * 100000 / N / 1024)) KiB per 100k records"
"$BIN" candidates "$WORK/waybill.db" "$WORK/keys.txt" 5

# Baseline: sqlite3 CLI, JSONL loaded with readfile/json_each-free line splitting, ids and keys
# extracted with json_extract into the same shape of tables and index (records + keys).
rm -f "$WORK/baseline.db"
cat > "$WORK/baseline.sql" <<SQL
PRAGMA synchronous=NORMAL;
CREATE TABLE lines(line TEXT);
CREATE TABLE records(rowid INTEGER PRIMARY KEY, source TEXT, id TEXT, modified TEXT, data BLOB,
  UNIQUE(source, id));
CREATE TABLE keys(key TEXT, rec INTEGER, PRIMARY KEY(key, rec)) WITHOUT ROWID;
.mode line
.timer on
BEGIN;
.import --csv -v "$WORK/nvd.tsv" lines
INSERT OR IGNORE INTO records(source, id, modified, data)
  SELECT 'nvd', json_extract(line, '\$.cve.id'), json_extract(line, '\$.cve.lastModified'), line FROM lines;
INSERT OR IGNORE INTO keys(key, rec)
  SELECT DISTINCT 'cpe:' || lower(substr(m.value ->> 'criteria', 11)), r.rowid
  FROM records r, json_each(r.data, '\$.cve.configurations') c, json_each(c.value, '\$.nodes') n,
       json_each(n.value, '\$.cpeMatch') m WHERE r.source = 'nvd';
DELETE FROM lines;
.import --csv -v "$WORK/osv.tsv" lines
INSERT OR IGNORE INTO records(source, id, modified, data)
  SELECT 'osv', json_extract(line, '\$.id'), json_extract(line, '\$.modified'), line FROM lines;
INSERT OR IGNORE INTO keys(key, rec)
  SELECT DISTINCT 'osv:' || lower(a.value ->> '\$.package.ecosystem') || ':' || lower(a.value ->> '\$.package.name'), r.rowid
  FROM records r, json_each(r.data, '\$.affected') a WHERE r.source = 'osv';
DROP TABLE lines;
COMMIT;
SQL
# One JSON line per CSV field: quote each line (double the quotes) so .import reads it whole.
for s in nvd osv; do sed 's/"/""/g; s/^/"/; s/$/"/' "$WORK/$s.jsonl" > "$WORK/$s.tsv"; done
/usr/bin/time -f "sqlite3 baseline: wall %e s, user %U s, sys %S s, max RSS %M KB" \
  sqlite3 "$WORK/baseline.db" < "$WORK/baseline.sql" > /dev/null
SZ=$(stat -c %s "$WORK/baseline.db")
echo "baseline DB size: $SZ bytes = $((SZ * 100000 / N / 1024)) KiB per 100k records (raw JSON kept)"
echo "records: $N (rates: N / wall seconds above)"
