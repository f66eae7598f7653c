//! `kind = "greenhouse"`: a company's board on the Greenhouse Job Board API.
//!
//! Input: `GET https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true`,
//! one response with every job (no paging), fetched conditionally. Output: one
//! [`RawPosting`] per job. The list carries no pay and no remote flag: salary is
//! left to normalization (which reads pay lines in the description) and the
//! workplace is read from the location text downstream. `metadata` (custom
//! fields) is ignored: its meaning differs from board to board.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::RawPosting;
use crate::normalize::text::non_empty;
use crate::normalize::{decode_entities, parse_time};

/// The Job Board API root; the board token and `jobs` follow.
const API: &str = "https://boards-api.greenhouse.io/v1/boards";

/// One Greenhouse board.
pub struct Greenhouse {
    board: String,
    base: Option<Url>,
}

impl Greenhouse {
    /// The board `board`, at the public API or rebased onto `base`.
    pub fn new(board: String, base: Option<Url>) -> Greenhouse {
        Greenhouse { board, base }
    }

    /// The list endpoint, with the job descriptions (`content=true`).
    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            API,
            &[&self.board, "jobs"],
            &[("content", Some("true"))],
            self.base.as_ref(),
        )
    }
}

impl Source for Greenhouse {
    fn kind(&self) -> &'static str {
        "greenhouse"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// The list response: `{"jobs": [...], "meta": {"total": N}}`.
#[derive(Deserialize)]
struct Board {
    jobs: Vec<Job>,
}

/// One job post; keys the list has that jobhound does not use are ignored.
#[derive(Deserialize)]
struct Job {
    id: u64,
    title: String,
    updated_at: Option<String>,
    first_published: Option<String>,
    location: Option<Location>,
    absolute_url: Option<String>,
    company_name: Option<String>,
    content: Option<String>,
    departments: Option<Vec<Named>>,
    offices: Option<Vec<Named>>,
}

#[derive(Deserialize)]
struct Location {
    name: Option<String>,
}

/// A department or an office: only the name is used.
#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

/// Parses a board's job list into postings.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let board: Board = super::json(bytes, url).map_err(|e| e.expected("a Greenhouse job list"))?;
    Ok(board.jobs.into_iter().map(posting).collect())
}

fn posting(job: Job) -> RawPosting {
    let departments: Vec<String> = names(job.departments);
    RawPosting {
        external_id: job.id.to_string(),
        title: job.title,
        url: job.absolute_url.as_deref().and_then(non_empty),
        company: job.company_name.as_deref().and_then(non_empty),
        department: (!departments.is_empty()).then(|| departments.join(", ")),
        locations: locations(job.location.and_then(|l| l.name), job.offices),
        posted_at: job.first_published.as_deref().and_then(parse_time),
        updated_at: job.updated_at.as_deref().and_then(parse_time),
        // The content is HTML escaped once more (`&lt;p&gt;`, `&amp;nbsp;`):
        // one decoding pass gives the HTML, a second would corrupt text that
        // really contains `&lt;`.
        description_html: job
            .content
            .filter(|c| !c.trim().is_empty())
            .map(|c| decode_entities(&c)),
        ..RawPosting::default()
    }
}

/// `location.name` is free text that may list several places separated by `;`
/// ("New York, NY; Remote - US"); offices add the places it does not already
/// name (office "London" adds nothing to "London, United Kingdom").
fn locations(name: Option<String>, offices: Option<Vec<Named>>) -> Vec<String> {
    let mut out: Vec<String> = name
        .iter()
        .flat_map(|n| n.split(';'))
        .filter_map(non_empty)
        .collect();
    for office in names(offices) {
        let key = office.to_lowercase();
        if !out.iter().any(|l| l.to_lowercase().contains(&key)) {
            out.push(office);
        }
    }
    out
}

/// The non-empty names of a department or office list, in order.
fn names(list: Option<Vec<Named>>) -> Vec<String> {
    list.into_iter()
        .flatten()
        .filter_map(|n| n.name.as_deref().and_then(non_empty))
        .collect()
}

#[cfg(test)]
mod tests;
