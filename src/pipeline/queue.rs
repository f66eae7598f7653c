//! Where a pass waits before it runs: for its host's turn, then for one of
//! the `concurrency` slots (see the header of [`super`]); and what it reports
//! and keeps about that wait.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::Semaphore;

use super::{Pipeline, Report, Slot, Write};
use crate::config;
use crate::search::sources::WAIT_SHOWN;
use crate::sources;
use crate::store::HostWait;

impl Pipeline {
    /// Runs one pass of `source` once its host's turn comes and then one of
    /// `slots` is free (see the module header). Never fails, never panics.
    pub async fn run_queued(&self, source: &config::Source, slots: &Semaphore) -> Report {
        let queued = Instant::now();
        let kind = sources::build(source);
        let home = kind.home();
        let (http, waited) = self.http.metered();
        let turn = match &home {
            Some(url) => Some(self.http.gate().source_turn(url).await),
            None => None,
        };
        waited.add(queued.elapsed());
        // Closed only if the caller closed it: then the pass runs unbounded.
        let slot = Slot {
            _permit: slots.acquire().await.ok(),
            _pass: self.writer.pass(),
        };
        let skipped = AtomicUsize::new(0);
        let pass = self.pass(source, kind, &http, turn, &skipped, slot);
        let mut report = self.settle(source, pass).await;
        report.elapsed = queued.elapsed();
        report.waited = waited.total();
        report.robots_skipped = skipped.load(Ordering::Relaxed);
        report.host = home.map(|u| self.http.gate().limits(&u));
        // The wait is kept for `jobhound sources`, written by the writer (see
        // `Ingest::record_host_wait`) without waiting for its commit: it is
        // bookkeeping, and a pass that did not wait (most) and has nothing
        // kept costs nothing.
        let wait = match &report.host {
            Some(host) if report.waited >= WAIT_SHOWN => Some(HostWait {
                host: host.host.clone(),
                waited: report.waited,
                concurrency: u32::try_from(host.concurrency).unwrap_or(u32::MAX),
                interval: host.interval,
                at: chrono::Utc::now(),
            }),
            _ => None,
        };
        if self.mark_wait_kept(source.name.as_str(), wait.is_some()) || wait.is_some() {
            let queued = self.writer.queue(&source.name, Write::HostWait(wait)).await;
            if let Err(e) = queued {
                tracing::warn!(source = %source.name, error = %e, "cannot record the time waited for the host");
            }
        }
        if report.robots_skipped > 0 {
            tracing::warn!(source = %source.name, skipped = report.robots_skipped, "pages robots.txt disallows were skipped");
        }
        report
    }

    /// Notes whether `source`'s wait is kept now; returns whether it was.
    fn mark_wait_kept(&self, source: &str, kept: bool) -> bool {
        let mut set = self
            .kept_waits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept {
            !set.insert(source.to_string())
        } else {
            set.remove(source)
        }
    }
}
