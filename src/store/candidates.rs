//! Search candidates: jobs streamed newest first, narrowed by the full-text
//! index when the query allows it, each read without its full row.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::ingest::{FTS_ID_BITS, fts_key};
use super::postings::description;
use super::{Store, StoreError, UserState, to_unix};
use crate::model::{EmploymentType, PostingId, SalaryPeriod, Workplace};

/// What a search needs to decide whether a job matches, without the full row.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The job's row id.
    pub id: PostingId,
    /// Title.
    pub title: String,
    /// Company ("" when unknown).
    pub company: String,
    /// Locations joined with "; ".
    pub location: String,
    /// The indexed text: description, then tags.
    pub text: String,
    /// Every source that lists it.
    pub sources: Vec<String>,
    /// Whether it has closed.
    pub closed: bool,
    /// Where it stands in the newest-first order.
    pub position: Position,
    /// The user's state of it.
    pub user_state: Option<UserState>,
    /// Whether it closed once and was listed again.
    pub reopened: bool,
    /// When it counts as posted (unix seconds): what `--since` compares.
    pub sort_at: i64,
    /// Remote, hybrid, on-site or unknown.
    pub workplace: Workplace,
    /// The kind of contract.
    pub employment_type: Option<EmploymentType>,
    /// Pay: lower bound, upper bound, period.
    pub salary: (Option<f64>, Option<f64>, Option<SalaryPeriod>),
}

/// A place in the newest-first order searches walk: the sort day (whole days
/// since 1970, see `ingest::fts_key`), then the id, both descending. A job
/// stored later gets a higher id, so a position stays put as jobs arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The sort day.
    pub day: i64,
    /// The job's id.
    pub id: i64,
}

/// Which jobs to stream as candidates.
#[derive(Debug, Clone, Default)]
pub struct CandidateFilter<'a> {
    /// An FTS5 expression that every match satisfies (a prefilter), if any.
    pub fts: Option<&'a str>,
    /// Only jobs posted (or first seen) at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only jobs listed by this source.
    pub source: Option<&'a str>,
    /// Closed jobs too.
    pub include_closed: bool,
    /// Only jobs after this position in the order (the next page).
    pub before: Option<Position>,
    /// Only jobs the user put in this state.
    pub user_state: Option<UserState>,
    /// Not the jobs the user put in this state.
    pub exclude_state: Option<UserState>,
    /// Leave the description and tags out of the candidates (empty): for
    /// queries that read no words, so a scan does not read every text.
    pub skip_text: bool,
}

impl CandidateFilter<'_> {
    /// Whether a candidate passes the filters the SQL did not apply.
    fn keeps(&self, c: &Candidate, sort_at: i64, since: i64) -> bool {
        sort_at >= since
            && (!c.closed || self.include_closed)
            && self.source.is_none_or(|s| c.sources.iter().any(|x| x == s))
            && self.before.is_none_or(|b| c.position < b)
            && self.user_state.is_none_or(|u| c.user_state == Some(u))
            && self.exclude_state.is_none_or(|u| c.user_state != Some(u))
    }
}

impl Store {
    /// Streams candidate jobs newest first to `visit` until it returns `false`.
    pub fn scan_candidates(
        &self,
        filter: &CandidateFilter<'_>,
        mut visit: impl FnMut(Candidate) -> bool,
    ) -> Result<(), StoreError> {
        super::description::load(&self.conn)?;
        let since = filter.since.map(to_unix).unwrap_or(i64::MIN);
        let Some(fts) = filter.fts else {
            return self.scan_by_date(since, filter, visit);
        };
        // The index's rowids sort newest day first (`ingest::fts_key`): walk them in
        // order and stop at the caller's limit, however many match.
        let mut keys = self.conn.prepare_cached(
            "SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3
             ORDER BY rowid DESC",
        )?;
        let floor = if since == i64::MIN {
            0
        } else {
            fts_key(since.max(0), 0)?
        };
        // Rowids are positions (`day << 29 | id`): the next page starts below the cursor's.
        let ceiling = match filter.before {
            None => i64::MAX,
            Some(p) => p
                .day
                .max(0)
                .checked_mul(1 << FTS_ID_BITS)
                .and_then(|d| d.checked_add(p.id.clamp(0, (1 << FTS_ID_BITS) - 1)))
                .unwrap_or(i64::MAX),
        };
        let mut rows = keys.query(params![fts, floor, ceiling])?;
        let mut row = self.conn.prepare_cached(&format!(
            "{} WHERE p.id = ?1",
            candidate_sql(filter.skip_text)
        ))?;
        while let Some(r) = rows.next()? {
            let id = r.get::<_, i64>(0)? & ((1 << FTS_ID_BITS) - 1);
            let Some((c, sort_at)) = row.query_row([id], candidate_from_row).optional()? else {
                continue;
            };
            // The floor is a whole day; its first day may hold older postings.
            if !filter.keeps(&c, sort_at, since) {
                continue;
            }
            if !visit(c) {
                break;
            }
        }
        Ok(())
    }

    /// Candidates newest first without the full-text index (no query, or one
    /// that nothing narrows, such as a pure negation).
    fn scan_by_date(
        &self,
        since: i64,
        filter: &CandidateFilter<'_>,
        mut visit: impl FnMut(Candidate) -> bool,
    ) -> Result<(), StoreError> {
        // The same order as the full-text path: newest day first, then the
        // posting discovered last.
        let mut sql = format!(
            "{} WHERE p.sort_day >= ?1 / 86400 AND p.sort_at >= ?1",
            candidate_sql(filter.skip_text)
        );
        let mut args: Vec<rusqlite::types::Value> = vec![since.into()];
        if !filter.include_closed {
            sql.push_str(" AND p.closed_at IS NULL");
        }
        if let Some(s) = filter.source {
            args.push(s.to_string().into());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM sightings s WHERE s.posting_id = p.id AND s.source = ?{})",
                args.len()
            ));
        }
        if let Some(u) = filter.user_state {
            // Driven by the state's index: the jobs in a state are few, and
            // a test row by row would read every job.
            args.push(u.as_str().to_string().into());
            sql.push_str(&format!(
                " AND p.id IN (SELECT u.posting_id FROM user_state u WHERE u.state = ?{})",
                args.len()
            ));
        }
        if let Some(u) = filter.exclude_state {
            args.push(u.as_str().to_string().into());
            sql.push_str(&format!(
                " AND NOT EXISTS (SELECT 1 FROM user_state u WHERE u.posting_id = p.id AND u.state = ?{})",
                args.len()
            ));
        }
        if let Some(b) = filter.before {
            args.push(b.day.into());
            args.push(b.id.into());
            let (d, i) = (args.len() - 1, args.len());
            sql.push_str(&format!(
                " AND (p.sort_day < ?{d} OR (p.sort_day = ?{d} AND p.id < ?{i}))"
            ));
        }
        sql.push_str(" ORDER BY p.sort_day DESC, p.id DESC");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            if !visit(candidate_from_row(r)?.0) {
                break;
            }
        }
        Ok(())
    }
}

/// The query a [`Candidate`] is read with, without its text when `skip_text`.
fn candidate_sql(skip_text: bool) -> String {
    let text = if skip_text {
        "NULL, '[]'"
    } else {
        "p.description, p.tags"
    };
    format!("SELECT p.id, p.title, coalesce(p.company, ''), p.locations, {text}, {CANDIDATE_REST}")
}

/// The columns of a [`Candidate`] after its text.
const CANDIDATE_REST: &str =
    "(SELECT group_concat(s.source, char(31)) FROM sightings s WHERE s.posting_id = p.id), p.sort_at,
    p.closed_at IS NOT NULL, p.sort_day,
    (SELECT u.state FROM user_state u WHERE u.posting_id = p.id),
    p.reopened_at IS NOT NULL, p.workplace, p.employment_type, p.salary_min, p.salary_max,
    p.salary_period
    FROM postings p";

/// A candidate and its sort time.
fn candidate_from_row(r: &Row<'_>) -> rusqlite::Result<(Candidate, i64)> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let s: String = r.get(i)?;
        serde_json::from_str(&s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    // The text the index holds: the description, then the tags.
    let (_, mut text) = description(r, 4)?;
    for t in list(5)? {
        text.push('\n');
        text.push_str(&t);
    }
    let sources: Option<String> = r.get(6)?;
    let candidate = Candidate {
        id: PostingId(r.get(0)?),
        title: r.get(1)?,
        company: r.get(2)?,
        location: list(3)?.join("; "),
        text,
        sources: sources
            .map(|s| s.split('\u{1f}').map(String::from).collect())
            .unwrap_or_default(),
        closed: r.get(8)?,
        position: Position {
            day: r.get(9)?,
            id: r.get(0)?,
        },
        user_state: r
            .get::<_, Option<String>>(10)?
            .as_deref()
            .and_then(UserState::parse),
        reopened: r.get(11)?,
        sort_at: r.get(7)?,
        workplace: Workplace::parse(&r.get::<_, String>(12)?),
        employment_type: r
            .get::<_, Option<String>>(13)?
            .as_deref()
            .and_then(EmploymentType::parse),
        salary: (
            r.get(14)?,
            r.get(15)?,
            r.get::<_, Option<String>>(16)?
                .as_deref()
                .and_then(SalaryPeriod::parse),
        ),
    };
    Ok((candidate, r.get(7)?))
}
