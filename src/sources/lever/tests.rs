use super::*;
use crate::model::SourceName;
use crate::normalize::{normalize, parse_time};

fn fixture(name: &str) -> Result<Vec<RawPosting>, SourceError> {
    let path = format!("{}/fixtures/lever/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
    parse(&bytes, &api_url())
}

fn api_url() -> Url {
    Url::parse("https://api.lever.co/v0/postings/parallax?mode=json").expect("url")
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    parse_time(s).expect("time")
}

#[test]
fn lever_maps_every_field_of_a_posting() {
    let jobs = fixture("postings.json").expect("parses");
    assert_eq!(jobs.len(), 5);
    let j = &jobs[0];
    assert_eq!(j.external_id, "5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70");
    assert_eq!(j.title, "Senior Machine Learning Engineer, Perception");
    assert_eq!(j.company, None, "the list names no company");
    assert_eq!(j.department.as_deref(), Some("Autonomy"));
    assert_eq!(j.locations, ["Foster City, CA", "Seattle, WA"]);
    assert_eq!(
        j.workplace,
        Workplace::Onsite,
        "`onsite`, without the hyphen"
    );
    assert_eq!(j.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(
        j.posted_at,
        Some(utc("2025-11-27T01:02:41.939Z")),
        "createdAt is epoch ms"
    );
    assert_eq!(j.updated_at, None);
    assert_eq!(
        j.url.as_deref(),
        Some("https://jobs.lever.co/parallax/5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70")
    );
    assert_eq!(
        j.apply_url.as_deref(),
        Some("https://jobs.lever.co/parallax/5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70/apply")
    );
    let s = j.salary.as_ref().expect("salaryRange");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period, s.origin),
        (
            Some(198_000.0),
            Some(264_000.0),
            Some("USD"),
            Some(SalaryPeriod::Year),
            SalaryOrigin::Structured
        )
    );
    assert_eq!(
        s.text.as_deref(),
        Some("The base salary range for this position is $198,000 – $264,000."),
        "U+00A0 folded to spaces"
    );
}

#[test]
fn lever_description_joins_body_lists_and_closing() {
    let jobs = fixture("postings.json").expect("parses");
    let html = jobs[0].description_html.as_deref().expect("html");
    assert!(
        html.starts_with("<div><b>About Parallax</b></div>"),
        "{html}"
    );
    assert!(
        html.contains("<h3>What you&#39;ll do</h3><ul><li>Own lidar-camera fusion"),
        "list titles escaped, items wrapped in <ul>: {html}"
    );
    assert!(html.ends_with("during interviews.</div>"), "{html}");
    let p = normalize(jobs[0].clone(), &SourceName("lever".into()));
    assert!(p.text.contains("What you'll do"), "{}", p.text);
    assert!(p.text.contains("- PyTorch & CUDA"), "{}", p.text);
    assert!(p.text.contains("equal opportunity employer"), "{}", p.text);
    // An empty list (no title, no items) adds nothing.
    let last = jobs[4].description_html.as_deref().expect("html");
    assert!(!last.contains("<h3>") && !last.contains("<ul>"), "{last}");
}

/// (min, max, currency, period) of a structured salary.
type Pay = (f64, f64, &'static str, SalaryPeriod);

#[test]
fn lever_workplace_types_and_salary_intervals_map() {
    let jobs = fixture("postings.json").expect("parses");
    let cases: &[(usize, Workplace, Option<Pay>)] = &[
        (
            0,
            Workplace::Onsite,
            Some((198_000.0, 264_000.0, "USD", SalaryPeriod::Year)),
        ),
        (1, Workplace::Remote, None),
        (
            2,
            Workplace::Hybrid,
            Some((48.0, 60.0, "CAD", SalaryPeriod::Hour)),
        ),
        (
            3,
            Workplace::Unknown,
            Some((4_400.0, 5_200.0, "EUR", SalaryPeriod::Month)),
        ),
        (4, Workplace::Remote, None),
    ];
    for (i, workplace, salary) in cases {
        let j = &jobs[*i];
        assert_eq!(j.workplace, *workplace, "{}", j.title);
        let got = j.salary.as_ref().map(|s| {
            (
                s.min.unwrap_or_default(),
                s.max.unwrap_or_default(),
                s.currency.as_deref().unwrap_or_default(),
                s.period.expect("period"),
            )
        });
        assert_eq!(got, *salary, "{}", j.title);
    }
}

#[test]
fn lever_salary_description_is_the_fallback_text() {
    let jobs = fixture("postings.json").expect("parses");
    let j = &jobs[1];
    assert_eq!(j.salary, None);
    assert_eq!(
        j.salary_text.as_deref(),
        Some("Salary: $160,000 - $210,000 per year, plus equity.")
    );
    assert_eq!(
        j.department.as_deref(),
        Some("Research"),
        "team when no department"
    );
    let p = normalize(j.clone(), &SourceName("lever".into()));
    let s = p.salary.expect("parsed from the salary description");
    assert_eq!(
        (s.min, s.max, s.period, s.origin),
        (
            Some(160_000.0),
            Some(210_000.0),
            Some(SalaryPeriod::Year),
            SalaryOrigin::Text
        )
    );
}

#[test]
fn lever_country_stands_in_only_when_no_location_is_named() {
    let jobs = fixture("postings.json").expect("parses");
    assert_eq!(jobs[4].locations, ["GB"]);
    assert_eq!(jobs[2].locations, ["Toronto, ON"], "not Toronto plus CA");
    assert_eq!(jobs[2].employment_type.as_deref(), Some("Intern"));
}

#[test]
fn lever_empty_site_is_an_empty_list() {
    assert_eq!(fixture("empty.json").expect("parses"), []);
}

#[test]
fn lever_broken_or_misshapen_payloads_are_parse_errors() {
    let cases = [
        ("truncated.json", "EOF while parsing"),
        ("single-posting.json", "expected a sequence"),
    ];
    for (name, want) in cases {
        let err = fixture(name).expect_err(name).to_string();
        assert!(
            err.starts_with(api_url().as_str()) && err.contains(want),
            "{name}: {err}"
        );
    }
}

#[test]
fn lever_zero_or_missing_amounts_and_odd_intervals_stay_unknown() {
    let body = br#"[
      {"id":"a","text":"ML Engineer","salaryRange":{"currency":"usd","interval":"one-time","min":0,"max":9000}},
      {"id":"b","text":"ML Engineer","salaryRange":{"currency":"USD","interval":"per-year-salary","min":0,"max":0}},
      {"id":"c","text":"ML Engineer","salaryRange":{"currency":null,"interval":null,"min":null,"max":null}},
      {"id":"d","text":"ML\u00a0Engineer","categories":{"location":"  "},"workplaceType":"On-Site",
       "description":"","descriptionPlain":"Plain\u00a0only"}
    ]"#;
    let jobs = parse(body, &api_url()).expect("parses");
    let a = jobs[0].salary.as_ref().expect("max known");
    assert_eq!(
        (a.min, a.max, a.currency.as_deref(), a.period),
        (None, Some(9_000.0), Some("USD"), None)
    );
    assert_eq!(jobs[1].salary, None, "0 to 0 is no salary");
    assert_eq!(jobs[2].salary, None);
    let d = &jobs[3];
    assert_eq!(d.title, "ML Engineer");
    assert!(d.locations.is_empty());
    assert_eq!(d.workplace, Workplace::Onsite);
    assert_eq!(d.posted_at, None);
    assert_eq!(d.description_html, None);
    assert_eq!(d.description_text.as_deref(), Some("Plain\u{a0}only"));
}

#[test]
fn lever_endpoint_picks_the_instance_and_follows_base_url() {
    let base = Url::parse("http://127.0.0.1:8080").expect("url");
    let cases = [
        (
            false,
            None,
            "https://api.lever.co/v0/postings/parallax?mode=json",
        ),
        (
            true,
            None,
            "https://api.eu.lever.co/v0/postings/parallax?mode=json",
        ),
        (
            true,
            Some(&base),
            "http://127.0.0.1:8080/v0/postings/parallax?mode=json",
        ),
    ];
    for (eu, base, want) in cases {
        let l = Lever::new("parallax".into(), eu, base.cloned());
        assert_eq!(l.url().expect("url").as_str(), want);
    }
}
