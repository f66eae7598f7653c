//! `jobhound sources`: per source, its kind, schedule, last fetch and outcome
//! (a permanent failure, 401, 403, 404 or 410, is flagged as such), postings
//! stored and when it is next due.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::search::open;
use super::{CliError, Exit};
use crate::config::Config;
use crate::scheduler::{is_permanent, next_due};

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
        println!(
            "{}  ({}{})",
            s.name,
            s.kind.name(),
            if s.enabled { "" } else { ", disabled" }
        );
        println!("  schedule:  {}", s.schedule);
        match state {
            None => println!("  last:      never fetched"),
            Some(st) => {
                let when = st.last_attempt_at.map(ago).unwrap_or_default();
                let status = st.last_status.as_deref().unwrap_or("?");
                println!("  last:      {status} {when}");
                if status == "ok" {
                    println!(
                        "             {} new, {} updated, {} unchanged",
                        st.last_new, st.last_updated, st.last_unchanged
                    );
                }
                if let Some(e) = &st.last_error {
                    println!(
                        "  error:     {e} ({} failure{} in a row)",
                        st.fail_count,
                        if st.fail_count == 1 { "" } else { "s" }
                    );
                    if let Some(status) =
                        st.failed_status.filter(|_| is_permanent(st.failed_status))
                    {
                        println!(
                            "  permanent: HTTP {status}: retried only every {} (retry_max); check the source's URL",
                            short(config.scheduler.retry_max)
                        );
                    }
                }
            }
        }
        println!(
            "  postings:  {}",
            counts.get(s.name.as_str()).copied().unwrap_or(0)
        );
        if s.enabled {
            let due = next_due(&s.schedule, state, now, std::time::Duration::ZERO, retry);
            let label = if due <= now {
                "now (when the daemon runs)".to_string()
            } else {
                format!("{} (before jitter)", due.to_rfc3339())
            };
            println!("  next due:  {label}");
        }
    }
    for name in states.keys().filter(|n| config.source(n).is_none()) {
        println!(
            "{name}  (no longer in the config; {} postings kept)",
            counts.get(name).copied().unwrap_or(0)
        );
    }
    Ok(Exit::Ok)
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
