//! `kind = "email"`: the SMTP URL (implicit TLS, STARTTLS, or plain to this
//! machine only), the login with its password from the environment or a file,
//! and the `From:`/`To:` mailboxes.

use lettre::message::Mailbox;
use url::Url;

use super::notifier::{Email, Fields, Smtp, SmtpTls};
use super::raw::RawNotifier;
use super::secret::Secret;

/// Checks an email notifier's keys.
pub(super) fn check(f: &mut Fields<'_, '_>, r: &RawNotifier) -> Option<Email> {
    let smtp = f
        .required("smtp_url", &r.smtp_url, "smtp://127.0.0.1:25")
        .and_then(|u| match parse_smtp_url(&u) {
            Ok(s) => Some(s),
            Err(e) => {
                f.problem("smtp_url", e);
                None
            }
        });
    let username = f.optional("username", &r.username, "disabled");
    let password = match (&r.password, &r.password_file) {
        (Some(_), Some(_)) => {
            f.problem(
                "password_file",
                "set `password` or `password_file`, not both",
            );
            None
        }
        (Some(p), None) => f.value("password", p, "").map(|p| Some(Secret::new(p))),
        (None, Some(path)) => read_password_file(f, path).map(Some),
        (None, None) => Some(None),
    };
    match (&username, &password) {
        (Some(Some(_)), Some(None)) => f.problem(
            "username",
            "needs a `password` (or `password_file`) to log in with",
        ),
        (Some(None), Some(Some(_))) => f.problem("username", "is required when a password is set"),
        _ => {}
    }
    let from = f
        .required("from", &r.from, "jobhound <disabled@example.invalid>")
        .and_then(|v| mailbox(f, "from", &v));
    let to = match r.to.as_deref() {
        None => {
            f.problem("to", "is required (a list of addresses)");
            None
        }
        Some([]) => {
            f.problem("to", "must name at least one address");
            None
        }
        Some(list) => {
            let mut to = Vec::with_capacity(list.len());
            for (i, raw) in list.iter().enumerate() {
                let key = format!("to[{i}]");
                let m = f
                    .value(&key, raw, "disabled@example.invalid")
                    .and_then(|v| mailbox(f, &key, &v));
                to.push(m);
            }
            // Every address is checked (and each problem recorded) before giving up.
            to.into_iter().collect::<Option<Vec<_>>>()
        }
    };
    Some(Email {
        smtp: smtp?,
        username: username?,
        password: password?,
        from: from?,
        to: to?,
    })
}

fn mailbox(f: &mut Fields<'_, '_>, key: &str, value: &str) -> Option<Mailbox> {
    match value.parse::<Mailbox>() {
        Ok(m) => Some(m),
        Err(e) => {
            f.problem(
                key,
                format!("`{value}` is not a mail address ({e}; e.g. \"Name <me@example.com>\")"),
            );
            None
        }
    }
}

/// A disabled notifier's password file is not read: it may not exist yet.
fn read_password_file(f: &mut Fields<'_, '_>, path: &str) -> Option<Secret<String>> {
    if !f.enabled {
        return Some(Secret::new(String::new()));
    }
    let key = f.path("password_file");
    let path = f.c.file_path(&key, path)?;
    match std::fs::read_to_string(&path) {
        // Files written by editors and `echo` end in a newline that is not part of the password.
        Ok(s) => Some(Secret::new(s.trim_end_matches(['\r', '\n']).to_string())),
        // Often readable only by the daemon's user.
        Err(_) if f.c.secrets_optional() => {
            f.c.secret_missing();
            Some(Secret::new(String::new()))
        }
        Err(e) => {
            f.problem(
                "password_file",
                format!("cannot read {}: {e}", path.display()),
            );
            None
        }
    }
}

/// Reads `smtps://host[:port]`, `smtp://host[:port]?tls=starttls` or
/// `smtp://localhost[:port]` (plain, to this machine only).
pub fn parse_smtp_url(s: &str) -> Result<Smtp, String> {
    let url = Url::parse(s).map_err(|e| format!("not a URL ({e})"))?;
    let host = match url.host() {
        Some(url::Host::Ipv6(a)) => a.to_string(),
        Some(h) => h.to_string(),
        None => return Err("has no host".into()),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("put the login in `username` and `password`, not in the URL".into());
    }
    let mut tls = None;
    for (k, v) in url.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("tls", "starttls") => tls = Some(SmtpTls::StartTls),
            ("tls", other) => {
                return Err(format!("tls=`{other}`: the only option is tls=starttls"));
            }
            (other, _) => return Err(format!("unknown parameter `{other}` (known: tls)")),
        }
    }
    let tls = match (url.scheme(), tls) {
        ("smtps", None) => SmtpTls::Implicit,
        ("smtps", Some(_)) => return Err("smtps:// is TLS already; drop ?tls=starttls".into()),
        ("smtp", Some(t)) => t,
        ("smtp", None) if is_loopback(&host) => SmtpTls::Plain,
        ("smtp", None) => {
            return Err(format!(
                "plain smtp:// is only allowed to this machine; use smtps://{host} or smtp://{host}:587?tls=starttls"
            ));
        }
        (other, _) => return Err(format!("`{other}://`: use smtps:// or smtp://")),
    };
    let port = url.port().unwrap_or(match tls {
        SmtpTls::Implicit => 465,
        SmtpTls::StartTls => 587,
        SmtpTls::Plain => 25,
    });
    Ok(Smtp { host, port, tls })
}

/// Whether `host` names this machine: `localhost` or a loopback address.
pub(super) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_choose_the_transport_security() {
        let ok = |host: &str, port, tls| {
            Ok(Smtp {
                host: host.into(),
                port,
                tls,
            })
        };
        let cases: &[(&str, Result<Smtp, &str>)] = &[
            (
                "smtps://mail.example.com",
                ok("mail.example.com", 465, SmtpTls::Implicit),
            ),
            (
                "smtps://mail.example.com:2465",
                ok("mail.example.com", 2465, SmtpTls::Implicit),
            ),
            (
                "smtp://mail.example.com:587?tls=starttls",
                ok("mail.example.com", 587, SmtpTls::StartTls),
            ),
            (
                "smtp://mail.example.com?tls=starttls",
                ok("mail.example.com", 587, SmtpTls::StartTls),
            ),
            (
                "smtp://127.0.0.1:2525",
                ok("127.0.0.1", 2525, SmtpTls::Plain),
            ),
            ("smtp://localhost", ok("localhost", 25, SmtpTls::Plain)),
            ("smtp://[::1]:2525", ok("::1", 2525, SmtpTls::Plain)),
            (
                "smtp://mail.example.com",
                Err("only allowed to this machine"),
            ),
            ("smtp://h?tls=none", Err("the only option is tls=starttls")),
            ("smtp://u:p@127.0.0.1", Err("not in the URL")),
            ("http://127.0.0.1", Err("use smtps:// or smtp://")),
            ("mail.example.com", Err("not a URL")),
        ];
        for (input, want) in cases {
            let got = parse_smtp_url(input);
            match (want, &got) {
                (Ok(w), Ok(g)) => assert_eq!(g, w, "{input}"),
                (Err(w), Err(g)) => assert!(g.contains(w), "{input}: {g}"),
                _ => panic!("{input}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn the_password_file_is_read_and_trimmed_and_never_shown() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pw = dir.path().join("pw");
        std::fs::write(&pw, "s3cret-pw\n").expect("write");
        let toml = format!(
            "[[notifier]]\nname = \"m\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:2525\"\n\
             username = \"me\"\npassword_file = \"{}\"\nfrom = \"jobhound <j@example.com>\"\nto = [\"me@example.com\"]\n",
            pw.display()
        );
        let c = crate::config::Config::parse(&toml, std::path::Path::new("t"), &|_| None)
            .expect("valid");
        let crate::config::NotifierKind::Email(e) = &c.notifiers[0].kind else {
            panic!("email")
        };
        assert_eq!(
            e.password.as_ref().map(|p| p.expose().as_str()),
            Some("s3cret-pw")
        );
        assert!(!format!("{c:?}").contains("s3cret"));
        let missing = toml.replace(&pw.display().to_string(), "/nonexistent/pw");
        let err = crate::config::Config::parse(&missing, std::path::Path::new("t"), &|_| None)
            .expect_err("unreadable");
        assert!(
            err.to_string().contains("cannot read /nonexistent/pw"),
            "{err}"
        );
    }
}
