//! Crash safety: the daemon is killed (SIGKILL) twice while deliveries are
//! pending and a message is in flight, and restarted each time. Every match is
//! delivered; none is lost; a receiver sees a second delivery only under the
//! same idempotency key as the first.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::{Hit, WebhookSink};

const JOBS: usize = 30;

/// Job titles a hit carries (a webhook match, or a Slack batch's sections).
fn titles(h: &Hit) -> Vec<String> {
    if let Some(t) = h.body["posting"]["title"].as_str() {
        return vec![t.to_string()];
    }
    h.body["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "section")
        .filter_map(|b| b["text"]["text"].as_str())
        .filter_map(|t| t.split('|').nth(1)?.split(">*").next().map(String::from))
        .collect()
}

/// (attempts seen, messages confirmed, repeats seen) for one receiver, after
/// checking that each job arrived under one key only and was confirmed.
fn figures(what: &str, sink: &WebhookSink) -> (usize, usize, usize) {
    let hits = sink.hits();
    let mut keys_of_job: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for h in &hits {
        let key = h.idempotency_key.clone().expect("every request has a key");
        for t in titles(h) {
            keys_of_job.entry(t).or_default().insert(key.clone());
        }
    }
    assert_eq!(
        keys_of_job.len(),
        JOBS,
        "{what}: every job reached the receiver"
    );
    for (job, keys) in &keys_of_job {
        assert_eq!(
            keys.len(),
            1,
            "{what}: {job} arrived under two keys: {keys:?}"
        );
    }
    let confirmed: BTreeSet<String> = sink
        .delivered()
        .iter()
        .filter_map(|h| h.idempotency_key.clone())
        .collect();
    let distinct: BTreeSet<&String> = hits
        .iter()
        .filter_map(|h| h.idempotency_key.as_ref())
        .collect();
    assert_eq!(
        confirmed.len(),
        distinct.len(),
        "{what}: every message confirmed"
    );
    (hits.len(), confirmed.len(), hits.len() - distinct.len())
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_twice_mid_delivery_nothing_is_lost_or_repeated_under_a_new_key() {
    let items: Vec<Item> = (0..JOBS)
        .map(|i| Item::new(&format!("job-{i}"), &format!("ML Engineer {i:02}")))
        .collect();
    let feed = FeedServer::serve(&items).await;
    // Slow receivers, so that a kill lands while a request is in flight.
    let slack = WebhookSink::with(&[], 200, Duration::from_millis(400)).await;
    let hook = WebhookSink::with(&[], 200, Duration::from_millis(100)).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", "title:ML", &["slack", "hook"])
        .block(&format!(
            "[[notifier]]\nname = \"slack\"\nkind = \"slack\"\nurl = \"{}\"\n",
            slack.url()
        ))
        .webhook("hook", &hook.url());

    // Run 1: killed while Slack's first message (20 jobs) is in flight.
    let mut d = Daemon::start(&app, &[], "run1.log");
    until(30, "Slack's first request", || !slack.hits().is_empty()).await;
    assert_eq!(d.signal("KILL").await, None, "killed by the signal");
    let pending_1 = app.count("SELECT count(*) FROM deliveries WHERE status = 'pending'");
    assert_eq!(pending_1, 2 * JOBS as i64, "nothing was confirmed yet");

    // Run 2: killed while the tenth webhook is in flight.
    let mut d = Daemon::start(&app, &[], "run2.log");
    until(30, "ten webhook requests", || hook.hits().len() >= 10).await;
    assert_eq!(d.signal("KILL").await, None);
    let pending_2 = app.count("SELECT count(*) FROM deliveries WHERE status = 'pending'");
    assert!(
        pending_2 > 0 && pending_2 < pending_1,
        "{pending_2} still pending"
    );

    // Run 3: everything left goes out; the messages in flight at a kill once
    // their claims run out (the receivers' 200 to those never reached jobhound).
    let d = Daemon::start(&app, &[], "run3.log");
    until(60, "every message confirmed", || {
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'") == 2 * JOBS as i64
    })
    .await;
    d.stop().await;

    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'"),
        2 * JOBS as i64,
        "every match delivered and recorded"
    );
    let (slack_attempts, slack_sent, slack_repeats) = figures("slack", &slack);
    let (hook_attempts, hook_sent, hook_repeats) = figures("webhook", &hook);
    assert_eq!((slack_sent, hook_sent), (2, JOBS));
    assert!(
        slack_repeats >= 1,
        "the message in flight at the first kill was sent again"
    );
    println!(
        "crash figures: {} matches x 2 notifiers; slack: {slack_attempts} requests, {slack_sent} messages \
         confirmed, {slack_repeats} repeated under the same key; webhook: {hook_attempts} requests, \
         {hook_sent} confirmed, {hook_repeats} repeated under the same key; repeats under a new key: 0",
        JOBS
    );
}
