//! `jobhound fetch [--source NAME]...`: one pass now over all enabled (or the
//! named) sources, concurrently, then deliver what matched. A failing source is
//! reported and never stops the others. Each source's line is printed as it
//! finishes (under a progress bar on a terminal); Ctrl-C stops the pass,
//! prints what was done and exits 130.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::color::Colors;
use super::{CliError, Exit};
use crate::config::{self, Config};
use crate::http::Http;
use crate::normalize::strip_unsafe;
use crate::notify::Deliverer;
use crate::pipeline::{Outcome, Pipeline, Report};
use crate::search::sources::WAIT_SHOWN;
use crate::store::Store;

/// Runs the pass and prints a line per source as it finishes, then the deliveries.
pub fn run(config: &Config, names: &[String], color: Colors) -> Result<Exit, CliError> {
    let selected = select(config, names)?;
    let store = Store::open(&config.database.path).with_context(|| {
        format!(
            "cannot open the database {}",
            config.database.path.display()
        )
    })?;
    let store = Arc::new(Mutex::new(store));
    let http = Http::new(&config.http).map_err(anyhow::Error::new)?;
    let rt = super::runtime()?;
    let pipeline = Pipeline::new(config, http.clone(), store.clone(), rt.handle().clone())?;
    let deliverer = Deliverer::new(config, http, store);
    let width = selected
        .iter()
        .map(|s| s.name.as_str().len())
        .max()
        .unwrap_or(0);
    // Progress only where a person watches: both streams on a terminal.
    let watched = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    let mut progress = Progress::new(selected.len(), watched);
    let mut tally = Tally::default();
    let ended = rt.block_on(async {
        // Registered before the first request, so Ctrl-C from here on is ours.
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let running = Mutex::new(Vec::<String>::new());
        // Every pass is queued at once: each waits for its host's turn, then
        // for one of the `concurrency` slots, so a busy host queues only its
        // own sources (see `Pipeline::run_queued`). Waiting costs no thread.
        let slots = tokio::sync::Semaphore::new(config.http.concurrency);
        let mut passes = futures::stream::iter(selected.iter())
            .map(|s| {
                let (pipeline, running, slots) = (&pipeline, &running, &slots);
                async move {
                    lock(running).push(s.name.to_string());
                    let report = pipeline.run_queued(s, slots).await;
                    lock(running).retain(|n| n != s.name.as_str());
                    report
                }
            })
            .buffer_unordered(selected.len().max(1));
        loop {
            progress.running(&lock(&running));
            tokio::select! {
                biased;
                _ = &mut ctrl_c => return Ok(Ended::Interrupted("deliveries not attempted")),
                next = passes.next() => match next {
                    None => break,
                    Some(report) => {
                        let line = tally.line(&report, width, color);
                        progress.println(&line)?;
                    }
                },
                // Redraws the list of sources in flight as they start.
                _ = tokio::time::sleep(std::time::Duration::from_millis(200)), if progress.shown() => {}
            }
        }
        drop(passes);
        progress.finish();
        // A message being sent when Ctrl-C comes stays claimed until its
        // lease runs out, then goes out again under the same idempotency key.
        tokio::select! {
            biased;
            _ = &mut ctrl_c => Ok(Ended::Interrupted(
                "deliveries stopped; the rest go out with the next fetch or run",
            )),
            d = deliverer.deliver_due(chrono::Utc::now()) => Ok::<_, CliError>(Ended::Delivered(d)),
        }
    })?;
    progress.finish();
    // Passes not finished are dropped; what they sent to the writer is
    // committed whole (or not at all) before the writer closes.
    pipeline.close();
    let delivered = match ended {
        Ended::Delivered(d) => d,
        Ended::Interrupted(deliveries) => {
            outln!(
                "interrupted: {} of {} sources done ({} failed); {deliveries}",
                tally.done,
                selected.len(),
                tally.failed
            )?;
            return Ok(Exit::Interrupted);
        }
    };
    let d = delivered?;
    if d.sent + d.retrying + d.failed > 0 {
        let failed = format!("{} failed", d.failed);
        outln!(
            "deliveries: {} sent, {} to retry, {}",
            d.sent,
            d.retrying,
            if d.failed > 0 {
                color.failure(&failed)
            } else {
                failed
            }
        )?;
    }
    Ok(if tally.failed > 0 {
        Exit::SourcesFailed
    } else if d.failed > 0 {
        Exit::DeliveriesFailed
    } else {
        Exit::Ok
    })
}

/// How the pass ended: Ctrl-C (and what became of the deliveries), or delivered.
enum Ended<D> {
    Interrupted(&'static str),
    Delivered(D),
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What finished so far.
#[derive(Default)]
struct Tally {
    done: usize,
    failed: usize,
}

impl Tally {
    /// Counts a finished pass; its line.
    fn line(&mut self, r: &Report, width: usize, color: Colors) -> String {
        self.done += 1;
        let secs = timing(r);
        match &r.outcome {
            Outcome::Stored {
                new,
                updated,
                unchanged,
                matched,
                notified,
            } => format!(
                "{:width$}  ok            {new} new, {updated} updated, {unchanged} unchanged, {matched} matched{}  ({secs})",
                r.source,
                if *matched > 0 && !notified {
                    " (first fetch: recorded, not notified)"
                } else {
                    ""
                },
            ),
            Outcome::NotModified => format!("{:width$}  not modified  ({secs})", r.source),
            Outcome::Failed { error, .. } => {
                self.failed += 1;
                // Error text may quote what a server sent.
                let error = strip_unsafe(&error.to_string()).into_owned();
                format!(
                    "{:width$}  {}        {error}  ({secs})",
                    r.source,
                    color.failure("FAILED")
                )
            }
        }
    }
}

/// The progress bar on stderr (sources done of total, the ones in flight),
/// or nothing when no one watches.
struct Progress {
    bar: Option<ProgressBar>,
}

/// The bar on screen, if any, so that log lines can be written above it
/// instead of through it (see [`above_progress`]).
static SHOWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Runs `write` (a log line going to stderr) with the progress bar, if one is
/// shown, cleared first and redrawn after.
pub fn above_progress<R>(write: impl FnOnce() -> R) -> R {
    let bar = lock(&SHOWN).clone();
    match bar {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

impl Progress {
    fn new(total: usize, watched: bool) -> Progress {
        let bar = watched.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{bar:24} {pos}/{len} sources  {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            *lock(&SHOWN) = Some(bar.clone());
            bar
        });
        Progress { bar }
    }

    fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// Shows the sources in flight.
    fn running(&self, names: &[String]) {
        if let Some(bar) = &self.bar {
            bar.set_message(names.join(", "));
        }
    }

    /// Prints a finished source's line above the bar (or plainly).
    fn println(&mut self, line: &str) -> Result<(), CliError> {
        match &self.bar {
            Some(bar) => {
                let written = bar.suspend(|| outln!("{line}"));
                bar.inc(1);
                written?;
            }
            None => outln!("{line}")?,
        }
        Ok(())
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            *lock(&SHOWN) = None;
            bar.finish_and_clear();
        }
    }
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
