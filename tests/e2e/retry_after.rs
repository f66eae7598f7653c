//! A receiver's wait is its wish, not an order: `Retry-After: 9000000000000`
//! (or Discord's `retry_after` of 1e300 seconds) is held to `[delivery]
//! retry_max`, and neither panics the delivery loop nor parks the message.

use std::time::Duration;

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::{Reply, WebhookSink};

#[tokio::test(flavor = "multi_thread")]
async fn an_absurd_retry_after_is_clamped_to_retry_max_and_the_message_still_goes_out() {
    let feed = FeedServer::serve(&[Item::new("job-1", "ML Engineer")]).await;
    let hook =
        WebhookSink::with(&[Reply::RetryAfter(9_000_000_000_000)], 200, Duration::ZERO).await;
    let discord = WebhookSink::with(&[Reply::DiscordLimit(1e300)], 200, Duration::ZERO).await;
    let app = TestApp::new()
        .delivery("retry_base = \"0s\"\nretry_max = \"1s\"")
        .feed("gen", &feed.url())
        .alert("ml", "title:ML", &["hook", "discord"])
        .webhook("hook", &hook.url())
        .block(&format!(
            "[[notifier]]\nname = \"discord\"\nkind = \"discord\"\nurl = \"{}\"\n",
            discord.url()
        ));
    let d = Daemon::start(&app, &[], "run.log");
    until(30, "both receivers confirm after their 429", || {
        !hook.delivered().is_empty() && !discord.delivered().is_empty()
    })
    .await;
    d.stop().await;
    let log = std::fs::read_to_string(app.db_path().with_file_name("run.log")).expect("log");
    assert!(!log.contains("panicked"), "{log}");
    for sink in [&hook, &discord] {
        let hits = sink.hits();
        assert_eq!(hits.len(), 2, "one 429, then the retry");
        assert_eq!(hits[0].answered, 429);
        assert_eq!(hits[0].idempotency_key, hits[1].idempotency_key);
        // retry_max 1 s plus at most a quarter as jitter, rounded up to whole seconds.
        let waited = hits[1].at - hits[0].at;
        assert!(waited < Duration::from_secs(4), "{waited:?}");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM messages WHERE status = 'sent'"),
        2
    );
}
