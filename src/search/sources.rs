//! What the store knows about each configured source, as one JSON object per
//! source: the object `jobhound sources --format json` prints and
//! `GET /api/sources` serves, built here once so the two cannot drift apart.
//! It carries the fetch state and outcome, the postings kept, when it is next
//! due, an `imap` source's mailbox health (`mailbox`) and how long its last
//! fetch waited for its host's limits (`host_wait`).

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::config::{Config, Source, SourceKind};
use crate::normalize::strip_unsafe;
use crate::scheduler::{is_permanent, next_due};
use crate::sources::MailState;
use crate::store::{HostWait, SourceState, Store, StoreError};

/// Waits shorter than this are not worth reporting.
pub const WAIT_SHOWN: Duration = Duration::from_millis(10);

/// The stored state of every source, read in one go.
#[derive(Debug, Default)]
pub struct Snapshot {
    states: HashMap<String, SourceState>,
    counts: HashMap<String, u64>,
    waits: HashMap<String, HostWait>,
}

impl Snapshot {
    /// Reads the fetch states, the postings per source and the host waits
    /// (those of at least [`WAIT_SHOWN`]).
    pub fn read(store: &Store) -> Result<Snapshot, StoreError> {
        Ok(Snapshot {
            states: store
                .source_states()?
                .into_iter()
                .map(|s| (s.name.clone(), s))
                .collect(),
            counts: store.count_by_source()?.into_iter().collect(),
            waits: store
                .host_waits()?
                .into_iter()
                .filter(|(_, w)| w.waited >= WAIT_SHOWN)
                .collect(),
        })
    }

    /// The stored fetch state of source `name`.
    pub fn state(&self, name: &str) -> Option<&SourceState> {
        self.states.get(name)
    }

    /// How many postings source `name` lists.
    pub fn postings(&self, name: &str) -> u64 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// How long the last fetch of source `name` waited for its host, when it did.
    pub fn wait(&self, name: &str) -> Option<&HostWait> {
        self.waits.get(name)
    }

    /// Sources with a stored state that are no longer configured, by name.
    pub fn gone<'a>(&'a self, config: &Config) -> Vec<&'a str> {
        let mut gone: Vec<&str> = self
            .states
            .keys()
            .map(String::as_str)
            .filter(|n| config.source(n).is_none())
            .collect();
        gone.sort_unstable();
        gone
    }
}

/// The report of configured source `s` at `now`.
pub fn entry(config: &Config, s: &Source, snap: &Snapshot, now: DateTime<Utc>) -> Value {
    let name = s.name.as_str();
    let state = snap.state(name);
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
    let due = s
        .enabled
        .then(|| next_due(&s.schedule, state, now, Duration::ZERO, retry));
    json!({
        "name": name,
        "kind": s.kind.name(),
        "enabled": s.enabled,
        "schedule": s.schedule.to_string(),
        "last_status": state.and_then(|st| st.last_status.clone()),
        "last_attempt_at": state.and_then(|st| st.last_attempt_at).map(|t| t.to_rfc3339()),
        "last_success_at": state.and_then(|st| st.last_success_at).map(|t| t.to_rfc3339()),
        "last_error": state.and_then(|st| st.last_error.clone()),
        "fail_count": state.map_or(0, |st| st.fail_count),
        "failed_status": state.and_then(|st| st.failed_status),
        "permanent": state.is_some_and(permanent),
        "retry_after_secs": state.and_then(|st| st.retry_after).map(|d| d.as_secs()),
        "postings": snap.postings(name),
        "next_due": due.map(|t| t.max(now).to_rfc3339()),
        "mailbox": mailbox(&s.kind, state),
        "host_wait": snap.wait(name).map(host_wait),
    })
}

/// Whether the last failure was a permanent answer (401, 403, 404, 410).
fn permanent(st: &SourceState) -> bool {
    st.fail_count > 0 && is_permanent(st.failed_status)
}

/// The health of an `imap` source's mailbox, from the state of its last read;
/// `null` for other kinds.
fn mailbox(kind: &SourceKind, state: Option<&SourceState>) -> Value {
    let SourceKind::Imap(m) = kind else {
        return Value::Null;
    };
    let read = state.and_then(|st| MailState::from_validators(&st.validators, None));
    json!({
        "server": m.server.to_string(),
        "mailbox": m.mailbox,
        "last_email": read.as_ref().and_then(|r| r.last_email.as_ref()).map(|l| json!({
            "date": l.date, "from": l.from, "subject": strip_unsafe(&l.subject),
        })),
        "emails_read": read.as_ref().map(|r| r.read),
        "alerts": read.as_ref().map(|r| r.alerts),
        "skipped_not_alerts": read.as_ref().map(|r| r.skipped),
        "jobs": read.as_ref().map(|r| r.jobs),
        "warnings": read.as_ref().map(|r| r.warnings.iter().map(|w| strip_unsafe(w).into_owned()).collect::<Vec<_>>()),
    })
}

/// How long a fetch waited for its host's limits, and what they were.
fn host_wait(w: &HostWait) -> Value {
    json!({
        "host": w.host,
        "waited_ms": u64::try_from(w.waited.as_millis()).unwrap_or(u64::MAX),
        "per_host_concurrency": w.concurrency,
        "per_host_interval_ms": u64::try_from(w.interval.as_millis()).unwrap_or(u64::MAX),
    })
}
