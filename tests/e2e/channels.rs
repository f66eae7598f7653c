//! Webhook, Slack and Discord delivery against receivers that fail first
//! (500, 429 with Retry-After or Discord's retry_after, a dropped connection):
//! each match arrives exactly once, is recorded as sent, and every attempt of a
//! message carries one idempotency key. A 404 is a failure, listed with its
//! reason and retryable by hand. Many matches are batched within each
//! service's limits.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::{Hit, Reply, WebhookSink};

const ML: &str = r#"title:("machine learning" OR ML)"#;

fn jobs(n: usize) -> Vec<Item> {
    (0..n)
        .map(|i| Item::new(&format!("job-{i}"), &format!("ML Engineer {i}")))
        .collect()
}

fn app_with(feed: &FeedServer, notifiers: &[(&str, &str, &str)]) -> TestApp {
    let names: Vec<&str> = notifiers.iter().map(|(n, _, _)| *n).collect();
    let mut app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", ML, &names);
    for (name, kind, url) in notifiers {
        app = app.block(&format!(
            "[[notifier]]\nname = \"{name}\"\nkind = \"{kind}\"\nurl = \"{url}\"\n"
        ));
    }
    app
}

/// The gap between a 429 and the next attempt of the same message, in each case.
fn waits_after_429(hits: &[Hit]) -> Vec<Duration> {
    let mut out = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        if h.answered != 429 {
            continue;
        }
        if let Some(next) = hits[i + 1..]
            .iter()
            .find(|n| n.idempotency_key == h.idempotency_key)
        {
            out.push(next.at - h.at);
        }
    }
    out
}

/// Checks an HMAC-SHA256 `X-Jobhound-Signature` the way a receiver would.
fn signature_ok(h: &Hit, secret: &[u8]) -> bool {
    let Some(sig) = h.headers.get("x-jobhound-signature") else {
        return false;
    };
    let Some((t, v1)) = sig
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let Some(mac): Option<Vec<u8>> = (0..v1.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(v1.get(i..i + 2)?, 16).ok())
        .collect()
    else {
        return false;
    };
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(&h.raw);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    ring::hmac::verify(&key, &signed, &mac).is_ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn flaky_receivers_get_each_match_exactly_once() {
    let feed = FeedServer::serve(&jobs(3)).await;
    let none = Duration::ZERO;
    let hook = WebhookSink::with(
        &[Reply::Status(500), Reply::Reset, Reply::RetryAfter(1)],
        200,
        none,
    )
    .await;
    let slack = WebhookSink::with(
        &[Reply::Reset, Reply::Status(503), Reply::RetryAfter(1)],
        200,
        none,
    )
    .await;
    let discord = WebhookSink::with(
        &[Reply::DiscordLimit(1.0), Reply::Status(500), Reply::Reset],
        204,
        none,
    )
    .await;
    let app = app_with(
        &feed,
        &[("slack", "slack", &slack.url()), ("discord", "discord", &discord.url())],
    )
    .alert("ml-hook", ML, &["hook"])
    .block(&format!(
        "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"{}\"\nsecret = \"${{HOOK_SECRET}}\"\n",
        hook.url()
    ));
    let daemon = Daemon::start(&app, &[("HOOK_SECRET", "whsec_e2e")], "run.log");
    until(30, "every receiver confirmed", || {
        hook.delivered().len() == 3
            && slack.delivered().len() == 1
            && discord.delivered().len() == 1
    })
    .await;
    daemon.stop().await;

    // Webhook: one message per match; each confirmed once, under one key per match.
    let hits = hook.hits();
    let mut keys_by_title: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for h in &hits {
        let title = h.body["posting"]["title"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        keys_by_title
            .entry(title)
            .or_default()
            .insert(h.idempotency_key.clone());
    }
    assert_eq!(keys_by_title.len(), 3, "{keys_by_title:?}");
    assert!(
        keys_by_title.values().all(|k| k.len() == 1),
        "one key per match: {keys_by_title:?}"
    );
    let delivered: BTreeSet<String> = hook.titles().into_iter().collect();
    assert_eq!(delivered.len(), 3, "each match confirmed exactly once");
    assert_eq!(
        hits.iter().filter(|h| h.answered != 200).count(),
        3,
        "three failures, retried"
    );
    assert!(
        hits.iter().all(|h| signature_ok(h, b"whsec_e2e")),
        "every request is signed"
    );

    // Slack and Discord: the three matches share one message, retried under one key.
    for (sink, what) in [(&slack, "slack"), (&discord, "discord")] {
        let hits = sink.hits();
        assert_eq!(hits.len(), 4, "{what}: three failures then success");
        let keys: BTreeSet<_> = hits.iter().map(|h| h.idempotency_key.clone()).collect();
        assert_eq!(keys.len(), 1, "{what}: one message, one key");
        let waits = waits_after_429(&hits);
        assert_eq!(waits.len(), 1, "{what}: one 429, then a later attempt");
        for wait in waits {
            assert!(
                wait >= Duration::from_millis(950),
                "{what} waited only {wait:?} after a 429"
            );
        }
    }
    let text = slack.delivered()[0].body.to_string();
    for i in 0..3 {
        assert!(text.contains(&format!("ML Engineer {i}")), "{text}");
    }
    let embeds = discord.delivered()[0].body["embeds"]
        .as_array()
        .map(Vec::len);
    assert_eq!(embeds, Some(3));
    let waits = waits_after_429(&hits);
    assert_eq!(waits.len(), 1, "webhook: one 429, then a later attempt");
    for wait in waits {
        assert!(
            wait >= Duration::from_millis(950),
            "webhook waited only {wait:?} after a 429"
        );
    }
    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'"),
        9
    );
    assert_eq!(app.count("SELECT count(*) FROM deliveries"), 9);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_404_is_a_failure_listed_with_its_reason_and_retried_by_hand() {
    let feed = FeedServer::serve(&jobs(1)).await;
    let slack = WebhookSink::with(&[Reply::Status(404)], 200, Duration::ZERO).await;
    let app = app_with(&feed, &[("team", "slack", &slack.url())]);
    let run = app.run(&["fetch"]).await;
    assert!(run.stdout.contains("1 failed"), "{run:?}");
    assert!(slack.delivered().is_empty(), "a 404 is not a delivery");

    let list = app.run(&["notifications"]).await;
    assert_eq!(list.code, 0, "{list:?}");
    assert!(
        list.stdout.starts_with("0 pending, 0 sent, 1 failed"),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("reason: HTTP 404"), "{}", list.stdout);
    assert!(
        !list.stdout.contains("127.0.0.1"),
        "the URL is a secret: {}",
        list.stdout
    );
    let none = app.run(&["notifications", "--status", "sent"]).await;
    assert!(!none.stdout.contains("ML Engineer 0"), "{}", none.stdout);
    let unknown = app.run(&["notifications", "--notifier", "nope"]).await;
    assert_eq!(unknown.code, 5, "{unknown:?}");

    let retry = app
        .run(&["notifications", "retry", "--notifier", "team"])
        .await;
    assert!(
        retry.stdout.starts_with("1 failed delivery queued again"),
        "{retry:?}"
    );
    let run = app.run(&["fetch"]).await;
    assert!(run.stdout.contains("1 sent"), "{run:?}");
    let list = app.run(&["notifications", "--format", "json"]).await;
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(rows[0]["status"], "sent");
    assert_eq!(rows[0]["title"], "ML Engineer 0");
    let hits = slack.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(
        hits[0].idempotency_key, hits[1].idempotency_key,
        "the same message again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn many_matches_are_batched_within_each_services_limits() {
    let feed = FeedServer::serve(&jobs(25)).await;
    let slack = WebhookSink::start().await;
    let discord = WebhookSink::with(&[], 204, Duration::ZERO).await;
    let app = app_with(
        &feed,
        &[
            ("slack", "slack", &slack.url()),
            ("discord", "discord", &discord.url()),
        ],
    );
    let run = app.run(&["fetch"]).await;
    assert!(run.stdout.contains("deliveries: 50 sent"), "{run:?}");

    let slack_jobs: Vec<usize> = slack
        .delivered()
        .iter()
        .map(|h| {
            let blocks = h.body["blocks"].as_array().expect("blocks");
            assert!(blocks.len() <= 50, "Slack allows 50 blocks");
            for b in blocks {
                let t = b["text"]["text"].as_str().unwrap_or_default();
                assert!(t.chars().count() <= 3000);
            }
            blocks.iter().filter(|b| b["type"] == "section").count()
        })
        .collect();
    assert_eq!(slack_jobs, [20, 5]);

    let mut titles = BTreeSet::new();
    let discord_jobs: Vec<usize> = discord
        .delivered()
        .iter()
        .map(|h| {
            let embeds = h.body["embeds"].as_array().expect("embeds");
            assert!(embeds.len() <= 10, "Discord allows 10 embeds");
            let chars: usize = embeds
                .iter()
                .map(|e| {
                    titles.insert(e["title"].as_str().unwrap_or_default().to_string());
                    ["title", "description"]
                        .iter()
                        .map(|k| e[k].as_str().map_or(0, |s| s.chars().count()))
                        .sum::<usize>()
                        + e["footer"]["text"]
                            .as_str()
                            .map_or(0, |s| s.chars().count())
                })
                .sum();
            assert!(chars <= 6000, "Discord allows 6000 characters per message");
            embeds.len()
        })
        .collect();
    assert_eq!(discord_jobs, [10, 10, 5]);
    assert_eq!(titles.len(), 25, "each job once");
}
