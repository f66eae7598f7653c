//! Numbered, append-only schema migrations. `PRAGMA user_version` records how
//! many have run; each runs in its own transaction. Never edit a shipped
//! migration: add the next number.
//!
//! Several processes may open one database at once (the daemon, a `fetch`
//! beside it, two of either on a fresh file): each step takes SQLite's write
//! lock first (`BEGIN IMMEDIATE`) and reads the version again under it, so a
//! step another process has just run is never run twice.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Every migration, in order. The position (1-based) is its number.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_messages.sql"),
    include_str!("migrations/0003_search_index.sql"),
    include_str!("migrations/0004_message_lease.sql"),
    IDENTITY,
    include_str!("migrations/0006_user_state.sql"),
    include_str!("migrations/0007_source_retry.sql"),
    include_str!("migrations/0008_source_kind_state.sql"),
    include_str!("migrations/0009_source_health.sql"),
    include_str!("migrations/0010_politeness.sql"),
    DESCRIPTION,
    include_str!("migrations/0012_description_dicts.sql"),
    SKETCH,
    SEARCH_WORDS,
    include_str!("migrations/0015_sightings_rowid.sql"),
];

/// The migration that adds cross-source identity; its keys are computed in
/// Rust from each stored job ([`backfill_identity`]).
const IDENTITY: &str = include_str!("migrations/0005_identity.sql");

/// The migration that stores each description once, compressed; its
/// `-- @backfill` line marks where [`backfill_descriptions`] runs.
const DESCRIPTION: &str = include_str!("migrations/0011_description.sql");

/// The migration that stores sketches Rice-coded; [`backfill_sketches`]
/// converts the stored ones.
const SKETCH: &str = include_str!("migrations/0013_packed_sketch.sql");

/// The migration that rebuilds the search index in one column;
/// [`backfill_search_words`] indexes the stored postings.
const SEARCH_WORDS: &str = include_str!("migrations/0014_search_words.sql");

/// Rows compressed per statement batch by [`backfill_descriptions`].
const BACKFILL_BATCH: i64 = 500;

/// The schema version a fully migrated database has.
pub fn head() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to [`head`]. A database newer than this binary is refused.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let mut reclaim = false;
    loop {
        if version(conn)? == head() {
            break;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Under the write lock: another process may have migrated meanwhile.
        let current = version(&tx)?;
        if current > head() {
            return Err(StoreError::TooNew {
                found: current,
                known: head(),
            });
        }
        let Some(sql) = usize::try_from(current)
            .ok()
            .and_then(|i| MIGRATIONS.get(i))
        else {
            break;
        };
        run(&tx, sql)?;
        reclaim |= *sql == DESCRIPTION;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
    if reclaim {
        // The descriptions now take a third of the pages they did: give the
        // free pages back to the file system once. VACUUM cannot run inside
        // the migration's transaction, and needs another process's readers
        // gone; if it cannot run now, SQLite reuses the free pages anyway.
        if let Err(e) = conn.execute_batch("VACUUM") {
            tracing::warn!(error = %e, "could not reclaim the space freed by compressing descriptions");
        }
    }
    Ok(())
}

/// Runs one migration's SQL and the Rust backfill it needs.
fn run(tx: &rusqlite::Transaction<'_>, sql: &str) -> Result<(), StoreError> {
    match sql.split_once("-- @backfill\n") {
        Some((before, after)) if sql == DESCRIPTION => {
            tx.execute_batch(before)?;
            backfill_descriptions(tx)?;
            tx.execute_batch(after)?;
        }
        _ => {
            tx.execute_batch(sql)?;
            if sql == IDENTITY {
                backfill_identity(tx)?;
            }
            if sql == SKETCH {
                backfill_sketches(tx)?;
            }
            if sql == SEARCH_WORDS {
                backfill_search_words(tx)?;
            }
        }
    }
    Ok(())
}

/// The schema version recorded in the file (0 for a new one).
pub fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Migrates a database to `to` only, as an older jobhound left it (tests).
#[cfg(test)]
pub(super) fn migrate_to(conn: &mut Connection, to: usize) {
    for (i, sql) in MIGRATIONS.iter().enumerate().take(to) {
        let tx = conn.transaction().expect("tx");
        run(&tx, sql).expect("migration");
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .expect("version");
        tx.commit().expect("commit");
    }
}

/// Compresses the description of every posting stored before migration 8
/// into its `description` column, a batch of rows at a time so memory stays
/// flat however large the table.
fn backfill_descriptions(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let mut read = tx.prepare(
        "SELECT id, description_html, text FROM postings WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let mut write = tx.prepare("UPDATE postings SET description = ?2 WHERE id = ?1")?;
    let mut after = i64::MIN;
    loop {
        let batch = read
            .query_map(rusqlite::params![after, BACKFILL_BATCH], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let Some(&(last, _, _)) = batch.last() else {
            return Ok(());
        };
        for (id, html, text) in &batch {
            let blob = super::description::encode(html, text, None).map_err(|e| {
                StoreError::Corrupt(format!("compressing the description of posting {id}: {e}"))
            })?;
            write.execute(rusqlite::params![id, blob])?;
        }
        after = last;
    }
}

/// Re-encodes every stored sketch from little-endian u32s to the packed
/// form (`normalize/identity/packed.rs`); the hashes stay the same.
fn backfill_sketches(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let mut read =
        tx.prepare("SELECT source, external_id, sketch FROM sightings WHERE sketch IS NOT NULL")?;
    let mut write =
        tx.prepare("UPDATE sightings SET sketch = ?3 WHERE source = ?1 AND external_id = ?2")?;
    let rows = read
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (source, id, le) in rows {
        let sketch = crate::normalize::identity::sketch_from_le(&le);
        let packed = crate::normalize::identity::sketch_bytes(&sketch);
        write.execute(rusqlite::params![source, id, packed])?;
    }
    Ok(())
}

/// Indexes every stored posting in the one-column search index, with the
/// words the ingest gives it ([`crate::pipeline::search_terms`]).
fn backfill_search_words(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let postings: i64 = tx.query_row("SELECT count(*) FROM postings", [], |r| r.get(0))?;
    if postings > 0 {
        // About 20 s per 100,000 postings (BENCHMARKS.md, 6a).
        tracing::info!(postings, "rebuilding the search index in its new layout");
    }
    super::description::load(tx)?;
    let mut read = tx.prepare(&format!(
        "SELECT {}, p.sort_at FROM postings p",
        super::postings::COLUMNS
    ))?;
    let mut write = tx.prepare("INSERT INTO postings_fts (rowid, words) VALUES (?1, ?2)")?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let stored = super::postings::stored_from_row(r)?;
        let sort_at: i64 = r.get(super::postings::COLUMN_COUNT)?;
        let terms = crate::pipeline::search_terms(&stored.posting);
        let key = super::ingest::fts_key(sort_at, stored.id.0)?;
        write.execute(rusqlite::params![key, terms.line()])?;
    }
    Ok(())
}

/// Gives every listing stored before identity existed the keys of its job.
/// It runs at schema 5, before descriptions were compressed: it reads the two
/// text columns of that schema in place of `description`.
fn backfill_identity(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let mut read = tx.prepare(&format!(
        "SELECT {}, p.description_html, p.text FROM postings p",
        super::postings::COLUMNS.replace("p.description,", "NULL,")
    ))?;
    let mut write = tx.prepare(
        "UPDATE sightings SET company_key = ?2, title_key = ?3, places = ?4, sketch = ?5,
            apply_url = CASE WHEN source = ?6 AND external_id = ?7 THEN ?8 END
         WHERE posting_id = ?1",
    )?;
    let mut links = tx.prepare(
        "INSERT OR IGNORE INTO sighting_links (url, source, external_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let mut stored = super::postings::stored_from_row(r)?;
        stored.posting.description_html = r.get(super::postings::COLUMN_COUNT)?;
        stored.posting.text = r.get(super::postings::COLUMN_COUNT + 1)?;
        let p = &stored.posting;
        let keys = crate::normalize::identity::Keys::of(p);
        write.execute(rusqlite::params![
            stored.id.0,
            keys.company,
            keys.title,
            keys.places_text(),
            crate::normalize::identity::sketch_bytes_le(&keys.sketch),
            p.source.as_str(),
            p.external_id,
            p.apply_url,
        ])?;
        for l in keys.links.iter().filter(|l| Some(*l) != p.url.as_ref()) {
            links.execute(rusqlite::params![l, p.source.as_str(), p.external_id])?;
        }
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
            "user_state",
            "health_probe",
            "source_health",
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
    fn processes_opening_one_fresh_database_at_once_all_succeed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fresh.db");
        let n = 8;
        let start = std::sync::Barrier::new(n);
        std::thread::scope(|s| {
            let opens: Vec<_> = (0..n)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        crate::store::Store::open(&path).map(|_| ())
                    })
                })
                .collect();
            for (i, o) in opens.into_iter().enumerate() {
                let got = o.join().expect("no panic");
                assert!(got.is_ok(), "opener {i}: {got:?}");
            }
        });
        let conn = Connection::open(&path).expect("open");
        assert_eq!(version(&conn).expect("version"), head());
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
        for query in ["title:rust", "location:berlin", "text:mlops", "ship"] {
            let expr = crate::alerts::Query::parse(query)
                .expect("query")
                .fts_prefilter()
                .expect("narrows");
            let key: i64 = conn
                .query_row(
                    "SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?1",
                    [&expr],
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
