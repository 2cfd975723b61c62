#!/usr/bin/env bash
# make-example-firmware.sh - build waybill's example router firmware image from real Debian 12
# binary packages, so that `waybill scan` has something realistic to chew on.
#
#   scripts/make-example-firmware.sh [-a ARCH] [-o OUT.img] [-w WORKDIR]
#
# The image is: 256-byte vendor header ("WBX1") + legacy U-Boot multi-file uImage (a gzip'd
# placeholder "kernel" + an xz squashfs root filesystem with a dpkg database) + 0xFF padding to a
# 64 KiB boundary + a 64 KiB config area. See docs/example-firmware.md for the exact layout.
#
# Downloaded .deb files are cached in WORKDIR, so a second run needs no network.
# Output is reproducible: with the same .deb files the image is byte-identical
# (timestamps come from SOURCE_DATE_EPOCH, default 2025-01-01T00:00:00Z).
set -euo pipefail

PROG=$(basename "$0")
ROOT=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "$PROG: error: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }

usage() {
  cat <<EOF
usage: $PROG [-a ARCH] [-o OUT.img] [-w WORKDIR]

Builds an example firmware image from real Debian 12 packages.

  -a ARCH     Debian architecture: armhf (default), arm64, mipsel, mips64el, i386, amd64
  -o OUT.img  output image (default: build/example/router-ARCH.img in the repository)
  -w WORKDIR  .deb cache (default: \${XDG_CACHE_HOME:-\$HOME/.cache}/waybill/debs/ARCH)
  -h          this help

Environment: SOURCE_DATE_EPOCH (default 1735689600) fixes every timestamp in the image.
EOF
}

ARCH=armhf
OUT=""
WORKDIR=""
while getopts ":a:o:w:h" opt; do
  case $opt in
    a) ARCH=$OPTARG ;;
    o) OUT=$OPTARG ;;
    w) WORKDIR=$OPTARG ;;
    h) usage; exit 0 ;;
    :) usage >&2; die "option -$OPTARG needs a value" ;;
    *) usage >&2; die "unknown option -$OPTARG" ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2; die "unexpected argument: $1"; }

# Debian architecture -> U-Boot architecture name and GNU triplet.
case $ARCH in
  armhf)    UBOOT_ARCH=arm;    TRIPLET=arm-linux-gnueabihf ;;
  arm64)    UBOOT_ARCH=arm64;  TRIPLET=aarch64-linux-gnu ;;
  mipsel)   UBOOT_ARCH=mips;   TRIPLET=mipsel-linux-gnu ;;
  mips64el) UBOOT_ARCH=mips64; TRIPLET=mips64el-linux-gnuabi64 ;;
  i386)     UBOOT_ARCH=x86;    TRIPLET=i386-linux-gnu ;;
  amd64)    UBOOT_ARCH=x86_64; TRIPLET=x86_64-linux-gnu ;;
  *) die "unsupported architecture '$ARCH' (armhf arm64 mipsel mips64el i386 amd64)" ;;
esac

[ -n "$OUT" ] || OUT="$ROOT/build/example/router-$ARCH.img"
[ -n "$WORKDIR" ] || WORKDIR="${XDG_CACHE_HOME:-$HOME/.cache}/waybill/debs/$ARCH"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
export LC_ALL=C TZ=UTC

# The package set: a small, real router userland, plus the direct library dependencies we chose
# to carry. Dependencies are deliberately not closed (no dbus, krb5, ldap ...): the image is for
# scanning, not for booting.
PACKAGES=(
  busybox-static dropbear-bin libssl3 openssl zlib1g libc6 dnsmasq-base libcrypt1
  libtomcrypt1 libtommath1 libgmp10 libnettle8 libidn2-0 libunistring2 curl libcurl4
  libhogweed6 libnghttp2-14 libzstd1 libpsl5 libbrotli1 libssh2-1
)
MAX_IMAGE_BYTES=$((20 * 1024 * 1024))

# ---------------------------------------------------------------------------------------------
# Tools
need() {  # need TOOL DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 ||
    die "'$1' not found (Debian package $2); run scripts/setup.sh (as root) to install the build tools"
}
need dpkg-deb dpkg
need dpkg dpkg
need apt-get apt
need apt-cache apt
need mksquashfs squashfs-tools
need mkimage u-boot-tools
need python3 python3
need gzip gzip
need tar tar
need sha256sum coreutils
need md5sum coreutils

# ---------------------------------------------------------------------------------------------
# Download (only what the cache lacks)
mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)

cached_deb() {  # newest cached .deb of package $1 for $ARCH (or arch all), empty if none
  local f
  f=$(find "$WORKDIR" -maxdepth 1 -type f \( -name "${1}_*_${ARCH}.deb" -o -name "${1}_*_all.deb" \) \
        -printf '%f\n' | sort -V | tail -n 1)
  [ -n "$f" ] && echo "$WORKDIR/$f"
  return 0
}

missing=()
for p in "${PACKAGES[@]}"; do
  [ -n "$(cached_deb "$p")" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  native=$(dpkg --print-architecture)
  foreign=$(dpkg --print-foreign-architectures)  # not piped into grep -q: SIGPIPE + pipefail
  if [ "$ARCH" != "$native" ] && ! grep -qx "$ARCH" <<<"$foreign"; then
    [ "$(id -u)" -eq 0 ] ||
      die "architecture $ARCH is not enabled in dpkg; run as root or: dpkg --add-architecture $ARCH && apt-get update"
    note "enabling dpkg architecture $ARCH and updating apt indexes"
    dpkg --add-architecture "$ARCH"
    # A mirror in mid-sync can fail one index; retry, then go on with what apt has.
    for i in 1 2 3; do
      if apt-get update -qq; then break; fi
      note "apt-get update failed (attempt $i)"; sleep 5
    done
  fi
  specs=()
  for p in "${missing[@]}"; do specs+=("$p:$ARCH"); done
  if ! apt-cache show --no-all-versions "${specs[@]}" >/dev/null 2>&1; then
    for s in "${specs[@]}"; do
      apt-cache show --no-all-versions "$s" >/dev/null 2>&1 ||
        die "package $s is not known to apt; run scripts/setup.sh (or apt-get update) first"
    done
  fi
  note "downloading ${#missing[@]} package(s) for $ARCH into $WORKDIR"
  # As root, apt drops privileges to _apt for downloads; the cache may not be writable for it.
  sandbox=()
  [ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
  (cd "$WORKDIR" && apt-get "${sandbox[@]}" -qq download "${specs[@]}") ||
    die "apt-get download failed for: ${missing[*]} (network? try scripts/setup.sh)"
  for p in "${missing[@]}"; do
    [ -n "$(cached_deb "$p")" ] || die "download of $p:$ARCH produced no .deb in $WORKDIR"
  done
else
  note "all ${#PACKAGES[@]} packages cached in $WORKDIR (no download)"
fi

DEBS=()
for p in "${PACKAGES[@]}"; do
  d=$(cached_deb "$p")
  dpkg-deb --info "$d" >/dev/null 2>&1 || die "$d is not a valid .deb (delete it and run again)"
  DEBS+=("$d")
done

# ---------------------------------------------------------------------------------------------
# Staging area next to the output; removed on exit whatever happens.
OUT_DIR=$(dirname "$OUT")
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
OUT="$OUT_DIR/$(basename "$OUT")"
STAGE=$(mktemp -d "$OUT_DIR/.make-example-firmware.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
RFS="$STAGE/rootfs"
mkdir -p "$RFS"

# ---------------------------------------------------------------------------------------------
# Root filesystem: the packages' files, unmodified.
for d in "${DEBS[@]}"; do
  dpkg-deb -x "$d" "$RFS"
done

# Prune what a firmware would not carry. Licence texts (copyright files) stay.
rm -rf "$RFS"/usr/share/{man,info,locale,lintian,bug,doc-base,bash-completion,zsh,menu} \
       "$RFS"/usr/lib/"$TRIPLET"/gconv "$RFS"/lib/systemd "$RFS"/usr/lib/systemd \
       "$RFS"/etc/systemd
if [ -d "$RFS/usr/share/doc" ]; then
  find "$RFS/usr/share/doc" -mindepth 1 \( -type f -o -type l \) ! -name copyright -delete
  find "$RFS/usr/share/doc" -mindepth 1 -depth -type d -empty -delete
fi

# Busybox-style system: applet links and a minimal /etc.
mkdir -p "$RFS"/{bin,sbin,etc/init.d,proc,sys,dev,tmp,root,var/log,var/run,var/lib/dpkg/info}
chmod 1777 "$RFS/tmp"
chmod 700 "$RFS/root"
for a in sh ash ls cat cp mv rm mkdir mount umount ps grep sed vi ping ip ifconfig udhcpc; do
  [ -e "$RFS/bin/$a" ] || ln -s busybox "$RFS/bin/$a"
done
for a in init reboot poweroff klogd syslogd; do
  [ -e "$RFS/sbin/$a" ] || ln -s ../bin/busybox "$RFS/sbin/$a"
done

cat >"$RFS/etc/os-release" <<EOF
NAME=waybill-example
ID=waybill-example
ID_LIKE=debian
VERSION_ID=1.0
PRETTY_NAME="waybill example router 1.0 ($ARCH)"
EOF
echo "router" >"$RFS/etc/hostname"
cat >"$RFS/etc/inittab" <<'EOF'
# busybox init
::sysinit:/etc/init.d/rcS
::respawn:/sbin/getty -L 115200 ttyS0 vt100
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
EOF
cat >"$RFS/etc/init.d/rcS" <<'EOF'
#!/bin/sh
# Example start-up script: mounts, networking, DNS/DHCP and SSH (keys only).
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
hostname -F /etc/hostname
syslogd && klogd
ip link set lo up
ip addr add 192.168.1.1/24 dev eth0 && ip link set eth0 up
dnsmasq --conf-file=/etc/dnsmasq.conf
dropbear -s -g -R -p 22
EOF
chmod 755 "$RFS/etc/init.d/rcS"
cat >"$RFS/etc/dnsmasq.conf" <<'EOF'
interface=eth0
dhcp-range=192.168.1.100,192.168.1.199,12h
domain-needed
bogus-priv
EOF
cat >"$RFS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
dnsmasq:x:100:65534:dnsmasq:/var/lib/misc:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
# Every account locked: no password login at all (SSH uses keys, see rcS).
cat >"$RFS/etc/shadow" <<'EOF'
root:!:20089:0:99999:7:::
daemon:*:20089:0:99999:7:::
dnsmasq:*:20089:0:99999:7:::
nobody:*:20089:0:99999:7:::
EOF
chmod 600 "$RFS/etc/shadow"
cat >"$RFS/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
nogroup:x:65534:
EOF
cat >"$RFS/etc/fstab" <<'EOF'
proc   /proc  proc   defaults  0 0
sysfs  /sys   sysfs  defaults  0 0
tmpfs  /tmp   tmpfs  defaults  0 0
EOF

# ---------------------------------------------------------------------------------------------
# dpkg database: /var/lib/dpkg/status with each package's own control fields, and info/ files.
# File lists and md5sums only name what is really in the (pruned) root filesystem, like dpkg
# with path-exclude rules. Multi-Arch: same packages use dpkg's "pkg:arch" info file names.
CTRL="$STAGE/control"
mkdir -p "$CTRL"
for d in "${DEBS[@]}"; do
  pkg=$(dpkg-deb -f "$d" Package)
  mkdir -p "$CTRL/$pkg"
  dpkg-deb -f "$d" >"$CTRL/$pkg/fields"
  dpkg-deb -e "$d" "$CTRL/$pkg/DEBIAN"
  dpkg-deb --fsys-tarfile "$d" | tar -tf - >"$CTRL/$pkg/paths"
done
python3 - "$CTRL" "$RFS" "$ARCH" <<'PY'
import hashlib, os, sys

ctrl, rfs, arch = sys.argv[1:4]
info = os.path.join(rfs, "var/lib/dpkg/info")

def exists(p):
    return os.path.lexists(os.path.join(rfs, p.lstrip("/")))

def parse_fields(text):
    fields, cur = [], None
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and cur is not None:
            fields[-1][1] += "\n" + line
        elif ":" in line:
            k, v = line.split(":", 1)
            fields.append([k, v.strip()])
            cur = k
    return fields

stanzas = []
for pkg in sorted(os.listdir(ctrl)):
    base = os.path.join(ctrl, pkg)
    with open(os.path.join(base, "fields"), encoding="utf-8") as f:
        fields = parse_fields(f.read())
    get = dict((k, v) for k, v in fields)
    multi_same = get.get("Multi-Arch") == "same"
    stem = f"{pkg}:{get.get('Architecture', arch)}" if multi_same else pkg

    # Status goes right after Package, as dpkg writes it.
    out = []
    for k, v in fields:
        out.append(f"{k}: {v}" if not v.startswith("\n") else f"{k}:{v}")
        if k == "Package":
            out.append("Status: install ok installed")
    deb = os.path.join(base, "DEBIAN")
    conff = os.path.join(deb, "conffiles")
    if os.path.exists(conff):
        lines = []
        for c in open(conff, encoding="utf-8").read().split():
            if c.startswith("/") and exists(c):
                with open(os.path.join(rfs, c.lstrip("/")), "rb") as f:
                    lines.append(f" {c} {hashlib.md5(f.read()).hexdigest()}")
        if lines:
            # Conffiles sits before Description in dpkg's status file.
            idx = next((i for i, l in enumerate(out) if l.startswith("Description:")), len(out))
            out[idx:idx] = ["Conffiles:"] + lines
    stanzas.append("\n".join(out) + "\n")

    # info/<pkg>.list: "/." first, then every path, no trailing slash.
    paths = []
    for p in open(os.path.join(base, "paths"), encoding="utf-8").read().splitlines():
        p = p[1:] if p.startswith(".") else p
        p = p.rstrip("/") or "/."
        if p == "/." or exists(p):
            paths.append(p)
    with open(os.path.join(info, stem + ".list"), "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
    md5 = os.path.join(deb, "md5sums")
    if os.path.exists(md5):
        keep = [l for l in open(md5, encoding="utf-8").read().splitlines()
                if len(l) > 34 and exists("/" + l[34:])]
        with open(os.path.join(info, stem + ".md5sums"), "w", encoding="utf-8") as f:
            f.write("".join(l + "\n" for l in keep))
    if os.path.exists(conff):
        with open(conff, encoding="utf-8") as src, \
             open(os.path.join(info, stem + ".conffiles"), "w", encoding="utf-8") as dst:
            dst.write(src.read())

with open(os.path.join(rfs, "var/lib/dpkg/status"), "w", encoding="utf-8") as f:
    f.write("\n".join(stanzas))
PY
: >"$RFS/var/lib/dpkg/available"

# ---------------------------------------------------------------------------------------------
# Containers
note "packing squashfs (xz)"
# mksquashfs takes every timestamp (inodes and superblock) from SOURCE_DATE_EPOCH.
mksquashfs "$RFS" "$STAGE/rootfs.sqfs" -comp xz -b 256K -noappend -all-root -no-xattrs \
  -quiet -no-progress >/dev/null ||
  die "mksquashfs failed"

# A placeholder, not a kernel: the example is about the root filesystem, and a real kernel would
# triple the image size. It is a gzip stream so that the carver has something to decompress.
printf '%s\n' \
  "waybill example firmware: PLACEHOLDER kernel payload." \
  "This is not a Linux kernel; it only fills sub-image 0 of the uImage." >"$STAGE/kernel.txt"
gzip -9 -n -c "$STAGE/kernel.txt" >"$STAGE/kernel.gz"

mkimage -A "$UBOOT_ARCH" -O linux -T multi -C none -a 0x00008000 -e 0x00008000 \
  -n "waybill-example $ARCH 1.0" -d "$STAGE/kernel.gz:$STAGE/rootfs.sqfs" "$STAGE/uimage.bin" \
  >/dev/null || die "mkimage failed"

# Vendor header + uImage + 0xFF padding to 64 KiB + 64 KiB config area.
python3 - "$STAGE/uimage.bin" "$STAGE/out.img" "$ARCH" "$SOURCE_DATE_EPOCH" <<'PY'
import struct, sys, zlib

src, dst, arch, epoch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
HDR, ALIGN, CFG = 256, 64 * 1024, 64 * 1024
payload = open(src, "rb").read()
cfg_off = (HDR + len(payload) + ALIGN - 1) // ALIGN * ALIGN
total = cfg_off + CFG

text = (b"# waybill example router configuration\n"
        b"hostname=router\nlan_ipaddr=192.168.1.1\nlan_netmask=255.255.255.0\n"
        b"dhcp_start=192.168.1.100\ndhcp_end=192.168.1.199\nssh_port=22\n")
body = struct.pack(">4sI", b"WBCF", len(text)) + text
cfg = body + b"\xff" * (CFG - len(body))

# All integers big-endian. The header CRC32 (last 4 bytes) covers bytes 0..251.
hdr = struct.pack(
    ">4sHHIIIIIIIII32s16s16s",
    b"WBX1",            # 0   magic
    1,                  # 4   header format version
    HDR,                # 6   header size
    0,                  # 8   flags
    total,              # 12  total image size
    HDR,                # 16  payload (uImage) offset
    len(payload),       # 20  payload size
    zlib.crc32(payload),  # 24  payload CRC32
    cfg_off,            # 28  config area offset
    CFG,                # 32  config area size
    zlib.crc32(cfg),    # 36  config CRC32
    epoch,              # 40  build time (unix)
    b"waybill-example-router",  # 44  model
    b"1.0",             # 76  firmware version
    arch.encode(),      # 92  Debian architecture
)
hdr += b"\x00" * (HDR - 4 - len(hdr))
hdr += struct.pack(">I", zlib.crc32(hdr))
assert len(hdr) == HDR

with open(dst, "wb") as f:
    f.write(hdr)
    f.write(payload)
    f.write(b"\xff" * (cfg_off - HDR - len(payload)))
    f.write(cfg)
PY

size=$(stat -c %s "$STAGE/out.img")
[ "$size" -le "$MAX_IMAGE_BYTES" ] ||
  note "warning: image is $size bytes, above the 20 MiB target (package set grew?)"
mv -f "$STAGE/out.img" "$OUT"

sum=$(sha256sum "$OUT" | cut -d' ' -f1)
note "built $OUT ($size bytes, ${#PACKAGES[@]} packages, $ARCH)"
echo "$OUT"
echo "sha256 $sum"
