//! `kind = "remotive"`: Remotive's public API (`GET
//! https://remotive.com/api/remote-jobs`, optionally `?category=` and
//! `?search=`), one request with a conditional GET.
//!
//! Input: the JSON envelope (`00-warning`, `0-legal-notice`, `job-count`,
//! `jobs`), which starts with a UTF-8 byte-order mark. Output: one
//! [`RawPosting`] per job. Dates carry no zone (UTC is meant), the salary is
//! free text, and each description ends with a tracking pixel, removed here.
//! Remotive's terms ask for a link back, so the job's Remotive `url` is kept.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::boards::{self, id, strings, text};
use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Workplace};

/// The public endpoint (sources.md §9).
const ENDPOINT: &str = "https://remotive.com/api/remote-jobs";

/// Remotive, optionally filtered by category and search term.
pub struct Remotive {
    category: Option<String>,
    search: Option<String>,
    base: Option<Url>,
}

impl Remotive {
    /// Remotive's jobs in `category` matching `search` (each when given), at
    /// `base` instead of remotive.com when given.
    pub fn new(category: Option<String>, search: Option<String>, base: Option<Url>) -> Remotive {
        Remotive {
            category,
            search,
            base,
        }
    }

    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            ENDPOINT,
            &[],
            &[
                ("category", self.category.as_deref()),
                ("search", self.search.as_deref()),
            ],
            self.base.as_ref(),
        )
    }
}

impl Source for Remotive {
    fn kind(&self) -> &'static str {
        "remotive"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// One job as Remotive sends it (the fields jobhound uses).
#[derive(Deserialize)]
struct Job {
    id: Value,
    url: Option<String>,
    title: Option<String>,
    company_name: Option<String>,
    category: Option<String>,
    #[serde(default)]
    tags: Value,
    job_type: Option<String>,
    publication_date: Option<String>,
    candidate_required_location: Option<String>,
    salary: Option<String>,
    description: Option<String>,
}

/// Parses Remotive's envelope into postings.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let jobs = boards::jobs_with_ids(super::json(bytes, url)?, url, |job: &Job| id(&job.id))?;
    Ok(jobs
        .into_iter()
        .map(|(job, external_id)| posting(job, external_id))
        .collect())
}

fn posting(job: Job, external_id: String) -> RawPosting {
    // The category is Remotive's job family ("Software Development"), not a
    // department of the hiring company; it goes with the tags.
    let tags = text(job.category.as_deref())
        .into_iter()
        .chain(strings(&job.tags))
        .collect();
    RawPosting {
        external_id,
        title: text(job.title.as_deref()).unwrap_or_default(),
        url: text(job.url.as_deref()),
        company: text(job.company_name.as_deref()),
        locations: text(job.candidate_required_location.as_deref())
            .into_iter()
            .collect(),
        // Remotive lists remote jobs only; the location is where the remote
        // worker must live, not an office.
        workplace: Workplace::Remote,
        employment_type: text(job.job_type.as_deref()),
        salary_text: text(job.salary.as_deref()),
        // Naive ISO timestamps; parse_time reads a missing zone as UTC.
        posted_at: job
            .publication_date
            .as_deref()
            .and_then(crate::normalize::parse_time),
        description_html: text(job.description.as_deref()).map(|d| strip_tracking_pixel(&d)),
        tags,
        ..RawPosting::default()
    }
}

/// Where Remotive's per-job tracking pixel points
/// (`<img src="https://remotive.com/job/track/{id}/blank.gif?source=public_api">`).
const TRACKER: &str = "/job/track/";

/// Removes every `<img>` tag that points at Remotive's job tracker, so that no
/// rendering of the description (sanitized or not) can ever request it.
fn strip_tracking_pixel(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = find_ascii_ci(rest, "<img") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        out.push_str(&rest[..start]);
        if !tag.contains(TRACKER) {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

/// The byte offset of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests;
