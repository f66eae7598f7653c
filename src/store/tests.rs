//! The store against a real SQLite file: opening read-only never migrates,
//! claiming messages across processes, and (in [`ingest`]) deduplication,
//! with the search index it writes in [`search_index`].

mod ingest;
mod search_index;

use std::path::Path;

use rusqlite::Connection;

use super::{Store, StoreError, migrations};

/// The bytes of the database and its WAL, to show a command wrote nothing.
fn snapshot(path: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    let wal = path.with_extension("db-wal");
    (
        std::fs::read(path).expect("database file"),
        std::fs::read(wal).ok().filter(|w| !w.is_empty()),
    )
}

#[test]
fn a_read_only_open_of_an_older_database_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    let mut conn = Connection::open(&path).expect("create");
    migrations::migrate_to(&mut conn, 2);
    drop(conn);
    let before = snapshot(&path);
    let err = Store::open_read_only(&path).err().expect("refused");
    assert!(matches!(err, StoreError::TooOld { found: 2, .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("schema 2") && msg.contains("jobhound fetch"),
        "{msg}"
    );
    assert_eq!(snapshot(&path), before, "the file is untouched");
    let conn = Connection::open(&path).expect("reopen");
    assert_eq!(migrations::version(&conn).expect("version"), 2);
}

#[test]
fn a_read_only_open_of_no_database_creates_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("none.db");
    let err = Store::open_read_only(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("no database yet"), "{err}");
    assert!(!path.exists());
    std::fs::write(&path, b"").expect("empty file");
    let err = Store::open_read_only(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), b"");
}

#[test]
fn a_new_database_gets_4k_pages_and_an_old_one_keeps_its_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page_size = |store: &Store| -> i64 {
        store
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size")
    };
    let new = Store::open(&dir.path().join("new.db")).expect("open");
    assert_eq!(page_size(&new), super::PAGE_SIZE);
    assert_eq!(super::PAGE_SIZE, 4096);
    // As the schema-12 versions made them.
    let path = dir.path().join("old.db");
    let conn = Connection::open(&path).expect("create");
    conn.execute_batch("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;")
        .expect("old layout");
    drop(conn);
    let old = Store::open(&path).expect("open");
    assert_eq!(page_size(&old), 16384);
    assert_eq!(old.version().expect("version"), migrations::head());
}

fn at(s: i64) -> chrono::DateTime<chrono::Utc> {
    super::from_unix(1_795_600_000 + s)
}

#[test]
fn a_claimed_message_is_sent_by_its_holder_only_until_the_lease_runs_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lease.db");
    let mut a = Store::open(&path).expect("first process");
    let mut b = Store::open(&path).expect("second process");
    let ids = a
        .create_messages("hook", &[Vec::new()], None, at(0))
        .expect("message");
    let id = ids[0];
    let got = a.claim_message(id, "a", at(1), at(31)).expect("claim");
    assert_eq!(got.map(|m| m.attempts), Some(0), "a holds it");
    assert!(
        b.claim_message(id, "b", at(2), at(32))
            .expect("claim")
            .is_none(),
        "b cannot take a live lease"
    );
    assert!(
        b.due_messages("hook", at(2), 0, 10)
            .expect("due")
            .is_empty()
    );
    assert_eq!(b.next_message_at("hook").expect("next"), Some(at(31)));
    // a dies holding it; once the lease runs out, b sends it.
    let m = b.claim_message(id, "b", at(31), at(61)).expect("claim");
    assert!(m.is_some(), "a dead holder's message is sent again");
    assert!(
        !a.message_retry(id, "a", "timeout", at(40)).expect("retry"),
        "a no longer holds it: its outcome is not recorded"
    );
    assert!(b.message_retry(id, "b", "HTTP 503", at(50)).expect("retry"));
    let m = &a.pending_messages("hook").expect("pending")[0];
    assert_eq!((m.attempts, m.last_error.as_deref()), (1, Some("HTTP 503")));
    assert!(
        a.claim_message(id, "a", at(49), at(79))
            .expect("claim")
            .is_none(),
        "not due before its retry time"
    );
    let m = a.claim_message(id, "a", at(50), at(80)).expect("claim");
    assert_eq!(m.map(|m| m.attempts), Some(1));
    assert!(a.message_sent(id, "a", at(51)).expect("sent"));
    assert!(
        b.claim_message(id, "b", at(100), at(130))
            .expect("claim")
            .is_none()
    );
    assert!(b.pending_messages("hook").expect("pending").is_empty());
}
