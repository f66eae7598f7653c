//! Writing one fetch's postings: deduplicate, insert or update, index for
//! search, and record alert matches with their deliveries, all in the one
//! transaction that [`Ingest::finish`] commits. A crash before the commit loses
//! the whole fetch (it is fetched again); never half of it.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::sources::{FetchRecord, write_record};
use super::{Store, StoreError, to_unix};
use crate::model::{Posting, PostingId, SourceName};

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
    now: i64,
    /// Full-text rows to write at commit, by rowid: FTS5 must flush its
    /// in-memory index whenever a rowid is lower than the one before, so rows
    /// go in ascending order, once each, at the end.
    fts: BTreeMap<i64, SearchTerms>,
}

/// What the full-text index holds for a posting, per column. The caller
/// chooses the words (jobhound gives each field's distinct words, tokenized as
/// queries are); the index only narrows searches, the query matcher decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchTerms {
    /// Words of the title.
    pub title: String,
    /// Words of the company.
    pub company: String,
    /// Words of the locations.
    pub location: String,
    /// Words of the description and tags.
    pub text: String,
}

impl Store {
    /// Starts writing fetches seen at `now`, in one transaction.
    pub fn begin_ingest(
        &mut self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Ingest<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Ingest {
            tx,
            source: SourceName(String::new()),
            now: to_unix(now),
            fts: BTreeMap::new(),
        })
    }
}

impl Ingest<'_> {
    /// The source whose postings and outcome are written next.
    pub fn set_source(&mut self, source: &SourceName) {
        self.source = source.clone();
    }

    /// Stores one posting: the same job when its (source, external id) or else
    /// its canonical URL is already stored, a new row otherwise.
    pub fn upsert(&mut self, p: &Posting, terms: SearchTerms) -> Result<Upsert, StoreError> {
        let hash = content_hash(p);
        let by_sighting: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT posting_id FROM sightings WHERE source = ?1 AND external_id = ?2",
            )?
            .query_row(params![self.source.as_str(), p.external_id], |r| r.get(0))
            .optional()?;
        let existing = match by_sighting {
            Some(id) => Some(id),
            None => match &p.url {
                Some(url) => self
                    .tx
                    .prepare_cached(
                        "SELECT id FROM postings WHERE url_key = ?1 ORDER BY id LIMIT 1",
                    )?
                    .query_row([url], |r| r.get(0))
                    .optional()?,
                None => None,
            },
        };
        let Some(id) = existing else {
            let id = self.insert(p, hash, terms)?;
            self.add_sighting(id, p)?;
            return Ok(Upsert {
                id: PostingId(id),
                change: Change::New,
                new_sighting: false,
            });
        };
        let new_sighting = by_sighting.is_none();
        if new_sighting {
            self.add_sighting(id, p)?;
        } else {
            self.tx
                .prepare_cached(
                    "UPDATE sightings SET last_seen = ?3 WHERE source = ?1 AND external_id = ?2",
                )?
                .execute(params![self.source.as_str(), p.external_id, self.now])?;
        }
        let (owner, stored_hash): (String, i64) = self
            .tx
            .prepare_cached("SELECT source, content_hash FROM postings WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        // Only the source that first listed a job rewrites it: two boards with
        // slightly different copies must not flip the row back and forth.
        let change = if owner == self.source.as_str() && stored_hash != hash {
            self.update(id, p, hash, terms)?;
            Change::Updated
        } else {
            self.tx
                .prepare_cached("UPDATE postings SET last_seen = ?2 WHERE id = ?1")?
                .execute(params![id, self.now])?;
            Change::Unchanged
        };
        Ok(Upsert {
            id: PostingId(id),
            change,
            new_sighting,
        })
    }

    /// Names of every source that lists the job.
    pub fn sources_of(&self, id: PostingId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT source FROM sightings WHERE posting_id = ?1 ORDER BY first_seen, source",
        )?;
        let rows = stmt.query_map([id.0], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records that `alert` matched the job, once ever. When it is the first
    /// time and `notify` is set, queues a delivery per notifier. Returns whether
    /// the match is new.
    pub fn record_match(
        &mut self,
        alert: &str,
        id: PostingId,
        notifiers: &[String],
        notify: bool,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO matches (alert, posting_id, matched_at, notified) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![alert, id.0, self.now, notify && !notifiers.is_empty()])?;
        if inserted == 0 {
            return Ok(false);
        }
        if notify {
            let mut stmt = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO deliveries (alert, posting_id, notifier, next_attempt_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?;
            for n in notifiers {
                stmt.execute(params![alert, id.0, n, self.now])?;
            }
        }
        Ok(true)
    }

    /// Records the current source's fetch outcome.
    pub fn record(&self, record: &FetchRecord) -> Result<(), StoreError> {
        write_record(&self.tx, &self.source, record, self.now)
    }

    /// Commits everything written since [`Store::begin_ingest`].
    pub fn commit(self) -> Result<(), StoreError> {
        {
            let mut stmt = self.tx.prepare_cached(
                "INSERT INTO postings_fts (rowid, title, company, location, text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (key, r) in &self.fts {
                stmt.execute(params![key, r.title, r.company, r.location, r.text])?;
            }
        }
        self.tx.commit()?;
        Ok(())
    }

    fn insert(&mut self, p: &Posting, hash: i64, terms: SearchTerms) -> Result<i64, StoreError> {
        let v = Columns::of(p)?;
        self.tx
            .prepare_cached(
                "INSERT INTO postings (source, external_id, url_key, title, raw_title, company, department,
                    locations, workplace, employment_type, salary_min, salary_max, salary_currency,
                    salary_period, salary_origin, salary_text, posted_at, updated_at, url, apply_url,
                    description_html, text, tags, author, content_hash, first_seen, last_seen, changed_at, sort_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                    ?3, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?25, ?25, ?26)",
            )?
            .execute(params![
                self.source.as_str(), p.external_id, p.url, p.title, p.raw_title, p.company, p.department,
                v.locations, p.workplace.as_str(), v.employment, v.salary_min, v.salary_max, v.currency,
                v.period, v.origin, v.salary_text, v.posted, v.updated, p.apply_url, p.description_html,
                p.text, v.tags, p.author, hash, self.now, sort_at(v.posted, self.now),
            ])?;
        let id = self.tx.last_insert_rowid();
        self.fts
            .insert(fts_key(sort_at(v.posted, self.now), id)?, terms);
        Ok(id)
    }

    fn update(
        &mut self,
        id: i64,
        p: &Posting,
        hash: i64,
        terms: SearchTerms,
    ) -> Result<(), StoreError> {
        let v = Columns::of(p)?;
        let (old_sort_at, first_seen): (i64, i64) = self
            .tx
            .prepare_cached("SELECT sort_at, first_seen FROM postings WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let new_sort_at = sort_at(v.posted, first_seen);
        self.tx
            .prepare_cached(
                "UPDATE postings SET url_key = ?2, title = ?3, raw_title = ?4, company = ?5, department = ?6,
                    locations = ?7, workplace = ?8, employment_type = ?9, salary_min = ?10, salary_max = ?11,
                    salary_currency = ?12, salary_period = ?13, salary_origin = ?14, salary_text = ?15,
                    posted_at = ?16, updated_at = ?17, url = ?2, apply_url = ?18, description_html = ?19,
                    text = ?20, tags = ?21, author = ?22, content_hash = ?23, last_seen = ?24, changed_at = ?24,
                    sort_at = ?25
                 WHERE id = ?1",
            )?
            .execute(params![
                id, p.url, p.title, p.raw_title, p.company, p.department, v.locations,
                p.workplace.as_str(), v.employment, v.salary_min, v.salary_max, v.currency, v.period,
                v.origin, v.salary_text, v.posted, v.updated, p.apply_url, p.description_html, p.text,
                v.tags, p.author, hash, self.now, new_sort_at,
            ])?;
        // Updated earlier in this batch: the old text is still only queued.
        let old = fts_key(old_sort_at, id)?;
        if self.fts.remove(&old).is_none() {
            self.tx
                .prepare_cached("DELETE FROM postings_fts WHERE rowid = ?1")?
                .execute([old])?;
        }
        self.fts.insert(fts_key(new_sort_at, id)?, terms);
        Ok(())
    }

    fn add_sighting(&mut self, id: i64, p: &Posting) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO sightings (source, external_id, posting_id, url, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )?
            .execute(params![self.source.as_str(), p.external_id, id, p.url, self.now])?;
        Ok(())
    }
}

/// When a job counts as posted, for "newest first": its posting time, but
/// never later than when jobhound first saw it (a future date is a source's error).
fn sort_at(posted: Option<i64>, first_seen: i64) -> i64 {
    posted.unwrap_or(first_seen).min(first_seen)
}

/// Bits of a full-text rowid that hold the posting id; the bits above hold its
/// sort day, so the index lists matches newest first by itself.
pub(crate) const FTS_ID_BITS: u32 = 29;

/// The full-text rowid of posting `id` sorted at `sort_at` (unix seconds):
/// `sort_day << 29 | id`, where `sort_day` is whole days since 1970. Searches
/// walk the index in rowid order and stop after the first matches, instead of
/// sorting every posting that has the words. Days rather than seconds keep the
/// gaps between consecutive rowids, and so the index, small.
pub(crate) fn fts_key(sort_at: i64, id: i64) -> Result<i64, StoreError> {
    if !(0..1 << FTS_ID_BITS).contains(&id) {
        return Err(StoreError::Corrupt(format!(
            "posting id {id} exceeds the {} postings the search index can address",
            1u64 << FTS_ID_BITS
        )));
    }
    // Before 1970 sorts as 1970.
    Ok((sort_at.max(0) / 86_400) << FTS_ID_BITS | id)
}

/// Column values derived from a posting for the SQL statements.
struct Columns {
    locations: String,
    tags: String,
    employment: Option<&'static str>,
    salary_min: Option<f64>,
    salary_max: Option<f64>,
    currency: Option<String>,
    period: Option<&'static str>,
    origin: Option<&'static str>,
    salary_text: Option<String>,
    posted: Option<i64>,
    updated: Option<i64>,
}

impl Columns {
    fn of(p: &Posting) -> Result<Columns, StoreError> {
        let json = |v: &Vec<String>| {
            serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
        };
        let s = p.salary.as_ref();
        Ok(Columns {
            locations: json(&p.locations)?,
            tags: json(&p.tags)?,
            employment: p.employment_type.map(|e| e.as_str()),
            salary_min: s.and_then(|s| s.min),
            salary_max: s.and_then(|s| s.max),
            currency: s.and_then(|s| s.currency.clone()),
            period: s.and_then(|s| s.period).map(|p| p.as_str()),
            origin: s.map(|s| s.origin.as_str()),
            salary_text: s.and_then(|s| s.text.clone()),
            posted: p.posted_at.map(to_unix),
            updated: p.updated_at.map(to_unix),
        })
    }
}

/// A stable 64-bit FNV-1a hash of everything that makes a posting's content,
/// so a changed title or text is noticed without reading the stored row.
fn content_hash(p: &Posting) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(&p.title);
    feed(p.company.as_deref().unwrap_or(""));
    feed(p.department.as_deref().unwrap_or(""));
    for l in &p.locations {
        feed(l);
    }
    feed(p.workplace.as_str());
    feed(p.employment_type.map(|e| e.as_str()).unwrap_or(""));
    if let Some(s) = &p.salary {
        feed(&format!(
            "{:?}{:?}{:?}{:?}",
            s.min, s.max, s.currency, s.period
        ));
    }
    feed(p.url.as_deref().unwrap_or(""));
    feed(p.apply_url.as_deref().unwrap_or(""));
    feed(&p.text);
    for t in &p.tags {
        feed(t);
    }
    h as i64
}
