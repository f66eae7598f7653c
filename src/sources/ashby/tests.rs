use super::*;
use crate::model::SourceName;
use crate::normalize::normalize;

fn fixture(name: &str) -> Result<Vec<RawPosting>, SourceError> {
    let path = format!("{}/fixtures/ashby/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
    parse(&bytes, &api_url())
}

fn api_url() -> Url {
    Url::parse("https://api.ashbyhq.com/posting-api/job-board/halcyon?includeCompensation=true")
        .expect("url")
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    parse_time(s).expect("time")
}

/// (min, max, currency, period) of a structured salary.
type Pay<'a> = (
    Option<f64>,
    Option<f64>,
    Option<&'a str>,
    Option<SalaryPeriod>,
);

fn pay(s: &Salary) -> Pay<'_> {
    (s.min, s.max, s.currency.as_deref(), s.period)
}

#[test]
fn ashby_maps_every_field_of_a_job() {
    let jobs = fixture("board.json").expect("parses");
    let j = &jobs[0];
    assert_eq!(j.external_id, "3f9a1c2e-8b7d-4e6f-a5b4-c3d2e1f0a9b8");
    assert_eq!(j.title, "Member of Technical Staff, Pretraining");
    assert_eq!(j.company, None, "the API names no company");
    assert_eq!(j.department.as_deref(), Some("Research"));
    assert_eq!(
        j.locations,
        ["San Francisco", "New York"],
        "trailing space trimmed, secondary locations kept"
    );
    assert_eq!(j.workplace, Workplace::Onsite);
    assert_eq!(j.employment_type.as_deref(), Some("FullTime"));
    assert_eq!(j.posted_at, Some(utc("2026-03-27T20:34:36.547Z")));
    assert_eq!(j.updated_at, None);
    assert_eq!(
        j.url.as_deref(),
        Some("https://jobs.ashbyhq.com/halcyon/3f9a1c2e-8b7d-4e6f-a5b4-c3d2e1f0a9b8")
    );
    assert_eq!(
        j.apply_url.as_deref(),
        Some("https://jobs.ashbyhq.com/halcyon/3f9a1c2e-8b7d-4e6f-a5b4-c3d2e1f0a9b8/application")
    );
    let s = j.salary.as_ref().expect("salary");
    assert_eq!(
        pay(s),
        (
            Some(250_000.0),
            Some(350_000.0),
            Some("USD"),
            Some(SalaryPeriod::Year)
        ),
        "the Salary component, not the equity one"
    );
    assert_eq!(s.origin, SalaryOrigin::Structured);
    assert_eq!(s.text.as_deref(), Some("$250K – $350K • 0.25% – 0.5%"));
    let p = normalize(j.clone(), &SourceName("ashby".into()));
    assert!(
        p.text
            .contains("- Deep knowledge of PyTorch, JAX or Megatron"),
        "{}",
        p.text
    );
    assert!(
        !p.description_html.contains("style="),
        "{}",
        p.description_html
    );
}

#[test]
fn ashby_unlisted_jobs_are_left_out() {
    let jobs = fixture("board.json").expect("parses");
    let titles: Vec<&str> = jobs.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Member of Technical Staff, Pretraining",
            "Applied ML Engineer, Agents",
            "Machine Learning Intern",
            "Research Engineer, Evaluations",
            "Data Scientist, Growth",
        ]
    );
}

#[test]
fn ashby_workplace_employment_and_pay_per_job() {
    let jobs = fixture("board.json").expect("parses");
    let cases: &[(usize, Workplace, &str, Option<Pay<'static>>)] = &[
        (
            1,
            Workplace::Remote,
            "FullTime",
            Some((
                Some(170_000.0),
                Some(240_000.0),
                Some("USD"),
                Some(SalaryPeriod::Year),
            )),
        ),
        // Data-entry nonsense kept as given, with no period invented.
        (
            2,
            Workplace::Unknown,
            "Intern",
            Some((Some(150.0), Some(150.0), Some("USD"), None)),
        ),
        (3, Workplace::Hybrid, "Contract", None),
        // No workplaceType (older payloads): isRemote decides; commission is not pay.
        (
            4,
            Workplace::Remote,
            "PartTime",
            Some((
                Some(70_000.0),
                Some(85_000.0),
                Some("EUR"),
                Some(SalaryPeriod::Year),
            )),
        ),
    ];
    for (i, workplace, employment, want) in cases {
        let j = &jobs[*i];
        assert_eq!(j.workplace, *workplace, "{}", j.title);
        assert_eq!(
            j.employment_type.as_deref(),
            Some(*employment),
            "{}",
            j.title
        );
        assert_eq!(j.salary.as_ref().map(pay), *want, "{}", j.title);
    }
}

#[test]
fn ashby_no_pay_data_stays_unknown_after_normalization() {
    let jobs = fixture("board.json").expect("parses");
    let j = &jobs[3];
    assert_eq!((&j.salary, &j.salary_text), (&None, &None));
    let p = normalize(j.clone(), &SourceName("ashby".into()));
    assert_eq!(p.salary, None);
    assert_eq!(p.workplace, Workplace::Hybrid);
    let intern = normalize(jobs[2].clone(), &SourceName("ashby".into()));
    let s = intern.salary.expect("kept");
    assert_eq!((s.min, s.period, s.yearly()), (Some(150.0), None, None));
}

#[test]
fn ashby_salary_falls_back_to_tiers_and_ignores_other_components() {
    let body = br#"{"apiVersion":"1","jobs":[
      {"id":"a","title":"ML Engineer","isListed":true,"compensation":{
        "compensationTierSummary":null,"scrapeableCompensationSalarySummary":"$120K - $140K",
        "summaryComponents":[],
        "compensationTiers":[{"components":[
          {"compensationType":"EquityPercentage","interval":"NONE","currencyCode":null,"minValue":0.1,"maxValue":0.2},
          {"compensationType":"Salary","interval":"1 HOUR","currencyCode":"USD","minValue":0,"maxValue":0},
          {"compensationType":"Salary","interval":"1 MONTH","currencyCode":"GBP","minValue":6000,"maxValue":null}]}]}},
      {"id":"b","title":"ML Engineer","compensation":{"compensationTierSummary":"0.5% \u2013 1%",
        "summaryComponents":[{"compensationType":"EquityPercentage","interval":"NONE","minValue":0.5,"maxValue":1}]}},
      {"id":"c","title":"ML Engineer","location":"  ","descriptionHtml":" ","descriptionPlain":"Plain text",
        "workplaceType":"Remote","isRemote":false}
    ]}"#;
    let jobs = parse(body, &api_url()).expect("parses");
    let a = jobs[0].salary.as_ref().expect("from a tier");
    assert_eq!(
        pay(a),
        (Some(6_000.0), None, Some("GBP"), Some(SalaryPeriod::Month))
    );
    assert_eq!(
        a.text.as_deref(),
        Some("$120K - $140K"),
        "scrapeable summary as text"
    );
    assert_eq!(jobs[1].salary, None, "equity only");
    assert_eq!(jobs[1].salary_text.as_deref(), Some("0.5% \u{2013} 1%"));
    let c = &jobs[2];
    assert!(c.locations.is_empty());
    assert_eq!(
        c.workplace,
        Workplace::Remote,
        "workplaceType wins over isRemote"
    );
    assert_eq!(c.description_html, None);
    assert_eq!(c.description_text.as_deref(), Some("Plain text"));
}

#[test]
fn ashby_intervals_map_to_periods() {
    let cases = [
        ("1 YEAR", Some(SalaryPeriod::Year)),
        ("1 MONTH", Some(SalaryPeriod::Month)),
        ("1 WEEK", Some(SalaryPeriod::Week)),
        ("1 DAY", Some(SalaryPeriod::Day)),
        ("1 HOUR", Some(SalaryPeriod::Hour)),
        ("NONE", None),
        ("2 WEEK", None),
        ("", None),
    ];
    for (input, want) in cases {
        assert_eq!(period(input), want, "{input:?}");
    }
}

#[test]
fn ashby_empty_board_is_an_empty_list() {
    assert_eq!(fixture("empty.json").expect("parses"), []);
}

#[test]
fn ashby_broken_or_misshapen_payloads_are_parse_errors() {
    let err = fixture("truncated.json")
        .expect_err("truncated")
        .to_string();
    assert!(
        err.starts_with(api_url().as_str()) && err.contains("EOF while parsing"),
        "{err}"
    );
    let err = parse(br#"{"apiVersion":"1"}"#, &api_url()).expect_err("no jobs");
    assert!(err.to_string().contains("missing field `jobs`"), "{err}");
}

#[test]
fn ashby_endpoint_follows_base_url() {
    let base = Url::parse("http://127.0.0.1:8080").expect("url");
    let cases = [
        (
            None,
            "https://api.ashbyhq.com/posting-api/job-board/halcyon?includeCompensation=true",
        ),
        (
            Some(&base),
            "http://127.0.0.1:8080/posting-api/job-board/halcyon?includeCompensation=true",
        ),
    ];
    for (base, want) in cases {
        let a = Ashby::new("halcyon".into(), base.cloned());
        assert_eq!(a.url().expect("url").as_str(), want);
    }
}
