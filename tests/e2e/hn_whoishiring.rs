//! `hn_whoishiring` end to end: the real binary against the fixture server at
//! the Algolia HN API's real paths, then the store, search and a webhook alert;
//! broken answers fail their source only.

use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::postings::by_id;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

const SEARCH_2: &str = "/api/v1/search_by_date?query=%22Ask%20HN%3A%20Who%20is%20hiring%3F%22\
                        &tags=story,author_whoishiring&hitsPerPage=6";
const SEARCH_1: &str = "/api/v1/search_by_date?query=%22Ask%20HN%3A%20Who%20is%20hiring%3F%22\
                        &tags=story,author_whoishiring&hitsPerPage=3";

async fn hn_server() -> FixtureServer {
    let server = FixtureServer::serve("hn_whoishiring").await;
    server
        .route(SEARCH_2, "search-2.json")
        .route(SEARCH_1, "search-1.json")
        .route("/api/v1/items/46100001", "item-46100001.json")
        .route("/api/v1/items/45800001", "item-45800001.json");
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn hn_whoishiring_threads_are_stored_searched_and_alerted() {
    let server = hn_server().await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .source("hn", "hn_whoishiring", &server.base_url(), "months = 2")
        .alert(
            "ml",
            r#"title:("machine learning" OR scientist)"#,
            &["hook"],
        )
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.line("hn").contains("7 new"), "{}", run.stdout);
    assert_eq!(server.seen("hitsPerPage=6").len(), 1, "one search");
    for thread in ["/api/v1/items/46100001", "/api/v1/items/45800001"] {
        assert_eq!(server.seen(thread).len(), 1, "{thread} read once");
    }

    let all = app.stored().await;
    assert_eq!(
        all.len(),
        7,
        "5 December + 2 November posts; no replies, no deleted"
    );
    let p = by_id(&all, "46112345");
    assert_eq!(p["title"], "Senior Machine Learning Engineer");
    assert_eq!(p["company"], "Vectorforge");
    assert_eq!(p["locations"], serde_json::json!(["San Francisco, CA"]));
    assert_eq!(
        p["workplace"], "on-site",
        "serde spelling of Workplace::Onsite"
    );
    assert_eq!(p["salary"]["min"], 190000.0);
    assert_eq!(p["salary"]["max"], 240000.0);
    assert_eq!(p["salary"]["currency"], "USD");
    assert_eq!(p["salary"]["period"], "year");
    assert_eq!(p["salary"]["origin"], "text");
    assert_eq!(p["url"], "https://news.ycombinator.com/item?id=46112345");
    assert_eq!(p["apply_url"], "https://vectorforge.ai/careers/ml-engineer");
    assert_eq!(p["author"], "vectorforge_jobs");
    assert!(
        p["posted_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-12-01T16:14:05")),
        "{}",
        p["posted_at"]
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("(PyTorch, Ray, 64 H100s) & the evaluation"),
        "{text}"
    );
    assert!(text.contains("\"HN\" in the subject"), "{text}");

    let p = by_id(&all, "46112399");
    assert_eq!(p["employment_type"], "full-time");
    assert_eq!(
        p["apply_url"],
        "https://jobs.ashbyhq.com/lumenpath/3f2c9a1e-5b7d-4c21-9f0e-8d7c6b5a4e3f"
    );
    assert_eq!(p["workplace"], "remote");
    let p = by_id(&all, "46112480");
    assert_eq!(p["company"], Value::Null, "no header: company unknown");
    let p = by_id(&all, "45812002");
    assert_eq!(p["salary"]["period"], "hour");
    assert_eq!(p["salary"]["min"], 90.0);

    assert_eq!(
        app.titles("company:vectorforge").await,
        ["Senior Machine Learning Engineer"]
    );
    assert_eq!(
        app.titles("pytorch -title:scientist").await,
        [
            "Senior Machine Learning Engineer",
            "We're hiring ML engineers at Quillstone to work on document understanding models. Remote within the EU."
        ]
    );
    assert_eq!(
        hook.titles(),
        [
            "Applied Scientist (NLP)",
            "Data Scientist (contract)",
            "ML Research Scientist, Foundation Models",
            "Senior Machine Learning Engineer",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hn_whoishiring_reads_one_month_by_default() {
    let server = hn_server().await;
    let app = TestApp::new().source("hn", "hn_whoishiring", &server.base_url(), "");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(app.count("SELECT count(*) FROM postings"), 5);
    assert_eq!(server.seen("hitsPerPage=3").len(), 1);
    assert!(server.seen("/api/v1/items/45800001").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn hn_whoishiring_errors_fail_their_source_only() {
    let good = hn_server().await;
    let error = FixtureServer::serve("hn_whoishiring").await;
    error.route("/api/v1/search_by_date", "search-error.json");
    let truncated = FixtureServer::serve("hn_whoishiring").await;
    truncated
        .route("/api/v1/search_by_date", "search-1.json")
        .route("/api/v1/items/46100001", "item-truncated.json");
    let empty = FixtureServer::serve("hn_whoishiring").await;
    empty
        .route("/api/v1/search_by_date", "search-1.json")
        .route("/api/v1/items/46100001", "item-empty.json");
    let none = FixtureServer::serve("hn_whoishiring").await;
    none.route("/api/v1/search_by_date", "search-other-threads.json");
    let app = TestApp::new()
        .source("hn", "hn_whoishiring", &good.base_url(), "")
        .source("hn-error", "hn_whoishiring", &error.base_url(), "")
        .source("hn-truncated", "hn_whoishiring", &truncated.base_url(), "")
        .source("hn-empty", "hn_whoishiring", &empty.base_url(), "")
        .source("hn-none", "hn_whoishiring", &none.base_url(), "");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "some sources failed\n{run:?}");
    assert!(run.line("hn").contains("5 new"), "{}", run.stdout);
    assert!(run.line("hn-empty").contains("0 new"), "{}", run.stdout);
    for (name, want) in [
        (
            "hn-error",
            "Algolia error: Invalid value for parameter hitsPerPage",
        ),
        (
            "hn-truncated",
            "/api/v1/items/46100001: unexpected JSON: EOF while parsing",
        ),
        ("hn-none", "no \"Ask HN: Who is hiring?\" thread"),
    ] {
        run.assert_failed(name, want);
    }
    assert_eq!(app.count("SELECT count(*) FROM postings"), 5);
}
