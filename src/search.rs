//! The one query path over stored postings, shared by `jobhound search`,
//! `jobhound alerts test` and the HTTP API: the full-text index narrows the
//! candidates, the query matcher decides, newest first.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::alerts::{Doc, Query};
use crate::model::PostingId;
use crate::store::{CandidateFilter, Store, StoreError, StoredPosting};

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The query; `None` lists everything.
    pub query: Option<Query>,
    /// Only postings posted (or first seen) within this age.
    pub since: Option<Duration>,
    /// Only postings listed by this source.
    pub source: Option<String>,
    /// At most this many results.
    pub limit: usize,
}

/// Runs a search at time `now`.
pub fn search(
    store: &Store,
    req: &Request,
    now: DateTime<Utc>,
) -> Result<Vec<StoredPosting>, StoreError> {
    let fts = req.query.as_ref().and_then(Query::fts_prefilter);
    let filter = CandidateFilter {
        fts: fts.as_deref(),
        since: req
            .since
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .map(|d| now - d),
        source: req.source.as_deref(),
    };
    let ids = match matching_ids(store, req, &filter) {
        // The index only narrows; if SQLite rejects the expression (a word its
        // tokenizer splits where ours does not), scan without it.
        Err(StoreError::Sqlite(e)) if filter.fts.is_some() && e.to_string().contains("fts5") => {
            tracing::debug!(error = %e, "full-text prefilter rejected; scanning");
            matching_ids(
                store,
                req,
                &CandidateFilter {
                    fts: None,
                    ..filter
                },
            )?
        }
        other => other?,
    };
    store.postings(&ids)
}

/// The ids of the newest postings that pass `filter` and match the query.
fn matching_ids(
    store: &Store,
    req: &Request,
    filter: &CandidateFilter<'_>,
) -> Result<Vec<PostingId>, StoreError> {
    let mut ids = Vec::new();
    store.scan_candidates(filter, |c| {
        let keep = match &req.query {
            None => true,
            Some(q) => {
                let sources: Vec<&str> = c.sources.iter().map(String::as_str).collect();
                q.matches(&Doc::new(
                    &c.title,
                    &c.company,
                    &c.location,
                    &c.text,
                    &sources,
                ))
            }
        };
        if keep {
            ids.push(c.id);
        }
        ids.len() < req.limit
    })?;
    Ok(ids)
}
