//! Webhook delivery: each match once, a failed delivery retried on a later
//! pass, and nothing repeated across restarts.

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

const ML: &str = r#"title:("machine learning" OR ML OR "deep learning" OR MLOps)"#;

#[tokio::test(flavor = "multi_thread")]
async fn each_match_reaches_the_webhook_exactly_once_across_runs() {
    let server = FixtureServer::serve("feed").await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .feed("wwr", &server.url("wwr-programming.rss"))
        .feed("acme", &server.url("rss2-cdata-entities.rss"))
        .feed("quanta", &server.url("jsonfeed.json"))
        .alert("ml", ML, &["hook"])
        .webhook("hook", &hook.url());
    for _ in 0..3 {
        let run = app.run(&["fetch"]).await;
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert_eq!(
        hook.titles(),
        [
            "Deep Learning Researcher",
            "ML Platform Engineer",
            "Machine Learning Engineer"
        ]
    );
    let first = &hook.delivered()[0];
    assert_eq!(first.body["alert"], "ml");
    assert!(
        first
            .idempotency_key
            .as_deref()
            .is_some_and(|k| k.starts_with("jobhound-"))
    );
    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'"),
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receiver_that_fails_first_gets_the_match_on_a_later_pass() {
    let server = FixtureServer::serve("feed").await;
    let hook = WebhookSink::scripted(&[500, 503]).await;
    let app = TestApp::new()
        .feed("wwr", &server.url("wwr-programming.rss"))
        .alert("ml", ML, &["hook"])
        .webhook("hook", &hook.url());
    let first = app.run(&["fetch"]).await;
    assert!(first.stdout.contains("1 to retry"), "{first:?}");
    assert!(hook.delivered().is_empty());
    app.run(&["fetch"]).await;
    app.run(&["fetch"]).await;
    let hits = hook.hits();
    let answered: Vec<u16> = hits.iter().map(|h| h.answered).collect();
    assert_eq!(
        answered,
        [500, 503, 200],
        "retried until confirmed, then never again"
    );
    assert!(
        hits.windows(2)
            .all(|w| w[0].idempotency_key == w[1].idempotency_key),
        "every attempt carries the same idempotency key"
    );
    app.run(&["fetch"]).await;
    assert_eq!(hook.hits().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_404_from_the_receiver_is_a_failure_not_a_delivery() {
    let server = FixtureServer::serve("feed").await;
    let hook = WebhookSink::scripted(&[404]).await;
    let app = TestApp::new()
        .feed("wwr", &server.url("wwr-programming.rss"))
        .alert("ml", ML, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert!(run.stdout.contains("1 failed"), "{run:?}");
    let (status, error): (String, String) = app
        .db()
        .query_row("SELECT status, last_error FROM deliveries", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("delivery row");
    assert_eq!(status, "failed");
    assert!(
        error.contains("HTTP 404") && !error.contains("127.0.0.1"),
        "recorded without the secret URL: {error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_source_records_its_backlog_without_notifying() {
    let server = FixtureServer::serve("feed").await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .scheduler("jitter = \"0s\"")
        .feed("wwr", &server.url("wwr-programming.rss"))
        .alert("ml", ML, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert!(
        run.stdout.contains("first fetch: recorded, not notified"),
        "{run:?}"
    );
    app.run(&["fetch"]).await;
    assert!(
        hook.hits().is_empty(),
        "the first fetch's matches are never sent later either"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM matches WHERE notified = 0"),
        1
    );
}
