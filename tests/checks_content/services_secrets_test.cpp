// services/insecure and secrets/credentials rules on small inline files.
#include <gtest/gtest.h>

#include "checks_content/support_content.h"

using waybill::test::index_files;
using waybill::test::keys_of;
using waybill::test::run_content_checks;

TEST(Services, BootFilesRules) {
  auto index = index_files({
      {"/etc/inittab",
       "::sysinit:/etc/init.d/rcS\n"
       "::respawn:-/bin/sh\n"                                        // 2: console shell
       "ttyS0::respawn:/sbin/getty -L ttyS0 115200 -n -l /bin/sh\n"  // 3: getty without login
       "tty1::respawn:/sbin/getty 38400 tty1\n"                      // fine
       "::askfirst:/bin/login\n"},                                   // fine
      {"/etc/init.d/rcS",
       "#!/bin/sh\n"
       "# /usr/sbin/telnetd -l /bin/sh\n"        // 2: comment
       "telnetd -p 2323 &\n"                     // 3: telnetd
       "/usr/sbin/dropbear -s -g -p 22\n"        // 4: fine
       "/usr/sbin/dropbear -p 2222\n"            // 5: password logins
       "udpsvd -vE 0 69 tftpd -c /srv/tftp &\n"  // 6: tftpd
       "/usr/sbin/vsftpd /etc/vsftpd.conf\n"     // 7: ftpd
       "/sbin/adbd &\n"                          // 8: adbd
       "echo done\n"},
      {"/etc/init.d/dropbear",  // OpenWrt procd style
       "start_service() {\n"
       "  procd_open_instance\n"
       "  procd_set_param command /usr/sbin/dropbear -F -P /var/run/dropbear.pid\n"  // 3
       "  procd_close_instance\n"
       "}\n"},
      {"/lib/systemd/system/telnet.service",
       "[Unit]\nDescription=telnet\n[Service]\nExecStart=-/usr/sbin/in.telnetd -L /bin/login\n"},
      {"/etc/ssh/sshd_config",
       "# PermitRootLogin yes\n"
       "PermitRootLogin yes\n"  // 2
       "PasswordAuthentication no\n"
       "passwordauthentication yes\n"  // 4
       "PermitEmptyPasswords yes\n"},  // 5
      {"/etc/config/dropbear",
       "config dropbear\n\toption PasswordAuth 'on'\n\toption RootPasswordAuth 'off'\n"},
      {"/usr/share/doc/telnetd.txt", "telnetd -l /bin/sh\n"},  // not a boot file
  });
  auto out = run_content_checks(*index);
  EXPECT_EQ(keys_of(out),
            (std::vector<std::string>{
                "services/insecure adbd /etc/init.d/rcS:8",
                "services/insecure console-root-shell /etc/inittab:2",
                "services/insecure dropbear-password-login /etc/init.d/dropbear:3",
                "services/insecure dropbear-password-login /etc/init.d/rcS:5",
                "services/insecure dropbear-uci-password /etc/config/dropbear:2",
                "services/insecure ftpd /etc/init.d/rcS:7",
                "services/insecure getty-autologin /etc/inittab:3",
                "services/insecure sshd-password-authentication /etc/ssh/sshd_config:4",
                "services/insecure sshd-permit-empty-passwords /etc/ssh/sshd_config:5",
                "services/insecure sshd-permit-root-login /etc/ssh/sshd_config:2",
                "services/insecure telnetd /etc/init.d/rcS:3",
                "services/insecure telnetd /lib/systemd/system/telnet.service:4",
                "services/insecure tftpd /etc/init.d/rcS:6",
            }));
  for (const auto& f : out.findings) {
    EXPECT_FALSE(f.catalog.empty());
    EXPECT_FALSE(f.evidence.empty());
  }
}

TEST(Secrets, TokensAndAssignments) {
  auto index = index_files({
      {"/etc/config/cloud",
       "config cloud 'agent'\n"
       "\toption api_token 'ct_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0'\n"  // 2
       "\toption password ''\n"                                           // empty
       "\toption password_file '/etc/pw'\n"},                             // a path
      {"/etc/app.conf",
       "aws_key=AKIAZ7QX3MPLEK4W2R6T\n"         // 1: AWS id
       "password = hunter2hunter2 # default\n"  // 2
       "secret=$SECRET_FROM_ENV\n"              // variable
       "token=\n"                               // empty
       "# password=commented\n"
       "db_password: \"Tr0ub4dor&3\"\n"},  // 6
      {"/www/config.json",
       "{\n  \"user\": \"admin\",\n  \"apiKey\": \"7d9f2a41c8e35b60fa12d9e8c4b7a3f1\",\n"
       "  \"token\": \"changeme\"\n}\n"},  // 3: high-entropy key; 4: changeme is a real value
      {"/etc/gh.sh", "export GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"},
      {"/etc/ssl/openssl.cnf", "secret = pass:insta # can be used for both\n"},  // ignored
      {"/etc/mosquitto/pwfile.example", "password=roger\n"},                     // example
      {"/usr/lib/python3/x.conf", "password=notscanned\n"},                      // out of scope
  });
  auto out = run_content_checks(*index);
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{
                              "secrets/credentials aws-access-key-id /etc/app.conf:1",
                              "secrets/credentials github-token /etc/gh.sh:1",
                              "secrets/credentials hardcoded-password /etc/app.conf:2",
                              "secrets/credentials hardcoded-password /etc/app.conf:6",
                              "secrets/credentials hardcoded-password /www/config.json:4",
                              "secrets/credentials hardcoded-token /www/config.json:3",
                              "secrets/credentials stripe-style-live-key /etc/config/cloud:2",
                          }));
  for (const auto& f : out.findings) {
    EXPECT_EQ(f.evidence.find("hunter2"), std::string::npos) << f.evidence;
    EXPECT_EQ(f.evidence.find("9f8e7d6c5b4a"), std::string::npos) << f.evidence;
  }
}

TEST(Walker, KeyMaterialTrigger) {
  using waybill::ByteView;
  using waybill::catalog::looks_like_key_material;
  std::string pem = "x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  EXPECT_TRUE(looks_like_key_material("/any/file", ByteView(pem)));
  std::string ppk = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n";
  EXPECT_TRUE(looks_like_key_material("/any/file", ByteView(ppk)));
  std::string der = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00};
  EXPECT_TRUE(looks_like_key_material("/etc/k.der", ByteView(der)));
  EXPECT_FALSE(looks_like_key_material("/etc/k.bin", ByteView(der)));  // DER only by name
  std::string bad = {0x30, 0x7f, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00};  // length beyond the file
  EXPECT_FALSE(looks_like_key_material("/etc/k.der", ByteView(bad)));
  std::string text = "just text -----BEGIN";
  EXPECT_FALSE(looks_like_key_material("/etc/k.pem", ByteView(text)));
  // Count cap: only key_material_max_files files are retained by the trigger.
  waybill::catalog::FileIndex index;
  waybill::catalog::CatalogerRegistry none;
  waybill::catalog::WalkOptions wo;
  wo.signatures = false;
  wo.key_material_max_files = 2;
  waybill::catalog::Walker w(none, nullptr, index, wo);
  for (int i = 0; i < 4; ++i) {
    waybill::unpack::VEntry e;
    e.root = "r";
    e.path = "/k" + std::to_string(i);
    ASSERT_TRUE(w.file(e, ByteView(pem)).ok());
  }
  int kept = 0;
  for (const auto& f : index.files()) kept += f.retained ? 1 : 0;
  EXPECT_EQ(kept, 2);
}
