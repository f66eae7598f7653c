//! One pass of one source through the pipeline: fetch → normalize → store →
//! match (→ outbox). Used by `jobhound fetch` and by the daemon's scheduler.
//! A failure is recorded against its source and reported; it never propagates
//! to other sources. Neither does a panic: it is caught ([`guard`]) and
//! recorded as that source's failure, retried with backoff like any other. Fetching, parsing, normalizing and tokenizing run
//! concurrently; the database writes go through the one [`writer`].
//!
//! A pass first waits for its host's turn (its source's first URL's host, see
//! [`crate::http::Gate`]), and only then for one of the `concurrency` slots
//! ([`Pipeline::run_queued`]): a source whose host is busy waits without a
//! slot, so sources on other hosts take the slots meanwhile and a busy host
//! queues only its own sources. The host's turn is given back as soon as the
//! fetch is done (normalizing and storing need no network), and the slot once
//! the pass's last write is queued for the writer (`pass.rs`): waiting for
//! its commit holds no memory worth bounding.

mod checkpoint;
pub mod guard;
mod ingest;
mod matcher;
mod pass;
mod prepare;
mod priority;
mod queue;
mod rules;
#[cfg(test)]
mod tests;
mod writer;

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::config::{self, Config};
use crate::http::robots::Robots;
use crate::http::{HostLimits, Http};
use crate::model::SourceName;
use crate::store::{FetchRecord, HealthEvent, Store, StoreError};

pub use matcher::{Matcher, search_terms};
pub use priority::behind_writer;
use rules::Rules;
pub use writer::{Chunk, Counts, Write, Writer};

/// The store, shared between tasks; always used from blocking threads.
pub type SharedStore = Arc<Mutex<Store>>;

/// Locks the store, recovering from a poisoned lock: SQLite's own transactions
/// keep the file consistent even if a holder panicked.
pub fn lock(store: &SharedStore) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// How one source's pass ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Fetched and stored.
    Stored {
        /// Jobs not stored before.
        new: usize,
        /// Jobs whose content changed.
        updated: usize,
        /// Jobs seen again unchanged.
        unchanged: usize,
        /// New alert matches recorded.
        matched: usize,
        /// Whether matches were queued for delivery (false on a source's first fetch).
        notified: bool,
    },
    /// 304: nothing changed.
    NotModified,
    /// Fetching or storing failed; the message says why.
    Failed {
        /// What went wrong.
        error: String,
        /// Whether a later attempt may succeed.
        transient: bool,
    },
}

/// The report of one source's pass.
#[derive(Debug, Clone)]
pub struct Report {
    /// The source.
    pub source: SourceName,
    /// What happened.
    pub outcome: Outcome,
    /// How long the pass took, from the moment it was queued.
    pub elapsed: Duration,
    /// The health report the pass queued (`[health]`), if any.
    pub health: Option<HealthEvent>,
    /// How much of it was spent waiting for the per-host limits.
    pub waited: Duration,
    /// The limits of the source's host.
    pub host: Option<HostLimits>,
    /// Pages robots.txt kept the pass from fetching (detail pages, later list pages).
    pub robots_skipped: usize,
}

/// What a pass holds while it fetches and prepares: one of the
/// `concurrency` slots, and its place among the passes the writer waits for
/// before it commits. Given back once the pass's last write is queued for
/// the writer, or when the pass ends.
struct Slot<'a> {
    _permit: Option<tokio::sync::SemaphorePermit<'a>>,
    _pass: writer::Pass,
}

/// Everything a pass needs, built from the config (and rebuilt in part by
/// [`Pipeline::reload`]).
pub struct Pipeline {
    http: Http,
    store: SharedStore,
    rules: RwLock<Arc<Rules>>,
    writer: Writer,
    robots: Robots,
    /// Where passes are counted and the scheduler's heartbeat kept (the daemon).
    telemetry: Option<Arc<crate::telemetry::Telemetry>>,
    /// The sources whose last wait for their host is kept in the store: a
    /// pass that did not wait then forgets nothing without asking the store.
    kept_waits: Mutex<HashSet<String>>,
}

impl Pipeline {
    /// Builds the pipeline for `config`: `store` serves reads, and a writer
    /// thread gets a connection of its own to the same database. `runtime`
    /// is the one the passes run on ([`Writer::spawn`]).
    pub fn new(
        config: &Config,
        http: Http,
        store: SharedStore,
        runtime: tokio::runtime::Handle,
    ) -> Result<Pipeline, StoreError> {
        let open = || Store::open(&config.database.path);
        let writer = Writer::spawn(open()?, open()?, runtime)?;
        // The writer's checkpointer copies the WAL back after its commits; a
        // small write on the shared connection (a host wait, a delivery)
        // must not run a whole checkpoint, with its fsync, on its own.
        lock(&store).disable_autocheckpoint()?;
        let kept_waits = lock(&store)
            .host_waits()?
            .into_iter()
            .map(|(source, _)| source)
            .collect();
        for s in config.sources.iter().filter(|s| s.ignore_robots) {
            tracing::warn!(source = %s.name, "ignore_robots = true: pages the site's robots.txt disallows are fetched anyway");
        }
        Ok(Pipeline {
            http,
            robots: Robots::new(store.clone()),
            store,
            rules: RwLock::new(Arc::new(Rules::new(config))),
            writer,
            telemetry: None,
            kept_waits: Mutex::new(kept_waits),
        })
    }

    /// Applies the alerts and `[health]` of `config` to the passes that start
    /// from now on (a pass under way finishes with the ones it started with).
    pub fn reload(&self, config: &Config) {
        let rules = Arc::new(Rules::new(config));
        *self.rules.write().unwrap_or_else(|p| p.into_inner()) = rules;
    }

    fn rules(&self) -> Arc<Rules> {
        self.rules.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Counts every pass in `telemetry`, which also keeps the scheduler's heartbeat.
    pub fn observed(mut self, telemetry: Arc<crate::telemetry::Telemetry>) -> Pipeline {
        self.telemetry = Some(telemetry);
        self
    }

    /// The scheduler loop is alive and wakes again within `wait`.
    pub fn heartbeat(&self, wait: Duration) {
        if let Some(t) = &self.telemetry {
            t.scheduler.beat(chrono::Utc::now(), wait);
        }
    }

    /// Finishes queued writes and stops the writer (blocking).
    pub fn close(self) {
        self.writer.close();
    }

    /// Gives back the memory a round of passes leaves behind, once it is
    /// over: the pages the shared and the writer's connections cached, then
    /// what the allocator holds free ([`crate::memory`]). The next round
    /// reads its pages again from the system's file cache.
    pub async fn release_memory(&self) {
        if let Err(e) = blocking(&self.store, |s| s.release_memory()).await {
            tracing::debug!(error = %e, "could not drop the store's cached pages");
        }
        self.writer.release_memory().await;
        let _ = tokio::task::spawn_blocking(crate::memory::release_freed).await;
    }

    /// The shared store.
    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// Completes, with the cause, if the database writer died (see [`Writer::died`]).
    pub fn writer_died(&self) -> guard::Died {
        self.writer.died()
    }

    /// Runs one pass of `source`. Never fails, never panics: failures are
    /// recorded and reported.
    pub async fn run(&self, source: &config::Source) -> Report {
        self.run_queued(source, &Semaphore::new(1)).await
    }

    /// Runs `pass` of `source` and reports how it ended. A pass that broke
    /// before recording its outcome (a database error, a panic) is recorded
    /// as the source's failure here, so `jobhound sources` shows it and the
    /// scheduler backs off as after any failure.
    async fn settle(
        &self,
        source: &config::Source,
        pass: impl Future<Output = Result<Outcome, StoreError>>,
    ) -> Report {
        let started = Instant::now();
        let mut closing = false;
        let outcome = match guard::caught(pass).await {
            Ok(Ok(outcome)) => outcome,
            // Shutting down: nothing to record, nor anywhere to record it.
            Ok(Err(e @ StoreError::Closed)) => {
                closing = true;
                Outcome::Failed {
                    error: e.to_string(),
                    transient: true,
                }
            }
            Ok(Err(e)) => self.record_failure(source, e.to_string()).await,
            Err(cause) => {
                tracing::error!(source = %source.name, %cause, "PANIC in the source's pass; recorded as its failure");
                self.record_failure(source, format!("internal error (panic): {cause}"))
                    .await
            }
        };
        match &outcome {
            Outcome::Stored {
                new,
                updated,
                unchanged,
                matched,
                ..
            } => tracing::info!(
                source = %source.name, new, updated, unchanged, matched, "fetched"
            ),
            Outcome::NotModified => tracing::info!(source = %source.name, "not modified"),
            Outcome::Failed { error, .. } => {
                tracing::warn!(source = %source.name, %error, "fetch failed")
            }
        }
        if let Some(t) = &self.telemetry {
            t.fetched(source.name.as_str(), &outcome, started.elapsed());
        }
        let health = if closing {
            None
        } else {
            self.observe_health(source, &outcome).await
        };
        Report {
            source: source.name.clone(),
            outcome,
            elapsed: started.elapsed(),
            health,
            waited: Duration::ZERO,
            host: None,
            robots_skipped: 0,
        }
    }

    /// Records a failed pass of `source` with `error`; the outcome to report.
    async fn record_failure(&self, source: &config::Source, error: String) -> Outcome {
        let record = FetchRecord::Failed {
            kind: source.kind.name(),
            error: error.clone(),
            status: None,
            retry_after: None,
        };
        if let Err(e) = self.writer.write(&source.name, Write::Record(record)).await {
            tracing::error!(source = %source.name, error = %e, "cannot record the failed fetch");
        }
        Outcome::Failed {
            error,
            transient: true,
        }
    }
}

/// Runs `f` on the shared store from a blocking thread (rusqlite blocks), and
/// passes its panic on, if it panicked.
pub async fn blocking<T: Send + 'static>(
    store: &SharedStore,
    f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&mut lock(&store)))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
