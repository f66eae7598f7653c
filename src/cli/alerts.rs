//! `jobhound alerts`: list the alerts with their match counts, or dry-run one
//! (`alerts test NAME` / `alerts test --query Q`) against what is stored,
//! through the same search path, without notifying anyone.

use std::collections::HashMap;

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;

use super::output::{self, Format};
use super::search::{open, request};
use super::{CliError, Exit};
use crate::config::Config;
use crate::search::search;

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

/// Lists alerts or runs `test`.
pub fn run(config: &Config, action: Option<Action>) -> Result<Exit, CliError> {
    match action {
        None => list(config),
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
            let req = request(Some(&q), since.as_deref(), None, limit)?;
            let store = open(config)?;
            let results = search(&store, &req, Utc::now())?;
            note!(
                "{} posting{} match `{q}` (dry run: nothing is sent)",
                results.len(),
                if results.len() == 1 { "" } else { "s" }
            );
            output::postings(&results, format, &mut std::io::stdout().lock())
                .context("cannot write output")?;
            Ok(Exit::Ok)
        }
    }
}

fn list(config: &Config) -> Result<Exit, CliError> {
    let counts: HashMap<String, (u64, u64)> = match open(config) {
        Ok(store) => store
            .match_counts()?
            .into_iter()
            .map(|(a, t, n)| (a, (t, n)))
            .collect(),
        Err(_) => HashMap::new(),
    };
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
        outln!("  matches:    {total} ({notified} notified)")?;
    }
    Ok(Exit::Ok)
}
