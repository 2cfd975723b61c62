// U-Boot FIT signatures on images this test builds with mkimage (u-boot-tools) and dtc: image
// and configuration signatures verified with the key mkimage wrote into a control DTB, and with
// the PEM certificate; wrong keys, tampered data and unsigned images fail.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/support.h"
#include "trust/trust.h"

namespace waybill::trust {
namespace {

namespace fs = std::filesystem;
using model::TrustVerdict;

std::string dump(const std::vector<TrustVerdict>& vs) {
  std::string s;
  for (const auto& v : vs)
    s += v.kind + " | " + v.subject + " | " + v.verdict + " | " + v.detail + "\n";
  return s;
}

const TrustVerdict* find(const std::vector<TrustVerdict>& vs, std::string_view subject) {
  for (const auto& v : vs) {
    if (v.subject == subject) return &v;
  }
  return nullptr;
}

const char* kIts = R"(/dts-v1/;
/ {
  description = "waybill trust test";
  #address-cells = <1>;
  images {
    kernel-1 {
      description = "kernel";
      data = /incbin/("kernel.bin");
      type = "kernel"; arch = "arm"; os = "linux"; compression = "none";
      load = <0x80000>; entry = <0x80000>;
      hash-1 { algo = "sha256"; };
      %SIGIMG%
    };
    fdt-1 {
      description = "dtb";
      data = /incbin/("board.dtb");
      type = "flat_dt"; arch = "arm"; compression = "none";
      hash-1 { algo = "sha256"; };
    };
  };
  configurations {
    default = "conf-1";
    conf-1 {
      kernel = "kernel-1";
      fdt = "fdt-1";
      %SIGCONF%
    };
  };
};
)";

struct FitBuild {
  fs::path dir;
  bool ok = false;
  std::string log;

  explicit FitBuild(bool sign, const std::string& tag) {
    dir = test::temp_dir("fit-" + tag);
    std::string its = kIts;
    auto rep = [&](const std::string& from, const std::string& to) {
      its.replace(its.find(from), from.size(), to);
    };
    rep("%SIGIMG%",
        sign ? R"(signature-1 { algo = "sha256,rsa2048"; key-name-hint = "dev"; };)" : "");
    rep("%SIGCONF%",
        sign
            ? R"(signature-1 { algo = "sha256,rsa2048"; key-name-hint = "dev"; sign-images = "kernel", "fdt"; };)"
            : "");
    std::ofstream(dir / "img.its") << its;
    std::ofstream(dir / "ctl.dts") << "/dts-v1/;\n/ { model = \"control\"; };\n";
    std::ofstream(dir / "board.dts")
        << "/dts-v1/;\n/ { model = \"board\"; compatible = \"x,y\"; };\n";
    std::string kernel;
    for (int i = 0; i < 4000; ++i) kernel += static_cast<char>((i * 37 + 11) & 0xff);
    std::ofstream(dir / "kernel.bin", std::ios::binary) << kernel;
    std::string cmd =
        "cd '" + dir.string() +
        "' && mkdir -p keys && "
        "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out keys/dev.key "
        "2>&1 && openssl req -batch -new -x509 -key keys/dev.key -out keys/dev.crt "
        "-subj /CN=dev 2>&1 && dtc -I dts -O dtb -o control.dtb ctl.dts 2>&1 && "
        "dtc -I dts -O dtb -o board.dtb board.dts 2>&1 && mkimage -f img.its " +
        std::string(sign ? "-k keys -K control.dtb -r " : "") + "fit.itb 2>&1";
    auto r = test::run(cmd);
    log = r.out + r.err;
    ok = r.exit_code == 0 && fs::exists(dir / "fit.itb");
  }
  ~FitBuild() { fs::remove_all(dir); }
  std::vector<std::uint8_t> fit() const { return test::read_file(dir / "fit.itb"); }
  std::vector<std::uint8_t> control() const { return test::read_file(dir / "control.dtb"); }
  std::string cert() const { return test::read_text(dir / "keys/dev.crt"); }
};

bool have_tools() {
  return test::run("command -v mkimage && command -v dtc && command -v openssl").exit_code == 0;
}

TEST(Fit, ImageAndConfigurationSignaturesVerify) {
  if (!have_tools()) GTEST_SKIP() << "mkimage/dtc not installed";
  FitBuild b(true, "signed");
  ASSERT_TRUE(b.ok) << b.log;
  auto fit = b.fit();
  auto ctl = b.control();

  FitKeys from_dtb;
  from_dtb.control_dtb = ByteView(ctl);
  auto vs = verify_fit_signatures(ByteView(fit), from_dtb);
  ASSERT_EQ(vs.size(), 2u) << dump(vs);
  const TrustVerdict* img = find(vs, "/images/kernel-1/signature-1");
  const TrustVerdict* conf = find(vs, "/configurations/conf-1/signature-1");
  ASSERT_NE(img, nullptr);
  ASSERT_NE(conf, nullptr);
  EXPECT_EQ(img->verdict, "pass") << dump(vs);
  EXPECT_EQ(conf->verdict, "pass") << dump(vs);
  EXPECT_NE(img->key.find("control DTB /signature/key-dev"), std::string::npos) << img->key;

  FitKeys from_pem;
  from_pem.pem_keys = {KeySpec{b.cert(), {}, "dev"}};
  for (const auto& v : verify_fit_signatures(ByteView(fit), from_pem)) {
    EXPECT_EQ(v.verdict, "pass") << v.subject << ": " << v.detail;
  }
}

TEST(Fit, WrongKeyTamperedDataAndUnsignedFail) {
  if (!have_tools()) GTEST_SKIP() << "mkimage/dtc not installed";
  FitBuild a(true, "a");
  FitBuild b(true, "b");
  ASSERT_TRUE(a.ok && b.ok) << a.log << b.log;
  auto fit = a.fit();
  auto other_ctl = b.control();
  FitKeys wrong;
  wrong.control_dtb = ByteView(other_ctl);
  for (const auto& v : verify_fit_signatures(ByteView(fit), wrong)) {
    EXPECT_EQ(v.verdict, "fail") << v.subject;
    EXPECT_NE(v.detail.find("does not verify"), std::string::npos) << v.detail;
  }
  FitKeys misnamed;
  misnamed.pem_keys = {KeySpec{b.cert(), {}, "release"}};
  auto mv = verify_fit_signatures(ByteView(fit), misnamed);
  EXPECT_NE(mv.front().detail.find("no supplied key is named 'dev'"), std::string::npos)
      << dump(mv);

  // Flip one byte of the kernel data: the image signature breaks. The configuration signature
  // covers the hash node (not the data), so it still verifies; the image hash check is what
  // catches the change at boot.
  std::string kernel_start;
  for (int i = 0; i < 16; ++i) kernel_start += static_cast<char>((i * 37 + 11) & 0xff);
  std::string s(fit.begin(), fit.end());
  auto pos = s.find(kernel_start);
  ASSERT_NE(pos, std::string::npos);
  fit[pos + 100] ^= 0x01;
  FitKeys good;
  auto ctl = a.control();
  good.control_dtb = ByteView(ctl);
  auto tv = verify_fit_signatures(ByteView(fit), good);
  EXPECT_EQ(find(tv, "/images/kernel-1/signature-1")->verdict, "fail") << dump(tv);
  EXPECT_EQ(find(tv, "/configurations/conf-1/signature-1")->verdict, "pass") << dump(tv);

  FitBuild u(false, "unsigned");
  ASSERT_TRUE(u.ok) << u.log;
  auto uf = u.fit();
  auto uv = verify_fit_signatures(ByteView(uf), good);
  ASSERT_EQ(uv.size(), 1u);
  EXPECT_EQ(uv[0].verdict, "fail");
  EXPECT_NE(uv[0].detail.find("not signed"), std::string::npos);
}

TEST(Fit, NotAFit) {
  std::string junk = "definitely not a device tree";
  auto vs = verify_fit_signatures(ByteView(junk), {});
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].verdict, "fail");
}

}  // namespace
}  // namespace waybill::trust
