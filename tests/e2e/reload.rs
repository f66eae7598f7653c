//! SIGHUP reloads the config of a running daemon: a new source is fetched at
//! once and a new alert matches it and goes to a new notifier, a removed
//! source is no longer fetched, a changed URL is used from the next pass; an
//! invalid config is logged with every problem and the running one stays.

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

/// Failing sources are retried every second: they show the scheduler at work.
const FAST_RETRY: &str =
    "notify_first_fetch = true\njitter = \"0s\"\nretry_base = \"1s\"\nretry_max = \"1s\"";

#[tokio::test(flavor = "multi_thread")]
async fn sighup_applies_a_good_config_and_keeps_the_old_one_over_a_bad_one() {
    let server = FixtureServer::serve("feed").await;
    let hook = WebhookSink::start().await;
    let added = WebhookSink::start().await;
    let base = |clock: &str| {
        TestApp::new()
            .scheduler(FAST_RETRY)
            .feed("clock", &server.path(clock))
            .webhook("hook", &hook.url())
    };
    let app = base("/status/503").feed("old", &server.path("/status/500"));
    let mut daemon = Daemon::start(&app, &[], "reload.log");
    until(30, "the old source is fetched twice", || {
        server.seen("/status/500").len() >= 2
    })
    .await;
    assert!(server.seen("wwr-programming.rss").is_empty());

    // The edited config: `old` removed; `wwr`, an alert on it and a notifier
    // for that added; `clock` moved to another URL.
    let edited = base("/status/502")
        .feed("wwr", &server.url("wwr-programming.rss"))
        .alert("ml", r#"title:("machine learning")"#, &["added"])
        .webhook("added", &added.url());
    app.rewrite(&edited);
    daemon.send("HUP");
    until(30, "the reload is logged", || {
        daemon.log().contains("config reloaded")
    })
    .await;
    let old_at_reload = server.seen("/status/500").len();
    until(
        30,
        "the new source's match reaches the new notifier",
        || !added.delivered().is_empty(),
    )
    .await;
    assert_eq!(added.titles(), ["Machine Learning Engineer"]);
    assert!(hook.delivered().is_empty());
    assert_eq!(
        server.seen("wwr-programming.rss").len(),
        1,
        "fetched at once, once"
    );
    until(
        30,
        "the kept source is fetched three times at its new URL",
        || server.seen("/status/502").len() >= 3,
    )
    .await;
    assert!(
        server.seen("/status/500").len() <= old_at_reload + 1,
        "the removed source is fetched no more (one pass may have been under way)"
    );

    // A broken edit: every problem is logged, the running config stays.
    app.rewrite_text(&format!(
        "{}\n[[source]]\nname = \"bad\"\nkind = \"feed\"\nurl = \"{}\"\nschedule = \"61 * * * *\"\n\
         [[alert]]\nname = \"lost\"\nquery = \"rust\"\nnotifiers = [\"nowhere\"]\n",
        edited.text(),
        server.path("/status/404"),
    ));
    daemon.send("HUP");
    until(30, "the invalid config is logged", || {
        daemon.log().contains("the reloaded config is invalid")
    })
    .await;
    let log = daemon.log();
    for want in [
        "source[2].schedule: `61 * * * *` is not a cron expression",
        "alert[1].notifiers[0]: no [[notifier]] is named `nowhere`",
        "the running config stays in force",
    ] {
        assert!(log.contains(want), "want {want}\n{log}");
    }
    let clock = server.seen("/status/502").len();
    until(30, "the daemon goes on fetching", || {
        server.seen("/status/502").len() >= clock + 2
    })
    .await;
    assert!(daemon.running());
    assert!(
        server.seen("/status/404").is_empty(),
        "the bad config was not applied"
    );
    assert!(
        server.seen("/status/500").len() <= old_at_reload + 1,
        "nor the one before the good edit"
    );
    daemon.stop().await;
}
