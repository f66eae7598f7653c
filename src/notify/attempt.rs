//! One attempt at a claimed message: loading and sending it, then recording
//! how it ended. Confirmed: sent. A transient failure below `max_attempts`:
//! due again after the backoff (a receiver's `Retry-After` respected). Anything
//! else: failed for good, with the reason. A panic while sending is a failed
//! attempt like any other.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::plan::retry_delay;
use super::{Deliverer, DeliveryReport, NotifyError, compose, health, later, send};
use crate::config;
use crate::pipeline::guard::caught;
use crate::store::{Message, StoreError};

/// What one attempt at a message came to.
pub(super) struct Attempt {
    /// Matches it carried.
    count: usize,
    /// Its idempotency key.
    key: String,
    /// When each of its matches was recorded.
    created: Vec<DateTime<Utc>>,
    /// Confirmed, or why not.
    result: Result<(), NotifyError>,
}

impl Deliverer {
    /// Loads a claimed message and sends it.
    pub(super) async fn attempt(
        &self,
        n: &config::Notifier,
        m: &Message,
        now: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        if let Some(report) = &m.health {
            let key = compose::message_key(m);
            let result = health::send(&self.http, n, report, &key, now, self.smtp_timeout).await;
            return Ok(Attempt {
                count: 0,
                key,
                created: Vec::new(),
                result,
            });
        }
        let (batch, deliveries) = {
            let (m, n) = (m.clone(), n.clone());
            let view = self.views.get(&n.name).cloned().unwrap_or_default();
            self.blocking(move |s| compose::load(s, &m, &n, view))
                .await?
        };
        let result = if batch.items.is_empty() && batch.digest.is_none() {
            // Its jobs were deleted since: there is nothing left to say.
            Ok(())
        } else {
            send(&self.http, n, &batch, now, self.smtp_timeout).await
        };
        Ok(Attempt {
            count: deliveries.len(),
            key: batch.key,
            created: deliveries.iter().map(|d| d.created_at).collect(),
            result,
        })
    }

    /// Runs `attempt` of claimed message `m` and records how it ended; a
    /// panic in it is a failed attempt like any other.
    pub(super) async fn settle(
        &self,
        n: &config::Notifier,
        m: &Message,
        now: DateTime<Utc>,
        attempt: impl std::future::Future<Output = Result<Attempt, StoreError>>,
        report: &mut DeliveryReport,
    ) -> Result<(), StoreError> {
        let id = m.id;
        let Attempt {
            count,
            key,
            created,
            result,
        } = match caught(attempt).await {
            Ok(a) => a?,
            Err(cause) => {
                tracing::error!(notifier = %n.name, message_id = id, %cause, "PANIC while sending a message; counted as a failed attempt");
                Attempt {
                    count: self
                        .blocking(move |s| s.message_deliveries(id))
                        .await?
                        .len(),
                    key: String::new(),
                    created: Vec::new(),
                    result: Err(NotifyError::Panicked(cause)),
                }
            }
        };
        let attempts = m.attempts.saturating_add(1);
        let by = self.claimer.clone();
        let recorded = match result {
            Ok(()) => {
                report.sent += count;
                if let Some(t) = &self.telemetry {
                    for c in &created {
                        t.confirmed(*c, now);
                    }
                }
                tracing::info!(notifier = %n.name, message_id = id, matches = count, %key, "delivered");
                self.blocking(move |s| s.message_sent(id, &by, now)).await?
            }
            Err(e) if e.is_transient() && attempts < self.policy.max_attempts => {
                report.retrying += count;
                let wait = retry_delay(&self.policy, attempts, e.retry_after(), fastrand::f64());
                let next = retry_at(now, wait);
                let error = e.to_string();
                tracing::warn!(notifier = %n.name, message_id = id, matches = count, attempts, %error, retry_in_ms = wait.as_millis() as u64, "delivery failed; will retry");
                self.blocking(move |s| s.message_retry(id, &by, &error, next))
                    .await?
            }
            Err(e) => {
                report.failed += count;
                let error = e.to_string();
                tracing::error!(notifier = %n.name, message_id = id, matches = count, attempts, %error, "delivery failed for good");
                self.blocking(move |s| s.message_failed(id, &by, &error))
                    .await?
            }
        };
        if !recorded {
            tracing::warn!(notifier = %n.name, message_id = id, "the claim on the message ran out while sending; its new holder records the outcome");
        }
        Ok(())
    }
}

/// When to try again after waiting `wait` from `now`. Times are stored in
/// whole seconds: round up, so a receiver's `Retry-After` is never cut short;
/// no wait means due at once.
pub(super) fn retry_at(now: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    if wait.is_zero() {
        return now;
    }
    let t = later(now, wait);
    if t.timestamp_subsec_nanos() == 0 {
        return t;
    }
    t.timestamp()
        .checked_add(1)
        .and_then(|up| DateTime::from_timestamp(up, 0))
        .unwrap_or(t)
}
