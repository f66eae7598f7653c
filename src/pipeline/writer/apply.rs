//! Writing a group of fetches in one transaction as they arrive, each
//! inside a savepoint of its own: a fetch that fails (an error, or a panic:
//! a bug) is taken back alone and reported, and the others commit. Each
//! fetch's postings are upserted and matched, listings no longer there
//! closed, and its outcome recorded.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::Utc;
use tokio::sync::oneshot;

use super::{Chunk, Counts, Job, Write};
use crate::model::{Posting, SourceName};
use crate::pipeline::guard::cause;
use crate::pipeline::matcher::{Matcher, Prepared};
use crate::store::{Change, CurrentDictionary, FetchRecord, Ingest, Store, StoreError};

/// An open transaction and the fetches written in it so far, whose callers
/// hear how their write went once it commits.
pub(super) struct Group<'s> {
    tx: Ingest<'s>,
    written: Vec<(oneshot::Sender<Result<Counts, StoreError>>, Counts)>,
    postings: usize,
    /// How many postings the group takes before it commits.
    limit: usize,
    /// Why the transaction is lost, if SQLite rolled it back: nothing more
    /// is written in it, and nothing of it commits.
    lost: Option<String>,
}

impl<'s> Group<'s> {
    /// Opens the transaction.
    pub(super) fn begin(
        store: &'s mut Store,
        dict: &CurrentDictionary,
    ) -> Result<Group<'s>, StoreError> {
        let mut tx = store.begin_ingest(Utc::now())?;
        tx.publish_dictionary(dict);
        tx.set_terms_of(crate::pipeline::search_terms);
        let limit = tx.batch_limit(super::MAX_BATCH)?;
        Ok(Group {
            tx,
            written: Vec::new(),
            postings: 0,
            limit,
            lost: None,
        })
    }

    /// Whether the fetches added so far hold as many postings as the group takes.
    pub(super) fn is_full(&self) -> bool {
        self.postings >= self.limit
    }

    /// Writes `job`; a fetch that fails is answered now, the others at commit.
    pub(super) fn add(&mut self, mut job: Job) {
        self.postings += job.write.size();
        if let Some(cause) = &self.lost {
            let _ = job.reply.send(Err(StoreError::NotCommitted(cause.clone())));
            return;
        }
        match self.write(&job.source, &mut job.write) {
            Ok(counts) => self.written.push((job.reply, counts)),
            Err(e) => {
                let _ = job.reply.send(Err(e));
            }
        }
    }

    fn write(&mut self, source: &SourceName, write: &mut Write) -> Result<Counts, StoreError> {
        if let Err(e) = self.tx.begin_fetch() {
            self.lost = Some(e.to_string());
            return Err(e);
        }
        self.tx.set_source(source);
        let written = catch_unwind(AssertUnwindSafe(|| apply(&mut self.tx, write)))
            .unwrap_or_else(|p| {
                let cause = cause(&*p);
                tracing::error!(%source, %cause, "PANIC while writing; the fetch's writes are rolled back and fail");
                Err(StoreError::Panicked(cause))
            })
            .and_then(|counts| self.tx.end_fetch().map(|()| counts));
        if written.is_err()
            && let Err(e) = self.tx.undo_fetch()
        {
            self.lost = Some(e.to_string());
        }
        written
    }

    /// Commits, and tells every fetch written how it went.
    pub(super) fn commit(self) {
        let Group {
            tx, written, lost, ..
        } = self;
        let committed = match lost {
            Some(cause) => Err(cause),
            None => catch_unwind(AssertUnwindSafe(|| tx.commit()))
                .unwrap_or_else(|p| Err(StoreError::Panicked(cause(&*p))))
                .map_err(|e| e.to_string()),
        };
        if let Err(cause) = &committed {
            tracing::error!(%cause, fetches = written.len(), "a group of fetches could not be committed");
        }
        for (reply, counts) in written {
            let _ = reply.send(match &committed {
                Ok(()) => Ok(counts),
                Err(cause) => Err(StoreError::NotCommitted(cause.clone())),
            });
        }
    }
}

fn apply(tx: &mut Ingest<'_>, write: &mut Write) -> Result<Counts, StoreError> {
    let mut c = Counts::default();
    let (kind, validators, closes) = match write {
        Write::Record(record) => {
            tx.record(record)?;
            return Ok(c);
        }
        Write::HostWait(wait) => {
            tx.record_host_wait(wait.as_ref())?;
            return Ok(c);
        }
        Write::Unchanged(record) => {
            tx.record(record)?;
            c.closed = tx.close_missing_again()?;
            return Ok(c);
        }
        Write::Postings {
            kind,
            postings,
            matcher,
            validators,
            notify,
            tracked,
            complete,
        } => {
            tx.set_kind(kind, *tracked);
            if *tracked && *complete {
                tx.set_listing(postings.iter().map(|(p, _)| p.external_id.clone()));
            }
            upsert_all(tx, matcher, postings, *notify, &mut c)?;
            (*kind, validators, *tracked && *complete)
        }
        Write::Stream {
            kind,
            chunks,
            matcher,
            validators,
            notify,
            tracked,
        } => {
            tx.set_kind(kind, *tracked);
            loop {
                match chunks.blocking_recv() {
                    Some(Chunk::Postings(mut postings)) => {
                        upsert_all(tx, matcher, &mut postings, *notify, &mut c)?;
                        tx.flush_search_index()?;
                    }
                    Some(Chunk::Done) => break,
                    // The producer stopped (its source failed): roll the fetch back.
                    // The pipeline records the source's own error, not this one.
                    None => return Err(StoreError::Closed),
                }
            }
            (*kind, validators, *tracked)
        }
    };
    if closes {
        c.closed = tx.close_missing()?;
    }
    tx.record(&FetchRecord::Ok {
        kind,
        validators: validators.clone(),
        new: c.new,
        updated: c.updated,
        unchanged: c.unchanged,
    })?;
    Ok(c)
}

fn upsert_all(
    tx: &mut Ingest<'_>,
    matcher: &Matcher,
    postings: &mut [(Posting, Prepared)],
    notify: bool,
    c: &mut Counts,
) -> Result<(), StoreError> {
    for (p, prepared) in postings.iter_mut() {
        let terms = std::mem::take(&mut prepared.terms);
        let up = match prepared.encoded.take() {
            Some(enc) => tx.upsert_encoded(p, &prepared.keys, terms, enc)?,
            None => tx.upsert(p, &prepared.keys, terms)?,
        };
        match up.change {
            Change::New => c.new += 1,
            Change::Updated => c.updated += 1,
            Change::Unchanged => c.unchanged += 1,
        }
        if up.needs_matching() {
            c.matched += matcher.record(tx, prepared, up, notify)?;
        }
    }
    Ok(())
}
