//! `jobhound digest --notifier NAME --preview [--html FILE]`: what the
//! notifier's next digest would contain, as its plain text (and HTML), without
//! sending or changing anything. `--send` sends that digest now instead; the
//! next scheduled digest then carries only what matches after it.

use std::path::PathBuf;

use anyhow::Context;
use chrono::Utc;
use clap::Args;

use super::search::open;
use super::{CliError, Exit};
use std::sync::{Arc, Mutex};

use crate::config::{Config, Mode, Notifier};
use crate::http::Http;
use crate::notify::{Deliverer, compose, email, render};
use crate::store::Store;

/// `jobhound digest` arguments.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The notifier whose next digest to show.
    #[arg(long, value_name = "NAME")]
    pub notifier: String,
    /// Show what would be sent, sending nothing.
    #[arg(long, required_unless_present = "send", conflicts_with = "send")]
    pub preview: bool,
    /// Send the digest now (what --preview shows); the next scheduled one does not repeat it.
    #[arg(long)]
    pub send: bool,
    /// Also write the email HTML version to this file (with --preview).
    #[arg(long, value_name = "FILE", conflicts_with = "send")]
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
    if args.send {
        return send(config, n);
    }
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

/// Sends `n`'s digest now.
fn send(config: &Config, n: &Notifier) -> Result<Exit, CliError> {
    let usage = |msg: String| Err(CliError::new(Exit::Usage, anyhow::anyhow!(msg)));
    if !matches!(n.mode, Mode::Digest(_)) {
        return usage(format!(
            "`{}` is immediate, not a digest: its matches go out as they come",
            n.name
        ));
    }
    if !n.enabled {
        return usage(format!(
            "notifier `{}` is disabled: set `enabled = true` (and its variables) first",
            n.name
        ));
    }
    let store = Store::open(&config.database.path).with_context(|| {
        format!(
            "cannot open the database {}",
            config.database.path.display()
        )
    })?;
    let http = Http::new(&config.http).map_err(anyhow::Error::new)?;
    let deliverer = Deliverer::new(config, http, Arc::new(Mutex::new(store)));
    let sent = super::runtime()?.block_on(deliverer.send_digest_now(&n.name, Utc::now()))?;
    let Some((made, report)) = sent else {
        return usage(format!("`{}` is not an enabled digest notifier", n.name));
    };
    if made == 0 {
        outln!("nothing new: no digest sent through `{}`", n.name)?;
        return Ok(Exit::Ok);
    }
    if report.retrying + report.failed > 0 {
        return Err(CliError::new(
            Exit::Failure,
            anyhow::anyhow!(
                "the digest through `{}` could not be sent ({} matches to retry, {} failed): \
                 `jobhound notifications` shows why; the daemon retries it",
                n.name,
                report.retrying,
                report.failed
            ),
        ));
    }
    outln!(
        "digest sent through `{}`: {} match{}",
        n.name,
        report.sent,
        if report.sent == 1 { "" } else { "es" }
    )?;
    Ok(Exit::Ok)
}
