//! Deduplication and merging as `Ingest` does them, against a real SQLite
//! file: one posting per job across sources (by canonical URL), only the
//! source that first listed a job rewrites it, the search index follows a
//! posting whose sort day moves, and alerts are evaluated again exactly when
//! something new is known about a job.

use chrono::{DateTime, Duration, Utc};

use crate::model::{PostingId, RawPosting, SourceName};
use crate::normalize::normalize;
use crate::store::ingest::fts_key;
use crate::store::{Change, SearchTerms, Store, Upsert, from_unix};

fn now() -> DateTime<Utc> {
    from_unix(1_795_600_000)
}

fn raw(id: &str, title: &str, url: &str) -> RawPosting {
    RawPosting {
        external_id: id.into(),
        title: title.into(),
        url: Some(url.into()),
        description_text: Some(format!("{title}: build and ship.")),
        ..RawPosting::default()
    }
}

fn terms(title: &str) -> SearchTerms {
    SearchTerms {
        title: title.to_lowercase(),
        ..SearchTerms::default()
    }
}

/// Writes each raw posting of `source` in one ingest transaction at `at`.
fn ingest(store: &mut Store, source: &str, at: DateTime<Utc>, raws: &[RawPosting]) -> Vec<Upsert> {
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

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("ingest.db")).expect("open");
    (dir, store)
}

fn title(store: &Store, id: PostingId) -> String {
    store
        .posting(id)
        .expect("read")
        .expect("stored")
        .posting
        .title
}

/// The full-text rowids matching `word`.
fn fts_rows(store: &Store, word: &str) -> Vec<i64> {
    let mut stmt = store
        .conn
        .prepare("SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?1 ORDER BY rowid")
        .expect("prepare");
    stmt.query_map([word], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
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
fn the_search_index_row_moves_with_the_posting_date() {
    let (_dir, mut store) = open();
    let url = "https://jobs.example/rust";
    let mut r = raw("1", "Rust Engineer", url);
    r.posted_at = Some(now() - Duration::days(10));
    let id = ingest(&mut store, "a", now(), &[r.clone()])[0].id;
    let old = fts_key((now() - Duration::days(10)).timestamp(), id.0).expect("key");
    assert_eq!(fts_rows(&store, "rust"), [old]);

    // Re-dated by its source: its index row moves to the new day, the old one goes.
    r.posted_at = Some(now() - Duration::days(3));
    r.title = "Rust Engineer (re-posted)".into();
    let up = ingest(&mut store, "a", now(), &[r.clone()])[0];
    assert_eq!(up.change, Change::Updated);
    let new = fts_key((now() - Duration::days(3)).timestamp(), id.0).expect("key");
    assert_ne!(new, old);
    assert_eq!(fts_rows(&store, "rust"), [new]);

    // Changed twice in one transaction: the index row written once, at the last day.
    let name = SourceName("a".into());
    let mut tx = store.begin_ingest(now()).expect("begin");
    tx.set_source(&name);
    for (days, t) in [(2, "Rust Engineer v3"), (1, "Rust Engineer v4")] {
        r.posted_at = Some(now() - Duration::days(days));
        r.title = t.into();
        let p = normalize(r.clone(), &name);
        assert_eq!(
            tx.upsert(
                &p,
                &crate::normalize::identity::Keys::of(&p),
                terms(&p.title)
            )
            .expect("upsert")
            .change,
            Change::Updated
        );
    }
    tx.commit().expect("commit");
    let last = fts_key((now() - Duration::days(1)).timestamp(), id.0).expect("key");
    assert_eq!(fts_rows(&store, "rust"), [last]);
    assert_eq!(fts_rows(&store, "v4"), [last]);
    assert!(
        fts_rows(&store, "v3").is_empty(),
        "the superseded text is not indexed"
    );
}

#[test]
fn an_unchanged_listing_writes_nothing_to_the_search_index() {
    let (_dir, mut store) = open();
    let r = raw("1", "Rust Engineer", "https://jobs.example/rust");
    ingest(&mut store, "a", now(), std::slice::from_ref(&r));
    // Every write to an FTS5 table adds or rewrites blocks here.
    let index = |store: &Store| -> (i64, i64, Vec<u8>) {
        store
            .conn
            .query_row(
                "SELECT count(*), max(id), group_concat(hex(block), '') FROM postings_fts_data",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?.into_bytes())),
            )
            .expect("index")
    };
    let before = index(&store);
    let up = ingest(
        &mut store,
        "a",
        now() + Duration::hours(1),
        std::slice::from_ref(&r),
    )[0];
    assert_eq!(up.change, Change::Unchanged);
    assert_eq!(index(&store), before, "seen again, not reindexed");
    let mut changed = r;
    changed.title = "Rust Engineer (Berlin)".into();
    ingest(&mut store, "a", now() + Duration::hours(2), &[changed]);
    assert_ne!(index(&store), before, "a changed listing is reindexed");
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

#[test]
fn a_fetch_taken_back_leaves_the_fetches_around_it_and_the_index_as_they_were() {
    let (_dir, mut store) = open();
    let mut rust = raw("1", "Rust Engineer", "https://jobs.example/rust");
    rust.posted_at = Some(now() - Duration::days(10));
    let id = ingest(&mut store, "a", now(), &[rust.clone()])[0].id;
    let indexed = fts_rows(&store, "rust");

    let mut tx = store.begin_ingest(now()).expect("begin");
    let fetch = |tx: &mut crate::store::Ingest<'_>, source: &str, raws: &[RawPosting]| {
        let name = SourceName(source.into());
        tx.begin_fetch().expect("savepoint");
        tx.set_source(&name);
        for r in raws {
            let p = normalize(r.clone(), &name);
            let keys = crate::normalize::identity::Keys::of(&p);
            tx.upsert(&p, &keys, terms(&p.title)).expect("upsert");
        }
    };
    fetch(
        &mut tx,
        "b",
        &[raw("g", "Go Developer", "https://jobs.example/go")],
    );
    tx.end_fetch().expect("kept");
    // Re-dates and renames the stored job (its index row moves) and adds one:
    // all of it taken back.
    let mut moved = rust.clone();
    moved.title = "Rust Lead".into();
    moved.posted_at = Some(now() - Duration::days(2));
    let python = raw("2", "Python Engineer", "https://jobs.example/python");
    fetch(&mut tx, "a", &[moved, python]);
    tx.undo_fetch().expect("taken back");
    fetch(
        &mut tx,
        "c",
        &[raw("z", "Zig Engineer", "https://jobs.example/zig")],
    );
    tx.end_fetch().expect("kept");
    tx.commit().expect("commit");

    let count: i64 = store
        .conn
        .query_row("SELECT count(*) FROM postings", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 3, "the stored job, the Go and the Zig one");
    assert_eq!(title(&store, id), "Rust Engineer");
    assert_eq!(fts_rows(&store, "rust"), indexed, "its index row stayed");
    assert!(fts_rows(&store, "lead").is_empty());
    assert!(fts_rows(&store, "python").is_empty());
    assert_eq!(fts_rows(&store, "go").len(), 1);
    assert_eq!(fts_rows(&store, "zig").len(), 1);
}
