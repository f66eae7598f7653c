use chrono::TimeZone;

use super::*;
use crate::model::{Posting, SourceName, Workplace};

fn posting(id: &str, title: &str, posted_day: Option<u32>) -> Posting {
    Posting {
        source: SourceName("s".into()),
        external_id: id.into(),
        title: title.into(),
        raw_title: title.into(),
        company: None,
        department: None,
        locations: vec![],
        workplace: Workplace::Unknown,
        employment_type: None,
        salary: None,
        posted_at: posted_day.and_then(|d| Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).single()),
        updated_at: None,
        url: None,
        apply_url: None,
        description_html: String::new(),
        text: format!("{title} role"),
        tags: vec![],
        author: None,
    }
}

fn titles(
    store: &Store,
    query: Option<&str>,
    since_days: Option<u64>,
    source: Option<&str>,
) -> Vec<String> {
    let req = Request {
        query: query.map(|q| Query::parse(q).expect("query")),
        since: since_days.map(|d| Duration::from_secs(d * 86_400)),
        source: source.map(String::from),
        limit: 10,
        ..Request::default()
    };
    let now = Utc
        .with_ymd_and_hms(2026, 11, 28, 0, 0, 0)
        .single()
        .expect("date");
    search(store, &req, now)
        .expect("search")
        .into_iter()
        .map(|p| p.posting.title)
        .collect()
}

#[test]
fn results_come_newest_first_by_posting_date_through_either_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("s.db")).expect("store");
    let seen = Utc
        .with_ymd_and_hms(2026, 11, 27, 0, 0, 0)
        .single()
        .expect("date");
    let mut tx = store.begin_ingest(seen).expect("begin");
    tx.set_source(&SourceName("a".into()));
    // Stored in an order that is not the posting order.
    for (id, title, day) in [
        ("1", "Rust Engineer Mid", Some(10)),
        ("2", "Rust Engineer New", Some(20)),
        ("3", "Rust Engineer Old", Some(1)),
    ] {
        let p = posting(id, title, day);
        tx.upsert_whole(&p).expect("upsert");
    }
    tx.set_source(&SourceName("b".into()));
    let p = posting("4", "Go Engineer Undated", None);
    tx.upsert_whole(&p).expect("upsert");
    tx.commit().expect("commit");
    let want_rust = [
        "Rust Engineer New",
        "Rust Engineer Mid",
        "Rust Engineer Old",
    ];
    assert_eq!(
        titles(&store, Some("rust"), None, None),
        want_rust,
        "through the index"
    );
    assert_eq!(
        titles(&store, None, None, None),
        [
            "Go Engineer Undated",
            "Rust Engineer New",
            "Rust Engineer Mid",
            "Rust Engineer Old"
        ],
        "without a query: undated postings count from when they were first seen"
    );
    assert_eq!(
        titles(&store, Some("-go"), None, None),
        want_rust,
        "a pure negation scans by date"
    );
    assert_eq!(
        titles(&store, Some("rust"), Some(10), None),
        ["Rust Engineer New"],
        "--since 10d"
    );
    assert_eq!(
        titles(&store, Some("engineer"), None, Some("b")),
        ["Go Engineer Undated"],
        "--source"
    );
    assert_eq!(titles(&store, None, None, Some("a")), want_rust);
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats_through_either_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("s.db")).expect("store");
    let seen = Utc
        .with_ymd_and_hms(2026, 11, 27, 0, 0, 0)
        .single()
        .expect("date");
    let mut tx = store.begin_ingest(seen).expect("begin");
    tx.set_source(&SourceName("a".into()));
    // Several jobs share a day: the id orders them within it.
    for (i, day) in [3, 5, 5, 5, 9, 9, 1].into_iter().enumerate() {
        let p = posting(&i.to_string(), &format!("Rust Engineer {i}"), Some(day));
        tx.upsert_whole(&p).expect("upsert");
    }
    tx.commit().expect("commit");
    let now = seen;
    for query in [None, Some("rust")] {
        let all = Request {
            query: query.map(|q| Query::parse(q).expect("query")),
            limit: 100,
            ..Request::default()
        };
        let want: Vec<PostingId> = search(&store, &all, now)
            .expect("search")
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(want.len(), 7);
        let mut got = Vec::new();
        let mut before = None;
        loop {
            let req = Request {
                limit: 2,
                before,
                ..all.clone()
            };
            let page = page(&store, &req, now).expect("page");
            got.extend(page.postings.iter().map(|p| p.id));
            match page.next {
                Some(n) => before = Some(n),
                None => break,
            }
        }
        assert_eq!(got, want, "query {query:?}");
    }
    let first = PostingId(1);
    assert!(
        store
            .set_user_state(first, Some(UserState::Saved), now)
            .expect("set")
    );
    for query in [None, Some("rust")] {
        let req = Request {
            query: query.map(|q| Query::parse(q).expect("query")),
            limit: 100,
            user_state: Some(UserState::Saved),
            ..Request::default()
        };
        let got = search(&store, &req, now).expect("search");
        assert_eq!(got.len(), 1, "query {query:?}");
        assert_eq!(got[0].id, first);
        assert_eq!(got[0].user_state, Some(UserState::Saved));
    }
    // Hiding a state, through both paths: the dismissed job leaves the list.
    assert!(
        store
            .set_user_state(first, Some(UserState::Dismissed), now)
            .expect("set")
    );
    for query in [None, Some("rust")] {
        let req = Request {
            query: query.map(|q| Query::parse(q).expect("query")),
            limit: 100,
            exclude_state: Some(UserState::Dismissed),
            ..Request::default()
        };
        let got = search(&store, &req, now).expect("search");
        assert_eq!(got.len(), 6, "query {query:?}");
        assert!(got.iter().all(|p| p.id != first), "query {query:?}");
    }
}
