//! The store against a real SQLite file: opening read-only never migrates.

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
