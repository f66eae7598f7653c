//! `jobhound fetch [--source NAME]...`: one pass now over all enabled (or the
//! named) sources, concurrently, then deliver what matched. A failing source is
//! reported and never stops the others.

use std::sync::{Arc, Mutex};

use anyhow::Context;
use futures::StreamExt;

use super::{CliError, Exit};
use crate::config::{self, Config};
use crate::http::Http;
use crate::normalize::strip_unsafe;
use crate::notify::Deliverer;
use crate::pipeline::{Outcome, Pipeline, Report};
use crate::store::Store;

/// Runs the pass and prints a line per source, then the deliveries.
pub fn run(config: &Config, names: &[String]) -> Result<Exit, CliError> {
    let selected = select(config, names)?;
    let store = Store::open(&config.database.path).with_context(|| {
        format!(
            "cannot open the database {}",
            config.database.path.display()
        )
    })?;
    let store = Arc::new(Mutex::new(store));
    let http = Http::new(&config.http).map_err(anyhow::Error::new)?;
    let pipeline = Pipeline::new(config, http.clone(), store.clone())?;
    let deliverer = Deliverer::new(config, http, store);
    let (mut reports, delivered) = super::runtime()?.block_on(async {
        // Every pass is queued at once: each waits for its host's turn, then
        // for one of the `concurrency` slots, so a busy host queues only its
        // own sources (see `Pipeline::run_queued`). Waiting costs no thread.
        let slots = tokio::sync::Semaphore::new(config.http.concurrency);
        let reports: Vec<(usize, Report)> = futures::stream::iter(selected.iter().enumerate())
            .map(|(i, s)| {
                let (pipeline, slots) = (&pipeline, &slots);
                async move { (i, pipeline.run_queued(s, slots).await) }
            })
            .buffer_unordered(selected.len().max(1))
            .collect()
            .await;
        (reports, deliverer.deliver_due(chrono::Utc::now()).await)
    });
    pipeline.close();
    reports.sort_by_key(|(i, _)| *i);
    let reports: Vec<Report> = reports.into_iter().map(|(_, r)| r).collect();
    let width = reports
        .iter()
        .map(|r| r.source.as_str().len())
        .max()
        .unwrap_or(0);
    let mut failed = 0;
    for r in &reports {
        let secs = timing(r);
        match &r.outcome {
            Outcome::Stored {
                new,
                updated,
                unchanged,
                matched,
                notified,
            } => outln!(
                "{:width$}  ok            {new} new, {updated} updated, {unchanged} unchanged, {matched} matched{}  ({secs})",
                r.source,
                if *matched > 0 && !notified {
                    " (first fetch: recorded, not notified)"
                } else {
                    ""
                },
            )?,
            Outcome::NotModified => outln!("{:width$}  not modified  ({secs})", r.source)?,
            Outcome::Failed { error, .. } => {
                failed += 1;
                // Error text may quote what a server sent.
                let error = strip_unsafe(&error.to_string()).into_owned();
                outln!("{:width$}  FAILED        {error}  ({secs})", r.source)?;
            }
        }
    }
    let d = delivered?;
    if d.sent + d.retrying + d.failed > 0 {
        outln!(
            "deliveries: {} sent, {} to retry, {} failed",
            d.sent,
            d.retrying,
            d.failed
        )?;
    }
    Ok(if failed > 0 {
        Exit::SourcesFailed
    } else {
        Exit::Ok
    })
}

/// `1.23s`, and when the pass waited for its host's limits, how long and which:
/// `5.20s, 4.80s of it waiting for example.com: 2 at a time, 1s apart`; and the
/// pages robots.txt kept it from.
fn timing(r: &Report) -> String {
    let mut out = format!("{:.2}s", r.elapsed.as_secs_f64());
    if let Some(h) = r.host.as_ref().filter(|_| r.waited >= WAIT_SHOWN) {
        out.push_str(&format!(
            ", {:.2}s of it waiting for {}: {}",
            r.waited.as_secs_f64(),
            h.host,
            super::sources::limits(h.concurrency, h.interval)
        ));
    }
    if r.robots_skipped > 0 {
        out.push_str(&format!(
            "; {} page{} skipped: robots.txt disallows {}",
            r.robots_skipped,
            if r.robots_skipped == 1 { "" } else { "s" },
            if r.robots_skipped == 1 { "it" } else { "them" }
        ));
    }
    out
}

/// Waits shorter than this are not worth a word.
const WAIT_SHOWN: std::time::Duration = std::time::Duration::from_millis(10);

/// The named sources (even disabled ones: naming one asks for it), or every enabled one.
fn select<'a>(config: &'a Config, names: &[String]) -> Result<Vec<&'a config::Source>, CliError> {
    if names.is_empty() {
        return Ok(config.sources.iter().filter(|s| s.enabled).collect());
    }
    let mut out = Vec::new();
    for n in names {
        match config.source(n) {
            Some(s) => out.push(s),
            None => {
                let known: Vec<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
                return Err(CliError::new(
                    Exit::Usage,
                    anyhow::anyhow!("no source named `{n}` (sources: {})", known.join(", ")),
                ));
            }
        }
    }
    Ok(out)
}
