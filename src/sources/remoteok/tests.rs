use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{SalaryOrigin, SourceName};
use crate::normalize::normalize;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/remoteok/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn api() -> Url {
    Url::parse("https://remoteok.com/api").expect("url")
}

fn parsed(name: &str) -> Vec<RawPosting> {
    parse(&fixture(name), &api()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn remoteok_maps_every_field_of_an_ml_job() {
    let jobs = parsed("ml-jobs.json");
    assert_eq!(jobs.len(), 4, "the legal notice is not a job");
    let j = &jobs[0];
    assert_eq!(j.external_id, "1141001");
    assert_eq!(
        j.title,
        "Senior Machine Learning Engineer \u{2013} LLM Inference"
    );
    assert_eq!(j.company.as_deref(), Some("Lumen Labs"));
    assert_eq!(j.locations, ["Worldwide"]);
    assert_eq!(j.workplace, Workplace::Remote);
    assert_eq!(j.employment_type, None, "RemoteOK has no contract field");
    assert_eq!(j.department, None);
    let s = j.salary.as_ref().expect("salary");
    assert_eq!(
        (s.min, s.max, s.currency.as_deref(), s.period, s.origin),
        (
            Some(150000.0),
            Some(200000.0),
            None,
            None,
            SalaryOrigin::Structured
        )
    );
    assert_eq!(
        j.posted_at,
        Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single()
    );
    assert_eq!(j.updated_at, None);
    let u = "https://remoteOK.com/remote-jobs/remote-senior-machine-learning-engineer-llm-inference-lumen-labs-1141001";
    assert_eq!(j.url.as_deref(), Some(u));
    assert_eq!(j.apply_url.as_deref(), Some(u));
    assert_eq!(
        j.tags,
        [
            "machine learning",
            "python",
            "pytorch",
            "senior",
            "engineer"
        ]
    );
    let html = j.description_html.as_deref().expect("description");
    assert!(html.contains("What You\u{2019}ll Do"), "{html}");
    assert!(html.ends_with("work from anywhere</p>"), "{html}");
}

#[test]
fn remoteok_repairs_double_encoded_utf8_in_every_text_field() {
    let jobs = parsed("ml-jobs.json");
    assert_eq!(jobs[1].company.as_deref(), Some("Bildwerk Zürich"));
    assert_eq!(jobs[3].title, "Data Scientist, Ranking \u{1f680}");
    let html = jobs[1].description_html.as_deref().expect("description");
    assert!(html.contains("About Bildwerk:\u{a0}we build"), "{html}");
    assert!(html.contains("You\u{2019}ll publish"), "{html}");
    let html = jobs[3].description_html.as_deref().expect("description");
    assert!(html.contains("€70k–€90k, café budget"), "{html}");
    for j in &jobs {
        let all = format!(
            "{} {:?} {:?} {:?} {:?}",
            j.title, j.company, j.locations, j.tags, j.description_html
        );
        assert!(
            !all.contains('\u{e2}') && !all.contains('\u{c2}') && !all.contains('\u{c3}'),
            "{all}"
        );
    }
}

#[test]
fn remoteok_strips_the_anti_spam_line_from_every_description() {
    for name in ["ml-jobs.json", "real-2026-03-17-first4.json"] {
        for j in parsed(name) {
            let html = j.description_html.unwrap_or_default();
            assert!(!html.contains("Please mention the word"), "{name}: {html}");
            assert!(
                !html.contains("RMjcuMTA5") && !html.contains("RMTkyLjAu"),
                "{html}"
            );
            assert!(!html.ends_with("<br/>"), "{name}: trailing breaks go too");
        }
    }
}

#[test]
fn strip_anti_spam_leaves_other_text_alone() {
    let line = "Please mention the word **OAK** and tag RMTAuMC4wLjE= when applying to show you read the job post completely (#RMTAuMC4wLjE=). This is a beta feature to avoid spam applicants. Companies can search these words to find applicants that read this and see they're human.";
    let cases = [
        ("<p>Job</p>".to_string(), "<p>Job</p>"),
        (format!("<p>Job</p><br/><br/>{line}"), "<p>Job</p>"),
        (format!("<p>Job</p><br /> <br>{line}"), "<p>Job</p>"),
        (
            format!("<p>Job</p>{line}<p>After</p>"),
            "<p>Job</p><p>After</p>",
        ),
        (
            "<p>Please mention the word **X** in your letter.</p>".to_string(),
            "<p>Please mention the word **X** in your letter.</p>",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(strip_anti_spam(&input), want, "{input}");
    }
}

#[test]
fn remoteok_salary_zero_is_unknown() {
    let jobs = parsed("ml-jobs.json");
    let s = jobs[1].salary.as_ref().expect("min only");
    assert_eq!((s.min, s.max), (Some(120000.0), None), "max 0 is unknown");
    assert_eq!(jobs[2].salary, None, "0 and 0: no salary at all");
    assert_eq!(jobs[3].salary, None);
    for j in parsed("real-2026-03-17-first4.json") {
        assert_eq!(j.salary, None, "{}", j.title);
    }
}

#[test]
fn remoteok_locations_keep_what_is_there_and_drop_blanks() {
    let jobs = parsed("ml-jobs.json");
    assert_eq!(jobs[1].locations, ["Cammeray,"]);
    assert!(jobs[2].locations.is_empty(), "empty location is unknown");
    let posting = normalize(jobs[1].clone(), &SourceName("remoteok".into()));
    assert_eq!(posting.locations, ["Cammeray"]);
    assert_eq!(posting.workplace, Workplace::Remote);
}

#[test]
fn remoteok_reads_the_real_capture() {
    let jobs = parsed("real-2026-03-17-first4.json");
    assert_eq!(jobs.len(), 3);
    let ids: Vec<&str> = jobs.iter().map(|j| j.external_id.as_str()).collect();
    assert_eq!(ids, ["1130788", "1130787", "1130786"]);
    assert_eq!(jobs[1].title, "Senior Sales Engineer Data & AI Security");
    assert_eq!(jobs[1].locations, ["Saint Louis, MO, USA"]);
    assert_eq!(
        jobs[0].posted_at,
        Utc.with_ymd_and_hms(2026, 3, 16, 0, 0, 3).single()
    );
    assert_eq!(
        jobs[0].url.as_deref(),
        Some(
            "https://remoteOK.com/remote-jobs/remote-benefits-advisor-leadership-training-program-fisher-agencies-1130788"
        ),
        "`\\/` escapes undone"
    );
    let posting = normalize(jobs[0].clone(), &SourceName("remoteok".into()));
    assert!(
        posting.text.contains("What You\u{2019}ll Do"),
        "{}",
        posting.text
    );
    assert!(
        posting
            .text
            .contains("Remote flexibility \u{2013} work from anywhere")
    );
    assert!(!posting.text.contains("REFORMS"), "{}", posting.text);
}

#[test]
fn remoteok_with_no_jobs_is_an_empty_success() {
    assert!(parsed("empty.json").is_empty());
    assert!(parse(b"[]", &api()).expect("empty array").is_empty());
}

#[test]
fn remoteok_rejects_truncated_and_unexpected_payloads() {
    let cases: [(&[u8], &str); 5] = [
        (&fixture("truncated.json"), "unexpected JSON"),
        (
            b"<!DOCTYPE html><html><body>Just a moment...</body></html>",
            "unexpected JSON",
        ),
        (
            br#"{"error":"rate limited"}"#,
            "expected a JSON array of jobs, got an object",
        ),
        (
            br#"[{"legal":"x"},{"position":"No id"}]"#,
            "element 1 is not a job: missing field `id`",
        ),
        (
            br#"[{"id":"","position":"Blank id"}]"#,
            "element 0 has no job id",
        ),
    ];
    for (body, want) in cases {
        let err = parse(body, &api()).expect_err(want).to_string();
        assert!(err.starts_with("https://remoteok.com/api: "), "{err}");
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn remoteok_url_carries_the_tag() {
    let base = Url::parse("http://127.0.0.1:9000").expect("url");
    let cases = [
        (None, None, "https://remoteok.com/api"),
        (Some("ml"), None, "https://remoteok.com/api?tag=ml"),
        (
            Some("machine learning"),
            Some(base),
            "http://127.0.0.1:9000/api?tag=machine+learning",
        ),
    ];
    for (tag, base, want) in cases {
        let source = RemoteOk::new(tag.map(String::from), base);
        assert_eq!(source.url().expect("url").as_str(), want);
    }
}

#[test]
fn remoteok_reads_nulls_as_unknown() {
    let body = br#"[{"id":1141009,"position":"ML Engineer","company":null,"tags":null,"location":null,"description":null,"salary_min":null,"salary_max":"","epoch":null,"date":"2026-11-25T10:00:00+00:00"}]"#;
    let jobs = parse(body, &api()).expect("parse");
    let j = &jobs[0];
    assert_eq!(j.external_id, "1141009", "a numeric id is read too");
    assert_eq!((j.company.as_deref(), j.salary.as_ref()), (None, None));
    assert!(j.tags.is_empty() && j.locations.is_empty());
    assert_eq!(
        j.posted_at,
        Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single(),
        "from `date`"
    );
}
