use super::*;
use crate::model::SourceName;
use crate::normalize::normalize;

fn fixture(name: &str) -> Result<Vec<RawPosting>, SourceError> {
    let path = format!("{}/fixtures/greenhouse/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
    let url = Url::parse("https://boards-api.greenhouse.io/v1/boards/lumenai/jobs?content=true")
        .expect("url");
    parse(&bytes, &url)
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    parse_time(s).expect("time")
}

#[test]
fn greenhouse_maps_every_field_of_a_board() {
    let jobs = fixture("board.json").expect("parses");
    assert_eq!(jobs.len(), 4);
    let j = &jobs[0];
    assert_eq!(j.external_id, "4012345002");
    assert_eq!(j.title, "Machine Learning Engineer, Inference");
    assert_eq!(j.company.as_deref(), Some("Lumen AI"));
    assert_eq!(j.department.as_deref(), Some("Machine Learning"));
    assert_eq!(
        j.locations,
        ["New York, NY", "Remote - US", "San Francisco, CA"],
        "split on ';', plus the office not named in the location"
    );
    assert_eq!(
        j.url.as_deref(),
        Some("https://job-boards.greenhouse.io/lumenai/jobs/4012345002")
    );
    assert_eq!(j.apply_url, None, "the list has no apply link of its own");
    assert_eq!(j.posted_at, Some(utc("2026-05-12T13:02:11Z")));
    assert_eq!(j.updated_at, Some(utc("2026-06-30T09:26:14Z")));
    assert_eq!(j.salary, None, "the list carries no pay");
    assert_eq!(j.employment_type, None);
    let html = j.description_html.as_deref().expect("content");
    assert!(
        html.starts_with("<div class=\"content-intro\"><p>"),
        "{html}"
    );
    assert!(html.contains("<strong>Who we are&nbsp;</strong>"), "{html}");
    assert!(html.contains("You'll"), "&#39; decoded: {html}");
}

#[test]
fn greenhouse_company_domain_urls_and_departments_are_kept() {
    let jobs = fixture("board.json").expect("parses");
    let j = &jobs[1];
    assert_eq!(j.title, "Research Scientist, Multimodal");
    assert_eq!(
        j.url.as_deref(),
        Some("https://careers.lumen.ai/jobs/4023456002?gh_jid=4023456002")
    );
    assert_eq!(
        j.locations,
        ["London, United Kingdom"],
        "office London is already named"
    );
    assert_eq!(j.department.as_deref(), Some("Research"));
    let intern = &jobs[3];
    assert_eq!(intern.department, None, "no departments: unknown");
    assert_eq!(intern.locations, ["Remote"], "no offices");
}

#[test]
fn greenhouse_description_reads_as_text_after_normalization() {
    let jobs = fixture("board.json").expect("parses");
    let p = normalize(jobs[0].clone(), &SourceName("gh".into()));
    assert!(p.text.starts_with("Who we are\n"), "{}", p.text);
    assert!(
        p.text.contains("You'll own the serving stack"),
        "{}",
        p.text
    );
    assert!(
        p.text.contains("- Triton or vLLM in production"),
        "{}",
        p.text
    );
    assert!(
        !p.text.contains("&lt;") && !p.text.contains("<p>"),
        "{}",
        p.text
    );
    assert!(
        p.text.contains("equal opportunity employer"),
        "conclusion kept"
    );
    let salary = p.salary.expect("pay line in the description");
    assert_eq!(
        (salary.min, salary.max, salary.currency.as_deref()),
        (Some(190_000.0), Some(250_000.0), Some("USD"))
    );
    assert_eq!(salary.origin, crate::model::SalaryOrigin::Text);
    assert_eq!(
        p.workplace,
        crate::model::Workplace::Remote,
        "from 'Remote - US'"
    );
}

#[test]
fn greenhouse_empty_board_is_an_empty_list() {
    assert_eq!(fixture("empty.json").expect("parses"), []);
}

#[test]
fn greenhouse_broken_payloads_are_parse_errors_naming_the_url() {
    for name in ["truncated.json", "maintenance.html"] {
        let err = fixture(name).expect_err(name).to_string();
        assert!(
            err.starts_with("https://boards-api.greenhouse.io/v1/boards/lumenai/jobs")
                && err.contains("not a Greenhouse job list: unexpected JSON"),
            "{name}: {err}"
        );
    }
}

#[test]
fn greenhouse_missing_optional_fields_stay_unknown() {
    let url = Url::parse("http://x/").expect("url");
    let body = br#"{"jobs":[{"id":1,"title":"ML Engineer","location":{"name":""},
        "absolute_url":"","content":"","departments":null,"offices":null,
        "updated_at":null,"metadata":null},
        {"id":2,"title":"Data Scientist","location":{"name":" ; Paris ;"},
        "departments":[{"name":"Research"},{"name":"Health AI"},{"name":null}],
        "offices":[{"name":"PARIS"},{"name":"Remote"},{"name":""}]}],"meta":{"total":2}}"#;
    let jobs = parse(body, &url).expect("parses");
    let both = &jobs[1];
    assert_eq!(both.department.as_deref(), Some("Research, Health AI"));
    assert_eq!(both.locations, ["Paris", "Remote"]);
    let j = &jobs[0];
    assert_eq!(j.external_id, "1");
    assert_eq!(
        (&j.url, &j.company, &j.department, &j.description_html),
        (&None, &None, &None, &None)
    );
    assert!(j.locations.is_empty());
    assert_eq!((j.posted_at, j.updated_at), (None, None));
}

#[test]
fn greenhouse_endpoint_encodes_the_board_and_follows_base_url() {
    let base = Url::parse("http://127.0.0.1:8080").expect("url");
    let cases = [
        (
            "lumenai",
            None,
            "https://boards-api.greenhouse.io/v1/boards/lumenai/jobs?content=true",
        ),
        (
            "lumenai",
            Some(&base),
            "http://127.0.0.1:8080/v1/boards/lumenai/jobs?content=true",
        ),
    ];
    for (board, base, want) in cases {
        let g = Greenhouse::new(board.into(), base.cloned());
        assert_eq!(g.url().expect("url").as_str(), want);
    }
}
