#!/usr/bin/env bash
# Generate data/distro-libraries.json: for one distribution release, the real file names of the
# shared libraries shipped by a curated list of library packages, with the package, its version
# and the upstream version. waybill uses it to infer the version of a library that carries no
# version string (libnl-3.so.200.26.0, libmnl.so.0.2.0, ...) once the image's distribution
# release has been fingerprinted (src/catalog/os/distro_fingerprint.h).
#
# Run it ON the release whose table you want (its apt sources and indexes decide the answer):
#
#   apt-get update && tools/gen-distro-libraries.sh [-o data/distro-libraries.json] [-w WORKDIR]
#
# It queries the archive with `apt-cache show PKG` (version) and `apt-get download PKG:ARCH` +
# `dpkg-deb -c` (file names; identical across architectures). The release's entry in the output
# file is replaced; entries of other releases are kept, so tables for several releases are made
# by running the script on each of them and committing the merged file.
#
# Packages whose library carries its own upstream version as a string are skipped (a signature
# identifies those directly) and listed under "skipped" with the reason.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/data/distro-libraries.json"
work="/tmp/gen-distro-libraries"
arch="amd64"
while getopts "o:w:a:h" opt; do
  case "$opt" in
    o) out="$OPTARG" ;;
    w) work="$OPTARG" ;;
    a) arch="$OPTARG" ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done

# package -> upstream project (canonical name in data/components.json). Library packages common
# in embedded Linux whose binaries have no version string.
packages=(
  libnl-3-200=libnl libnl-genl-3-200=libnl libnl-route-3-200=libnl
  libmnl0=libmnl libdaemon0=libdaemon libcrypt1=libxcrypt
  libip4tc2=iptables libip6tc2=iptables libxtables12=iptables
  libnfnetlink0=libnfnetlink libnetfilter-conntrack3=libnetfilter_conntrack libnftnl11=libnftnl
  libavahi-common3=avahi libavahi-core7=avahi libavahi-client3=avahi
  libdbus-1-3=dbus libffi8=libffi
  libuuid1=util-linux libblkid1=util-linux libmount1=util-linux libsmartcols1=util-linux
  libpopt0=popt libattr1=attr libacl1=acl libkmod2=kmod libpam0g=linux-pam libwrap0=tcp_wrappers
  libusb-1.0-0=libusb libjansson4=jansson libconfuse2=libconfuse libev4=libev
  libgmp10=gmp libnettle8=nettle libhogweed6=nettle libtasn1-6=libtasn1
  libunistring2=libunistring libidn2-0=libidn2 libtomcrypt1=libtomcrypt libtommath1=libtommath
  liblz4-1=lz4 libbz2-1.0=bzip2 liblzma5=xz libselinux1=libselinux libsepol2=libsepol
  libsystemd0=systemd libudev1=systemd libjson-c5=json-c liblzo2-2=lzo libyaml-0-2=libyaml
)

for tool in apt-cache apt-get dpkg-deb strings python3; do
  command -v "$tool" >/dev/null || { echo "gen-distro-libraries: $tool not found" >&2; exit 1; }
done
[ -r /etc/os-release ] || { echo "gen-distro-libraries: no /etc/os-release" >&2; exit 1; }
# shellcheck disable=SC1091
. /etc/os-release
release_id="${ID:?}"
release_version="${VERSION_ID:?}"
codename="${VERSION_CODENAME:-}"

mkdir -p "$work"
rows="$work/rows.tsv"
: >"$rows"

# Upstream version of a Debian version: no epoch, no Debian revision, no repack suffix.
upstream_of() {
  local v="$1"
  v="${v#*:}"
  case "$v" in *-*) v="${v%-*}" ;; esac
  v="${v%%+dfsg*}"; v="${v%%~dfsg*}"; v="${v%%.dfsg*}"; v="${v%%+ds*}"; v="${v%%+repack*}"
  case "$v" in *+really*) v="${v##*+really}" ;; esac
  printf '%s\n' "$v"
}

# Candidate versions of all packages in one query (loading the apt cache is the slow part):
# `apt-cache show --no-all-versions` prints the stanza of the version `apt-get download` fetches.
names=()
for entry in "${packages[@]}"; do names+=("${entry%%=*}:$arch"); done
apt-cache show --no-all-versions "${names[@]}" 2>/dev/null |
  awk '/^Package: /{p=$2} /^Version: /{print p "\t" $2}' >"$work/versions.tsv" || true

# Download what is not cached yet, one folder per package version (apt-get names the file with
# the epoch as "%3a").
want=()
for pkg in "${names[@]%:*}"; do
  pver="$(awk -F'\t' -v p="$pkg" '$1 == p {print $2; exit}' "$work/versions.tsv")"
  [ -n "$pver" ] || continue
  dir="$work/debs/$pkg/$(printf '%s' "$pver" | tr -c 'A-Za-z0-9.+~-' '_')"
  ls "$dir"/*.deb >/dev/null 2>&1 || want+=("$pkg:$arch=$pver")
done
if [ "${#want[@]}" -gt 0 ]; then
  mkdir -p "$work/incoming"
  (cd "$work/incoming" && apt-get download -q "${want[@]}" >/dev/null 2>&1) ||
    { echo "gen-distro-libraries: apt-get download ${want[*]} failed" >&2; exit 1; }
fi

for entry in "${packages[@]}"; do
  pkg="${entry%%=*}"
  project="${entry#*=}"
  pver="$(awk -F'\t' -v p="$pkg" '$1 == p {print $2; exit}' "$work/versions.tsv")"
  if [ -z "$pver" ]; then
    printf 'skip\t%s\t%s\tnot in this release\n' "$pkg" "$project" >>"$rows"
    continue
  fi
  uver="$(upstream_of "$pver")"
  dir="$work/debs/$pkg/$(printf '%s' "$pver" | tr -c 'A-Za-z0-9.+~-' '_')"
  if ! ls "$dir"/*.deb >/dev/null 2>&1; then
    mkdir -p "$dir"
    mv "$work/incoming/${pkg}_${pver/:/%3a}_${arch}.deb" "$dir/"
  fi
  deb="$(ls "$dir"/*.deb | head -1)"
  # Regular files named lib*.so.* in library folders (symlinks start with 'l' in the listing).
  files="$(dpkg-deb -c "$deb" | awk '$1 ~ /^-/ {print $NF}' |
           grep -E '^\./(usr/)?lib(32|64)?/([^/]*-linux-[^/]*/)?lib[^/]*\.so(\.[0-9]+)+$' || true)"
  if [ -z "$files" ]; then
    printf 'skip\t%s\t%s\tno shared library in the package\n' "$pkg" "$project" >>"$rows"
    continue
  fi
  # Does the library carry its upstream version as a string of its own?
  rm -rf "$work/x" && mkdir -p "$work/x" && dpkg-deb -x "$deb" "$work/x"
  carries=""
  for f in $files; do
    # grep reads all input: with -q, strings could die of SIGPIPE and pipefail hide the match.
    if strings -a -n 3 "$work/x/$f" | grep -E "(^|[^0-9.])${uver//./\\.}([^0-9.]|$)" >/dev/null
    then
      carries="$(basename "$f")"
    fi
  done
  if [ -n "$carries" ]; then
    printf 'skip\t%s\t%s\t%s carries the version string %s\n' "$pkg" "$project" "$carries" "$uver" >>"$rows"
    continue
  fi
  for f in $files; do
    printf 'lib\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$pkg" "$project" "$uver" "$pver" >>"$rows"
  done
done

# Which archive answered: the InRelease files of the enabled suites (origin, suite, date).
archive="$(for r in /var/lib/apt/lists/*_InRelease; do
  [ -r "$r" ] || continue
  o="$(sed -n 's/^Origin: //p' "$r" | head -1)"; s="$(sed -n 's/^Suite: //p' "$r" | head -1)"
  c="$(sed -n 's/^Codename: //p' "$r" | head -1)"; d="$(sed -n 's/^Date: //p' "$r" | head -1)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$(basename "$r" _InRelease | sed 's/_dists_.*//; s/_/\//g')" "$o" "$s" "$c" "$d"
done)"

RELEASE_ID="$release_id" RELEASE_VERSION="$release_version" CODENAME="$codename" \
PRETTY="${PRETTY_NAME:-$release_id $release_version}" ARCH="$arch" ROWS="$rows" OUT="$out" \
ARCHIVE="$archive" python3 - <<'PY'
import json, os
rows = [l.rstrip("\n").split("\t") for l in open(os.environ["ROWS"]) if l.strip()]
libs, skipped = [], []
for r in rows:
    if r[0] == "lib":
        libs.append({"file": r[1], "package": r[2], "project": r[3], "version": r[4],
                     "package_version": r[5]})
    else:
        skipped.append({"package": r[1], "project": r[2], "reason": r[3]})
libs.sort(key=lambda x: x["file"])
archive = []
for line in os.environ["ARCHIVE"].splitlines():
    host, origin, suite, codename, date = (line.split("\t") + [""] * 5)[:5]
    archive.append({"source": host, "origin": origin, "suite": suite, "codename": codename,
                    "date": date})
release = {
    "id": os.environ["RELEASE_ID"],
    "version_id": os.environ["RELEASE_VERSION"],
    "codename": os.environ["CODENAME"],
    "name": os.environ["PRETTY"],
    "generated_by": "tools/gen-distro-libraries.sh (apt-cache show, apt-get download "
                    + os.environ["ARCH"] + ", dpkg-deb -c)",
    "archive": archive,
    "libraries": libs,
    "skipped": skipped,
}
path = os.environ["OUT"]
doc = {}
if os.path.exists(path):
    with open(path) as f:
        doc = json.load(f)
doc["note"] = ("Real file names of shared libraries shipped by each distribution release, with "
               "package, package version and upstream version, for libraries that carry no "
               "version string. Generated by tools/gen-distro-libraries.sh on the release itself; "
               "one entry per release (id, version_id as in os-release).")
others = [r for r in doc.get("releases", [])
          if (r.get("id"), r.get("version_id")) != (release["id"], release["version_id"])]
doc["releases"] = sorted(others + [release], key=lambda r: (r["id"], r["version_id"]))
with open(path, "w") as f:
    json.dump({"note": doc["note"], "releases": doc["releases"]}, f, indent=1)
    f.write("\n")
print(f"{path}: {release['id']} {release['version_id']}: {len(libs)} libraries, "
      f"{len(skipped)} skipped")
PY
