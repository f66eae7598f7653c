//! Job-alert emails end to end: the real binary reads a real Dovecot on
//! 127.0.0.1 (see `support::imap`) with the fixture alerts of `fixtures/mail/`
//! appended to its INBOX. Each email is read once; nothing in the mailbox
//! changes; a wrong password is a clear error retried only every retry_max;
//! STARTTLS and implicit TLS trust the test CA given as `ca_file` and nothing
//! else; and a LinkedIn alert's job joins the same job on a Greenhouse board.

use serde_json::Value;

use crate::support::app::{Run, TestApp};
use crate::support::imap::{Dovecot, PASSWORD, USER};
use crate::support::report::sources_agree;
use crate::support::server::FixtureServer;

/// Every alert fixture (12 jobs) and two emails from the boards that are not alerts.
const ALERTS: &[&str] = &[
    "linkedin-alert.eml",
    "indeed-alert.eml",
    "glassdoor-alert.eml",
    "wellfound-alert.eml",
    "ziprecruiter-alert.eml",
];
const NOT_ALERTS: &[&str] = &[
    "linkedin-application-viewed.eml",
    "glassdoor-newsletter.eml",
    "personal.eml",
];

/// An `imap` source block named `name` with `url` and `extra` keys.
fn source(name: &str, url: &str, password: &str, extra: &str) -> String {
    format!(
        "[[source]]\nname = \"{name}\"\nkind = \"imap\"\nimap_url = \"{url}\"\n\
         username = \"{USER}\"\npassword = \"{password}\"\n{extra}\n"
    )
}

fn plain_url(dovecot: &Dovecot) -> String {
    format!("imap://127.0.0.1:{}", dovecot.imap_port)
}

/// Asserts that no output of `run` shows the password.
fn no_secret(run: &Run) {
    assert!(
        !run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD),
        "the password shows in the output:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

async fn fetch(app: &TestApp) -> Run {
    let run = app.run(&["fetch"]).await;
    no_secret(&run);
    run
}

/// `jobhound sources --format json`, the entry of `name`.
async fn sources_entry(app: &TestApp, name: &str) -> Value {
    let run = app.run(&["sources", "--format", "json"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    no_secret(&run);
    let all: Value = serde_json::from_str(&run.stdout).expect("json");
    all.as_array()
        .expect("array")
        .iter()
        .find(|s| s["name"] == name)
        .cloned()
        .expect("entry")
}

#[tokio::test(flavor = "multi_thread")]
async fn each_email_is_read_once_and_the_mailbox_is_left_as_it_was() {
    let dovecot = Dovecot::start().await;
    for name in ALERTS.iter().chain(NOT_ALERTS) {
        dovecot.append(name).await;
    }
    let before = dovecot.inbox().await;
    assert_eq!(before.len(), 8);
    assert!(before.iter().all(|m| !m.contains("Seen")), "{before:?}");
    let app = TestApp::new().block(&source("alerts", &plain_url(&dovecot), PASSWORD, ""));

    let first = fetch(&app).await;
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first
            .line("alerts")
            .contains(" 12 new, 0 updated, 0 unchanged"),
        "{}",
        first.stdout
    );
    let p = app
        .show("https://www.linkedin.com/jobs/view/4088112233")
        .await;
    assert_eq!(p["title"], "Machine Learning Engineer, Inference");
    assert_eq!(p["company"], "Lumen AI");
    assert_eq!(p["url"], "https://www.linkedin.com/jobs/view/4088112233");
    let p = app
        .show("https://www.indeed.com/viewjob?jk=a1b2c3d4e5f60718")
        .await;
    assert_eq!(p["company"], "Northbeam Analytics");
    assert_eq!(
        app.count("SELECT count(*) FROM postings"),
        12,
        "the alerts' jobs and nothing from the other emails"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM postings WHERE external_id LIKE '%4099999999%'"),
        0,
        "a friend's email is not read"
    );

    let second = fetch(&app).await;
    assert!(
        second.line("alerts").contains("not modified"),
        "{}",
        second.stdout
    );

    dovecot.append("linkedin-alert-next.eml").await;
    let third = fetch(&app).await;
    assert!(
        third
            .line("alerts")
            .contains(" 1 new, 0 updated, 1 unchanged"),
        "only the new email's jobs: {}",
        third.stdout
    );
    assert_eq!(app.count("SELECT count(*) FROM postings"), 13);

    let after = dovecot.inbox().await;
    assert_eq!(after.len(), 9, "no message deleted or moved");
    assert_eq!(&after[..8], &before[..], "flags unchanged: no \\Seen added");
    assert!(!after[8].contains("Seen"), "{after:?}");

    let health = sources_entry(&app, "alerts").await;
    let mailbox = &health["mailbox"];
    assert_eq!(mailbox["last_email"]["from"], "linkedin", "{health}");
    assert_eq!(mailbox["emails_read"], 1, "{health}");
    // `GET /api/sources` reports the mailbox as `--format json` does.
    sources_agree(&app).await;
    let text = app.run(&["sources"]).await.stdout;
    assert!(
        text.contains("mailbox:   INBOX at imap://127.0.0.1"),
        "{text}"
    );
    assert!(text.contains("last email read:"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn non_alerts_are_counted_and_an_empty_alert_is_a_warning() {
    let dovecot = Dovecot::start().await;
    for name in [
        "linkedin-application-viewed.eml",
        "glassdoor-newsletter.eml",
        "indeed-layout-changed.eml",
    ] {
        dovecot.append(name).await;
    }
    let app = TestApp::new().block(&source("alerts", &plain_url(&dovecot), PASSWORD, ""));
    let run = fetch(&app).await;
    assert!(run.line("alerts").contains(" 0 new"), "{}", run.stdout);
    let health = sources_entry(&app, "alerts").await;
    let mailbox = &health["mailbox"];
    assert_eq!(mailbox["emails_read"], 3, "{health}");
    assert_eq!(mailbox["skipped_not_alerts"], 2, "{health}");
    let warnings = mailbox["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{health}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap_or_default()
            .contains("no job found in an alert from indeed"),
        "{health}"
    );
    let text = app.run(&["sources"]).await.stdout;
    assert!(
        text.contains("warning:   no job found in an alert from indeed"),
        "{text}"
    );
    assert!(text.contains("2 skipped (not job alerts)"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_a_clear_error_retried_only_after_retry_max() {
    let dovecot = Dovecot::start().await;
    dovecot.append("linkedin-alert.eml").await;
    let wrong = "not-the-password-1234";
    let app = TestApp::new()
        .scheduler("jitter = \"0s\"\nretry_base = \"1m\"\nretry_max = \"6h\"")
        .block(&source("alerts", &plain_url(&dovecot), wrong, ""));
    let run = fetch(&app).await;
    run.assert_failed("alerts", "login refused for sam");
    assert!(
        run.line("alerts").contains("AUTHENTICATIONFAILED"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains(wrong) && !run.stderr.contains(wrong),
        "{run:?}"
    );
    let health = sources_entry(&app, "alerts").await;
    assert_eq!(health["permanent"], true, "{health}");
    let due = chrono::DateTime::parse_from_rfc3339(health["next_due"].as_str().expect("due"))
        .expect("time");
    let wait = due.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(
        wait > chrono::Duration::hours(5),
        "retried in {wait}, not every minute"
    );
    let text = app.run(&["sources"]).await.stdout;
    assert!(
        text.contains("login refused: retried only every 6h"),
        "{text}"
    );
    let failures = dovecot.log().matches("auth failed").count();
    assert_eq!(
        failures,
        1,
        "one login attempt per fetch:\n{}",
        dovecot.log()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_and_implicit_tls_trust_the_given_ca_and_nothing_else() {
    let dovecot = Dovecot::start().await;
    dovecot.append("linkedin-alert.eml").await;
    let ca = format!("ca_file = \"{}\"", dovecot.ca_file().display());
    let app = TestApp::new()
        .block(&source(
            "implicit",
            &format!("imaps://127.0.0.1:{}", dovecot.imaps_port),
            PASSWORD,
            &ca,
        ))
        .block(&source(
            "starttls",
            &format!("imap://localhost:{}?tls=starttls", dovecot.imap_port),
            PASSWORD,
            &ca,
        ))
        .block(&source(
            "untrusted",
            &format!("imaps://127.0.0.1:{}", dovecot.imaps_port),
            PASSWORD,
            "",
        ));
    let run = fetch(&app).await;
    // Both trusted sources read the same mailbox at once, so whichever
    // finishes first stores the three jobs and the other finds them stored.
    let lines = [run.line("implicit"), run.line("starttls")];
    let first = lines.iter().filter(|l| l.contains(" 3 new")).count();
    let second = lines
        .iter()
        .filter(|l| l.contains(" 0 new, 0 updated, 3 unchanged"))
        .count();
    assert_eq!((first, second), (1, 1), "{}", run.stdout);
    assert_eq!(app.count("SELECT count(*) FROM postings"), 3);
    run.assert_failed("untrusted", "TLS handshake failed");
    assert!(dovecot.log().contains("TLS"), "{}", dovecot.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_uidvalidity_rereads_without_duplicates() {
    let dovecot = Dovecot::start().await;
    dovecot.append("linkedin-alert.eml").await;
    dovecot.append("indeed-alert.eml").await;
    let app = TestApp::new().block(&source("alerts", &plain_url(&dovecot), PASSWORD, ""));
    assert!(fetch(&app).await.line("alerts").contains(" 6 new"));
    dovecot.change_uidvalidity(4_000_000_001);
    let again = fetch(&app).await;
    assert!(
        again
            .line("alerts")
            .contains(" 0 new, 0 updated, 6 unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(app.count("SELECT count(*) FROM postings"), 6);
    assert!(fetch(&app).await.line("alerts").contains("not modified"));
}

#[tokio::test(flavor = "multi_thread")]
async fn mark_seen_flags_the_alerts_it_read_and_only_them() {
    let dovecot = Dovecot::start().await;
    dovecot.append("linkedin-alert.eml").await;
    dovecot.append("glassdoor-newsletter.eml").await;
    let app = TestApp::new().block(&source(
        "alerts",
        &plain_url(&dovecot),
        PASSWORD,
        "mark_seen = true",
    ));
    assert!(fetch(&app).await.line("alerts").contains(" 3 new"));
    let inbox = dovecot.inbox().await;
    assert!(inbox[0].contains("Seen"), "{inbox:?}");
    assert!(
        !inbox[1].contains("Seen"),
        "the newsletter is not touched: {inbox:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_linkedin_alert_job_joins_the_same_job_on_its_greenhouse_board() {
    let dovecot = Dovecot::start().await;
    dovecot.append("linkedin-alert.eml").await;
    let server = FixtureServer::serve(".").await;
    server.route(
        "/v1/boards/lumenai/jobs?content=true",
        "greenhouse/board.json",
    );
    let app = TestApp::new()
        .source(
            "greenhouse",
            "greenhouse",
            &server.base_url(),
            "board = \"lumenai\"",
        )
        .block(&source("alerts", &plain_url(&dovecot), PASSWORD, ""));
    let run = fetch(&app).await;
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
    let jobs = app
        .run(&["search", "--all", "--limit", "1000", "--format", "json"])
        .await;
    let jobs: Value = serde_json::from_str(&jobs.stdout).expect("json");
    let job = jobs
        .as_array()
        .expect("jobs")
        .iter()
        .find(|j| j["title"] == "Machine Learning Engineer, Inference")
        .expect("the job");
    let mut listings: Vec<(String, String)> = job["sightings"]
        .as_array()
        .expect("sightings")
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap_or_default().to_string(),
                s["external_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    listings.sort();
    assert_eq!(
        listings,
        vec![
            (
                "alerts".to_string(),
                "https://www.linkedin.com/jobs/view/4088112233".to_string()
            ),
            ("greenhouse".to_string(), "4012345002".to_string()),
        ],
        "one job, two sightings: {job}"
    );
}
