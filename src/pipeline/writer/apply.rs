//! Applying a group of fetches' writes in one transaction: postings upserted
//! and matched, listings no longer there closed, each fetch's outcome
//! recorded. A panic while writing rolls the group back like any error.

use chrono::Utc;

use super::{Chunk, Counts, Job, Write};
use crate::model::Posting;
use crate::pipeline::guard::cause;
use crate::pipeline::matcher::{Matcher, Prepared};
use crate::store::{Change, CurrentDictionary, FetchRecord, Ingest, Store, StoreError};

/// Writes every job in one transaction. A panic while writing (a bug) rolls
/// the transaction back and fails these writes only, like any error.
pub(super) fn apply_all(
    store: &mut Store,
    batch: &mut [Job],
    dict: &CurrentDictionary,
) -> Result<Vec<Counts>, StoreError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        write_all(store, batch, dict)
    }))
    .unwrap_or_else(|p| {
        let cause = cause(&*p);
        tracing::error!(%cause, fetches = batch.len(), "PANIC while writing; the writes are rolled back and fail");
        Err(StoreError::Panicked(cause))
    })
}

fn write_all(
    store: &mut Store,
    batch: &mut [Job],
    dict: &CurrentDictionary,
) -> Result<Vec<Counts>, StoreError> {
    let mut tx = store.begin_ingest(Utc::now())?;
    tx.publish_dictionary(dict);
    tx.set_terms_of(crate::pipeline::search_terms);
    let mut all = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        tx.set_source(&job.source);
        all.push(apply(&mut tx, &mut job.write)?);
    }
    tx.commit()?;
    Ok(all)
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
