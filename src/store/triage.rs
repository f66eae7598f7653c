//! What the user made of a job: saved, applied or dismissed (set through the
//! HTTP API, shown with every posting, a search filter), and the write probe
//! behind `/healthz`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, to_unix};
use crate::model::PostingId;

/// The user's triage state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserState {
    /// Kept to look at again.
    Saved,
    /// Applied to.
    Applied,
    /// Not interesting.
    Dismissed,
}

impl UserState {
    /// The stored (and shown) name.
    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Saved => "saved",
            UserState::Applied => "applied",
            UserState::Dismissed => "dismissed",
        }
    }

    /// Reads a stored or typed name.
    pub fn parse(s: &str) -> Option<UserState> {
        match s {
            "saved" => Some(UserState::Saved),
            "applied" => Some(UserState::Applied),
            "dismissed" => Some(UserState::Dismissed),
            _ => None,
        }
    }
}

impl Store {
    /// The user's state of a job, if any.
    pub fn user_state(&self, id: PostingId) -> Result<Option<UserState>, StoreError> {
        let s: Option<String> = self
            .conn
            .prepare_cached("SELECT state FROM user_state WHERE posting_id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?;
        Ok(s.as_deref().and_then(UserState::parse))
    }

    /// Sets (or with `None` clears) the user's state of a job. Returns false
    /// when there is no such job.
    pub fn set_user_state(
        &mut self,
        id: PostingId,
        state: Option<UserState>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let exists = tx
            .query_row("SELECT 1 FROM postings WHERE id = ?1", [id.0], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            match state {
                None => {
                    tx.execute("DELETE FROM user_state WHERE posting_id = ?1", [id.0])?;
                }
                Some(s) => {
                    tx.execute(
                        "INSERT INTO user_state (posting_id, state, changed_at) VALUES (?1, ?2, ?3)
                         ON CONFLICT (posting_id) DO UPDATE SET state = excluded.state,
                             changed_at = excluded.changed_at",
                        params![id.0, s.as_str(), to_unix(now)],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(exists)
    }

    /// Commits one small write (the health probe row): fails when the
    /// database cannot take writes.
    pub fn probe_write(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO health_probe (id, at) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET at = excluded.at",
            [to_unix(now)],
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// Opens an existing database to write to it, without creating or
    /// migrating it, waiting at most `busy` for the write lock (the health
    /// probe: a file replaced or gone since start-up is an error here even
    /// while the daemon's open connections still write to the old one).
    pub fn open_existing(
        path: &std::path::Path,
        busy: std::time::Duration,
    ) -> Result<Store, StoreError> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(busy)?;
        Ok(Store {
            conn,
            trainer: Default::default(),
        })
    }
}
