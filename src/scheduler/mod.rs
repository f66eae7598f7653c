//! When each source is fetched: cron schedules with jitter, backoff after
//! failures (pure arithmetic, tested as such), and the loop that runs due
//! sources through the pipeline, a bounded number at a time.

mod cron;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use cron::Schedule;

use crate::config::{self, Config};
use crate::model::SourceName;
use crate::pipeline::{Outcome, Pipeline, blocking};
use crate::store::SourceState;

/// `min(base · 2^(failures-1), cap)`: the wait after the `failures`-th consecutive failure.
pub fn backoff(base: Duration, cap: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(30));
    base.saturating_mul(factor).min(cap)
}

/// The most jitter a schedule tolerates: the configured jitter, but never more
/// than a quarter of the schedule's period (a 1-minute schedule gets ≤ 15 s).
pub fn jitter_cap(schedule: &Schedule, jitter: Duration, now: DateTime<Utc>) -> Duration {
    let period = schedule
        .period_near(now)
        .and_then(|p| p.to_std().ok())
        .unwrap_or(jitter);
    jitter.min(period / 4)
}

/// When a source is next due, from its stored state:
/// - never attempted: now (a new source is fetched at start-up);
/// - after a success: the first cron time after the last attempt, plus
///   `jitter` (already drawn by the caller);
/// - after a failure: see [`retry_at`];
/// - a time missed while the daemon was down is due now.
pub fn next_due(
    schedule: &Schedule,
    state: Option<&SourceState>,
    now: DateTime<Utc>,
    jitter: Duration,
    retry: (Duration, Duration),
) -> DateTime<Utc> {
    let Some(last) = state.and_then(|s| s.last_attempt_at) else {
        return now;
    };
    let cron_next = schedule.next_after(last).map(|t| add(t, jitter));
    let due = match state.filter(|s| s.fail_count > 0) {
        None => cron_next.unwrap_or(last),
        Some(s) => retry_at(last, cron_next, s, jitter, retry),
    };
    due.max(now)
}

/// When a failed source is tried again, `last` being the failed attempt:
/// - after the backoff ([`backoff`] of the consecutive failures, plus
///   `jitter`), however far the next cron slot is, but never later than it;
/// - not before the `Retry-After` the server asked for (at most `retry_max`),
///   even past the cron slot: it told us when it can answer;
/// - a permanent answer (401, 403, 404, 410) is retried only after
///   `retry_max`: the page is gone or closed to us, and polling it on a
///   frequent schedule would not bring it back.
pub fn retry_at(
    last: DateTime<Utc>,
    cron_next: Option<DateTime<Utc>>,
    state: &SourceState,
    jitter: Duration,
    (base, cap): (Duration, Duration),
) -> DateTime<Utc> {
    if is_permanent(state.failed_status) {
        return add(add(last, cap), jitter);
    }
    let after_backoff = add(add(last, backoff(base, cap, state.fail_count)), jitter);
    let due = cron_next.map_or(after_backoff, |c| c.min(after_backoff));
    match state.retry_after {
        Some(asked) => due.max(add(last, asked.min(cap))),
        None => due,
    }
}

/// Whether an HTTP status says the resource is gone or closed to us.
pub fn is_permanent(status: Option<u16>) -> bool {
    status.is_some_and(|s| crate::http::PERMANENT_STATUSES.contains(&s))
}

/// `t + d`, saturating at the latest representable time instead of panicking.
fn add(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A uniformly random duration in `[0, cap)`.
pub fn draw_jitter(cap: Duration) -> Duration {
    if cap.is_zero() {
        return cap;
    }
    Duration::from_millis(fastrand::u64(0..cap.as_millis().max(1) as u64))
}

/// Runs the enabled sources on their schedules until `cancel` fires. After a
/// pass stores new matches, `delivered` is notified so deliveries start at once.
pub async fn run(
    config: Arc<Config>,
    pipeline: Arc<Pipeline>,
    cancel: CancellationToken,
    delivered: Arc<Notify>,
) {
    let load_state = |name: SourceName| {
        let store = pipeline.store().clone();
        // A state that cannot be read counts as never fetched: fetch now.
        async move {
            blocking(&store, move |s| s.source_state(&name))
                .await
                .ok()
                .flatten()
        }
    };
    let sources: Vec<config::Source> = config
        .sources
        .iter()
        .filter(|s| s.enabled)
        .cloned()
        .collect();
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
    let slots = Arc::new(Semaphore::new(config.http.concurrency));
    let tracker = TaskTracker::new();
    // Every source's state in one read at start-up, not one each.
    let states: std::collections::HashMap<String, SourceState> =
        blocking(pipeline.store(), |s| s.source_states())
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|st| (st.name.clone(), st))
            .collect();
    let mut due = Vec::with_capacity(sources.len());
    for s in &sources {
        let state = states.get(s.name.as_str());
        let now = Utc::now();
        let jitter = draw_jitter(jitter_cap(&s.schedule, config.scheduler.jitter, now));
        due.push(Some(next_due(&s.schedule, state, now, jitter, retry)));
    }
    drop(states);
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, bool)>();
    loop {
        let now = Utc::now();
        for (i, slot) in due.iter_mut().enumerate() {
            if slot.is_some_and(|t| t <= now) {
                *slot = None; // in flight: not scheduled again until it reports back
                let (pipeline, source, slots, done) = (
                    pipeline.clone(),
                    sources[i].clone(),
                    slots.clone(),
                    done_tx.clone(),
                );
                let cancel = cancel.clone();
                tracker.spawn(async move {
                    // The pass waits for its host's turn, then for a slot (see
                    // `Pipeline::run_queued`): a busy host holds no slot idle.
                    // Cancellation interrupts the network part only; a pass that is
                    // writing to the database finishes (the write is one transaction).
                    let report = tokio::select! {
                        r = pipeline.run_queued(&source, &slots) => r,
                        () = cancel.cancelled() => return,
                    };
                    let matched = matches!(report.outcome, Outcome::Stored { matched, notified: true, .. } if matched > 0);
                    let _ = done.send((i, matched));
                });
            }
        }
        let next = due.iter().flatten().min().copied();
        // Woken at least hourly, so no far-off time is ever slept on in one go.
        let sleep = next
            .map_or(Duration::from_secs(3600), |t| {
                (t - now).to_std().unwrap_or(Duration::ZERO)
            })
            .min(Duration::from_secs(3600));
        pipeline.heartbeat(sleep);
        tokio::select! {
            () = cancel.cancelled() => break,
            () = tokio::time::sleep(sleep) => {}
            Some((i, matched)) = done_rx.recv() => {
                if matched {
                    delivered.notify_one();
                }
                let now = Utc::now();
                let s = &sources[i];
                let state = load_state(s.name.clone()).await;
                let jitter = draw_jitter(jitter_cap(&s.schedule, config.scheduler.jitter, now));
                let t = next_due(&s.schedule, state.as_ref(), now, jitter, retry);
                tracing::debug!(source = %s.name, next = %t, "scheduled");
                due[i] = Some(t);
            }
        }
    }
    tracker.close();
    tracker.wait().await;
}

#[cfg(test)]
mod tests;
