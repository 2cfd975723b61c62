#!/usr/bin/env bash
# Seeds the libFuzzer corpora in fuzz/corpus/<id>/ from the test fixtures that
# tests/fixtures/make-fixtures.sh builds. Files are sorted by their leading magic bytes, so a
# fixture lands in the corpus of the unpacker that reads it; every fixture also seeds the engine
# and signature corpora. Generated corpora are local only (fuzz/.gitignore): do not commit them.
#
#   fuzz/seed-corpus.sh [FIXTURE_DIR]
#
# FIXTURE_DIR defaults to build-fuzz/fixtures, built with make-fixtures.sh when missing.
# Seeds larger than SEED_MAX_BYTES (default 1 MiB) are skipped: libFuzzer sizes its inputs after
# the largest seed, and big seeds make every run slow.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
FIX=${1:-$ROOT/build-fuzz/fixtures}
CORPUS=${WAYBILL_FUZZ_CORPUS:-$HERE/corpus}
MAX=${SEED_MAX_BYTES:-1048576}

command -v python3 >/dev/null || { echo "seed-corpus: python3 is needed (run scripts/setup.sh)" >&2; exit 1; }

if [ ! -d "$FIX" ] || [ -z "$(ls -A "$FIX" 2>/dev/null)" ]; then
  echo "seed-corpus: building fixtures into $FIX"
  bash "$ROOT/tests/fixtures/make-fixtures.sh" "$FIX"
fi

python3 - "$FIX" "$CORPUS" "$MAX" <<'PY'
import hashlib, os, shutil, sys

fix, corpus, max_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])

# (unpacker id, offset, magic) - the first match wins.
MAGICS = [
    ("squashfs", 0, b"hsqs"), ("squashfs", 0, b"sqsh"),
    ("cpio", 0, b"07070"), ("cpio", 0, b"\xc7\x71"), ("cpio", 0, b"\x71\xc7"),
    ("tar", 257, b"ustar"),
    ("zip", 0, b"PK\x03\x04"), ("zip", 0, b"PK\x05\x06"),
    ("gzip", 0, b"\x1f\x8b"),
    ("xz", 0, b"\xfd7zXZ\x00"),
    ("bzip2", 0, b"BZh"),
    ("zstd", 0, b"\x28\xb5\x2f\xfd"),
    ("lz4", 0, b"\x04\x22\x4d\x18"), ("lz4", 0, b"\x02\x21\x4c\x18"),
    ("uimage", 0, b"\x27\x05\x19\x56"),
    ("fit", 0, b"\xd0\x0d\xfe\xed"),
    ("trx", 0, b"HDR0"),
    ("android-sparse", 0, b"\x3a\xff\x26\xed"),
    ("cramfs", 0, b"\x45\x3d\xcd\x28"), ("cramfs", 0, b"\x28\xcd\x3d\x45"),
    ("lzma", 0, b"\x5d\x00\x00"),
]
# Files that seed cataloger corpora, by base name.
CATALOG = {
    "status": ["pkgdb/dpkg", "pkgdb/opkg", "pkgdb/yocto"],
    "installed": ["pkgdb/apk"],
    "os-release": ["os/os-release"],
    "manifest.csv": ["pkgdb/buildroot"],
}

def classify(head, name):
    for fmt, off, magic in MAGICS:
        if head[off:off + len(magic)] == magic:
            return fmt
    if name.endswith(".lzma"):
        return "lzma"
    return None

def put(target, path, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    dst = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(dst):
        with open(dst, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

counts, skipped = {}, 0
for dirpath, dirs, files in os.walk(fix):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(dirpath, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        size = os.path.getsize(path)
        if size == 0 or size > max_bytes:
            skipped += 1
            continue
        with open(path, "rb") as f:
            data = f.read()
        fmt = classify(data[:512], name)
        if fmt:
            put(fmt, path, data)
        if data[:4] == b"\x7fELF":
            put("elf", path, data)
        for target in CATALOG.get(name, []) + (["pkgdb/yocto"] if name.endswith(".manifest") else []):
            put(target, path, data)
        put("engine", path, data)
        put("signatures", path, data)

for t in sorted(counts):
    print(f"seed-corpus: {t:16} +{counts[t]}")
print(f"seed-corpus: {skipped} file(s) skipped (empty or larger than {max_bytes} bytes)")
PY

# A few small ELF files from the host for fuzz_elf and fuzz_signatures (local corpus only).
for f in /usr/bin/true /usr/bin/env /lib/x86_64-linux-gnu/libz.so.1; do
  [ -f "$f" ] || continue
  f=$(readlink -f "$f")
  for t in elf signatures; do
    mkdir -p "$CORPUS/$t"
    cp -f "$f" "$CORPUS/$t/host-$(basename "$f")"
  done
done
echo "seed-corpus: corpora in $CORPUS"
