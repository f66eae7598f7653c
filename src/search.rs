//! The one query path over stored postings, shared by `jobhound search`,
//! `jobhound alerts test` and the HTTP API: the full-text index narrows the
//! candidates, the query matcher decides, newest first.
//!
//! The matcher decides on the same [`Facts`] the alerts read at ingest,
//! derived from the stored columns by the same rules (`alerts::facts`), so a
//! query finds in the store what it matched when the postings arrived.
//! Closed jobs are left out unless asked for (`include_closed`), or unless
//! the query names `state:closed`.
//!
//! A prefix (`embed*`) asks the index for the words it holds with that
//! prefix when they are few ([`PREFIX_WORDS`]) and searches for their OR:
//! FTS5 streams an OR newest first and stops at the page, where a prefix
//! makes it merge every document list of those words first.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::alerts::{Doc, Facts, Lifecycle, Mark, Query, yearly_salary};
use crate::model::PostingId;
use crate::store::{
    COMPANY_MARK, Candidate, CandidateFilter, LOCATION_MARK, Position, Store, StoreError,
    StoredPosting, TITLE_MARK, UserState,
};

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
    /// Closed jobs too (they are left out otherwise, unless the query names
    /// `state:closed`).
    pub include_closed: bool,
    /// Only results after this position (the next page of an earlier search).
    pub before: Option<Position>,
    /// Only jobs the user put in this state.
    pub user_state: Option<UserState>,
    /// Not the jobs the user put in this state (the web page hides dismissed ones).
    pub exclude_state: Option<UserState>,
}

/// One page of results.
#[derive(Debug, Clone)]
pub struct Page {
    /// The results, newest first.
    pub postings: Vec<StoredPosting>,
    /// Where the next page starts, when this one is full (there may be more).
    pub next: Option<Position>,
}

/// A prefix with at most this many words in the index is searched as their
/// OR; one with more stays a prefix query. Each word costs a lookup in every
/// index segment, so an OR grows with its words (at a million postings, 2.8
/// ms for 31 words, 43 ms for 607, the prefix query 25 ms and 471 ms); past
/// what was measured (BENCHMARKS.md, section 3) the prefix query is kept.
pub(crate) const PREFIX_WORDS: usize = 640;

/// Runs a search at time `now`.
pub fn search(
    store: &Store,
    req: &Request,
    now: DateTime<Utc>,
) -> Result<Vec<StoredPosting>, StoreError> {
    Ok(page(store, req, now)?.postings)
}

/// Runs a search at time `now` and says where the next page starts. Pages
/// are stable while jobs arrive: the order is (sort day, id) descending and a
/// new job gets a higher id, so it never shifts a later page (it shows up on
/// the first page of a new search, or on a later page when it sorts there).
pub fn page(store: &Store, req: &Request, now: DateTime<Utc>) -> Result<Page, StoreError> {
    let ids = ids(store, req, now, PREFIX_WORDS)?;
    let next = match ids.last() {
        Some(&(_, last)) if ids.len() >= req.limit => Some(last),
        _ => None,
    };
    let ids: Vec<PostingId> = ids.into_iter().map(|(id, _)| id).collect();
    Ok(Page {
        postings: store.postings(&ids)?,
        next,
    })
}

/// How many postings the request finds, whatever its limit: what a limited
/// listing says it left out ("20 of 27").
pub fn count(store: &Store, req: &Request, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let all = Request {
        limit: usize::MAX,
        ..req.clone()
    };
    Ok(ids(store, &all, now, PREFIX_WORDS)?.len())
}

/// The ids (and positions) of the newest `req.limit` postings the request
/// finds; prefixes with at most `prefix_words` words become their OR.
fn ids(
    store: &Store,
    req: &Request,
    now: DateTime<Utc>,
    prefix_words: usize,
) -> Result<Vec<(PostingId, Position)>, StoreError> {
    let fts = req
        .query
        .as_ref()
        .and_then(|q| q.fts_prefilter_with(&mut |w| index_words(store, w, prefix_words)));
    let ago = |secs: u64| {
        chrono::Duration::try_seconds(i64::try_from(secs).ok()?)
            // An age reaching before the calendar starts restricts nothing.
            .and_then(|d| now.checked_sub_signed(d))
    };
    // `posted` filters every match must pass bound the walk by date, as
    // `since` does (the matcher still decides on each job).
    let (at_most, at_least) = req
        .query
        .as_ref()
        .map_or((None, None), Query::required_ages);
    let since = [req.since.map(|d| d.as_secs()), at_most]
        .into_iter()
        .flatten()
        .filter_map(ago)
        .max();
    let before = match at_least.and_then(ago) {
        // Older than that time: on its day or before.
        Some(t) => {
            let day = Position {
                day: t.timestamp().div_euclid(86_400).saturating_add(1),
                id: 0,
            };
            Some(req.before.map_or(day, |b| b.min(day)))
        }
        None => req.before,
    };
    let filter = CandidateFilter {
        fts: fts.as_deref(),
        since,
        source: req.source.as_deref(),
        include_closed: req.include_closed
            || req.query.as_ref().is_some_and(Query::mentions_closed),
        before,
        // A state the query requires narrows the scan to the jobs in it
        // (the matcher still decides).
        user_state: req.user_state.or_else(|| {
            req.query
                .as_ref()
                .and_then(Query::required_mark)
                .map(UserState::from)
        }),
        // Typed filters alone read no words: the scan reads no text.
        skip_text: req.query.as_ref().is_none_or(|q| !q.reads_text()),
        exclude_state: req.exclude_state,
    };
    let now_s = now.timestamp();
    let ids = match matching_ids(store, req, &filter, now_s) {
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
                now_s,
            )?
        }
        other => other?,
    };
    Ok(ids)
}

/// The index's words that start with `prefix`, when there are at most `max`
/// and FTS5 reads each back as itself.
fn index_words(store: &Store, prefix: &str, max: usize) -> Option<Vec<String>> {
    // FTS5 tokenizes the words of a MATCH expression again. Lower-case ASCII
    // letters and digits come back unchanged from its tokenizer; other
    // characters (`c++`, folded letters) are left to the prefix query rather
    // than trusting both folds to agree on every one. A field's words carry
    // its mark in front (`store::TITLE_MARK`), which FTS5 keeps as it is.
    let plain = |w: &str| {
        w.trim_start_matches([TITLE_MARK, COMPANY_MARK, LOCATION_MARK])
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if max == 0 || !plain(prefix) {
        return None;
    }
    match store.index_words(prefix, max) {
        Ok(Some(words)) if words.iter().all(|w| plain(w)) => Some(words),
        Ok(_) => None,
        Err(e) => {
            tracing::debug!(error = %e, prefix, "index words unreadable; keeping the prefix");
            None
        }
    }
}

/// The ids (and positions) of the newest postings that pass `filter` and match the query.
fn matching_ids(
    store: &Store,
    req: &Request,
    filter: &CandidateFilter<'_>,
    now: i64,
) -> Result<Vec<(PostingId, Position)>, StoreError> {
    let mut ids = Vec::new();
    store.scan_candidates(filter, |c| {
        let keep = match &req.query {
            None => true,
            Some(q) => {
                let sources: Vec<&str> = c.sources.iter().map(String::as_str).collect();
                let mut doc = Doc::new(&c.title, &c.company, &c.location, &c.text, &sources);
                doc.set_facts(facts(&c, now));
                q.matches(&doc)
            }
        };
        if keep {
            ids.push((c.id, c.position));
        }
        ids.len() < req.limit
    })?;
    Ok(ids)
}

/// What the typed filters read of a stored job, at time `now` (unix seconds).
fn facts(c: &Candidate, now: i64) -> Facts {
    let (min, max, period) = c.salary;
    Facts {
        salary: yearly_salary(min, max, period),
        workplace: c.workplace,
        employment: c.employment_type,
        // Stored by the rule of `alerts::posted_at` (`store::ingest::sort_at`).
        posted: Some(c.sort_at),
        now,
        lifecycle: Lifecycle::of(c.closed, c.reopened),
        mark: c.user_state.map(Mark::from),
    }
}

pub mod sources;

#[cfg(test)]
mod prefixes;
#[cfg(test)]
mod props;

#[cfg(test)]
mod tests;
