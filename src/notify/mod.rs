//! Delivering matches: drains the outbox (rows written with each match) through
//! each notifier's channel. A delivery counts as sent only when the receiver
//! confirmed it; transient failures are retried with backoff, permanent ones
//! (and those past `max_attempts`) are marked failed and kept for a manual retry.

mod webhook;

use std::collections::HashMap;

use chrono::Utc;

use crate::config::{self, Config, NotifierKind};
use crate::http::{FetchError, Http};
use crate::pipeline::{SharedStore, lock};
use crate::scheduler::backoff;
use crate::store::{Delivery, StoreError, StoredPosting};

/// Why a delivery failed. Never carries a secret (webhook URLs are hidden).
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The request failed or the receiver did not confirm with a 2xx.
    #[error(transparent)]
    Http(#[from] FetchError),
    /// The job the delivery refers to is gone from the database.
    #[error("posting {0} no longer exists")]
    MissingPosting(i64),
}

impl NotifyError {
    /// Whether a later attempt may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            NotifyError::Http(e) => e.is_transient(),
            NotifyError::MissingPosting(_) => false,
        }
    }

    /// How long the receiver asked us to wait (429/503 `Retry-After`).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            NotifyError::Http(FetchError::Status { retry_after, .. }) => *retry_after,
            _ => None,
        }
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Confirmed by the receiver.
    pub sent: usize,
    /// Failed for now; will be retried.
    pub retrying: usize,
    /// Failed for good (visible in the database, retryable by hand).
    pub failed: usize,
}

/// Sends due deliveries through the configured, enabled notifiers.
pub struct Deliverer {
    http: Http,
    store: SharedStore,
    notifiers: HashMap<String, config::Notifier>,
    policy: config::Delivery,
}

impl Deliverer {
    /// Builds the deliverer for `config`.
    pub fn new(config: &Config, http: Http, store: SharedStore) -> Deliverer {
        let notifiers = config
            .notifiers
            .iter()
            .filter(|n| n.enabled)
            .map(|n| (n.name.clone(), n.clone()))
            .collect();
        Deliverer {
            http,
            store,
            notifiers,
            policy: config.delivery.clone(),
        }
    }

    /// The earliest time a pending delivery is due, over every enabled notifier.
    pub async fn next_due(&self) -> Result<Option<chrono::DateTime<Utc>>, StoreError> {
        let store = self.store.clone();
        let names: Vec<String> = self.notifiers.keys().cloned().collect();
        blocking(move || {
            let s = lock(&store);
            let mut best = None;
            for n in &names {
                if let Some(t) = s.next_delivery_at(n)? {
                    best = Some(best.map_or(t, |b: chrono::DateTime<Utc>| b.min(t)));
                }
            }
            Ok(best)
        })
        .await
    }

    /// Sends every delivery due now, once each.
    pub async fn deliver_due(&self) -> Result<DeliveryReport, StoreError> {
        let mut report = DeliveryReport::default();
        for notifier in self.notifiers.values() {
            let mut after = 0;
            loop {
                let store = self.store.clone();
                let name = notifier.name.clone();
                let now = Utc::now();
                let due =
                    blocking(move || lock(&store).due_deliveries(&name, now, after, 100)).await?;
                let Some(last) = due.last() else { break };
                after = last.id;
                for d in due {
                    self.deliver(notifier, d, &mut report).await?;
                }
            }
        }
        Ok(report)
    }

    async fn deliver(
        &self,
        notifier: &config::Notifier,
        d: Delivery,
        report: &mut DeliveryReport,
    ) -> Result<(), StoreError> {
        let store = self.store.clone();
        let id = d.posting_id;
        let posting = blocking(move || lock(&store).posting(id)).await?;
        let result = match posting {
            Some(p) => self.send(notifier, &d, &p).await,
            None => Err(NotifyError::MissingPosting(id.0)),
        };
        let store = self.store.clone();
        let attempts = d.attempts + 1;
        match result {
            Ok(()) => {
                report.sent += 1;
                tracing::info!(notifier = %notifier.name, alert = %d.alert, posting = %d.posting_id, "delivered");
                blocking(move || lock(&store).mark_sent(d.id, Utc::now())).await
            }
            Err(e) if e.is_transient() && attempts < self.policy.max_attempts => {
                report.retrying += 1;
                let wait = backoff(self.policy.retry_base, self.policy.retry_max, attempts)
                    .max(e.retry_after().unwrap_or_default());
                let next = Utc::now()
                    + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                let error = e.to_string();
                tracing::warn!(notifier = %notifier.name, alert = %d.alert, posting = %d.posting_id, attempts, %error, retry_in_s = wait.as_secs(), "delivery failed; will retry");
                blocking(move || lock(&store).mark_retry(d.id, &error, next)).await
            }
            Err(e) => {
                report.failed += 1;
                let error = e.to_string();
                tracing::error!(notifier = %notifier.name, alert = %d.alert, posting = %d.posting_id, attempts, %error, "delivery failed for good");
                blocking(move || lock(&store).mark_failed(d.id, &error)).await
            }
        }
    }

    async fn send(
        &self,
        notifier: &config::Notifier,
        d: &Delivery,
        p: &StoredPosting,
    ) -> Result<(), NotifyError> {
        match &notifier.kind {
            NotifierKind::Webhook(w) => webhook::send(&self.http, w, d, p).await,
        }
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
