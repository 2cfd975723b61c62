// A representative inventory for the encoder tests: every ecosystem, evidence of every kind,
// notes, licences (known ids, aliases, an expression, unknown names), CPEs that need escaping,
// a kernel, an operating system, relationships and diagnostics.
#pragma once

#include <string>

#include "model/sbom.h"

namespace waybill::test {

inline model::Evidence evidence(std::string method, std::string path, std::string matched,
                                std::string version, double confidence,
                                std::optional<std::uint64_t> offset = std::nullopt,
                                std::string root = "") {
  model::Evidence e;
  e.method = std::move(method);
  e.source = e.method.substr(0, e.method.find('/'));
  e.path = std::move(path);
  e.root = std::move(root);
  e.offset = offset;
  e.matched = std::move(matched);
  e.version = std::move(version);
  e.confidence = confidence;
  return e;
}

inline model::Sbom sample_sbom() {
  model::Sbom s;
  s.target = {"router-fw 1.2.bin", "image",
              "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 8388608};
  s.tool.version = "0.1.0";
  s.timestamp = "2026-11-24T22:00:00Z";
  s.serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79";

  model::Component bb;
  bb.bom_ref = "pkg:deb/debian/busybox@1:1.35.0-4+deb12u1+b1?arch=armhf";
  bb.type = "application";
  bb.name = "busybox";
  bb.version = "1.35.0";
  bb.package_version = "1:1.35.0-4+deb12u1+b1";
  bb.source_package = "busybox";
  bb.upstream_name = "busybox";
  bb.ecosystem = "deb";
  bb.distro = "debian-12";
  bb.arch = "armhf";
  bb.purl = "pkg:deb/debian/busybox@1:1.35.0-4+deb12u1+b1?arch=armhf&distro=debian-12";
  bb.cpes = {"cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"};
  bb.supplier = "Debian Install System Team <debian-boot@lists.debian.org>";
  bb.licenses = {"GPL-2"};
  bb.description = "Tiny utilities for small and embedded systems";
  bb.homepage = "https://www.busybox.net";
  bb.files = {{"/bin/busybox", "rootfs", std::string(64, 'a'), 1234567},
              {"/usr/share/doc/busybox/copyright", "rootfs", std::string(64, 'b'), 1200}};
  bb.evidence = {
      evidence("package-db/dpkg", "/var/lib/dpkg/status", "Package: busybox", "1.35.0", 0.95,
               std::nullopt, "rootfs"),
      evidence("binary-signature", "/bin/busybox", "BusyBox v1.35.0 (Debian 1:1.35.0-4+b1)",
               "1.35.0", 0.9, 0x1a2b3, "rootfs")};
  bb.evidence[1].detail = "signature busybox-banner";
  bb.depends = {"libc6", "not-in-this-image"};
  bb.notes = {"package database and binary banner agree on 1.35.0"};
  bb.properties = {{"waybill:setuid", "/bin/busybox"}};
  bb.confidence = 0.95;

  model::Component libc;
  libc.bom_ref = "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=armhf";
  libc.name = "libc6";
  libc.version = "2.36";
  libc.package_version = "2.36-9+deb12u4";
  libc.source_package = "glibc";
  libc.upstream_name = "glibc";
  libc.ecosystem = "deb";
  libc.distro = "debian-12";
  libc.arch = "armhf";
  libc.purl = "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=armhf&distro=debian-12";
  libc.cpes = {"cpe:2.3:a:gnu:glibc:2.36:*:*:*:*:*:*:*"};
  libc.supplier = "GNU Libc Maintainers";
  libc.licenses = {"LGPL-2.1-or-later AND GPL-2.0-or-later WITH GCC-exception-2.0"};
  libc.evidence = {evidence("package-db/dpkg", "/var/lib/dpkg/status", "Package: libc6", "2.36",
                            0.95, std::nullopt, "rootfs"),
                   evidence("elf-soname", "/lib/arm-linux-gnueabihf/libc.so.6", "libc.so.6", "",
                            0.6, std::nullopt, "rootfs")};
  libc.confidence = 0.95;

  model::Component ssl;
  ssl.bom_ref = "pkg:opkg/openwrt/libopenssl3@3.0.13-1";
  ssl.name = "libopenssl3";
  ssl.version = "3.0.13";
  ssl.package_version = "3.0.13-1";
  ssl.source_package = "openssl";
  ssl.ecosystem = "opkg";
  ssl.distro = "openwrt";
  ssl.arch = "mips_24kc";
  ssl.purl = "pkg:opkg/openwrt/libopenssl3@3.0.13-1?arch=mips_24kc";
  ssl.cpes = {"cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*"};
  ssl.licenses = {"Apache-2.0", "OpenSSL-Custom Licence v1 (see /usr/share/doc)"};
  ssl.evidence = {
      evidence("package-db/opkg", "/usr/lib/opkg/status", "Package: libopenssl3", "3.0.13", 0.95)};
  ssl.confidence = 0.95;

  model::Component db;
  db.bom_ref = "generic/dropbear@2022.83";
  db.name = "dropbear";
  db.version = "2022.83";
  db.upstream_name = "dropbear_ssh";
  db.ecosystem = "generic";
  db.purl = "pkg:generic/dropbear@2022.83";
  db.cpes = {"cpe:2.3:a:broken",  // malformed: not the primary, kept as a property
             "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*",
             "cpe:2.3:a:matt_johnston:dropbear\\+ssh\\:server:2022.83:*:*:*:*:*:*:*"};
  db.author = "Matt Johnston";
  db.licenses = {"MIT", "Expat"};
  db.files = {{"/usr/sbin/dropbear", "", std::string(64, 'c'), 331776}};
  db.evidence = {evidence("binary-signature", "/usr/sbin/dropbear",
                          "Dropbear sshd v2022.83 <\"quoted\" & 'apos'>", "2022.83", 0.85, 0x4f10),
                 evidence("filename", "/usr/sbin/dropbear", "", "", 0.3)};
  db.confidence = 0.85;

  model::Component kernel;
  kernel.bom_ref = "kernel/linux@5.10.201";
  kernel.type = "operating-system";
  kernel.name = "linux";
  kernel.version = "5.10.201";
  kernel.ecosystem = "kernel";
  kernel.arch = "mips";
  kernel.purl = "pkg:generic/linux@5.10.201";
  kernel.cpes = {"cpe:2.3:o:linux:linux_kernel:5.10.201:*:*:*:*:*:*:*"};
  kernel.licenses = {"GPL-2.0-only WITH Linux-syscall-note"};
  kernel.evidence = {
      evidence("kernel-banner", "kernel.bin", "Linux version 5.10.201 (builder@buildhost) #0 SMP",
               "5.10.201", 0.9, 0x200),
      evidence("kernel-vermagic", "/lib/modules/5.10.201/nf_conntrack.ko",
               "vermagic=5.10.201 SMP mod_unload MIPS32_R2 32BIT", "5.10.201", 0.8, std::nullopt,
               "rootfs")};
  kernel.confidence = 0.9;

  model::Component os;
  os.bom_ref = "os/debian@12";
  os.type = "operating-system";
  os.name = "debian";
  os.version = "12";
  os.cpes = {"cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"};
  os.supplier = "Debian";
  os.evidence = {evidence("os-release", "/etc/os-release", "VERSION_ID=\"12\"", "12", 1.0,
                          std::nullopt, "rootfs")};
  os.confidence = 1.0;

  model::Component musl;
  musl.bom_ref = "pkg:apk/alpine/musl@1.2.4-r2?arch=aarch64";
  musl.type = "library";
  musl.name = "musl";
  musl.version = "1.2.4";
  musl.package_version = "1.2.4-r2";
  musl.ecosystem = "apk";
  musl.distro = "alpine-3.18";
  musl.purl = "pkg:apk/alpine/musl@1.2.4-r2?arch=aarch64";
  musl.licenses = {"MIT"};
  musl.evidence = {evidence("package-db/apk", "/lib/apk/db/installed", "P:musl", "1.2.4", 0.95)};

  model::Component br;
  br.bom_ref = "pkg:generic/buildroot/vendor-daemon@2.1";
  br.name = "vendor-daemon";
  br.version = "2.1";
  br.ecosystem = "buildroot";
  br.licenses = {"Proprietary", "GPL-2.0-or-later OR FooBar-1.0"};
  br.evidence = {evidence("build-manifest/buildroot", "/usr/share/buildroot/manifest.csv",
                          "vendor-daemon,2.1,Proprietary", "2.1", 0.9)};
  br.notes = {"licence \"FooBar-1.0\" is not an SPDX id", "second note"};

  model::Component yocto;  // no bom-ref: encoders must still give it a unique reference
  yocto.name = "zlib";
  yocto.version = "1.3.1";
  yocto.ecosystem = "yocto";
  yocto.licenses = {"Zlib"};
  yocto.cpes = {"cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*"};
  yocto.evidence = {evidence("build-manifest/yocto", "/usr/share/license.manifest",
                             "PACKAGE NAME: zlib", "1.3.1", 0.9)};

  s.components = {bb, libc, ssl, db, kernel, os, musl, br, yocto};
  s.relationships = {{bb.bom_ref, libc.bom_ref, "depends-on"},
                     {os.bom_ref, bb.bom_ref, "contains"},
                     {os.bom_ref, libc.bom_ref, "contains"},
                     {"unknown-ref", bb.bom_ref, "depends-on"}};
  model::OperatingSystem osr;
  osr.id = "debian";
  osr.name = "Debian GNU/Linux";
  osr.version_id = "12";
  osr.version = "12 (bookworm)";
  osr.pretty_name = "Debian GNU/Linux 12 (bookworm)";
  osr.path = "/etc/os-release";
  s.operating_systems = {osr};
  Diagnostic w;
  w.severity = Severity::warning;
  w.code = Errc::unsupported;
  w.source = "jffs2";
  w.file = "router-fw 1.2.bin";
  w.offset = 0x3c0000;
  w.message = "JFFS2 with LZO compression is not supported; region skipped";
  Diagnostic e;
  e.severity = Severity::error;
  e.code = Errc::truncated;
  e.source = "squashfs";
  e.file = "router-fw 1.2.bin";
  e.message = "squashfs ends before its inode table";
  s.diagnostics = {w, e};
  return s;
}

}  // namespace waybill::test
