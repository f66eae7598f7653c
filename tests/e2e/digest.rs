//! A digest driven by a controllable clock: the deliverer runs in-process
//! against a real SQLite file, a real feed server and a real SMTP server, and
//! each pass is given its `now`. An empty period sends nothing; two alerts'
//! matches land in one message, grouped, capped per alert with how to see the
//! rest, the alerts' words marked; a digest missed while "down" goes out once
//! when the clock comes back.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use jobhound::config::Config;
use jobhound::http::Http;
use jobhound::notify::Deliverer;
use jobhound::pipeline::{Outcome, Pipeline};
use jobhound::store::Store;

use crate::email::{HOSTILE, parts};
use crate::support::feed::{FeedServer, Item};
use crate::support::smtp::SmtpSink;

/// A time on Berlin's wall clock, December 2026 (Monday the 7th to Friday the 11th).
fn berlin(day: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 12, day, h, m, s)
        .single()
        .expect("a Berlin time")
        .with_timezone(&Utc)
}

struct Rig {
    pipeline: Pipeline,
    deliverer: Deliverer,
    config: Config,
    store: Arc<Mutex<Store>>,
}

impl Rig {
    /// `extra`: more keys for the digest notifier.
    fn new(dir: &Path, feed: &FeedServer, smtp: &SmtpSink, extra: &str) -> Rig {
        let text = format!(
            r#"
[database]
path = "{db}"
[scheduler]
notify_first_fetch = true
[delivery]
retry_base = "0s"
[[source]]
name = "gen"
kind = "feed"
url = "{feed}"
[[alert]]
name = "ml"
query = 'title:("machine learning" OR ML)'
notifiers = ["daily"]
[[alert]]
name = "research"
query = "title:research"
notifiers = ["daily"]
[[notifier]]
name = "daily"
kind = "email"
smtp_url = "{smtp}"
from = "jobhound <jobhound@example.com>"
to = ["me@example.com"]
schedule = "0 8 * * *"
timezone = "Europe/Berlin"
{extra}
"#,
            db = dir.join("jobhound.db").display(),
            feed = feed.url(),
            smtp = smtp.url(),
        );
        let config = Config::parse(&text, &dir.join("jobhound.toml"), &|_| None).expect("config");
        let store = Arc::new(Mutex::new(
            Store::open(&config.database.path).expect("database"),
        ));
        let http = Http::new(&config.http).expect("client");
        Rig {
            pipeline: Pipeline::new(
                &config,
                http.clone(),
                store.clone(),
                tokio::runtime::Handle::current(),
            )
            .expect("pipeline"),
            deliverer: Deliverer::new(&config, http, store.clone()),
            config,
            store,
        }
    }

    async fn fetch(&self) -> usize {
        let report = self.pipeline.run(&self.config.sources[0]).await;
        match report.outcome {
            Outcome::Stored { matched, .. } => matched,
            other => panic!("fetch: {other:?}"),
        }
    }

    async fn pass(&self, now: DateTime<Utc>) -> usize {
        self.deliverer.deliver_due(now).await.expect("outbox").sent
    }

    fn pending(&self) -> i64 {
        let s = self.store.lock().expect("lock");
        s.outbox_counts(None).expect("counts").pending as i64
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_digest_follows_its_clock_and_groups_alerts_in_one_mail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let feed = FeedServer::serve(&[]).await;
    let smtp = SmtpSink::start();
    let rig = Rig::new(dir.path(), &feed, &smtp, "digest_max_per_alert = 2");
    assert_eq!(rig.fetch().await, 0);

    // Monday 07:00: the notifier's clock starts; nothing is due.
    rig.pass(berlin(7, 7, 0, 0)).await;
    // Monday 08:00: the first digest time, but nothing is new: nothing is sent.
    rig.pass(berlin(7, 8, 0, 30)).await;
    assert!(smtp.mails().is_empty(), "an empty period sends nothing");

    feed.set(&[
        Item::new("d", HOSTILE),
        Item::new("a", "Machine Learning Engineer"),
        Item::new("b", "Research Scientist"),
        Item::new("c", "ML Research Engineer"),
        Item::new("e", "Office Manager"),
    ]);
    assert_eq!(rig.fetch().await, 5, "a, c, d for ml; b, c for research");
    rig.pass(berlin(7, 12, 0, 0)).await;
    assert!(smtp.mails().is_empty(), "matches wait for the digest");
    assert_eq!(rig.pending(), 5);

    // Tuesday 08:00: one mail with both alerts' matches.
    assert_eq!(rig.pass(berlin(8, 8, 0, 5)).await, 5);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "two alerts, one message");
    let (subject, text, html, id) = parts(&mails[0]);
    assert_eq!(subject, "5 new ML and research jobs");
    assert!(
        id.starts_with("jobhound-m") && id.ends_with("@example.com"),
        "{id}"
    );
    assert!(
        text.starts_with("jobhound digest for 2026-12-08 08:00 Europe/Berlin: 5 new jobs"),
        "{text}"
    );
    // Grouped by alert, at most two each (`digest_max_per_alert`), the rest
    // told how to find; the alert's words marked.
    let ml = text.find("== ml · newest 2 of 3 ==").expect("the ml group");
    let research = text
        .find("== research · 2 new jobs ==")
        .expect("the research group");
    assert!(ml < research, "{text}");
    let ml_part = &text[ml..research];
    assert!(
        ml_part.contains("* *Machine Learning* Engineer\n"),
        "{text}"
    );
    assert!(
        ml_part.contains("…and 1 more: run `jobhound search 'title:(\"machine learning\" OR ML)'`"),
        "{text}"
    );
    let research_part = &text[research..];
    assert!(research_part.contains("* *Research* Scientist\n"), "{text}");
    assert!(
        research_part.contains("* ML *Research* Engineer\n"),
        "{text}"
    );
    assert!(
        !research_part.contains("Machine Learning Engineer"),
        "{text}"
    );
    // Each job with its facts: its age at the digest's time, its snippet and link.
    assert!(
        text.contains(
            "  2 weeks ago\n  About a: build and ship models.\n  https://jobs.example/a\n"
        ),
        "{text}"
    );
    // The HTML says the same, with nothing raw from the feed in it.
    assert!(
        !html.contains("<script>") && html.contains("&lt;script&gt;"),
        "{html}"
    );
    assert!(html.contains(">research · 2 new jobs</td>"), "{html}");
    assert!(!ml_part.contains("About c"), "c is past the ml cap: {text}");
    assert!(html.contains("…and 1 more: run <code"), "{html}");
    assert!(
        html.contains(
            "<span class=\"jh-mark\" style=\"background:#fde68a;color:#1d2330\">Research</span>"
        ),
        "{html}"
    );

    // Nothing new later on Tuesday.
    assert_eq!(rig.pass(berlin(8, 9, 0, 0)).await, 0);
    assert_eq!(smtp.mails().len(), 1);

    // A job arrives; the daemon is "down" from Tuesday to Friday 10:00, missing
    // three digest times: one digest goes out when it is back, once.
    feed.set(&[Item::new("f", "Senior ML Engineer")]);
    assert_eq!(rig.fetch().await, 1);
    assert_eq!(rig.pass(berlin(11, 10, 0, 0)).await, 1);
    assert_eq!(rig.pass(berlin(11, 10, 0, 1)).await, 0);
    assert_eq!(rig.pass(berlin(11, 10, 30, 0)).await, 0);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2, "the missed digests make one mail");
    let (subject, text, _, second_id) = parts(&mails[1]);
    assert_eq!(subject, "New ML job: Senior ML Engineer");
    assert!(text.contains("* Senior *ML* Engineer"), "{text}");
    assert_ne!(second_id, id);
    assert_eq!(rig.pending(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_big_digest_is_one_mail_showing_the_newest_25_per_alert() {
    let dir = tempfile::tempdir().expect("tempdir");
    let items: Vec<Item> = (0..230)
        .map(|i| Item::new(&format!("j{i}"), &format!("ML Engineer {i}")))
        .collect();
    let feed = FeedServer::serve(&items).await;
    let smtp = SmtpSink::start();
    let rig = Rig::new(dir.path(), &feed, &smtp, "");
    rig.pass(berlin(7, 7, 0, 0)).await;
    assert_eq!(rig.fetch().await, 230);
    assert_eq!(
        rig.pass(berlin(8, 8, 0, 0)).await,
        230,
        "every match settled"
    );
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "one digest, one mail");
    let (subject, text, html, _) = parts(&mails[0]);
    assert_eq!(subject, "230 new ML jobs");
    assert!(text.contains("== ml · newest 25 of 230 =="), "{text}");
    assert_eq!(text.matches("\n* ").count(), 25, "{text}");
    assert!(
        text.contains("…and 205 more: run `jobhound search 'title:(\"machine learning\" OR ML)'`"),
        "{text}"
    );
    assert_eq!(html.matches("class=\"jh-card\"").count(), 25);
    assert!(html.len() < 100 * 1024, "{} bytes", html.len());
}
