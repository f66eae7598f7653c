//! Property tests of every source kind's payload parser: whatever a server
//! sends (arbitrary bytes, arbitrary JSON, a real payload with any part
//! replaced by anything), parsing never panics, and a failure is an error
//! that names the URL and says something. Case counts are bounded (and can be
//! raised with `PROPTEST_CASES`) so the suite stays fast.

use proptest::prelude::*;
use serde_json::Value;
use url::Url;

use super::SourceError;
use crate::config::{Config, Selectors, SourceKind};

const URL: &str = "http://127.0.0.1:9/payload";

/// One parser, its result reduced to how many things it read.
type Parser = fn(&[u8], &Url) -> Result<usize, SourceError>;

fn selectors() -> Selectors {
    let text = format!(
        "[[source]]\nname = \"b\"\nkind = \"html\"\nurl = \"{URL}\"\n[source.selectors]\n\
         item = \"li.job\"\ntitle = \"a\"\nlink = \"a\"\ndate = \"time @datetime\"\n\
         description = \"p\"\nnext = \"a[rel=next]\"\n"
    );
    let config = Config::parse(&text, std::path::Path::new("j.toml"), &|_| None)
        .unwrap_or_else(|e| panic!("{e}"));
    match &config.sources[0].kind {
        SourceKind::Html { selectors, .. } => selectors.as_ref().clone(),
        other => panic!("{other:?}"),
    }
}

fn html(bytes: &[u8], url: &Url) -> Result<usize, SourceError> {
    thread_local!(static SEL: Selectors = selectors());
    SEL.with(|sel| super::html::parse(bytes, url, sel).map(|p| p.postings.len()))
}

fn feed_batches(bytes: &[u8], url: &Url) -> Result<usize, SourceError> {
    let mut n = 0;
    super::feed::parse_batches(bytes, url, &mut |b| n += b.len())?;
    Ok(n)
}

fn hn_header(bytes: &[u8], _: &Url) -> Result<usize, SourceError> {
    let _ = super::hn_whoishiring::header::parse(&String::from_utf8_lossy(bytes));
    Ok(1)
}

/// Every parser, with the fixtures of its kind (real payloads to mutate).
fn parsers() -> Vec<(&'static str, Parser, &'static [&'static str])> {
    vec![
        (
            "ashby",
            |b, u| super::ashby::parse(b, u).map(|v| v.len()),
            &["ashby/board.json"],
        ),
        (
            "feed",
            |b, u| super::feed::parse(b, u).map(|v| v.len()),
            &[
                "feed/jsonfeed.json",
                "feed/atom.xml",
                "feed/wwr-programming.rss",
            ],
        ),
        ("feed batches", feed_batches, &["feed/rss1.rdf"]),
        (
            "getro",
            |b, u| super::getro::parse(b, u).map(|p| p.jobs),
            &["getro/page-0.json"],
        ),
        (
            "greenhouse",
            |b, u| super::greenhouse::parse(b, u).map(|v| v.len()),
            &["greenhouse/board.json"],
        ),
        (
            "himalayas",
            |b, u| super::himalayas::parse_page(b, u).map(|p| p.postings.len()),
            &["himalayas/page-1.json"],
        ),
        (
            "hn threads",
            |b, u| super::hn_whoishiring::threads(b, u, 3).map(|v| v.len()),
            &["hn_whoishiring/search-1.json"],
        ),
        (
            "hn items",
            |b, u| super::hn_whoishiring::parse(b, u).map(|v| v.len()),
            &["hn_whoishiring/item-45800001.json"],
        ),
        ("hn header", hn_header, &[]),
        ("html", html, &["html/ml-jobs-page-1.html"]),
        (
            "jobicy",
            |b, u| super::jobicy::parse(b, u).map(|v| v.len()),
            &["jobicy/ml-jobs.json"],
        ),
        (
            "lever",
            |b, u| super::lever::parse(b, u).map(|v| v.len()),
            &["lever/postings.json"],
        ),
        (
            "recruitee",
            |b, u| super::recruitee::parse(b, u).map(|v| v.len()),
            &["recruitee/offers.json"],
        ),
        (
            "remoteok",
            |b, u| super::remoteok::parse(b, u).map(|v| v.len()),
            &["remoteok/ml-jobs.json"],
        ),
        (
            "remotive",
            |b, u| super::remotive::parse(b, u).map(|v| v.len()),
            &["remotive/ml-jobs.json"],
        ),
        (
            "smartrecruiters list",
            |b, u| super::smartrecruiters::parse_page(b, u).map(|p| p.items.len()),
            &["smartrecruiters/postings-page1.json"],
        ),
        (
            "smartrecruiters detail",
            |b, u| super::smartrecruiters::parse_detail(b, u).map(|_| 1),
            &["smartrecruiters/detail-744000201234567.json"],
        ),
        (
            "workable",
            |b, u| super::workable::parse(b, u).map(|v| v.len()),
            &["workable/board.json"],
        ),
    ]
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs every parser on `bytes`: each returns, and an error names the URL and says why.
fn check_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    let url = Url::parse(URL).expect("url");
    for (name, parse, _) in parsers() {
        if let Err(e) = parse(bytes, &url) {
            let text = e.to_string();
            prop_assert!(
                text.starts_with(URL) && text.len() > URL.len() + 2,
                "{name}: unclear error {text:?}"
            );
        }
    }
    Ok(())
}

/// JSON of any shape, with the keys real payloads use so parsers get past
/// their first checks, and the odd values servers send (huge, negative, NaN-ish numbers).
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "jobs",
            "id",
            "title",
            "name",
            "content",
            "data",
            "hits",
            "items",
            "children",
            "text",
            "location",
            "locations",
            "offices",
            "departments",
            "company",
            "company_name",
            "companyName",
            "url",
            "absolute_url",
            "hostedUrl",
            "applyUrl",
            "jobUrl",
            "ref",
            "salary",
            "salary_min",
            "salary_max",
            "compensation",
            "categories",
            "tags",
            "date",
            "pubDate",
            "createdAt",
            "updated_at",
            "publishedAt",
            "postedDate",
            "releasedDate",
            "created_at",
            "description",
            "descriptionPlain",
            "lists",
            "offers",
            "postings",
            "content",
            "totalFound",
            "offset",
            "limit",
            "total",
            "count",
            "meta",
            "results",
            "objectID",
            "author",
            "time",
            "workplaceType",
            "isRemote",
            "remote",
            "shift",
            "jobDescription",
            "jobSections",
            "published",
            "employment_type",
            "city",
            "country",
            "region",
            "slug",
            "guid",
            "version",
            "home_page_url",
            "feed_url",
            "summary",
            "content_html",
            "content_text",
            "date_published",
            "minValue",
            "maxValue",
            "currency",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z_]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(serde_json::json!(1e308)),
        Just(serde_json::json!(-1)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec![
            "2026-11-30T10:00:00Z",
            "1764496800",
            "1764496800000",
            "",
            "<p>x</p>",
            "http://127.0.0.1/",
            "javascript:alert(1)",
            "$100k - $200k",
            "USD",
            "€",
            "9999999999999999999999",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Replaces the `at`-th node (pre-order, modulo the node count) of `v` with `with`.
fn replace_node(v: &mut Value, at: usize, with: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut Value, at: &mut usize, with: &mut Option<Value>) {
        if *at == 0 {
            if let Some(w) = with.take() {
                *v = w;
            }
            return;
        }
        *at -= 1;
        match v {
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, at, with)),
            Value::Object(o) => o.values_mut().for_each(|c| walk(c, at, with)),
            _ => {}
        }
    }
    let mut at = at % count(v);
    walk(v, &mut at, &mut Some(with));
}

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(n),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn arbitrary_bytes_never_panic_a_parser(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_all(&bytes)?;
    }

    #[test]
    fn arbitrary_json_never_panics_a_parser(v in json()) {
        check_all(&serde_json::to_vec(&v).expect("json"))?;
    }

    #[test]
    fn a_real_payload_with_any_part_replaced_never_panics(
        which in any::<prop::sample::Index>(),
        at in any::<usize>(),
        with in json(),
    ) {
        let url = Url::parse(URL).expect("url");
        let all: Vec<(&str, Parser, &str)> = parsers()
            .into_iter()
            .flat_map(|(n, p, fs)| fs.iter().map(move |f| (n, p, *f)))
            .filter(|(_, _, f)| f.ends_with(".json"))
            .collect();
        let (name, parse, file) = all[which.index(all.len())];
        let bytes = fixture(file);
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut v: Value = serde_json::from_slice(bytes).expect("fixture is JSON");
        replace_node(&mut v, at, with);
        if let Err(e) = parse(&serde_json::to_vec(&v).expect("json"), &url) {
            prop_assert!(e.to_string().starts_with(URL), "{name}: {e}");
        }
    }

    #[test]
    fn a_real_markup_payload_cut_or_spliced_never_panics(
        which in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        insert in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let url = Url::parse(URL).expect("url");
        let all: Vec<(&str, Parser, &str)> = parsers()
            .into_iter()
            .flat_map(|(n, p, fs)| fs.iter().map(move |f| (n, p, *f)))
            .collect();
        let (name, parse, file) = all[which.index(all.len())];
        let mut bytes = fixture(file);
        let at = cut.index(bytes.len() + 1);
        bytes.splice(at..at, insert);
        if let Err(e) = parse(&bytes, &url) {
            prop_assert!(e.to_string().starts_with(URL), "{name}: {e}");
        }
    }
}
