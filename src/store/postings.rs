//! Reading postings back: one by id or several, with their sightings and
//! matches (search candidates are in `candidates.rs`).

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, UserState, from_unix};
use crate::model::{
    EmploymentType, Posting, PostingId, Salary, SalaryOrigin, SalaryPeriod, SourceName, Workplace,
};

/// A stored job with its bookkeeping.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredPosting {
    /// Its row id.
    pub id: PostingId,
    /// The posting as last stored.
    #[serde(flatten)]
    pub posting: Posting,
    /// Every source that lists it, first seen first.
    pub sources: Vec<String>,
    /// When jobhound first saw it.
    pub first_seen: DateTime<Utc>,
    /// When jobhound last saw it listed.
    pub last_seen: DateTime<Utc>,
    /// When its content last changed.
    pub changed_at: DateTime<Utc>,
    /// Open, closed or reopened.
    pub state: JobState,
    /// When every listing of it was gone (closed jobs only).
    pub closed_at: Option<DateTime<Utc>>,
    /// When it came back after it had closed.
    pub reopened_at: Option<DateTime<Utc>>,
    /// Every place it is listed, first seen first, with why each was joined.
    pub sightings: Vec<Sighting>,
    /// What the user made of it: saved, applied, dismissed (`null`: nothing yet).
    pub user_state: Option<UserState>,
}

/// Whether a job is still listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Listed, and never gone.
    Open,
    /// Gone from every board that can tell.
    Closed,
    /// Gone once, and listed again.
    Reopened,
}

impl JobState {
    /// The lower-case name shown in output.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Open => "open",
            JobState::Closed => "closed",
            JobState::Reopened => "reopened",
        }
    }
}

/// How many columns [`COLUMNS`] lists.
pub(super) const COLUMN_COUNT: usize = 28;

pub(super) const COLUMNS: &str =
    "p.id, p.source, p.external_id, p.title, p.raw_title, p.company, p.department,
    p.locations, p.workplace, p.employment_type, p.salary_min, p.salary_max, p.salary_currency,
    p.salary_period, p.salary_origin, p.salary_text, p.posted_at, p.updated_at, p.url, p.apply_url,
    p.description, p.tags, p.author, p.first_seen, p.last_seen, p.changed_at,
    p.closed_at, p.reopened_at";

impl Store {
    /// One job by id, with its sources.
    pub fn posting(&self, id: PostingId) -> Result<Option<StoredPosting>, StoreError> {
        // Descriptions may name a dictionary trained since this connection opened.
        super::description::load(&self.conn)?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM postings p WHERE p.id = ?1"))?;
        let Some(mut stored) = stmt.query_row([id.0], stored_from_row).optional()? else {
            return Ok(None);
        };
        stored.sightings = self.sightings(id)?;
        stored.user_state = self.user_state(id)?;
        for s in &stored.sightings {
            if !stored.sources.contains(&s.source) {
                stored.sources.push(s.source.clone());
            }
        }
        Ok(Some(stored))
    }

    /// Several jobs by id, in the order given (missing ids are skipped).
    pub fn postings(&self, ids: &[PostingId]) -> Result<Vec<StoredPosting>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(p) = self.posting(id)? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// How many jobs are stored.
    pub fn count_postings(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM postings", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}

/// The HTML and text of the description stored in column `i`.
pub(super) fn description(r: &Row<'_>, i: usize) -> rusqlite::Result<(String, String)> {
    let blob = r.get_ref(i)?.as_blob_or_null()?;
    super::description::decode(blob).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, Box::new(e))
    })
}

/// Reads a row selected with [`COLUMNS`] (sources are filled in by the caller).
pub(super) fn stored_from_row(r: &Row<'_>) -> rusqlite::Result<StoredPosting> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let s: String = r.get(i)?;
        serde_json::from_str(&s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    let salary_origin: Option<String> = r.get(14)?;
    let salary = salary_origin.map(|origin| -> rusqlite::Result<Salary> {
        Ok(Salary {
            min: r.get(10)?,
            max: r.get(11)?,
            currency: r.get(12)?,
            period: r
                .get::<_, Option<String>>(13)?
                .as_deref()
                .and_then(SalaryPeriod::parse),
            origin: if origin == "structured" {
                SalaryOrigin::Structured
            } else {
                SalaryOrigin::Text
            },
            text: r.get(15)?,
        })
    });
    let (description_html, text) = description(r, 20)?;
    let title: String = r.get(3)?;
    // An empty BLOB: the raw title is the title (`ingest/columns.rs`).
    let raw_title = match r.get_ref(4)? {
        ValueRef::Blob([]) => title.clone(),
        _ => r.get(4)?,
    };
    let posting = Posting {
        source: SourceName(r.get(1)?),
        external_id: r.get(2)?,
        title,
        raw_title,
        company: r.get(5)?,
        department: r.get(6)?,
        locations: list(7)?,
        workplace: Workplace::parse(&r.get::<_, String>(8)?),
        employment_type: r
            .get::<_, Option<String>>(9)?
            .as_deref()
            .and_then(EmploymentType::parse),
        salary: salary.transpose()?,
        posted_at: r.get::<_, Option<i64>>(16)?.map(from_unix),
        updated_at: r.get::<_, Option<i64>>(17)?.map(from_unix),
        url: r.get(18)?,
        apply_url: r.get(19)?,
        description_html,
        text,
        tags: list(21)?,
        author: r.get(22)?,
    };
    let closed_at = r.get::<_, Option<i64>>(26)?.map(from_unix);
    let reopened_at = r.get::<_, Option<i64>>(27)?.map(from_unix);
    Ok(StoredPosting {
        id: PostingId(r.get(0)?),
        posting,
        sources: Vec::new(),
        first_seen: from_unix(r.get(23)?),
        last_seen: from_unix(r.get(24)?),
        changed_at: from_unix(r.get(25)?),
        state: match (closed_at, reopened_at) {
            (Some(_), _) => JobState::Closed,
            (None, Some(_)) => JobState::Reopened,
            (None, None) => JobState::Open,
        },
        closed_at,
        reopened_at,
        sightings: Vec::new(),
        user_state: None,
    })
}

/// One (source, external id) under which a job was seen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sighting {
    /// The source.
    pub source: String,
    /// The source's id for the job.
    pub external_id: String,
    /// The URL the source gave.
    pub url: Option<String>,
    /// First time this source listed it.
    pub first_seen: DateTime<Utc>,
    /// Last time this source listed it.
    pub last_seen: DateTime<Utc>,
    /// Why it was joined to the job: `first`, `url`, `apply-link`, `link`, `content` or `split`.
    pub reason: String,
    /// The evidence, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// When its source stopped listing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
}

/// An alert that matched a job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatchRecord {
    /// The alert.
    pub alert: String,
    /// When it matched.
    pub matched_at: DateTime<Utc>,
    /// False when recorded silently (a source's first fetch).
    pub notified: bool,
}

impl Store {
    /// Every sighting of a job.
    pub fn sightings(&self, id: PostingId) -> Result<Vec<Sighting>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, external_id, url, first_seen, last_seen, reason, detail, closed_at
             FROM sightings WHERE posting_id = ?1 ORDER BY first_seen, source, external_id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(Sighting {
                source: r.get(0)?,
                external_id: r.get(1)?,
                url: r.get(2)?,
                first_seen: from_unix(r.get(3)?),
                last_seen: from_unix(r.get(4)?),
                reason: r.get(5)?,
                detail: r.get(6)?,
                closed_at: r.get::<_, Option<i64>>(7)?.map(from_unix),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every alert that matched a job.
    pub fn matches_of(&self, id: PostingId) -> Result<Vec<MatchRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT alert, matched_at, notified FROM matches WHERE posting_id = ?1 ORDER BY alert",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(MatchRecord {
                alert: r.get(0)?,
                matched_at: from_unix(r.get(1)?),
                notified: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// The latest matches of an alert, newest first: `(job, when, notified)`.
    pub fn alert_matches(
        &self,
        alert: &str,
        limit: usize,
    ) -> Result<Vec<(PostingId, DateTime<Utc>, bool)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT posting_id, matched_at, notified FROM matches WHERE alert = ?1
             ORDER BY matched_at DESC, posting_id DESC LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![alert, limit], |r| {
            Ok((PostingId(r.get(0)?), from_unix(r.get(1)?), r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// How many stored jobs are still listed (not closed).
    pub fn count_open_postings(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM postings WHERE closed_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
