//! A large feed (over the size that is parsed in batches) goes through the
//! batched path whole: every item stored, matches in any batch delivered, and
//! a second poll finds everything unchanged.

use crate::support::app::TestApp;
use crate::support::feed::{FeedServer, Item, rss};
use crate::support::sink::WebhookSink;

#[tokio::test(flavor = "multi_thread")]
async fn a_large_feed_is_stored_whole_in_batches() {
    let items: Vec<Item> = (0..2_500)
        .map(|i| {
            let title = if i == 2_400 {
                "Machine Learning Engineer at Acme".to_string()
            } else {
                format!("Accountant {i} at Acme")
            };
            Item::new(&format!("job-{i}"), &title)
        })
        .collect();
    assert!(rss(&items).len() > 256 * 1024, "large enough to be batched");
    let feed = FeedServer::serve(&items).await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .feed("big", &feed.url())
        .alert("ml", r#"title:"machine learning""#, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.line("big").contains("2500 new"), "{}", run.stdout);
    assert_eq!(app.count("SELECT count(*) FROM postings"), 2_500);
    assert_eq!(
        hook.titles(),
        ["Machine Learning Engineer"],
        "the match in the last batch is delivered"
    );
    let again = app.run(&["fetch"]).await;
    assert!(
        again.line("big").contains("2500 unchanged"),
        "{}",
        again.stdout
    );
}
