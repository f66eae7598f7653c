//! `jobhound sources`: per source, its kind, schedule, last fetch and outcome
//! (a permanent failure, 401, 403, 404 or 410, is flagged as such), postings
//! stored and when it is next due; and, when its last fetch waited for its
//! host's per-host limits, how long and what the limits were.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};

use super::search::open;
use super::{CliError, Exit};
use crate::config::{Config, SourceKind};
use crate::normalize::strip_unsafe;
use crate::scheduler::{is_permanent, next_due};
use crate::search::sources::{self as report, Snapshot};
use crate::sources::MailState;
use crate::store::SourceState;

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
    let snap = Snapshot::read(&store)?;
    let now = Utc::now();
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
    if args.format == SourcesFormat::Json {
        let items: Vec<serde_json::Value> = config
            .sources
            .iter()
            .map(|s| report::entry(config, s, &snap, now))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).context("cannot write JSON")?
        );
        return Ok(Exit::Ok);
    }
    for s in &config.sources {
        let state = snap.state(s.name.as_str());
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
        outln!("  postings:  {}", snap.postings(s.name.as_str()))?;
        if let Some(w) = snap.wait(s.name.as_str()) {
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
    for name in snap.gone(config) {
        outln!(
            "{name}  (no longer in the config; {} postings kept)",
            snap.postings(name)
        )?;
    }
    Ok(Exit::Ok)
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

/// A host's limits as the config writes them: `2 at a time, 1s apart`.
pub(crate) fn limits(concurrency: usize, interval: std::time::Duration) -> String {
    let apart = if interval.subsec_millis() == 0 {
        short(interval)
    } else {
        format!("{}ms", interval.as_millis())
    };
    format!("{concurrency} at a time, {apart} apart")
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
