#!/usr/bin/env bash
# Installs everything waybill needs to build, test and benchmark on Debian 12 (run as root,
# or with sudo available). Safe to run again: apt skips what is already installed.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Build dependencies (libraries chosen in ../shared/reference/dependencies.md).
BUILD_PKGS="build-essential cmake ninja-build pkg-config ccache clang libclang-rt-14-dev
 libgtest-dev libgmock-dev libbenchmark-dev
 libsquashfs-dev libarchive-dev libvectorscan-dev libre2-dev libsimdjson-dev
 nlohmann-json3-dev rapidjson-dev libsqlite3-dev sqlite3 libssl-dev libcli11-dev libfmt-dev
 libcpp-httplib-dev libyaml-cpp-dev libcrypt-dev
 libspdlog-dev libpugixml-dev libelf-dev zlib1g-dev liblzma-dev libzstd-dev liblz4-dev libbz2-dev"
# Tools used to build test images and fixtures (our own scripts and gen-firmware.sh).
FIXTURE_PKGS="squashfs-tools squashfs-tools-ng u-boot-tools cpio xz-utils zstd lz4 lzip bzip2
 binutils-multiarch python3 device-tree-compiler mtd-utils e2fsprogs android-sdk-libsparse-utils
 openssl openssh-client dpkg-dev libxml2-utils lld nodejs npm"
# Peers and measurement tools used by bench/ only.
BENCH_PKGS="binwalk checksec hyperfine time"

# Foreign architectures so that `apt-get download PKG:ARCH` works for test images.
for a in armhf arm64 mipsel; do
  grep -qx "$a" <<<"$(dpkg --print-foreign-architectures)" || $SUDO dpkg --add-architecture "$a"
done

# A mirror that is mid-sync can fail one index; retry, then go on with what we have.
for i in 1 2 3; do
  if $SUDO apt-get update -qq; then break; fi
  echo "setup: apt-get update failed (attempt $i), retrying" >&2; sleep 5
done

PKGS="$BUILD_PKGS $FIXTURE_PKGS"
[ "${WAYBILL_BENCH_DEPS:-1}" = "1" ] && PKGS="$PKGS $BENCH_PKGS"
# nodejs/npm: keep an existing Node.js (e.g. from NodeSource) instead of Debian's.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  PKGS=$(echo "$PKGS" | tr ' \n' '\n\n' | grep -vx -e nodejs -e npm | tr '\n' ' ')
fi
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS

# Node packages for schema validation of the SBOMs we write (tests only).
if [ -f "$(dirname "$0")/../tools/validate/package.json" ]; then
  (cd "$(dirname "$0")/../tools/validate" && npm ci --no-audit --no-fund --silent 2>/dev/null \
     || npm install --no-audit --no-fund --silent)
fi
echo "setup: done"
