//! A large feed (over the size that is parsed in batches) goes through the
//! batched path whole: every item stored, matches in any batch delivered, and
//! a second poll finds everything unchanged. One that breaks off after some
//! batches were written is taken back whole, and leaves the fetches written
//! beside it as they are.

use std::time::Duration;

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

/// The small feeds of the test below: one job each, answered 10 ms apart,
/// so the writer's group stays open from the first to the last.
const SMALL: usize = 40;

#[tokio::test(flavor = "multi_thread")]
async fn a_large_feed_broken_midway_is_taken_back_and_the_other_feeds_stay_searchable() {
    let items: Vec<Item> = (0..2_500)
        .map(|i| {
            Item::new(
                &format!("big-{i}"),
                &format!("Machine Learning Accountant {i}"),
            )
        })
        .collect();
    // Well-formed, so it is read in batches; a reference to no character in
    // a late item fails its batch after the batches before it were written.
    let broken = rss(&items).replace(
        "<title>Machine Learning Accountant 2200</title>",
        "<title>Machine Learning Accountant 2200 &#xD800;</title>",
    );
    assert!(
        broken.contains("&#xD800;"),
        "the item to break is in the feed"
    );
    let big = FeedServer::serve(&[]).await;
    big.set_document(broken);
    // Arrives while the small feeds' fetches are still coming in.
    big.delay(Duration::from_millis(150));
    let small = small_feeds().await;
    let mut app = TestApp::new().feed("big", &big.url());
    for (i, feed) in small.iter().enumerate() {
        app = app.feed(&format!("small-{i}"), &feed.url());
    }

    let run = app.run(&["fetch"]).await;

    run.assert_failed("big", "invalid character reference");
    for i in 0..SMALL {
        assert!(
            run.line(&format!("small-{i}")).contains("1 new"),
            "{}",
            run.stdout
        );
    }
    let stored = usize::try_from(app.count("SELECT count(*) FROM postings")).expect("a count");
    assert_eq!(stored, SMALL, "nothing of the big feed is kept");
    let mut want: Vec<String> = (0..SMALL)
        .map(|i| format!("Machine Learning Engineer {i}"))
        .collect();
    want.sort();
    assert_eq!(
        app.titles(r#"title:"machine learning""#).await,
        want,
        "every other feed's postings are in the search index"
    );
}

/// One-job feeds, the `i`th answering after `i` × 10 ms.
async fn small_feeds() -> Vec<FeedServer> {
    let mut feeds = Vec::new();
    for i in 0..SMALL {
        let item = Item::new(
            &format!("small-{i}"),
            &format!("Machine Learning Engineer {i}"),
        );
        let feed = FeedServer::serve(&[item]).await;
        feed.delay(Duration::from_millis(10 * i as u64));
        feeds.push(feed);
    }
    feeds
}
