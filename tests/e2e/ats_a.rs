//! The Greenhouse, Lever and Ashby board kinds, end to end: `jobhound fetch`
//! against their real API paths on the fixture server (by `base_url`), then
//! the stored fields, search, webhook alerts, conditional GET, and failures.

use serde_json::{Value, json};

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

const GREENHOUSE: &str = "/v1/boards/lumenai/jobs?content=true";
const LEVER: &str = "/v0/postings/parallax?mode=json";
const ASHBY: &str = "/posting-api/job-board/halcyon?includeCompensation=true";

const ML: &str = r#"title:("machine learning" OR ML)"#;

/// A stored salary as `[min, max, currency, period, origin]`.
fn pay(posting: &Value) -> Value {
    let s = &posting["salary"];
    json!([s["min"], s["max"], s["currency"], s["period"], s["origin"]])
}

/// A source of `kind` pointed at `server`, with an ML alert delivered to `hook`.
fn alerted(server: &FixtureServer, hook: &WebhookSink, kind: &str, keys: &str) -> TestApp {
    TestApp::new()
        .source(kind, kind, &server.base_url(), keys)
        .alert("ml", ML, &["hook"])
        .webhook("hook", &hook.url())
}

/// Fetches twice: the first stores `new` postings, the second is answered 304.
async fn fetch_twice(app: &TestApp, server: &FixtureServer, path: &str, new: usize) {
    let first = app.run(&["fetch"]).await;
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first.stdout.contains(&format!("{new} new")),
        "{}",
        first.stdout
    );
    let second = app.run(&["fetch"]).await;
    assert_eq!(second.code, 0, "{second:?}");
    assert!(second.stdout.contains("not modified"), "{}", second.stdout);
    let statuses: Vec<u16> = server.seen(path).iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 304], "one request per fetch, conditional");
}

#[tokio::test(flavor = "multi_thread")]
async fn greenhouse_board_is_stored_searchable_and_alerted() {
    let server = FixtureServer::serve(".").await;
    server.route(GREENHOUSE, "greenhouse/board.json");
    let hook = WebhookSink::start().await;
    let app = alerted(&server, &hook, "greenhouse", "board = \"lumenai\"");
    fetch_twice(&app, &server, GREENHOUSE, 4).await;

    let p = app.show("4012345002").await;
    assert_eq!(p["title"], "Machine Learning Engineer, Inference");
    assert_eq!(p["company"], "Lumen AI");
    assert_eq!(p["department"], "Machine Learning");
    assert_eq!(
        p["locations"],
        json!(["New York, NY", "Remote - US", "San Francisco, CA"])
    );
    assert_eq!(p["workplace"], "remote", "read from the location text");
    assert_eq!(p["employment_type"], Value::Null, "Greenhouse lists none");
    assert_eq!(p["posted_at"], "2026-05-12T13:02:11Z");
    assert_eq!(p["updated_at"], "2026-06-30T09:26:14Z");
    assert_eq!(
        p["url"],
        "https://job-boards.greenhouse.io/lumenai/jobs/4012345002"
    );
    assert_eq!(
        pay(&p),
        json!([190000.0, 250000.0, "USD", "year", "text"]),
        "parsed from the description's pay line"
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(text.contains("You'll own the serving stack"), "{text}");
    assert!(!text.contains("&lt;") && !text.contains("&amp;"), "{text}");
    let html = p["description_html"].as_str().unwrap_or_default();
    assert!(
        html.contains("<li>Triton or vLLM in production</li>"),
        "{html}"
    );

    let own_domain = app.show("4023456002").await;
    assert_eq!(
        own_domain["url"],
        "https://careers.lumen.ai/jobs/4023456002?gh_jid=4023456002"
    );

    assert_eq!(
        app.titles("vllm").await,
        ["Machine Learning Engineer, Inference"]
    );
    assert_eq!(
        app.titles(r#"company:"lumen ai" location:bengaluru"#).await,
        ["Senior Data Engineer, ML Platform"]
    );
    assert_eq!(
        hook.titles(),
        [
            "Machine Learning Engineer, Inference",
            "Machine Learning Intern (Summer 2027)",
            "Senior Data Engineer, ML Platform"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lever_site_is_stored_searchable_and_alerted() {
    let server = FixtureServer::serve(".").await;
    server.route(LEVER, "lever/postings.json");
    let hook = WebhookSink::start().await;
    let app = alerted(&server, &hook, "lever", "site = \"parallax\"");
    fetch_twice(&app, &server, LEVER, 5).await;

    let p = app.show("5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70").await;
    assert_eq!(p["title"], "Senior Machine Learning Engineer, Perception");
    assert_eq!(
        p["company"], "Parallax",
        "Lever's list names no company: it comes from the site slug"
    );
    assert_eq!(p["department"], "Autonomy");
    assert_eq!(p["locations"], json!(["Foster City, CA", "Seattle, WA"]));
    assert_eq!(p["workplace"], "on-site");
    assert_eq!(p["employment_type"], "full-time");
    assert_eq!(
        p["posted_at"], "2025-11-27T01:02:41Z",
        "epoch ms, stored to the second"
    );
    assert_eq!(p["updated_at"], Value::Null);
    assert_eq!(
        p["apply_url"],
        "https://jobs.lever.co/parallax/5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70/apply"
    );
    assert_eq!(
        p["salary"],
        json!({
            "min": 198000.0, "max": 264000.0, "currency": "USD", "period": "year",
            "origin": "structured",
            "text": "The base salary range for this position is $198,000 – $264,000."
        })
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(text.contains("Qualifications"), "list titles kept: {text}");
    assert!(
        text.contains("- Build evaluation sets for rare events"),
        "{text}"
    );

    let intern = app.show("1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6").await;
    assert_eq!(intern["workplace"], "hybrid");
    assert_eq!(intern["employment_type"], "internship");
    assert_eq!(
        pay(&intern),
        json!([48.0, 60.0, "CAD", "hour", "structured"])
    );
    let remote = app.show("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d").await;
    assert_eq!(remote["workplace"], "remote");
    assert_eq!(
        pay(&remote),
        json!([160000.0, 210000.0, "USD", "year", "text"]),
        "parsed from salaryDescriptionPlain"
    );

    assert_eq!(
        app.titles("lidar").await,
        ["Senior Machine Learning Engineer, Perception"]
    );
    assert_eq!(
        app.titles("location:berlin").await,
        ["Data Annotation Lead"]
    );
    assert_eq!(
        hook.titles(),
        [
            "ML Infrastructure Engineer",
            "Machine Learning Research Intern",
            "Senior Machine Learning Engineer, Perception"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ashby_board_is_stored_searchable_and_alerted() {
    let server = FixtureServer::serve(".").await;
    server.route(ASHBY, "ashby/board.json");
    let hook = WebhookSink::start().await;
    let app = alerted(&server, &hook, "ashby", "board = \"halcyon\"");
    fetch_twice(&app, &server, ASHBY, 5).await;

    let p = app.show("3f9a1c2e-8b7d-4e6f-a5b4-c3d2e1f0a9b8").await;
    assert_eq!(p["title"], "Member of Technical Staff, Pretraining");
    assert_eq!(p["department"], "Research");
    assert_eq!(p["locations"], json!(["San Francisco", "New York"]));
    assert_eq!(p["workplace"], "on-site");
    assert_eq!(p["employment_type"], "full-time");
    assert_eq!(p["posted_at"], "2026-03-27T20:34:36Z");
    assert_eq!(
        p["url"],
        "https://jobs.ashbyhq.com/halcyon/3f9a1c2e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"
    );
    assert_eq!(
        p["salary"],
        json!({
            "min": 250000.0, "max": 350000.0, "currency": "USD", "period": "year",
            "origin": "structured", "text": "$250K – $350K • 0.25% – 0.5%"
        })
    );
    let intern = app.show("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d").await;
    assert_eq!(intern["salary"]["min"], 150.0, "kept as the board says");
    assert_eq!(
        intern["salary"]["period"],
        Value::Null,
        "no period invented"
    );
    assert_eq!(intern["employment_type"], "internship");
    let no_pay = app.show("d4c3b2a1-0f9e-4d8c-b7a6-5e4d3c2b1a0f").await;
    assert_eq!(no_pay["salary"], Value::Null);
    assert_eq!(no_pay["workplace"], "hybrid");

    let unlisted = app.count("SELECT count(*) FROM postings WHERE title LIKE '%Internal Tools%'");
    assert_eq!(unlisted, 0, "unlisted jobs are not stored");
    assert_eq!(
        app.titles("megatron").await,
        ["Member of Technical Staff, Pretraining"]
    );
    assert_eq!(
        hook.titles(),
        ["Applied ML Engineer, Agents", "Machine Learning Intern"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_board_payloads_fail_clearly_while_good_boards_are_stored() {
    let server = FixtureServer::serve(".").await;
    server
        .route(GREENHOUSE, "greenhouse/board.json")
        .route("/v1/boards/cut/jobs", "greenhouse/truncated.json")
        .route("/v1/boards/down/jobs", "greenhouse/maintenance.html")
        .route(LEVER, "lever/postings.json")
        .route("/v0/postings/cut", "lever/truncated.json")
        .route("/v0/postings/one", "lever/single-posting.json")
        .route(ASHBY, "ashby/board.json")
        .route("/posting-api/job-board/cut", "ashby/truncated.json");
    let app = [
        ("gh-good", "greenhouse", "board = \"lumenai\""),
        ("gh-cut", "greenhouse", "board = \"cut\""),
        ("gh-html", "greenhouse", "board = \"down\""),
        ("gh-unknown", "greenhouse", "board = \"no-such-board\""),
        ("lever-good", "lever", "site = \"parallax\""),
        ("lever-cut", "lever", "site = \"cut\""),
        ("lever-one", "lever", "site = \"one\""),
        ("ashby-good", "ashby", "board = \"halcyon\""),
        ("ashby-cut", "ashby", "board = \"cut\""),
    ]
    .iter()
    .fold(TestApp::new(), |app, (name, kind, keys)| {
        app.source(name, kind, &server.base_url(), keys)
    });
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "exit code 4: some sources failed\n{run:?}");
    assert_eq!(
        app.count("SELECT count(*) FROM postings"),
        4 + 5 + 5,
        "the good boards are stored"
    );
    let cases = [
        ("gh-good", "ok", "4 new"),
        ("lever-good", "ok", "5 new"),
        ("ashby-good", "ok", "5 new"),
        (
            "gh-cut",
            "FAILED",
            "/v1/boards/cut/jobs?content=true: not a Greenhouse job list: unexpected JSON: EOF while parsing",
        ),
        (
            "gh-html",
            "FAILED",
            "/v1/boards/down/jobs?content=true: not a Greenhouse job list: unexpected JSON: expected value",
        ),
        (
            "gh-unknown",
            "FAILED",
            "/v1/boards/no-such-board/jobs?content=true: HTTP 404",
        ),
        (
            "lever-cut",
            "FAILED",
            "/v0/postings/cut?mode=json: not a Lever posting list: unexpected JSON: EOF while parsing",
        ),
        (
            "lever-one",
            "FAILED",
            "not a Lever posting list: unexpected JSON: invalid type: map, expected a sequence",
        ),
        (
            "ashby-cut",
            "FAILED",
            "not an Ashby job board: unexpected JSON: EOF while parsing",
        ),
    ];
    for (name, status, want) in cases {
        let line = run.line(name);
        assert!(
            line.contains(status) && line.contains(want),
            "{name}: {line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_boards_succeed_with_nothing_stored() {
    let server = FixtureServer::serve(".").await;
    server
        .route(GREENHOUSE, "greenhouse/empty.json")
        .route(LEVER, "lever/empty.json")
        .route(ASHBY, "ashby/empty.json");
    let app = [
        ("greenhouse", "board = \"lumenai\""),
        ("lever", "site = \"parallax\""),
        ("ashby", "board = \"halcyon\""),
    ]
    .iter()
    .fold(TestApp::new(), |app, (kind, keys)| {
        app.source(kind, kind, &server.base_url(), keys)
    });
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.matches("0 new").count(), 3, "{}", run.stdout);
    assert_eq!(app.count("SELECT count(*) FROM postings"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_lever_region_or_board_name_is_a_config_error() {
    let app = TestApp::new()
        .block("[[source]]\nname = \"l\"\nkind = \"lever\"\nsite = \"parallax\"\nregion = \"us\"\n")
        .block("[[source]]\nname = \"g\"\nkind = \"greenhouse\"\nboard = \"https://boards.greenhouse.io/lumenai\"\n");
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    for want in [
        "source[0].region: `us`: the only region is \"eu\"",
        "source[1].board: `https://boards.greenhouse.io/lumenai`: give the name",
    ] {
        assert!(run.stderr.contains(want), "{want}\n{}", run.stderr);
    }
}
