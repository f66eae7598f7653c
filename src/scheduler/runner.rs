//! The scheduler loop: runs each enabled source when it is due, a bounded
//! number at a time, and follows the config as it is reloaded (a new source
//! is due at once, as at start; a removed one is no longer scheduled; a
//! changed schedule is worked out again from the source's stored state; a
//! changed URL applies from its next pass). Every turn of the loop is
//! reported through a [`Pulse`]: systemd's watchdog is fed from here, so a
//! loop that stops turning stops feeding it, and the loop never sleeps longer
//! than the watchdog allows. When a round of passes is over, the memory they
//! freed goes back to the system ([`crate::memory`]) before the loop sleeps.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, Semaphore, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{draw_jitter, jitter_cap, next_due};
use crate::config::{self, Config};
use crate::pipeline::{Outcome, Pipeline, Report, blocking};
use crate::store::SourceState;

/// The longest the loop waits, between rounds, for the memory the round
/// freed to be released ([`Pipeline::release_memory`]).
const RELEASE_WAIT: Duration = Duration::from_secs(1);

/// How long the loop must have nothing to do for a release to be worth it:
/// passes due sooner would only allocate the same memory again (a schedule
/// spread over the hour has a pass every few seconds).
const RELEASE_IDLE: Duration = Duration::from_secs(10);

/// Where the loop stands at one turn.
#[derive(Debug, Clone)]
pub struct Turn<'a> {
    /// Enabled sources scheduled.
    pub sources: usize,
    /// Sources being fetched now.
    pub fetching: usize,
    /// The next source due, and when.
    pub next: Option<(&'a str, DateTime<Utc>)>,
    /// How the last pass ended, in a few words.
    pub last: Option<&'a str>,
}

/// What the loop reports on every turn, and how often it must turn.
pub struct Pulse {
    /// The longest the loop may sleep (half the watchdog interval), if bounded.
    pub every: Option<Duration>,
    /// Called on every turn of the loop.
    pub on_turn: Box<dyn Fn(&Turn<'_>) + Send + Sync>,
}

impl Pulse {
    /// A pulse that reports nowhere (`jobhound fetch`, tests).
    pub fn none() -> Pulse {
        Pulse {
            every: None,
            on_turn: Box::new(|_| {}),
        }
    }
}

/// A scheduled source.
struct Entry {
    source: config::Source,
    /// When it is next due; `None` while it is being fetched.
    due: Option<DateTime<Utc>>,
}

/// Runs the enabled sources of the config in `config` on their schedules
/// until `cancel` fires, following each new config sent there. After a pass
/// stores new matches or queues a health report, `delivered` is notified so
/// deliveries start at once.
pub async fn run(
    mut config: watch::Receiver<Arc<Config>>,
    pipeline: Arc<Pipeline>,
    cancel: CancellationToken,
    delivered: Arc<Notify>,
    pulse: Arc<Pulse>,
) {
    let mut current = config.borrow_and_update().clone();
    // Changing [http] concurrency needs a restart (the daemon says so).
    let slots = Arc::new(Semaphore::new(current.http.concurrency));
    let tracker = TaskTracker::new();
    let mut entries = plan(&current, Vec::new(), &states(&pipeline).await);
    let mut fetching: HashSet<String> = HashSet::new();
    let mut last: Option<String> = None;
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<Report>();
    // Whether memory freed since start-up or the last round went back to the system.
    let mut released = false;
    loop {
        let now = Utc::now();
        for e in &mut entries {
            let name = e.source.name.as_str();
            if e.due.is_none_or(|t| t > now) || fetching.contains(name) {
                continue;
            }
            e.due = None; // in flight: not scheduled again until it reports back
            fetching.insert(name.to_string());
            let (pipeline, source, slots, done) = (
                pipeline.clone(),
                e.source.clone(),
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
                let _ = done.send(report);
            });
        }
        let next = entries
            .iter()
            // A source re-added while its old pass runs waits for that pass.
            .filter(|e| !fetching.contains(e.source.name.as_str()))
            .filter_map(|e| e.due.map(|t| (e.source.name.as_str(), t)))
            .min_by_key(|(_, t)| *t);
        (pulse.on_turn)(&Turn {
            sources: entries.len(),
            fetching: fetching.len(),
            next,
            last: last.as_deref(),
        });
        // Until the next source is due (for ever if none is).
        let idle = next.map_or(Duration::MAX, |(_, t)| {
            (t - now).to_std().unwrap_or(Duration::ZERO)
        });
        // Woken at least hourly, so no far-off time is ever slept on in one
        // go, and as often as the watchdog needs.
        let sleep = idle
            .min(Duration::from_secs(3600))
            .min(pulse.every.unwrap_or(Duration::MAX));
        pipeline.heartbeat(sleep);
        let wake = tokio::time::Instant::now() + sleep;
        if fetching.is_empty() && !released && idle >= RELEASE_IDLE {
            // A round is over (or start-up), and the next starts no sooner
            // than RELEASE_IDLE: nothing in flight needs the memory. A writer
            // held up (by another process's lock) is not waited for.
            released = true;
            tokio::select! {
                () = cancel.cancelled() => break,
                () = pipeline.release_memory() => {}
                () = tokio::time::sleep(RELEASE_WAIT) => {
                    tracing::debug!("the writer is busy: not waiting for it to release memory");
                }
            }
        }
        tokio::select! {
            () = cancel.cancelled() => break,
            () = tokio::time::sleep_until(wake) => {}
            Ok(()) = config.changed() => {
                let fresh = config.borrow_and_update().clone();
                let before: HashSet<String> = entries.iter().map(|e| e.source.name.as_str().to_string()).collect();
                entries = plan(&fresh, entries, &states(&pipeline).await);
                let after: HashSet<String> = entries.iter().map(|e| e.source.name.as_str().to_string()).collect();
                let mut added: Vec<&String> = after.difference(&before).collect();
                let mut removed: Vec<&String> = before.difference(&after).collect();
                added.sort();
                removed.sort();
                tracing::info!(sources = entries.len(), ?added, ?removed, "schedule reloaded");
                current = fresh;
            }
            Some(report) = done_rx.recv() => {
                let name = report.source.as_str().to_string();
                fetching.remove(&name);
                released = false;
                let matched = matches!(report.outcome, Outcome::Stored { matched, notified: true, .. } if matched > 0);
                if matched || report.health.is_some() {
                    delivered.notify_one();
                }
                last = Some(summary(&report));
                // A source removed by a reload while it was fetched is done with.
                if let Some(e) = entries.iter_mut().find(|e| e.source.name.as_str() == name) {
                    let state = blocking(pipeline.store(), {
                        let name = e.source.name.clone();
                        move |s| s.source_state(&name)
                    })
                    .await
                    .ok()
                    .flatten();
                    e.due = Some(due(&current, &e.source, state.as_ref()));
                    tracing::debug!(source = %name, next = ?e.due, "scheduled");
                }
            }
        }
    }
    tracker.close();
    tracker.wait().await;
}

/// Every source's stored state, in one read (a state that cannot be read
/// counts as never fetched: fetched now).
async fn states(pipeline: &Pipeline) -> HashMap<String, SourceState> {
    blocking(pipeline.store(), |s| s.source_states())
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|st| (st.name.clone(), st))
        .collect()
}

/// The entries for `config`'s enabled sources, keeping from `old` the due
/// time of each source whose schedule did not change (and the in-flight mark).
fn plan(config: &Config, old: Vec<Entry>, states: &HashMap<String, SourceState>) -> Vec<Entry> {
    let mut old: HashMap<String, Entry> = old
        .into_iter()
        .map(|e| (e.source.name.as_str().to_string(), e))
        .collect();
    config
        .sources
        .iter()
        .filter(|s| s.enabled)
        .map(|s| {
            let due = match old.remove(s.name.as_str()) {
                Some(e) if e.source.schedule == s.schedule => e.due,
                // Being fetched: scheduled when it reports back.
                Some(e) if e.due.is_none() => None,
                _ => Some(due(config, s, states.get(s.name.as_str()))),
            };
            Entry {
                source: s.clone(),
                due,
            }
        })
        .collect()
}

/// When `s` is next due, from its stored state (never fetched: now).
fn due(config: &Config, s: &config::Source, state: Option<&SourceState>) -> DateTime<Utc> {
    let now = Utc::now();
    let jitter = draw_jitter(jitter_cap(&s.schedule, config.scheduler.jitter, now));
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
    next_due(&s.schedule, state, now, jitter, retry)
}

/// "acme: 12 listed, 3 new" / "acme: not modified" / "acme: FAILED".
fn summary(r: &Report) -> String {
    match &r.outcome {
        Outcome::Stored {
            new,
            updated,
            unchanged,
            ..
        } => format!(
            "{}: {} listed, {new} new",
            r.source,
            new.saturating_add(*updated).saturating_add(*unchanged)
        ),
        Outcome::NotModified => format!("{}: not modified", r.source),
        Outcome::Failed { .. } => format!("{}: failed", r.source),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn config(sources: &[(&str, &str)]) -> Config {
        let text: String = sources
            .iter()
            .map(|(name, schedule)| {
                format!(
                    "[[source]]\nname = \"{name}\"\nkind = \"feed\"\nurl = \"http://127.0.0.1:9/{name}\"\nschedule = \"{schedule}\"\n"
                )
            })
            .collect();
        let text = format!("[scheduler]\njitter = \"0s\"\n{text}");
        Config::parse(&text, Path::new("c.toml"), &|_| None).expect("config")
    }

    #[test]
    fn a_reload_keeps_unchanged_due_times_and_schedules_new_and_changed_sources() {
        let later = Utc::now() + chrono::Duration::hours(5);
        let before = config(&[
            ("same", "0 * * * *"),
            ("changed", "0 * * * *"),
            ("gone", "0 * * * *"),
            ("busy", "0 * * * *"),
        ]);
        let mut old = plan(&before, Vec::new(), &HashMap::new());
        assert!(
            old.iter().all(|e| e.due.is_some_and(|t| t <= Utc::now())),
            "never fetched: due now"
        );
        for e in &mut old {
            e.due = Some(later);
        }
        old[3].due = None; // being fetched
        let after = config(&[
            ("same", "0 * * * *"),
            ("changed", "*/5 * * * *"),
            ("busy", "*/5 * * * *"),
            ("new", "0 * * * *"),
        ]);
        let now = Utc::now();
        let got: Vec<(String, Option<DateTime<Utc>>)> = plan(&after, old, &HashMap::new())
            .into_iter()
            .map(|e| (e.source.name.as_str().to_string(), e.due))
            .collect();
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["same", "changed", "busy", "new"],
            "`gone` is no longer scheduled"
        );
        assert_eq!(got[0].1, Some(later), "an unchanged source keeps its time");
        assert!(
            got[1].1.is_some_and(|t| t < later),
            "a changed schedule is worked out again"
        );
        assert_eq!(
            got[2].1, None,
            "a source being fetched is scheduled when it reports back"
        );
        assert!(
            got[3].1.is_some_and(|t| t >= now && t <= Utc::now()),
            "a new source is due at once"
        );
    }
}
