//! Cross-source identity end to end: the labelled set of `fixtures/identity/`
//! served as fifteen sources (employer ATS boards, job boards, a WWR feed, an
//! HN "Who is hiring?" thread),
//! fetched by the real binary, and every stored job compared with the labels
//! (pairwise precision and recall); then one job on two boards notified once,
//! one title in two cities kept apart, and a job that leaves its board closed
//! and reopened.

use std::collections::{BTreeMap, BTreeSet};

use std::time::Duration;

use serde_json::Value;

use crate::support::app::{Run, TestApp};
use crate::support::server::FixtureServer;
use crate::support::sink::WebhookSink;

const GETRO_PATH: &str = "/api/v2/collections/4410/search/jobs";
const HN_SEARCH: &str = "/api/v1/search_by_date?query=%22Ask%20HN%3A%20Who%20is%20hiring%3F%22\
                         &tags=story,author_whoishiring&hitsPerPage=3";

/// A listing: (source name, external id as stored).
type Listing = (String, String);

/// Every board of the set: (source name, kind, kind keys, API path, fixture file).
/// The northbeam board is routed by phase ([`route_northbeam`]).
const BOARDS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "gh-larkspur",
        "greenhouse",
        "board = \"larkspur\"",
        "/v1/boards/larkspur/jobs?content=true",
        "identity/greenhouse-larkspur.json",
    ),
    (
        "gh-quillon",
        "greenhouse",
        "board = \"quillonlabs\"",
        "/v1/boards/quillonlabs/jobs?content=true",
        "identity/greenhouse-quillonlabs.json",
    ),
    (
        "lever-morrow",
        "lever",
        "site = \"morrowface\"",
        "/v0/postings/morrowface?mode=json",
        "identity/lever-morrowface.json",
    ),
    (
        "lever-tessellate",
        "lever",
        "site = \"tessellate\"\ncompany = \"Tessellate Systems\"",
        "/v0/postings/tessellate?mode=json",
        "identity/lever-tessellate.json",
    ),
    (
        "lever-okapi",
        "lever",
        "site = \"okapibio\"",
        "/v0/postings/okapibio?mode=json",
        "identity/lever-okapibio.json",
    ),
    (
        "ashby-halden",
        "ashby",
        "board = \"halden-robotics\"",
        "/posting-api/job-board/halden-robotics?includeCompensation=true",
        "identity/ashby-halden-robotics.json",
    ),
    (
        "ashby-brightwater",
        "ashby",
        "board = \"brightwater\"",
        "/posting-api/job-board/brightwater?includeCompensation=true",
        "identity/ashby-brightwater.json",
    ),
    ("remoteok", "remoteok", "", "/api", "identity/remoteok.json"),
    (
        "remotive",
        "remotive",
        "",
        "/api/remote-jobs",
        "identity/remotive.json",
    ),
    (
        "jobicy",
        "jobicy",
        "",
        "/api/v2/remote-jobs?count=50",
        "identity/jobicy.json",
    ),
    (
        "himalayas",
        "himalayas",
        "",
        "/jobs/api?offset=0&limit=20",
        "identity/himalayas.json",
    ),
    (
        "hn",
        "hn_whoishiring",
        "months = 1",
        "/api/v1/items/46100001",
        "identity/hn-item-46100001.json",
    ),
];

const NORTHBEAM: &str = "/v1/boards/northbeam/jobs?content=true";

/// Points the northbeam board at one of its phases: 1 lists every job, 2 has
/// lost the forecasting job, 3 lists it again under a new id.
fn route_northbeam(server: &FixtureServer, phase: u8) {
    server.route(
        NORTHBEAM,
        &format!("identity/greenhouse-northbeam-phase{phase}.json"),
    );
}

/// Every board of the set routed on one server, and an app fetching them all.
async fn whole_set() -> (FixtureServer, TestApp) {
    let server = FixtureServer::serve(".").await;
    for (_, _, _, path, file) in BOARDS {
        server.route(path, file);
    }
    // December's thread, as the HN fixtures' search finds it.
    server.route(HN_SEARCH, "hn_whoishiring/search-1.json");
    route_northbeam(&server, 1);
    server.route_post(
        GETRO_PATH,
        "page",
        Some("application/json"),
        &[("0", "identity/getro.json")],
    );
    let base = server.base_url();
    // One source at a time, in config order: which of two fitting jobs a
    // copy meets first depends on the order listings are stored in, and a
    // test must measure the same thing every run.
    let mut app = TestApp::new().http("concurrency = 1");
    for (name, kind, keys, _, _) in BOARDS {
        app = app.source(name, kind, &base, keys);
    }
    app = app
        .source("gh-northbeam", "greenhouse", &base, "board = \"northbeam\"")
        .source("getro", "getro", &base, "collection = \"4410\"")
        .feed("wwr", &server.url("identity/wwr.rss"));
    (server, app)
}

/// Waits until the wall clock enters the next second. The store keeps times
/// in whole seconds and counts a listing absent from a fetch only when its
/// last sighting is older than the fetch, so fetches meant to prove absence
/// must not share a second (real fetches are minutes apart).
async fn next_second() {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
    };
    let left = Duration::from_secs(1) - Duration::from_nanos(u64::from(now().subsec_nanos()));
    tokio::time::sleep(left + Duration::from_millis(5)).await;
}

async fn fetch(app: &TestApp) -> Run {
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
    run
}

/// Every stored job, closed ones too.
async fn all_jobs(app: &TestApp) -> Vec<Value> {
    let run = app
        .run(&["search", "--all", "--limit", "100000", "--format", "json"])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    match serde_json::from_str(&run.stdout).expect("search prints JSON") {
        Value::Array(jobs) => jobs,
        other => panic!("expected an array of postings, got {other}"),
    }
}

/// The listings of a stored job, by its sightings.
fn listings(job: &Value) -> Vec<Listing> {
    job["sightings"]
        .as_array()
        .expect("sightings")
        .iter()
        .map(|s| {
            (
                s["source"].as_str().expect("source").to_string(),
                s["external_id"].as_str().expect("external_id").to_string(),
            )
        })
        .collect()
}

/// The labels: listing → job key, and the pairs of jobs that are hard negatives.
struct Labels {
    job_of: BTreeMap<Listing, String>,
    apart: Vec<(String, String)>,
}

fn labels() -> Labels {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/identity/labels.toml");
    let text = std::fs::read_to_string(path).expect("labels.toml");
    let doc: toml::Table = toml::from_str(&text).expect("labels.toml is TOML");
    let mut job_of = BTreeMap::new();
    for job in doc["job"].as_array().expect("[[job]]") {
        let key = job["key"].as_str().expect("key").to_string();
        for l in job["listings"].as_array().expect("listings") {
            let listing = (
                l["source"].as_str().expect("source").to_string(),
                l["id"].as_str().expect("id").to_string(),
            );
            let before = job_of.insert(listing.clone(), key.clone());
            assert!(before.is_none(), "{listing:?} labelled twice");
        }
    }
    let apart = doc["apart"]
        .as_array()
        .expect("apart")
        .iter()
        .map(|p| {
            let p = p.as_array().expect("a pair");
            (
                p[0].as_str().expect("key").to_string(),
                p[1].as_str().expect("key").to_string(),
            )
        })
        .collect();
    Labels { job_of, apart }
}

/// How one stored listing was joined to its job, for the failure report.
fn how(jobs: &[Value], l: &Listing) -> String {
    for job in jobs {
        for s in job["sightings"].as_array().into_iter().flatten() {
            if s["source"] == l.0.as_str() && s["external_id"] == l.1.as_str() {
                return format!(
                    "job {} \"{}\" ({}), joined by {}{}",
                    job["id"],
                    job["title"].as_str().unwrap_or_default(),
                    job["company"].as_str().unwrap_or("no company"),
                    s["reason"].as_str().unwrap_or_default(),
                    s["detail"]
                        .as_str()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default(),
                );
            }
        }
    }
    "not stored".into()
}

#[tokio::test(flavor = "multi_thread")]
async fn labelled_set_pairwise_precision_and_recall() {
    let (server, app) = whole_set().await;
    fetch(&app).await;
    // The forecasting job leaves its board for two fetches (the board edits
    // another job in between, so neither is answered 304), then comes back
    // under a new id: a repost, the same job.
    route_northbeam(&server, 2);
    next_second().await;
    fetch(&app).await;
    server.route(NORTHBEAM, "identity/greenhouse-northbeam-phase2b.json");
    next_second().await;
    fetch(&app).await;
    route_northbeam(&server, 3);
    next_second().await;
    fetch(&app).await;

    let labels = labels();
    let jobs = all_jobs(&app).await;
    let mut stored_in: BTreeMap<Listing, usize> = BTreeMap::new();
    for (i, job) in jobs.iter().enumerate() {
        for l in listings(job) {
            stored_in.insert(l, i);
        }
    }
    let stored: BTreeSet<&Listing> = stored_in.keys().collect();
    let labelled: BTreeSet<&Listing> = labels.job_of.keys().collect();
    assert_eq!(
        stored.difference(&labelled).collect::<Vec<_>>(),
        Vec::<&&Listing>::new(),
        "stored listings without a label"
    );
    assert_eq!(
        labelled.difference(&stored).collect::<Vec<_>>(),
        Vec::<&&Listing>::new(),
        "labelled listings never stored"
    );

    let all: Vec<&Listing> = labels.job_of.keys().collect();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            let truly = labels.job_of[*a] == labels.job_of[*b];
            let predicted = stored_in[*a] == stored_in[*b];
            match (truly, predicted) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    wrong.push(("merged, different jobs", a, b));
                }
                (true, false) => {
                    fn_ += 1;
                    wrong.push(("apart, one job", a, b));
                }
                (false, false) => {}
            }
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = tp as f64 / (tp + fn_) as f64;
    let jobs_labelled: BTreeSet<&String> = labels.job_of.values().collect();
    let hard: usize = labels
        .apart
        .iter()
        .map(|(x, y)| {
            let n = |k: &String| labels.job_of.values().filter(|v| *v == k).count();
            n(x) * n(y)
        })
        .sum();
    println!(
        "identity set: {} listings, {} jobs, {} true pairs, {} hard-negative pairs",
        all.len(),
        jobs_labelled.len(),
        tp + fn_,
        hard
    );
    println!(
        "stored jobs: {}; pairs merged right {tp}, wrongly merged {fp}, missed {fn_}",
        jobs.len()
    );
    println!("pairwise precision {precision:.4}, recall {recall:.4}");
    for (what, a, b) in &wrong {
        println!(
            "  {what}: {} / {}\n    {}/{}: {}\n    {}/{}: {}",
            labels.job_of[*a],
            labels.job_of[*b],
            a.0,
            a.1,
            how(&jobs, a),
            b.0,
            b.1,
            how(&jobs, b)
        );
    }
    // The goals are precision 0.99 and recall 0.95. Stored in config order
    // this set measures 1.000 and 0.951; fetched concurrently, 0.92 to 0.96
    // (the order decides whether a region-only copy meets one requisition or
    // both, a doubt kept apart). The floors leave a pair of room.
    assert!(precision >= 0.99, "precision {precision:.4}");
    assert!(recall >= 0.94, "recall {recall:.4}");
}

/// The listings the labels give job `key` on `sources`.
fn labelled(key: &str, sources: &[&str]) -> BTreeSet<Listing> {
    labels()
        .job_of
        .into_iter()
        .filter(|(l, k)| k == key && sources.contains(&l.0.as_str()))
        .map(|(l, _)| l)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_a_second_board_lists_later_is_one_posting_notified_once() {
    let server = FixtureServer::serve(".").await;
    server
        .route(
            "/v0/postings/tessellate?mode=json",
            "identity/lever-tessellate.json",
        )
        .route("/api/remote-jobs", "remotive/empty.json");
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .source(
            "lever-tessellate",
            "lever",
            &server.base_url(),
            "site = \"tessellate\"\ncompany = \"Tessellate Systems\"",
        )
        .source("remotive", "remotive", &server.base_url(), "")
        .alert("compilers", "title:compiler", &["hook"])
        .webhook("hook", &hook.url());
    fetch(&app).await;
    assert_eq!(hook.titles(), ["Senior Compiler Engineer"]);
    // Days later Remotive lists it too: its own URL, "Sr." for "Senior", a
    // place of its own ("USA"), no link to the employer's page.
    server.route("/api/remote-jobs", "identity/remotive.json");
    fetch(&app).await;
    assert_eq!(
        hook.titles(),
        ["Senior Compiler Engineer"],
        "the second board's listing is no news"
    );
    let compilers: Vec<Value> = all_jobs(&app)
        .await
        .into_iter()
        .filter(|j| j["title"] == "Senior Compiler Engineer")
        .collect();
    assert_eq!(compilers.len(), 1, "{compilers:#?}");
    let got: BTreeSet<Listing> = listings(&compilers[0]).into_iter().collect();
    assert_eq!(
        got,
        labelled("tess-compiler", &["lever-tessellate", "remotive"])
    );
    let reasons: Vec<&str> = compilers[0]["sightings"]
        .as_array()
        .expect("sightings")
        .iter()
        .map(|s| s["reason"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(reasons, ["first", "content"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_title_in_two_cities_is_two_postings() {
    let server = FixtureServer::serve(".").await;
    server
        .route(
            "/v1/boards/larkspur/jobs?content=true",
            "identity/greenhouse-larkspur.json",
        )
        .route("/api", "identity/remoteok.json");
    let app = TestApp::new()
        .source(
            "gh-larkspur",
            "greenhouse",
            &server.base_url(),
            "board = \"larkspur\"",
        )
        .source("remoteok", "remoteok", &server.base_url(), "");
    fetch(&app).await;
    let mles: Vec<BTreeSet<Listing>> = all_jobs(&app)
        .await
        .iter()
        .filter(|j| {
            j["title"] == "Machine Learning Engineer" && j["company"] == "Larkspur AI, Inc."
        })
        .map(|j| listings(j).into_iter().collect())
        .collect();
    let sources = ["gh-larkspur", "remoteok"];
    let want = [
        labelled("lark-mle-sf", &sources),
        labelled("lark-mle-nyc", &sources),
    ];
    assert_eq!(mles.len(), 2, "{mles:?}");
    for w in &want {
        assert!(mles.contains(w), "{w:?} not one posting in {mles:?}");
    }
}

/// The state `show` gives the job `source` stored under `external_id`.
async fn state(app: &TestApp, source: &str, external_id: &str) -> String {
    let job = app.show_from(source, external_id).await;
    job["state"].as_str().expect("state").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_gone_for_two_fetches_closes_unnotified_and_reopens_when_back() {
    let server = FixtureServer::serve(".").await;
    route_northbeam(&server, 1);
    let hook = WebhookSink::start().await;
    let app = TestApp::new()
        .source(
            "gh-northbeam",
            "greenhouse",
            &server.base_url(),
            "board = \"northbeam\"",
        )
        .alert("forecasting", "title:forecasting", &["hook"])
        .webhook("hook", &hook.url());
    let gone = labelled("northbeam-mle-old", &["gh-northbeam"])
        .into_iter()
        .map(|(_, id)| id)
        .min()
        .expect("the job's first id");
    fetch(&app).await;
    assert_eq!(hook.titles(), ["Machine Learning Engineer, Forecasting"]);
    route_northbeam(&server, 2);
    next_second().await;
    fetch(&app).await;
    assert_eq!(
        state(&app, "gh-northbeam", &gone).await,
        "open",
        "one absence proves nothing"
    );
    // The board changed meanwhile (another job's text), so it is fetched in full.
    server.route(NORTHBEAM, "identity/greenhouse-northbeam-phase2b.json");
    next_second().await;
    fetch(&app).await;
    assert_eq!(state(&app, "gh-northbeam", &gone).await, "closed");
    let open = app.titles("forecasting").await;
    assert!(
        open.is_empty(),
        "closed jobs are hidden from search: {open:?}"
    );
    let every = app
        .run(&["search", "forecasting", "--all", "--format", "jsonl"])
        .await;
    assert!(every.stdout.contains("\"state\":\"closed\""), "{every:?}");
    assert_eq!(hook.delivered().len(), 1, "closing notifies nobody");
    route_northbeam(&server, 1);
    next_second().await;
    fetch(&app).await;
    assert_eq!(state(&app, "gh-northbeam", &gone).await, "reopened");
    assert_eq!(app.titles("forecasting").await.len(), 1);
    assert_eq!(
        hook.delivered().len(),
        1,
        "a reopened job is not news either"
    );
}

/// A board that did not change answers the second fetch with 304 Not
/// Modified: the same complete list as before, so the job is absent a second
/// time and must close. Today a 304 counts no absence, and the job stays open
/// until the board changes for some other reason.
#[tokio::test(flavor = "multi_thread")]
async fn a_job_gone_from_an_unchanged_board_closes_after_two_fetches() {
    let server = FixtureServer::serve(".").await;
    route_northbeam(&server, 1);
    let app = TestApp::new().source(
        "gh-northbeam",
        "greenhouse",
        &server.base_url(),
        "board = \"northbeam\"",
    );
    let gone = labelled("northbeam-mle-old", &["gh-northbeam"])
        .into_iter()
        .map(|(_, id)| id)
        .min()
        .expect("the job's first id");
    fetch(&app).await;
    route_northbeam(&server, 2);
    next_second().await;
    fetch(&app).await;
    next_second().await;
    let second = fetch(&app).await;
    assert!(second.stdout.contains("not modified"), "{}", second.stdout);
    assert_eq!(state(&app, "gh-northbeam", &gone).await, "closed");
}
