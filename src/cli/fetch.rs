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
        // Unordered, so one slow source does not hold back the others' slots.
        let reports: Vec<(usize, Report)> = futures::stream::iter(selected.iter().enumerate())
            .map(|(i, s)| {
                let pipeline = &pipeline;
                async move { (i, pipeline.run(s).await) }
            })
            .buffer_unordered(config.http.concurrency)
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
        let secs = r.elapsed.as_secs_f64();
        match &r.outcome {
            Outcome::Stored {
                new,
                updated,
                unchanged,
                matched,
                notified,
            } => outln!(
                "{:width$}  ok            {new} new, {updated} updated, {unchanged} unchanged, {matched} matched{}  ({secs:.2}s)",
                r.source,
                if *matched > 0 && !notified {
                    " (first fetch: recorded, not notified)"
                } else {
                    ""
                },
            )?,
            Outcome::NotModified => outln!("{:width$}  not modified  ({secs:.2}s)", r.source)?,
            Outcome::Failed { error, .. } => {
                failed += 1;
                // Error text may quote what a server sent.
                let error = strip_unsafe(&error.to_string()).into_owned();
                outln!("{:width$}  FAILED        {error}  ({secs:.2}s)", r.source)?;
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
