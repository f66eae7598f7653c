//! Where a pass waits before it runs: for its host's turn, then for one of
//! the `concurrency` slots (see the header of [`super`]); and what it reports
//! and keeps about that wait.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::Semaphore;

use super::{Pipeline, Report, blocking};
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
        let slot = slots.acquire().await.ok();
        let skipped = AtomicUsize::new(0);
        let pass = self.pass(source, kind, &http, turn, &skipped);
        let mut report = self.settle(source, pass).await;
        // What follows is bookkeeping: it needs no slot.
        drop(slot);
        report.elapsed = queued.elapsed();
        report.waited = waited.total();
        report.robots_skipped = skipped.load(Ordering::Relaxed);
        report.host = home.map(|u| self.http.gate().limits(&u));
        let name = source.name.as_str().to_string();
        if report.waited < WAIT_SHOWN {
            // Most passes do not wait: keep that from costing a write.
            if let Err(e) = blocking(&self.store, move |s| s.forget_host_wait(&name)).await {
                tracing::warn!(source = %source.name, error = %e, "cannot record the time waited for the host");
            }
        } else if let Some(host) = &report.host {
            let wait = HostWait {
                host: host.host.clone(),
                waited: report.waited,
                concurrency: u32::try_from(host.concurrency).unwrap_or(u32::MAX),
                interval: host.interval,
                at: chrono::Utc::now(),
            };
            if let Err(e) = blocking(&self.store, move |s| s.save_host_wait(&name, &wait)).await {
                tracing::warn!(source = %source.name, error = %e, "cannot record the time waited for the host");
            }
        }
        if report.robots_skipped > 0 {
            tracing::warn!(source = %source.name, skipped = report.robots_skipped, "pages robots.txt disallows were skipped");
        }
        report
    }
}
