//! What the running daemon knows about itself: counters and histograms fed
//! by the pipeline's reports and the deliverer (served at `/metrics` with
//! gauges the API reads from the store at scrape time), and the heartbeats
//! of the scheduler and delivery loops (`/healthz`). In process, no I/O.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::pipeline::Outcome;

/// Label pairs of one series.
pub type Labels = Vec<(String, String)>;

/// A loop's promise to be back by a time: each pass records when it will
/// next wake; a loop past that (and a margin) is stuck or dead.
#[derive(Debug)]
pub struct Heartbeat {
    /// Unix milliseconds by which the loop beats again.
    due_ms: AtomicI64,
}

/// How late a loop may beat before it counts as stuck: a pass's own work
/// (a slow source, a slow receiver) runs between two beats.
pub const HEARTBEAT_MARGIN: Duration = Duration::from_secs(300);

impl Heartbeat {
    fn new(now: DateTime<Utc>) -> Heartbeat {
        // A loop that has not beaten yet is starting: it has the margin to do so.
        Heartbeat {
            due_ms: AtomicI64::new(now.timestamp_millis()),
        }
    }

    /// Records that the loop is alive at `now` and will beat again within `wait`.
    pub fn beat(&self, now: DateTime<Utc>, wait: Duration) {
        let wait = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
        let due = now.timestamp_millis().saturating_add(wait);
        self.due_ms.store(due, Ordering::Relaxed);
    }

    /// How long past its promise the loop is at `now` (beyond the margin), if it is.
    pub fn overdue(&self, now: DateTime<Utc>) -> Option<Duration> {
        let margin = HEARTBEAT_MARGIN.as_millis() as i64;
        let late = now
            .timestamp_millis()
            .saturating_sub(self.due_ms.load(Ordering::Relaxed))
            .saturating_sub(margin);
        (late > 0).then(|| Duration::from_millis(late as u64))
    }
}

/// The daemon's counters, histograms and heartbeats.
pub struct Telemetry {
    /// The registry `/metrics` encodes.
    pub registry: Registry,
    fetches: Family<Labels, Counter>,
    fetch_seconds: Family<Labels, Histogram>,
    matches: Family<Labels, Counter>,
    deliveries: Family<Labels, Counter>,
    delivery_latency: Histogram,
    /// The scheduler loop's heartbeat.
    pub scheduler: Heartbeat,
    /// The delivery loop's heartbeat.
    pub deliverer: Heartbeat,
}

fn fetch_buckets() -> Histogram {
    // 50 ms to about 100 s.
    Histogram::new(exponential_buckets(0.05, 2.0, 12))
}

impl Telemetry {
    /// A registry with every series at zero, heartbeats counted from `now`.
    pub fn new(now: DateTime<Utc>) -> Telemetry {
        let mut registry = Registry::with_prefix("jobhound");
        let fetches = Family::<Labels, Counter>::default();
        registry.register(
            "fetches",
            "Fetch passes by source and outcome (stored, not_modified, failed)",
            fetches.clone(),
        );
        let fetch_seconds =
            Family::<Labels, Histogram>::new_with_constructor(fetch_buckets as fn() -> Histogram);
        registry.register(
            "fetch_duration_seconds",
            "How long a source's pass took, fetch to stored",
            fetch_seconds.clone(),
        );
        let matches = Family::<Labels, Counter>::default();
        registry.register(
            "matches_recorded",
            "New alert matches recorded by fetch passes, by source",
            matches.clone(),
        );
        let deliveries = Family::<Labels, Counter>::default();
        registry.register(
            "deliveries",
            "Delivery outcomes, counted in matches (sent, retrying, failed)",
            deliveries.clone(),
        );
        // 1 s to about 18 h: from the match being recorded to the receiver's confirmation.
        let delivery_latency = Histogram::new(exponential_buckets(1.0, 4.0, 9));
        registry.register(
            "delivery_latency_seconds",
            "From a match being recorded to the receiver confirming its message",
            delivery_latency.clone(),
        );
        Telemetry {
            registry,
            fetches,
            fetch_seconds,
            matches,
            deliveries,
            delivery_latency,
            scheduler: Heartbeat::new(now),
            deliverer: Heartbeat::new(now),
        }
    }

    /// Counts one pass of `source`.
    pub fn fetched(&self, source: &str, outcome: &Outcome, elapsed: Duration) {
        let label = match outcome {
            Outcome::Stored { .. } => "stored",
            Outcome::NotModified => "not_modified",
            Outcome::Failed { .. } => "failed",
        };
        self.fetches
            .get_or_create(&vec![
                ("source".into(), source.into()),
                ("outcome".into(), label.into()),
            ])
            .inc();
        self.fetch_seconds
            .get_or_create(&vec![("source".into(), source.into())])
            .observe(elapsed.as_secs_f64());
        if let Outcome::Stored { matched, .. } = outcome {
            self.matches
                .get_or_create(&vec![("source".into(), source.into())])
                .inc_by(*matched as u64);
        }
    }

    /// Counts a delivery pass's outcomes (in matches).
    pub fn delivered(&self, sent: usize, retrying: usize, failed: usize) {
        for (label, n) in [("sent", sent), ("retrying", retrying), ("failed", failed)] {
            if n > 0 {
                self.deliveries
                    .get_or_create(&vec![("outcome".into(), label.into())])
                    .inc_by(n as u64);
            }
        }
    }

    /// Records that a match recorded at `created` was confirmed at `now`.
    pub fn confirmed(&self, created: DateTime<Utc>, now: DateTime<Utc>) {
        let secs = (now - created).num_milliseconds().max(0) as f64 / 1000.0;
        self.delivery_latency.observe(secs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heartbeat_is_overdue_only_past_its_promise_and_the_margin() {
        let t0 = DateTime::<Utc>::from_timestamp(1_000_000, 0).expect("time");
        let h = Heartbeat::new(t0);
        assert_eq!(h.overdue(t0), None, "starting");
        h.beat(t0, Duration::from_secs(60));
        let at = |s: i64| t0 + chrono::Duration::seconds(s);
        assert_eq!(h.overdue(at(60 + 300)), None, "within the margin");
        assert_eq!(h.overdue(at(60 + 301)), Some(Duration::from_secs(1)));
        h.beat(t0, Duration::MAX);
        assert_eq!(
            h.overdue(at(1_000_000)),
            None,
            "a long wait never overflows"
        );
    }
}
