//! `jobhound check-config`: validate and summarize, or list every problem.

use std::path::Path;

use super::{CliError, Exit};
use crate::config::{Config, locate};

/// Validates the config; prints a summary, or every problem (exit code 3).
pub fn run(explicit: Option<&Path>) -> Result<Exit, CliError> {
    let path = locate(explicit)?;
    let config = Config::load(&path)?;
    let enabled = config.sources.iter().filter(|s| s.enabled).count();
    outln!(
        "{}: ok ({} sources, {} enabled; {} alerts; {} notifiers; database {})",
        path.display(),
        config.sources.len(),
        enabled,
        config.alerts.len(),
        config.notifiers.len(),
        config.database.path.display()
    )?;
    for w in config.idle_warnings() {
        note!("warning: {w}");
    }
    Ok(Exit::Ok)
}
