use chrono::{TimeZone, Utc};

use super::*;

fn url() -> Url {
    Url::parse("https://tidewater.recruitee.com/api/offers/").expect("url")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/recruitee/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn offers() -> Vec<RawPosting> {
    parse(&fixture("offers.json"), &url()).expect("offers parse")
}

fn by_id(all: &[RawPosting], id: &str) -> RawPosting {
    all.iter()
        .find(|p| p.external_id == id)
        .cloned()
        .unwrap_or_else(|| panic!("no posting {id}"))
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<chrono::DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
}

#[test]
fn recruitee_maps_every_field_of_an_offer() {
    let p = by_id(&offers(), "1874501");
    assert_eq!(p.title, "Machine Learning Engineer (NLP)");
    assert_eq!(p.company.as_deref(), Some("Tidewater AI"));
    assert_eq!(p.department.as_deref(), Some("Applied ML"));
    assert_eq!(p.locations, ["Amsterdam, North Holland, Netherlands"]);
    assert_eq!(p.workplace, Workplace::Hybrid);
    assert_eq!(p.employment_type.as_deref(), Some("fulltime_permanent"));
    assert_eq!(
        p.salary,
        Some(Salary {
            min: Some(70_000.0),
            max: Some(90_000.0),
            currency: Some("EUR".into()),
            period: Some(SalaryPeriod::Year),
            origin: SalaryOrigin::Structured,
            text: None,
        })
    );
    assert_eq!(p.posted_at, utc(2026, 10, 28, 8, 30, 0), "published_at");
    assert_eq!(p.updated_at, utc(2026, 11, 4, 16, 12, 9));
    assert_eq!(
        p.url.as_deref(),
        Some("https://tidewater.recruitee.com/o/machine-learning-engineer-nlp")
    );
    assert_eq!(
        p.apply_url.as_deref(),
        Some("https://tidewater.recruitee.com/o/machine-learning-engineer-nlp/c/new")
    );
    let html = p.description_html.unwrap_or_default();
    assert!(html.contains("inspection reports"), "description: {html}");
    assert!(
        html.contains("Hugging Face Transformers"),
        "requirements: {html}"
    );
    assert!(
        html.find("inspection reports") < html.find("Hugging Face"),
        "description before requirements"
    );
    assert_eq!(p.tags, ["NLP", "PyTorch", "Transformers"]);
}

#[test]
fn recruitee_salary_workplace_and_location_quirks() {
    let all = offers();
    struct Case {
        id: &'static str,
        locations: &'static [&'static str],
        workplace: Workplace,
        pay: Option<(Option<f64>, Option<f64>, Option<SalaryPeriod>)>,
    }
    let cases = [
        // "Remote job" while the city names an office; hourly pay as strings.
        Case {
            id: "1874733",
            locations: &["Rotterdam, South Holland, Netherlands"],
            workplace: Workplace::Remote,
            pay: Some((Some(95.0), Some(110.0), Some(SalaryPeriod::Hour))),
        },
        // Two locations, on-site, every salary part null.
        Case {
            id: "1875020",
            locations: &[
                "Utrecht, Utrecht, Netherlands",
                "Eindhoven, North Brabant, Netherlands",
            ],
            workplace: Workplace::Onsite,
            pay: None,
        },
        // No `locations`: the flat fields, with an empty state; no flag set.
        Case {
            id: "1875388",
            locations: &["Amsterdam, Netherlands"],
            workplace: Workplace::Unknown,
            pay: Some((Some(1800.0), None, Some(SalaryPeriod::Month))),
        },
    ];
    for c in cases {
        let p = by_id(&all, c.id);
        assert_eq!(p.locations, c.locations, "{}", c.id);
        assert_eq!(p.workplace, c.workplace, "{}", c.id);
        let got = p.salary.map(|s| {
            assert_eq!(s.origin, SalaryOrigin::Structured);
            assert_eq!(s.currency.as_deref(), Some("EUR"));
            (s.min, s.max, s.period)
        });
        assert_eq!(got, c.pay, "{}", c.id);
    }
    assert_eq!(by_id(&all, "1875020").department, None, "null department");
}

#[test]
fn recruitee_skips_offers_that_are_not_published() {
    let ids: Vec<String> = offers().into_iter().map(|p| p.external_id).collect();
    assert_eq!(ids, ["1874501", "1874733", "1875020", "1875388"]);
}

#[test]
fn recruitee_period_words_and_amounts() {
    let periods = [
        ("year", Some(SalaryPeriod::Year)),
        ("Yearly", Some(SalaryPeriod::Year)),
        ("month", Some(SalaryPeriod::Month)),
        ("hour", Some(SalaryPeriod::Hour)),
        ("per_week", Some(SalaryPeriod::Week)),
        ("day", Some(SalaryPeriod::Day)),
        ("", None),
        ("quarter", None),
    ];
    for (word, want) in periods {
        assert_eq!(period(word), want, "{word:?}");
    }
    let amounts = [
        (serde_json::json!("95.00"), Some(95.0)),
        (serde_json::json!(" 75000.50 "), Some(75_000.5)),
        (serde_json::json!(120000), Some(120_000.0)),
        (serde_json::json!("0.00"), None),
        (serde_json::json!(""), None),
        (serde_json::json!("n/a"), None),
        (serde_json::Value::Null, None),
    ];
    for (v, want) in amounts {
        assert_eq!(amount(&Some(v.clone())), want, "{v}");
    }
}

#[test]
fn recruitee_falls_back_to_created_at_and_slug() {
    let body = br#"{"offers":[{"slug":"ml-engineer","title":"ML Engineer","published_at":null,
        "created_at":"2026-08-11 20:45:29 UTC","salary":{"max":"0.00","min":null,"period":"year","currency":"EUR"}}]}"#;
    let all = parse(body, &url()).expect("parses");
    assert_eq!(all[0].external_id, "ml-engineer");
    assert_eq!(all[0].posted_at, utc(2026, 8, 11, 20, 45, 29));
    assert_eq!(all[0].salary, None, "a zero amount is unknown");
}

#[test]
fn recruitee_empty_board_is_empty_not_an_error() {
    assert_eq!(parse(&fixture("empty.json"), &url()).expect("parses"), []);
}

#[test]
fn recruitee_broken_answers_are_parse_errors_naming_the_url() {
    let truncated = fixture("truncated.json");
    let cases: [(&[u8], &str); 4] = [
        (&truncated, "unexpected JSON"),
        (b"<!doctype html><title>Careers</title>", "unexpected JSON"),
        (br#"{"error":"Not Found"}"#, "missing field `offers`"),
        (br#"{"offers":null}"#, "invalid type"),
    ];
    for (body, want) in cases {
        let err = parse(body, &url()).expect_err("must fail").to_string();
        assert!(err.contains(want), "{err}");
        assert!(
            err.contains("tidewater.recruitee.com/api/offers/"),
            "names the URL: {err}"
        );
    }
}

#[test]
fn recruitee_url_is_the_careers_site_and_base_url_replaces_it() {
    let base = Url::parse("http://127.0.0.1:9000/tidewater").expect("url");
    let cases = [
        (None, "https://tidewater.recruitee.com/api/offers/"),
        (Some(base), "http://127.0.0.1:9000/tidewater/api/offers/"),
    ];
    for (base, want) in cases {
        let r = Recruitee::new("tidewater".into(), base);
        assert_eq!(r.url().expect("url").as_str(), want);
    }
}
