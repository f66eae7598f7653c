//! A job's life across fetches: a listing that no longer agrees with its job
//! splits off, a board that lists everything closes what it dropped twice,
//! and a job that comes back reopens.

use std::collections::BTreeSet;

use rusqlite::params;

use super::super::StoreError;
use super::super::dedupe::Reason;
use super::{Change, Encoded, Ingest, SearchTerms, Upsert};
use crate::model::{Posting, PostingId};
use crate::normalize::identity::Keys;

/// Complete fetches in a row a listing must be missing from before it counts as gone.
const MISSES_TO_CLOSE: i64 = 2;

impl Ingest<'_> {
    /// Moves a listing that no longer agrees with its job into a job of its
    /// own. Alerts that already matched the job stay matched on both, so the
    /// split never notifies again.
    pub(super) fn split(
        &mut self,
        old: i64,
        p: &Posting,
        keys: &Keys,
        enc: &mut Encoded,
        terms: SearchTerms,
    ) -> Result<Upsert, StoreError> {
        let id = self.insert(p, enc, terms)?;
        self.tx
            .prepare_cached("DELETE FROM sighting_links WHERE source = ?1 AND external_id = ?2")?
            .execute(params![self.source.as_str(), p.external_id])?;
        self.tx
            .prepare_cached("DELETE FROM sightings WHERE source = ?1 AND external_id = ?2")?
            .execute(params![self.source.as_str(), p.external_id])?;
        let detail = format!("split from job {old}: its content no longer agrees");
        self.add_sighting(id, p, keys, enc, Reason::Split, Some(&detail))?;
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO matches (alert, posting_id, matched_at, notified)
                 SELECT alert, ?2, matched_at, notified FROM matches WHERE posting_id = ?1",
            )?
            .execute(params![old, id])?;
        // If it owned the old job, the best remaining listing takes over and
        // rewrites the job at its next fetch.
        self.tx
            .prepare_cached(
                "UPDATE postings SET (source, external_id, owner_rank, content_hash) = (
                    SELECT s.source, s.external_id, s.rank, 0 FROM sightings s WHERE s.posting_id = ?1
                    ORDER BY s.rank DESC, s.first_seen LIMIT 1)
                 WHERE id = ?1 AND source = ?2 AND external_id = ?3
                    AND EXISTS (SELECT 1 FROM sightings WHERE posting_id = ?1)",
            )?
            .execute(params![old, self.source.as_str(), p.external_id])?;
        tracing::info!(source = %self.source, job = old, new_job = id, "listing split off a job it no longer matches");
        Ok(Upsert {
            id: PostingId(id),
            change: Change::New,
            new_sighting: false,
            reopened: false,
        })
    }

    /// Brings a closed job back; returns whether it was closed.
    pub(super) fn reopen(&mut self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE postings SET closed_at = NULL, reopened_at = ?2 WHERE id = ?1 AND closed_at IS NOT NULL",
            )?
            .execute(params![id, self.now])?;
        Ok(n > 0)
    }

    /// Counts a complete fetch of the current source: its listings not in it
    /// have been missed once more, those missed twice in a row are closed, and
    /// so is every job none of whose tracked listings is open. Only for a
    /// fetch that listed everything the source has (a failed or truncated one
    /// proves nothing). Returns how many jobs closed.
    pub fn close_missing(&mut self) -> Result<usize, StoreError> {
        let open: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT external_id FROM sightings WHERE source = ?1 AND closed_at IS NULL",
            )?
            .query_map([self.source.as_str()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut gone = BTreeSet::new();
        for external_id in open.iter().filter(|e| !self.seen.contains(*e)) {
            let closed: Option<i64> = self
                .tx
                .prepare_cached(
                    "UPDATE sightings SET missed = missed + 1,
                        closed_at = CASE WHEN missed + 1 >= ?3 THEN ?4 END
                     WHERE source = ?1 AND external_id = ?2
                     RETURNING CASE WHEN closed_at IS NOT NULL THEN posting_id END",
                )?
                .query_row(
                    params![self.source.as_str(), external_id, MISSES_TO_CLOSE, self.now],
                    |r| r.get(0),
                )?;
            gone.extend(closed);
        }
        self.close_jobs(gone)
    }

    /// Counts a 304 of the current source as a complete fetch that lists
    /// what the last one did: listings missing from that one are missing
    /// again. Returns how many jobs closed.
    pub fn close_missing_again(&mut self) -> Result<usize, StoreError> {
        let gone: BTreeSet<i64> = self
            .tx
            .prepare_cached(
                "UPDATE sightings SET missed = missed + 1,
                    closed_at = CASE WHEN missed + 1 >= ?2 THEN ?3 END
                 WHERE source = ?1 AND closed_at IS NULL AND missed > 0
                 RETURNING CASE WHEN closed_at IS NOT NULL THEN posting_id END",
            )?
            .query_map(
                params![self.source.as_str(), MISSES_TO_CLOSE, self.now],
                |r| r.get::<_, Option<i64>>(0),
            )?
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?;
        self.close_jobs(gone)
    }

    /// Closes each of `ids` none of whose tracked listings is open, and drops
    /// what it still had queued. Returns how many closed.
    fn close_jobs(&mut self, ids: BTreeSet<i64>) -> Result<usize, StoreError> {
        let mut closed = 0;
        for id in ids {
            let n = self
                .tx
                .prepare_cached(
                    "UPDATE postings SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL
                     AND NOT EXISTS (SELECT 1 FROM sightings
                        WHERE posting_id = ?1 AND tracked = 1 AND closed_at IS NULL)",
                )?
                .execute(params![id, self.now])?;
            if n > 0 {
                // A closed job is never notified: drop what still waits for
                // a message (a digest's matches of the day, say).
                self.tx
                    .prepare_cached(
                        "DELETE FROM deliveries
                         WHERE posting_id = ?1 AND status = 'pending' AND message_id IS NULL",
                    )?
                    .execute([id])?;
            }
            closed += n;
        }
        Ok(closed)
    }
}
