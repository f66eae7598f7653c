//! `[health]`: a source that keeps failing, or that listed postings and now
//! lists none, is reported once through the outbox, and once more when it
//! works again; across separate `jobhound fetch` processes, so nothing is
//! repeated after a restart either.

use crate::support::app::TestApp;
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;
use crate::support::smtp::SmtpSink;

/// The health events the webhook received, as (event, error).
fn events(hook: &WebhookSink) -> Vec<(String, String)> {
    hook.delivered()
        .iter()
        .map(|h| {
            (
                h.body["event"].as_str().unwrap_or_default().to_string(),
                h.body["error"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn fetch(app: &TestApp) {
    let run = app.run(&["fetch"]).await;
    assert!(run.code == 0 || run.code == 4, "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_source_is_reported_once_and_its_recovery_once() {
    let feed = FeedServer::serve(&[Item::new("a", "Rust Engineer"), Item::new("b", "SRE")]).await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .webhook("hook", &hook.url())
        .block("[health]\nnotifiers = [\"hook\"]\nafter_failures = 2\n");
    fetch(&app).await;
    assert!(events(&hook).is_empty());

    feed.answer(500);
    fetch(&app).await;
    assert!(
        events(&hook).is_empty(),
        "one failure is below after_failures"
    );
    fetch(&app).await;
    let got = events(&hook);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "source_failing");
    assert!(got[0].1.contains("500"), "{got:?}");
    let report = &hook.delivered()[0];
    assert_eq!(report.body["source"], "gen");
    let since = report.body["since"].as_str().expect("since");
    chrono::DateTime::parse_from_rfc3339(since).expect("since is RFC 3339");
    assert!(
        report
            .idempotency_key
            .as_deref()
            .is_some_and(|k| k.starts_with("jobhound-m")),
        "{report:?}"
    );
    fetch(&app).await;
    fetch(&app).await;
    assert_eq!(
        events(&hook).len(),
        1,
        "reported once, however long it fails"
    );

    feed.answer(200);
    fetch(&app).await;
    let got = events(&hook);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].0, "source_recovered");
    assert_eq!(hook.delivered()[1].body["since"], since);
    fetch(&app).await;
    assert_eq!(events(&hook).len(), 2, "the recovery is reported once");

    // A board that empties: as many passes listing nothing.
    feed.set(&[]);
    fetch(&app).await;
    fetch(&app).await;
    let got = events(&hook);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got[2],
        (
            "source_failing".to_string(),
            "listed no postings for 2 passes (it listed 2 before)".to_string()
        )
    );
    fetch(&app).await;
    assert_eq!(events(&hook).len(), 3);
    feed.set(&[Item::new("c", "Data Engineer")]);
    fetch(&app).await;
    let got = events(&hook);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[3].0, "source_recovered");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_reach_email_as_a_readable_message() {
    let feed = FeedServer::serve(&[Item::new("a", "Rust Engineer")]).await;
    let smtp = SmtpSink::start();
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .block(&format!(
            "[[notifier]]\nname = \"mail\"\nkind = \"email\"\nsmtp_url = \"{}\"\n\
             from = \"jobhound <jobhound@example.com>\"\nto = [\"me@example.com\"]\n",
            smtp.url()
        ))
        .block("[health]\nnotifiers = [\"mail\"]\nafter_failures = 1\n");
    fetch(&app).await;
    feed.answer(503);
    fetch(&app).await;
    fetch(&app).await;
    feed.answer(200);
    fetch(&app).await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2, "failing, then recovered");
    let (subject, text) = read(&mails[0].data);
    assert_eq!(subject, "jobhound: source `gen` is failing");
    assert!(
        text.starts_with("Source `gen` is not working since"),
        "{text}"
    );
    assert!(text.contains("503"), "{text}");
    let (subject, text) = read(&mails[1].data);
    assert_eq!(subject, "jobhound: source `gen` works again");
    assert!(text.starts_with("Source `gen` works again"), "{text}");
}

/// A mail's subject and plain text.
fn read(data: &[u8]) -> (String, String) {
    let m = mail_parser::MessageParser::default()
        .parse(data)
        .expect("a MIME message");
    let text = m.body_text(0).expect("a text part").replace("\r\n", "\n");
    (m.subject().unwrap_or_default().to_string(), text)
}
