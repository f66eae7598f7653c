//! `jobhound search`, `show` and `alerts test` over stored postings.

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;

async fn stocked() -> (FixtureServer, TestApp) {
    let server = FixtureServer::serve("feed").await;
    let app = [
        "wwr-programming.rss",
        "rss2-cdata-entities.rss",
        "rss1.rdf",
        "atom.xml",
        "jsonfeed.json",
    ]
    .iter()
    .fold(TestApp::new(), |app, f| {
        app.feed(&f.replace('.', "-"), &server.url(f))
    })
    .alert("ml", r#"title:(ML OR "machine learning")"#, &[]);
    assert_eq!(app.run(&["fetch"]).await.code, 0);
    (server, app)
}

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_by_word_phrase_field_and_negation() {
    let (_server, app) = stocked().await;
    let cases: &[(&str, &[&str])] = &[
        (
            "ML",
            &[
                "Computer Vision Engineer",
                "ML Platform Engineer",
                "Postdoc in Machine Learning for Climate",
            ],
        ),
        ("title:ML", &["ML Platform Engineer"]),
        (
            "html",
            &[
                "Senior Frontend Engineer (HTML/CSS)",
                "Staff HTML Email Developer",
            ],
        ),
        (
            "\"machine learning\"",
            &[
                "Deep Learning Researcher",
                "Machine Learning Engineer",
                "Postdoc in Machine Learning for Climate",
            ],
        ),
        (
            "title:\"machine learning\" -postdoc",
            &["Machine Learning Engineer"],
        ),
        ("company:\"acme ai\"", &["Deep Learning Researcher"]),
        ("location:oslo", &[]),
        ("text:oslo -title:vision", &["Data Engineer & Analyst"]),
        (
            "source:atom-xml",
            &["Computer Vision Engineer", "Data Engineer & Analyst"],
        ),
        (
            "transformers OR pytorch",
            &["Deep Learning Researcher", "Machine Learning Engineer"],
        ),
        ("c++", &["Computer Vision Engineer"]),
    ];
    for (query, want) in cases {
        assert_eq!(app.titles(query).await, *want, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ml_does_not_match_html() {
    let (_server, app) = stocked().await;
    let found = app.titles("ML").await;
    assert!(!found.iter().any(|t| t.contains("HTML")), "{found:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_query_points_at_the_position() {
    let (_server, app) = stocked().await;
    let run = app.run(&["search", "title:(ML OR"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("column 11"), "{}", run.stderr);
    assert!(
        run.stderr.contains("          ^"),
        "a caret under the position: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn show_and_alert_dry_runs_read_the_same_store() {
    let (_server, app) = stocked().await;
    let run = app.run(&["search", "pytorch", "--format", "json"]).await;
    let hits: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("json");
    let id = hits[0]["id"].as_i64().expect("id").to_string();
    let show = app.run(&["show", &id]).await;
    assert_eq!(show.code, 0);
    assert!(
        show.stdout.contains("company: Lumen Labs") && show.stdout.contains("PyTorch"),
        "{}",
        show.stdout
    );
    assert_eq!(app.run(&["show", "999999"]).await.code, 5);
    let dry = app
        .run(&["alerts", "test", "ml", "--format", "jsonl"])
        .await;
    assert_eq!(dry.code, 0, "{dry:?}");
    assert_eq!(dry.stdout.lines().count(), 3, "{}", dry.stdout);
    assert_eq!(app.run(&["alerts", "test", "nope"]).await.code, 5);
}
