//! What the alert matcher reads and records inside an ingest's transaction:
//! the sources and state of a stored job, for `source:` terms and state
//! filters, and each new match with the deliveries it queues.

use rusqlite::params;

use super::Ingest;
use crate::model::PostingId;
use crate::store::{StoreError, UserState};

/// A stored job's place in time and state, for the alerts' state filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredState {
    /// When it counts as posted (unix seconds).
    pub sort_at: i64,
    /// Gone from every board that can tell.
    pub closed: bool,
    /// Closed once, then listed again.
    pub reopened: bool,
    /// The user's triage state.
    pub user_state: Option<UserState>,
}

impl Ingest<'_> {
    /// Names of every source that lists the job.
    pub fn sources_of(&self, id: PostingId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT source FROM sightings WHERE posting_id = ?1 ORDER BY first_seen, source",
        )?;
        let rows = stmt.query_map([id.0], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What a stored job's state filters read: when it counts as posted
    /// (unix seconds), whether it is closed, whether it reopened, and the
    /// user's state of it.
    pub fn state_of(&self, id: PostingId) -> Result<StoredState, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT p.sort_at, p.closed_at IS NOT NULL, p.reopened_at IS NOT NULL,
                (SELECT u.state FROM user_state u WHERE u.posting_id = p.id)
             FROM postings p WHERE p.id = ?1",
        )?;
        Ok(stmt.query_row([id.0], |r| {
            Ok(StoredState {
                sort_at: r.get(0)?,
                closed: r.get(1)?,
                reopened: r.get(2)?,
                user_state: r
                    .get::<_, Option<String>>(3)?
                    .as_deref()
                    .and_then(UserState::parse),
            })
        })?)
    }

    /// Records that `alert` matched the job, once ever. When it is the first
    /// time and `notify` is set, queues a delivery per notifier. Returns whether
    /// the match is new.
    pub fn record_match(
        &mut self,
        alert: &str,
        id: PostingId,
        notifiers: &[String],
        notify: bool,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO matches (alert, posting_id, matched_at, notified) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![alert, id.0, self.now, notify && !notifiers.is_empty()])?;
        if inserted == 0 {
            return Ok(false);
        }
        // Nothing to queue (a source's first fetch, or no notifiers): the
        // job's state need not be read.
        if !notify || notifiers.is_empty() {
            return Ok(true);
        }
        let closed = self
            .tx
            .prepare_cached("SELECT closed_at IS NOT NULL FROM postings WHERE id = ?1")?
            .query_row([id.0], |r| r.get::<_, bool>(0))?;
        if !closed {
            let mut stmt = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO deliveries (alert, posting_id, notifier, next_attempt_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?;
            for n in notifiers {
                stmt.execute(params![alert, id.0, n, self.now])?;
            }
        }
        Ok(true)
    }
}
