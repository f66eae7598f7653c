//! The Workable, SmartRecruiters and Recruitee kinds end to end: the real binary
//! fetches fixtures served at the real API paths (rebased by `base_url`), stores
//! them, searches them and sends alert matches to a webhook.

use serde_json::{Value, json};

use crate::support::app::{Run, TestApp};
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

fn workable(name: &str, account: &str, base: &str) -> String {
    format!(
        "[[source]]\nname = \"{name}\"\nkind = \"workable\"\naccount = \"{account}\"\nbase_url = \"{base}\"\n"
    )
}

fn smartrecruiters(name: &str, company: &str, base: &str, extra: &str) -> String {
    format!(
        "[[source]]\nname = \"{name}\"\nkind = \"smartrecruiters\"\ncompany = \"{company}\"\n\
         base_url = \"{base}\"\npage_delay = \"0s\"\n{extra}"
    )
}

fn recruitee(name: &str, company: &str, base: &str) -> String {
    format!(
        "[[source]]\nname = \"{name}\"\nkind = \"recruitee\"\ncompany = \"{company}\"\nbase_url = \"{base}\"\n"
    )
}

/// The three good boards.
fn stocked(server: &FixtureServer) -> TestApp {
    let base = server.base_url();
    TestApp::new()
        .block(&workable("northwind", "northwind-vision", &base))
        .block(&smartrecruiters("helix", "HelixDynamics", &base, ""))
        .block(&recruitee("tidewater", "tidewater", &base))
}

/// The stored posting as `jobhound show --format json` prints it.
async fn show(app: &TestApp, source: &str, external_id: &str) -> Value {
    let id: i64 = app
        .db()
        .query_row(
            "SELECT id FROM postings WHERE source = ?1 AND external_id = ?2",
            [source, external_id],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{source}/{external_id}: {e}"));
    let run = app
        .run(&["show", &id.to_string(), "--format", "json"])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    let doc: Value = serde_json::from_str(&run.stdout).expect("show prints JSON");
    doc["posting"].clone()
}

/// The stdout line of one source.
fn line(run: &Run, name: &str) -> String {
    run.stdout
        .lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no line for {name} in\n{}", run.stdout))
        .to_string()
}

fn count(app: &TestApp, source: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) FROM postings WHERE source = '{source}'"
    ))
}

/// Asserts each `(key, value)` of `want` on a posting, naming the key on failure.
fn assert_fields(p: &Value, want: &[(&str, Value)]) {
    for (key, value) in want {
        assert_eq!(&p[*key], value, "{key} of {}", p["external_id"]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn workable_board_is_stored_field_by_field_and_refetched_conditionally() {
    let server = server().await;
    let app = TestApp::new().block(&workable(
        "northwind",
        "northwind-vision",
        &server.base_url(),
    ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        count(&app, "northwind"),
        4,
        "a job listed twice is one posting"
    );

    let p = show(&app, "northwind", "A41F0C22B7").await;
    assert_fields(
        &p,
        &[
            (
                "title",
                json!("Senior Machine Learning Engineer, Perception"),
            ),
            ("company", json!("Northwind Vision")),
            ("department", json!("Machine Learning")),
            ("locations", json!(["Berlin, Berlin, Germany"])),
            ("workplace", json!("unknown")),
            ("employment_type", json!("full-time")),
            ("salary", Value::Null),
            ("posted_at", json!("2026-11-02T00:00:00Z")),
            ("updated_at", Value::Null),
            ("url", json!("https://apply.workable.com/j/A41F0C22B7")),
            (
                "apply_url",
                json!("https://apply.workable.com/j/A41F0C22B7/apply"),
            ),
            (
                "tags",
                json!(["Engineering", "Computer Software", "Mid-Senior level"]),
            ),
        ],
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(text.contains("multi-camera 3D detection"), "{text}");
    assert!(
        text.contains("Strong Python and solid C++"),
        "full description: {text}"
    );

    let p = show(&app, "northwind", "7C93D1E0AF").await;
    assert_fields(
        &p,
        &[
            ("locations", json!(["Lisbon, Lisbon, Portugal", "Spain"])),
            ("workplace", json!("remote")),
        ],
    );
    let p = show(&app, "northwind", "E2D5B8A913").await;
    assert_fields(
        &p,
        &[
            (
                "locations",
                json!(["London, England, United Kingdom", "Zurich, Switzerland"]),
            ),
            ("employment_type", json!("contract")),
        ],
    );
    // Empty strings stay unknown; pay comes only from the description's text.
    let p = show(&app, "northwind", "0B6C4F2D88").await;
    assert_fields(
        &p,
        &[
            ("department", Value::Null),
            ("employment_type", Value::Null),
            ("locations", json!([])),
            ("workplace", json!("unknown")),
            ("posted_at", json!("2026-10-19T00:00:00Z")),
        ],
    );
    assert_eq!(p["salary"]["min"], json!(3200.0));
    assert_eq!(p["salary"]["max"], json!(3800.0));
    assert_eq!(p["salary"]["currency"], json!("EUR"));
    assert_eq!(p["salary"]["period"], json!("month"));
    assert_eq!(p["salary"]["origin"], json!("text"));

    let again = app.run(&["fetch"]).await;
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        line(&again, "northwind").contains("not modified"),
        "{}",
        again.stdout
    );
    let statuses: Vec<u16> = server.seen(WORKABLE).iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 304], "conditional GET on the second fetch");
}

#[tokio::test(flavor = "multi_thread")]
async fn smartrecruiters_follows_every_page_and_each_detail() {
    let server = server().await;
    let app = TestApp::new().block(&smartrecruiters(
        "helix",
        "HelixDynamics",
        &server.base_url(),
        "",
    ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(
        run.code, 0,
        "a failed detail is not a failed source: {run:?}"
    );
    assert_eq!(count(&app, "helix"), 5, "{}", run.stdout);
    assert_eq!(server.seen(SR_PAGE1).len(), 1);
    assert_eq!(
        server.seen(SR_PAGE2).len(),
        1,
        "the second page was followed"
    );
    for id in SR_IDS {
        assert_eq!(
            server.seen(&format!("{SR_DETAIL}{id}")).len(),
            1,
            "detail of {id}"
        );
    }
    assert!(
        run.stderr.contains("posting detail unavailable"),
        "the failed details are logged: {}",
        run.stderr
    );

    let p = show(&app, "helix", SR_IDS[0]).await;
    let posting_url = "https://jobs.smartrecruiters.com/HelixDynamics/744000201234567-machine-learning-engineer-robot-learning";
    assert_fields(
        &p,
        &[
            ("title", json!("Machine Learning Engineer, Robot Learning")),
            ("company", json!("Helix Dynamics")),
            ("department", json!("Robot Learning")),
            ("locations", json!(["Munich, BY, Germany"])),
            ("workplace", json!("hybrid")),
            ("employment_type", json!("full-time")),
            ("posted_at", json!("2026-11-03T09:15:42Z")),
            ("url", json!(posting_url)),
            ("apply_url", json!(format!("{posting_url}?oga=true"))),
            (
                "tags",
                json!(["Engineering", "Machinery", "Mid-Senior Level"]),
            ),
        ],
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(text.contains("Work in PyTorch and JAX"), "{text}");
    assert!(text.contains("Company Description"), "{text}");
    assert_eq!(
        p["salary"],
        json!({"min": 78000.0, "max": 96000.0, "currency": "EUR", "period": "year",
               "origin": "text", "text": p["salary"]["text"]})
    );

    let p = show(&app, "helix", SR_IDS[1]).await;
    assert_fields(
        &p,
        &[
            ("title", json!("Senior Computer Vision Scientist")),
            ("locations", json!(["Petah Tikva, Israel"])),
            ("department", Value::Null),
            ("workplace", json!("on-site")),
        ],
    );
    assert_eq!(
        show(&app, "helix", SR_IDS[2]).await["workplace"],
        json!("remote")
    );
    // Broken detail and missing detail: kept with the list's fields only.
    for id in &SR_IDS[3..] {
        let p = show(&app, "helix", id).await;
        assert_eq!(p["text"], json!(""), "{id}");
        assert_eq!(p["url"], Value::Null, "{id}");
        assert!(p["posted_at"].is_string(), "{id}");
    }
    let p = show(&app, "helix", SR_IDS[4]).await;
    assert_fields(
        &p,
        &[
            ("title", json!("Working Student - Machine Learning")),
            ("employment_type", json!("internship")),
        ],
    );

    let again = app.run(&["fetch"]).await;
    assert_eq!(again.code, 0, "{again:?}");
    assert!(line(&again, "helix").contains("0 new"), "{}", again.stdout);
    assert_eq!(
        server.seen(SR_PAGE2).len(),
        2,
        "paged kinds re-read every page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn smartrecruiters_reads_no_more_than_max_pages() {
    let server = server().await;
    let app = TestApp::new().block(&smartrecruiters(
        "helix",
        "HelixDynamics",
        &server.base_url(),
        "max_pages = 1\n",
    ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(count(&app, "helix"), 3);
    assert_eq!(server.seen(SR_PAGE2).len(), 0, "page 2 is beyond max_pages");
    assert_eq!(server.seen(&format!("{SR_DETAIL}{}", SR_IDS[3])).len(), 0);
    assert!(
        run.stderr.contains("stopped at max_pages"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn recruitee_offers_are_stored_with_structured_salary() {
    let server = server().await;
    let app = TestApp::new().block(&recruitee("tidewater", "tidewater", &server.base_url()));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(count(&app, "tidewater"), 4, "the closed offer is skipped");

    let p = show(&app, "tidewater", "1874501").await;
    assert_fields(
        &p,
        &[
            ("title", json!("Machine Learning Engineer (NLP)")),
            ("company", json!("Tidewater AI")),
            ("department", json!("Applied ML")),
            (
                "locations",
                json!(["Amsterdam, North Holland, Netherlands"]),
            ),
            ("workplace", json!("hybrid")),
            ("employment_type", json!("full-time")),
            (
                "salary",
                json!({"min": 70000.0, "max": 90000.0, "currency": "EUR", "period": "year",
                       "origin": "structured", "text": null}),
            ),
            ("posted_at", json!("2026-10-28T08:30:00Z")),
            ("updated_at", json!("2026-11-04T16:12:09Z")),
            (
                "url",
                json!("https://tidewater.recruitee.com/o/machine-learning-engineer-nlp"),
            ),
            (
                "apply_url",
                json!("https://tidewater.recruitee.com/o/machine-learning-engineer-nlp/c/new"),
            ),
            ("tags", json!(["NLP", "PyTorch", "Transformers"])),
        ],
    );
    let text = p["text"].as_str().unwrap_or_default();
    assert!(text.contains("inspection reports"), "{text}");
    assert!(
        text.contains("- Hugging Face Transformers") || text.contains("Hugging Face Transformers"),
        "{text}"
    );

    let p = show(&app, "tidewater", "1874733").await;
    assert_fields(
        &p,
        &[
            ("workplace", json!("remote")),
            (
                "locations",
                json!(["Rotterdam, South Holland, Netherlands"]),
            ),
            ("employment_type", json!("freelance")),
            (
                "salary",
                json!({"min": 95.0, "max": 110.0, "currency": "EUR", "period": "hour",
                       "origin": "structured", "text": null}),
            ),
        ],
    );
    let p = show(&app, "tidewater", "1875020").await;
    assert_fields(
        &p,
        &[
            ("workplace", json!("on-site")),
            (
                "locations",
                json!([
                    "Utrecht, Utrecht, Netherlands",
                    "Eindhoven, North Brabant, Netherlands"
                ]),
            ),
            ("employment_type", json!("part-time")),
            ("salary", Value::Null),
        ],
    );

    let again = app.run(&["fetch"]).await;
    assert!(
        line(&again, "tidewater").contains("not modified"),
        "{}",
        again.stdout
    );
    let statuses: Vec<u16> = server
        .seen("/api/offers/")
        .iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(statuses, [200, 304]);
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_boards_are_fetched_cleanly() {
    let server = server().await;
    let base = server.base_url();
    let app = TestApp::new()
        .block(&workable("w", "quiet", &base))
        .block(&smartrecruiters("s", "QuietCo", &base, ""))
        .block(&recruitee("r", "quiet", &format!("{base}/quiet")));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    for name in ["w", "s", "r"] {
        assert!(
            line(&run, name).contains("ok            0 new"),
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
        .block(&workable("workable-broken", "broken", &base))
        .block(&smartrecruiters("sr-broken", "BrokenCo", &base, ""))
        .block(&recruitee(
            "recruitee-broken",
            "broken",
            &format!("{base}/broken"),
        ));
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
        let l = line(&run, name);
        assert!(l.contains("FAILED"), "{l}");
        assert!(l.contains("unexpected JSON"), "says what is wrong: {l}");
        assert!(l.contains(path), "names the URL: {l}");
    }
    for (name, n) in [("northwind", 4), ("helix", 5), ("tidewater", 4)] {
        assert!(line(&run, name).contains(" ok "), "{}", run.stdout);
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
    let mut titles: Vec<String> = hook
        .delivered()
        .iter()
        .map(|h| {
            h.body["posting"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    titles.sort();
    assert_eq!(
        titles,
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
        let run = app
            .run(&["search", query, "--format", "jsonl", "--limit", "50"])
            .await;
        assert_eq!(run.code, 0, "{query}: {run:?}");
        let mut found: Vec<String> = run
            .stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("json line")["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        found.sort();
        assert_eq!(found, *want, "{query}");
    }
}
