//! Polite and patient with sources: a failed source is retried after the
//! backoff rather than at its next cron slot, a `Retry-After` is honoured,
//! and permanent answers (401, 403, 404, 410) wait `retry_max` and are
//! flagged by `jobhound sources`.

use chrono::{DateTime, Utc};

use crate::net::Peer;
use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{Item, rss};

/// The `next due:` time `jobhound sources` prints for the only source.
fn next_due(stdout: &str) -> DateTime<Utc> {
    let line = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("next due:"))
        .unwrap_or_else(|| panic!("no next due in\n{stdout}"));
    let when = line.trim().split(' ').next().unwrap_or_default();
    DateTime::parse_from_rfc3339(when)
        .unwrap_or_else(|e| panic!("{when}: {e}"))
        .with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_on_a_source_is_honoured() {
    let peer = Peer::start().await;
    peer.set("/busy", 503, &[("retry-after", "7200".into())], "");
    peer.set(
        "/limited",
        429,
        &[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT".into())],
        "",
    );
    for (path, at_least, at_most) in [("/busy", 7_100, 7_300), ("/limited", 21_500, 21_700)] {
        let app = TestApp::new()
            .scheduler("jitter = \"0s\"\nretry_base = \"1m\"\nretry_max = \"6h\"")
            .feed("src", &format!("{}{path}", peer.base()));
        let started = Utc::now();
        let run = app.run(&["fetch"]).await;
        assert_eq!(run.code, 4, "{run:?}");
        let shown = app.run(&["sources"]).await;
        let wait = (next_due(&shown.stdout) - started).num_seconds();
        assert!(
            (at_least..=at_most).contains(&wait),
            "{path}: next attempt in {wait}s, not after the Retry-After (clamped to retry_max):\n{}",
            shown.stdout
        );
        assert!(!shown.stdout.contains("permanent"), "{}", shown.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn permanent_answers_wait_retry_max_and_are_flagged() {
    let peer = Peer::start().await;
    for (status, permanent) in [(404, true), (410, true), (403, true), (500, false)] {
        let path = format!("/answer/{status}");
        peer.set(&path, status, &[], "");
        let app = TestApp::new()
            .scheduler("jitter = \"0s\"\nretry_base = \"1m\"\nretry_max = \"6h\"")
            .block(&format!(
                "[[source]]\nname = \"src\"\nkind = \"feed\"\nurl = \"{}{path}\"\nschedule = \"*/5 * * * *\"\n",
                peer.base()
            ));
        let started = Utc::now();
        app.run(&["fetch"]).await;
        let shown = app.run(&["sources"]).await;
        let flagged = shown.stdout.contains(&format!("permanent: HTTP {status}"));
        assert_eq!(flagged, permanent, "{status}:\n{}", shown.stdout);
        let json = app.run(&["sources", "--format", "json"]).await;
        let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
        assert_eq!(doc[0]["permanent"], permanent, "{status}: {doc}");
        assert_eq!(doc[0]["failed_status"], status, "{status}: {doc}");
        let wait = (next_due(&shown.stdout) - started).num_seconds();
        if permanent {
            assert!(
                (21_500..=21_700).contains(&wait),
                "{status}: retried after retry_max, not every 5 minutes: {wait}s"
            );
        } else {
            assert!(
                wait <= 120,
                "{status}: a transient failure retries soon: {wait}s"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daily_source_that_failed_is_retried_after_the_backoff() {
    // Answers 503 to the first attempt, then the feed.
    let proxy = Peer::start().await;
    proxy.set("/feed.xml", 503, &[], "");
    let app = TestApp::new()
        .scheduler("jitter = \"0s\"\nretry_base = \"1s\"\nretry_max = \"1h\"")
        .block(&format!(
            "[[source]]\nname = \"daily\"\nkind = \"feed\"\nurl = \"{}/feed.xml\"\nschedule = \"0 3 * * *\"\n",
            proxy.base()
        ));
    let daemon = Daemon::start(&app, &[], "daemon.log");
    until(20, "the first attempt fails", || {
        proxy.seen().iter().any(|r| r.path == "/feed.xml")
    })
    .await;
    let body = rss(&[Item::new("job-1", "Rust Engineer at Acme")]);
    proxy.set(
        "/feed.xml",
        200,
        &[("content-type", "application/rss+xml".into())],
        &body,
    );
    until(20, "the retry after retry_base stores the posting", || {
        app.count("SELECT count(*) FROM postings") == 1
    })
    .await;
    daemon.stop().await;
}
