//! Prefix searches find the same postings, in the same order, whether a
//! prefix stays a prefix query or becomes the OR of the index's words.

use chrono::TimeZone;

use super::*;
use crate::model::{Posting, SourceName, Workplace};

const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mi", "ren", "to", "va", "shi", "der", "pla", "nor", "ex", "qui", "sta", "ber",
    "lin", "gor",
];
const TITLES: [&str; 6] = [
    "Senior Engineer",
    "Staff Engineer",
    "Engineering Manager",
    "Data Scientist",
    "Principal Embedded Engineer",
    "Rust Developer",
];
const PLACES: [&str; 4] = ["Berlin", "Bergen", "Remote", "Lisbon"];
const COMPANIES: [&str; 3] = ["Acme", "Acorn Labs", "Globex"];

fn word(rng: &mut fastrand::Rng) -> String {
    (0..2 + rng.usize(0..3))
        .map(|_| SYLLABLES[rng.usize(0..SYLLABLES.len())])
        .collect()
}

/// Posting `i` of version `v`: a title, place and company from short lists
/// (with a made-up word in the title now and then), and 40 made-up words.
fn posting(rng: &mut fastrand::Rng, i: usize, v: usize) -> Posting {
    let mut title = TITLES[rng.usize(0..TITLES.len())].to_string();
    if rng.usize(0..4) == 0 {
        title = format!("{title} {}", word(rng));
    }
    let text: Vec<String> = (0..40).map(|_| word(rng)).collect();
    let day = u32::try_from(1 + i % 28).expect("day");
    Posting {
        source: SourceName("s".into()),
        external_id: i.to_string(),
        title: title.clone(),
        raw_title: title,
        company: Some(COMPANIES[i % COMPANIES.len()].into()),
        department: None,
        locations: vec![PLACES[i % PLACES.len()].into()],
        workplace: Workplace::Unknown,
        employment_type: None,
        salary: None,
        posted_at: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).single(),
        updated_at: None,
        url: None,
        apply_url: None,
        description_html: String::new(),
        text: format!("{} version{v}", text.join(" ")),
        tags: vec![],
        author: None,
    }
}

/// A store of 1,500 postings written in several commits (several index
/// segments), a third of them rewritten later so that the index keeps words
/// only deleted rows had.
fn store(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("s.db")).expect("store");
    let mut rng = fastrand::Rng::with_seed(13);
    let seen = Utc
        .with_ymd_and_hms(2026, 11, 29, 0, 0, 0)
        .single()
        .expect("date");
    let batches = (0..5)
        .map(|b| (b * 300..(b + 1) * 300, 0))
        .chain([(0..1_500, 1)]);
    for (rows, v) in batches {
        let mut tx = store.begin_ingest(seen).expect("begin");
        tx.set_source(&SourceName("s".into()));
        for i in rows.filter(|i| v == 0 || i % 3 == 0) {
            let p = posting(&mut rng, i, v);
            tx.upsert_whole(&p).expect("upsert");
        }
        tx.commit().expect("commit");
    }
    store
}

#[test]
fn prefix_searches_find_the_same_postings_as_words_or_as_prefixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(dir.path());
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("date");
    // Short prefixes with thousands of words, a few words, one, none; under
    // fields, negated, beside a negation, in an OR, at the end of a phrase,
    // beside a filter.
    let queries = [
        "k*",
        "ka*",
        "kalo*",
        "kalomi*",
        "kalomiren*",
        "embed*",
        "e*",
        "title:eng*",
        "title:ka*",
        "company:ac*",
        "location:ber*",
        "ka* -title:senior",
        "-kalo* title:engineer",
        "rust OR kalo*",
        "kalo* OR mito*",
        "\"senior eng\"*",
        "\"principal embedded eng\"*",
        "(kalo* OR lomi*) title:engineer",
        "kalo* posted<10d",
        "kalo* -title:(staff OR principal)",
        "version0 kalo*",
        "zzz*",
        "c++*",
    ];
    let mut found = 0;
    for query in queries {
        let q = Query::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
        for limit in [20, usize::MAX] {
            let req = Request {
                query: Some(q.clone()),
                limit,
                ..Request::default()
            };
            let prefix = ids(&store, &req, now, 0).expect("prefix query");
            let words = ids(&store, &req, now, PREFIX_WORDS).expect("default");
            let all_words = ids(&store, &req, now, usize::MAX).expect("every prefix as words");
            assert_eq!(words, prefix, "{query:?}, limit {limit}");
            assert_eq!(all_words, prefix, "{query:?}, limit {limit}, all words");
            if limit == 20 && !prefix.is_empty() {
                found += 1;
            }
        }
    }
    assert!(found >= 18, "only {found} queries found postings");

    // The paths differ where they should: few words become an OR, thousands
    // stay a prefix unless every prefix is expanded.
    let listed = |p: &str, max: usize| store.index_words(p, max).expect("read the index");
    let few = listed("kalomi", PREFIX_WORDS).expect("a few words");
    assert!((2..=PREFIX_WORDS).contains(&few.len()), "kalomi*: {few:?}");
    assert_eq!(listed("ka", PREFIX_WORDS), None, "ka* has more words");
    let many = listed("ka", usize::MAX).expect("all words").len();
    assert!(many > 1_000, "ka* lists {many} words");
}
