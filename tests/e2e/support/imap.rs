//! A real IMAP server for the mail tests: a throwaway Dovecot (Debian's
//! `dovecot-imapd`) with its own config, mail directory, log and TLS
//! certificate in a temporary directory, listening on free ports of
//! 127.0.0.1: plain IMAP (which offers STARTTLS) and implicit-TLS IMAPS. The
//! certificate is issued for 127.0.0.1 and localhost by a test CA whose PEM
//! file the tests hand to jobhound as `ca_file`.
//!
//! Test emails go in with IMAP `APPEND`, and the tests look at the mailbox
//! (messages, flags) over IMAP too, as any mail client would.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tempfile::TempDir;

/// The mail account every server has.
pub const USER: &str = "sam";
/// Its password.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running Dovecot; stopped when dropped.
pub struct Dovecot {
    dir: TempDir,
    child: Child,
    /// Plain IMAP port (STARTTLS offered; plain-text login allowed on loopback).
    pub imap_port: u16,
    /// Implicit-TLS IMAPS port.
    pub imaps_port: u16,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether Dovecot is installed; when it is not, the tests fail naming the package.
fn dovecot_binary() -> PathBuf {
    for p in ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!(
        "the IMAP tests need Dovecot: install the Debian package dovecot-imapd \
         (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd); \
         .ci/run does this and sets JOBHOUND_REQUIRE_DOVECOT=1"
    );
}

/// A port free on 127.0.0.1 right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until both ports accept connections (readiness, not a guess at
/// how long start-up takes); false if Dovecot exits first or 20 s pass.
fn listening(child: &mut Child, ports: [u16; 2]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    for port in ports {
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = child.try_wait().ok().flatten().is_some();
            if exited || Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    true
}

/// The uid and gid mail is stored as: ours, or `nobody`'s when we are root
/// (Dovecot refuses to store mail as root).
fn mail_owner() -> (u32, u32) {
    let id = |flag: &str, user: Option<&str>| -> u32 {
        let mut cmd = Command::new("id");
        cmd.arg(flag);
        if let Some(u) = user {
            cmd.arg(u);
        }
        let out = cmd.output().expect("run id");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("numeric id")
    };
    if id("-u", None) == 0 {
        (id("-u", Some("nobody")), id("-g", Some("nobody")))
    } else {
        (id("-u", None), id("-g", None))
    }
}

impl Dovecot {
    /// Starts a server with the account [`USER`] and an empty INBOX.
    pub async fn start() -> Dovecot {
        let binary = dovecot_binary();
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let (uid, gid) = mail_owner();
        write_certificates(root);
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(root.join(sub)).expect("dir");
        }
        std::fs::write(
            root.join("passwd"),
            format!(
                "{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{}::\n",
                root.join("home").display()
            ),
        )
        .expect("passwd");
        // Dovecot's workers run as other users: they must reach the files.
        chmod_tree(root);
        if uid != current_uid() {
            let status = Command::new("chown")
                .arg("-R")
                .arg(format!("{uid}:{gid}"))
                .arg(root.join("mail"))
                .arg(root.join("home"))
                .status()
                .expect("chown");
            assert!(status.success());
        }
        let conf = root.join("dovecot.conf");
        let log = root.join("dovecot.log");
        // A port found free can be taken by another test before Dovecot binds
        // it; Dovecot then exits, and starts again on two other ports.
        for attempt in 1.. {
            let imap_port = free_port();
            let imaps_port = free_port();
            std::fs::write(&conf, config(root, uid, imap_port, imaps_port)).expect("conf");
            let _ = std::fs::remove_file(&log);
            let mut child = Command::new(&binary)
                .arg("-c")
                .arg(&conf)
                .arg("-F")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start dovecot");
            if listening(&mut child, [imap_port, imaps_port]) {
                return Dovecot {
                    dir,
                    child,
                    imap_port,
                    imaps_port,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(
                attempt < 5 && said.contains("Address already in use"),
                "Dovecot did not listen on 127.0.0.1:{imap_port} and :{imaps_port}; its log:\n{said}"
            );
        }
        unreachable!("the loop returns or fails")
    }

    /// The test CA's certificate (PEM), for `ca_file`.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Dovecot's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// A logged-in session over plain IMAP on loopback, as a mail client.
    pub async fn session(&self) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.imap_port))
            .await
            .expect("connect");
        let mut client = async_imap::Client::new(tcp);
        client
            .read_response()
            .await
            .expect("greeting")
            .expect("greeting");
        client
            .login(USER, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .expect("login")
    }

    /// Appends the fixture email `fixtures/mail/{name}` to INBOX.
    pub async fn append(&self, name: &str) {
        let path = format!("{}/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut s = self.session().await;
        s.append("INBOX", None, None, &bytes)
            .await
            .unwrap_or_else(|e| panic!("APPEND {name}: {e}"));
        s.logout().await.expect("logout");
    }

    /// Every message of INBOX with its flags, in order: what a client sees.
    pub async fn inbox(&self) -> Vec<String> {
        let mut s = self.session().await;
        let mb = s.examine("INBOX").await.expect("examine");
        let mut out = Vec::new();
        if mb.exists > 0 {
            let fetched: Vec<_> = s
                .fetch("1:*", "(UID FLAGS)")
                .await
                .expect("fetch")
                .try_collect()
                .await
                .expect("fetch");
            for f in fetched {
                let flags: Vec<String> = f.flags().map(|fl| format!("{fl:?}")).collect();
                out.push(format!("{} {}", f.uid.unwrap_or(0), flags.join(" ")));
            }
        }
        s.logout().await.expect("logout");
        out
    }

    /// Gives INBOX a new `UIDVALIDITY`, as a server does after rebuilding a
    /// mailbox: every UID a client kept is void, the messages stay.
    pub fn change_uidvalidity(&self, to: u32) {
        let doveadm = [
            "/usr/bin/doveadm",
            "/usr/sbin/doveadm",
            "/usr/local/bin/doveadm",
        ]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("doveadm (Debian package dovecot-core)");
        let out = Command::new(doveadm)
            .arg("-c")
            .arg(self.dir.path().join("dovecot.conf"))
            .args(["mailbox", "update", "-u", USER, "--uid-validity"])
            .arg(to.to_string())
            .arg("INBOX")
            .output()
            .expect("run doveadm");
        assert!(
            out.status.success(),
            "doveadm: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn current_uid() -> u32 {
    let out = Command::new("id").arg("-u").output().expect("run id");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("uid")
}

/// Opens the temporary tree to Dovecot's workers (the directory is 0700).
fn chmod_tree(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in [root.to_path_buf()].into_iter().chain(
        ["run", "state", "mail", "home"]
            .iter()
            .map(|d| root.join(d)),
    ) {
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    for file in ["passwd", "server.pem", "ca.pem"] {
        std::fs::set_permissions(root.join(file), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
    }
}

/// A CA and a server certificate for 127.0.0.1 and localhost signed by it:
/// `ca.pem`, `server.pem`, `server.key`.
fn write_certificates(root: &Path) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "jobhound test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate().expect("ca key");
    let ca_cert = ca_params.self_signed(&ca_key).expect("ca cert");
    let issuer = Issuer::new(ca_params, ca_key);
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let key = KeyPair::generate().expect("key");
    let cert = params.signed_by(&key, &issuer).expect("cert");
    std::fs::write(root.join("ca.pem"), ca_cert.pem()).expect("ca.pem");
    std::fs::write(root.join("server.pem"), cert.pem()).expect("server.pem");
    std::fs::write(root.join("server.key"), key.serialize_pem()).expect("server.key");
}

/// The whole Dovecot configuration: nothing from /etc/dovecot is read.
fn config(root: &Path, uid: u32, imap_port: u16, imaps_port: u16) -> String {
    let r = root.display();
    let dh = if Path::new("/usr/share/dovecot/dh.pem").exists() {
        "ssl_dh = </usr/share/dovecot/dh.pem\n"
    } else {
        ""
    };
    let unprivileged = if current_uid() == 0 {
        String::new()
    } else {
        // Not root: every process runs as us, and nothing chroots.
        let user = std::env::var("USER").unwrap_or_else(|_| uid.to_string());
        format!(
            "default_login_user = {user}\ndefault_internal_user = {user}\n\
             service imap-login {{\n  chroot =\n}}\nservice anvil {{\n  chroot =\n}}\n"
        )
    };
    format!(
        "base_dir = {r}/run\nstate_dir = {r}/state\n\
         log_path = {r}/dovecot.log\ninfo_log_path = {r}/dovecot.log\n\
         protocols = imap\nlisten = 127.0.0.1\n\
         ssl = yes\nssl_cert = <{r}/server.pem\nssl_key = <{r}/server.key\n{dh}\
         disable_plaintext_auth = no\nauth_mechanisms = plain login\nauth_failure_delay = 0\n\
         first_valid_uid = {uid}\nlast_valid_uid = 0\n\
         mail_location = maildir:{r}/mail/%u\n\
         passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {r}/passwd\n}}\n\
         userdb {{\n  driver = passwd-file\n  args = username_format=%u {r}/passwd\n}}\n\
         service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {imap_port}\n  }}\n\
         \x20 inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps_port}\n    ssl = yes\n  }}\n}}\n\
         {unprivileged}"
    )
}
