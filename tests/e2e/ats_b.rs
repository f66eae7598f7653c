//! The Workable, SmartRecruiters and Recruitee kinds end to end: the real binary
//! fetches fixtures served at the real API paths (rebased by `base_url`), stores
//! them, searches them and sends alert matches to a webhook. One fixture server
//! answers for all three; each kind's own tests are in the submodule named
//! after it, those that run the three together are here.

mod recruitee;
mod smartrecruiters;
mod workable;

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

const WORKABLE: &str = "/api/v1/widget/accounts/northwind-vision?details=true";
const SR_PAGE1: &str = "/v1/companies/HelixDynamics/postings?limit=100&offset=0";
const SR_PAGE2: &str = "/v1/companies/HelixDynamics/postings?limit=100&offset=3";
const SR_DETAIL: &str = "/v1/companies/HelixDynamics/postings/";
const SR_IDS: [&str; 5] = [
    "744000201234567",
    "744000201234890",
    "744000201235112",
    "744000201235467",
    "744000201235901",
];

/// A server for all three kinds' fixtures at their real API paths.
async fn server() -> FixtureServer {
    let s = FixtureServer::serve(".").await;
    s.route(WORKABLE, "workable/board.json");
    s.route(
        "/api/v1/widget/accounts/quiet?details=true",
        "workable/empty.json",
    );
    s.route(
        "/api/v1/widget/accounts/broken?details=true",
        "workable/truncated.json",
    );
    s.route(SR_PAGE1, "smartrecruiters/postings-page1.json");
    s.route(SR_PAGE2, "smartrecruiters/postings-page2.json");
    for id in &SR_IDS[..3] {
        s.route(
            &format!("{SR_DETAIL}{id}"),
            &format!("smartrecruiters/detail-{id}.json"),
        );
    }
    s.route(
        &format!("{SR_DETAIL}{}", SR_IDS[3]),
        "smartrecruiters/detail-truncated.json",
    );
    // SR_IDS[4] has no detail route: the server answers 404.
    s.route(
        "/v1/companies/QuietCo/postings?limit=100&offset=0",
        "smartrecruiters/postings-empty.json",
    );
    s.route(
        "/v1/companies/BrokenCo/postings?limit=100&offset=0",
        "smartrecruiters/postings-truncated.json",
    );
    s.route("/api/offers/", "recruitee/offers.json");
    s.route("/quiet/api/offers/", "recruitee/empty.json");
    s.route("/broken/api/offers/", "recruitee/truncated.json");
    s
}

/// The three good boards.
fn stocked(server: &FixtureServer) -> TestApp {
    let base = server.base_url();
    TestApp::new()
        .source(
            "northwind",
            "workable",
            &base,
            "account = \"northwind-vision\"",
        )
        .source(
            "helix",
            "smartrecruiters",
            &base,
            "company = \"HelixDynamics\"",
        )
        .source("tidewater", "recruitee", &base, "company = \"tidewater\"")
}

/// How many postings `source` stored.
fn count(app: &TestApp, source: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) FROM postings WHERE source = '{source}'"
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_boards_are_fetched_cleanly() {
    let server = server().await;
    let base = server.base_url();
    let app = TestApp::new()
        .source("w", "workable", &base, "account = \"quiet\"")
        .source("s", "smartrecruiters", &base, "company = \"QuietCo\"")
        .source(
            "r",
            "recruitee",
            &format!("{base}/quiet"),
            "company = \"quiet\"",
        );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    for name in ["w", "s", "r"] {
        assert!(
            run.line(name).contains("ok            0 new"),
            "{}",
            run.stdout
        );
    }
    assert_eq!(app.count("SELECT count(*) FROM postings"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_payloads_fail_per_source_while_the_others_are_stored() {
    let server = server().await;
    let base = server.base_url();
    let app = stocked(&server)
        .source("workable-broken", "workable", &base, "account = \"broken\"")
        .source(
            "sr-broken",
            "smartrecruiters",
            &base,
            "company = \"BrokenCo\"",
        )
        .source(
            "recruitee-broken",
            "recruitee",
            &format!("{base}/broken"),
            "company = \"broken\"",
        );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "exit code 4: some sources failed\n{run:?}");
    let cases = [
        (
            "workable-broken",
            "/api/v1/widget/accounts/broken?details=true",
        ),
        (
            "sr-broken",
            "/v1/companies/BrokenCo/postings?limit=100&offset=0",
        ),
        ("recruitee-broken", "/broken/api/offers/"),
    ];
    for (name, path) in cases {
        run.assert_failed(name, "unexpected JSON");
        run.assert_failed(name, path);
    }
    for (name, n) in [("northwind", 4), ("helix", 5), ("tidewater", 4)] {
        assert!(run.line(name).contains(" ok "), "{}", run.stdout);
        assert_eq!(count(&app, name), n, "{name} stored");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM sources WHERE last_status = 'failed'"),
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ats_postings_are_searchable_and_alerted() {
    let server = server().await;
    let hook = WebhookSink::start().await;
    let app = stocked(&server)
        .alert(
            "ml",
            r#"title:("machine learning" OR ML) -title:(senior OR intern OR student)"#,
            &["hook"],
        )
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        hook.titles(),
        [
            "Data Engineer, ML Platform",
            "ML Research Scientist - LLM Evaluation",
            "Machine Learning Data Specialist",
            "Machine Learning Engineer (NLP)",
            "Machine Learning Engineer, Robot Learning",
        ]
    );

    let cases: &[(&str, &[&str])] = &[
        (
            "company:\"tidewater ai\" pytorch",
            &["Machine Learning Engineer (NLP)"],
        ),
        (
            "location:munich",
            &[
                "Machine Learning Engineer, Robot Learning",
                "Working Student - Machine Learning",
            ],
        ),
        ("source:northwind speech", &["Applied Scientist, Speech"]),
        ("jax", &["Machine Learning Engineer, Robot Learning"]),
    ];
    for (query, want) in cases {
        assert_eq!(app.titles(query).await, *want, "{query}");
    }
}
