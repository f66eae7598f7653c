use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{EmploymentType, SalaryOrigin, SalaryPeriod, SourceName};
use crate::normalize::normalize;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/himalayas/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn api() -> Url {
    Url::parse("https://himalayas.app/jobs/api?offset=0&limit=20").expect("url")
}

fn page(name: &str) -> Page {
    parse_page(&fixture(name), &api()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn himalayas_maps_every_field_of_an_ml_job() {
    let p = page("page-1.json");
    assert_eq!(p.postings.len(), 20, "a full page");
    assert_eq!(p.total, Some(23));
    let j = &p.postings[0];
    let guid = "https://himalayas.app/companies/northwind-ai/jobs/senior-machine-learning-engineer";
    assert_eq!(j.external_id, guid);
    assert_eq!(j.url.as_deref(), Some(guid));
    assert_eq!(j.title, "Senior Machine Learning Engineer");
    assert_eq!(j.company.as_deref(), Some("Northwind AI"));
    assert_eq!(j.department, None);
    assert_eq!(j.locations, ["United States"]);
    assert_eq!(j.workplace, Workplace::Remote);
    assert_eq!(j.employment_type.as_deref(), Some("Full Time"));
    let s = j.salary.as_ref().expect("salary");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period, s.origin),
        (
            Some(170000.0),
            Some(220000.0),
            Some("USD"),
            Some(SalaryPeriod::Year),
            SalaryOrigin::Structured
        )
    );
    assert_eq!(
        j.posted_at,
        Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single()
    );
    assert_eq!(j.updated_at, None);
    assert_eq!(
        j.apply_url.as_deref(),
        Some(
            "https://jobs.ashbyhq.com/northwind-ai/4c1f2e0a-1b7d-4e55-9d0c-6f0e2b9c1a11/application"
        )
    );
    assert_eq!(j.tags, ["Machine Learning", "Python", "PyTorch"]);
    let n = normalize(j.clone(), &SourceName("himalayas".into()));
    assert!(
        n.text.contains("- Own our forecasting models"),
        "{}",
        n.text
    );
    assert_eq!(n.employment_type, Some(EmploymentType::FullTime));
}

#[test]
fn himalayas_pub_date_is_read_in_seconds_or_milliseconds() {
    let p = page("page-1.json");
    let base = Utc
        .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
        .single()
        .expect("time");
    assert_eq!(
        p.postings[1].posted_at,
        Some(base - chrono::Duration::hours(1)),
        "seconds, as sent"
    );
    assert_eq!(
        p.postings[2].posted_at,
        Some(base - chrono::Duration::hours(2)),
        "milliseconds, as documented"
    );
}

#[test]
fn himalayas_keeps_a_cut_title_and_structured_pay_of_any_period() {
    let p = page("page-1.json");
    let j = &p.postings[1];
    assert_eq!(
        j.title.chars().count(),
        80,
        "the source cuts titles; kept as sent"
    );
    assert!(j.title.ends_with("Asia-Pacifi"), "{}", j.title);
    assert_eq!(j.locations, ["Australia", "New Zealand", "Singapore"]);
    let s = j.salary.as_ref().expect("hourly");
    assert_eq!(
        (s.min, s.max, s.period),
        (Some(85.0), Some(110.0), Some(SalaryPeriod::Hour))
    );
    let s = p.postings[2].salary.as_ref().expect("euros");
    assert_eq!(s.currency.as_deref(), Some("EUR"));
    assert_eq!(p.postings[3].salary, None, "null salaries are unknown");
    assert!(
        p.postings[3].locations.is_empty(),
        "no restriction: no location"
    );
    let types: Vec<_> = p.postings[..5]
        .iter()
        .map(|j| EmploymentType::parse(j.employment_type.as_deref().unwrap_or("")))
        .collect();
    use EmploymentType::*;
    assert_eq!(
        types,
        [
            Some(FullTime),
            Some(Contract),
            Some(FullTime),
            Some(FullTime),
            Some(Internship)
        ]
    );
}

#[test]
fn himalayas_second_page_is_short_and_keeps_every_entry() {
    let p = page("page-2.json");
    assert_eq!(p.postings.len(), 3);
    let titles: Vec<&str> = p.postings.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Principal Research Scientist, Multimodal Models",
            "Part-Time ML Tutor",
            // Only a third-party comment calls it a test entry; nothing from
            // Himalayas does, so it is not filtered out.
            "Backfill Test Role",
        ]
    );
    let s = p.postings[1].salary.as_ref().expect("salary");
    assert_eq!(
        (s.currency.as_deref(), s.period),
        (Some("GBP"), Some(SalaryPeriod::Hour))
    );
}

#[test]
fn himalayas_placeholder_company_falls_back_to_the_slug() {
    let p = page("placeholder-company.json");
    let companies: Vec<_> = p.postings.iter().map(|j| j.company.as_deref()).collect();
    assert_eq!(companies, [Some("quillsearch"), Some("labelhouse")]);
    assert_eq!(p.postings[1].employment_type.as_deref(), Some("Temporary"));
}

#[test]
fn himalayas_location_restrictions_as_strings_or_objects() {
    let body = br#"{"totalCount":1,"jobs":[{"guid":"g1","title":"ML Engineer","locationRestrictions":["Kenya",{"name":"Europe"},{"alpha2":"US"}," ",3]}]}"#;
    let p = parse_page(body, &api()).expect("parse");
    assert_eq!(p.postings[0].locations, ["Kenya", "Europe"]);
    assert_eq!(p.postings[0].url, None, "a guid that is no URL is no link");
    let body = br#"{"jobs":[{"guid":"g2","locationRestrictions":"Brazil"},{"guid":"g3","locationRestrictions":null}]}"#;
    let p = parse_page(body, &api()).expect("parse");
    assert_eq!(p.postings[0].locations, ["Brazil"]);
    assert!(p.postings[1].locations.is_empty());
    assert_eq!(p.total, None);
}

#[test]
fn himalayas_with_no_jobs_is_an_empty_success() {
    let p = page("empty.json");
    assert!(p.postings.is_empty());
    assert_eq!(p.total, Some(0));
}

#[test]
fn himalayas_rejects_truncated_and_unexpected_payloads() {
    let cases: [(&[u8], &str); 4] = [
        (&fixture("truncated.json"), "unexpected JSON"),
        (
            b"<html><body>Too Many Requests</body></html>",
            "unexpected JSON",
        ),
        (
            br#"{"message":"Too many requests"}"#,
            "no `jobs` list (the server says: Too many requests)",
        ),
        (br#"{"jobs":[{"title":"No guid"}]}"#, "job 0 has no guid"),
    ];
    for (body, want) in cases {
        let err = parse_page(body, &api()).expect_err(want).to_string();
        assert!(
            err.starts_with("https://himalayas.app/jobs/api?offset=0&limit=20: "),
            "{err}"
        );
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn himalayas_url_pages_by_offset() {
    let base = Url::parse("http://127.0.0.1:9000").expect("url");
    let h = Himalayas::new(None, 10, Duration::ZERO);
    assert_eq!(
        h.url(0).expect("url").as_str(),
        "https://himalayas.app/jobs/api?offset=0&limit=20"
    );
    let h = Himalayas::new(Some(base), 10, Duration::ZERO);
    assert_eq!(
        h.url(40).expect("url").as_str(),
        "http://127.0.0.1:9000/jobs/api?offset=40&limit=20"
    );
}
