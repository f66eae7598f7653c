//! What a pass does once it has its slot: fetch the source, give the host's
//! turn back, and hand what came to the writer (a listing, a stream of
//! batches, a 304 or a failure), giving the slot back as soon as its last
//! write is queued.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Counts, Outcome, Pipeline, Slot, Write, blocking, ingest};
use crate::config;
use crate::http::{Http, Turn};
use crate::model::SourceName;
use crate::sources::{self, Context, Fetched};
use crate::store::{FetchRecord, StoreError};

impl Pipeline {
    /// Fetches `kind` with `http`, gives the host's `turn` back, and stores
    /// what came; pages robots.txt kept it from are added to `skipped`. The
    /// pass's concurrency `slot` is given back once its last write is queued
    /// for the writer ([`Pipeline::hand_over`]), or when the pass ends.
    pub(super) async fn pass(
        &self,
        source: &config::Source,
        kind: Box<dyn sources::Source>,
        http: &Http,
        turn: Option<Turn>,
        skipped: &AtomicUsize,
        slot: Slot<'_>,
    ) -> Result<Outcome, StoreError> {
        let name = source.name.clone();
        let state = blocking(&self.store, {
            let name = name.clone();
            move |s| s.source_state(&name)
        })
        .await?;
        let validators = state.as_ref().map(|s| s.validators.clone());
        let crawls = matches!(source.kind, config::SourceKind::Html { .. });
        let cx = Context {
            http,
            validators: validators.as_ref(),
            allow_hosts: &source.allow_hosts,
            robots: (crawls && !source.ignore_robots).then_some(&self.robots),
            robots_skipped: Default::default(),
        };
        let kind_name = kind.kind();
        let fetched = kind.fetch(&cx).await;
        drop(turn);
        skipped.store(cx.robots_skipped.load(Ordering::Relaxed), Ordering::Relaxed);
        match fetched {
            Ok(Fetched::NotModified) => {
                let record = FetchRecord::NotModified { kind: kind_name };
                let write = if source.tracks_absence() {
                    Write::Unchanged(record)
                } else {
                    Write::Record(record)
                };
                self.hand_over(&name, write, slot).await?;
                Ok(Outcome::NotModified)
            }
            Err(e) => self.failed(&name, kind_name, e, slot).await,
            Ok(Fetched::Postings {
                postings,
                validators,
                complete,
            }) => {
                // A source's first successful fetch only records, unless configured otherwise,
                // so adding a board does not flood the user with its whole backlog.
                let first = state.as_ref().is_none_or(|s| s.fetch_count == 0);
                let notify = !first || source.notify_first_fetch;
                let listing = ingest::Listing {
                    raw: postings,
                    validators,
                    complete,
                };
                self.ingest(source, kind_name, listing, notify, slot).await
            }
            Ok(Fetched::Batches {
                batches,
                validators,
            }) => {
                let first = state.as_ref().is_none_or(|s| s.fetch_count == 0);
                let notify = !first || source.notify_first_fetch;
                self.ingest_batches(source, kind_name, batches, validators, notify, slot)
                    .await
            }
        }
    }

    /// Records a failed fetch; the pass's `slot` is given back once the
    /// record is queued.
    pub(super) async fn failed(
        &self,
        name: &SourceName,
        kind: &'static str,
        e: sources::SourceError,
        slot: Slot<'_>,
    ) -> Result<Outcome, StoreError> {
        let error = e.to_string();
        let transient = e.is_transient();
        let record = FetchRecord::Failed {
            kind,
            error: error.clone(),
            status: e.status(),
            retry_after: e.retry_after(),
        };
        self.hand_over(name, Write::Record(record), slot).await?;
        Ok(Outcome::Failed { error, transient })
    }

    /// Queues a pass's last write, gives its `slot` back, then waits for the
    /// commit. Given back before the wait: the slot lets the next source
    /// fetch meanwhile, and the writer does not wait for more from a pass
    /// that is only waiting for it.
    pub(super) async fn hand_over(
        &self,
        name: &SourceName,
        write: Write,
        slot: Slot<'_>,
    ) -> Result<Counts, StoreError> {
        let pending = self.writer.submit(name, write).await?;
        drop(slot);
        pending.committed().await
    }
}
