//! Writing one fetch's postings: find the job each listing belongs to
//! (`dedupe` decides), insert or merge, index for search, close the jobs a
//! complete fetch no longer lists, and record alert matches with their
//! deliveries (`matches.rs`), all in the transaction that [`Ingest::commit`]
//! commits. It may hold several fetches, each in its own savepoint
//! (`savepoint.rs`), so one that fails is taken back alone. A crash before
//! the commit loses the fetches in it (they are fetched again); never half
//! of one.
//!
//! Which listing's fields a merged job shows is `owner.rs`'s rule; the
//! sighting rows that tie each listing to its job are `sightings.rs`'s.

mod columns;
mod find;
mod fts;
mod lifecycle;
mod matches;
mod owner;
mod savepoint;
mod sightings;

use std::collections::{BTreeMap, HashSet};

use columns::Columns;
pub use columns::Encoded;
pub use fts::{COMPANY_MARK, LOCATION_MARK, SearchTerms, TITLE_MARK};
pub(crate) use fts::{FTS_ID_BITS, fts_key};
pub use matches::StoredState;
pub use owner::kind_rank;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::dedupe::Reason;
use super::description::Trained;
use super::postings::{COLUMNS, stored_from_row};
use super::sources::{FetchRecord, write_record};
use super::{Store, StoreError, to_unix};
use crate::model::{Posting, PostingId, SourceName};
use crate::normalize::identity::Keys;

/// What storing one posting did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A job not stored before.
    New,
    /// A stored job whose title, text or other content changed.
    Updated,
    /// Seen again as it was: only `last_seen` moved.
    Unchanged,
}

/// The result of [`Ingest::upsert`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upsert {
    /// The job's row.
    pub id: PostingId,
    /// New, updated or unchanged.
    pub change: Change,
    /// True when this source lists a job already stored from another source (or under another id).
    pub new_sighting: bool,
    /// True when the job had closed and this listing brought it back.
    pub reopened: bool,
}

impl Upsert {
    /// Alerts are evaluated for new and changed jobs and for new sightings
    /// (a `source:` query may match now); never again for unchanged ones.
    pub fn needs_matching(&self) -> bool {
        self.change != Change::Unchanged || self.new_sighting
    }
}

/// An open ingest transaction. It may hold the fetches of several sources
/// (group commit): [`Ingest::set_source`] says whose postings come next.
pub struct Ingest<'a> {
    tx: rusqlite::Transaction<'a>,
    source: SourceName,
    /// How authoritative the current source's kind is ([`kind_rank`]).
    rank: i64,
    /// Whether the current source's fetches prove a job's absence.
    tracked: bool,
    /// Recomputes a merged job's search words (the caller's tokenizer).
    terms_of: Option<fn(&Posting) -> SearchTerms>,
    /// External ids the current source listed in this fetch.
    seen: HashSet<String>,
    /// Every external id of the current fetch, known before its listings are
    /// stored when the fetch is complete (see [`Ingest::set_listing`]).
    listing: Option<HashSet<String>>,
    now: i64,
    /// Full-text rows to write at commit, by rowid: FTS5 must flush its
    /// in-memory index whenever a rowid is lower than the one before, so rows
    /// go in ascending order, once each, at the end.
    fts: BTreeMap<i64, SearchTerms>,
    /// Full-text rows of earlier transactions to delete at commit, before
    /// the rows above are written. Until then the index is not part of the
    /// transaction, so a fetch's savepoint does not make FTS5 write out its
    /// pending rows (it does at every savepoint of a transaction it is in).
    fts_deleted: Vec<i64>,
    /// How to undo the queued full-text changes of the fetch under way
    /// ([`Ingest::begin_fetch`]), if one is.
    undo: Option<fts::Undo>,
    /// The store's trained description dictionary, if it has one yet.
    dict: Option<&'static Trained>,
    /// Where the commit trains a new one when due.
    trainer: &'a mut super::description::Trainer,
}

impl Store {
    /// Starts writing fetches seen at `now`, in one transaction.
    pub fn begin_ingest(
        &mut self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Ingest<'_>, StoreError> {
        let Store { conn, trainer } = self;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The dictionary new descriptions are compressed with (description.rs).
        let dict = super::description::load(&tx)?;
        Ok(Ingest {
            tx,
            source: SourceName(String::new()),
            rank: 0,
            tracked: false,
            terms_of: None,
            seen: HashSet::new(),
            listing: None,
            now: to_unix(now),
            fts: BTreeMap::new(),
            fts_deleted: Vec::new(),
            undo: None,
            dict,
            trainer,
        })
    }
}

impl Ingest<'_> {
    /// Makes the dictionary this transaction compresses with the one that
    /// `to` hands to the threads preparing postings.
    pub fn publish_dictionary(&self, to: &super::CurrentDictionary) {
        to.set(self.dict);
    }

    /// How many postings this transaction should hold at most, given that
    /// the caller's own bound is `most`. A store that has never trained its
    /// description dictionary trains it in the first commit that finds
    /// [`Policy::train_at`](super::description::Policy) postings stored; the
    /// rows written before then are compressed with the shipped dictionary,
    /// and re-encoded later. So its transactions end as soon as they reach
    /// that count, rather than thousands of postings later, which would all
    /// be compressed twice (BENCHMARKS.md, *The first dictionary, on time*).
    pub fn batch_limit(&self, most: usize) -> Result<usize, StoreError> {
        let policy = super::description::Policy::DEFAULT;
        Ok(
            match super::description::first_training_in(&self.tx, &policy)? {
                Some(left) => most.min(usize::try_from(left).unwrap_or(most)),
                None => most,
            },
        )
    }

    /// The source whose postings and outcome are written next.
    pub fn set_source(&mut self, source: &SourceName) {
        self.source = source.clone();
        self.seen.clear();
        self.listing = None;
    }

    /// Every external id a complete fetch of the current source lists, before
    /// its listings are stored: a listing of the same job that the board
    /// dropped in this very fetch is then known to be gone, so the new id is
    /// its repost rather than a second requisition.
    pub fn set_listing(&mut self, ids: impl IntoIterator<Item = String>) {
        self.listing = Some(ids.into_iter().collect());
    }

    /// The kind of the current source (`kind = "..."`), and whether its
    /// fetches list everything it has, so that a listing missing from them is gone.
    pub fn set_kind(&mut self, kind: &str, tracked: bool) {
        self.rank = kind_rank(kind);
        self.tracked = tracked;
    }

    /// The tokenizer that gives a merged job its search words (the caller's,
    /// as for the words handed to [`Ingest::upsert`]).
    pub fn set_terms_of(&mut self, terms_of: fn(&Posting) -> SearchTerms) {
        self.terms_of = Some(terms_of);
    }

    /// Stores one listing: the job its (source, external id) already belongs
    /// to, else the job `dedupe` finds the same, else a new job.
    pub fn upsert(
        &mut self,
        p: &Posting,
        keys: &Keys,
        terms: SearchTerms,
    ) -> Result<Upsert, StoreError> {
        let encoded = Encoded::with(p, keys, self.dict)?;
        self.upsert_encoded(p, keys, terms, encoded)
    }

    /// [`Ingest::upsert`] with the listing's [`Encoded`] parts worked out
    /// beforehand, by [`Encoded::of`].
    pub fn upsert_encoded(
        &mut self,
        p: &Posting,
        keys: &Keys,
        terms: SearchTerms,
        mut enc: Encoded,
    ) -> Result<Upsert, StoreError> {
        let hash = enc.hash;
        self.seen.insert(p.external_id.clone());
        let known: Option<(i64, String, Option<i64>)> = self
            .tx
            .prepare_cached(
                "SELECT posting_id, reason, content_hash FROM sightings WHERE source = ?1 AND external_id = ?2",
            )?
            .query_row(params![self.source.as_str(), p.external_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        if let Some((id, reason, seen_hash)) = known {
            let changed = seen_hash != Some(hash);
            if changed && Reason::is_soft(&reason) && self.diverges(id, p, keys)? {
                return self.split(id, p, keys, &mut enc, terms);
            }
            self.touch_sighting(p, keys, &enc, changed)?;
            // A feed still showing an item is no news; a board that lists
            // everything showing it again is.
            let reopened = self.tracked && self.reopen(id)?;
            let change = self.merge_into(id, p, &mut enc, terms)?;
            return Ok(Upsert {
                id: PostingId(id),
                change,
                new_sighting: false,
                reopened,
            });
        }
        let Some((id, reason, detail)) = self.find_same_job(p, keys)? else {
            let id = self.insert(p, &mut enc, terms)?;
            self.add_sighting(id, p, keys, &enc, Reason::First, None)?;
            return Ok(Upsert {
                id: PostingId(id),
                change: Change::New,
                new_sighting: false,
                reopened: false,
            });
        };
        self.add_sighting(id, p, keys, &enc, reason, Some(&detail))?;
        let reopened = self.reopen(id)?;
        let change = self.merge_into(id, p, &mut enc, terms)?;
        Ok(Upsert {
            id: PostingId(id),
            change,
            new_sighting: true,
            reopened,
        })
    }

    /// A job's stored fields.
    fn stored(&self, id: i64) -> Result<Posting, StoreError> {
        Ok(self
            .tx
            .prepare_cached(&format!("SELECT {COLUMNS} FROM postings p WHERE p.id = ?1"))?
            .query_row([id], stored_from_row)?
            .posting)
    }

    fn touch_posting(&self, id: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE postings SET last_seen = ?2 WHERE id = ?1")?
            .execute(params![id, self.now])?;
        Ok(())
    }

    /// Keeps how long the current source's pass waited for its host's
    /// limits, or forgets it (`None`). Written here, in the writer's group
    /// commit: from any other connection the write would queue for the lock
    /// behind the writer's transactions (SQLite's busy handler sleeps), and
    /// the writer's next transaction behind it.
    pub fn record_host_wait(&self, wait: Option<&super::HostWait>) -> Result<(), StoreError> {
        super::polite::write_host_wait(&self.tx, self.source.as_str(), wait)
    }

    /// Records the current source's fetch outcome.
    pub fn record(&self, record: &FetchRecord) -> Result<(), StoreError> {
        write_record(&self.tx, &self.source, record, self.now)
    }

    /// Commits everything written since [`Store::begin_ingest`].
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.flush_search_index()?;
        // Train the store's description dictionary when due and re-encode a
        // batch of older rows; a failure there must not lose the fetch.
        let policy = super::description::Policy::DEFAULT;
        if let Err(e) = super::description::maintain(&self.tx, self.now, &policy, self.trainer) {
            tracing::warn!(error = %e, "description dictionary upkeep failed");
        }
        self.tx.commit()?;
        Ok(())
    }

    fn insert(
        &mut self,
        p: &Posting,
        enc: &mut Encoded,
        terms: SearchTerms,
    ) -> Result<i64, StoreError> {
        let hash = enc.hash;
        let v = Columns::of(p, self.dict, enc.take_description(p, p, self.dict))?;
        self.tx
            .prepare_cached(
                "INSERT INTO postings (source, external_id, title, raw_title, company, department,
                    locations, workplace, employment_type, salary_min, salary_max, salary_currency,
                    salary_period, salary_origin, salary_text, posted_at, updated_at, url, apply_url,
                    description, tags, author, content_hash, first_seen, last_seen, changed_at, sort_at,
                    owner_rank)
                 VALUES (?1, ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                    ?3, ?19, ?20, ?21, ?22, ?23, ?24, ?24, ?24, ?25, ?26)",
            )?
            .execute(params![
                self.source.as_str(), p.external_id, p.url, p.title, v.raw_title, p.company, p.department,
                v.locations, p.workplace.as_str(), v.employment, v.salary_min, v.salary_max, v.currency,
                v.period, v.origin, v.salary_text, v.posted, v.updated, p.apply_url, v.description,
                v.tags, p.author, hash, self.now, sort_at(v.posted, self.now), self.rank,
            ])?;
        let id = self.tx.last_insert_rowid();
        self.queue_search_row(fts_key(sort_at(v.posted, self.now), id)?, terms);
        Ok(id)
    }

    fn update(
        &mut self,
        id: i64,
        p: &Posting,
        hash: i64,
        terms: SearchTerms,
        ready: Option<Option<Vec<u8>>>,
    ) -> Result<(), StoreError> {
        let v = Columns::of(p, self.dict, ready)?;
        let (old_sort_at, first_seen): (i64, i64) = self
            .tx
            .prepare_cached("SELECT sort_at, first_seen FROM postings WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let new_sort_at = sort_at(v.posted, first_seen);
        self.tx
            .prepare_cached(
                "UPDATE postings SET title = ?3, raw_title = ?4, company = ?5, department = ?6,
                    locations = ?7, workplace = ?8, employment_type = ?9, salary_min = ?10, salary_max = ?11,
                    salary_currency = ?12, salary_period = ?13, salary_origin = ?14, salary_text = ?15,
                    posted_at = ?16, updated_at = ?17, url = ?2, apply_url = ?18, description = ?19,
                    tags = ?20, author = ?21, content_hash = ?22, last_seen = ?23, changed_at = ?23,
                    sort_at = ?24
                 WHERE id = ?1",
            )?
            .execute(params![
                id, p.url, p.title, v.raw_title, p.company, p.department, v.locations,
                p.workplace.as_str(), v.employment, v.salary_min, v.salary_max, v.currency, v.period,
                v.origin, v.salary_text, v.posted, v.updated, p.apply_url, v.description,
                v.tags, p.author, hash, self.now, new_sort_at,
            ])?;
        self.requeue_search_row(fts_key(old_sort_at, id)?, fts_key(new_sort_at, id)?, terms);
        Ok(())
    }
}

/// When a job counts as posted, for "newest first": its posting time, but
/// never later than when jobhound first saw it (a future date is a source's error).
fn sort_at(posted: Option<i64>, first_seen: i64) -> i64 {
    posted.unwrap_or(first_seen).min(first_seen)
}

#[cfg(test)]
impl Ingest<'_> {
    /// Stores `p` as the pipeline would, its identity keys and search words
    /// worked out here.
    pub(crate) fn upsert_whole(&mut self, p: &Posting) -> Result<Upsert, StoreError> {
        self.upsert(p, &Keys::of(p), crate::pipeline::search_terms(p))
    }
}
