//! `jobhound alerts`: list the alerts with their match counts, or dry-run one
//! (`alerts test NAME` / `alerts test --query Q`) against what is stored,
//! through the same search path, without notifying anyone.

use std::collections::HashMap;

use anyhow::Context;
use chrono::Utc;
use clap::{Subcommand, ValueEnum};

use super::color::Colors;
use super::output::{self, Format};
use super::search::{open, request};
use super::{CliError, Exit};
use crate::config::Config;
use crate::search::{count, search};

/// `jobhound alerts` sub-commands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Show what an alert (or an ad-hoc query) matches among stored postings; sends nothing.
    Test {
        /// The alert's name.
        #[arg(required_unless_present = "query", conflicts_with = "query")]
        name: Option<String>,
        /// A query to try instead of a saved alert.
        #[arg(long, short)]
        query: Option<String>,
        /// Only postings from the last N days/hours/weeks (e.g. 7d).
        #[arg(long, value_name = "AGE")]
        since: Option<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 20, value_parser = super::limit)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Output formats of the alert list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One block per alert.
    Text,
    /// One JSON array, one object per alert.
    Json,
}

/// Lists alerts or runs `test`.
pub fn run(
    config: &Config,
    action: Option<Action>,
    format: ListFormat,
    color: Colors,
) -> Result<Exit, CliError> {
    match action {
        None => list(config, format),
        Some(Action::Test {
            name,
            query,
            since,
            limit,
            format,
        }) => {
            let q = match (&name, &query) {
                (Some(n), _) => match config.alerts.iter().find(|a| &a.name == n) {
                    Some(a) => a.query.as_str().to_string(),
                    None => {
                        let known: Vec<&str> =
                            config.alerts.iter().map(|a| a.name.as_str()).collect();
                        return Err(CliError::new(
                            Exit::NotFound,
                            anyhow::anyhow!("no alert named `{n}` (alerts: {})", known.join(", ")),
                        ));
                    }
                },
                (None, Some(q)) => q.clone(),
                (None, None) => {
                    return Err(CliError::new(
                        Exit::Usage,
                        anyhow::anyhow!("name an alert or give --query"),
                    ));
                }
            };
            let req = request(Some(&q), since.as_deref(), &[], limit)?;
            let store = open(config)?;
            let now = Utc::now();
            let results = search(&store, &req, now)?;
            let total = if results.len() >= limit {
                count(&store, &req, now)?
            } else {
                results.len()
            };
            let shown = if total > results.len() {
                format!("{} of {total}", results.len())
            } else {
                total.to_string()
            };
            note!(
                "{shown} posting{} match `{q}`{} (dry run: nothing is sent)",
                if total == 1 { "" } else { "s" },
                if total > results.len() {
                    " (use --limit to see more)"
                } else {
                    ""
                }
            );
            output::postings(&results, format, color, &mut std::io::stdout().lock())
                .context("cannot write output")?;
            Ok(Exit::Ok)
        }
    }
}

/// The configured alerts with the matches recorded for each. JSON keys:
/// `name`, `query`, `enabled`, `notifiers`, `matches` (recorded), `notified`.
fn list(config: &Config, format: ListFormat) -> Result<Exit, CliError> {
    let counts: HashMap<String, (u64, u64)> = match open(config) {
        Ok(store) => store
            .match_counts()?
            .into_iter()
            .map(|(a, t, n)| (a, (t, n)))
            .collect(),
        Err(_) => HashMap::new(),
    };
    if format == ListFormat::Json {
        let items: Vec<serde_json::Value> = config
            .alerts
            .iter()
            .map(|a| {
                let (total, notified) = counts.get(&a.name).copied().unwrap_or((0, 0));
                serde_json::json!({
                    "name": a.name,
                    "query": a.query.as_str(),
                    "enabled": a.enabled,
                    "notifiers": a.notifiers,
                    "matches": total,
                    "notified": notified,
                })
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&items).context("cannot write JSON")?
        )?;
        return Ok(Exit::Ok);
    }
    if config.alerts.is_empty() {
        outln!("no alerts configured")?;
    }
    for a in &config.alerts {
        let (total, notified) = counts.get(&a.name).copied().unwrap_or((0, 0));
        outln!("{}{}", a.name, if a.enabled { "" } else { "  (disabled)" })?;
        outln!("  query:      {}", a.query.as_str())?;
        outln!(
            "  notifiers:  {}",
            if a.notifiers.is_empty() {
                "-".into()
            } else {
                a.notifiers.join(", ")
            }
        )?;
        // Recorded matches: what the alert caught as postings arrived (`alerts
        // test` instead runs the query over everything stored now).
        outln!("  matches:    {total} recorded ({notified} notified)")?;
    }
    Ok(Exit::Ok)
}
