//! The alert emails of `fixtures/mail/` through the parsers: what is skipped,
//! what is a warning, and how senders, selectors and kept state work. What
//! each board's alert yields is `tests/boards.rs`.

use super::*;
use crate::config::{Board, ImapServer, ImapTls, Secret};

mod boards;

fn mail(selectors: Option<EmailSelectors>) -> Mail {
    Mail::new(Mailbox {
        server: ImapServer {
            host: "127.0.0.1".into(),
            port: 143,
            tls: ImapTls::Plain,
        },
        username: "me".into(),
        password: Secret::new("pw".into()),
        mailbox: "INBOX".into(),
        senders: Board::ALL.to_vec(),
        since: std::time::Duration::from_secs(30 * 86_400),
        mark_seen: false,
        ca_file: None,
        selectors,
    })
}

/// The postings of one fixture email, with the state after reading it.
fn read(name: &str) -> (Vec<RawPosting>, MailState, bool) {
    read_with(&mail(None), name)
}

fn read_with(m: &Mail, name: &str) -> (Vec<RawPosting>, MailState, bool) {
    let path = format!("{}/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut state = MailState::default();
    let mut postings = Postings::default();
    let alert = m.email(&bytes, &mut state, &mut postings);
    (postings.list, state, alert)
}

type Row<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Vec<String>,
    Option<&'a str>,
);

fn rows(postings: &[RawPosting]) -> Vec<Row<'_>> {
    postings
        .iter()
        .map(|p| {
            (
                p.external_id.as_str(),
                p.title.as_str(),
                p.company.as_deref(),
                p.locations.clone(),
                p.salary_text.as_deref(),
            )
        })
        .collect()
}

fn at(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn emails_that_are_not_alerts_are_skipped_and_counted() {
    for name in [
        "linkedin-application-viewed.eml",
        "glassdoor-newsletter.eml",
    ] {
        let (postings, state, alert) = read(name);
        assert!(postings.is_empty() && !alert, "{name}");
        assert_eq!(
            (state.read, state.skipped, state.alerts),
            (1, 1, 0),
            "{name}"
        );
        assert!(state.warnings.is_empty(), "{name}");
    }
    let (postings, state, alert) = read("personal.eml");
    assert!(postings.is_empty() && !alert);
    assert_eq!(
        (state.skipped, state.alerts),
        (0, 0),
        "not from a board at all"
    );
}

#[test]
fn an_alert_with_no_job_is_a_warning() {
    let (postings, state, alert) = read("indeed-layout-changed.eml");
    assert!(postings.is_empty() && alert);
    assert_eq!(state.warnings.len(), 1);
    assert!(
        state.warnings[0].starts_with("no job found in an alert from indeed"),
        "{:?}",
        state.warnings
    );
}

#[test]
fn senders_not_configured_are_not_read() {
    let mut m = mail(None);
    m.cfg.senders = vec![Board::Indeed];
    let (postings, state, _) = read_with(&m, "linkedin-alert.eml");
    assert!(postings.is_empty());
    assert_eq!(state.alerts, 0);
}

#[test]
fn email_selectors_read_another_senders_alerts() {
    let text = "[[source]]\nname = \"m\"\nkind = \"imap\"\nimap_url = \"imap://127.0.0.1\"\n\
                username = \"me\"\npassword = \"pw\"\n[source.email_selectors]\nfrom = \"careers.example\"\n\
                item = \"tr.opening\"\ntitle = \"a.role\"\nlink = \"a.role\"\ncompany = \".team\"\n\
                location = \".where\"\nsalary = \".pay\"\n";
    let config = crate::config::Config::parse(text, std::path::Path::new("t.toml"), &|_| None)
        .expect("config");
    let Some(crate::config::SourceKind::Imap(cfg)) =
        config.sources.into_iter().next().map(|s| s.kind)
    else {
        panic!("imap source");
    };
    let (postings, state, alert) = read_with(&Mail::new(*cfg), "careers-example-alert.eml");
    assert!(alert);
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://careers.example/jobs/881",
                "Speech Recognition Engineer",
                Some("Example Labs"),
                vec!["Berlin, Germany".to_string()],
                Some("€85,000 - €105,000"),
            ),
            (
                "https://careers.example/jobs/882",
                "Data Engineer",
                Some("Example Labs"),
                vec!["Remote (EU)".to_string()],
                None,
            ),
        ]
    );
    assert_eq!(
        state.last_email.map(|l| l.from).as_deref(),
        Some("careers.example")
    );
}

#[test]
fn the_same_job_in_two_emails_is_one_posting() {
    let m = mail(None);
    let mut state = MailState::default();
    let mut postings = Postings::default();
    for name in ["linkedin-alert.eml", "linkedin-alert-next.eml"] {
        let path = format!("{}/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
        m.email(
            &std::fs::read(path).expect("fixture"),
            &mut state,
            &mut postings,
        );
    }
    let ids: Vec<&str> = postings
        .list
        .iter()
        .map(|p| p.external_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "https://www.linkedin.com/jobs/view/4088112233",
            "https://www.linkedin.com/jobs/view/4088114455",
            "https://www.linkedin.com/jobs/view/4088116677",
            "https://www.linkedin.com/jobs/view/4091230001",
        ]
    );
}

#[test]
fn search_terms_or_the_senders_together() {
    let mut m = mail(None);
    m.cfg.senders = vec![Board::LinkedIn, Board::Indeed];
    assert_eq!(
        m.sender_terms(),
        "OR FROM \"linkedin.com\" FROM \"indeed.com\""
    );
    m.cfg.senders = vec![Board::Glassdoor];
    assert_eq!(m.sender_terms(), "FROM \"glassdoor.com\"");
}

#[test]
fn kept_state_is_for_one_mailbox_and_set_of_senders() {
    let m = mail(None);
    let state = MailState {
        uidvalidity: 7,
        last_uid: 42,
        ..MailState::default()
    };
    let kept = Validators {
        url: Some(m.identity()),
        state: Some(serde_json::to_string(&state).expect("json")),
        ..Validators::default()
    };
    assert_eq!(
        MailState::from_validators(&kept, Some(&m.identity())),
        Some(state)
    );
    let mut fewer = mail(None);
    fewer.cfg.senders = vec![Board::LinkedIn];
    assert_eq!(
        MailState::from_validators(&kept, Some(&fewer.identity())),
        None
    );
    let mut other = mail(None);
    other.cfg.mailbox = "Jobs".into();
    assert_eq!(
        MailState::from_validators(&kept, Some(&other.identity())),
        None
    );
}
