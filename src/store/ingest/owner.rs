//! Which listing's fields a merged job shows: the owner's, that is the
//! listing of the most authoritative kind (the employer's own ATS, then a job
//! board, then a feed or page; the first seen among equals), with every field
//! the owner lacks (salary, company, locations, workplace, contract type,
//! apply link, dates, description) filled from the other listings. Only the
//! owner rewrites what it has, so two boards with slightly different copies
//! never flip the row back and forth.

use rusqlite::params;

use super::super::StoreError;
use super::{Change, Encoded, Ingest, SearchTerms};
use crate::model::{Posting, Workplace};

impl Ingest<'_> {
    /// Applies a listing to the job it belongs to: the owner rewrites what
    /// changed, a more authoritative listing takes over, any other only fills
    /// the fields the job lacks (see the module header).
    pub(super) fn merge_into(
        &mut self,
        id: i64,
        p: &Posting,
        enc: &mut Encoded,
        terms: SearchTerms,
    ) -> Result<Change, StoreError> {
        let hash = enc.hash;
        let (owner, owner_rank, stored_hash): (String, i64, i64) = self
            .tx
            .prepare_cached("SELECT source, owner_rank, content_hash FROM postings WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let is_owner = owner == self.source.as_str();
        if is_owner && stored_hash == hash {
            self.touch_posting(id)?;
            return Ok(Change::Unchanged);
        }
        let stored = self.stored(id)?;
        if is_owner || self.rank > owner_rank {
            let merged = fill(p.clone(), &stored);
            let terms = self.terms_for(&merged, p, terms);
            let ready = enc.take_description(p, &merged, self.dict);
            self.update(id, &merged, hash, terms, ready)?;
            self.tx
                .prepare_cached(
                    "UPDATE postings SET source = ?2, external_id = ?3, owner_rank = ?4 WHERE id = ?1",
                )?
                .execute(params![id, self.source.as_str(), p.external_id, self.rank])?;
            return Ok(Change::Updated);
        }
        let merged = fill(stored.clone(), p);
        if merged == stored {
            self.touch_posting(id)?;
            return Ok(Change::Unchanged);
        }
        let terms = self.terms_for(&merged, p, terms);
        let ready = enc.take_description(p, &merged, self.dict);
        self.update(id, &merged, stored_hash, terms, ready)?;
        Ok(Change::Updated)
    }

    /// The search words of a merged job: the given ones when it is the
    /// listing as handed over, else recomputed.
    fn terms_for(&self, merged: &Posting, p: &Posting, terms: SearchTerms) -> SearchTerms {
        match self.terms_of {
            Some(f) if merged != p => f(merged),
            _ => terms,
        }
    }
}

/// How authoritative a source kind is about a job: the employer's own
/// applicant tracking system (2), a job board or aggregator (1), a feed (0).
pub fn kind_rank(kind: &str) -> i64 {
    match kind {
        "greenhouse" | "lever" | "ashby" | "workable" | "smartrecruiters" | "recruitee" => 2,
        "feed" => 0,
        _ => 1,
    }
}

/// `base` with every field it lacks taken from `other`.
fn fill(mut base: Posting, other: &Posting) -> Posting {
    fn or<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
        if a.is_none() {
            a.clone_from(b);
        }
    }
    or(&mut base.company, &other.company);
    or(&mut base.department, &other.department);
    or(&mut base.employment_type, &other.employment_type);
    or(&mut base.salary, &other.salary);
    or(&mut base.posted_at, &other.posted_at);
    or(&mut base.url, &other.url);
    or(&mut base.apply_url, &other.apply_url);
    or(&mut base.author, &other.author);
    if base.locations.is_empty() {
        base.locations.clone_from(&other.locations);
    }
    if base.workplace == Workplace::Unknown {
        base.workplace = other.workplace;
    }
    if base.tags.is_empty() {
        base.tags.clone_from(&other.tags);
    }
    if base.text.trim().is_empty() {
        base.text.clone_from(&other.text);
        base.description_html.clone_from(&other.description_html);
    }
    base
}
