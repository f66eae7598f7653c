//! `getro` end to end: the real binary POSTs page requests to the fixture
//! server at the collection search API's real path, then the store, search and
//! a webhook alert; broken pages fail their source only.

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::app::TestApp;
use crate::support::postings::by_id;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

const GETRO_PATH: &str = "/api/v2/collections/1625/search/jobs";

async fn getro_server(pages: &[(&str, &str)]) -> FixtureServer {
    let server = FixtureServer::serve("getro").await;
    server.route_post(GETRO_PATH, "page", Some("application/json"), pages);
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn getro_pages_are_posted_mapped_and_alerted() {
    let server = getro_server(&[("0", "page-0.json"), ("1", "page-1.json")]).await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .source("vc", "getro", &server.base_url(), "collection = \"1625\"")
        .alert("ml", r#"title:("machine learning" OR ML)"#, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.line("vc").contains("23 new"), "{}", run.stdout);
    let bodies = server.posted(GETRO_PATH);
    assert_eq!(
        bodies,
        [
            serde_json::json!({"hitsPerPage": 20, "page": 0, "query": "", "filters": {}}),
            serde_json::json!({"hitsPerPage": 20, "page": 1, "query": "", "filters": {}}),
        ],
        "page 1 was short (3 < 20): no page 2"
    );

    let all = app.stored().await;
    assert_eq!(all.len(), 23);
    let p = by_id(
        &all,
        "https://jobs.ashbyhq.com/halcyon/7c1e2f44-9a0b-4d6e-8f13-2b5c7d9e0a11",
    );
    assert_eq!(p["title"], "Research Scientist, Large Language Models");
    assert_eq!(p["company"], "Halcyon AI");
    assert_eq!(p["workplace"], "hybrid");
    assert_eq!(
        p["locations"],
        serde_json::json!(["San Francisco, CA, USA"])
    );
    assert_eq!(p["salary"]["min"], 250000.0);
    assert_eq!(p["salary"]["max"], 320000.0);
    assert_eq!(p["salary"]["currency"], Value::Null, "Getro does not say");
    assert_eq!(p["salary"]["origin"], "structured");
    assert_eq!(
        p["tags"],
        serde_json::json!(["LLM", "Reinforcement Learning", "JAX", "senior"])
    );
    assert_eq!(
        p["url"],
        "https://jobs.ashbyhq.com/halcyon/7c1e2f44-9a0b-4d6e-8f13-2b5c7d9e0a11"
    );
    assert!(
        p["posted_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-23T18:40:00")),
        "{}",
        p["posted_at"]
    );
    let p = by_id(
        &all,
        "https://job-boards.greenhouse.io/ledgerly/jobs/4471902",
    );
    assert_eq!(p["salary"], Value::Null, "0 cents is unknown");

    assert_eq!(
        app.titles("company:\"halcyon ai\"").await,
        [
            "Research Engineer, Evaluations",
            "Research Scientist, Large Language Models",
            "Staff Machine Learning Engineer, Inference",
        ]
    );
    let alerted = hook.titles();
    assert_eq!(alerted.len(), 13, "{alerted:?}");
    assert!(
        alerted.contains(&"Applied ML Engineer, Document AI".to_string()),
        "page 1 too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn getro_max_pages_bounds_the_pagination() {
    let server = getro_server(&[("0", "page-0.json"), ("1", "page-1.json")]).await;
    let app = TestApp::new().source(
        "vc",
        "getro",
        &server.base_url(),
        "collection = \"1625\"\nmax_pages = 1\n",
    );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.posted(GETRO_PATH).len(), 1);
    assert_eq!(app.count("SELECT count(*) FROM postings"), 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn getro_stops_when_a_page_brings_nothing_new() {
    // A server that ignores `page` answers every page with the first one.
    let server = getro_server(&[
        ("0", "page-0.json"),
        ("1", "page-0.json"),
        ("2", "page-0.json"),
    ])
    .await;
    let app = TestApp::new().source("vc", "getro", &server.base_url(), "collection = \"1625\"");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.posted(GETRO_PATH).len(), 2);
    assert_eq!(app.count("SELECT count(*) FROM postings"), 20);
}

/// POSTs a page request without `Accept`, as a bare client would.
async fn post_without_accept(server: &FixtureServer) -> String {
    let addr = server.base_url().trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let body = r#"{"hitsPerPage": 20, "page": 0, "query": "", "filters": {}}"#;
    let request = format!(
        "POST {GETRO_PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test(flavor = "multi_thread")]
async fn getro_without_accept_gets_406_and_broken_pages_fail_their_source_only() {
    let good = getro_server(&[("0", "page-0.json"), ("1", "page-1.json")]).await;
    let answer = post_without_accept(&good).await;
    assert!(answer.starts_with("HTTP/1.1 406"), "{answer}");

    let truncated = getro_server(&[("0", "truncated.json")]).await;
    let empty = getro_server(&[("0", "empty.json")]).await;
    // A server that wants another media type answers jobhound's request with 406.
    let picky = FixtureServer::serve("getro").await;
    picky.route_post(
        GETRO_PATH,
        "page",
        Some("application/vnd.getro.v3+json"),
        &[("0", "page-0.json")],
    );
    let collection = "collection = \"1625\"";
    let app = TestApp::new()
        .source("vc", "getro", &good.base_url(), collection)
        .source("vc-truncated", "getro", &truncated.base_url(), collection)
        .source("vc-empty", "getro", &empty.base_url(), collection)
        .source("vc-picky", "getro", &picky.base_url(), collection);
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.line("vc").contains("23 new"), "{}", run.stdout);
    assert!(run.line("vc-empty").contains("0 new"), "{}", run.stdout);
    assert_eq!(empty.posted(GETRO_PATH).len(), 1, "an empty page ends it");
    for (name, want) in [
        (
            "vc-truncated",
            "search/jobs: unexpected JSON: EOF while parsing",
        ),
        ("vc-picky", "search/jobs: HTTP 406"),
    ] {
        run.assert_failed(name, want);
    }
}
