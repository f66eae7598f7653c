//! `jobhound notifications`: the outbox as the user sees it (pending, sent
//! and failed deliveries with their reasons, counts, filters by status and
//! notifier), and `jobhound notifications retry` to queue failed ones again.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};

use super::search::open;
use super::{CliError, Exit};
use crate::config::{Config, Mode};
use crate::normalize::strip_unsafe;
use crate::store::{DeliveryStatus, Store};

/// `jobhound notifications` arguments.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct NotificationsArgs {
    /// `retry`: queue failed deliveries again.
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Only deliveries in this state.
    #[arg(long, value_enum)]
    pub status: Option<Status>,
    /// Only deliveries through this notifier.
    #[arg(long, value_name = "NAME")]
    pub notifier: Option<String>,
    /// At most this many deliveries, newest first.
    #[arg(long, default_value_t = 50, value_parser = super::limit)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// `jobhound notifications` sub-commands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Put failed deliveries back in the queue (sent by the daemon or the next `fetch`).
    Retry {
        /// Only those of this notifier.
        #[arg(long, value_name = "NAME")]
        notifier: Option<String>,
    },
}

/// A delivery state, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    /// Not confirmed yet.
    Pending,
    /// Confirmed by the receiver.
    Sent,
    /// Given up (see the reason).
    Failed,
}

/// Output formats of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns, with each failure's reason.
    Table,
    /// One JSON array.
    Json,
}

/// Lists deliveries or runs `retry`.
pub fn run(config: &Config, args: &NotificationsArgs) -> Result<Exit, CliError> {
    match &args.action {
        Some(Action::Retry { notifier }) => retry(config, notifier.as_deref()),
        None => list(config, args),
    }
}

fn known(config: &Config, name: Option<&str>) -> Result<(), CliError> {
    match name {
        Some(n) if config.notifier(n).is_none() => {
            let names: Vec<&str> = config.notifiers.iter().map(|n| n.name.as_str()).collect();
            Err(CliError::new(
                Exit::NotFound,
                anyhow::anyhow!("no notifier named `{n}` (notifiers: {})", names.join(", ")),
            ))
        }
        _ => Ok(()),
    }
}

fn list(config: &Config, args: &NotificationsArgs) -> Result<Exit, CliError> {
    known(config, args.notifier.as_deref())?;
    let store = open(config)?;
    let status = args.status.map(|s| match s {
        Status::Pending => DeliveryStatus::Pending,
        Status::Sent => DeliveryStatus::Sent,
        Status::Failed => DeliveryStatus::Failed,
    });
    let notifier = args.notifier.as_deref();
    let counts = store.outbox_counts(notifier)?;
    let rows = store.deliveries(status, notifier, args.limit)?;
    if args.format == ListFormat::Json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(d, title)| {
                let mut v = serde_json::to_value(d).unwrap_or_default();
                v["title"] = serde_json::Value::String(title.clone());
                v
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&items).context("cannot write JSON")?
        )?;
        return Ok(Exit::Ok);
    }
    outln!(
        "{} pending, {} sent, {} failed{}",
        counts.pending,
        counts.sent,
        counts.failed,
        notifier
            .map(|n| format!(" (notifier {n})"))
            .unwrap_or_default()
    )?;
    if rows.is_empty() {
        return Ok(Exit::Ok);
    }
    outln!(
        "\n{:>6}  {:8}  {:14}  {:14}  {:>5}  {:26}  JOB",
        "ID",
        "STATUS",
        "NOTIFIER",
        "ALERT",
        "TRIES",
        "WHEN"
    )?;
    for (d, title) in &rows {
        let digest = config
            .notifier(&d.notifier)
            .is_some_and(|n| matches!(n.mode, Mode::Digest(_)));
        let when = match d.status {
            DeliveryStatus::Pending if d.message_id.is_none() && digest => {
                "in the next digest".into()
            }
            DeliveryStatus::Pending if d.message_id.is_none() => "on the next pass".into(),
            DeliveryStatus::Pending => format!("next {}", short(d.next_attempt_at)),
            DeliveryStatus::Sent => format!("sent {}", d.sent_at.map(short).unwrap_or_default()),
            DeliveryStatus::Failed => format!("since {}", short(d.created_at)),
        };
        outln!(
            "{:>6}  {:8}  {:14}  {:14}  {:>5}  {:26}  {}",
            d.id,
            d.status.as_str(),
            cut(&d.notifier, 14),
            cut(&d.alert, 14),
            d.attempts,
            when,
            title
        )?;
        if d.status != DeliveryStatus::Sent
            && let Some(e) = &d.last_error
        {
            // A receiver's answer may be quoted in it.
            let e = strip_unsafe(e);
            outln!(
                "{:>8}{}: {e}",
                "",
                if d.status == DeliveryStatus::Failed {
                    "reason"
                } else {
                    "last error"
                }
            )?;
        }
    }
    if counts.failed > 0 && status != Some(DeliveryStatus::Sent) {
        outln!("\nqueue failed ones again with `jobhound notifications retry`")?;
    }
    Ok(Exit::Ok)
}

fn retry(config: &Config, notifier: Option<&str>) -> Result<Exit, CliError> {
    known(config, notifier)?;
    let path = &config.database.path;
    let mut store = Store::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = store.retry_failed(notifier, Utc::now())?;
    outln!(
        "{n} failed deliver{} queued again; the daemon (or the next `jobhound fetch`) sends {}",
        if n == 1 { "y" } else { "ies" },
        if n == 1 { "it" } else { "them" }
    )?;
    Ok(Exit::Ok)
}

fn short(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

fn cut(s: &str, n: usize) -> String {
    crate::notify::render::truncate(s, n)
}
