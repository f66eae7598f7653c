//! `jobhound notify test NAME`: sends a clearly labelled test message through
//! a notifier, to check its URL, secret or SMTP login; a digest notifier gets
//! a digest-shaped one. Nothing is recorded.

use chrono::Utc;
use clap::Subcommand;

use super::{CliError, Exit};
use crate::config::Config;
use crate::http::Http;
use crate::notify::{compose, send};

/// `jobhound notify` sub-commands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Send a test message through the named notifier.
    Test {
        /// The notifier's name.
        name: String,
    },
}

/// Runs the sub-command.
pub fn run(config: &Config, action: &Action) -> Result<Exit, CliError> {
    let Action::Test { name } = action;
    let Some(n) = config.notifier(name) else {
        let names: Vec<&str> = config.notifiers.iter().map(|n| n.name.as_str()).collect();
        return Err(CliError::new(
            Exit::NotFound,
            anyhow::anyhow!(
                "no notifier named `{name}` (notifiers: {})",
                names.join(", ")
            ),
        ));
    };
    if !n.enabled {
        return Err(CliError::new(
            Exit::Usage,
            anyhow::anyhow!(
                "notifier `{name}` is disabled: set `enabled = true` (and its variables) first"
            ),
        ));
    }
    let http = Http::new(&config.http).map_err(anyhow::Error::new)?;
    let now = Utc::now();
    let batch = compose::test_batch(n, now);
    super::runtime()?
        .block_on(send(&http, n, &batch, now, config.http.timeout))
        .map_err(|e| anyhow::anyhow!("test message through `{name}` failed: {e}"))?;
    outln!("test message sent through `{name}` ({})", n.kind.name())?;
    Ok(Exit::Ok)
}
