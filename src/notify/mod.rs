//! Delivering matches: drains the outbox (delivery rows written with each
//! match) through each enabled notifier. A pass first puts pending deliveries
//! into messages, written before they are sent: at once for an immediate
//! notifier (several matches share a message within the channel's limits), or
//! when a digest falls due. Then it sends the due messages. A message counts as
//! sent only when the receiver confirmed it; transient failures are retried
//! with backoff and jitter, permanent ones (and those past `max_attempts`) are
//! marked failed with the reason and kept for `jobhound notifications retry`.
//! Every attempt of a message carries the same idempotency key.
//!
//! Several processes may deliver from one database (the daemon, a `jobhound
//! fetch` beside it): each claims a message before sending it (a lease a bit
//! longer than a request may take), so none is sent by two at once, and one
//! claimed by a sender that died goes out again when the lease runs out. A
//! panic while sending a message counts as a failed attempt of it.
//!
//! Channels, one file each: [`webhook`], [`slack`], [`discord`], [`email`];
//! [`render`] is what a message says, [`card`] one job in it (its facts put
//! into words by [`format`]), [`html`] the designed mail; [`plan`] the pure
//! timing arithmetic; [`health`] renders the source-health reports that
//! travel as messages too. `attempt.rs` sends one claimed message and
//! records how that ended.

mod attempt;
mod by_hand;
pub mod card;
pub mod compose;
pub mod discord;
pub mod email;
mod error;
pub mod format;
pub mod health;
pub mod html;
pub mod plan;
mod post;
pub mod render;
pub mod slack;
pub mod webhook;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

pub use error::NotifyError;

use crate::config::{self, Config, Mode, NotifierKind};
use crate::http::Http;
use crate::pipeline::{SharedStore, blocking};
use crate::store::{Message, Store, StoreError};
use plan::{DigestDue, capacity, chunks, digest_due};
use render::Batch;

/// What one pass over the outbox did, counted in matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Confirmed by the receiver.
    pub sent: usize,
    /// Failed for now; will be retried.
    pub retrying: usize,
    /// Failed for good (visible in `jobhound notifications`, retryable by hand).
    pub failed: usize,
}

/// Sends a batch through a notifier's channel; `now` dates webhook signatures.
pub async fn send(
    http: &Http,
    notifier: &config::Notifier,
    batch: &Batch,
    now: DateTime<Utc>,
    smtp_timeout: Duration,
) -> Result<(), NotifyError> {
    match &notifier.kind {
        NotifierKind::Webhook(w) => webhook::send(http, w, batch, now).await,
        NotifierKind::Slack(h) => slack::send(http, h, batch).await,
        NotifierKind::Discord(h) => discord::send(http, h, batch).await,
        NotifierKind::Email(e) => email::send(e, batch, smtp_timeout).await,
    }
}

/// Sends due messages through the configured, enabled notifiers.
pub struct Deliverer {
    http: Http,
    store: SharedStore,
    notifiers: Vec<config::Notifier>,
    /// Each notifier's view (alert queries, cap, web page), by notifier name.
    views: std::collections::HashMap<String, render::View>,
    policy: config::Delivery,
    smtp_timeout: Duration,
    /// Who this sender is in a message's `claimed_by`: the process and this deliverer.
    claimer: String,
    /// How long a claim holds: past the longest request, so a live sender
    /// never loses it mid-send, yet a dead one's message is not held long.
    lease: Duration,
    /// Where confirmed deliveries are timed (the daemon).
    telemetry: Option<std::sync::Arc<crate::telemetry::Telemetry>>,
}

/// How long a claim on a message holds, for requests that time out after `timeout`.
pub fn lease(timeout: Duration) -> Duration {
    timeout
        .saturating_mul(2)
        .saturating_add(Duration::from_secs(10))
}

impl Deliverer {
    /// Builds the deliverer for `config`.
    pub fn new(config: &Config, http: Http, store: SharedStore) -> Deliverer {
        Deliverer {
            http,
            store,
            notifiers: config
                .notifiers
                .iter()
                .filter(|n| n.enabled)
                .cloned()
                .collect(),
            views: config
                .notifiers
                .iter()
                .map(|n| (n.name.clone(), render::View::new(config, n)))
                .collect(),
            policy: config.delivery.clone(),
            smtp_timeout: config.http.timeout,
            claimer: format!("pid {} #{:08x}", std::process::id(), fastrand::u32(..)),
            lease: lease(config.http.timeout),
            telemetry: None,
        }
    }

    /// Times every confirmed delivery in `telemetry`.
    pub fn observed(mut self, telemetry: std::sync::Arc<crate::telemetry::Telemetry>) -> Deliverer {
        self.telemetry = Some(telemetry);
        self
    }

    /// When the next pass has work, as seen at `now`: a message due, a match
    /// waiting for an immediate notifier, or a digest's schedule time.
    pub async fn next_due(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        let notifiers = self.notifiers.clone();
        self.blocking(move |s| {
            let mut best: Option<DateTime<Utc>> = None;
            let mut consider = |t: DateTime<Utc>| best = Some(best.map_or(t, |b| b.min(t)));
            for n in &notifiers {
                if let Some(t) = s.next_message_at(&n.name)? {
                    consider(t);
                }
                match &n.mode {
                    Mode::Immediate if s.has_unassigned(&n.name)? => consider(now),
                    Mode::Immediate => {}
                    Mode::Digest(d) => {
                        let last = s.last_digest_tick(&n.name)?.unwrap_or(now);
                        match digest_due(d, last, now) {
                            DigestDue::Now(_) => consider(now),
                            DigestDue::At(t) => consider(t),
                            DigestDue::Never => {}
                        }
                    }
                }
            }
            Ok(best)
        })
        .await
    }

    /// One pass at `now`: puts pending matches into messages (digests only when
    /// due), then sends every message due, once each.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<DeliveryReport, StoreError> {
        let started = Instant::now();
        let mut report = DeliveryReport::default();
        for n in &self.notifiers {
            self.compose(n, now).await?;
            self.send_due(n, now, started, &mut report).await?;
        }
        Ok(report)
    }

    /// Sends every message of `n` due at `now`, once each.
    pub(crate) async fn send_due(
        &self,
        n: &config::Notifier,
        now: DateTime<Utc>,
        started: Instant,
        report: &mut DeliveryReport,
    ) -> Result<(), StoreError> {
        let mut after = 0;
        loop {
            let name = n.name.clone();
            let due = self
                .blocking(move |s| s.due_messages(&name, now, after, 100))
                .await?;
            let Some(last) = due.last() else { break };
            after = last.id;
            for m in due {
                // The clock moves on while we send: retries are timed from the failure.
                let at = later(now, started.elapsed());
                self.deliver(n, m, at, report).await?;
            }
        }
        Ok(())
    }

    /// Writes the messages that pending deliveries go out in.
    async fn compose(&self, n: &config::Notifier, now: DateTime<Utc>) -> Result<(), StoreError> {
        let size = capacity(&n.kind, &n.mode);
        let name = n.name.clone();
        match n.mode.clone() {
            Mode::Immediate => {
                self.blocking(move |s| {
                    loop {
                        let ds = s.unassigned_deliveries(&name, 1000)?;
                        let ids: Vec<i64> = ds.iter().map(|d| d.id).collect();
                        s.create_messages(&name, &chunks(&ids, size), None, now)?;
                        if ds.len() < 1000 {
                            return Ok(());
                        }
                    }
                })
                .await
            }
            Mode::Digest(d) => {
                self.blocking(move |s| {
                    let last = s.digest_clock(&name, now)?;
                    let DigestDue::Now(tick) = digest_due(&d, last, now) else {
                        return Ok(());
                    };
                    let ids: Vec<i64> = s
                        .unassigned_deliveries(&name, 100_000)?
                        .iter()
                        .map(|d| d.id)
                        .collect();
                    let mut groups = chunks(&ids, size);
                    if groups.is_empty() && d.send_empty {
                        groups.push(Vec::new());
                    }
                    let made = s.create_messages(&name, &groups, Some(tick), now)?;
                    tracing::info!(notifier = %name, digest_at = %tick, matches = ids.len(), messages = made.len(), "digest due");
                    Ok(())
                })
                .await
            }
        }
    }

    /// Claims one message, sends it and records the outcome on it and its
    /// deliveries; a message another sender holds is left to it.
    async fn deliver(
        &self,
        n: &config::Notifier,
        m: Message,
        now: DateTime<Utc>,
        report: &mut DeliveryReport,
    ) -> Result<(), StoreError> {
        let (id, by, until) = (m.id, self.claimer.clone(), later(now, self.lease));
        let Some(m) = self
            .blocking(move |s| s.claim_message(id, &by, now, until))
            .await?
        else {
            tracing::debug!(notifier = %n.name, message_id = id, "claimed by another sender");
            return Ok(());
        };
        self.settle(n, &m, now, self.attempt(n, &m, now), report)
            .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        blocking(&self.store, f).await
    }
}

/// `now + wait`, or the latest time chrono can hold when that is past it: a
/// wait is only ever too long, never a reason to panic.
fn later(now: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(wait)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod golden;
#[cfg(test)]
mod tests;
