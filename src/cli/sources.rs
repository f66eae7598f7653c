//! `jobhound sources`: per source, its kind, schedule, last fetch and outcome,
//! postings stored and when it is next due.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::search::open;
use super::{CliError, Exit};
use crate::config::Config;
use crate::normalize::strip_unsafe;
use crate::scheduler::next_due;

/// Prints one block per configured source.
pub fn run(config: &Config) -> Result<Exit, CliError> {
    let store = open(config)?;
    let states: HashMap<String, _> = store
        .source_states()?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let counts: HashMap<String, u64> = store.count_by_source()?.into_iter().collect();
    let now = Utc::now();
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
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
                }
            }
        }
        outln!(
            "  postings:  {}",
            counts.get(s.name.as_str()).copied().unwrap_or(0)
        )?;
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
