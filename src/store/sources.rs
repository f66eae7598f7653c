//! Per-source fetch state: the validators for conditional GET, the outcome of
//! the last fetch, and the failure count that backoff is computed from.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, from_unix};
use crate::model::SourceName;

/// HTTP validators kept from the last 200, sent back as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The URL they were issued for: never sent to another.
    pub url: Option<String>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// What a kind that is not HTTP keeps between fetches (a mailbox's
    /// `UIDVALIDITY`, last UID read and the health of its last read), as JSON.
    pub state: Option<String>,
}

/// How a fetch ended, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchRecord {
    /// Fetched and stored; validators to keep (if any) and the counts.
    Ok {
        /// The kind of source, for `jobhound sources`.
        kind: &'static str,
        /// Validators of the response.
        validators: Validators,
        /// Jobs not stored before.
        new: usize,
        /// Jobs whose content changed.
        updated: usize,
        /// Jobs seen again unchanged.
        unchanged: usize,
    },
    /// The server answered 304: nothing changed.
    NotModified {
        /// The kind of source.
        kind: &'static str,
    },
    /// The fetch failed; the message says why.
    Failed {
        /// The kind of source.
        kind: &'static str,
        /// What went wrong.
        error: String,
        /// The HTTP status of the answer, when the server gave an error status.
        status: Option<u16>,
        /// The `Retry-After` the answer asked for.
        retry_after: Option<std::time::Duration>,
    },
}

/// A source's stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceState {
    /// The source's name.
    pub name: String,
    /// Its kind when last fetched.
    pub kind: String,
    /// Validators for the next conditional GET.
    pub validators: Validators,
    /// When a fetch was last attempted.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When a fetch last succeeded (200 or 304).
    pub last_success_at: Option<DateTime<Utc>>,
    /// `ok`, `not-modified` or `failed`.
    pub last_status: Option<String>,
    /// The last error, if the last fetch failed.
    pub last_error: Option<String>,
    /// Consecutive failures.
    pub fail_count: u32,
    /// The HTTP status of the last failed answer (cleared by a success).
    pub failed_status: Option<u16>,
    /// The `Retry-After` of the last failed answer (cleared by a success).
    pub retry_after: Option<std::time::Duration>,
    /// Successful fetches that returned postings (the first one does not notify by default).
    pub fetch_count: u64,
    /// New jobs in the last successful fetch.
    pub last_new: u64,
    /// Updated jobs in the last successful fetch.
    pub last_updated: u64,
    /// Unchanged jobs in the last successful fetch.
    pub last_unchanged: u64,
}

impl Store {
    /// The content hash stored for each listing of `source`, by external id:
    /// a listing fetched again with the same hash is unchanged, so nothing of
    /// it needs encoding for the writer ([`super::Encoded::of`]).
    pub fn listing_hashes(
        &self,
        source: &SourceName,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT external_id, content_hash FROM sightings
             WHERE source = ?1 AND content_hash IS NOT NULL",
        )?;
        let rows = stmt.query_map([source.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored state of one source, if it was ever fetched.
    pub fn source_state(&self, name: &SourceName) -> Result<Option<SourceState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT_STATE} WHERE name = ?1"))?;
        Ok(stmt.query_row([name.as_str()], state_from_row).optional()?)
    }

    /// The stored state of every source ever fetched.
    pub fn source_states(&self) -> Result<Vec<SourceState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_STATE} ORDER BY name"))?;
        let rows = stmt.query_map([], state_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many jobs list `source` among their sightings.
    pub fn count_by_source(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT source, count(*) FROM sightings GROUP BY source ORDER BY source")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const SELECT_STATE: &str = "SELECT name, kind, etag, last_modified, last_attempt_at, last_success_at,
    last_status, last_error, fail_count, fetch_count, last_new, last_updated, last_unchanged, validators_url,
    failed_status, retry_after, kind_state
    FROM sources";

fn state_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        name: r.get(0)?,
        kind: r.get(1)?,
        validators: Validators {
            url: r.get(13)?,
            etag: r.get(2)?,
            last_modified: r.get(3)?,
            state: r.get(16)?,
        },
        last_attempt_at: r.get::<_, Option<i64>>(4)?.map(from_unix),
        last_success_at: r.get::<_, Option<i64>>(5)?.map(from_unix),
        last_status: r.get(6)?,
        last_error: r.get(7)?,
        fail_count: u32::try_from(r.get::<_, i64>(8)?).unwrap_or(u32::MAX),
        failed_status: r
            .get::<_, Option<i64>>(14)?
            .and_then(|s| u16::try_from(s).ok()),
        retry_after: r
            .get::<_, Option<i64>>(15)?
            .and_then(|s| u64::try_from(s).ok())
            .map(std::time::Duration::from_secs),
        fetch_count: r.get::<_, i64>(9)? as u64,
        last_new: r.get::<_, i64>(10)? as u64,
        last_updated: r.get::<_, i64>(11)? as u64,
        last_unchanged: r.get::<_, i64>(12)? as u64,
    })
}

/// Writes a fetch outcome inside a transaction, at `now` (unix seconds).
pub(super) fn write_record(
    tx: &rusqlite::Transaction<'_>,
    name: &SourceName,
    record: &FetchRecord,
    now: i64,
) -> Result<(), StoreError> {
    let kind = match record {
        FetchRecord::Ok { kind, .. }
        | FetchRecord::NotModified { kind }
        | FetchRecord::Failed { kind, .. } => *kind,
    };
    tx.prepare_cached("INSERT OR IGNORE INTO sources (name, kind) VALUES (?1, ?2)")?
        .execute(params![name.as_str(), kind])?;
    match record {
        FetchRecord::Ok {
            validators,
            new,
            updated,
            unchanged,
            ..
        } => {
            tx.prepare_cached(
                "UPDATE sources SET kind = ?2, etag = ?3, last_modified = ?4, validators_url = ?9, kind_state = ?10, last_attempt_at = ?5,
                    last_success_at = ?5, last_status = 'ok', last_error = NULL, fail_count = 0,
                    failed_status = NULL, retry_after = NULL,
                    fetch_count = fetch_count + 1, last_new = ?6, last_updated = ?7, last_unchanged = ?8
                 WHERE name = ?1",
            )?
            .execute(params![
                name.as_str(), kind, validators.etag, validators.last_modified, now,
                *new as i64, *updated as i64, *unchanged as i64, validators.url, validators.state
            ])?;
        }
        FetchRecord::NotModified { .. } => {
            tx.prepare_cached(
                "UPDATE sources SET kind = ?2, last_attempt_at = ?3, last_success_at = ?3,
                    last_status = 'not-modified', last_error = NULL, fail_count = 0,
                    failed_status = NULL, retry_after = NULL WHERE name = ?1",
            )?
            .execute(params![name.as_str(), kind, now])?;
        }
        FetchRecord::Failed {
            error,
            status,
            retry_after,
            ..
        } => {
            let retry_after = retry_after.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            tx.prepare_cached(
                "UPDATE sources SET kind = ?2, last_attempt_at = ?3, last_status = 'failed',
                    last_error = ?4, fail_count = min(fail_count + 1, 1000000),
                    failed_status = ?5, retry_after = ?6 WHERE name = ?1",
            )?
            .execute(params![
                name.as_str(),
                kind,
                now,
                error,
                status,
                retry_after
            ])?;
        }
    }
    Ok(())
}
