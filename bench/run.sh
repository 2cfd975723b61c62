#!/usr/bin/env bash
# End-to-end performance of waybill against the named peers, on the same inputs, in the same run.
# Writes bench/RESULTS.md. Run from anywhere: `make bench` or `bash bench/run.sh`.
#
# Peers: unsquashfs (extraction alone: the physical baseline), binwalk -e (extraction the way
# firmware analysts usually do it), cdxgen -t rootfs (inventory of an extracted tree).
# Any peer that is missing gives "n/a (not installed)" in its column; nothing here fails the run.
#
# Environment (all optional):
#   WAYBILL_BIN            waybill binary (default ./build/waybill)
#   WAYBILL_SHARED         shared tree with corpus/firmware (default ../shared)
#   WAYBILL_CORPUS         generated images, <dir>/<arch>/* (default <dir of WAYBILL_BIN>/corpus,
#                          else ./build/corpus; made by the corpus.generate test)
#   BENCH_REPEAT=3         timed runs per (tool, input); the median wall time is reported
#   BENCH_TIMEOUT=1800     seconds before a single run is killed and reported as "> N"
#   BENCH_SLOW=300         a run slower than this is not repeated (binwalk on big images)
#   BENCH_LARGE=1          build (once, cached in bench/work/) and measure the large image
#   BENCH_LARGE_DIRS       directories packed into the large image
#                          (default: /usr/bin and /usr/lib/<multiarch>)
#   BENCH_LARGE_MIN_MB=200 minimum compressed size; more of /usr is added until it is reached
#   BENCH_LARGE_COMP=gzip  mksquashfs -comp of the large image (cached per compressor)
#   BENCH_CORPUS=1         include generated images from WAYBILL_CORPUS when present
#   BENCH_BINWALK=1        run binwalk -e
#   BENCH_CDXGEN=1         install (once) and compare cdxgen 12.8.4 (needs the npm registry once)
#   BENCH_MICRO=1          run the Google Benchmark micro-benchmarks and append their output
#   BENCH_PROFILE=1        perf profile of one waybill scan (top symbols) when perf works
#   BENCH_OUT              output file (default bench/RESULTS.md)
set -uo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
WAYBILL_BIN=${WAYBILL_BIN:-./build/waybill}
[[ $WAYBILL_BIN == /* ]] || WAYBILL_BIN=$ROOT/${WAYBILL_BIN#./}
BUILD_DIR=$(dirname "$WAYBILL_BIN")
SHARED=${WAYBILL_SHARED:-../shared}
[[ $SHARED == /* ]] || SHARED=$ROOT/$SHARED
CORPUS=${WAYBILL_CORPUS:-$BUILD_DIR/corpus}
[[ -d $CORPUS || -n ${WAYBILL_CORPUS:-} ]] || CORPUS=$ROOT/build/corpus
REPEAT=${BENCH_REPEAT:-3}
TIMEOUT=${BENCH_TIMEOUT:-1800}
LARGE_MIN_MB=${BENCH_LARGE_MIN_MB:-200}
SLOW=${BENCH_SLOW:-300}
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}
WORK=$ROOT/bench/work
TMPD=$WORK/tmp
LOGS=$WORK/logs
NA="n/a (not installed)"

mkdir -p "$WORK" "$LOGS" "$WORK/out"

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

if [[ ! -x $WAYBILL_BIN ]]; then
  echo "waybill binary not found: $WAYBILL_BIN (build it, or set WAYBILL_BIN)" >&2
  exit 1
fi
if ! have jq || [[ ! -x /usr/bin/time ]]; then
  echo "bench/run.sh needs jq and /usr/bin/time (apt-get install jq time)" >&2
  exit 1
fi

# -q is a global option in current builds (`waybill -q scan`); accept `scan -q` builds as well.
if "$WAYBILL_BIN" -q list >/dev/null 2>&1; then WB_GLOBAL=(-q); WB_SCAN=(scan); WB_SBOM=(sbom)
else WB_GLOBAL=(); WB_SCAN=(scan -q); WB_SBOM=(sbom -q); fi

HAVE_UNSQUASHFS=0; have unsquashfs && HAVE_UNSQUASHFS=1
HAVE_BINWALK=0; [[ ${BENCH_BINWALK:-1} == 1 ]] && have binwalk && HAVE_BINWALK=1
BINWALK_ROOT=(); [[ $EUID == 0 ]] && BINWALK_ROOT=(--run-as=root)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---------------------------------------------------------------------------------------------
# Timing helpers. run_timed TIMEOUT CMD... sets T_WALL T_CPU (user+sys) T_RSS (MB) T_RC.
# /usr/bin/time reports the peak RSS of the largest single process of the tree (wait4), not the
# sum: for binwalk that is usually python, not the unsquashfs it spawns.
run_timed() {
  local tmo=$1; shift
  local tf=$WORK/time.out
  rm -f "$tf"
  /usr/bin/time -f '%e %U %S %M' -o "$tf" timeout --kill-after=10 "$tmo" "$@" \
    >"$LOGS/last.stdout" 2>"$LOGS/last.stderr"
  T_RC=$?
  local wall=0 user=0 sys=0 rss=0
  [[ -s $tf ]] && read -r wall user sys rss < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$tf" | tail -1)
  T_WALL=$wall
  T_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
  T_RSS=$(awk -v k="$rss" 'BEGIN{printf "%.0f", k/1024}')
  if [[ $T_RC == 124 || $T_RC == 137 ]]; then T_WALL=">$tmo"; fi
}

median() { # numbers on stdin -> median (lower middle for even counts); ">N" wins (timeout)
  local v; v=$(cat)
  if grep -q '^>' <<<"$v"; then grep '^>' <<<"$v" | head -1; return; fi
  sort -g <<<"$v" | awk '{a[NR]=$1} END{if(NR==0){print "-"} else {print a[int((NR+1)/2)]}}'
}
maxof() { sort -g | tail -1; }
fmt_s() { [[ $1 == ">"* || $1 == "-" || $1 == n/a* ]] && { echo "$1"; return; }; awk -v x="$1" 'BEGIN{printf "%.2f", x}'; }
ratio() { # a/b with 2 decimals, or n/a
  local a=$1 b=$2
  if [[ $a == ">"* && $b != ">"* && $b != n/a* && $b != "-" ]]; then
    awk -v a="${a#>}" -v b="$b" 'BEGIN{ if (b>0) printf ">%.1f", a/b; else print "n/a"}'; return
  fi
  [[ $a =~ ^[0-9.]+$ && $b =~ ^[0-9.]+$ ]] || { echo "n/a"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a"}'
}
fresh_tmp() { rm -rf "$TMPD"; mkdir -p "$TMPD"; }

# sample_mem CMD... : runs CMD (output to the logs), polls /proc/PID/status every 20 ms; sets
# M_ANON / M_FILE / M_HWM (MB): peak RssAnon, peak RssFile, VmHWM. Used on untimed runs only.
sample_mem() {
  "$@" >"$LOGS/sample.stdout" 2>"$LOGS/sample.stderr" &
  local pid=$! a f h ma=0 mf=0 mh=0
  while kill -0 "$pid" 2>/dev/null; do
    read -r a f h < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} /^VmHWM/{h=$2} END{print a+0, f+0, h+0}' \
      "/proc/$pid/status" 2>/dev/null || echo "0 0 0")
    ((a > ma)) && ma=$a; ((f > mf)) && mf=$f; ((h > mh)) && mh=$h
    sleep 0.02
  done
  wait "$pid"
  M_ANON=$((ma / 1024)) M_FILE=$((mf / 1024)) M_HWM=$((mh / 1024))
  export M_FILE M_HWM # for callers that want them
}

# series NAME TIMEOUT N CMD... : N timed runs (TMPD cleared before each); sets S_WALL (median),
# S_CPU (median), S_RSS (max MB), S_RC (last non-zero rc or 0). CMD may use $TMPD.
series() {
  local name=$1 tmo=$2 n=$3; shift 3
  local walls="" cpus="" rsss="" rc=0 i
  for ((i = 1; i <= n; i++)); do
    fresh_tmp
    run_timed "$tmo" "$@"
    [[ $T_RC != 0 ]] && rc=$T_RC
    walls+="$T_WALL"$'\n'; cpus+="$T_CPU"$'\n'; rsss+="$T_RSS"$'\n'
    log "  $name run $i: ${T_WALL}s wall, ${T_CPU}s cpu, ${T_RSS} MB, rc $T_RC"
    cp "$LOGS/last.stderr" "$LOGS/$name.stderr" 2>/dev/null
    [[ $T_WALL == ">"* ]] && break # a timeout is not repeated
    awk -v w="$T_WALL" -v c="$SLOW" 'BEGIN{exit !(w > c)}' && break # nor is a very slow run
  done
  S_WALL=$(printf '%s' "$walls" | median)
  S_CPU=$(printf '%s' "$cpus" | median)
  S_RSS=$(printf '%s' "$rsss" | maxof)
  S_RC=$rc
  fresh_tmp
}
with_rc() { [[ $2 == 0 ]] && echo "$1" || echo "$1 (rc $2)"; }

# ---------------------------------------------------------------------------------------------
# Inputs: NAME|PATH|KIND|OFFSET|TRUTH   (KIND: squashfs, cpio-gz, other)
INPUTS=()
squashfs_offset() { # truth.json -> offset of the first squashfs layer, or empty
  [[ -f $1 ]] && jq -r '[.container_layers[]? | select(.format == "squashfs") | .offset][0] // empty' "$1"
}
add_input() { # path [truth]
  local p=$1 truth=${2:-$1.truth.json} name kind off=""
  name=$(basename "$p")
  off=$(squashfs_offset "$truth")
  if [[ -n $off ]]; then kind=squashfs
  elif [[ $p == *.cpio.gz ]]; then kind=cpio-gz
  elif [[ $(head -c 4 "$p" | od -An -c | tr -d ' ') == hsqs ]]; then kind=squashfs; off=0
  else kind=other; fi
  INPUTS+=("$name|$p|$kind|$off|$truth")
}

FW=$SHARED/corpus/firmware/armhf
for f in "$FW/fw-armhf-dpkg.sqfs-xz.img" "$FW/fw-armhf-opkg-defects.uImage"; do
  if [[ -f $f ]]; then add_input "$f"; else log "missing shared image $f"; fi
done
if [[ ${BENCH_CORPUS:-1} == 1 && -d $CORPUS ]]; then
  for f in "$CORPUS"/*/fw-*; do
    [[ -f $f && $f != *.json && $f != *SHA256SUMS* ]] || continue
    # The same variant is already measured from the shared prebuilt image.
    [[ $(basename "$(dirname "$f")") == armhf && -f $FW/$(basename "$f") ]] && continue
    add_input "$f"
  done
fi

# The large image: real Debian binaries from this machine, >= LARGE_MIN_MB compressed. gzip by
# default (about 2 min of 2 cores for 1.45 GB); BENCH_LARGE_COMP=xz is closer to real firmware
# but mksquashfs -comp xz of that much takes far longer than 5 minutes on 2 cores.
LARGE=""
build_large() {
  local comp=${BENCH_LARGE_COMP:-gzip}
  local img=$WORK/large-usr.$comp.sqfs
  if [[ -s $img ]]; then LARGE=$img; return; fi
  have mksquashfs || { log "mksquashfs not installed: large image skipped"; return; }
  local multiarch dirs extra size
  multiarch=$( (dpkg-architecture -qDEB_HOST_MULTIARCH || gcc -print-multiarch) 2>/dev/null)
  if [[ -n ${BENCH_LARGE_DIRS:-} ]]; then read -r -a dirs <<<"$BENCH_LARGE_DIRS"
  else dirs=(/usr/bin); [[ -n $multiarch && -d /usr/lib/$multiarch ]] && dirs+=("/usr/lib/$multiarch"); fi
  extra=(/usr/share /usr/libexec /usr/sbin /usr/include /usr/lib)
  while :; do
    log "building large image from ${dirs[*]} (mksquashfs -comp $comp, $(nproc) processors)"
    local t0=$SECONDS
    mksquashfs "${dirs[@]}" "$img.tmp" -comp "$comp" -processors "$(nproc)" -noappend -no-progress \
      -quiet >"$LOGS/mksquashfs.log" 2>&1 || { log "mksquashfs failed (see $LOGS/mksquashfs.log)"; rm -f "$img.tmp"; return; }
    size=$(stat -c %s "$img.tmp")
    log "  $((size >> 20)) MiB in $((SECONDS - t0)) s"
    if ((size >= LARGE_MIN_MB * 1000 * 1000)) || ((${#extra[@]} == 0)); then break; fi
    dirs+=("${extra[0]}"); extra=("${extra[@]:1}")
  done
  printf '%s\n' "${dirs[@]}" >"$img.dirs"
  mv "$img.tmp" "$img"
  LARGE=$img
}
if [[ ${BENCH_LARGE:-1} == 1 ]]; then
  build_large
  [[ -n $LARGE ]] && INPUTS+=("$(basename "$LARGE") (large)|$LARGE|squashfs|0|")
fi

# ---------------------------------------------------------------------------------------------
# Main series.
NOTES=()   # footnotes of the main table
ROWS=()    # markdown rows of the main table
CPUROWS=() # markdown rows of the CPU / memory table
G1_FAIL=(); G1_OK=(); G2_FAIL=(); G2_LARGE=""; G3_FAIL=(); G3_MAX=0; G3_ANON=0

for spec in "${INPUTS[@]}"; do
  IFS='|' read -r name path kind off truth <<<"$spec"
  is_large=0; [[ $name == *"(large)" ]] && is_large=1
  size_b=$(stat -c %s "$path")
  size_mb=$(awk -v b="$size_b" 'BEGIN{printf "%.1f", b/1e6}')
  log "== $name ($size_mb MB, $kind${off:+ @ $off})"
  cat "$path" >/dev/null # page cache warm for every tool alike

  # Warm-up run (not timed): gives the component count, the diagnostics and, sampled from
  # /proc, the peak of anonymous memory (heap) apart from the file-backed pages of the mapped image.
  WB_LIMITS=() note=""
  sample_mem "$WAYBILL_BIN" "${WB_GLOBAL[@]}" "${WB_SCAN[@]}" "$path" -o "json=$WORK/out/$name.json"
  if jq -e '[.diagnostics[]? | select(.code == "limit-exceeded")] | length > 0' "$WORK/out/$name.json" >/dev/null 2>&1; then
    # Default limits truncated the scan: time the complete scan instead (and say so).
    msg=$(jq -r '[.diagnostics[]? | select(.code == "limit-exceeded") | .message][0]' "$WORK/out/$name.json")
    log "  default limits stopped waybill early ($msg): measuring with raised limits"
    WB_LIMITS=(--max-file-size 64G --max-total-size 64G)
    NOTES+=("$name: with default limits waybill stops early and keeps partial results (\`$msg\`); the times are for the complete scan with \`${WB_LIMITS[*]}\`.")
    note=" ¹"
    sample_mem "$WAYBILL_BIN" "${WB_GLOBAL[@]}" "${WB_SCAN[@]}" "$path" "${WB_LIMITS[@]}" -o "json=$WORK/out/$name.json"
  fi
  comps=$(jq '.components | length' "$WORK/out/$name.json" 2>/dev/null || echo "?")
  tcomps=""; [[ -f $truth ]] && tcomps=$(jq '.components | length' "$truth")

  series "waybill-json.$name" "$TIMEOUT" "$REPEAT" \
    "$WAYBILL_BIN" "${WB_GLOBAL[@]}" "${WB_SCAN[@]}" "$path" "${WB_LIMITS[@]}" -o json=/dev/null
  wb=$S_WALL wb_cpu=$S_CPU wb_rss=$S_RSS wb_rc=$S_RC
  series "waybill-cdx.$name" "$TIMEOUT" "$REPEAT" \
    "$WAYBILL_BIN" "${WB_GLOBAL[@]}" "${WB_SCAN[@]}" "$path" "${WB_LIMITS[@]}" -o cyclonedx-json=/dev/null
  wbc=$S_WALL wbc_cpu=$S_CPU wbc_rss=$S_RSS wbc_rc=$S_RC
  wb_peak=$(printf '%s\n%s\n' "$wb_rss" "$wbc_rss" | maxof)

  us="n/a (not squashfs)" us1="n/a (not squashfs)" us_cpu="-" us1_cpu="-" us_rss="-" us_note=""
  if [[ $kind == squashfs ]]; then
    if [[ $HAVE_UNSQUASHFS == 1 ]]; then
      offarg=(); [[ -n $off && $off != 0 ]] && offarg=(-o "$off")
      series "unsquashfs.$name" "$TIMEOUT" "$REPEAT" \
        unsquashfs -q -n -f -d "$TMPD/root" "${offarg[@]}" "$path"
      us=$(with_rc "$S_WALL" "$S_RC") us_cpu=$S_CPU us_rss=$S_RSS
      series "unsquashfs-p1.$name" "$TIMEOUT" "$REPEAT" \
        unsquashfs -p 1 -q -n -f -d "$TMPD/root" "${offarg[@]}" "$path"
      us1=$(with_rc "$S_WALL" "$S_RC") us1_cpu=$S_CPU
    else us=$NA us1=$NA; fi
  elif [[ $kind == cpio-gz ]] && have cpio; then
    # The physical baseline for an initramfs: gzip -d | cpio -i (single-threaded by nature).
    series "cpio.$name" "$TIMEOUT" "$REPEAT" \
      bash -c 'cd "$1" && gzip -dc "$2" | cpio -idm --quiet --no-absolute-filenames' _ "$TMPD" "$path"
    us=$(with_rc "$S_WALL" "$S_RC") us_cpu=$S_CPU us_rss=$S_RSS us1="-" us_note=" (gzip -d \| cpio -i)"
  fi

  bw=$NA bw_cpu="-" bw_rss="-"
  if [[ $HAVE_BINWALK == 1 ]]; then
    series "binwalk.$name" "$TIMEOUT" "$REPEAT" \
      binwalk -e "${BINWALK_ROOT[@]}" -C "$TMPD" "$path"
    bw=$(with_rc "$S_WALL" "$S_RC") bw_cpu=$S_CPU bw_rss=$S_RSS
  fi

  r_us=$(ratio "$wb" "${us%% *}")
  r_us1=$(ratio "$wb" "${us1%% *}")
  r_bw=$(ratio "${bw%% *}" "$wb")
  ROWS+=("| $name$note | $size_mb | $(with_rc "$(fmt_s "$wb")" "$wb_rc") | $(with_rc "$(fmt_s "$wbc")" "$wbc_rc") | $(fmt_s "$us")$us_note | $(fmt_s "$us1") | $(fmt_s "$bw") | $r_us | $r_us1 | $r_bw | $wb_peak | $M_ANON | $comps${tcomps:+ (truth: $tcomps pkgs)} |")
  CPUROWS+=("| $name | $wb_cpu | $wbc_cpu | $us_cpu$us_note | $us1_cpu | $bw_cpu | $(ratio "$wb_cpu" "$us_cpu") | $wb_peak | $us_rss | $bw_rss |")

  # Goals.
  if [[ $kind == squashfs && $r_us =~ ^[0-9.]+$ ]]; then
    if awk -v r="$r_us" 'BEGIN{exit !(r <= 1.5)}'; then G1_OK+=("$name ($r_us)"); else G1_FAIL+=("$name ($r_us)"); fi
  fi
  if [[ $r_bw =~ ^\>?[0-9.]+$ ]]; then
    rb=${r_bw#>}
    awk -v r="$rb" 'BEGIN{exit !(r > 1)}' || G2_FAIL+=("$name ($r_bw)")
    if ((is_large)); then G2_LARGE=$r_bw; fi
  fi
  if [[ $wb_peak =~ ^[0-9]+$ ]]; then
    ((wb_peak > 300)) && G3_FAIL+=("$name ($wb_peak MB RSS, $M_ANON MB anon)")
    ((wb_peak > G3_MAX)) && G3_MAX=$wb_peak
    ((M_ANON > G3_ANON)) && G3_ANON=$M_ANON
  fi
done

# ---------------------------------------------------------------------------------------------
# cdxgen vs waybill sbom on extracted root filesystems.
CDXROWS=()
CDX_STATUS=""
CDXGEN_JS=$WORK/npm/node_modules/@cyclonedx/cdxgen/bin/cdxgen.js
have_cdxgen() { [[ -f $CDXGEN_JS ]] && have node; }
cdxgen() { node "$CDXGEN_JS" "$@"; } # npm may not create node_modules/.bin links as root
bom_has() { # bom name version -> "yes VERSION" / "name only" / "no"
  local bom=$1 n=$2 v=$3
  [[ -s $bom ]] || { echo "-"; return; }
  jq -r --arg n "$n" --arg v "$v" '
    [.components[]? | recurse(.components[]?)] as $c
    | ([$c[] | select((.name // "" | ascii_downcase | contains($n)) and ((.version // "") | contains($v)))] | first) as $hit
    | if $hit then "yes (\($hit.version))"
      elif ([$c[] | select(.name // "" | ascii_downcase | contains($n))] | length) > 0 then "name only, no \($v)"
      else "no" end' "$bom" 2>/dev/null || echo "?"
}
count_comps() { # bom -> "N (M with a version)"
  jq -r '[.components[]? | recurse(.components[]?)] | "\(length) (\([.[] | select((.version // "") != "")] | length) with a version)"' "$1" 2>/dev/null || echo "?"
}
if [[ ${BENCH_CDXGEN:-1} == 1 ]]; then
  if ! have_cdxgen && have npm; then
    log "installing cdxgen 12.8.4 into bench/work/npm (once)"
    npm install --no-audit --no-fund --prefix "$WORK/npm" @cyclonedx/cdxgen@12.8.4 \
      >"$LOGS/npm-install.log" 2>&1 || log "npm install failed (see $LOGS/npm-install.log)"
  fi
  if ! have_cdxgen; then
    CDX_STATUS="cdxgen: $NA (npm install of @cyclonedx/cdxgen@12.8.4 failed or npm missing; see bench/work/logs/npm-install.log)"
  fi
  # Root filesystems, extracted fresh (the same trees for both tools).
  ROOTFS=()
  dpkg_img=$FW/fw-armhf-dpkg.sqfs-xz.img opkg_img=$FW/fw-armhf-opkg-defects.uImage
  if [[ $HAVE_UNSQUASHFS == 1 && -f $dpkg_img ]]; then
    rm -rf "$WORK/rootfs-dpkg"
    unsquashfs -q -n -d "$WORK/rootfs-dpkg" "$dpkg_img" >/dev/null 2>&1 && ROOTFS+=("rootfs-dpkg|$dpkg_img.truth.json")
  fi
  if [[ $HAVE_UNSQUASHFS == 1 && -f $opkg_img ]]; then
    off=$(squashfs_offset "$opkg_img.truth.json")
    rm -rf "$WORK/rootfs-opkg"
    unsquashfs -q -n -o "${off:-0}" -d "$WORK/rootfs-opkg" "$opkg_img" >/dev/null 2>&1 && ROOTFS+=("rootfs-opkg|$opkg_img.truth.json")
  fi
  nodb=$CORPUS/armhf/fw-armhf-nodb.initramfs.cpio.gz
  if [[ -f $nodb ]] && have cpio; then
    rm -rf "$WORK/rootfs-nodb"; mkdir -p "$WORK/rootfs-nodb"
    (cd "$WORK/rootfs-nodb" && gzip -dc "$nodb" | cpio -idm --quiet --no-absolute-filenames) 2>/dev/null \
      && ROOTFS+=("rootfs-nodb|$nodb.truth.json")
  fi
  cdx_ver=$(have_cdxgen && NO_COLOR=1 cdxgen --version 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | grep -m1 -o '[0-9][0-9.]*')
  for spec in "${ROOTFS[@]}"; do
    IFS='|' read -r rname truth <<<"$spec"
    dir=$WORK/$rname
    files=$(find "$dir" -type f | wc -l)
    exp=()
    for p in busybox dropbear openssl; do
      v=$(jq -r --arg p "$p" '[.components[]? | select(.source_package == $p) | .upstream_version][0] // empty' "$truth" 2>/dev/null)
      exp+=("$p|${v:-?}")
    done
    log "== cdxgen vs waybill sbom: $rname ($files files)"
    wbom=$WORK/out/$rname.waybill.cdx.json cbom=$WORK/out/$rname.cdxgen.cdx.json
    series "waybill-sbom.$rname" "$TIMEOUT" "$REPEAT" \
      "$WAYBILL_BIN" "${WB_GLOBAL[@]}" "${WB_SBOM[@]}" "$dir" -o "cyclonedx-json=$wbom"
    w_t=$(with_rc "$(fmt_s "$S_WALL")" "$S_RC") w_rss=$S_RSS
    w_n=$(count_comps "$wbom")
    c_t=$NA c_rss="-" c_n="-"
    if have_cdxgen; then
      # TMPDIR keeps trivy's per-run temp dirs inside bench/work.
      mkdir -p "$WORK/cdxgen-tmp"
      series "cdxgen.$rname" "$TIMEOUT" "$REPEAT" \
        env TMPDIR="$WORK/cdxgen-tmp" node "$CDXGEN_JS" -t rootfs --no-install-deps \
        --spec-version 1.6 -o "$cbom" "$dir"
      c_t=$(with_rc "$(fmt_s "$S_WALL")" "$S_RC") c_rss=$S_RSS
      c_n=$(count_comps "$cbom")
    fi
    found_w="" found_c=""
    for e in "${exp[@]}"; do
      p=${e%%|*} v=${e#*|}
      found_w+="$p: $(bom_has "$wbom" "$p" "$v"); "
      if have_cdxgen; then found_c+="$p: $(bom_has "$cbom" "$p" "$v"); "; else found_c="-"; fi
    done
    CDXROWS+=("| $rname | $files | $w_t | $c_t | $(ratio "${c_t%% *}" "${w_t%% *}") | $w_rss | $c_rss | $w_n | $c_n | ${found_w%; } | ${found_c%; } |")
  done
fi

# ---------------------------------------------------------------------------------------------
# Optional profile of waybill scan (where its time goes): the small xz image and the large image.
PROFILE=""
if [[ ${BENCH_PROFILE:-1} == 1 ]] && have perf; then
  squeeze() { grep -E '^ +[0-9]' | sed -E 's/ {2,}/  /g; s/[ -]+$//' | cut -c1-110 | head -"$1"; }
  wb_dso=$(basename "$WAYBILL_BIN")
  for prof_img in "$FW/fw-armhf-dpkg.sqfs-xz.img" "$LARGE"; do
    [[ -n $prof_img && -f $prof_img ]] || continue
    perf record -q -e cpu-clock -F 999 -g -o "$WORK/perf.data" -- \
      "$WAYBILL_BIN" "${WB_GLOBAL[@]}" "${WB_SCAN[@]}" "$prof_img" --max-file-size 64G --max-total-size 64G \
      -o json=/dev/null >/dev/null 2>"$LOGS/perf.stderr" || continue
    PROFILE+="=== waybill scan $(basename "$prof_img")"$'\n'
    PROFILE+="self time by library (>= 0.5 %):"$'\n'$(perf report -i "$WORK/perf.data" --no-children \
      --sort dso --stdio -g none --percent-limit 0.5 2>/dev/null | squeeze 12)$'\n\n'
    PROFILE+="self time in waybill's own code (>= 0.2 %):"$'\n'$(perf report -i "$WORK/perf.data" \
      --no-children --dsos "$wb_dso" --sort symbol --stdio -g none --percent-limit 0.2 2>/dev/null | squeeze 10)$'\n\n'
    PROFILE+="time including callees, waybill functions (>= 5 %):"$'\n'$(perf report -i "$WORK/perf.data" \
      --children --sort symbol --stdio -g none --percent-limit 5 2>/dev/null | grep 'waybill::' | squeeze 14)$'\n\n'
  done
fi

# ---------------------------------------------------------------------------------------------
# Micro-benchmarks (Google Benchmark), built by the normal build when libbenchmark-dev is there.
MICRO=""
if [[ ${BENCH_MICRO:-1} == 1 ]]; then
  if [[ ! -x $BUILD_DIR/bench/bench_sha256 && -f $BUILD_DIR/CMakeCache.txt ]]; then
    cmake --build "$BUILD_DIR" --target bench_signatures bench_magic bench_sha256 -j 2 >"$LOGS/micro-build.log" 2>&1 \
      || log "micro-benchmarks did not build (see $LOGS/micro-build.log)"
  fi
  for b in bench_signatures bench_magic bench_sha256; do
    exe=$BUILD_DIR/bench/$b
    if [[ -x $exe ]]; then
      log "micro-benchmark $b"
      MICRO+="\$ $b"$'\n'"$("$exe" --benchmark_counters_tabular=true 2>&1 | grep -v '^\*\*\*' )"$'\n\n'
    else
      MICRO+="$b: not built (needs libbenchmark-dev and -DWAYBILL_BENCH=ON)"$'\n\n'
    fi
  done
fi

# ---------------------------------------------------------------------------------------------
# RESULTS.md
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
ver_wb=$("$WAYBILL_BIN" --version 2>/dev/null | head -1)
ver_us="unsquashfs $NA"; have unsquashfs && ver_us=$(unsquashfs -version 2>&1 | head -1)
ver_bw="binwalk $NA"
if have binwalk; then
  ver_bw=$(binwalk 2>&1 | grep -m1 -io 'binwalk v[0-9.]*')
  ver_deb=$(dpkg-query -W -f '${Version}' binwalk 2>/dev/null) && ver_bw+=" (Debian package $ver_deb)"
fi
ver_node=$NA; have node && ver_node=$(node --version 2>/dev/null)
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
git_dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " + uncommitted changes")
large_dirs=""; [[ -n $LARGE && -f $LARGE.dirs ]] && large_dirs=$(paste -sd' ' "$LARGE.dirs")

verdict() { [[ $1 == 0 ]] && echo "**met**" || echo "**MISSED**"; }
{
  echo "# waybill performance vs. peers"
  echo
  echo "Generated by \`bench/run.sh\` on $STARTED. Reproduce with \`make bench\` (build + this script) or"
  echo "\`bash bench/run.sh\` (uses \`\$WAYBILL_BIN\` or ./build/waybill). Do not edit by hand."
  echo
  echo "## Machine"
  echo
  echo "- $(nproc) CPUs: $cpu_model; $(awk '/MemTotal/{printf "%.1f GB RAM", $2/1048576}' /proc/meminfo); $(uname -sr)"
  echo "- load average (1, 5, 15 min) at start: **$LOAD_BEFORE**, at end: **$LOAD_AFTER**"
  echo "  (a load above $(nproc) means other jobs competed for the CPUs: wall times are then inflated for"
  echo "  every tool, and multi-threaded tools lose their advantage; compare the CPU-time table.)"
  echo "- waybill: $ver_wb, \`$WAYBILL_BIN\` (git $git_rev$git_dirty); $ver_us; $ver_bw; node $ver_node${cdx_ver:+; cdxgen $cdx_ver}"
  echo "- repeats: $REPEAT per (tool, input), median wall time; a run slower than ${SLOW}s is not repeated;"
  echo "  timeout ${TIMEOUT}s per run (\">N\" = killed after N s). Page cache warm (every image is read once"
  echo "  and waybill runs once untimed before the timed runs); output trees under bench/work/tmp are"
  echo "  deleted between runs, not timed."
  [[ -n $LARGE ]] && echo "- large image: \`$(basename "$LARGE")\`, mksquashfs -comp ${BENCH_LARGE_COMP:-gzip} of $large_dirs of this machine (built once, cached; $(find "$LARGE" -printf '%s') bytes)"
  echo
  echo "## Image scan: waybill vs. unsquashfs vs. binwalk (wall seconds, median)"
  echo
  echo "| input | size MB | waybill scan (-o json) s | waybill scan (-o cyclonedx-json) s | unsquashfs s ($(nproc) threads) | unsquashfs -p 1 s | binwalk -e s | waybill / unsquashfs | waybill / unsquashfs -p 1 | binwalk / waybill | waybill peak RSS MB | waybill peak anon MB | components (waybill) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  if ((${#NOTES[@]})); then echo; for n in "${NOTES[@]}"; do echo "¹ $n"; done; fi
  echo
  echo "Peak RSS is \`/usr/bin/time %M\` (VmHWM): for waybill it includes the pages of the input image,"
  echo "which waybill maps read-only (clean, file-backed page cache). \"Peak anon\" is the highest RssAnon"
  echo "(heap and other private memory) sampled every 20 ms from /proc during the untimed warm-up run."
  echo
  echo "CPU seconds (user + sys, median) and peak RSS (MB, max over runs; for binwalk the largest single"
  echo "process of its tree, which is not the sum of python and the unsquashfs it spawns):"
  echo
  echo "| input | waybill json CPU s | waybill cdx CPU s | unsquashfs CPU s | unsquashfs -p 1 CPU s | binwalk CPU s | waybill / unsquashfs CPU | waybill RSS | unsquashfs RSS | binwalk RSS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${CPUROWS[@]}"
  echo
  echo "## Goals (from the issue; measured here, not asserted in tests)"
  echo
  echo "- waybill scan within 1.5x of unsquashfs (2 threads) on the same squashfs: $(verdict ${#G1_FAIL[@]})"
  ((${#G1_FAIL[@]})) && echo "  - over 1.5x: ${G1_FAIL[*]}"
  ((${#G1_OK[@]})) && echo "  - within: ${G1_OK[*]}"
  echo "- faster than binwalk -e on every image: $(verdict ${#G2_FAIL[@]})${G2_FAIL:+ (not faster on: ${G2_FAIL[*]})}"
  if [[ -n $G2_LARGE ]]; then
    ok=1; awk -v r="${G2_LARGE#>}" 'BEGIN{exit !(r >= 10)}' && ok=0
    echo "- at least 10x faster than binwalk -e on the large image: $(verdict $ok) (binwalk/waybill = $G2_LARGE)"
  else
    echo "- at least 10x faster than binwalk -e on the large image: not measured (no large image or no binwalk)"
  fi
  echo "- waybill peak memory <= 300 MB (peak RSS): $(verdict ${#G3_FAIL[@]}) (max $G3_MAX MB RSS; max $G3_ANON MB anonymous)${G3_FAIL:+; over: ${G3_FAIL[*]}}"
  echo
  echo "## Inventory of an extracted root filesystem: waybill sbom vs. cdxgen -t rootfs"
  echo
  if [[ -n $CDX_STATUS ]]; then echo "$CDX_STATUS"; echo; fi
  echo "Commands: \`waybill sbom DIR -o cyclonedx-json=OUT\` and"
  echo "\`cdxgen -t rootfs --no-install-deps --spec-version 1.6 -o OUT DIR\` (offline; cdxgen 12.8.4 from npm)."
  echo "Components are counted recursively (nested components included). \"found\" = a component whose"
  echo "name contains busybox / dropbear / openssl and whose version contains the upstream version from"
  echo "the image's truth JSON."
  echo
  echo "| rootfs | files | waybill s | cdxgen s | cdxgen / waybill | waybill RSS MB | cdxgen RSS MB | waybill components | cdxgen components | waybill found | cdxgen found |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${CDXROWS[@]}"
  echo
  echo "## How to read this"
  echo
  cat <<'TXT'
- **unsquashfs is the floor, not a competitor.** It only decompresses and writes files; `waybill
  scan` decompresses the same blocks *and* hashes every file (SHA-256), parses ELF headers, runs the
  version-signature scan over every byte, reads package databases and writes an SBOM, without
  writing the tree to disk. "waybill / unsquashfs" is therefore the cost of the inventory on top of
  extraction; the goal is <= 1.5. unsquashfs uses every CPU (`-p 1`: one); waybill decompresses
  squashfs blocks on worker threads (one per CPU) but hashes, scans and catalogues on one thread,
  and other containers (gzip, xz, cpio, the kernel) on one thread. On a loaded machine (see the
  load average) threads buy little, and the two unsquashfs columns converge.
- **binwalk -e** finds the file system with its signature scan (Python), jumps over the data of a
  file system it recognised and hands it to unsquashfs; so on an image that is one squashfs its
  time is unsquashfs's plus a little, and it grows faster on images where it has to scan many
  bytes (kernels, padding, cpio). It produces no inventory at all. "binwalk / waybill" > 1 means
  waybill is faster.
- For the uImage, unsquashfs gets the squashfs offset from the truth file and skips the kernel,
  while waybill has to find both sub-images itself and also decompresses the kernel to read its
  version banner: the ratio includes work unsquashfs does not do.
- Wall times on a shared machine are noisy; the CPU-time table is the steadier signal (but CPU time
  hides what threads gain: an idle machine is needed for the wall-time goals).
- The cdxgen table answers "what does an inventory of an already-extracted tree cost, and what does
  it find": cdxgen delegates OS packages to its bundled trivy (dpkg yes, opkg no) and does not
  look inside binaries, so on trees without a dpkg database it finds few or no versions.
TXT
  if [[ -f $ROOT/bench/SUPPLY-CHAIN.md ]]; then
    echo
    cat "$ROOT/bench/SUPPLY-CHAIN.md"
  fi
  if [[ -f $ROOT/bench/NOTES.md ]]; then
    echo
    cat "$ROOT/bench/NOTES.md"
  fi
  if [[ -n $PROFILE ]]; then
    echo
    echo "## Where waybill's time goes (perf)"
    echo
    echo "\`perf record -e cpu-clock -F 999 -g\` of one \`waybill scan\` per image (all threads together):"
    echo
    echo '```'
    echo "$PROFILE"
    echo '```'
  fi
  if [[ -n $MICRO ]]; then
    echo
    echo "## Micro-benchmarks (Google Benchmark, single thread)"
    echo
    echo "Inputs: real binaries are the regular files of /usr/bin of this machine in name order, capped"
    echo "at 64 MiB (WAYBILL_BENCH_DIR overrides the directory); random data is a fixed-seed PRNG."
    echo
    echo '```'
    printf '%s' "$MICRO"
    echo '```'
  fi
} >"$OUT"
log "wrote $OUT"
