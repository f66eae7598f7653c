//! `kind = "himalayas"`: Himalayas' public API (`GET
//! https://himalayas.app/jobs/api?offset=N&limit=20`), paged by offset.
//!
//! Input: one JSON envelope per page (`offset`, `limit`, `totalCount`,
//! `jobs`). Output: one [`RawPosting`] per job, over at most `max_pages`
//! pages with `page_delay` between them. The server returns at most 20 jobs a
//! page whatever `limit` asks, so paging stops on a short page or once the
//! offset reaches `totalCount`. Paged fetches send no validators.
//!
//! Where docs and data disagree, the data wins: `pubDate` is documented in
//! milliseconds but sent in seconds (decided by magnitude), and
//! `locationRestrictions` is documented as objects but sent as strings (both
//! are read). A capture had the placeholder company name `"name"` on every
//! job; the company's slug stands in for it then.

use std::collections::HashSet;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::boards::{self, amount, strings, text};
use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Workplace};
use crate::store::Validators;

/// The public endpoint (sources.md §11).
const ENDPOINT: &str = "https://himalayas.app/jobs/api";

/// Jobs per page: the server's own cap, so asking for more gains nothing.
const PAGE_SIZE: usize = 20;

/// The company name a Himalayas capture carried on every job by mistake.
const PLACEHOLDER_COMPANY: &str = "name";

/// Himalayas' job list, read page by page.
pub struct Himalayas {
    base: Option<Url>,
    max_pages: u32,
    page_delay: Duration,
}

impl Himalayas {
    /// Himalayas' jobs, at most `max_pages` pages with `page_delay` between
    /// requests; at `base` instead of himalayas.app when given.
    pub fn new(base: Option<Url>, max_pages: u32, page_delay: Duration) -> Himalayas {
        Himalayas {
            base,
            max_pages,
            page_delay,
        }
    }

    fn url(&self, offset: usize) -> Result<Url, SourceError> {
        let offset = offset.to_string();
        let limit = PAGE_SIZE.to_string();
        super::endpoint(
            ENDPOINT,
            &[],
            &[("offset", Some(&offset)), ("limit", Some(&limit))],
            self.base.as_ref(),
        )
    }
}

impl Source for Himalayas {
    fn kind(&self) -> &'static str {
        "himalayas"
    }

    fn home(&self) -> Option<Url> {
        self.url(0).ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            let mut postings = Vec::new();
            let mut seen = HashSet::new();
            let mut offset = 0;
            let mut complete = false;
            for page in 0..self.max_pages {
                if page > 0 {
                    tokio::time::sleep(self.page_delay).await;
                }
                let url = self.url(offset)?;
                let body = super::get(cx, &url).await?;
                let got = parse_page(&body.bytes, &body.url)?;
                let n = got.postings.len();
                offset += n;
                // Jobs posted while we page shift older ones onto the next
                // page, so a job can come twice; the first sighting is kept.
                postings.extend(
                    got.postings
                        .into_iter()
                        .filter(|p| p.external_id.is_empty() || seen.insert(p.external_id.clone())),
                );
                if n < PAGE_SIZE || got.total.is_some_and(|t| offset as u64 >= t) {
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

/// One page: its postings and the total the server reports.
#[derive(Debug)]
pub struct Page {
    /// The page's jobs, in order.
    pub postings: Vec<RawPosting>,
    /// `totalCount`: how many jobs the whole list has, when sent.
    pub total: Option<u64>,
}

/// One job as Himalayas sends it (the fields jobhound uses).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    guid: Option<String>,
    title: Option<String>,
    excerpt: Option<String>,
    company_name: Option<String>,
    company_slug: Option<String>,
    employment_type: Option<String>,
    #[serde(default)]
    min_salary: Value,
    #[serde(default)]
    max_salary: Value,
    salary_period: Option<String>,
    currency: Option<String>,
    #[serde(default)]
    location_restrictions: Value,
    #[serde(default)]
    categories: Value,
    description: Option<String>,
    #[serde(default)]
    pub_date: Value,
    application_link: Option<String>,
}

/// Parses one page of Himalayas' list.
pub fn parse_page(bytes: &[u8], url: &Url) -> Result<Page, SourceError> {
    let body: Value = super::json(bytes, url)?;
    let total = body.get("totalCount").and_then(Value::as_u64);
    let jobs = boards::jobs_of(body, url)?;
    let mut postings = Vec::with_capacity(jobs.len());
    for (i, item) in jobs.into_iter().enumerate() {
        let job: Job = serde_json::from_value(item)
            .map_err(|e| SourceError::parse(url, format!("job {i} is malformed: {e}")))?;
        if job.guid.as_deref().and_then(|g| text(Some(g))).is_none() {
            return Err(SourceError::parse(url, format!("job {i} has no guid")));
        }
        postings.push(posting(job));
    }
    Ok(Page { postings, total })
}

fn posting(job: Job) -> RawPosting {
    let guid = text(job.guid.as_deref()).unwrap_or_default();
    let company = text(job.company_name.as_deref())
        .filter(|c| c != PLACEHOLDER_COMPANY)
        .or_else(|| text(job.company_slug.as_deref()));
    let salary = boards::salary(
        amount(&job.min_salary),
        amount(&job.max_salary),
        job.currency.as_deref(),
        job.salary_period.as_deref(),
    );
    // The guid is the job's Himalayas page; anything else is no URL.
    let url = guid.starts_with("http").then(|| guid.clone());
    RawPosting {
        title: text(job.title.as_deref()).unwrap_or_default(),
        url,
        apply_url: text(job.application_link.as_deref()),
        company,
        locations: match &job.location_restrictions {
            Value::Array(items) => items.iter().filter_map(location_name).collect(),
            one => location_name(one).into_iter().collect(),
        },
        // Himalayas lists remote jobs only; the restrictions are where the
        // remote worker must live.
        workplace: Workplace::Remote,
        employment_type: text(job.employment_type.as_deref()),
        salary,
        posted_at: boards::time(&job.pub_date),
        description_html: text(job.description.as_deref()).or_else(|| text(job.excerpt.as_deref())),
        tags: strings(&job.categories),
        external_id: guid,
        ..RawPosting::default()
    }
}

/// A location restriction: a string as sent, or the `name` of an object as
/// documented.
fn location_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => text(Some(s)),
        Value::Object(o) => text(o.get("name").and_then(Value::as_str)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
