use chrono::{TimeZone, Utc};

use super::*;
use crate::model::SourceName;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/fixtures/smartrecruiters/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn url(s: &str) -> Url {
    Url::parse(s).expect("url")
}

fn page(name: &str) -> Page {
    let u = url(
        "https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings?limit=100&offset=0",
    );
    parse_page(&fixture(name), &u).expect("page parses")
}

fn source(base: Option<&str>, max_pages: u32) -> SmartRecruiters {
    SmartRecruiters {
        company: "HelixDynamics".into(),
        base: base.map(url),
        max_pages,
        delay: Duration::ZERO,
    }
}

#[test]
fn smartrecruiters_maps_the_list_fields() {
    let p1 = page("postings-page1.json");
    assert_eq!((p1.total, p1.limit, p1.items.len()), (5, Some(3), 3));
    let first = &p1.items[0];
    let p = &first.posting;
    assert_eq!(p.external_id, "744000201234567");
    assert_eq!(p.title, "Machine Learning Engineer, Robot Learning");
    assert_eq!(p.company.as_deref(), Some("Helix Dynamics"));
    assert_eq!(p.department.as_deref(), Some("Robot Learning"));
    assert_eq!(p.locations, ["Munich, BY, Germany"]);
    assert_eq!(p.workplace, Workplace::Hybrid);
    assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(
        p.posted_at,
        Some(
            Utc.with_ymd_and_hms(2026, 11, 3, 9, 15, 42).unwrap()
                + chrono::Duration::milliseconds(118)
        )
    );
    assert_eq!(p.updated_at, None);
    assert_eq!(p.tags, ["Engineering", "Machinery", "Mid-Senior Level"]);
    assert_eq!(p.description_html, None, "the list has no description");
    assert_eq!(p.url, None, "the list has no posting URL");
    assert_eq!(p.salary, None);
    assert_eq!(
        first.reference.as_deref(),
        Some("https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings/744000201234567")
    );
}

#[test]
fn smartrecruiters_location_quirks_and_workplace_flags() {
    let items: Vec<Listed> = page("postings-page1.json")
        .items
        .into_iter()
        .chain(page("postings-page2.json").items)
        .collect();
    let cases = [
        (
            "744000201234567",
            "Munich, BY, Germany",
            Workplace::Hybrid,
            Some("Robot Learning"),
        ),
        // An empty middle part in fullLocation, and `department: {}`.
        (
            "744000201234890",
            "Petah Tikva, Israel",
            Workplace::Onsite,
            None,
        ),
        (
            "744000201235112",
            "Amsterdam, NH, Netherlands",
            Workplace::Remote,
            Some("AI Research"),
        ),
        (
            "744000201235467",
            "Lisbon, Portugal",
            Workplace::Hybrid,
            Some("ML Platform"),
        ),
        (
            "744000201235901",
            "Munich, BY, Germany",
            Workplace::Onsite,
            Some("Robot Learning"),
        ),
    ];
    assert_eq!(items.len(), cases.len());
    for (item, (id, place, workplace, dept)) in items.iter().zip(cases) {
        let p = &item.posting;
        assert_eq!(p.external_id, id);
        assert_eq!(p.locations, [place], "{id}");
        assert_eq!(p.workplace, workplace, "{id}");
        assert_eq!(p.department.as_deref(), dept, "{id}");
    }
}

#[test]
fn smartrecruiters_location_without_full_location_is_built_from_parts() {
    let cases = [
        (
            r#"{"city":"Warsaw","country":"pl"}"#,
            Some("Warsaw, PL"),
            Workplace::Unknown,
        ),
        (
            r#"{"city":"Austin","region":"TX","country":"us","remote":true}"#,
            Some("Austin, TX, US"),
            Workplace::Remote,
        ),
        (
            r#"{"fullLocation":" , , ","remote":false,"hybrid":false}"#,
            None,
            Workplace::Onsite,
        ),
        (r#"{}"#, None, Workplace::Unknown),
    ];
    for (json, place, workplace) in cases {
        let loc: Location = serde_json::from_str(json).expect("location");
        assert_eq!(loc.place().as_deref(), place, "{json}");
        assert_eq!(loc.workplace(), workplace, "{json}");
    }
}

#[test]
fn smartrecruiters_detail_adds_urls_and_sections_in_order() {
    let u =
        url("https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings/744000201234567");
    let detail = parse_detail(&fixture("detail-744000201234567.json"), &u).expect("detail parses");
    assert_eq!(detail.id(), "744000201234567");
    let mut p = page("postings-page1.json").items.remove(0).posting;
    detail.apply(&mut p);
    assert_eq!(
        p.url.as_deref(),
        Some(
            "https://jobs.smartrecruiters.com/HelixDynamics/744000201234567-machine-learning-engineer-robot-learning"
        )
    );
    assert_eq!(
        p.apply_url.as_deref(),
        Some(
            "https://jobs.smartrecruiters.com/HelixDynamics/744000201234567-machine-learning-engineer-robot-learning?oga=true"
        )
    );
    let html = p.description_html.clone().unwrap_or_default();
    let order = [
        "Company Description",
        "Job Description",
        "Qualifications",
        "Additional Information",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| {
            html.find(&format!("<h3>{t}</h3>"))
                .unwrap_or_else(|| panic!("{t} in {html}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{html}");
    let posting = crate::normalize::normalize(p, &SourceName("helix".into()));
    assert!(
        posting.text.contains("Work in PyTorch and JAX"),
        "&#xa0; reads as a space: {}",
        posting.text
    );
    let salary = posting.salary.expect("salary from the description");
    assert_eq!((salary.min, salary.max), (Some(78_000.0), Some(96_000.0)));
    assert_eq!(salary.currency.as_deref(), Some("EUR"));
    assert_eq!(salary.period, Some(crate::model::SalaryPeriod::Year));
    assert_eq!(salary.origin, crate::model::SalaryOrigin::Text);
}

#[test]
fn smartrecruiters_empty_sections_are_left_out() {
    let u =
        url("https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings/744000201235112");
    let detail = parse_detail(&fixture("detail-744000201235112.json"), &u).expect("detail parses");
    let html = detail.description_html().unwrap_or_default();
    assert!(!html.contains("Additional Information"), "{html}");
    assert!(html.contains("<h3>Qualifications</h3>"), "{html}");
}

#[test]
fn smartrecruiters_empty_list_is_empty() {
    let p = page("postings-empty.json");
    assert_eq!((p.total, p.items.len()), (0, 0));
}

#[test]
fn smartrecruiters_broken_answers_are_parse_errors_naming_the_url() {
    let u = url(
        "https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings?limit=100&offset=0",
    );
    let truncated = fixture("postings-truncated.json");
    let detail = fixture("detail-truncated.json");
    let cases: [(&[u8], &str); 5] = [
        (&truncated, "unexpected JSON"),
        (
            b"<html><body>Service Unavailable</body></html>",
            "unexpected JSON",
        ),
        (
            br#"{"offset":0,"limit":100,"content":[]}"#,
            "missing field `totalFound`",
        ),
        (
            br#"{"offset":0,"limit":100,"totalFound":1,"content":[{"name":"x"}]}"#,
            "missing field `id`",
        ),
        (&detail, "unexpected JSON"),
    ];
    for (body, want) in cases {
        let err = parse_page(body, &u).expect_err("must fail").to_string();
        assert!(err.contains(want), "{err}");
        assert!(
            err.contains("HelixDynamics/postings"),
            "names the URL: {err}"
        );
    }
    let not_a_detail = br#"{"httpCode":404,"code":"RESOURCE_NOT_FOUND","message":"Not found"}"#;
    let err = parse_detail(not_a_detail, &u)
        .expect_err("must fail")
        .to_string();
    assert!(err.contains("missing field `id`"), "{err}");
}

#[test]
fn smartrecruiters_urls_page_by_offset_and_follow_ref_rebased() {
    let listed = |reference: Option<&str>| Listed {
        posting: RawPosting {
            external_id: "744000201234567".into(),
            ..RawPosting::default()
        },
        reference: reference.map(String::from),
    };
    let real =
        "https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings/744000201234567";
    let cases = [
        (
            None,
            0,
            Some(real),
            "https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings?limit=100&offset=0",
            real,
        ),
        (
            Some("http://127.0.0.1:9000"),
            300,
            Some(real),
            "http://127.0.0.1:9000/v1/companies/HelixDynamics/postings?limit=100&offset=300",
            "http://127.0.0.1:9000/v1/companies/HelixDynamics/postings/744000201234567",
        ),
        (
            Some("http://127.0.0.1:9000"),
            0,
            None,
            "http://127.0.0.1:9000/v1/companies/HelixDynamics/postings?limit=100&offset=0",
            "http://127.0.0.1:9000/v1/companies/HelixDynamics/postings/744000201234567",
        ),
        (
            None,
            0,
            Some("not a url"),
            "https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings?limit=100&offset=0",
            real,
        ),
    ];
    for (base, offset, reference, want_page, want_detail) in cases {
        let s = source(base, 10);
        assert_eq!(s.page_url(offset).expect("page url").as_str(), want_page);
        assert_eq!(
            s.detail_url(&[], &listed(reference))
                .expect("detail url")
                .as_str(),
            want_detail
        );
    }
}

#[test]
fn smartrecruiters_ref_off_the_api_host_is_not_followed() {
    let listed = |reference: &str| Listed {
        posting: RawPosting {
            external_id: "744000201234567".into(),
            ..RawPosting::default()
        },
        reference: Some(reference.into()),
    };
    let documented =
        "https://api.smartrecruiters.com/v1/companies/HelixDynamics/postings/744000201234567";
    let metadata = "http://169.254.169.254/latest/meta-data/";
    let s = source(None, 10);
    let got = s.detail_url(&[], &listed(metadata)).expect("detail url");
    assert_eq!(got.as_str(), documented, "the documented URL instead");
    let allowed = [config::HostPort::parse("169.254.169.254").expect("host")];
    let got = s
        .detail_url(&allowed, &listed(metadata))
        .expect("detail url");
    assert_eq!(got.as_str(), metadata, "allow_hosts lets it through");
    let other_port = "https://api.smartrecruiters.com:8443/v1/x";
    let got = s.detail_url(&[], &listed(other_port)).expect("detail url");
    assert_eq!(got.as_str(), documented, "another port is another host");
}
