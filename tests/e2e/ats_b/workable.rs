//! `workable`: one widget document per account, stored field by field and
//! fetched again conditionally.

use serde_json::{Value, json};

use super::{WORKABLE, count, server};
use crate::support::app::TestApp;
use crate::support::postings::assert_fields;

#[tokio::test(flavor = "multi_thread")]
async fn workable_board_is_stored_field_by_field_and_refetched_conditionally() {
    let server = server().await;
    let app = TestApp::new().source(
        "northwind",
        "workable",
        &server.base_url(),
        "account = \"northwind-vision\"",
    );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        count(&app, "northwind"),
        4,
        "a job listed twice is one posting"
    );

    let p = app.show_from("northwind", "A41F0C22B7").await;
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

    let p = app.show_from("northwind", "7C93D1E0AF").await;
    assert_fields(
        &p,
        &[
            ("locations", json!(["Lisbon, Lisbon, Portugal", "Spain"])),
            ("workplace", json!("remote")),
        ],
    );
    let p = app.show_from("northwind", "E2D5B8A913").await;
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
    let p = app.show_from("northwind", "0B6C4F2D88").await;
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
        again.line("northwind").contains("not modified"),
        "{}",
        again.stdout
    );
    let statuses: Vec<u16> = server.seen(WORKABLE).iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 304], "conditional GET on the second fetch");
}
