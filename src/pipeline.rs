//! One pass of one source through the pipeline: fetch → normalize → store →
//! match (→ outbox). Used by `jobhound fetch` and by the daemon's scheduler.
//! A failure is recorded against its source and reported; it never propagates
//! to other sources.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::alerts::{AlertSet, Doc};
use crate::config::{self, Config};
use crate::http::Http;
use crate::model::{Posting, RawPosting, SourceName};
use crate::normalize::normalize;
use crate::sources::{self, Context, Fetched};
use crate::store::{Change, FetchRecord, Ingest, Store, StoreError, Upsert, Validators};

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
    /// How long the pass took.
    pub elapsed: Duration,
}

/// An alert as the matcher routes it: its name and the enabled notifiers it feeds.
struct Route {
    name: String,
    notifiers: Vec<String>,
}

/// The enabled alerts, compiled for matching, with where each one's matches go.
struct Matcher {
    alerts: AlertSet,
    routes: Vec<Route>,
}

impl Matcher {
    /// Matches one stored posting and records each new match; returns how many.
    fn record(
        &self,
        tx: &mut Ingest<'_>,
        p: &Posting,
        up: Upsert,
        source: &SourceName,
        notify: bool,
    ) -> Result<usize, StoreError> {
        let sources = if up.change == Change::New {
            vec![source.0.clone()]
        } else {
            tx.sources_of(up.id)?
        };
        let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
        let doc = Doc::from_posting(p, &refs);
        let mut n = 0;
        for i in self.alerts.matching(&doc) {
            let route = &self.routes[i];
            if tx.record_match(&route.name, up.id, &route.notifiers, notify)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Tallies of one ingest.
#[derive(Default)]
struct Counts {
    new: usize,
    updated: usize,
    unchanged: usize,
    matched: usize,
}

impl Counts {
    fn add(&mut self, change: Change) {
        match change {
            Change::New => self.new += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

/// Everything a pass needs, built once from the config.
pub struct Pipeline {
    http: Http,
    store: SharedStore,
    matcher: Arc<Matcher>,
}

impl Pipeline {
    /// Builds the pipeline for `config` over an open store.
    pub fn new(config: &Config, http: Http, store: SharedStore) -> Pipeline {
        let enabled: Vec<&config::Alert> = config.alerts.iter().filter(|a| a.enabled).collect();
        let routes = enabled
            .iter()
            .map(|a| Route {
                name: a.name.clone(),
                notifiers: a
                    .notifiers
                    .iter()
                    .filter(|n| config.notifier(n).is_some_and(|n| n.enabled))
                    .cloned()
                    .collect(),
            })
            .collect();
        let alerts = AlertSet::new(enabled.iter().map(|a| a.query.clone()).collect());
        Pipeline {
            http,
            store,
            matcher: Arc::new(Matcher { alerts, routes }),
        }
    }

    /// The shared store.
    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// Runs one pass of `source`. Never fails: failures are recorded and reported.
    pub async fn run(&self, source: &config::Source) -> Report {
        let started = Instant::now();
        let outcome = self.pass(source).await.unwrap_or_else(|e| Outcome::Failed {
            error: e.to_string(),
            transient: true,
        });
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
        Report {
            source: source.name.clone(),
            outcome,
            elapsed: started.elapsed(),
        }
    }

    async fn pass(&self, source: &config::Source) -> Result<Outcome, StoreError> {
        let name = source.name.clone();
        let state = self
            .blocking({
                let name = name.clone();
                move |s| s.source_state(&name)
            })
            .await?;
        let kind = sources::build(source);
        let validators = state.as_ref().map(|s| s.validators.clone());
        let cx = Context {
            http: &self.http,
            validators: validators.as_ref(),
        };
        let kind_name = kind.kind();
        let fetched = kind.fetch(&cx).await;
        let now = Utc::now();
        match fetched {
            Ok(Fetched::NotModified) => {
                self.blocking(move |s| {
                    s.record_fetch(&name, &FetchRecord::NotModified { kind: kind_name }, now)
                })
                .await?;
                Ok(Outcome::NotModified)
            }
            Err(e) => {
                let error = e.to_string();
                let transient = e.is_transient();
                let record = FetchRecord::Failed {
                    kind: kind_name,
                    error: error.clone(),
                };
                self.blocking(move |s| s.record_fetch(&name, &record, now))
                    .await?;
                Ok(Outcome::Failed { error, transient })
            }
            Ok(Fetched::Postings {
                postings,
                validators,
            }) => {
                // A source's first successful fetch only records, unless configured otherwise,
                // so adding a board does not flood the user with its whole backlog.
                let first = state.as_ref().is_none_or(|s| s.fetch_count == 0);
                let notify = !first || source.notify_first_fetch;
                self.ingest(name, kind_name, postings, validators, notify)
                    .await
            }
        }
    }

    async fn ingest(
        &self,
        name: SourceName,
        kind: &'static str,
        raw: Vec<RawPosting>,
        validators: Validators,
        notify: bool,
    ) -> Result<Outcome, StoreError> {
        let store = self.store.clone();
        let matcher = self.matcher.clone();
        let now = Utc::now();
        tokio::task::spawn_blocking(move || {
            // Normalize before taking the lock: other sources can write meanwhile.
            let postings: Vec<Posting> = raw.into_iter().map(|r| normalize(r, &name)).collect();
            let mut guard = lock(&store);
            let mut tx = guard.begin_ingest(&name, now)?;
            let mut counts = Counts::default();
            for p in &postings {
                let up = tx.upsert(p)?;
                counts.add(up.change);
                if up.needs_matching() && !matcher.alerts.is_empty() {
                    counts.matched += matcher.record(&mut tx, p, up, &name, notify)?;
                }
            }
            let Counts {
                new,
                updated,
                unchanged,
                matched,
            } = counts;
            tx.finish(&FetchRecord::Ok {
                kind,
                validators,
                new,
                updated,
                unchanged,
            })?;
            Ok(Outcome::Stored {
                new,
                updated,
                unchanged,
                matched,
                notified: notify,
            })
        })
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&mut lock(&store)))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }
}
