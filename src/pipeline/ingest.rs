//! Handing a fetch's postings to the writer: normalized, tokenized and
//! matched on a blocking thread ([`prepare`](super::prepare)), then written in
//! one transaction, whole or streamed batch by batch for a large fetch.

use super::prepare::Shape;
use super::{Chunk, Counts, Outcome, Pipeline, Slot, Write};
use crate::config;
use crate::model::{RawPosting, SourceName};
use crate::sources;
use crate::store::{StoreError, Validators};

impl Pipeline {
    /// Like [`Pipeline::ingest`] for a large fetch: each batch is normalized on
    /// a blocking thread and streamed to the writer while the next is read, so
    /// memory holds a batch or two, not the whole fetch. The writer commits
    /// only if every batch arrived; a parse error rolls the fetch back and is
    /// recorded as the source's failure. The pass's `slot` is held until the
    /// stream is written: the body is in memory until then.
    pub(super) async fn ingest_batches(
        &self,
        config: &config::Source,
        kind: &'static str,
        batches: sources::Batches,
        validators: Validators,
        notify: bool,
        slot: Slot<'_>,
    ) -> Result<Outcome, StoreError> {
        let (tx, chunks) = tokio::sync::mpsc::channel::<Chunk>(2);
        let matcher = self.rules().matcher.clone();
        let prepare = matcher.clone();
        let name = config.name.clone();
        let source = name.clone();
        let shape = self.shape(config);
        let producer = tokio::task::spawn_blocking(move || {
            let mut sink = |raw: Vec<RawPosting>| {
                let prepared = shape.prepare_all(raw, &prepare, &source);
                // A closed channel means the writer gave up; its error is reported.
                let _ = tx.blocking_send(Chunk::Postings(prepared));
            };
            let read = batches(&mut sink);
            if read.is_ok() {
                let _ = tx.blocking_send(Chunk::Done);
            }
            read
        });
        let write = Write::Stream {
            kind,
            chunks,
            matcher,
            validators,
            notify,
            tracked: config.tracks_absence(),
        };
        let written = self.writer.write(&name, write).await;
        let read = producer
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        if let Err(e) = read {
            return self.failed(&name, kind, e, slot).await;
        }
        Ok(stored(&name, written?, notify))
    }

    /// Prepares and writes the postings of a fetch `kind` of `config` made,
    /// giving its concurrency `slot` back once the writer has them.
    pub(super) async fn ingest(
        &self,
        config: &config::Source,
        kind: &'static str,
        fetch: Listing,
        notify: bool,
        slot: Slot<'_>,
    ) -> Result<Outcome, StoreError> {
        let Listing {
            raw,
            validators,
            complete,
        } = fetch;
        let matcher = self.rules().matcher.clone();
        let prepare = matcher.clone();
        let name = config.name.clone();
        let source = name.clone();
        let shape = self.shape(config);
        // Normalizing and tokenizing are CPU work: off the async threads, and
        // in parallel with other sources; only the writes are serialized.
        let postings =
            tokio::task::spawn_blocking(move || shape.prepare_all(raw, &prepare, &source))
                .await
                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        let write = Write::Postings {
            kind,
            postings,
            matcher,
            validators,
            notify,
            tracked: config.tracks_absence(),
            complete,
        };
        // The slot bounds the fetches held in memory. Once the writer has the
        // postings, the pass waits for their commit holding none.
        let written = self.hand_over(&name, write, slot).await?;
        Ok(stored(&name, written, notify))
    }

    /// How `config`'s postings are prepared for the writer.
    fn shape(&self, config: &config::Source) -> Shape {
        Shape {
            company: config.default_company(),
            split_title: config.split_title,
            dict: self.writer.dictionary(),
            store: self.store.clone(),
            stored: Default::default(),
        }
    }
}

/// What a fetch of a whole listing brought.
pub(super) struct Listing {
    /// The postings, as the source gave them.
    pub raw: Vec<RawPosting>,
    /// Validators for the next conditional GET.
    pub validators: Validators,
    /// Whether the fetch is complete: its missing jobs count as gone.
    pub complete: bool,
}

/// The outcome of a fetch whose postings were written.
fn stored(name: &SourceName, c: Counts, notify: bool) -> Outcome {
    if c.closed > 0 {
        tracing::info!(source = %name, closed = c.closed, "jobs no longer listed are closed");
    }
    Outcome::Stored {
        new: c.new,
        updated: c.updated,
        unchanged: c.unchanged,
        matched: c.matched,
        notified: notify,
    }
}
