use super::*;
use crate::config::{Config, SourceKind};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Selectors as a user writes them in `[source.selectors]`.
fn selectors(table: &str) -> Selectors {
    let text = format!(
        "[[source]]\nname = \"board\"\nkind = \"html\"\nurl = \"https://board.example/ml-jobs\"\n\
         [source.selectors]\n{table}"
    );
    let config = Config::parse(&text, std::path::Path::new("j.toml"), &|_| None)
        .unwrap_or_else(|e| panic!("{e}"));
    match &config.sources[0].kind {
        SourceKind::Html { selectors, .. } => selectors.as_ref().clone(),
        other => panic!("{other:?}"),
    }
}

const BOARD: &str = r#"
item = "li.job-card"
title = "a.job-title"
link = "a.job-title"
company = ".company"
location = ".location"
date = "time @datetime"
description = "p.summary"
next = "a[rel=next]"
"#;

fn url(s: &str) -> Url {
    Url::parse(s).expect("url")
}

#[test]
fn html_board_items_are_mapped_field_by_field() {
    let page = parse(
        &fixture("ml-jobs-page-1.html"),
        &url("https://board.example/ml-jobs"),
        &selectors(BOARD),
    )
    .expect("parses");
    assert_eq!(
        page.items, 5,
        "the sponsored card matches the item selector too"
    );
    let titles: Vec<&str> = page.postings.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Senior ML Engineer, Ranking",
            "Research Scientist – LLM Alignment",
            "ML Platform Engineer (R&D)",
            "Computer Vision Engineer",
        ],
        "whitespace folded, entities decoded, the ad skipped"
    );
    let p = &page.postings[0];
    assert_eq!(
        p.url.as_deref(),
        Some("https://board.example/jobs/4821-senior-ml-engineer-ranking"),
        "resolved against the page, tracking parameters dropped"
    );
    assert_eq!(p.external_id, p.url.clone().unwrap_or_default());
    assert_eq!(p.company.as_deref(), Some("Orchard Labs"));
    assert_eq!(p.locations, ["Remote (EU)"]);
    assert_eq!(
        p.posted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-28T09:00:00+00:00")
    );
    assert_eq!(
        p.description_html.as_deref(),
        Some("Own the ranking models behind a marketplace with 30M monthly users.")
    );
    let p = &page.postings[1];
    assert_eq!(
        p.url.as_deref(),
        Some("https://board.example/jobs/4819-research-scientist-llm"),
        "a path relative to the page"
    );
    assert_eq!(p.company.as_deref(), Some("Halcyon AI"), "&nbsp; folded");
    assert_eq!(
        p.posted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-27T00:00:00+00:00"),
        "a bare date"
    );
    assert_eq!(page.postings[2].posted_at, None, "no time element");
    assert_eq!(
        page.postings[3].posted_at, None,
        "an unreadable date stays unknown"
    );
    assert_eq!(
        page.next.as_ref().map(Url::as_str),
        Some("https://board.example/ml-jobs?page=2")
    );
}

#[test]
fn html_second_page_resolves_dot_dot_links_and_offsets() {
    let page = parse(
        &fixture("ml-jobs-page-2.html"),
        &url("https://board.example/ml-jobs?page=2"),
        &selectors(BOARD),
    )
    .expect("parses");
    let urls: Vec<&str> = page
        .postings
        .iter()
        .filter_map(|p| p.url.as_deref())
        .collect();
    assert_eq!(
        urls,
        [
            "https://board.example/jobs/4802-nlp-engineer",
            "https://board.example/jobs/4799-data-scientist-forecasting",
        ]
    );
    assert_eq!(
        page.postings[0]
            .posted_at
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2026-11-20T13:30:00+00:00"),
        "an offset converted to UTC"
    );
    assert_eq!(
        page.next.as_ref().map(Url::as_str),
        Some("https://board.example/ml-jobs"),
        "wraps around to the first page; the fetch loop never revisits it"
    );
}

#[test]
fn html_attributes_and_the_item_itself() {
    let sel = selectors(
        "item = \"a.opening\"\ntitle = \"h3\"\nlink = \"@href\"\nlocation = \"span.loc\"\n\
         date = \"@data-posted\"\ndescription = \"@title\"\n",
    );
    let page = parse(
        &fixture("careers.html"),
        &url("https://halcyon.example/careers"),
        &sel,
    )
    .expect("parses");
    assert_eq!(page.postings.len(), 3);
    let p = &page.postings[1];
    assert_eq!(p.title, "Research Engineer, Evaluations");
    assert_eq!(
        p.url.as_deref(),
        Some("https://jobs.ashbyhq.com/halcyon/5d4c3b2a-1908-4f7e-a6d5-c4b3a2918070")
    );
    assert_eq!(p.locations, ["San Francisco, CA or Remote (US)"]);
    assert_eq!(
        p.posted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-16T16:30:00+00:00")
    );
    assert_eq!(p.description_html, None);
    assert_eq!(
        p.description_text.as_deref(),
        Some("Research Engineer, Evaluations"),
        "an attribute is text, not HTML"
    );
    assert_eq!(p.company, None, "no company selector: unknown");
    assert_eq!(page.next, None);
}

#[test]
fn html_selectors_that_match_nothing_are_errors_naming_them() {
    let board = url("https://board.example/ml-jobs");
    let err = parse(&fixture("empty.html"), &board, &selectors(BOARD))
        .expect_err("no items")
        .to_string();
    assert!(
        err.contains("0 items: selector `li.job-card` matched nothing")
            && err.contains("board.example/ml-jobs"),
        "{err}"
    );
    let wrong_title = BOARD.replace("title = \"a.job-title\"", "title = \"h2.title\"");
    let err = parse(
        &fixture("ml-jobs-page-1.html"),
        &board,
        &selectors(&wrong_title),
    )
    .expect_err("no usable items")
    .to_string();
    assert!(
        err.contains("5 items, none usable")
            && err.contains("item 1: title selector `h2.title` matched nothing"),
        "{err}"
    );
    let wrong_link = BOARD.replace(
        "link = \"a.job-title\"",
        "link = \"a.job-title @data-href\"",
    );
    let err = parse(
        &fixture("ml-jobs-page-1.html"),
        &board,
        &selectors(&wrong_link),
    )
    .expect_err("no usable items")
    .to_string();
    assert!(
        err.contains(
            "link selector `a.job-title @data-href` matched nothing (or no `data-href` attribute)"
        ),
        "{err}"
    );
    let err = parse(
        br#"{"jobs": [{"title": "ML Engineer"}]}"#,
        &board,
        &selectors(BOARD),
    )
    .expect_err("JSON is not a list page")
    .to_string();
    assert!(err.contains("0 items"), "{err}");
}

#[test]
fn html_broken_markup_is_read_without_panicking() {
    let page = parse(
        &fixture("broken.html"),
        &url("https://board.example/ml-jobs"),
        &selectors(BOARD),
    )
    .expect("lenient");
    let titles: Vec<&str> = page.postings.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Senior ML Engineer, Ranking",
            "Research Scientist – LLM Alignment",
            "ML Platform Eng",
        ],
        "the item cut off mid-title is read as far as it goes"
    );
    assert_eq!(page.next, None);
    let garbage: &[&[u8]] = &[
        b"",
        b"<<<>>>",
        b"\xff\xfe\x00<li class=job-card>",
        b"<li class=\"job-card\"><a class=\"job-title\" href=\"javascript:void(0)\">X</a>",
    ];
    for bytes in garbage {
        let _ = parse(bytes, &url("https://board.example/"), &selectors(BOARD));
    }
}

#[test]
fn html_detail_pages_give_the_description() {
    let pick = selectors(&format!(
        "{BOARD}detail_description = \"div.job-description\"\n"
    ))
    .detail_description
    .expect("set");
    let d = detail_description(
        &fixture("job-4821-senior-ml-engineer-ranking.html"),
        &url("https://board.example/jobs/4821-senior-ml-engineer-ranking"),
        &pick,
    )
    .expect("found");
    let mut p = RawPosting::default();
    d.apply(&mut p);
    let html = p.description_html.expect("html");
    assert!(
        html.contains("<li>Train and ship learning-to-rank models in PyTorch</li>"),
        "{html}"
    );
    assert!(html.contains("€95,000 – €120,000 per year"), "{html}");
    let err = detail_description(
        &fixture("careers.html"),
        &url("https://halcyon.example/careers"),
        &pick,
    )
    .expect_err("no description there")
    .to_string();
    assert!(
        err.contains("detail_description selector `div.job-description` matched nothing"),
        "{err}"
    );
}
