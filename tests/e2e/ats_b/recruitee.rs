//! `recruitee`: a careers site's offers with their structured salary,
//! fetched again conditionally.

use serde_json::{Value, json};

use super::{count, server};
use crate::support::app::TestApp;
use crate::support::postings::assert_fields;

#[tokio::test(flavor = "multi_thread")]
async fn recruitee_offers_are_stored_with_structured_salary() {
    let server = server().await;
    let app = TestApp::new().source(
        "tidewater",
        "recruitee",
        &server.base_url(),
        "company = \"tidewater\"",
    );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(count(&app, "tidewater"), 4, "the closed offer is skipped");

    let p = app.show_from("tidewater", "1874501").await;
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

    let p = app.show_from("tidewater", "1874733").await;
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
    let p = app.show_from("tidewater", "1875020").await;
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
        again.line("tidewater").contains("not modified"),
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
