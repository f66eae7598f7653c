//! Finding the job a new listing is: the candidates come from indexes on
//! the sightings (URL, apply link, description links, company and title
//! key), and `dedupe` judges them; the strongest evidence wins, a doubt
//! stays apart.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::params;

use super::super::StoreError;
use super::super::dedupe::{self, Candidate, Reason};
use super::Ingest;
use crate::model::Posting;
use crate::normalize::identity::{Keys, Places, locations_compatible, sketch_from_bytes};

/// The most listings one probe reads: the `LIMIT` that the queries of
/// [`candidates_where!`] spell out (`concat!` takes literals only).
const CANDIDATES: usize = 50;

/// The queries for the listings matching a clause over `sightings s`, as
/// [`Ingest::candidates`] reads them, written out at compile time: these run
/// several times for every new listing.
macro_rules! candidates_where {
    ($clause:literal) => {
        candidates_where!("sightings s", $clause)
    };
    ($from:literal, $clause:literal) => {
        Probe {
            any: concat!(candidates_where!(@select $from, $clause), " LIMIT 50"),
            newest: concat!(
                candidates_where!(@select $from, $clause),
                " ORDER BY s.posting_id DESC LIMIT 50"
            ),
        }
    };
    (@select $from:literal, $clause:literal) => {
        concat!(
            "SELECT s.posting_id, s.company_key, s.title_key, s.places, s.sketch, s.source
             FROM ",
            $from,
            " WHERE ",
            $clause
        )
    };
}

/// One probe's query, in two forms: SQLite sorts an `ORDER BY` with a
/// `LIMIT` in a temporary b-tree, which it creates even for the none or one
/// row most probes find (a page cache and a zeroed page each time, several
/// times per new listing). So the unordered form runs first, and the rows
/// are sorted here; only a probe that fills [`CANDIDATES`] runs the ordered
/// form, whose newest 50 may differ.
struct Probe {
    any: &'static str,
    newest: &'static str,
}

impl Ingest<'_> {
    /// The stored job a listing not seen before is, by the strongest evidence
    /// found, with the reason and its explanation.
    pub(super) fn find_same_job(
        &self,
        p: &Posting,
        keys: &Keys,
    ) -> Result<Option<(i64, Reason, String)>, StoreError> {
        if let Some(url) = &p.url {
            // The oldest job with this URL: min() with its row's source, as
            // SQLite gives a bare column beside it, needs no sorting b-tree
            // (see [`Probe`]); no match is one row of NULLs.
            let same: (Option<i64>, Option<String>) = self
                .tx
                .prepare_cached("SELECT min(posting_id), source FROM sightings WHERE url = ?1")?
                .query_row([url], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if let (Some(id), Some(source)) = same {
                return Ok(Some((
                    id,
                    Reason::Url,
                    format!("same URL as {source}: {url}"),
                )));
            }
        }
        // Links, each way: this listing's apply or description links to
        // another's page, the other's to this one's page, or one apply link.
        let mut probes: Vec<(Probe, &str, Reason, &str)> = Vec::new();
        if let Some(apply) = &p.apply_url {
            probes.push((
                candidates_where!("s.url = ?1"),
                apply,
                Reason::ApplyLink,
                "its apply link is the URL of",
            ));
            probes.push((
                candidates_where!("s.apply_url = ?1"),
                apply,
                Reason::SharedApply,
                "same apply link as",
            ));
        }
        // A link to its own page was looked up as its URL above.
        for link in keys.links.iter().filter(|l| Some(*l) != p.url.as_ref()) {
            probes.push((
                candidates_where!("s.url = ?1"),
                link,
                Reason::Link,
                "its description links to the URL of",
            ));
        }
        if let Some(url) = &p.url {
            probes.push((
                candidates_where!("s.apply_url = ?1"),
                url,
                Reason::ApplyLink,
                "its URL is the apply link of",
            ));
            probes.push((
                candidates_where!(
                    "sighting_links l JOIN sightings s
                        ON s.source = l.source AND s.external_id = l.external_id",
                    "l.url = ?1"
                ),
                url,
                Reason::Link,
                "its URL is linked from the description of",
            ));
        }
        for (sql, value, reason, how) in probes {
            let found = self.candidates(&sql, &[&value as &dyn rusqlite::ToSql])?;
            // A link that several jobs share names a careers page, not a job.
            let jobs: BTreeSet<i64> = found.iter().map(|(c, _)| c.posting_id).collect();
            if jobs.len() != 1 {
                continue;
            }
            for (c, source) in found {
                if dedupe::link_agrees(keys, &c, reason)
                    && !self.open_on_this_board(c.posting_id)?
                {
                    let detail = format!("{how} {source}: {value}");
                    return Ok(Some((c.posting_id, reason, detail)));
                }
            }
        }
        let Some(company) = &keys.company else {
            return Ok(None);
        };
        // Every job that passes the content test, by its first passing listing.
        let mut passing: BTreeMap<i64, String> = BTreeMap::new();
        for (c, source) in self.candidates(
            &candidates_where!("s.company_key = ?1 AND s.title_key = ?2"),
            &[company as &dyn rusqlite::ToSql, &keys.title],
        )? {
            if passing.contains_key(&c.posting_id) {
                continue;
            }
            let Some(detail) = dedupe::same_content(keys, &c) else {
                continue;
            };
            // A repost has a new page by nature: links only contradict a job
            // this board has not just dropped.
            if self.open_on_this_board(c.posting_id)?
                || !self.places_agree(c.posting_id, keys)?
                || (!self.dropped_here(c.posting_id)?
                    && dedupe::links_conflict(&own_links(p, keys), &self.links_of(c.posting_id)?))
            {
                continue;
            }
            passing.insert(c.posting_id, format!("{detail} as {source}"));
        }
        // Two jobs that both fit (one title in two cities, and a copy that
        // names only the country) are a doubt: the listing stays apart.
        if passing.len() != 1 {
            return Ok(None);
        }
        Ok(passing
            .into_iter()
            .next()
            .map(|(id, detail)| (id, Reason::Content, detail)))
    }

    /// Whether the current source listed the job before and lists it no
    /// more (closed there, or missing from this complete fetch): a new id
    /// for it is a repost.
    fn dropped_here(&self, id: i64) -> Result<bool, StoreError> {
        let mine: Vec<(String, bool)> = self
            .tx
            .prepare_cached(
                "SELECT external_id, closed_at IS NOT NULL FROM sightings WHERE posting_id = ?1 AND source = ?2",
            )?
            .query_map(params![id, self.source.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(mine
            .iter()
            .any(|(e, closed)| *closed || self.listing.as_ref().is_some_and(|l| !l.contains(e))))
    }

    /// Every link the listings of a job carry: their URLs, apply links and
    /// description links.
    fn links_of(&self, id: i64) -> Result<Vec<String>, StoreError> {
        let mut out: Vec<String> = Vec::new();
        let mut own = self
            .tx
            .prepare_cached("SELECT url, apply_url FROM sightings WHERE posting_id = ?1")?;
        let rows = own.query_map([id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
            ))
        })?;
        for row in rows {
            let (url, apply) = row?;
            out.extend(url);
            out.extend(apply);
        }
        let mut linked = self.tx.prepare_cached(
            "SELECT l.url FROM sighting_links l JOIN sightings s
                ON s.source = l.source AND s.external_id = l.external_id
             WHERE s.posting_id = ?1",
        )?;
        for url in linked.query_map([id], |r| r.get::<_, String>(0))? {
            out.push(url?);
        }
        Ok(out)
    }

    /// Whether a listing's places fit every listing of a job, not only the
    /// one it matched: a "USA" copy must not bridge Boston to San Francisco.
    fn places_agree(&self, id: i64, keys: &Keys) -> Result<bool, StoreError> {
        let all = self.candidates(
            &candidates_where!("s.posting_id = ?1"),
            &[&id as &dyn rusqlite::ToSql],
        )?;
        Ok(all
            .iter()
            .all(|(c, _)| locations_compatible(&keys.places, &c.places)))
    }

    /// The listings `probe` selects, newest job first (at most
    /// [`CANDIDATES`]), with their source.
    fn candidates(
        &self,
        probe: &Probe,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<(Candidate, String)>, StoreError> {
        let read = |sql: &str| -> Result<Vec<(Candidate, String)>, StoreError> {
            let mut stmt = self.tx.prepare_cached(sql)?;
            let rows = stmt.query_map(args, |r| Ok((candidate_from_row(r)?, r.get(5)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let mut rows = read(probe.any)?;
        if rows.len() >= CANDIDATES {
            return read(probe.newest);
        }
        // Stable: listings of one job keep the order SQLite gave them.
        rows.sort_by_key(|(c, _)| std::cmp::Reverse(c.posting_id));
        Ok(rows)
    }

    /// Whether the current source lists the job, open, under another id: two
    /// open listings of one board are two requisitions.
    /// A listing the board dropped in the very fetch that brings the new id
    /// is not open any more: the new one is its repost.
    fn open_on_this_board(&self, id: i64) -> Result<bool, StoreError> {
        let open: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT external_id FROM sightings WHERE posting_id = ?1 AND source = ?2 AND closed_at IS NULL",
            )?
            .query_map(params![id, self.source.as_str()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(open
            .iter()
            .any(|e| self.listing.as_ref().is_none_or(|l| l.contains(e))))
    }

    /// Whether a listing joined on content now contradicts the job's other listings.
    pub(super) fn diverges(&self, id: i64, p: &Posting, keys: &Keys) -> Result<bool, StoreError> {
        let others: Vec<Candidate> = self
            .candidates(
                &candidates_where!(
                    "s.posting_id = ?1 AND NOT (s.source = ?2 AND s.external_id = ?3)"
                ),
                &[
                    &id as &dyn rusqlite::ToSql,
                    &self.source.as_str(),
                    &p.external_id,
                ],
            )?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        Ok(dedupe::diverges(keys, &others))
    }
}

/// A listing's own links: its URL, apply link and description links.
fn own_links(p: &Posting, keys: &Keys) -> Vec<String> {
    p.url
        .iter()
        .chain(&p.apply_url)
        .chain(&keys.links)
        .cloned()
        .collect()
}

/// Reads a [`Candidate`] from `posting_id, company_key, title_key, places, sketch`.
fn candidate_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Candidate> {
    let places: Option<String> = r.get(3)?;
    let sketch: Option<Vec<u8>> = r.get(4)?;
    Ok(Candidate {
        posting_id: r.get(0)?,
        company: r.get(1)?,
        title: r.get(2)?,
        places: Places::from_text(places.as_deref().unwrap_or_default()),
        sketch: sketch.as_deref().map(sketch_from_bytes).unwrap_or_default(),
    })
}
