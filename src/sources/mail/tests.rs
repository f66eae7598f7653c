//! The alert emails of `fixtures/mail/` through the parsers: what each board's
//! alert yields, what is skipped, and what is a warning.

use super::*;
use crate::config::{Board, ImapServer, ImapTls, Secret};
use crate::model::Workplace;

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
fn linkedin_alert_html_gives_each_job_with_its_canonical_url() {
    let (postings, state, alert) = read("linkedin-alert.eml");
    assert!(alert);
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.linkedin.com/jobs/view/4088112233",
                "Machine Learning Engineer, Inference",
                Some("Lumen AI"),
                vec!["New York, NY (Hybrid)".to_string()],
                Some("$185K/yr - $230K/yr"),
            ),
            (
                "https://www.linkedin.com/jobs/view/4088114455",
                "Senior Applied Scientist – Ranking",
                Some("Quillon Labs"),
                vec!["New York, United States (On-site)".to_string()],
                None,
            ),
            (
                "https://www.linkedin.com/jobs/view/4088116677",
                "ML Platform Engineer",
                Some("Halden Robotics"),
                vec!["United States (Remote)".to_string()],
                None,
            ),
        ]
    );
    assert_eq!(
        (state.read, state.alerts, state.skipped, state.jobs),
        (1, 1, 0, 3)
    );
    assert!(state.warnings.is_empty(), "{:?}", state.warnings);
    let last = state.last_email.expect("last email");
    assert_eq!(last.from, "linkedin");
    assert_eq!(last.date, at("2026-11-29T14:02:11+00:00"));
    assert!(
        postings
            .iter()
            .all(|p| p.url.as_ref() == Some(&p.external_id))
    );
    assert!(postings.iter().all(|p| p.tags == ["linkedin"]));
}

#[test]
fn linkedin_plain_text_alert_is_read_when_there_is_no_html() {
    let (postings, state, _) = read("linkedin-alert-text.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.linkedin.com/jobs/view/4077001122",
                "Computer Vision Engineer",
                Some("Okapi Bio"),
                vec!["Cambridge, MA".to_string()],
                None,
            ),
            (
                "https://www.linkedin.com/jobs/view/4077003344",
                "Staff ML Engineer",
                Some("Brightwater"),
                vec!["Remote".to_string()],
                None,
            ),
        ]
    );
    assert_eq!(state.jobs, 2);
}

#[test]
fn indeed_alert_in_base64_with_a_wrapped_link() {
    let (postings, state, _) = read("indeed-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.indeed.com/viewjob?jk=a1b2c3d4e5f60718",
                "Machine Learning Engineer",
                Some("Northbeam Analytics"),
                vec!["Boston, MA 02110".to_string()],
                Some("$150,000 - $185,000 a year"),
            ),
            (
                "https://www.indeed.com/viewjob?jk=0f0e0d0c0b0a0908",
                "Applied ML Scientist",
                Some("Tessellate Systems"),
                vec!["Hybrid work in Cambridge, MA".to_string()],
                None,
            ),
            (
                "https://www.indeed.com/viewjob?jk=5c6d7e8f90a1b2c3",
                "MLOps Engineer",
                Some("Okapi Bio"),
                vec!["Remote".to_string()],
                Some("$70 - $85 an hour"),
            ),
        ]
    );
    assert!(state.warnings.is_empty(), "{:?}", state.warnings);
    // "Just posted" in an email of 2026-11-29 11:30 UTC; "2 days ago" two days before.
    let posted: Vec<Option<String>> = postings
        .iter()
        .map(|p| p.posted_at.map(|t| t.to_rfc3339()))
        .collect();
    assert_eq!(
        posted,
        vec![
            at("2026-11-29T11:30:00+00:00"),
            at("2026-11-27T11:30:00+00:00"),
            at("2026-10-30T11:30:00+00:00"),
        ]
    );
}

#[test]
fn glassdoor_cards_put_the_company_first() {
    let (postings, _, _) = read("glassdoor-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.glassdoor.com/job-listing/j?jl=1009633080810",
                "Machine Learning Engineer",
                Some("Brightwater"),
                vec!["New York, NY".to_string()],
                Some("$160K - $210K"),
            ),
            (
                "https://www.glassdoor.com/job-listing/j?jl=1009633080877",
                "Senior Data Scientist, NLP",
                Some("Larkspur Health"),
                vec!["Remote".to_string()],
                Some("$145K - $190K"),
            ),
        ]
    );
    assert_eq!(
        postings[0].posted_at.map(|t| t.to_rfc3339()),
        at("2026-11-28T15:45:00+00:00"),
        "21h before 07:45 -05:00"
    );
}

#[test]
fn wellfound_alert_reads_place_pay_and_workplace_from_one_line() {
    let (postings, _, _) = read("wellfound-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://wellfound.com/jobs/3011223",
                "Machine Learning Engineer",
                Some("Tidewater"),
                vec!["Remote".to_string()],
                Some("$140k – $180k"),
            ),
            (
                "https://wellfound.com/jobs/3011987",
                "Founding ML Engineer",
                Some("Halden Robotics"),
                vec!["San Francisco".to_string()],
                Some("$170k – $220k"),
            ),
        ]
    );
    assert_eq!(postings[0].workplace, Workplace::Remote);
}

#[test]
fn ziprecruiter_alert_splits_the_bullet_line() {
    let (postings, _, _) = read("ziprecruiter-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.ziprecruiter.com/ekm/AAHc_Oka10Xx8Q2vLw9bYt4",
                "Machine Learning Engineer",
                Some("Quillon Labs"),
                vec!["Austin, TX".to_string()],
                Some("$135K - $175K/yr"),
            ),
            (
                "https://www.ziprecruiter.com/c/Morrow-Face/Job/Computer-Vision-Engineer/-in-Denver,CO?jid=7c1f0e2a3b4d5e6f",
                "Computer Vision Engineer",
                Some("Morrow Face"),
                vec!["Denver, CO".to_string()],
                Some("$54 - $74/hr"),
            ),
        ]
    );
    assert_eq!(postings[0].workplace, Workplace::Onsite);
    assert_eq!(postings[1].workplace, Workplace::Remote);
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
