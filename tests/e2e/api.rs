//! The HTTP API of `jobhound run` (`[server]`), through the real daemon on
//! 127.0.0.1: paging while jobs arrive, triage state, the Atom feed read by
//! a feed library (and newsboat when installed), Prometheus metrics, the
//! health check, the token, and the config rule for non-loopback addresses.

use std::net::SocketAddr;

use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;

fn items(range: std::ops::Range<usize>) -> Vec<Item> {
    range
        .map(|i| {
            Item::new(
                &format!("job-{i:02}"),
                &format!("Machine Learning Engineer {i:02}"),
            )
        })
        .collect()
}

/// A daemon with one feed of `n` jobs, an alert on it, and the API on port 0.
async fn start(
    n: usize,
    server: &str,
    env: &[(&str, &str)],
    log: &str,
) -> (TestApp, FeedServer, Daemon, SocketAddr) {
    let feed = FeedServer::serve(&items(0..n)).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", r#"title:("machine learning")"#, &[])
        .block(&format!("[server]\nlisten = \"127.0.0.1:0\"\n{server}\n"));
    let daemon = Daemon::start(&app, env, log);
    let addr = daemon.api_addr().await;
    // The daemon fetches a new source at start.
    until(30, "the first fetch is stored", || {
        app.db_path().exists() && count(&app, "SELECT count(*) FROM postings") == n as i64
    })
    .await;
    (app, feed, daemon, addr)
}

fn count(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(app.db_path())
        .and_then(|db| db.query_row(sql, [], |r| r.get(0)))
        .unwrap_or(-1)
}

fn client() -> reqwest::Client {
    // reqwest is built without a TLS provider of its own (plain HTTP here).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

async fn get(addr: SocketAddr, path: &str) -> (u16, Value) {
    let r = client()
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(page: &Value) -> Vec<i64> {
    page["postings"]
        .as_array()
        .expect("postings")
        .iter()
        .map(|p| p["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_stay_whole_while_jobs_arrive_between_them() {
    let (app, feed, daemon, addr) = start(7, "", &[], "api-pages.log").await;
    let (status, all) = get(addr, "/api/postings?limit=100").await;
    assert_eq!(status, 200, "{all}");
    let want = ids(&all);
    assert_eq!(want.len(), 7);
    assert!(all["next_cursor"].is_null(), "one page holds all: {all}");
    // The same objects as `jobhound search --format json`.
    let cli = app
        .run(&["search", "--format", "json", "--limit", "100"])
        .await;
    let cli: Value = serde_json::from_str(&cli.stdout).expect("search json");
    assert_eq!(
        cli, all["postings"],
        "the API and the CLI show the same postings"
    );

    // Through both search paths: the date order, and the full-text index.
    let paths = ["/api/postings?limit=3", "/api/postings?limit=3&q=machine"];
    let mut walks = Vec::new();
    for path in paths {
        let (_, first) = get(addr, path).await;
        let cursor = first["next_cursor"].as_str().expect("a cursor").to_string();
        walks.push((path, ids(&first), cursor));
    }
    // Four more jobs arrive between the first page and the next ones.
    feed.set(&items(0..11));
    let fetched = app.run(&["fetch"]).await;
    assert_eq!(fetched.code, 0, "{}{}", fetched.stdout, fetched.stderr);
    assert_eq!(count(&app, "SELECT count(*) FROM postings"), 11);
    for (path, mut seen, mut cursor) in walks {
        loop {
            let (status, page) = get(addr, &format!("{path}&cursor={cursor}")).await;
            assert_eq!(status, 200, "{page}");
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(
            seen, want,
            "{path}: every job once, in order, none of the newer ones"
        );
    }
    // A new search starts with the new jobs.
    let (_, fresh) = get(addr, "/api/postings?limit=100&q=machine").await;
    assert_eq!(ids(&fresh).len(), 11);
    assert_eq!(&ids(&fresh)[4..], &want[..], "the new jobs come first");

    let (status, bad) = get(addr, "/api/postings?q=title:(").await;
    assert_eq!(status, 400);
    assert!(
        bad["error"]
            .as_str()
            .is_some_and(|e| e.contains("bad query")),
        "{bad}"
    );
    assert!(bad["position"].is_u64(), "{bad}");
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn triage_state_is_stored_shown_and_searchable() {
    let (app, _feed, daemon, addr) = start(3, "", &[], "api-state.log").await;
    let (_, all) = get(addr, "/api/postings").await;
    let id = ids(&all)[1];
    assert!(all["postings"][1]["user_state"].is_null());
    let post = |body: Value| {
        client()
            .post(format!("http://{addr}/api/postings/{id}/state"))
            .json(&body)
            .send()
    };
    let r = post(serde_json::json!({"state": "saved"}))
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let (_, saved) = get(addr, "/api/postings?state=saved").await;
    assert_eq!(ids(&saved), [id]);
    assert_eq!(saved["postings"][0]["user_state"], "saved");
    let (_, shown) = get(addr, &format!("/api/postings/{id}")).await;
    assert_eq!(shown["posting"]["user_state"], "saved", "{shown}");
    assert!(shown["sightings"].as_array().is_some_and(|s| s.len() == 1));
    // The CLI shows it too.
    let cli = app
        .run(&["show", &id.to_string(), "--format", "json"])
        .await;
    let cli: Value = serde_json::from_str(&cli.stdout).expect("show json");
    assert_eq!(cli["posting"]["user_state"], "saved");
    let text = app.run(&["show", &id.to_string()]).await;
    assert!(text.stdout.contains("triage: saved"), "{}", text.stdout);
    let cli = app
        .run(&["search", "--state", "saved", "--format", "json"])
        .await;
    let cli: Value = serde_json::from_str(&cli.stdout).expect("search json");
    assert_eq!(
        cli, saved["postings"],
        "`search --state saved` finds the same"
    );

    let r = post(serde_json::json!({"state": "dismissed"}))
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let (_, saved) = get(addr, "/api/postings?state=saved").await;
    assert!(ids(&saved).is_empty());
    let (_, dismissed) = get(addr, "/api/postings?state=dismissed&q=machine").await;
    assert_eq!(ids(&dismissed), [id], "through the full-text path too");
    let r = post(serde_json::json!({"state": null}))
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let (_, shown) = get(addr, &format!("/api/postings/{id}")).await;
    assert!(shown["posting"]["user_state"].is_null());

    let r = post(serde_json::json!({"state": "maybe"}))
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
    let r = client()
        .post(format!("http://{addr}/api/postings/999999/state"))
        .json(&serde_json::json!({"state": "saved"}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 404);
    let (status, _) = get(addr, "/api/postings/999999").await;
    assert_eq!(status, 404);
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn catalog_endpoints_answer_like_the_cli() {
    let (_app, _feed, daemon, addr) = start(2, "", &[], "api-catalog.log").await;
    let (status, sources) = get(addr, "/api/sources").await;
    assert_eq!(status, 200);
    let source = &sources["sources"][0];
    assert_eq!(source["name"], "gen");
    assert_eq!(source["postings"], 2);
    assert_eq!(source["last_status"], "ok", "{source}");
    let (_, alerts) = get(addr, "/api/alerts").await;
    assert_eq!(alerts["alerts"][0]["name"], "ml");
    assert_eq!(alerts["alerts"][0]["matches"], 2, "{alerts}");
    let (_, matches) = get(addr, "/api/alerts/ml/matches").await;
    assert_eq!(
        matches["matches"].as_array().map(Vec::len),
        Some(2),
        "{matches}"
    );
    let (status, _) = get(addr, "/api/alerts/nope/matches").await;
    assert_eq!(status, 404);
    let (status, n) = get(addr, "/api/notifications").await;
    assert_eq!(status, 200);
    assert_eq!(n["counts"]["pending"], 0, "{n}");
    let r = client()
        .get(format!("http://{addr}/api/sources"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .is_ok_and(|v| v.starts_with("default-src 'none'"))
    );
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_alert_feed_is_atom_that_readers_parse() {
    let (app, _feed, daemon, addr) = start(3, "", &[], "api-atom.log").await;
    let r = client()
        .get(format!("http://{addr}/alerts/ml.atom"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/atom+xml"))
    );
    let body = r.bytes().await.expect("body");
    let feed = feed_rs::parser::parse(&body[..]).expect("feed-rs parses the feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.entries.len(), 3);
    let e = &feed.entries[0];
    assert!(
        e.title
            .as_ref()
            .is_some_and(|t| t.content.starts_with("Machine Learning Engineer"))
    );
    assert!(
        e.links
            .iter()
            .any(|l| l.href.starts_with("https://jobs.example/job-")),
        "{e:?}"
    );
    let content = e
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap_or_default();
    assert!(content.contains("build and ship models"), "{content}");
    assert!(e.updated.is_some());
    if let Some(titles) = newsboat(&app, &format!("http://{addr}/alerts/ml.atom")).await {
        assert_eq!(titles.len(), 3, "newsboat reads every entry: {titles:?}");
    }
    daemon.stop().await;
}

/// Has newsboat (when installed) fetch `url` into a cache; the entry titles it stored.
async fn newsboat(app: &TestApp, url: &str) -> Option<Vec<String>> {
    let Ok(found) = std::process::Command::new("newsboat")
        .arg("--version")
        .output()
    else {
        // CI installs it (.ci/run) and insists; elsewhere feed-rs alone reads the feed.
        assert!(
            std::env::var_os("JOBHOUND_REQUIRE_NEWSBOAT").is_none(),
            "newsboat is required (JOBHOUND_REQUIRE_NEWSBOAT) but not installed"
        );
        eprintln!("newsboat is not installed: only feed-rs reads the feed");
        return None;
    };
    assert!(found.status.success());
    let dir = app.db_path().with_file_name("newsboat");
    std::fs::create_dir_all(&dir).expect("dir");
    let urls = dir.join("urls");
    std::fs::write(&urls, format!("{url}\n")).expect("urls");
    let cache = dir.join("cache.db");
    let out = tokio::process::Command::new("newsboat")
        .arg("-x")
        .arg("reload")
        .arg("-u")
        .arg(&urls)
        .arg("-c")
        .arg(&cache)
        .env("HOME", &dir)
        .env("NO_PROXY", "*")
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .output()
        .await
        .expect("newsboat runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = rusqlite::Connection::open(&cache).expect("newsboat cache");
    let mut stmt = db
        .prepare("SELECT title FROM rss_item ORDER BY title")
        .expect("items");
    let titles = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("titles");
    Some(titles)
}

/// The samples of a Prometheus/OpenMetrics text exposition: `(name{labels}, value)`.
fn samples(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (series, value) = l
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("a sample line: {l}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("a value: {l}"));
            (series.to_string(), value)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_are_prometheus_text_with_fetches_postings_and_outbox() {
    let feed = FeedServer::serve(&items(0..4)).await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", r#"title:("machine learning")"#, &["hook"])
        .webhook("hook", &hook.url())
        .block("[server]\nlisten = \"127.0.0.1:0\"\n");
    let daemon = Daemon::start(&app, &[], "api-metrics.log");
    let addr = daemon.api_addr().await;
    // The counters move once the deliverer has recorded the receiver's answer.
    let text = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            let r = client()
                .get(format!("http://{addr}/metrics"))
                .send()
                .await
                .expect("request");
            assert_eq!(r.status().as_u16(), 200);
            let text = r.text().await.expect("body");
            if text.contains("jobhound_deliveries_total{outcome=\"sent\"} 4") {
                return text;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the four matches are delivered and counted");
    assert!(
        text.ends_with("# EOF\n"),
        "one end marker, at the end:\n{text}"
    );
    assert_eq!(text.matches("# EOF").count(), 1);
    let s = samples(&text);
    let value = |series: &str| {
        s.iter()
            .find(|(n, _)| n == series)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    assert_eq!(
        value(r#"jobhound_fetches_total{source="gen",outcome="stored"}"#),
        1.0
    );
    assert_eq!(value("jobhound_postings_stored"), 4.0);
    assert_eq!(value(r#"jobhound_alert_matches{alert="ml"}"#), 4.0);
    assert_eq!(
        value(r#"jobhound_outbox_deliveries{status="pending"}"#),
        0.0
    );
    assert_eq!(value(r#"jobhound_outbox_deliveries{status="sent"}"#), 4.0);
    assert_eq!(value("jobhound_delivery_latency_seconds_count"), 4.0);
    assert!(!hook.delivered().is_empty());
    assert_eq!(
        value(r#"jobhound_fetch_duration_seconds_count{source="gen"}"#),
        1.0
    );
    assert!(value(r#"jobhound_source_last_success_timestamp_seconds{source="gen"}"#) > 1.7e9);
    for family in [
        "jobhound_fetches",
        "jobhound_fetch_duration_seconds",
        "jobhound_delivery_latency_seconds",
    ] {
        assert!(
            text.contains(&format!("# TYPE {family} ")),
            "{family} declared:\n{text}"
        );
    }
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn health_turns_503_when_the_database_path_no_longer_takes_writes() {
    let (app, _feed, daemon, addr) = start(1, "", &[], "api-health.log").await;
    let (status, ok) = get(addr, "/healthz").await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(ok["status"], "ok");
    // Tests run as root in CI, where permissions stop nothing: make the
    // configured path unusable instead. The daemon's open connections keep
    // writing to the moved file; anything opening the path (a restart, a
    // `jobhound fetch`) would fail, and the health check must say so.
    let db = app.db_path();
    let moved = db.with_file_name("moved.db");
    std::fs::rename(&db, &moved).expect("move the database");
    std::fs::create_dir(&db).expect("a directory in its place");
    let (status, bad) = get(addr, "/healthz").await;
    assert_eq!(status, 503, "{bad}");
    assert_eq!(bad["status"], "unavailable");
    assert!(
        bad["reason"]
            .as_str()
            .is_some_and(|r| r.contains("does not take writes")),
        "{bad}"
    );
    std::fs::remove_dir(&db).expect("remove the directory");
    std::fs::rename(&moved, &db).expect("move it back");
    let (status, _) = get(addr, "/healthz").await;
    assert_eq!(status, 200, "healthy again");
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_is_required_when_set_but_not_for_health() {
    let (_app, _feed, daemon, addr) = start(
        1,
        "token = \"${API_TOKEN}\"",
        &[("API_TOKEN", "s3cret-token")],
        "api-token.log",
    )
    .await;
    let (status, _) = get(addr, "/api/postings").await;
    assert_eq!(status, 401, "no token");
    let with = |path: &str, token: &str| {
        client()
            .get(format!("http://{addr}{path}"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(
        with("/api/postings", "wrong")
            .await
            .expect("req")
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        with("/api/postings", "s3cret-tokenX")
            .await
            .expect("req")
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        with("/api/postings", "s3cret-token")
            .await
            .expect("req")
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        with("/metrics", "s3cret-token")
            .await
            .expect("req")
            .status()
            .as_u16(),
        200
    );
    let (status, _) = get(addr, "/metrics").await;
    assert_eq!(status, 401);
    let lower = client()
        .get(format!("http://{addr}/api/sources"))
        .header("authorization", "bearer s3cret-token")
        .send()
        .await
        .expect("request");
    assert_eq!(
        lower.status().as_u16(),
        200,
        "the scheme is case-insensitive"
    );
    let denied = client()
        .get(format!("http://{addr}/api/postings"))
        .send()
        .await
        .expect("request");
    assert_eq!(denied.status().as_u16(), 401);
    assert_eq!(
        denied.headers()["x-content-type-options"],
        "nosniff",
        "refusals carry the headers too"
    );
    assert!(denied.headers().contains_key("www-authenticate"));
    let (status, _) = get(addr, "/alerts/ml.atom").await;
    assert_eq!(status, 401, "feeds need the token too");
    let (status, _) = get(addr, "/alerts/ml.atom?token=wrong").await;
    assert_eq!(status, 401);
    let r = client()
        .get(format!("http://{addr}/alerts/ml.atom?token=s3cret-token"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        r.status().as_u16(),
        200,
        "feed readers pass the token in the URL"
    );
    let (status, _) = get(addr, "/api/postings?token=s3cret-token").await;
    assert_eq!(status, 401, "only feeds take the token in the URL");
    let (status, _) = get(addr, "/healthz").await;
    assert_eq!(status, 200, "health needs no token");
    assert!(
        !daemon.log().contains("s3cret-token"),
        "the token never reaches the log"
    );
    daemon.stop().await;
}

#[tokio::test]
async fn a_non_loopback_listen_without_a_token_is_a_config_error() {
    let app = TestApp::new().block("[server]\nlisten = \"0.0.0.0:8080\"\n");
    // The line of `listen` in the written config.
    let text = std::fs::read_to_string(app.config()).expect("config");
    let line = text
        .lines()
        .position(|l| l.starts_with("listen"))
        .expect("listen line")
        + 1;
    let run = app.run(&["run"]).await;
    assert_eq!(run.code, 3, "a config error: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "jobhound.toml:{line}: server.listen: 0.0.0.0:8080 is reachable"
        )),
        "{}",
        run.stderr
    );
    let check = app.run(&["check-config"]).await;
    assert_eq!(check.code, 3, "check-config says so too: {}", check.stderr);
}

#[tokio::test]
async fn an_address_in_use_fails_the_start_before_it_is_announced() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr");
    let app = TestApp::new().block(&format!("[server]\nlisten = \"{addr}\"\n"));
    let run = app.run(&["run"]).await;
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("cannot listen on {addr}")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("jobhound started"), "{}", run.stderr);
}
