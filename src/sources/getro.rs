//! `kind = "getro"`: VC-portfolio job boards hosted by Getro, read through the
//! collection search API.
//!
//! Input: `POST /api/v2/collections/{collection}/search/jobs` with a JSON body
//! naming the page, answered with `{"results": {"jobs": [...], "count": N}}`. The
//! server wants `Accept: application/json` (without it: 406) and caps pages at
//! about 20 jobs whatever `hitsPerPage` asks. Output: one posting per job, keyed
//! by the job's real ATS URL. The search has no description body; Getro does not
//! say in which currency or per what period its compensation cents are, so those
//! stay unknown.

use std::collections::HashSet;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Salary, SalaryOrigin, Workplace};
use crate::normalize::{from_epoch, parse_time};
use crate::store::Validators;

/// The collections API; the collection id and `search/jobs` follow.
const API: &str = "https://api.getro.com/api/v2/collections";

/// Jobs asked for per page; the server caps pages at about this many anyway.
const HITS_PER_PAGE: usize = 20;

/// A Getro board.
pub struct Getro {
    collection: String,
    base: Option<Url>,
    max_pages: u32,
    delay: Duration,
}

impl Getro {
    /// Reads collection `collection`; `base` replaces the API's origin.
    pub fn new(collection: String, base: Option<Url>, max_pages: u32, delay: Duration) -> Getro {
        Getro {
            collection,
            base,
            max_pages,
            delay,
        }
    }

    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            API,
            &[&self.collection, "search", "jobs"],
            &[],
            self.base.as_ref(),
        )
    }
}

impl Source for Getro {
    fn kind(&self) -> &'static str {
        "getro"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            let url = self.url()?;
            let mut postings = Vec::new();
            let mut first_len = None;
            let mut seen = HashSet::new();
            let mut complete = false;
            for page in 0..self.max_pages {
                if page > 0 {
                    tokio::time::sleep(self.delay).await;
                }
                let body = serde_json::json!({
                    "hitsPerPage": HITS_PER_PAGE,
                    "page": page,
                    "query": "",
                    "filters": {},
                });
                let fetched = cx
                    .http
                    .request(Method::POST, &url, headers(), Some(&body), &cx.hosts(&url))
                    .await?;
                let body = super::body(fetched, &url)?;
                let got = parse(&body.bytes, &body.url)?;
                let len = got.jobs;
                let before = postings.len();
                postings.extend(
                    got.postings
                        .into_iter()
                        .filter(|p| seen.insert(p.external_id.clone())),
                );
                // The page size is whatever the server capped the first page at,
                // so a page shorter than the first is the last one. A page with
                // nothing new means the server ignores `page`: stop there too.
                let full = *first_len.get_or_insert(len);
                let reached = got.count.is_some_and(|n| postings.len() as u64 >= n);
                if len == 0 || len < full || reached || postings.len() == before {
                    complete = true;
                    break;
                }
            }
            Ok(Fetched::Postings {
                complete,
                postings,
                validators: Validators::default(),
            })
        }
        .boxed()
    }
}

fn headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h
}

/// One page of search results, mapped.
#[derive(Debug)]
pub struct Page {
    /// The postings on it.
    pub postings: Vec<RawPosting>,
    /// How many jobs the page held (postings may be fewer: jobs without a title are skipped).
    pub jobs: usize,
    /// How many jobs the whole search matches, when the server says.
    pub count: Option<u64>,
}

#[derive(Deserialize)]
struct Response {
    results: Results,
}

#[derive(Deserialize)]
struct Results {
    jobs: Vec<Job>,
    count: Option<u64>,
}

#[derive(Deserialize)]
struct Job {
    id: Option<serde_json::Value>,
    title: Option<String>,
    url: Option<String>,
    organization: Option<Organization>,
    work_mode: Option<String>,
    locations: Option<Vec<Option<String>>>,
    seniority: Option<String>,
    skills: Option<Vec<Option<String>>>,
    compensation_amount_min_cents: Option<f64>,
    compensation_amount_max_cents: Option<f64>,
    created_at: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Organization {
    name: Option<String>,
}

/// Maps one page of a collection search.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Page, SourceError> {
    let r: Response = super::json(bytes, url)?;
    let jobs = r.results.jobs.len();
    let postings = r
        .results
        .jobs
        .into_iter()
        .filter_map(|job| {
            let p = posting(job);
            if p.is_none() {
                tracing::warn!(url = %url, "getro job without a title skipped");
            }
            p
        })
        .collect();
    Ok(Page {
        postings,
        jobs,
        count: r.results.count,
    })
}

fn posting(job: Job) -> Option<RawPosting> {
    let title = job.title.filter(|t| !t.trim().is_empty())?;
    let url = job.url.filter(|u| !u.trim().is_empty());
    let id = match job.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let cents = |v: Option<f64>| v.filter(|v| *v > 0.0).map(|v| v / 100.0);
    let (min, max) = (
        cents(job.compensation_amount_min_cents),
        cents(job.compensation_amount_max_cents),
    );
    let strings = |v: Option<Vec<Option<String>>>| -> Vec<String> {
        v.unwrap_or_default()
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect()
    };
    let mut tags = strings(job.skills);
    tags.extend(job.seniority.filter(|s| !s.trim().is_empty()));
    Some(RawPosting {
        external_id: id.or_else(|| url.clone()).unwrap_or_default(),
        title,
        url,
        company: job.organization.and_then(|o| o.name),
        locations: strings(job.locations),
        workplace: match job.work_mode.as_deref() {
            Some("remote") => Workplace::Remote,
            Some("hybrid") => Workplace::Hybrid,
            Some("on_site") => Workplace::Onsite,
            _ => Workplace::Unknown,
        },
        salary: (min.is_some() || max.is_some()).then_some(Salary {
            min,
            max,
            currency: None,
            period: None,
            origin: SalaryOrigin::Structured,
            text: None,
        }),
        posted_at: job.created_at.and_then(|v| match v {
            serde_json::Value::String(s) => parse_time(&s),
            serde_json::Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .and_then(from_epoch),
            _ => None,
        }),
        tags,
        ..RawPosting::default()
    })
}

#[cfg(test)]
mod tests;
