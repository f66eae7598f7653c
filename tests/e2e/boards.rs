//! The remote job boards (RemoteOK, Remotive, Jobicy, Himalayas) end to end:
//! the real binary fetches their fixtures from loopback servers standing in for
//! the real APIs (by `base_url`), stores, searches and alerts on them.

use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

/// One loopback server per board, each answering at the board's real API path.
struct Boards {
    remoteok: FixtureServer,
    remotive: FixtureServer,
    jobicy: FixtureServer,
    himalayas: FixtureServer,
}

impl Boards {
    /// The four servers, with nothing routed yet.
    async fn serve() -> Boards {
        Boards {
            remoteok: FixtureServer::serve("remoteok").await,
            remotive: FixtureServer::serve("remotive").await,
            jobicy: FixtureServer::serve("jobicy").await,
            himalayas: FixtureServer::serve("himalayas").await,
        }
    }

    /// The four servers, each answering with its ML jobs fixture.
    async fn start() -> Boards {
        let b = Boards::serve().await;
        b.remoteok.route("/api", "ml-jobs.json");
        b.remotive.route("/api/remote-jobs", "ml-jobs.json");
        b.jobicy
            .route("/api/v2/remote-jobs?count=50", "ml-jobs.json");
        b.himalayas
            .route("/jobs/api?offset=0&limit=20", "page-1.json")
            .route("/jobs/api?offset=20&limit=20", "page-2.json");
        b
    }

    /// An app with all four boards configured against the servers.
    fn app(&self) -> TestApp {
        TestApp::new()
            .source("remoteok", "remoteok", &self.remoteok.base_url(), "")
            .source("remotive", "remotive", &self.remotive.base_url(), "")
            .source("jobicy", "jobicy", &self.jobicy.base_url(), "")
            .source("himalayas", "himalayas", &self.himalayas.base_url(), "")
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_boards_are_fetched_stored_searched_and_alerted() {
    let boards = Boards::start().await;
    let hook = WebhookSink::start().await;
    let app = boards
        .app()
        .alert("ml", r#"title:"machine learning""#, &["hook"])
        .webhook("hook", &hook.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    for (name, new) in [
        ("remoteok", 4),
        ("remotive", 4),
        ("jobicy", 4),
        ("himalayas", 23),
    ] {
        let l = run.line(name);
        assert!(
            l.contains(" ok ") && l.contains(&format!("{new} new")),
            "{l}"
        );
    }
    assert_eq!(app.count("SELECT count(*) FROM postings"), 35);

    // Himalayas: both pages, and no third request after the short page.
    let pages: Vec<String> = boards
        .himalayas
        .seen("")
        .iter()
        .map(|s| s.path.clone())
        .collect();
    assert_eq!(
        pages,
        [
            "/jobs/api?offset=0&limit=20",
            "/jobs/api?offset=20&limit=20"
        ]
    );

    // Search finds postings from every board.
    let found = app
        .run(&[
            "search",
            r#"title:"machine learning""#,
            "--format",
            "jsonl",
            "--limit",
            "50",
        ])
        .await;
    assert_eq!(found.code, 0, "{found:?}");
    let mut sources: Vec<String> = found
        .stdout
        .lines()
        .map(|l| {
            let hit: Value = serde_json::from_str(l).expect("json line");
            hit["sources"][0].as_str().unwrap_or_default().to_string()
        })
        .collect();
    sources.sort();
    sources.dedup();
    assert_eq!(sources, ["himalayas", "jobicy", "remoteok", "remotive"]);

    // The alert reached the webhook once per matching job.
    let mut delivered: Vec<(String, String)> = hook
        .delivered()
        .iter()
        .map(|h| {
            let p = &h.body["posting"];
            (
                p["sources"][0].as_str().unwrap_or_default().to_string(),
                p["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    delivered.sort();
    let want = [
        ("himalayas", "Machine Learning Intern"),
        ("himalayas", "Machine Learning Scientist, Pricing"),
        ("himalayas", "Senior Machine Learning Engineer"),
        ("jobicy", "Machine Learning Research Engineer"),
        ("jobicy", "Senior Machine Learning Engineer, Search"),
        (
            "remoteok",
            "Senior Machine Learning Engineer \u{2013} LLM Inference",
        ),
        ("remotive", "Machine Learning Engineer, Recommendations"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
    assert_eq!(delivered, want);
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_board_fields_are_stored_as_mapped() {
    let boards = Boards::start().await;
    let app = boards.app();
    assert_eq!(app.run(&["fetch"]).await.code, 0);

    let p = app.show("1141001").await;
    assert_eq!(
        p["title"],
        "Senior Machine Learning Engineer \u{2013} LLM Inference"
    );
    assert_eq!(p["company"], "Lumen Labs");
    assert_eq!(p["locations"], serde_json::json!(["Worldwide"]));
    assert_eq!(p["workplace"], "remote");
    assert_eq!(p["employment_type"], Value::Null);
    assert_eq!(p["salary"]["min"], 150000.0);
    assert_eq!(p["salary"]["max"], 200000.0);
    assert_eq!(
        p["salary"]["currency"],
        Value::Null,
        "RemoteOK states no currency"
    );
    assert_eq!(p["salary"]["origin"], "structured");
    assert_eq!(p["posted_at"], "2026-11-25T10:00:00Z");
    assert_eq!(
        p["url"],
        "https://remoteok.com/remote-jobs/remote-senior-machine-learning-engineer-llm-inference-lumen-labs-1141001"
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("What You\u{2019}ll Do"),
        "mojibake repaired: {text}"
    );
    assert!(
        !text.contains("Please mention the word"),
        "anti-spam line gone: {text}"
    );
    let p = app.show("1141003").await;
    assert_eq!(p["salary"], Value::Null, "salary 0 is unknown");
    assert_eq!(p["locations"], serde_json::json!([]));

    let p = app.show("2101001").await;
    assert_eq!(p["company"], "Kestrel AI");
    assert_eq!(p["employment_type"], "full-time");
    assert_eq!(p["locations"], serde_json::json!(["USA"]));
    assert_eq!(p["salary"]["min"], 150000.0);
    assert_eq!(p["salary"]["currency"], "USD");
    assert_eq!(p["salary"]["period"], "year");
    assert_eq!(p["salary"]["origin"], "text");
    assert_eq!(p["posted_at"], "2026-11-24T09:15:00Z");
    let html = p["description_html"].as_str().unwrap_or_default();
    assert!(!html.contains("track") && !html.contains("<img"), "{html}");

    let p = app.show("131002").await;
    assert_eq!(
        p["locations"],
        serde_json::json!(["LATAM", "Hong Kong", "Mexico"])
    );
    assert_eq!(
        p["tags"],
        serde_json::json!(["Product & Operations", "Contract"])
    );
    assert_eq!(p["salary"]["period"], "month");
    assert_eq!(p["salary"]["currency"], "USD");
    assert_eq!(p["workplace"], "remote");

    let guid = "https://himalayas.app/companies/kilnworks/jobs/data-scientist-experimentation";
    let p = app.show(guid).await;
    assert_eq!(p["company"], "Kilnworks");
    assert_eq!(
        p["posted_at"], "2026-11-25T08:00:00Z",
        "milliseconds read by magnitude"
    );
    assert_eq!(p["salary"]["currency"], "EUR");
    assert_eq!(p["salary"]["min"], 90000.0);
    assert_eq!(p["employment_type"], "full-time");
    assert_eq!(
        p["apply_url"],
        "https://kilnworks.example/jobs/data-scientist"
    );
    assert_eq!(
        p["locations"],
        serde_json::json!(["Germany", "Netherlands"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn single_request_boards_use_conditional_get_and_himalayas_pages_again() {
    let boards = Boards::start().await;
    let app = boards.app();
    assert_eq!(app.run(&["fetch"]).await.code, 0);
    let second = app.run(&["fetch"]).await;
    assert_eq!(second.code, 0, "{second:?}");
    for name in ["remoteok", "remotive", "jobicy"] {
        assert!(
            second.line(name).contains("not modified"),
            "{}",
            second.stdout
        );
    }
    assert!(
        second.line("himalayas").contains("23 unchanged"),
        "{}",
        second.stdout
    );
    let statuses = |s: &FixtureServer| s.seen("").iter().map(|x| x.status).collect::<Vec<_>>();
    assert_eq!(statuses(&boards.remoteok), [200, 304]);
    assert_eq!(statuses(&boards.remotive), [200, 304]);
    assert_eq!(statuses(&boards.jobicy), [200, 304]);
    assert_eq!(statuses(&boards.himalayas), [200, 200, 200, 200]);
    assert_eq!(app.count("SELECT count(*) FROM postings"), 35);
}

#[tokio::test(flavor = "multi_thread")]
async fn query_keys_reach_the_board_and_max_pages_bounds_paging() {
    let boards = Boards::start().await;
    boards.remoteok.route("/api?tag=ml", "ml-jobs.json");
    boards.remotive.route(
        "/api/remote-jobs?category=software-dev&search=machine+learning",
        "ml-jobs.json",
    );
    boards.jobicy.route(
        "/api/v2/remote-jobs?count=50&geo=usa&industry=data-science&tag=pytorch",
        "ml-jobs.json",
    );
    let app = TestApp::new()
        .source(
            "remoteok",
            "remoteok",
            &boards.remoteok.base_url(),
            "tag = \"ml\"",
        )
        .source(
            "remotive",
            "remotive",
            &boards.remotive.base_url(),
            "category = \"software-dev\"\nsearch = \"machine learning\"",
        )
        .source(
            "jobicy",
            "jobicy",
            &boards.jobicy.base_url(),
            "tag = \"pytorch\"\nregion = \"usa\"\ncategory = \"data-science\"",
        )
        .source(
            "himalayas",
            "himalayas",
            &boards.himalayas.base_url(),
            "max_pages = 1",
        );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(boards.remoteok.seen("/api?tag=ml").len(), 1);
    assert_eq!(
        boards
            .remotive
            .seen("/api/remote-jobs?category=software-dev&search=machine+learning")
            .len(),
        1
    );
    assert_eq!(
        boards
            .jobicy
            .seen("/api/v2/remote-jobs?count=50&geo=usa&industry=data-science&tag=pytorch")
            .len(),
        1
    );
    assert_eq!(boards.himalayas.seen("").len(), 1, "max_pages = 1");
    assert!(run.line("himalayas").contains("20 new"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_board_payloads_fail_clearly_while_the_others_are_stored() {
    let bad = Boards::serve().await;
    bad.remoteok.route("/api", "truncated.json");
    bad.remotive.route("/api/remote-jobs", "truncated.json");
    bad.jobicy
        .route("/api/v2/remote-jobs?count=50", "truncated.json");
    bad.himalayas
        .route("/jobs/api?offset=0&limit=20", "page-1.json")
        .route("/jobs/api?offset=20&limit=20", "truncated.json");
    let good = FixtureServer::serve("remoteok").await;
    good.route("/api", "real-2026-03-17-first4.json");
    let app = bad
        .app()
        .source("remoteok-real", "remoteok", &good.base_url(), "");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "exit code 4: some sources failed\n{run:?}");
    let cases = [
        ("remoteok", bad.remoteok.path("/api")),
        ("remotive", bad.remotive.path("/api/remote-jobs")),
        ("jobicy", bad.jobicy.path("/api/v2/remote-jobs?count=50")),
        (
            "himalayas",
            bad.himalayas.path("/jobs/api?offset=20&limit=20"),
        ),
    ];
    for (name, url) in cases {
        run.assert_failed(name, &format!("{url}: unexpected JSON"));
    }
    assert!(
        run.line("remoteok-real").contains("3 new"),
        "{}",
        run.stdout
    );
    assert_eq!(
        app.count("SELECT count(*) FROM postings"),
        3,
        "a failed page stores nothing of its source; the good source is stored"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM sources WHERE last_status = 'failed'"),
        4
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_boards_are_an_empty_success() {
    let boards = Boards::start().await;
    boards.remoteok.route("/api", "empty.json");
    boards.remotive.route("/api/remote-jobs", "empty.json");
    boards
        .jobicy
        .route("/api/v2/remote-jobs?count=50", "empty.json");
    boards
        .himalayas
        .route("/jobs/api?offset=0&limit=20", "empty.json");
    let app = boards.app();
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    for name in ["remoteok", "remotive", "jobicy", "himalayas"] {
        assert!(run.line(name).contains("0 new"), "{}", run.stdout);
    }
    assert_eq!(
        boards.himalayas.seen("").len(),
        1,
        "an empty page ends paging"
    );
    assert_eq!(app.count("SELECT count(*) FROM postings"), 0);
}
