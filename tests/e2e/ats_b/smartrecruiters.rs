//! `smartrecruiters`: the paged posting list and one detail request per
//! posting, bounded by `max_pages`.

use serde_json::{Value, json};

use super::{SR_DETAIL, SR_IDS, SR_PAGE1, SR_PAGE2, count, server};
use crate::support::app::TestApp;
use crate::support::postings::assert_fields;

#[tokio::test(flavor = "multi_thread")]
async fn smartrecruiters_follows_every_page_and_each_detail() {
    let server = server().await;
    let app = TestApp::new().source(
        "helix",
        "smartrecruiters",
        &server.base_url(),
        "company = \"HelixDynamics\"",
    );
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

    let p = app.show_from("helix", SR_IDS[0]).await;
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

    let p = app.show_from("helix", SR_IDS[1]).await;
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
        app.show_from("helix", SR_IDS[2]).await["workplace"],
        json!("remote")
    );
    // Broken detail and missing detail: kept with the list's fields only.
    for id in &SR_IDS[3..] {
        let p = app.show_from("helix", id).await;
        assert_eq!(p["text"], json!(""), "{id}");
        assert_eq!(p["url"], Value::Null, "{id}");
        assert!(p["posted_at"].is_string(), "{id}");
    }
    let p = app.show_from("helix", SR_IDS[4]).await;
    assert_fields(
        &p,
        &[
            ("title", json!("Working Student - Machine Learning")),
            ("employment_type", json!("internship")),
        ],
    );

    let again = app.run(&["fetch"]).await;
    assert_eq!(again.code, 0, "{again:?}");
    assert!(again.line("helix").contains("0 new"), "{}", again.stdout);
    assert_eq!(
        server.seen(SR_PAGE2).len(),
        2,
        "paged kinds re-read every page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn smartrecruiters_reads_no_more_than_max_pages() {
    let server = server().await;
    let app = TestApp::new().source(
        "helix",
        "smartrecruiters",
        &server.base_url(),
        "company = \"HelixDynamics\"\nmax_pages = 1",
    );
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
