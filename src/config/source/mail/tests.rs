//! The `imap` kind's keys through the whole config check.

use super::*;
use crate::config::{Config, SourceKind};

fn mailbox(toml: &str) -> Result<Mailbox, Vec<(String, String)>> {
    let text = format!("[[source]]\nname = \"mail\"\nkind = \"imap\"\n{toml}\n");
    let env = |k: &str| (k == "IMAP_PASSWORD").then(|| "hunter2".to_string());
    Config::parse(&text, std::path::Path::new("t.toml"), &env)
        .map(|c| match c.sources.into_iter().next().map(|s| s.kind) {
            Some(SourceKind::Imap(m)) => *m,
            other => panic!("not an imap source: {other:?}"),
        })
        .map_err(|e| {
            e.problems
                .into_iter()
                .map(|p| (p.path, p.message))
                .collect()
        })
}

const LOGIN: &str = "username = \"me@example.com\"\npassword = \"${IMAP_PASSWORD}\"";

#[test]
fn defaults_read_every_board_of_the_inbox_for_thirty_days() {
    let m = mailbox(&format!("imap_url = \"imaps://imap.example.com\"\n{LOGIN}")).expect("valid");
    assert_eq!(
        m.server,
        ImapServer {
            host: "imap.example.com".into(),
            port: 993,
            tls: ImapTls::Implicit
        }
    );
    assert_eq!(m.mailbox, "INBOX");
    assert_eq!(m.senders, Board::ALL.to_vec());
    assert_eq!(m.since, Duration::from_secs(30 * 86_400));
    assert!(!m.mark_seen);
    assert_eq!(m.password.expose(), "hunter2");
    assert!(
        !format!("{m:?}").contains("hunter2"),
        "the password never shows"
    );
}

#[test]
fn urls_say_how_the_connection_is_secured() {
    type Case<'a> = (&'a str, Result<(&'a str, u16, ImapTls), &'a str>);
    let cases: &[Case] = &[
        (
            "imaps://imap.example.com:1993",
            Ok(("imap.example.com", 1993, ImapTls::Implicit)),
        ),
        (
            "imap://imap.example.com?tls=starttls",
            Ok(("imap.example.com", 143, ImapTls::StartTls)),
        ),
        (
            "imap://127.0.0.1:1143",
            Ok(("127.0.0.1", 1143, ImapTls::Plain)),
        ),
        ("imap://[::1]:1143", Ok(("::1", 1143, ImapTls::Plain))),
        ("imap://localhost", Ok(("localhost", 143, ImapTls::Plain))),
        (
            "imap://imap.example.com",
            Err("would send the password unencrypted"),
        ),
        ("imaps://imap.example.com?tls=starttls", Err("TLS already")),
        (
            "imap://imap.example.com?tls=ssl",
            Err("the only option is tls=starttls"),
        ),
        ("imaps://me:pw@imap.example.com", Err("not in the URL")),
        (
            "imaps://imap.example.com/INBOX",
            Err("name the folder in `mailbox`"),
        ),
        ("https://imap.example.com", Err("use imaps:// or imap://")),
    ];
    for (url, want) in cases {
        let got = parse_imap_url(url);
        match (got, want) {
            (Ok(s), Ok((host, port, tls))) => {
                assert_eq!(
                    (s.host.as_str(), s.port, s.tls),
                    (*host, *port, *tls),
                    "{url}"
                )
            }
            (Err(e), Err(part)) => assert!(e.contains(part), "{url}: {e}"),
            (got, want) => panic!("{url}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn problems_name_their_keys() {
    let cases = [
        (
            "imap_url = \"imaps://x.example\"\nusername = \"me\"",
            "source[0].password",
            "is required",
        ),
        (
            "imap_url = \"imaps://x.example\"\nusername = \"me\"\npassword = \"a\"\npassword_file = \"/p\"",
            "source[0].password_file",
            "not both",
        ),
        (
            "imap_url = \"imaps://x.example\"\nusername = \"me\"\npassword = \"${UNSET_VAR}\"",
            "source[0].password",
            "UNSET_VAR is not set",
        ),
        (
            &format!(
                "imap_url = \"imaps://x.example\"\n{LOGIN}\nsenders = [\"linkedin\", \"monster\"]"
            ),
            "source[0].senders[1]",
            "unknown sender `monster`",
        ),
        (
            &format!("imap_url = \"imaps://x.example\"\n{LOGIN}\nsince = \"5m\""),
            "source[0].since",
            "",
        ),
        (
            &format!("imap_url = \"imaps://x.example\"\n{LOGIN}\nca_file = \"/no/such/ca.pem\""),
            "source[0].ca_file",
            "not a readable file",
        ),
        (LOGIN, "source[0].imap_url", "is required"),
        (
            &format!(
                "imap_url = \"imaps://x.example\"\n{LOGIN}\n[source.email_selectors]\nfrom = \"jobs@x.example\"\nitem = \"tr\"\ntitle = \"a..b\"\nlink = \"a\""
            ),
            "source[0].email_selectors.title",
            "not a valid CSS selector",
        ),
        (
            &format!("imap_url = \"imaps://x.example\"\n{LOGIN}\nurl = \"https://x.example\""),
            "source[0].url",
            "not used by kind `imap`",
        ),
    ];
    for (toml, path, part) in cases {
        let problems = mailbox(toml).expect_err(toml);
        assert!(
            problems.iter().any(|(p, m)| p == path && m.contains(part)),
            "{toml}\nwant {path}: {part}\ngot {problems:?}"
        );
    }
}

#[test]
fn email_selectors_and_the_password_file_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "s3cret\n").expect("write");
    let m = mailbox(&format!(
        "imap_url = \"imap://127.0.0.1:1143\"\nusername = \"me\"\npassword_file = \"{}\"\n\
         senders = [\"LinkedIn\", \"indeed\"]\nmark_seen = true\nsince = \"7d\"\n\
         [source.email_selectors]\nfrom = \"Jobs.Example\"\nitem = \"tr.job\"\ntitle = \"a\"\nlink = \"a\"\nsalary = \".pay\"",
        pw.display()
    ))
    .expect("valid");
    assert_eq!(m.password.expose(), "s3cret");
    assert_eq!(m.senders, vec![Board::LinkedIn, Board::Indeed]);
    assert!(m.mark_seen);
    assert_eq!(m.since, Duration::from_secs(7 * 86_400));
    let sel = m.selectors.expect("selectors");
    assert_eq!(sel.from, "jobs.example");
    assert_eq!(sel.item.css, "tr.job");
    assert!(sel.salary.is_some() && sel.company.is_none());
}
