//! `jobhound digest --notifier NAME --preview [--html FILE]`: what the
//! notifier's next digest would contain, as its plain text (and HTML), without
//! sending or changing anything.

use std::path::PathBuf;

use anyhow::Context;
use chrono::Utc;
use clap::Args;

use super::search::open;
use super::{CliError, Exit};
use crate::config::{Config, Mode};
use crate::notify::{compose, email, render};

/// `jobhound digest` arguments.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The notifier whose next digest to show.
    #[arg(long, value_name = "NAME")]
    pub notifier: String,
    /// Show what would be sent, sending nothing (the only mode, for now: say it explicitly).
    #[arg(long, required = true)]
    pub preview: bool,
    /// Also write the email HTML version to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Prints the preview.
pub fn run(config: &Config, args: &DigestArgs) -> Result<Exit, CliError> {
    let Some(n) = config.notifier(&args.notifier) else {
        let names: Vec<&str> = config.notifiers.iter().map(|n| n.name.as_str()).collect();
        return Err(CliError::new(
            Exit::NotFound,
            anyhow::anyhow!(
                "no notifier named `{}` (notifiers: {})",
                args.notifier,
                names.join(", ")
            ),
        ));
    };
    let store = open(config)?;
    let batch = compose::preview(&store, n, render::View::new(config, n), Utc::now())?;
    out!("{}", batch.text())?;
    if let Some(path) = &args.html {
        std::fs::write(path, email::html(&batch))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let note = match (&n.mode, batch.items.is_empty()) {
        (Mode::Immediate, _) => format!("`{}` is immediate: these go out on the next pass", n.name),
        (Mode::Digest(d), true) if !d.send_empty => {
            "nothing new: no digest will be sent unless something matches".to_string()
        }
        (Mode::Digest(_), _) => "the digest goes out at the time shown".to_string(),
    };
    note!("(preview: nothing was sent; {note})");
    Ok(Exit::Ok)
}
