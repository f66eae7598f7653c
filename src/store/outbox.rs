//! The delivery outbox: rows written with each match (see `ingest.rs`), put in
//! messages and marked by the notify loop (see `messages.rs`). A row leaves
//! `pending` only when the receiver confirmed the message carrying it (`sent`)
//! or when retrying is pointless or exhausted (`failed`).

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
    /// Row id.
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
    /// When the next attempt of its message is due (pending only).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the match was recorded.
    pub created_at: DateTime<Utc>,
    /// When the receiver confirmed it.
    pub sent_at: Option<DateTime<Utc>>,
    /// The message it travels in, once it is put in one.
    pub message_id: Option<i64>,
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

/// The columns [`from_row`] reads, in its order.
pub(super) const SELECT: &str =
    "SELECT id, alert, posting_id, notifier, status, attempts, next_attempt_at,
    last_error, created_at, sent_at, message_id FROM deliveries";

const SELECT_TITLED: &str = "SELECT d.id, d.alert, d.posting_id, d.notifier, d.status, d.attempts,
    d.next_attempt_at, d.last_error, d.created_at, d.sent_at, d.message_id, p.title
    FROM deliveries d LEFT JOIN postings p ON p.id = d.posting_id";

/// A delivery from a row of [`SELECT`].
pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
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
        message_id: r.get(10)?,
    })
}

impl Store {
    /// Puts failed deliveries (all, or those of one notifier) back to pending,
    /// due now, with the messages that carried them: a message is resent as it
    /// was, under the same idempotency key. Returns how many deliveries.
    pub fn retry_failed(
        &mut self,
        notifier: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE messages SET status = 'pending', attempts = 0, next_attempt_at = ?1,
                claimed_by = NULL, lease_until = 0
             WHERE status = 'failed' AND (?2 IS NULL OR notifier = ?2)",
            params![to_unix(now), notifier],
        )?;
        let n = tx.execute(
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1
             WHERE status = 'failed' AND (?2 IS NULL OR notifier = ?2)",
            params![to_unix(now), notifier],
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// Puts one failed delivery back to pending, due now, with the message
    /// that carried it: the message is resent as it was, so the other failed
    /// deliveries it carries go back with it. Returns how many deliveries
    /// (0 when the delivery does not exist or has not failed).
    pub fn retry_delivery(&mut self, id: i64, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let row: Option<(String, Option<i64>)> = tx
            .query_row(
                "SELECT status, message_id FROM deliveries WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let n = match row {
            Some((status, message)) if status == DeliveryStatus::Failed.as_str() => {
                if let Some(m) = message {
                    tx.execute(
                        "UPDATE messages SET status = 'pending', attempts = 0, next_attempt_at = ?1,
                            claimed_by = NULL, lease_until = 0
                         WHERE id = ?2 AND status = 'failed'",
                        params![to_unix(now), m],
                    )?;
                }
                tx.execute(
                    "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1
                     WHERE status = 'failed' AND (id = ?2 OR (?3 IS NOT NULL AND message_id = ?3))",
                    params![to_unix(now), id, message],
                )?
            }
            _ => 0,
        };
        tx.commit()?;
        Ok(n)
    }

    /// Deliveries in a state (or all), of one notifier (or all), newest first,
    /// each with its posting's title.
    pub fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        notifier: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(Delivery, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_TITLED} WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.notifier = ?2)
             ORDER BY d.id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![status.map(|s| s.as_str()), notifier, limit as i64],
            |r| {
                Ok((
                    from_row(r)?,
                    r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                ))
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many deliveries (of one notifier, or all) are pending, sent and failed.
    pub fn outbox_counts(&self, notifier: Option<&str>) -> Result<OutboxCounts, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, count(*) FROM deliveries WHERE (?1 IS NULL OR notifier = ?1) GROUP BY status",
        )?;
        let mut counts = OutboxCounts::default();
        let rows = stmt.query_map([notifier], |r| {
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
