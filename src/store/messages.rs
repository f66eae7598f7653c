//! Outgoing messages: the notify loop puts pending deliveries into messages
//! (a batch when several matches go out at once, or a digest on a schedule)
//! and writes them before sending, so a resend after a crash is the same
//! message under the same idempotency key. Marking a message marks all of its
//! deliveries in the same transaction.
//!
//! A sender claims a message before sending it ([`Store::claim_message`]): a
//! lease taken in one UPDATE that only succeeds where no live lease is held,
//! so two processes never send one message at once, and one that died holding
//! it is replaced when the lease runs out.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::outbox::{SELECT, from_row};
use super::{Delivery, DeliveryStatus, Store, StoreError, from_unix, to_unix};

/// One request or mail to a notifier, carrying one or more deliveries.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Message {
    /// Row id; with `created_at`, the message's idempotency key.
    pub id: i64,
    /// The notifier it goes through.
    pub notifier: String,
    /// The schedule time of the digest it is, or `None` when immediate.
    pub digest_at: Option<DateTime<Utc>>,
    /// Pending, sent or failed.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was put together.
    pub created_at: DateTime<Utc>,
    /// A source-health report (JSON of a [`super::HealthEvent`]) it carries
    /// instead of matches.
    pub health: Option<String>,
}

const SELECT_MESSAGE: &str = "SELECT id, notifier, digest_at, status, attempts, next_attempt_at,
    last_error, created_at, health FROM messages";

fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    let status: String = r.get(3)?;
    Ok(Message {
        id: r.get(0)?,
        notifier: r.get(1)?,
        digest_at: r.get::<_, Option<i64>>(2)?.map(from_unix),
        status: match status.as_str() {
            "sent" => DeliveryStatus::Sent,
            "failed" => DeliveryStatus::Failed,
            _ => DeliveryStatus::Pending,
        },
        attempts: r.get::<_, i64>(4)? as u32,
        next_attempt_at: from_unix(r.get(5)?),
        last_error: r.get(6)?,
        created_at: from_unix(r.get(7)?),
        health: r.get(8)?,
    })
}

impl Store {
    /// Pending deliveries through `notifier` not yet put in a message, oldest first.
    pub fn unassigned_deliveries(
        &self,
        notifier: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE status = 'pending' AND message_id IS NULL AND notifier = ?1
             ORDER BY id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![notifier, limit as i64], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether any pending delivery through `notifier` waits for a message.
    pub fn has_unassigned(&self, notifier: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM deliveries WHERE status = 'pending' AND message_id IS NULL AND notifier = ?1 LIMIT 1",
            )?
            .query_row([notifier], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Writes one message per group of delivery ids, due at `now`, in one
    /// transaction; a digest (`digest_at`) also moves the notifier's digest clock
    /// there, once: a digest already cut for that time is not cut again. A group
    /// may be empty (an empty digest that is sent anyway). Returns the new message ids.
    pub fn create_messages(
        &mut self,
        notifier: &str,
        groups: &[Vec<i64>],
        digest_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(tick) = digest_at {
            // Another process (a `fetch` beside the daemon) may have cut this digest already.
            let last: Option<i64> = tx
                .prepare_cached("SELECT last_tick FROM digest_clock WHERE notifier = ?1")?
                .query_row([notifier], |r| r.get(0))
                .optional()?;
            if last.is_some_and(|l| l >= to_unix(tick)) {
                return Ok(Vec::new());
            }
        }
        let mut ids = Vec::with_capacity(groups.len());
        for group in groups {
            tx.prepare_cached(
                "INSERT INTO messages (notifier, digest_at, next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![notifier, digest_at.map(to_unix), to_unix(now)])?;
            let id = tx.last_insert_rowid();
            let mut assign = tx.prepare_cached(
                "UPDATE deliveries SET message_id = ?1 WHERE id = ?2 AND status = 'pending' AND message_id IS NULL",
            )?;
            for d in group {
                assign.execute(params![id, d])?;
            }
            ids.push(id);
        }
        if let Some(tick) = digest_at {
            tx.prepare_cached(
                "INSERT INTO digest_clock (notifier, last_tick) VALUES (?1, ?2)
                 ON CONFLICT (notifier) DO UPDATE SET last_tick = excluded.last_tick",
            )?
            .execute(params![notifier, to_unix(tick)])?;
        }
        tx.commit()?;
        Ok(ids)
    }

    /// The schedule time of `notifier`'s last digest, without starting its clock.
    pub fn last_digest_tick(&self, notifier: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<i64> = self
            .conn
            .prepare_cached("SELECT last_tick FROM digest_clock WHERE notifier = ?1")?
            .query_row([notifier], |r| r.get(0))
            .optional()?;
        Ok(t.map(from_unix))
    }

    /// The schedule time of `notifier`'s last digest. A digest notifier seen for
    /// the first time starts its clock at `now`, so its first digest is the
    /// schedule's next time rather than one at once.
    pub fn digest_clock(
        &mut self,
        notifier: &str,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO digest_clock (notifier, last_tick) VALUES (?1, ?2)",
            )?
            .execute(params![notifier, to_unix(now)])?;
        let t: i64 = self
            .conn
            .prepare_cached("SELECT last_tick FROM digest_clock WHERE notifier = ?1")?
            .query_row([notifier], |r| r.get(0))?;
        Ok(from_unix(t))
    }

    /// Pending messages through `notifier` due at `now` and not leased to a
    /// sender, in id order after `after_id` (a cursor, so one pass never sends
    /// a message twice).
    pub fn due_messages(
        &self,
        notifier: &str,
        now: DateTime<Utc>,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<Message>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_MESSAGE} WHERE status = 'pending' AND notifier = ?1 AND next_attempt_at <= ?2
             AND lease_until <= ?2 AND id > ?3 ORDER BY id LIMIT ?4"
        ))?;
        let rows = stmt.query_map(
            params![notifier, to_unix(now), after_id, limit as i64],
            message_from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Pending messages through `notifier`, oldest first (what goes out next).
    pub fn pending_messages(&self, notifier: &str) -> Result<Vec<Message>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_MESSAGE} WHERE status = 'pending' AND notifier = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([notifier], message_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When the earliest pending message through `notifier` is due, if any (a
    /// message leased to a sender is due again when its lease runs out).
    pub fn next_message_at(&self, notifier: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT min(max(next_attempt_at, lease_until)) FROM messages WHERE status = 'pending' AND notifier = ?1",
            )?
            .query_row([notifier], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(t.map(from_unix))
    }

    /// The deliveries a message carries, in id order.
    pub fn message_deliveries(&self, message: i64) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT} WHERE message_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([message], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Claims pending message `id` for sender `by` until `until`, if it is
    /// due at `now` and no other sender holds a live lease on it. One UPDATE,
    /// so of two processes claiming at once exactly one gets it. Returns the
    /// message as it now stands (its attempts may have moved since it was
    /// listed), or `None` when it is not to be sent by `by` now.
    pub fn claim_message(
        &mut self,
        id: i64,
        by: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<Message>, StoreError> {
        let claimed = self
            .conn
            .prepare_cached(
                "UPDATE messages SET claimed_by = ?2, lease_until = ?4
                 WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?3 AND lease_until <= ?3",
            )?
            .execute(params![id, by, to_unix(now), to_unix(until)])?;
        if claimed == 0 {
            return Ok(None);
        }
        Ok(self
            .conn
            .prepare_cached(&format!("{SELECT_MESSAGE} WHERE id = ?1"))?
            .query_row([id], message_from_row)
            .optional()?)
    }

    /// The receiver confirmed the message: it and its deliveries are sent
    /// (whoever holds the lease now: a confirmation is a fact). Returns
    /// whether it was still pending.
    pub fn message_sent(
        &mut self,
        id: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.finish_attempt(
            false,
            "status = 'sent', sent_at = ?3, last_error = NULL",
            params![id, by, to_unix(now)],
        )
    }

    /// The attempt failed but may succeed later: try again at `next`.
    /// Returns false (and changes nothing) when `by` no longer holds the lease.
    pub fn message_retry(
        &mut self,
        id: i64,
        by: &str,
        error: &str,
        next: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.finish_attempt(
            true,
            "last_error = ?3, next_attempt_at = ?4",
            params![id, by, error, to_unix(next)],
        )
    }

    /// The message cannot get through (or retries are exhausted): it and its
    /// deliveries are failed, with the reason, until retried by hand.
    /// Returns false (and changes nothing) when `by` no longer holds the lease.
    pub fn message_failed(&mut self, id: i64, by: &str, error: &str) -> Result<bool, StoreError> {
        self.finish_attempt(
            true,
            "status = 'failed', last_error = ?3",
            params![id, by, error],
        )
    }

    /// Counts an attempt, applies `set` to the pending message (`?1` in
    /// `args`, `?2` the sender) and its pending deliveries, and releases the
    /// lease; when `held`, only if sender `by` still holds it.
    fn finish_attempt(
        &mut self,
        held: bool,
        set: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let holder = if held { "AND claimed_by = ?2" } else { "" };
        let n = tx.execute(
            &format!(
                "UPDATE messages SET attempts = attempts + 1, claimed_by = NULL, lease_until = 0, {set}
                 WHERE id = ?1 AND status = 'pending' {holder}"
            ),
            args,
        )?;
        if n == 0 {
            return Ok(false);
        }
        tx.execute(
            &format!(
                "UPDATE deliveries SET attempts = attempts + 1, {set} WHERE message_id = ?1 AND status = 'pending'"
            ),
            args,
        )?;
        tx.commit()?;
        Ok(true)
    }
}
