//! Numbered, append-only schema migrations. `PRAGMA user_version` records how
//! many have run; each runs in its own transaction. Never edit a shipped
//! migration: add the next number.

use rusqlite::Connection;

use super::StoreError;

/// Every migration, in order. The position (1-based) is its number.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_messages.sql"),
    include_str!("migrations/0003_search_index.sql"),
    include_str!("migrations/0004_source_retry.sql"),
];

/// The schema version a fully migrated database has.
pub fn head() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to [`head`]. A database newer than this binary is refused.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > head() {
        return Err(StoreError::TooNew {
            found: current,
            known: head(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_database_migrates_to_head_and_stays_there() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.db");
        let mut conn = Connection::open(&path).expect("open");
        migrate(&mut conn).expect("first migration");
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(v, head());
        migrate(&mut conn).expect("second run is a no-op");
        for table in [
            "postings",
            "sightings",
            "postings_fts",
            "sources",
            "matches",
            "deliveries",
            "messages",
            "digest_clock",
        ] {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .expect("query");
            assert_eq!(n, 1, "{table} exists");
        }
    }

    #[test]
    fn a_version_1_outbox_keeps_its_pending_deliveries() {
        let mut conn = Connection::open_in_memory().expect("open");
        let tx = conn.transaction().expect("tx");
        tx.execute_batch(MIGRATIONS[0]).expect("0001");
        tx.pragma_update(None, "user_version", 1).expect("version");
        tx.execute_batch(
            "INSERT INTO postings (id, source, external_id, title, raw_title, content_hash,
                first_seen, last_seen, changed_at, sort_at) VALUES (1, 's', 'x', 't', 't', 0, 0, 0, 0, 0);
             INSERT INTO deliveries (alert, posting_id, notifier, next_attempt_at, created_at)
                VALUES ('a', 1, 'n', 0, 0);",
        )
        .expect("rows");
        tx.commit().expect("commit");
        migrate(&mut conn).expect("to head");
        let unassigned: i64 = conn
            .query_row(
                "SELECT count(*) FROM deliveries WHERE status = 'pending' AND message_id IS NULL",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(unassigned, 1, "sent in a message by the new deliverer");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", head() + 1)
            .expect("set");
        assert!(matches!(migrate(&mut conn), Err(StoreError::TooNew { .. })));
    }

    #[test]
    fn the_full_text_rebuild_indexes_postings_stored_before_it() {
        let mut conn = Connection::open_in_memory().expect("open");
        for sql in &MIGRATIONS[..2] {
            conn.execute_batch(sql).expect("early migration");
        }
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
        conn.execute(
            "INSERT INTO postings (id, source, external_id, title, raw_title, locations, text, tags,
                content_hash, first_seen, last_seen, changed_at, sort_at)
             VALUES (7, 's', 'x', 'Rust Engineer', 'Rust Engineer', '[\"Berlin\",\"Remote\"]',
                'We ship.', '[\"mlops\"]', 0, 0, 0, 0, 3 * 86400 + 5)",
            [],
        )
        .expect("posting");
        migrate(&mut conn).expect("migrate to head");
        for query in [
            "title : \"rust\"",
            "location : \"berlin\"",
            "text : \"mlops\"",
            "\"ship\"",
        ] {
            let key: i64 = conn
                .query_row(
                    "SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?1",
                    [query],
                    |r| r.get(0),
                )
                .unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(
                (key >> 29, key & ((1 << 29) - 1)),
                (3, 7),
                "{query}: sort day and id"
            );
        }
    }
}
