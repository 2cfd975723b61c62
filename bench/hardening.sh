#!/usr/bin/env bash
# ELF hardening checks: waybill vs checksec 2.6.0 on the same extracted root filesystems, in the
# same run. Prints a table with wall times and the ratio (goal: waybill >= 50x faster).
#
#   bash bench/hardening.sh [ROOTFS_DIR|IMAGE ...]
# Without arguments: the squashfs root filesystems of the shared armhf image and the generated
# arm64 image (extracted with unsquashfs into bench/work/hardening/), and /usr/bin of this
# machine.
# Environment: BENCH_HARDENING_BIN (driver, default build-bench/bench/bench_hardening, else
# build/bench/bench_hardening; built with -DWAYBILL_BENCH=ON), WAYBILL_SHARED, WAYBILL_CORPUS,
# BENCH_REPEAT (default 3; waybill runs, median reported; checksec runs once).
set -uo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
SHARED=${WAYBILL_SHARED:-$ROOT/../shared}
CORPUS=${WAYBILL_CORPUS:-$ROOT/build/corpus}
REPEAT=${BENCH_REPEAT:-3}
WORK=$ROOT/bench/work/hardening
mkdir -p "$WORK"
BIN=${BENCH_HARDENING_BIN:-}
for c in "$ROOT/build-bench/bench/bench_hardening" "$ROOT/build/bench/bench_hardening"; do
  [[ -z $BIN && -x $c ]] && BIN=$c
done
if [[ -z $BIN || ! -x $BIN ]]; then
  echo "bench_hardening not built: cmake -DWAYBILL_BENCH=ON ... && ninja bench_hardening" >&2
  exit 1
fi
command -v checksec >/dev/null || { echo "checksec not installed (apt-get install checksec)" >&2; exit 1; }

# Extract a squashfs at OFFSET of IMAGE into DIR (cached).
extract() {
  local img=$1 off=$2 dir=$3
  [[ -d $dir ]] && return 0
  command -v unsquashfs >/dev/null || return 1
  python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d[int(sys.argv[3]):])" \
    "$img" "$WORK/tmp.sqfs" "$off" && unsquashfs -no-xattrs -d "$dir" "$WORK/tmp.sqfs" >/dev/null 2>&1
  rm -f "$WORK/tmp.sqfs"
}

TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then
  img=$SHARED/corpus/firmware/armhf/fw-armhf-opkg-defects.uImage
  if [[ -f $img ]]; then
    off=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1]));print([l['offset'] for l in t['container_layers'] if l.get('format')=='squashfs'][0])" "$img.truth.json")
    extract "$img" "$off" "$WORK/armhf-rootfs" && TARGETS+=("$WORK/armhf-rootfs")
  fi
  img=$CORPUS/arm64/fw-arm64-opkg.sqfs-gzip.img
  [[ -f $img ]] && extract "$img" 0 "$WORK/arm64-rootfs" && TARGETS+=("$WORK/arm64-rootfs")
  TARGETS+=(/usr/bin)
fi

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-34s %6s %6s %10s %10s %10s %9s %9s\n' target files elf "wb-elf s" "wb-scan s" \
  "checksec s" "ratio-elf" "ratio-scan"
for t in "${TARGETS[@]}"; do
  elf_times=() scan_times=()
  for ((i = 0; i < REPEAT; i++)); do
    line=$("$BIN" elf "$t") || continue
    elf_times+=("$(sed -E 's/.*"seconds":([0-9.]+).*/\1/' <<<"$line")")
    files=$(sed -E 's/.*"files":([0-9]+).*/\1/' <<<"$line")
    elfs=$(sed -E 's/.*"elf":([0-9]+).*/\1/' <<<"$line")
    s=$(now); "$BIN" scan "$t" >/dev/null || continue; e=$(now)
    scan_times+=("$(echo "$e - $s" | bc -l)")
  done
  wb_elf=$(printf '%s\n' "${elf_times[@]}" | median)
  wb_scan=$(printf '%s\n' "${scan_times[@]}" | median)
  s=$(now); checksec --output=json --dir="$t" >"$WORK/checksec.json" 2>/dev/null; e=$(now)
  cs=$(echo "$e - $s" | bc -l)
  printf '%-34s %6s %6s %10.3f %10.3f %10.2f %8.0fx %8.0fx\n' "$(basename "$t")" "$files" "$elfs" \
    "$wb_elf" "$wb_scan" "$cs" "$(echo "$cs / $wb_elf" | bc -l)" "$(echo "$cs / $wb_scan" | bc -l)"
done
echo "wb-elf: read files + ELF facts + elf/hardening (what checksec --dir does);"
echo "wb-scan: full single walk (SHA-256, signatures, ELF) + elf/hardening, fs/setuid, fs/world-writable;"
echo "process wall time for scan, in-process time for elf; checksec: one run (load $(cut -d' ' -f1 /proc/loadavg))."
