use super::*;
use crate::model::Workplace;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/fixtures/hn_whoishiring/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn url(path: &str) -> Url {
    Url::parse(&format!("https://hn.algolia.com/api/v1{path}")).expect("url")
}

fn december() -> Vec<RawPosting> {
    parse(&fixture("item-46100001.json"), &url("/items/46100001")).expect("parses")
}

fn by_id(postings: &[RawPosting], id: &str) -> RawPosting {
    postings
        .iter()
        .find(|p| p.external_id == id)
        .unwrap_or_else(|| panic!("no posting {id}"))
        .clone()
}

#[test]
fn hn_only_hiring_threads_are_taken_newest_first() {
    let cases: &[(&str, u32, &[&str])] = &[
        ("search-1.json", 1, &["46100001"]),
        ("search-2.json", 1, &["46100001"]),
        ("search-2.json", 2, &["46100001", "45800001"]),
        ("search-2.json", 12, &["46100001", "45800001"]),
    ];
    for (file, months, want) in cases {
        let got = threads(&fixture(file), &url("/search_by_date"), *months).expect(file);
        assert_eq!(got, *want, "{file} months={months}");
    }
}

#[test]
fn hn_search_errors_are_clear() {
    let cases = [
        (
            fixture("search-error.json"),
            "Algolia error: Invalid value for parameter hitsPerPage",
        ),
        (
            fixture("search-other-threads.json"),
            "no \"Ask HN: Who is hiring?\" thread",
        ),
        (b"<html>502 Bad Gateway</html>".to_vec(), "unexpected JSON"),
    ];
    for (bytes, want) in cases {
        let err = threads(&bytes, &url("/search_by_date"), 1)
            .expect_err(want)
            .to_string();
        assert!(
            err.contains(want) && err.contains("hn.algolia.com"),
            "{err}"
        );
    }
}

#[test]
fn hn_each_live_top_level_comment_is_a_posting() {
    let ids: Vec<String> = december().into_iter().map(|p| p.external_id).collect();
    assert_eq!(
        ids,
        ["46112345", "46112399", "46112480", "46112617", "46112733"],
        "the deleted comment and the replies are not postings"
    );
}

#[test]
fn hn_maps_the_header_and_keeps_the_whole_comment() {
    let p = by_id(&december(), "46112345");
    assert_eq!(p.title, "Senior Machine Learning Engineer");
    assert_eq!(p.company.as_deref(), Some("Vectorforge"));
    assert_eq!(p.locations, ["San Francisco, CA"]);
    assert_eq!(p.workplace, Workplace::Onsite);
    assert_eq!(p.salary_text.as_deref(), Some("$190k–$240k + equity"));
    assert_eq!(p.salary, None, "parsed from the text downstream");
    assert_eq!(
        p.apply_url.as_deref(),
        Some("https://vectorforge.ai/careers/ml-engineer")
    );
    assert_eq!(
        p.url.as_deref(),
        Some("https://news.ycombinator.com/item?id=46112345")
    );
    assert_eq!(p.author.as_deref(), Some("vectorforge_jobs"));
    assert_eq!(
        p.posted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-01T16:14:05+00:00"),
        "created_at with .000 milliseconds"
    );
    let html = p.description_html.as_deref().expect("description");
    assert!(html.starts_with("Vectorforge | Senior"), "{html}");
    assert!(
        html.contains("&quot;HN&quot;"),
        "kept as HN sent it: {html}"
    );
    let text = crate::normalize::html_to_text(html);
    assert!(
        text.contains("embedding training pipeline (PyTorch, Ray, 64 H100s) & the"),
        "{text}"
    );
    assert!(text.contains("\"HN\" in the subject"), "{text}");
}

#[test]
fn hn_header_quirks() {
    let posts = december();
    let p = by_id(&posts, "46112399");
    assert_eq!(
        p.company.as_deref(),
        Some("Lumenpath"),
        "the homepage link is dropped"
    );
    assert_eq!(p.title, "ML Research Scientist, Foundation Models");
    assert_eq!(
        p.apply_url.as_deref(),
        Some("https://jobs.ashbyhq.com/lumenpath/3f2c9a1e-5b7d-4c21-9f0e-8d7c6b5a4e3f"),
        "from the href, not the shortened link text"
    );
    assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(p.locations, ["REMOTE (US, Canada)"]);
    assert_eq!(p.workplace, Workplace::Remote);
    assert_eq!(
        p.salary_text, None,
        "pay outside the header is left to the description"
    );

    let p = by_id(&posts, "46112480");
    assert_eq!(
        p.title,
        "We're hiring ML engineers at Quillstone to work on document understanding models. Remote within the EU."
    );
    assert_eq!(p.company, None, "no header: the company is not guessed");
    assert_eq!(p.apply_url, None);

    let p = by_id(&posts, "46112617");
    assert_eq!(p.title, "Computer Vision Engineer, Perception");
    assert_eq!(p.company.as_deref(), Some("Parallax Robotics"));
    assert_eq!(p.locations, ["Boston, MA or Remote (US)"]);
    assert_eq!(p.workplace, Workplace::Remote);
    assert_eq!(p.salary_text.as_deref(), Some("$160,000 - $210,000"));

    let p = by_id(&posts, "46112733");
    assert_eq!(p.workplace, Workplace::Hybrid);
    assert_eq!(p.locations, ["London, UK"]);
    assert_eq!(p.salary_text.as_deref(), Some("£85k-£110k"));
}

#[test]
fn hn_older_threads_and_empty_or_broken_ones() {
    let nov = parse(&fixture("item-45800001.json"), &url("/items/45800001")).expect("parses");
    let p = by_id(&nov, "45812002");
    assert_eq!(p.title, "Data Scientist (contract)");
    assert_eq!(p.salary_text.as_deref(), Some("$90/hr"), "&#x2F; decoded");
    assert_eq!(p.locations, ["NYC"]);
    let p = by_id(&nov, "45812001");
    assert_eq!(p.salary_text.as_deref(), Some("€80.000–100.000"));
    assert_eq!(p.locations, ["Berlin, Germany"]);

    let empty = parse(&fixture("item-empty.json"), &url("/items/46900001")).expect("parses");
    assert!(empty.is_empty(), "a thread with no comments yet");

    let err = parse(&fixture("item-truncated.json"), &url("/items/46100001"))
        .expect_err("truncated")
        .to_string();
    assert!(
        err.contains("/items/46100001") && err.contains("EOF"),
        "{err}"
    );

    let err = parse(
        br#"{"id": 46112345, "type": "comment", "children": []}"#,
        &url("/items/46112345"),
    )
    .expect_err("not a story")
    .to_string();
    assert!(err.contains("not a story"), "{err}");
}

#[test]
fn hn_a_reply_chain_deeper_than_the_json_nesting_limit_is_fine() {
    let mut reply = String::from(r#"{"id": 9, "type": "comment", "children": []}"#);
    for i in 0..200 {
        reply = format!(
            r#"{{"id": {i}, "type": "comment", "author": "a", "text": "re", "children": [{reply}]}}"#
        );
    }
    let thread = format!(
        r#"{{"id": 1, "type": "story", "children": [{{"id": 2, "type": "comment", "author": "acme",
        "text": "Acme | ML Engineer | Remote", "created_at_i": 1796141645, "children": [{reply}]}}]}}"#
    );
    let got = parse(thread.as_bytes(), &url("/items/1")).expect("deep replies are skipped");
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].posted_at.map(|t| t.timestamp()),
        Some(1_796_141_645),
        "created_at_i when created_at is missing"
    );
}

#[test]
fn hn_config_months_is_bounded() {
    let parse = |extra: &str| {
        let text = format!("[[source]]\nname = \"hn\"\nkind = \"hn_whoishiring\"\n{extra}");
        crate::config::Config::parse(&text, std::path::Path::new("j.toml"), &|_| None)
    };
    let months = |extra: &str| match parse(extra).expect(extra).sources[0].kind {
        crate::config::SourceKind::HnWhoIsHiring { months } => months,
        ref other => panic!("{other:?}"),
    };
    assert_eq!(months(""), 1);
    assert_eq!(months("months = 12"), 12);
    for (extra, want) in [
        (
            "months = 0",
            "source[0].months: 0 is out of range (1 to 12)",
        ),
        ("months = 13", "13 is out of range"),
        (
            "url = \"https://x.example\"",
            "source[0].url: not used by kind `hn_whoishiring`",
        ),
    ] {
        let err = parse(extra).expect_err(extra).to_string();
        assert!(err.contains(want), "{extra}: {err}");
    }
}
