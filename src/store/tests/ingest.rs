//! Deduplication and merging as `Ingest` does them, against a real SQLite
//! file: one posting per job across sources (by canonical URL), only the
//! source that first listed a job rewrites it, and alerts are evaluated
//! again exactly when something new is known about a job. The search index
//! it writes is tested in `search_index.rs`.

use chrono::{DateTime, Duration, Utc};

use crate::model::{PostingId, RawPosting, SourceName};
use crate::normalize::normalize;
use crate::store::{Change, SearchTerms, Store, Upsert, from_unix};

pub(super) fn now() -> DateTime<Utc> {
    from_unix(1_795_600_000)
}

pub(super) fn raw(id: &str, title: &str, url: &str) -> RawPosting {
    RawPosting {
        external_id: id.into(),
        title: title.into(),
        url: Some(url.into()),
        description_text: Some(format!("{title}: build and ship.")),
        ..RawPosting::default()
    }
}

pub(super) fn terms(title: &str) -> SearchTerms {
    SearchTerms {
        title: title.to_lowercase(),
        ..SearchTerms::default()
    }
}

/// Writes each raw posting of `source` in one ingest transaction at `at`.
pub(super) fn ingest(
    store: &mut Store,
    source: &str,
    at: DateTime<Utc>,
    raws: &[RawPosting],
) -> Vec<Upsert> {
    let name = SourceName(source.into());
    let mut tx = store.begin_ingest(at).expect("begin");
    tx.set_source(&name);
    let ups = raws
        .iter()
        .map(|r| {
            let p = normalize(r.clone(), &name);
            tx.upsert(
                &p,
                &crate::normalize::identity::Keys::of(&p),
                terms(&p.title),
            )
            .expect("upsert")
        })
        .collect();
    tx.commit().expect("commit");
    ups
}

pub(super) fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("ingest.db")).expect("open");
    (dir, store)
}

pub(super) fn title(store: &Store, id: PostingId) -> String {
    store
        .posting(id)
        .expect("read")
        .expect("stored")
        .posting
        .title
}

#[test]
fn the_same_job_on_two_boards_is_one_posting_found_by_its_canonical_url() {
    let (_dir, mut store) = open();
    let [first] = ingest(
        &mut store,
        "board-a",
        now(),
        &[raw(
            "a-1",
            "Rust Engineer",
            "https://Jobs.Example/rust?utm_source=a",
        )],
    )[..] else {
        panic!("one upsert")
    };
    assert_eq!((first.change, first.new_sighting), (Change::New, false));
    let [second] = ingest(
        &mut store,
        "board-b",
        now() + Duration::hours(1),
        &[raw(
            "b-77",
            "Rust Engineer",
            "https://jobs.example/rust#apply",
        )],
    )[..] else {
        panic!("one upsert")
    };
    assert_eq!(second.id, first.id, "one row for the job");
    assert_eq!(
        (second.change, second.new_sighting),
        (Change::Unchanged, true)
    );
    assert_eq!(store.count_postings().expect("count"), 1);
    let sightings: Vec<String> = store
        .sightings(first.id)
        .expect("sightings")
        .into_iter()
        .map(|s| s.source)
        .collect();
    assert_eq!(sightings, ["board-a", "board-b"]);
    // A different job at a different URL stays apart.
    let [other] = ingest(
        &mut store,
        "board-b",
        now(),
        &[raw("b-78", "Rust Engineer", "https://jobs.example/rust-2")],
    )[..] else {
        panic!("one upsert")
    };
    assert_ne!(other.id, first.id);
    assert_eq!(other.change, Change::New);
}

#[test]
fn only_the_source_that_first_listed_a_job_rewrites_it() {
    let (_dir, mut store) = open();
    let url = "https://jobs.example/ml";
    let id = ingest(&mut store, "first", now(), &[raw("1", "ML Engineer", url)])[0].id;
    ingest(&mut store, "second", now(), &[raw("x", "ML Engineer", url)]);

    let by_second = ingest(
        &mut store,
        "second",
        now(),
        &[raw("x", "Senior ML Engineer!", url)],
    )[0];
    assert_eq!((by_second.id, by_second.change), (id, Change::Unchanged));
    assert_eq!(
        title(&store, id),
        "ML Engineer",
        "the second copy does not flip the row"
    );

    let by_first = ingest(
        &mut store,
        "first",
        now(),
        &[raw("1", "Staff ML Engineer", url)],
    )[0];
    assert_eq!((by_first.id, by_first.change), (id, Change::Updated));
    assert_eq!(title(&store, id), "Staff ML Engineer");
    assert_eq!(store.count_postings().expect("count"), 1);
}

#[test]
fn alerts_are_evaluated_again_only_when_something_new_is_known() {
    let (_dir, mut store) = open();
    let url = "https://jobs.example/data";
    let cases: &[(&str, &str, &str, Change, bool, bool)] = &[
        (
            "first listing",
            "a",
            "Data Engineer",
            Change::New,
            false,
            true,
        ),
        (
            "seen again as it was",
            "a",
            "Data Engineer",
            Change::Unchanged,
            false,
            false,
        ),
        (
            "its content changed",
            "a",
            "Data Engineer II",
            Change::Updated,
            false,
            true,
        ),
        (
            "another board lists it",
            "b",
            "Data Engineer II",
            Change::Unchanged,
            true,
            true,
        ),
        (
            "that board again, unchanged",
            "b",
            "Data Engineer II",
            Change::Unchanged,
            false,
            false,
        ),
        (
            "the non-owner's copy differs",
            "b",
            "Data Engineer III",
            Change::Unchanged,
            false,
            false,
        ),
    ];
    for (what, source, t, change, new_sighting, needs) in cases {
        let up = ingest(
            &mut store,
            source,
            now(),
            &[raw(&format!("{source}-1"), t, url)],
        )[0];
        assert_eq!(
            (up.change, up.new_sighting, up.needs_matching()),
            (*change, *new_sighting, *needs),
            "{what}"
        );
    }
}

#[test]
fn a_match_is_recorded_and_queued_once_ever() {
    let (_dir, mut store) = open();
    let name = SourceName("a".into());
    let hooks = ["hook".to_string(), "mail".to_string()];
    let mut firsts = Vec::new();
    for _ in 0..2 {
        let mut tx = store.begin_ingest(now()).expect("begin");
        tx.set_source(&name);
        let p = normalize(raw("1", "ML Engineer", "https://jobs.example/1"), &name);
        let up = tx
            .upsert(
                &p,
                &crate::normalize::identity::Keys::of(&p),
                terms(&p.title),
            )
            .expect("upsert");
        firsts.push(tx.record_match("ml", up.id, &hooks, true).expect("match"));
        tx.commit().expect("commit");
    }
    assert_eq!(firsts, [true, false]);
    let queued = store.outbox_counts(None).expect("counts").pending;
    assert_eq!(queued, 2, "one delivery per notifier, once");
}

#[test]
fn a_raw_title_is_read_back_as_it_came_whether_or_not_it_is_the_title() {
    let (_dir, mut store) = open();
    let name = SourceName("s".into());
    let same = normalize(raw("1", "Rust Engineer", "https://a.example/1"), &name);
    let spaced = normalize(raw("2", "  Rust   Engineer ", "https://a.example/2"), &name);
    let mut empty = normalize(raw("3", "Data Engineer", "https://a.example/3"), &name);
    empty.raw_title = String::new();
    assert_eq!(same.raw_title, same.title);
    assert_ne!(spaced.raw_title, spaced.title);
    let mut tx = store.begin_ingest(now()).expect("begin");
    tx.set_source(&name);
    let ids: Vec<PostingId> = [&same, &spaced, &empty]
        .iter()
        .map(|p| tx.upsert_whole(p).expect("upsert").id)
        .collect();
    tx.commit().expect("commit");
    for (id, p) in ids.iter().zip([&same, &spaced, &empty]) {
        let stored = store.posting(*id).expect("read").expect("stored").posting;
        assert_eq!(
            (&stored.title, &stored.raw_title),
            (&p.title, &p.raw_title),
            "{id:?}"
        );
    }
    // Only the first is stored as "the same as the title".
    let kinds: Vec<String> = store
        .conn
        .prepare("SELECT typeof(raw_title) FROM postings ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("types");
    assert_eq!(kinds, ["blob", "text", "text"]);
}
