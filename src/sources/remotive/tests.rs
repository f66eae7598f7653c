use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{EmploymentType, SalaryOrigin, SalaryPeriod, SourceName};
use crate::normalize::normalize;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/remotive/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn api() -> Url {
    Url::parse("https://remotive.com/api/remote-jobs").expect("url")
}

fn parsed(name: &str) -> Vec<RawPosting> {
    parse(&fixture(name), &api()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn remotive_maps_every_field_of_an_ml_job() {
    assert!(
        fixture("ml-jobs.json").starts_with(b"\xEF\xBB\xBF"),
        "BOM kept in the fixture"
    );
    let jobs = parsed("ml-jobs.json");
    assert_eq!(jobs.len(), 4);
    let j = &jobs[0];
    assert_eq!(j.external_id, "2101001");
    assert_eq!(j.title, "Machine Learning Engineer, Recommendations");
    assert_eq!(
        j.company.as_deref(),
        Some("Kestrel AI"),
        "trailing space trimmed"
    );
    assert_eq!(j.department, None);
    assert_eq!(j.locations, ["USA"]);
    assert_eq!(j.workplace, Workplace::Remote);
    assert_eq!(j.employment_type.as_deref(), Some("full_time"));
    assert_eq!(j.salary, None, "Remotive has no structured salary");
    assert_eq!(j.salary_text.as_deref(), Some("$150k - $190k"));
    assert_eq!(
        j.posted_at,
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 15, 0).single(),
        "naive ISO read as UTC"
    );
    assert_eq!(j.updated_at, None);
    assert_eq!(
        j.url.as_deref(),
        Some(
            "https://remotive.com/remote-jobs/software-dev/machine-learning-engineer-recommendations-2101001"
        )
    );
    assert_eq!(j.apply_url, None);
    assert_eq!(
        j.tags,
        [
            "Software Development",
            "machine learning",
            "python",
            "pytorch",
            "recommender systems"
        ]
    );
    let html = j.description_html.as_deref().expect("description");
    assert!(
        html.contains("Train two-tower retrieval models in PyTorch"),
        "{html}"
    );
    assert!(html.contains("A/B tests \u{2014} and"), "{html}");
}

#[test]
fn remotive_salary_text_and_job_type_normalize() {
    let source = SourceName("remotive".into());
    let p: Vec<_> = parsed("ml-jobs.json")
        .into_iter()
        .map(|r| normalize(r, &source))
        .collect();
    let s = p[0].salary.as_ref().expect("parsed from text");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period, s.origin),
        (
            Some(150000.0),
            Some(190000.0),
            Some("USD"),
            Some(SalaryPeriod::Year),
            SalaryOrigin::Text
        )
    );
    assert_eq!(s.text.as_deref(), Some("$150k - $190k"));
    let s = p[3].salary.as_ref().expect("hourly");
    assert_eq!(
        (s.min, s.max, s.period),
        (Some(25.0), Some(40.0), Some(SalaryPeriod::Hour))
    );
    assert_eq!(p[1].salary, None, "empty salary stays unknown");
    assert_eq!(p[2].salary, None, "\"Competitive\" stays unknown");
    let types: Vec<_> = p.iter().map(|p| p.employment_type).collect();
    assert_eq!(
        types,
        [
            Some(EmploymentType::FullTime),
            None,
            Some(EmploymentType::Internship),
            Some(EmploymentType::Contract)
        ],
        "an empty job_type is unknown"
    );
    assert_eq!(p[1].locations, ["Europe, UK"]);
    assert!(p.iter().all(|p| p.workplace == Workplace::Remote));
}

#[test]
fn remotive_drops_the_tracking_pixel() {
    for name in ["ml-jobs.json", "real-2026-07-first1.json"] {
        for j in parsed(name) {
            let html = j.description_html.unwrap_or_default();
            assert!(!html.contains("/job/track/"), "{name}: {html}");
            assert!(!html.contains("<img"), "{name}: {html}");
        }
    }
    let cases = [
        ("<p>a</p>", "<p>a</p>"),
        (
            "<p>a</p>\n<IMG SRC=\"https://remotive.com/job/track/1/blank.gif?source=public_api\" alt=\"\"/>",
            "<p>a</p>",
        ),
        (
            "<img src=\"https://cdn.example/chart.png\"><p>b</p>",
            "<img src=\"https://cdn.example/chart.png\"><p>b</p>",
        ),
        ("<p>broken <img src=", "<p>broken <img src="),
    ];
    for (input, want) in cases {
        assert_eq!(strip_tracking_pixel(input), want);
    }
}

#[test]
fn remotive_keeps_inline_styles_out_of_the_text() {
    let j = parsed("ml-jobs.json").remove(1);
    let p = normalize(j, &SourceName("remotive".into()));
    assert!(p.text.starts_with("Parla Health builds"), "{}", p.text);
    assert!(!p.text.contains("--tw-"), "{}", p.text);
    assert!(
        !p.description_html.contains("style="),
        "{}",
        p.description_html
    );
}

#[test]
fn remotive_reads_the_real_capture() {
    let jobs = parsed("real-2026-07-first1.json");
    assert_eq!(jobs.len(), 1);
    let j = &jobs[0];
    assert_eq!(j.external_id, "2090903");
    assert_eq!(j.title, "Data Labeling Specialists");
    assert_eq!(j.company.as_deref(), Some("Workada"));
    assert_eq!(j.employment_type.as_deref(), Some("freelance"));
    assert_eq!(j.salary_text.as_deref(), Some("$18 - $22/hr"));
    assert_eq!(j.locations, ["USA"]);
    assert_eq!(
        j.posted_at,
        Utc.with_ymd_and_hms(2026, 7, 26, 20, 49, 11).single()
    );
    let p = normalize(j.clone(), &SourceName("remotive".into()));
    assert!(
        p.text
            .contains("Strong character matters \u{2014} we value"),
        "{}",
        p.text
    );
}

#[test]
fn remotive_with_no_jobs_is_an_empty_success() {
    assert!(parsed("empty.json").is_empty());
}

#[test]
fn remotive_rejects_truncated_and_unexpected_payloads() {
    let cases: [(&[u8], &str); 5] = [
        (&fixture("truncated.json"), "unexpected JSON"),
        (
            b"<html><body>502 Bad Gateway</body></html>",
            "unexpected JSON",
        ),
        (
            b"[]",
            "expected a JSON object with a `jobs` list, got a list",
        ),
        (br#"{"job-count": 0}"#, "no `jobs` list"),
        (
            br#"{"jobs": [{"title": "No id"}]}"#,
            "job 0 is malformed: missing field `id`",
        ),
    ];
    for (body, want) in cases {
        let err = parse(body, &api()).expect_err(want).to_string();
        assert!(
            err.starts_with("https://remotive.com/api/remote-jobs: "),
            "{err}"
        );
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn remotive_url_carries_category_and_search() {
    let base = Url::parse("http://127.0.0.1:9000").expect("url");
    let cases = [
        (None, None, None, "https://remotive.com/api/remote-jobs"),
        (
            Some("software-dev"),
            Some("machine learning"),
            None,
            "https://remotive.com/api/remote-jobs?category=software-dev&search=machine+learning",
        ),
        (
            None,
            Some("pytorch"),
            Some(base),
            "http://127.0.0.1:9000/api/remote-jobs?search=pytorch",
        ),
    ];
    for (category, search, base, want) in cases {
        let source = Remotive::new(category.map(String::from), search.map(String::from), base);
        assert_eq!(source.url().expect("url").as_str(), want);
    }
}
