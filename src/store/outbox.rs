//! The delivery outbox: rows written with each match (see `ingest.rs`), read
//! and marked by the notify loop. A row leaves `pending` only when the receiver
//! confirmed it (`sent`) or when retrying is pointless or exhausted (`failed`).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, from_unix, to_unix};
use crate::model::PostingId;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Not confirmed yet; sent (again) when `next_attempt_at` comes.
    Pending,
    /// The receiver confirmed it.
    Sent,
    /// Given up; `jobhound notifications retry` puts it back.
    Failed,
}

impl DeliveryStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> DeliveryStatus {
        match s {
            "sent" => DeliveryStatus::Sent,
            "failed" => DeliveryStatus::Failed,
            _ => DeliveryStatus::Pending,
        }
    }
}

/// One (alert, job, notifier) delivery.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Delivery {
    /// Row id; also the stable idempotency key of this delivery.
    pub id: i64,
    /// The alert that matched.
    pub alert: String,
    /// The job.
    pub posting_id: PostingId,
    /// The notifier to deliver through.
    pub notifier: String,
    /// Pending, sent or failed.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the match was recorded.
    pub created_at: DateTime<Utc>,
    /// When the receiver confirmed it.
    pub sent_at: Option<DateTime<Utc>>,
}

/// How many deliveries are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OutboxCounts {
    /// Waiting to be sent or retried.
    pub pending: u64,
    /// Confirmed by the receiver.
    pub sent: u64,
    /// Given up.
    pub failed: u64,
}

const SELECT: &str = "SELECT id, alert, posting_id, notifier, status, attempts, next_attempt_at,
    last_error, created_at, sent_at FROM deliveries";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        id: r.get(0)?,
        alert: r.get(1)?,
        posting_id: PostingId(r.get(2)?),
        notifier: r.get(3)?,
        status: DeliveryStatus::parse(&r.get::<_, String>(4)?),
        attempts: r.get::<_, i64>(5)? as u32,
        next_attempt_at: from_unix(r.get(6)?),
        last_error: r.get(7)?,
        created_at: from_unix(r.get(8)?),
        sent_at: r.get::<_, Option<i64>>(9)?.map(from_unix),
    })
}

impl Store {
    /// Pending deliveries through `notifier` due at `now`, in id order after `after_id`
    /// (a cursor, so one pass never sees a delivery twice).
    pub fn due_deliveries(
        &self,
        notifier: &str,
        now: DateTime<Utc>,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE status = 'pending' AND notifier = ?1 AND next_attempt_at <= ?2 AND id > ?3
             ORDER BY id LIMIT ?4"
        ))?;
        let rows = stmt.query_map(
            params![notifier, to_unix(now), after_id, limit as i64],
            from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When the earliest pending delivery through `notifier` is due, if any is pending.
    pub fn next_delivery_at(&self, notifier: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<i64> = self
            .conn
            .prepare_cached("SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND notifier = ?1")?
            .query_row([notifier], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(t.map(from_unix))
    }

    /// The receiver confirmed the delivery.
    pub fn mark_sent(&mut self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?2, last_error = NULL
                 WHERE id = ?1",
            )?
            .execute(params![id, to_unix(now)])?;
        Ok(())
    }

    /// The attempt failed but may succeed later: try again at `next`.
    pub fn mark_retry(
        &mut self,
        id: i64,
        error: &str,
        next: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
            )?
            .execute(params![id, error, to_unix(next)])?;
        Ok(())
    }

    /// The delivery cannot succeed (or retries are exhausted): stop trying.
    pub fn mark_failed(&mut self, id: i64, error: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            )?
            .execute(params![id, error])?;
        Ok(())
    }

    /// Puts failed deliveries (all, or those of one notifier) back to pending, due now.
    pub fn retry_failed(
        &mut self,
        notifier: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1
             WHERE status = 'failed' AND (?2 IS NULL OR notifier = ?2)",
            params![to_unix(now), notifier],
        )?)
    }

    /// Deliveries in a state (or all), newest first.
    pub fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE (?1 IS NULL OR status = ?1) ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![status.map(|s| s.as_str()), limit as i64], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many deliveries are pending, sent and failed.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT status, count(*) FROM deliveries GROUP BY status")?;
        let mut counts = OutboxCounts::default();
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        for row in rows {
            let (status, n) = row?;
            match DeliveryStatus::parse(&status) {
                DeliveryStatus::Pending => counts.pending = n,
                DeliveryStatus::Sent => counts.sent = n,
                DeliveryStatus::Failed => counts.failed = n,
            }
        }
        Ok(counts)
    }

    /// Matches recorded per alert: `(alert, total, notified)`.
    pub fn match_counts(&self) -> Result<Vec<(String, u64, u64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT alert, count(*), sum(notified) FROM matches GROUP BY alert ORDER BY alert",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, i64>(1)? as u64,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
