use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{EmploymentType, SalaryOrigin, SalaryPeriod, SourceName};
use crate::normalize::normalize;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/jobicy/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn api() -> Url {
    Url::parse("https://jobicy.com/api/v2/remote-jobs?count=50").expect("url")
}

fn parsed(name: &str) -> Vec<RawPosting> {
    parse(&fixture(name), &api()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn jobicy_maps_every_field_of_an_ml_job() {
    let jobs = parsed("ml-jobs.json");
    assert_eq!(jobs.len(), 4);
    let j = &jobs[0];
    assert_eq!(j.external_id, "131001");
    assert_eq!(j.title, "Senior Machine Learning Engineer, Search");
    assert_eq!(j.company.as_deref(), Some("Vektor Search"));
    assert_eq!(j.department, None);
    assert_eq!(j.locations, ["USA"]);
    assert_eq!(j.workplace, Workplace::Remote);
    assert_eq!(j.employment_type.as_deref(), Some("Full-Time"));
    let s = j.salary.as_ref().expect("salary");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period, s.origin),
        (
            Some(160000.0),
            Some(210000.0),
            Some("USD"),
            Some(SalaryPeriod::Year),
            SalaryOrigin::Structured
        )
    );
    assert_eq!(
        j.posted_at,
        Utc.with_ymd_and_hms(2026, 11, 25, 8, 30, 0).single()
    );
    assert_eq!(j.updated_at, None);
    assert_eq!(
        j.url.as_deref(),
        Some("https://jobicy.com/jobs/131001-senior-machine-learning-engineer-search"),
        "`\\/` escapes undone"
    );
    assert_eq!(j.apply_url, None, "the public API links to Jobicy only");
    assert_eq!(j.tags, ["Data Science"]);
    let p = normalize(j.clone(), &SourceName("jobicy".into()));
    assert!(
        p.text.contains("You\u{2019}ll own our embedding models"),
        "{}",
        p.text
    );
    assert!(
        p.text.contains("- Serve them on GPUs with Triton"),
        "{}",
        p.text
    );
}

#[test]
fn jobicy_splits_job_geo_and_decodes_escaped_names() {
    let jobs = parsed("ml-jobs.json");
    assert_eq!(jobs[1].locations, ["LATAM", "Hong Kong", "Mexico"]);
    assert_eq!(jobs[1].tags, ["Product & Operations", "Contract"]);
    assert_eq!(jobs[1].employment_type.as_deref(), Some("Full-Time"));
    assert_eq!(jobs[2].locations, ["Anywhere"]);
    assert_eq!(jobs[3].locations, ["EMEA", "UK"]);
    let cases = [
        ("USA", vec!["USA"]),
        (
            "LATAM,  Hong Kong,  Mexico",
            vec!["LATAM", "Hong Kong", "Mexico"],
        ),
        ("EMEA, ,  UK,", vec!["EMEA", "UK"]),
        ("", vec![]),
    ];
    for (geo, want) in cases {
        assert_eq!(regions(geo), want, "{geo}");
    }
}

#[test]
fn jobicy_salary_is_structured_when_sent_and_unknown_when_left_out() {
    let jobs = parsed("ml-jobs.json");
    let s = jobs[1].salary.as_ref().expect("monthly");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period),
        (
            Some(4500.0),
            Some(6000.0),
            Some("USD"),
            Some(SalaryPeriod::Month)
        )
    );
    let s = jobs[3].salary.as_ref().expect("hourly");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period),
        (
            Some(55.0),
            Some(75.0),
            Some("GBP"),
            Some(SalaryPeriod::Hour)
        )
    );
    assert_eq!(jobs[2].salary, None, "the salary keys are absent");
    let p = normalize(jobs[2].clone(), &SourceName("jobicy".into()));
    assert_eq!(p.salary, None, "nothing in the text either");
}

#[test]
fn jobicy_employment_types_normalize() {
    let source = SourceName("jobicy".into());
    let types: Vec<_> = parsed("ml-jobs.json")
        .into_iter()
        .map(|r| normalize(r, &source).employment_type)
        .collect();
    use EmploymentType::*;
    assert_eq!(
        types,
        [
            Some(FullTime),
            Some(FullTime),
            Some(PartTime),
            Some(Contract)
        ]
    );
}

#[test]
fn jobicy_falls_back_to_the_escaped_excerpt() {
    let body = br#"{"jobCount":1,"jobs":[{"id":7,"jobTitle":"ML Engineer","jobExcerpt":"Ship models you&#8217;ll be proud of&hellip;","jobDescription":""}]}"#;
    let jobs = parse(body, &api()).expect("parse");
    let p = normalize(jobs[0].clone(), &SourceName("jobicy".into()));
    assert_eq!(p.text, "Ship models you\u{2019}ll be proud of\u{2026}");
}

#[test]
fn jobicy_with_no_jobs_is_an_empty_success() {
    assert!(parsed("empty.json").is_empty());
}

#[test]
fn jobicy_rejects_truncated_and_unexpected_payloads() {
    let cases: [(&[u8], &str); 4] = [
        (&fixture("truncated.json"), "unexpected JSON"),
        (
            b"<!doctype html><title>Maintenance</title>",
            "unexpected JSON",
        ),
        (
            br#"{"success":false,"error":"The 'count' parameter must be a number."}"#,
            "no `jobs` list (the server says: The 'count' parameter must be a number.)",
        ),
        (
            br#"{"jobs":[{"id":null,"jobTitle":"x"}]}"#,
            "job 0 has no id",
        ),
    ];
    for (body, want) in cases {
        let err = parse(body, &api()).expect_err(want).to_string();
        assert!(
            err.starts_with("https://jobicy.com/api/v2/remote-jobs?count=50: "),
            "{err}"
        );
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn jobicy_url_maps_region_and_category_to_geo_and_industry() {
    let base = Url::parse("http://127.0.0.1:9000").expect("url");
    let cases = [
        (
            None,
            None,
            None,
            None,
            "https://jobicy.com/api/v2/remote-jobs?count=50",
        ),
        (
            Some("pytorch"),
            Some("usa"),
            Some("data-science"),
            None,
            "https://jobicy.com/api/v2/remote-jobs?count=50&geo=usa&industry=data-science&tag=pytorch",
        ),
        (
            Some("machine learning"),
            None,
            None,
            Some(base),
            "http://127.0.0.1:9000/api/v2/remote-jobs?count=50&tag=machine+learning",
        ),
    ];
    for (tag, region, category, base, want) in cases {
        let s = |v: Option<&str>| v.map(String::from);
        let source = Jobicy::new(s(tag), s(region), s(category), base);
        assert_eq!(source.url().expect("url").as_str(), want);
    }
}
