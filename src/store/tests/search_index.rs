//! The search index as `Ingest` writes it, against a real SQLite file: a
//! posting's row moves with its sort day, a listing seen again unchanged
//! writes nothing to it, and a fetch taken back leaves it as it was.

use chrono::Duration;

use super::ingest::{ingest, now, open, raw, terms, title};
use crate::model::{RawPosting, SourceName};
use crate::normalize::normalize;
use crate::store::ingest::fts_key;
use crate::store::{Change, Store};

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
