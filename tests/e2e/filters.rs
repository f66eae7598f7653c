//! Typed filters (`salary>=`, `workplace:`, `type:`, `posted`, `state:`)
//! end to end: the real binary fetches the remote boards' fixtures from
//! loopback servers, alerts with filters match at ingest exactly what
//! `search` finds for the same queries, each filter selects what the stored
//! fields say, and through the daemon's API `state:` follows the user's triage.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::server::FixtureServer;

/// Filter queries, and what each says of a stored posting (its JSON).
type Rule = fn(&Value) -> bool;
const FILTERS: &[(&str, Rule)] = &[
    ("salary>=100k", |p| {
        yearly(p).is_some_and(|(_, hi)| hi >= 100_000.0)
    }),
    ("salary<80k", |p| {
        yearly(p).is_some_and(|(lo, _)| lo < 80_000.0)
    }),
    ("-salary>=100k", |p| {
        !yearly(p).is_some_and(|(_, hi)| hi >= 100_000.0)
    }),
    ("workplace:remote", |p| p["workplace"] == "remote"),
    ("-workplace:remote", |p| p["workplace"] != "remote"),
    ("type:full-time", |p| p["employment_type"] == "full-time"),
    ("type:contract OR type:internship", |p| {
        p["employment_type"] == "contract" || p["employment_type"] == "internship"
    }),
    ("learning salary>=100k", |p| {
        text_has(p, "learning") && yearly(p).is_some_and(|(_, hi)| hi >= 100_000.0)
    }),
    ("-state:dismissed", |_| true),
    ("state:saved", |_| false),
];

/// A posting's pay per year, lowest and highest (the documented rule).
fn yearly(p: &Value) -> Option<(f64, f64)> {
    let s = &p["salary"];
    let (min, max) = (s["min"].as_f64(), s["max"].as_f64());
    let (lo, hi) = (min.or(max)?, max.or(min)?);
    let k = match s["period"].as_str() {
        Some("hour") => 2080.0,
        Some("day") => 260.0,
        Some("week") => 52.0,
        Some("month") => 12.0,
        Some("year") => 1.0,
        _ if hi >= 10_000.0 => 1.0,
        _ => return None,
    };
    Some((lo * k, hi * k))
}

/// Hours since the posting counts as posted: its date, or when first seen if
/// it has none or a later one.
fn age_hours(p: &Value) -> f64 {
    let at = |k: &str| {
        p[k].as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let first_seen = at("first_seen").expect("first_seen");
    let posted = at("posted_at").unwrap_or(first_seen).min(first_seen);
    (chrono::Utc::now() - posted).num_seconds() as f64 / 3_600.0
}

fn text_has(p: &Value, word: &str) -> bool {
    ["title", "company", "text"].iter().any(|f| {
        p[f].as_str()
            .unwrap_or_default()
            .to_lowercase()
            .contains(word)
    }) || p["tags"].to_string().to_lowercase().contains(word)
}

async fn ids(app: &TestApp, query: &str) -> BTreeSet<i64> {
    let run = app
        .run(&["search", "--format", "jsonl", "--limit", "500", "--", query])
        .await;
    assert_eq!(run.code, 0, "{query}: {run:?}");
    run.stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            v["id"].as_i64().expect("id")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_select_by_stored_fields_and_alerts_agree_with_search() {
    let servers = [
        ("remoteok", "/api", "ml-jobs.json"),
        ("remotive", "/api/remote-jobs", "ml-jobs.json"),
        ("jobicy", "/api/v2/remote-jobs?count=50", "ml-jobs.json"),
    ];
    let mut app = TestApp::new();
    let mut keep = Vec::new();
    for (kind, path, file) in servers {
        let server = FixtureServer::serve(kind).await;
        server.route(path, file);
        app = app.source(kind, kind, &server.base_url(), "");
        keep.push(server);
    }
    let himalayas = FixtureServer::serve("himalayas").await;
    himalayas
        .route("/jobs/api?offset=0&limit=20", "page-1.json")
        .route("/jobs/api?offset=20&limit=20", "page-2.json");
    app = app.source("himalayas", "himalayas", &himalayas.base_url(), "");
    // Feeds say little of workplace, contract or pay: the filters must leave them out.
    let feeds = FixtureServer::serve("feed").await;
    for f in ["rss1.rdf", "atom.xml", "wwr-programming.rss"] {
        app = app.feed(&f.replace('.', "-"), &feeds.url(f));
    }
    for (i, (query, _)) in FILTERS.iter().enumerate() {
        app = app.alert(&format!("f{i}"), query, &[]);
    }
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");

    let stored = app.stored().await;
    let total = stored.len();
    assert!(total > 35, "{total} stored");
    let db = app.db();
    for (i, (query, rule)) in FILTERS.iter().enumerate() {
        let want: BTreeSet<i64> = stored
            .iter()
            .filter(|p| rule(p))
            .map(|p| p["id"].as_i64().expect("id"))
            .collect();
        let found = ids(&app, query).await;
        assert_eq!(found, want, "{query}: search against the stored fields");
        let mut stmt = db
            .prepare("SELECT posting_id FROM matches WHERE alert = ?1")
            .expect("prepare");
        let matched: BTreeSet<i64> = stmt
            .query_map([format!("f{i}")], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(matched, found, "{query}: alert at ingest and search agree");
    }
    // The filters are not vacuous on this data.
    for query in [
        "salary>=100k",
        "salary<80k",
        "workplace:remote",
        "type:full-time",
    ] {
        let n = ids(&app, query).await.len();
        assert!(n > 0 && n < total, "{query} selects {n} of {total}");
    }

    // Ages move with the clock: cut where the stored postings' ages leave a
    // gap of hours, so that the cut splits them whatever the day.
    let mut ages: Vec<f64> = stored.iter().map(age_hours).collect();
    ages.sort_by(f64::total_cmp);
    let cut = ages
        .windows(2)
        .filter(|w| w[1] - w[0] > 4.0)
        .map(|w| ((w[0] + w[1]) / 2.0).round())
        .nth(1)
        .expect("postings of several ages");
    for (query, younger) in [
        (format!("posted<{cut}h"), true),
        (format!("-posted<{cut}h"), false),
        (format!("posted>{cut}h"), false),
    ] {
        let want: BTreeSet<i64> = stored
            .iter()
            .filter(|p| (age_hours(p) < cut) == younger)
            .map(|p| p["id"].as_i64().expect("id"))
            .collect();
        assert!(!want.is_empty() && want.len() < total, "{query}");
        assert_eq!(ids(&app, &query).await, want, "{query}");
    }

    let bad = app.run(&["search", "rust workplace:remot"]).await;
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr
            .contains("column 16: unknown workplace 'remot': expected remote, hybrid or on-site"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("               ^"), "{}", bad.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_filters_on_the_users_triage_state() {
    let items: Vec<Item> = (0..4)
        .map(|i| {
            Item::new(
                &format!("job-{i}"),
                &format!("Machine Learning Engineer {i}"),
            )
        })
        .collect();
    let feed = FeedServer::serve(&items).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .block("[server]\nlisten = \"127.0.0.1:0\"\n");
    let daemon = Daemon::start(&app, &[], "filters-state.log");
    let addr = daemon.api_addr().await;
    until(30, "the first fetch is stored", || {
        app.db_path().exists() && app.count("SELECT count(*) FROM postings") == 4
    })
    .await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let get = |q: &str| {
        let url = format!("http://{addr}/api/postings");
        let req = http.get(url).query(&[("q", q)]);
        async move {
            let r = req.send().await.expect("request");
            assert_eq!(r.status().as_u16(), 200);
            let page: Value = r.json().await.expect("json");
            page["postings"]
                .as_array()
                .expect("postings")
                .iter()
                .map(|p| p["id"].as_i64().expect("id"))
                .collect::<BTreeSet<i64>>()
        }
    };
    let all = get("machine").await;
    assert_eq!(all.len(), 4);
    let mut it = all.iter().copied();
    let (dismissed, saved) = (it.next().expect("one"), it.next().expect("two"));
    for (id, state) in [(dismissed, "dismissed"), (saved, "saved")] {
        let r = http
            .post(format!("http://{addr}/api/postings/{id}/state"))
            .json(&serde_json::json!({ "state": state }))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), 200);
    }
    let without: BTreeSet<i64> = all.iter().copied().filter(|&i| i != dismissed).collect();
    assert_eq!(get("-state:dismissed").await, without, "filters alone");
    assert_eq!(
        get("machine -state:dismissed").await,
        without,
        "beside words"
    );
    assert_eq!(get("state:dismissed").await, BTreeSet::from([dismissed]));
    assert_eq!(
        get("state:saved OR state:dismissed").await,
        BTreeSet::from([dismissed, saved])
    );
    assert_eq!(get("state:open -state:saved").await.len(), 3);
    let r = http
        .get(format!("http://{addr}/api/postings"))
        .query(&[("q", "state:maybe")])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 400);
    let body = r.text().await.expect("body");
    assert!(body.contains("unknown state 'maybe'"), "{body}");
    daemon.stop().await;
}
