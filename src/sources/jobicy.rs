//! `kind = "jobicy"`: Jobicy's public API (`GET
//! https://jobicy.com/api/v2/remote-jobs?count=50`, optionally `&tag=`,
//! `&geo=`, `&industry=`), one request with a conditional GET.
//!
//! Input: the JSON envelope (`apiVersion`, `jobCount`, `jobs`, …). Output: one
//! [`RawPosting`] per job. Jobicy runs on WordPress and sends some text
//! HTML-escaped ("Product &amp; Operations", excerpts ending in `&hellip;`),
//! which is decoded here; `jobGeo` packs several regions into one string
//! ("LATAM,  Hong Kong,  Mexico"); the salary keys are left out when unknown.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::boards::{self, amount, id, strings, text};
use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Workplace};
use crate::normalize::decode_entities;

/// The public endpoint (sources.md §10). `count=50` is within both documented
/// ranges (the README says 1–100, a third-party catalogue 1–50).
const ENDPOINT: &str = "https://jobicy.com/api/v2/remote-jobs?count=50";

/// Jobicy, optionally filtered by keyword, region and industry.
pub struct Jobicy {
    tag: Option<String>,
    region: Option<String>,
    category: Option<String>,
    base: Option<Url>,
}

impl Jobicy {
    /// Jobicy's latest jobs matching `tag` in `region` (Jobicy's `geo`) and
    /// `category` (Jobicy's `industry`), each when given; at `base` instead of
    /// jobicy.com when given.
    pub fn new(
        tag: Option<String>,
        region: Option<String>,
        category: Option<String>,
        base: Option<Url>,
    ) -> Jobicy {
        Jobicy {
            tag,
            region,
            category,
            base,
        }
    }

    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            ENDPOINT,
            &[],
            &[
                ("geo", self.region.as_deref()),
                ("industry", self.category.as_deref()),
                ("tag", self.tag.as_deref()),
            ],
            self.base.as_ref(),
        )
    }
}

impl Source for Jobicy {
    fn kind(&self) -> &'static str {
        "jobicy"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// One job as Jobicy sends it (the fields jobhound uses).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    id: Value,
    url: Option<String>,
    job_title: Option<String>,
    company_name: Option<String>,
    #[serde(default)]
    job_industry: Value,
    #[serde(default)]
    job_type: Value,
    job_geo: Option<String>,
    job_excerpt: Option<String>,
    job_description: Option<String>,
    pub_date: Option<String>,
    #[serde(default)]
    salary_min: Value,
    #[serde(default)]
    salary_max: Value,
    salary_currency: Option<String>,
    salary_period: Option<String>,
}

/// Parses Jobicy's envelope into postings.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let jobs = boards::jobs_with_ids(super::json(bytes, url)?, url, |job: &Job| id(&job.id))?;
    Ok(jobs
        .into_iter()
        .map(|(job, external_id)| posting(job, external_id))
        .collect())
}

fn posting(job: Job, external_id: String) -> RawPosting {
    let plain = |s: Option<&str>| text(s).map(|s| decode_entities(&s));
    let types: Vec<String> = strings(&job.job_type)
        .iter()
        .map(|t| decode_entities(t))
        .collect();
    // Several types ("Full-Time", "Contract") name the posting's main one
    // first; the rest stay searchable as tags.
    let employment_type = types.first().cloned();
    let tags = strings(&job.job_industry)
        .iter()
        .map(|t| decode_entities(t))
        .chain(types.into_iter().skip(1))
        .collect();
    let salary = boards::salary(
        amount(&job.salary_min),
        amount(&job.salary_max),
        job.salary_currency.as_deref(),
        job.salary_period.as_deref(),
    );
    // The full description when there is one, else the (escaped) excerpt.
    let description_html =
        text(job.job_description.as_deref()).or_else(|| text(job.job_excerpt.as_deref()));
    RawPosting {
        external_id,
        title: plain(job.job_title.as_deref()).unwrap_or_default(),
        url: text(job.url.as_deref()),
        company: plain(job.company_name.as_deref()),
        locations: plain(job.job_geo.as_deref())
            .map(|g| regions(&g))
            .unwrap_or_default(),
        // Jobicy lists remote jobs only; `jobGeo` is where the remote worker
        // may live ("Anywhere" when unrestricted).
        workplace: Workplace::Remote,
        employment_type,
        salary,
        posted_at: job
            .pub_date
            .as_deref()
            .and_then(crate::normalize::parse_time),
        description_html,
        tags,
        ..RawPosting::default()
    }
}

/// `jobGeo` split into its regions: "LATAM,  Hong Kong,  Mexico" → three.
fn regions(geo: &str) -> Vec<String> {
    geo.split(',').filter_map(|r| text(Some(r))).collect()
}

#[cfg(test)]
mod tests;
