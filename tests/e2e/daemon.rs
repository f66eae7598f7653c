//! `jobhound run`: fetches on start, delivers, and stops cleanly on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_daemon_cleanly_with_the_database_intact() {
    let server = FixtureServer::serve("feed").await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .feed("wwr", &server.url("wwr-programming.rss"))
        .feed("hung", &server.path("/hang"))
        .alert("ml", r#"title:("machine learning")"#, &["hook"])
        .webhook("hook", &hook.url());
    let mut child = app
        .command(&["run"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn daemon");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    // Wait until the daemon has delivered the match (it fetches new sources at start).
    tokio::time::timeout(Duration::from_secs(30), async {
        while hook.delivered().is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the match is delivered while the daemon runs");
    let pid = child.id().expect("pid").to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = tokio::time::timeout(Duration::from_secs(15), child.wait())
        .await
        .expect("exits within seconds of SIGTERM")
        .expect("wait");
    assert_eq!(status.code(), Some(0));
    let mut log = String::new();
    while let Ok(Some(l)) = lines.next_line().await {
        log.push_str(&l);
        log.push('\n');
    }
    assert!(log.contains("stopped"), "{log}");
    let db = app.db();
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(ok, "ok");
    assert_eq!(app.count("SELECT count(*) FROM postings"), 2);
    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'"),
        1
    );
    assert_eq!(hook.delivered().len(), 1);
}
