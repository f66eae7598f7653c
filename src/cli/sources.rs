//! `jobhound sources`: per source, its kind, schedule, last fetch and outcome
//! (a permanent failure, 401, 403, 404 or 410, is flagged as such), postings
//! stored and when it is next due; and, when its last fetch waited for its
//! host's per-host limits, how long and what the limits were.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::search::open;
use super::{CliError, Exit};
use crate::config::{Config, SourceKind};
use crate::normalize::strip_unsafe;
use crate::scheduler::{is_permanent, next_due};
use crate::sources::MailState;
use crate::store::{HostWait, SourceState};

/// `jobhound sources` options.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SourcesFormat::Text)]
    pub format: SourcesFormat,
}

/// Output formats of `jobhound sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourcesFormat {
    /// One block per source.
    Text,
    /// One JSON array, one object per source.
    Json,
}

/// Prints one block (or JSON object) per configured source.
pub fn run(config: &Config, args: &SourcesArgs) -> Result<Exit, CliError> {
    let store = open(config)?;
    let states: HashMap<String, _> = store
        .source_states()?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let counts: HashMap<String, u64> = store.count_by_source()?.into_iter().collect();
    let waits: HashMap<String, HostWait> = store
        .host_waits()?
        .into_iter()
        .filter(|(_, w)| w.waited >= WAIT_SHOWN)
        .collect();
    let now = Utc::now();
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
    if args.format == SourcesFormat::Json {
        let items: Vec<serde_json::Value> = config
            .sources
            .iter()
            .map(|s| {
                let state = states.get(s.name.as_str());
                let due = s
                    .enabled
                    .then(|| next_due(&s.schedule, state, now, std::time::Duration::ZERO, retry));
                json!({
                    "name": s.name.as_str(),
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
                    "postings": counts.get(s.name.as_str()).copied().unwrap_or(0),
                    "next_due": due.map(|t| t.max(now).to_rfc3339()),
                    "mailbox": mailbox_json(&s.kind, state),
                    "host_wait": waits.get(s.name.as_str()).map(|w| json!({
                        "host": w.host,
                        "waited_ms": u64::try_from(w.waited.as_millis()).unwrap_or(u64::MAX),
                        "per_host_concurrency": w.concurrency,
                        "per_host_interval_ms": u64::try_from(w.interval.as_millis()).unwrap_or(u64::MAX),
                    })),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).context("cannot write JSON")?
        );
        return Ok(Exit::Ok);
    }
    for s in &config.sources {
        let state = states.get(s.name.as_str());
        outln!(
            "{}  ({}{})",
            s.name,
            s.kind.name(),
            if s.enabled { "" } else { ", disabled" }
        )?;
        outln!("  schedule:  {}", s.schedule)?;
        match state {
            None => outln!("  last:      never fetched")?,
            Some(st) => {
                let when = st.last_attempt_at.map(ago).unwrap_or_default();
                let status = st.last_status.as_deref().unwrap_or("?");
                outln!("  last:      {status} {when}")?;
                if status == "ok" {
                    outln!(
                        "             {} new, {} updated, {} unchanged",
                        st.last_new,
                        st.last_updated,
                        st.last_unchanged
                    )?;
                }
                if let Some(e) = &st.last_error {
                    // Error text may quote what a server sent.
                    let e = strip_unsafe(e);
                    outln!(
                        "  error:     {e} ({} failure{} in a row)",
                        st.fail_count,
                        if st.fail_count == 1 { "" } else { "s" }
                    )?;
                    if let Some(status) =
                        st.failed_status.filter(|_| is_permanent(st.failed_status))
                    {
                        let retry_max = short(config.scheduler.retry_max);
                        match (&s.kind, status) {
                            (SourceKind::Imap(_), 401) => outln!(
                                "  permanent: login refused: retried only every {retry_max} (retry_max); check username and password"
                            )?,
                            (SourceKind::Imap(_), _) => outln!(
                                "  permanent: mailbox missing: retried only every {retry_max} (retry_max); check `mailbox`"
                            )?,
                            _ => outln!(
                                "  permanent: HTTP {status}: retried only every {retry_max} (retry_max); check the source's URL"
                            )?,
                        }
                    }
                }
            }
        }
        mailbox_text(&s.kind, state)?;
        outln!(
            "  postings:  {}",
            counts.get(s.name.as_str()).copied().unwrap_or(0)
        )?;
        if let Some(w) = waits.get(s.name.as_str()) {
            outln!(
                "  waited:    {:.2}s in its last fetch for the limits of {} ({})",
                w.waited.as_secs_f64(),
                w.host,
                limits(w.concurrency as usize, w.interval)
            )?;
        }
        if s.enabled {
            let due = next_due(&s.schedule, state, now, std::time::Duration::ZERO, retry);
            let label = if due <= now {
                "now (when the daemon runs)".to_string()
            } else {
                format!("{} (before jitter)", due.to_rfc3339())
            };
            outln!("  next due:  {label}")?;
        }
    }
    for name in states.keys().filter(|n| config.source(n).is_none()) {
        outln!(
            "{name}  (no longer in the config; {} postings kept)",
            counts.get(name).copied().unwrap_or(0)
        )?;
    }
    Ok(Exit::Ok)
}

/// The health of an `imap` source's mailbox, from the state of its last read.
fn mailbox_json(kind: &SourceKind, state: Option<&SourceState>) -> serde_json::Value {
    let SourceKind::Imap(m) = kind else {
        return serde_json::Value::Null;
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

/// The mailbox lines of an `imap` source: where, the last email read, the
/// counts and warnings of the last read.
fn mailbox_text(kind: &SourceKind, state: Option<&SourceState>) -> Result<(), CliError> {
    let SourceKind::Imap(m) = kind else {
        return Ok(());
    };
    outln!("  mailbox:   {} at {}", m.mailbox, m.server)?;
    let Some(read) = state.and_then(|st| MailState::from_validators(&st.validators, None)) else {
        return Ok(());
    };
    if let Some(l) = &read.last_email {
        outln!(
            "  last email read: {} from {}: {}",
            l.date.as_deref().unwrap_or("(no date)"),
            l.from,
            strip_unsafe(&l.subject)
        )?;
    }
    outln!(
        "  emails:    {} read: {} alerts ({} jobs), {} skipped (not job alerts)",
        read.read,
        read.alerts,
        read.jobs,
        read.skipped
    )?;
    for w in &read.warnings {
        outln!("  warning:   {}", strip_unsafe(w))?;
    }
    Ok(())
}

/// Waits shorter than this are not worth a line.
const WAIT_SHOWN: std::time::Duration = std::time::Duration::from_millis(10);

/// A host's limits as the config writes them: `2 at a time, 1s apart`.
pub(crate) fn limits(concurrency: usize, interval: std::time::Duration) -> String {
    let apart = if interval.subsec_millis() == 0 {
        short(interval)
    } else {
        format!("{}ms", interval.as_millis())
    };
    format!("{concurrency} at a time, {apart} apart")
}

/// Whether the last failure was a permanent answer (401, 403, 404, 410).
fn permanent(st: &SourceState) -> bool {
    st.fail_count > 0 && is_permanent(st.failed_status)
}

/// `6h`, `90m`, `45s`: a duration as it would be written in the config.
fn short(d: std::time::Duration) -> String {
    match d.as_secs() {
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn ago(t: DateTime<Utc>) -> String {
    let secs = (Utc::now() - t).num_seconds().max(0);
    let rel = match secs {
        s if s < 120 => format!("{s}s ago"),
        s if s < 7200 => format!("{}m ago", s / 60),
        s if s < 172_800 => format!("{}h ago", s / 3600),
        s => format!("{}d ago", s / 86_400),
    };
    format!("{} ({rel})", t.to_rfc3339())
}
