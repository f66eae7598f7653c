//! `html` end to end: the real binary follows list and detail pages on the
//! fixture server with CSS selectors, then the store, search and a webhook
//! alert; pages without items fail their source only.

use crate::support::app::TestApp;
use crate::support::postings::by_id;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

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
        .source("board", "html", &server.base_url(), BOARD)
        .alert("ml", r#"title:(ML OR scientist OR NLP)"#, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.line("board").contains("6 new"), "{}", run.stdout);
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
    let all = app.stored().await;
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
        app.titles("company:kestrel").await,
        ["Data Scientist, Forecasting"]
    );
    assert_eq!(
        hook.titles(),
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
    let app = TestApp::new().source(
        "board",
        "html",
        &server.base_url(),
        &BOARD.replace("url = ", "max_pages = 1\nurl = "),
    );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(server.seen("/ml-jobs?page=2").is_empty());
    assert_eq!(app.count("SELECT count(*) FROM postings"), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn html_one_page_without_details_is_fetched_conditionally() {
    let server = FixtureServer::serve("html").await;
    server.route("/careers", "careers.html");
    let app = TestApp::new().source(
        "halcyon",
        "html",
        &server.base_url(),
        "url = \"https://halcyon.example/careers\"\n[source.selectors]\n\
         item = \"a.opening\"\ntitle = \"h3\"\nlink = \"@href\"\nlocation = \"span.loc\"\n\
         date = \"@data-posted\"\n",
    );
    let first = app.run(&["fetch"]).await;
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.line("halcyon").contains("3 new"), "{}", first.stdout);
    let second = app.run(&["fetch"]).await;
    assert!(
        second.line("halcyon").contains("not modified"),
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
        .source("board", "html", &good.base_url(), BOARD)
        .source("board-empty", "html", &empty.base_url(), BOARD)
        .source("board-broken", "html", &broken.base_url(), &one_page)
        .source(
            "board-detail",
            "html",
            &good.base_url(),
            &BOARD.replace("div.job-description", "section.jd"),
        );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    // The two boards list the same jobs, so whichever is stored second
    // joins the first one's postings: count what each listed.
    assert_eq!(run.listed("board"), 6, "{}", run.stdout);
    assert_eq!(
        run.listed("board-broken"),
        3,
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
        run.assert_failed(name, want);
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
