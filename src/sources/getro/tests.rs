use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/getro/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn url() -> Url {
    Url::parse("https://api.getro.com/api/v2/collections/1625/search/jobs").expect("url")
}

#[test]
fn getro_maps_every_documented_field() {
    let page = parse(&fixture("page-0.json"), &url()).expect("parses");
    assert_eq!(
        (page.jobs, page.postings.len(), page.count),
        (20, 20, Some(23))
    );
    let p = &page.postings[0];
    assert_eq!(p.title, "Senior Machine Learning Engineer, Ranking");
    assert_eq!(p.company.as_deref(), Some("Orchard Labs"));
    assert_eq!(
        p.url.as_deref(),
        Some("https://job-boards.greenhouse.io/orchardlabs/jobs/4812233")
    );
    assert_eq!(
        p.external_id, "https://job-boards.greenhouse.io/orchardlabs/jobs/4812233",
        "no id in the documented fields: the ATS URL is the key"
    );
    assert_eq!(p.locations, ["New York, NY, USA", "Remote - US"]);
    assert_eq!(p.workplace, Workplace::Remote);
    assert_eq!(
        p.tags,
        ["Python", "PyTorch", "Recommender Systems", "senior"]
    );
    assert_eq!(
        p.posted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T15:02:11+00:00")
    );
    let salary = p.salary.as_ref().expect("salary");
    assert_eq!(
        (salary.min, salary.max),
        (Some(180_000.0), Some(230_000.0)),
        "cents / 100"
    );
    assert_eq!(
        (salary.currency.as_deref(), salary.period),
        (None, None),
        "not documented"
    );
    assert_eq!(salary.origin, SalaryOrigin::Structured);
    assert_eq!(p.description_html, None, "the search has no description");
    assert_eq!(p.employment_type, None);
}

#[test]
fn getro_work_modes_and_unknown_values() {
    let page = parse(&fixture("page-0.json"), &url()).expect("parses");
    let by_title = |t: &str| {
        page.postings
            .iter()
            .find(|p| p.title == t)
            .unwrap_or_else(|| panic!("{t}"))
    };
    let cases = [
        ("ML Platform Engineer", Workplace::Onsite),
        (
            "Research Scientist, Large Language Models",
            Workplace::Hybrid,
        ),
        ("Data Scientist, Forecasting", Workplace::Remote),
        ("Product Manager, AI Platform", Workplace::Unknown),
    ];
    for (title, want) in cases {
        assert_eq!(by_title(title).workplace, want, "{title}");
    }
    assert_eq!(
        by_title("Data Scientist, Forecasting").salary,
        None,
        "null cents"
    );
    assert_eq!(
        by_title("Machine Learning Engineer, Fraud").salary,
        None,
        "0 cents is unknown"
    );
    let pm = by_title("Product Manager, AI Platform");
    assert!(pm.locations.is_empty());
    assert_eq!(pm.tags, ["senior"], "null skills");
}

#[test]
fn getro_created_at_may_be_epoch_seconds_or_milliseconds() {
    let page = parse(&fixture("epoch-dates.json"), &url()).expect("parses");
    let times: Vec<String> = page
        .postings
        .iter()
        .map(|p| p.posted_at.map(|t| t.to_rfc3339()).unwrap_or_default())
        .collect();
    assert_eq!(
        times,
        ["2026-11-29T15:02:11+00:00", "2026-11-28T18:40:00+00:00"]
    );
}

#[test]
fn getro_short_empty_and_broken_pages() {
    let last = parse(&fixture("page-1.json"), &url()).expect("parses");
    assert_eq!(last.jobs, 3);
    let empty = parse(&fixture("empty.json"), &url()).expect("parses");
    assert_eq!((empty.jobs, empty.count), (0, Some(0)));
    for (bytes, want) in [
        (fixture("truncated.json"), "EOF while parsing"),
        (
            b"<html><body>Not acceptable</body></html>".to_vec(),
            "expected value",
        ),
        (br#"{"jobs": []}"#.to_vec(), "missing field `results`"),
    ] {
        let err = parse(&bytes, &url()).expect_err("must fail").to_string();
        assert!(
            err.contains(want) && err.contains("collections/1625"),
            "{err}"
        );
    }
}

#[test]
fn getro_prefers_an_id_when_a_job_has_one() {
    let body = br#"{"results": {"jobs": [
        {"id": 99172, "title": "ML Engineer", "url": "https://jobs.lever.co/x/1"},
        {"id": "ab-7", "title": "Data Scientist", "url": "https://jobs.lever.co/x/2"},
        {"title": "", "url": "https://jobs.lever.co/x/3"}
    ], "count": 3}}"#;
    let page = parse(body, &url()).expect("parses");
    let ids: Vec<&str> = page
        .postings
        .iter()
        .map(|p| p.external_id.as_str())
        .collect();
    assert_eq!(ids, ["99172", "ab-7"], "a job without a title is skipped");
    assert_eq!(page.jobs, 3, "but still counts towards the page size");
}

#[test]
fn getro_config_wants_a_numeric_collection() {
    let parse = |extra: &str| {
        let text = format!("[[source]]\nname = \"vc\"\nkind = \"getro\"\n{extra}");
        crate::config::Config::parse(&text, std::path::Path::new("j.toml"), &|_| None)
    };
    let ok = parse("collection = \"1625\"\nmax_pages = 3\n").expect("valid");
    assert_eq!(
        ok.sources[0].kind,
        crate::config::SourceKind::Getro {
            collection: "1625".into()
        }
    );
    for (extra, want) in [
        ("", "source[0].collection: is required"),
        ("collection = \"greylock\"", "is not a Getro collection id"),
        (
            "collection = \"1625\"\nboard = \"x\"",
            "source[0].board: not used by kind `getro`",
        ),
    ] {
        let err = parse(extra).expect_err(extra).to_string();
        assert!(err.contains(want), "{extra}: {err}");
    }
}
