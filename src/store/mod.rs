//! SQLite storage: postings (deduplicated across sources), the full-text index,
//! per-source fetch state, alert matches and the delivery outbox.
//!
//! One file, WAL journal, `synchronous = NORMAL` (durable at every checkpoint,
//! and a crash never corrupts it). rusqlite is blocking: async callers run store
//! work on a blocking thread and never hold a [`Store`] across an `.await`.

mod candidates;
mod dedupe;
mod description;
mod health;
mod ingest;
mod messages;
mod migrations;
mod outbox;
mod polite;
mod postings;
mod sources;
mod triage;
mod words;

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OpenFlags};

pub use candidates::{Candidate, CandidateFilter, Position};
pub use dedupe::Reason;
pub use description::CurrentDictionary;
pub use health::{HealthEvent, HealthKind, Pass};
pub use ingest::{
    COMPANY_MARK, Change, Encoded, Ingest, LOCATION_MARK, SearchTerms, StoredState, TITLE_MARK,
    Upsert, kind_rank,
};
pub use messages::Message;
pub use migrations::head as schema_version;
pub use outbox::{Delivery, DeliveryStatus, OutboxCounts};
pub use polite::{HostWait, StoredRobots};
pub use postings::{JobState, MatchRecord, Sighting, StoredPosting};
pub use sources::{FetchRecord, SourceState, Validators};
pub use triage::UserState;

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer jobhound.
    #[error(
        "the database has schema version {found}, newer than this jobhound knows ({known}); upgrade jobhound"
    )]
    TooNew {
        /// Version found in the file.
        found: i64,
        /// Newest version this binary knows.
        known: i64,
    },
    /// A read-only command found an older schema: it never migrates.
    #[error(
        "the database {} is at schema {found}, older than this jobhound's ({known}): run `jobhound fetch` or `jobhound run` to upgrade it",
        path.display()
    )]
    TooOld {
        /// The file.
        path: PathBuf,
        /// Version found in the file.
        found: i64,
        /// The version this binary works with.
        known: i64,
    },
    /// A read-only command found no database (or an empty file) to read.
    #[error(
        "no database yet at {}: run `jobhound fetch` or `jobhound run` first",
        path.display()
    )]
    Missing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// A database with a pending write-ahead log, in a directory this user cannot write.
    #[error(
        "cannot read {} with its pending write-ahead log: SQLite needs write access to its directory for that ({cause}); run as the user the daemon runs as",
        path.display()
    )]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// SQLite's message.
        cause: String,
    },
    /// The database's directory does not exist and cannot be created.
    #[error("cannot create the directory {}: {source}", path.display())]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
    /// Writing panicked (a bug): what it wrote was rolled back.
    #[error("internal error while writing (panic): {0}")]
    Panicked(String),
    /// The transaction holding the write failed to commit (or SQLite rolled
    /// it back on an earlier error): nothing of it is stored.
    #[error("the write was not committed: {0}")]
    NotCommitted(String),
    /// The database writer has stopped (the process is shutting down).
    #[error("the database writer has stopped")]
    Closed,
    /// A stored JSON column could not be read back.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

/// How many prepared statements a connection keeps. A group commit runs
/// some fifty distinct ones; with rusqlite's default of 16 each group
/// prepared most of them again (1.2 % of a cold ingest's CPU in SQLite's
/// parser). Only statements that run are cached, so an idle daemon holds few.
const STATEMENT_CACHE: usize = 96;

/// The page size of databases created by this version.
const PAGE_SIZE: i64 = 4096;

/// An open database.
pub struct Store {
    conn: Connection,
    /// Where this connection's ingest commits train description dictionaries.
    trainer: description::Trainer,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing parent directory would otherwise surface as an opaque SQLite error.
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        Store::init(conn)
    }

    /// Opens an existing database read-only (search, show, sources…): never
    /// blocks the daemon's writes, and never writes itself. A missing file or
    /// an older schema is an error that says what to run; read commands do
    /// not migrate (a migration beside a running daemon is the daemon's job).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let missing = || StoreError::Missing {
            path: path.to_path_buf(),
        };
        if !path.exists() {
            return Err(missing());
        }
        let (conn, v) = match Store::connect_read_only(path, None) {
            Err(StoreError::Sqlite(e)) if cannot_share_memory(&e) => {
                Store::connect_read_only(path, Some(e))?
            }
            other => other?,
        };
        let known = migrations::head();
        if v > known {
            return Err(StoreError::TooNew { found: v, known });
        }
        if v == 0 {
            return Err(missing());
        }
        if v < known {
            return Err(StoreError::TooOld {
                path: path.to_path_buf(),
                found: v,
                known,
            });
        }
        Ok(Store {
            conn,
            trainer: Default::default(),
        })
    }

    /// Opens `path` read-only and reads its schema version. `failed` is the
    /// error of a first try: then the file is opened as immutable, which
    /// needs no shared-memory file (and so no write access to the directory)
    /// but would not see a write-ahead log, so only when there is none.
    fn connect_read_only(
        path: &Path,
        failed: Option<rusqlite::Error>,
    ) -> Result<(Connection, i64), StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = match failed {
            None => Connection::open_with_flags(path, flags)?,
            Some(e) => {
                let wal = wal_path(path);
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::ReadOnly {
                        path: path.to_path_buf(),
                        cause: e.to_string(),
                    });
                }
                let uri = std::path::absolute(path)
                    .ok()
                    .and_then(|p| url::Url::from_file_path(p).ok())
                    .map(|mut u| {
                        u.set_query(Some("immutable=1"));
                        u.to_string()
                    })
                    .ok_or(StoreError::Sqlite(e))?;
                Connection::open_with_flags(uri, flags)?
            }
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let v = migrations::version(&conn)?;
        Ok((conn, v))
    }

    fn init(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Switching a new file to WAL and migrating it need the file to
        // itself for a moment, and where waiting could deadlock SQLite
        // answers "busy" at once instead of waiting out the busy timeout: a
        // process that opens a fresh database beside another tries again.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match Store::prepare(&mut conn) {
                Err(StoreError::Sqlite(e))
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20 + fastrand::u64(0..40)));
                }
                Err(e) => return Err(e),
                Ok(()) => {
                    return Ok(Store {
                        conn,
                        trainer: Default::default(),
                    });
                }
            }
        }
    }

    /// The connection settings, then the migrations.
    fn prepare(conn: &mut Connection) -> Result<(), StoreError> {
        // A new file only (a WAL database keeps the page size it was made
        // with). 4 KB, not the 16 KB of schema 12: larger pages left 4 % less
        // of the file unused, but every commit writes each page it touched
        // whole to the WAL, and an ingest's inserts touch pages all over the
        // indexes: 16 KB pages wrote 700 MB of WAL for a 51 MB cold ingest
        // (4 KB: 336 MB), for more CPU and 7 MB more peak memory
        // (BENCHMARKS.md, 6a). Must precede the switch to WAL, which writes
        // the file's header.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "cache_size", -16384)?;
        // One plan per statement, whatever values are bound: without this,
        // SQLite re-planned the identity lookups for every new value bound to
        // them, a tenth of a cold ingest's CPU, for plans that never differ.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrations::migrate(conn)
    }

    /// The schema version of the open database.
    pub fn version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs SQLite's integrity check; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(result))
        }
    }

    /// Stops this connection from checkpointing after its commits (another
    /// thread does it with [`Store::checkpoint_passive`]).
    pub fn disable_autocheckpoint(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Makes this connection's ingest commits train description dictionaries
    /// on a thread of their own, recording each at a later commit, instead
    /// of inside the commit that finds one due (the writer's choice: see
    /// `description/train.rs`).
    pub fn train_in_background(&mut self) {
        self.trainer.background();
    }

    /// Waits for a training under way on its own thread and records it
    /// ([`Store::train_in_background`]), in a transaction of its own: what
    /// the writer does as it closes, so a one-shot `fetch` keeps the
    /// dictionary it trained.
    pub fn finish_training(&mut self) -> Result<(), StoreError> {
        if self.trainer.finish() {
            self.begin_ingest(chrono::Utc::now())?.commit()?;
        }
        Ok(())
    }

    /// Keeps this connection's temporary files in memory: for the writer,
    /// whose savepoints copy each page a fetch changes first to a
    /// sub-journal, a file write per page otherwise.
    pub fn keep_temporaries_in_memory(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    /// Sets this connection's page cache to `kib` KiB (16 MiB by default).
    pub fn set_cache_kib(&self, kib: i64) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    /// Drops this connection's cached pages (`PRAGMA shrink_memory`): the
    /// daemon's, once a round of passes is over, so the pages a round read
    /// do not stay resident while it sleeps. They are read again, from the
    /// system's file cache, when needed.
    pub fn release_memory(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// Copies committed WAL pages into the main file without waiting for, or
    /// blocking, writers and readers.
    pub fn checkpoint_passive(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Checkpoints the WAL into the main file (at shutdown, so the file is whole on its own).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// Unix seconds of a time, as stored.
pub(crate) fn to_unix(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// A stored unix time back as a UTC time.
pub(crate) fn from_unix(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(s, 0).single().unwrap_or_default()
}

/// Whether a read-only open failed for want of the shared-memory file a WAL
/// reader needs (it cannot be created without write access to the directory).
fn cannot_share_memory(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

/// `x.db` → `x.db-wal`.
fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests;
