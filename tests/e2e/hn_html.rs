//! `hn_whoishiring`, `getro` and `html` sources end to end: the real binary
//! against the fixture server at the sources' real API paths, then the store,
//! search and a webhook alert; broken payloads fail their source only.

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

/// Every stored posting, as `jobhound search --format jsonl` prints them.
async fn stored(app: &TestApp) -> Vec<Value> {
    let run = app
        .run(&["search", "--format", "jsonl", "--limit", "200"])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn by_id<'a>(postings: &'a [Value], external_id: &str) -> &'a Value {
    postings
        .iter()
        .find(|p| p["external_id"] == external_id)
        .unwrap_or_else(|| panic!("no posting {external_id}"))
}

/// Sorted titles of a search.
async fn titles(app: &TestApp, query: &str) -> Vec<String> {
    let run = app
        .run(&["search", query, "--format", "jsonl", "--limit", "100"])
        .await;
    assert_eq!(run.code, 0, "{query}: {run:?}");
    let mut out: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            v["title"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    out.sort();
    out
}

fn delivered_titles(hook: &WebhookSink) -> Vec<String> {
    let mut out: Vec<String> = hook
        .delivered()
        .iter()
        .map(|h| {
            h.body["posting"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// The output line of source `name`.
fn line(stdout: &str, name: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no line for {name} in\n{stdout}"))
        .to_string()
}

fn source(name: &str, kind: &str, base_url: &str, extra: &str) -> String {
    format!(
        "[[source]]\nname = \"{name}\"\nkind = \"{kind}\"\nbase_url = \"{base_url}\"\n\
         page_delay = \"0s\"\n{extra}"
    )
}

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
        .block(&source(
            "hn",
            "hn_whoishiring",
            &server.base_url(),
            "months = 2\n",
        ))
        .alert(
            "ml",
            r#"title:("machine learning" OR scientist)"#,
            &["hook"],
        )
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(line(&run.stdout, "hn").contains("7 new"), "{}", run.stdout);
    assert_eq!(server.seen("hitsPerPage=6").len(), 1, "one search");
    for thread in ["/api/v1/items/46100001", "/api/v1/items/45800001"] {
        assert_eq!(server.seen(thread).len(), 1, "{thread} read once");
    }

    let all = stored(&app).await;
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
        titles(&app, "company:vectorforge").await,
        ["Senior Machine Learning Engineer"]
    );
    assert_eq!(
        titles(&app, "pytorch -title:scientist").await,
        [
            "Senior Machine Learning Engineer",
            "We're hiring ML engineers at Quillstone to work on document understanding models. Remote within the EU."
        ]
    );
    assert_eq!(
        delivered_titles(&hook),
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
    let app = TestApp::new().block(&source("hn", "hn_whoishiring", &server.base_url(), ""));
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
        .block(&source("hn", "hn_whoishiring", &good.base_url(), ""))
        .block(&source("hn-error", "hn_whoishiring", &error.base_url(), ""))
        .block(&source(
            "hn-truncated",
            "hn_whoishiring",
            &truncated.base_url(),
            "",
        ))
        .block(&source("hn-empty", "hn_whoishiring", &empty.base_url(), ""))
        .block(&source("hn-none", "hn_whoishiring", &none.base_url(), ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "some sources failed\n{run:?}");
    assert!(line(&run.stdout, "hn").contains("5 new"), "{}", run.stdout);
    assert!(
        line(&run.stdout, "hn-empty").contains("0 new"),
        "{}",
        run.stdout
    );
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
        let l = line(&run.stdout, name);
        assert!(l.contains("FAILED") && l.contains(want), "{name}: {l}");
    }
    assert_eq!(app.count("SELECT count(*) FROM postings"), 5);
}

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
        .block(&source(
            "vc",
            "getro",
            &server.base_url(),
            "collection = \"1625\"\n",
        ))
        .alert("ml", r#"title:("machine learning" OR ML)"#, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(line(&run.stdout, "vc").contains("23 new"), "{}", run.stdout);
    let bodies = server.posted(GETRO_PATH);
    assert_eq!(
        bodies,
        [
            serde_json::json!({"hitsPerPage": 20, "page": 0, "query": "", "filters": {}}),
            serde_json::json!({"hitsPerPage": 20, "page": 1, "query": "", "filters": {}}),
        ],
        "page 1 was short (3 < 20): no page 2"
    );

    let all = stored(&app).await;
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
        titles(&app, "company:\"halcyon ai\"").await,
        [
            "Research Engineer, Evaluations",
            "Research Scientist, Large Language Models",
            "Staff Machine Learning Engineer, Inference",
        ]
    );
    let alerted = delivered_titles(&hook);
    assert_eq!(alerted.len(), 13, "{alerted:?}");
    assert!(
        alerted.contains(&"Applied ML Engineer, Document AI".to_string()),
        "page 1 too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn getro_max_pages_bounds_the_pagination() {
    let server = getro_server(&[("0", "page-0.json"), ("1", "page-1.json")]).await;
    let app = TestApp::new().block(&source(
        "vc",
        "getro",
        &server.base_url(),
        "collection = \"1625\"\nmax_pages = 1\n",
    ));
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
    let app = TestApp::new().block(&source(
        "vc",
        "getro",
        &server.base_url(),
        "collection = \"1625\"\n",
    ));
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
    let collection = "collection = \"1625\"\n";
    let app = TestApp::new()
        .block(&source("vc", "getro", &good.base_url(), collection))
        .block(&source(
            "vc-truncated",
            "getro",
            &truncated.base_url(),
            collection,
        ))
        .block(&source("vc-empty", "getro", &empty.base_url(), collection))
        .block(&source("vc-picky", "getro", &picky.base_url(), collection));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(line(&run.stdout, "vc").contains("23 new"), "{}", run.stdout);
    assert!(
        line(&run.stdout, "vc-empty").contains("0 new"),
        "{}",
        run.stdout
    );
    assert_eq!(empty.posted(GETRO_PATH).len(), 1, "an empty page ends it");
    for (name, want) in [
        (
            "vc-truncated",
            "search/jobs: unexpected JSON: EOF while parsing",
        ),
        ("vc-picky", "search/jobs: HTTP 406"),
    ] {
        let l = line(&run.stdout, name);
        assert!(l.contains("FAILED") && l.contains(want), "{name}: {l}");
    }
}

const BOARD: &str = r#"url = "https://mljobs.example/ml-jobs"
[source.selectors]
item = "li.job-card"
title = "a.job-title"
link = "a.job-title"
company = ".company"
location = ".location"
date = "time @datetime"
description = "p.summary"
next = "a[rel=next]"
detail_description = "div.job-description"
"#;

async fn board_server() -> FixtureServer {
    let server = FixtureServer::serve("html").await;
    server
        .route("/ml-jobs", "ml-jobs-page-1.html")
        .route("/ml-jobs?page=2", "ml-jobs-page-2.html");
    for job in [
        "4821-senior-ml-engineer-ranking",
        "4819-research-scientist-llm",
        "4815-ml-platform-engineer",
        "4802-nlp-engineer",
        "4799-data-scientist-forecasting",
    ] {
        server.route(&format!("/jobs/{job}"), &format!("job-{job}.html"));
    }
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn html_board_pages_and_detail_pages_are_followed_once() {
    let server = board_server().await;
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .block(&source("board", "html", &server.base_url(), BOARD))
        .alert("ml", r#"title:(ML OR scientist OR NLP)"#, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        line(&run.stdout, "board").contains("6 new"),
        "{}",
        run.stdout
    );
    assert_eq!(
        server.seen("/ml-jobs").len(),
        1,
        "page 2's next link leads back to page 1, which is not fetched again"
    );
    assert_eq!(server.seen("/ml-jobs?page=2").len(), 1);
    assert_eq!(
        server.seen("/jobs/4821-senior-ml-engineer-ranking").len(),
        1
    );
    let missing: Vec<u16> = server
        .seen("/jobs/4810-computer-vision-engineer")
        .iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(missing, [404], "a missing detail page is tried once");

    let base = server.base_url();
    let all = stored(&app).await;
    assert_eq!(all.len(), 6);
    let p = by_id(
        &all,
        &format!("{base}/jobs/4821-senior-ml-engineer-ranking"),
    );
    assert_eq!(p["title"], "Senior ML Engineer, Ranking");
    assert_eq!(p["company"], "Orchard Labs");
    assert_eq!(p["locations"], serde_json::json!(["Remote (EU)"]));
    assert_eq!(p["workplace"], "remote");
    assert!(
        p["posted_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-28T09:00:00")),
        "{}",
        p["posted_at"]
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("learning-to-rank models in PyTorch"),
        "from the detail page: {text}"
    );
    assert_eq!(
        p["salary"]["min"], 95000.0,
        "salary read from the detail text"
    );
    assert_eq!(p["salary"]["currency"], "EUR");
    let p = by_id(&all, &format!("{base}/jobs/4810-computer-vision-engineer"));
    assert!(
        p["text"]
            .as_str()
            .is_some_and(|t| t.contains("Perception for warehouse robots")),
        "the list summary is kept when the detail page fails: {}",
        p["text"]
    );
    let p = by_id(&all, &format!("{base}/jobs/4815-ml-platform-engineer"));
    assert_eq!(p["title"], "ML Platform Engineer (R&D)");
    assert_eq!(
        p["workplace"], "on-site",
        "serde spelling of Workplace::Onsite"
    );

    assert_eq!(
        titles(&app, "company:kestrel").await,
        ["Data Scientist, Forecasting"]
    );
    assert_eq!(
        delivered_titles(&hook),
        [
            "Data Scientist, Forecasting",
            "ML Platform Engineer (R&D)",
            "NLP Engineer, Clinical Text",
            "Research Scientist – LLM Alignment",
            "Senior ML Engineer, Ranking",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn html_max_pages_bounds_the_list_pages() {
    let server = board_server().await;
    let app = TestApp::new().block(&source(
        "board",
        "html",
        &server.base_url(),
        &BOARD.replace("url = ", "max_pages = 1\nurl = "),
    ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(server.seen("/ml-jobs?page=2").is_empty());
    assert_eq!(app.count("SELECT count(*) FROM postings"), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn html_one_page_without_details_is_fetched_conditionally() {
    let server = FixtureServer::serve("html").await;
    server.route("/careers", "careers.html");
    let app = TestApp::new().block(&source(
        "halcyon",
        "html",
        &server.base_url(),
        "url = \"https://halcyon.example/careers\"\n[source.selectors]\n\
         item = \"a.opening\"\ntitle = \"h3\"\nlink = \"@href\"\nlocation = \"span.loc\"\n\
         date = \"@data-posted\"\n",
    ));
    let first = app.run(&["fetch"]).await;
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        line(&first.stdout, "halcyon").contains("3 new"),
        "{}",
        first.stdout
    );
    let second = app.run(&["fetch"]).await;
    assert!(
        line(&second.stdout, "halcyon").contains("not modified"),
        "{}",
        second.stdout
    );
    let statuses: Vec<u16> = server.seen("/careers").iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 304]);
}

#[tokio::test(flavor = "multi_thread")]
async fn html_pages_without_items_fail_their_source_only() {
    let good = board_server().await;
    let empty = FixtureServer::serve("html").await;
    empty.route("/ml-jobs", "empty.html");
    let broken = FixtureServer::serve("html").await;
    broken.route("/ml-jobs", "broken.html");
    let one_page = BOARD
        .lines()
        .filter(|l| !l.starts_with("next") && !l.starts_with("detail"))
        .collect::<Vec<_>>()
        .join("\n");
    let app = TestApp::new()
        .block(&source("board", "html", &good.base_url(), BOARD))
        .block(&source("board-empty", "html", &empty.base_url(), BOARD))
        .block(&source(
            "board-broken",
            "html",
            &broken.base_url(),
            &one_page,
        ))
        .block(&source(
            "board-detail",
            "html",
            &good.base_url(),
            &BOARD.replace("div.job-description", "section.jd"),
        ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(
        line(&run.stdout, "board").contains("6 new"),
        "{}",
        run.stdout
    );
    assert!(
        line(&run.stdout, "board-broken").contains("3 new"),
        "truncated HTML is read as far as it goes: {}",
        run.stdout
    );
    for (name, want) in [
        (
            "board-empty",
            "0 items: selector `li.job-card` matched nothing",
        ),
        (
            "board-detail",
            "no detail page gave a description (first problem: ",
        ),
        (
            "board-detail",
            "detail_description selector `section.jd` matched nothing",
        ),
    ] {
        let l = line(&run.stdout, name);
        assert!(l.contains("FAILED") && l.contains(want), "{name}: {l}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn html_bad_selectors_are_config_errors_with_their_line() {
    let app = TestApp::new().block(
        "[[source]]\nname = \"board\"\nkind = \"html\"\nurl = \"https://mljobs.example/\"\n\
         [source.selectors]\nitem = \"li.job\"\ntitle = \"h3..title\"\nlink = \"a\"\n",
    );
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    let config = std::fs::read_to_string(app.config()).expect("config");
    let line = config
        .lines()
        .position(|l| l.starts_with("title = \"h3..title\""))
        .expect("line")
        + 1;
    assert!(
        run.stderr.contains(&format!(
            "jobhound.toml:{line}: source[0].selectors.title: `h3..title` is not a valid CSS selector"
        )),
        "{}",
        run.stderr
    );
}
