//! Numbered, append-only schema migrations. `PRAGMA user_version` records how
//! many have run; each runs in its own transaction. Never edit a shipped
//! migration: add the next number.

use rusqlite::Connection;

use super::StoreError;

/// Every migration, in order. The position (1-based) is its number.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_init.sql")];

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
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", head() + 1)
            .expect("set");
        assert!(matches!(migrate(&mut conn), Err(StoreError::TooNew { .. })));
    }
}
