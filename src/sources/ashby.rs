//! `kind = "ashby"`: a company's board on Ashby's public job-posting API.
//!
//! Input: `GET https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true`,
//! `{"apiVersion": "1", "jobs": [...]}` with every job (no paging), fetched
//! conditionally. Output: one [`RawPosting`] per listed job, with the structured
//! base salary when the board publishes one and the tier summary as its text.
//! The API names no company and has no update time; those stay unknown.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Salary, SalaryOrigin, SalaryPeriod, Workplace};
use crate::normalize::parse_time;
use crate::normalize::text::non_empty;

/// The posting API root; the board name follows.
const API: &str = "https://api.ashbyhq.com/posting-api/job-board";

/// One Ashby job board.
pub struct Ashby {
    board: String,
    base: Option<Url>,
}

impl Ashby {
    /// The board `board`, at the public API or rebased onto `base`.
    pub fn new(board: String, base: Option<Url>) -> Ashby {
        Ashby { board, base }
    }

    /// The list endpoint, with pay (`includeCompensation=true`).
    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            API,
            &[&self.board],
            &[("includeCompensation", Some("true"))],
            self.base.as_ref(),
        )
    }
}

impl Source for Ashby {
    fn kind(&self) -> &'static str {
        "ashby"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// The envelope; `apiVersion` is not needed.
#[derive(Deserialize)]
struct Board {
    jobs: Vec<Job>,
}

/// One job; keys jobhound does not use are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    id: Option<String>,
    title: String,
    department: Option<String>,
    team: Option<String>,
    employment_type: Option<String>,
    location: Option<String>,
    secondary_locations: Option<Vec<Secondary>>,
    is_remote: Option<bool>,
    workplace_type: Option<String>,
    is_listed: Option<bool>,
    published_at: Option<String>,
    job_url: Option<String>,
    apply_url: Option<String>,
    description_html: Option<String>,
    description_plain: Option<String>,
    compensation: Option<Compensation>,
}

#[derive(Deserialize)]
struct Secondary {
    location: Option<String>,
}

/// Present with `includeCompensation=true`; every field null or `[]` when the
/// board publishes no pay.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Compensation {
    compensation_tier_summary: Option<String>,
    scrapeable_compensation_salary_summary: Option<String>,
    compensation_tiers: Option<Vec<Tier>>,
    summary_components: Option<Vec<Component>>,
}

#[derive(Deserialize)]
struct Tier {
    components: Option<Vec<Component>>,
}

/// One part of the pay: `Salary`, `EquityPercentage`, `Commission`, …
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    compensation_type: Option<String>,
    interval: Option<String>,
    currency_code: Option<String>,
    min_value: Option<f64>,
    max_value: Option<f64>,
}

/// Parses a board's job list into postings; unlisted jobs are left out.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let board: Board = super::json(bytes, url).map_err(|e| e.expected("an Ashby job board"))?;
    Ok(board
        .jobs
        .into_iter()
        .filter(|j| j.is_listed != Some(false))
        .map(posting)
        .collect())
}

fn posting(j: Job) -> RawPosting {
    let (salary, salary_text) = match &j.compensation {
        Some(c) => {
            let text = c
                .compensation_tier_summary
                .as_deref()
                .or(c.scrapeable_compensation_salary_summary.as_deref())
                .and_then(non_empty);
            (salary(c, text.clone()), text)
        }
        None => (None, None),
    };
    let description_html = j.description_html.filter(|d| !d.trim().is_empty());
    RawPosting {
        external_id: j.id.unwrap_or_default(),
        title: j.title,
        url: j.job_url.as_deref().and_then(non_empty),
        apply_url: j.apply_url.as_deref().and_then(non_empty),
        department: j
            .department
            .as_deref()
            .and_then(non_empty)
            .or_else(|| j.team.as_deref().and_then(non_empty)),
        locations: locations(j.location, j.secondary_locations),
        workplace: workplace(j.workplace_type.as_deref(), j.is_remote),
        employment_type: j.employment_type.as_deref().and_then(non_empty),
        salary,
        salary_text,
        posted_at: j.published_at.as_deref().and_then(parse_time),
        description_text: description_html
            .is_none()
            .then(|| j.description_plain.filter(|d| !d.trim().is_empty()))
            .flatten(),
        description_html,
        ..RawPosting::default()
    }
}

/// The primary location (trailing spaces trimmed) and the secondary ones.
fn locations(primary: Option<String>, secondary: Option<Vec<Secondary>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let others = secondary.into_iter().flatten().filter_map(|s| s.location);
    for loc in primary.into_iter().chain(others) {
        if let Some(loc) = non_empty(&loc)
            && !out.iter().any(|l| l.eq_ignore_ascii_case(&loc))
        {
            out.push(loc);
        }
    }
    out
}

/// `workplaceType` when present (older payloads lack it), else `isRemote: true`
/// means remote; `isRemote: false` alone does not tell hybrid from on-site.
fn workplace(kind: Option<&str>, is_remote: Option<bool>) -> Workplace {
    let key: Option<String> = kind.map(|k| {
        k.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    });
    match key.as_deref() {
        Some("remote") => Workplace::Remote,
        Some("hybrid") => Workplace::Hybrid,
        Some("onsite") => Workplace::Onsite,
        _ if is_remote == Some(true) => Workplace::Remote,
        _ => Workplace::Unknown,
    }
}

/// The base salary: the first `Salary` component with an amount, from the
/// summary (which spans all tiers) or else from the tiers. Equity and
/// commission are not salary. Amounts are kept as given, even implausible ones.
fn salary(c: &Compensation, text: Option<String>) -> Option<Salary> {
    let tiers = c
        .compensation_tiers
        .iter()
        .flatten()
        .flat_map(|t| t.components.iter().flatten());
    c.summary_components
        .iter()
        .flatten()
        .chain(tiers)
        .filter(|x| x.compensation_type.as_deref() == Some("Salary"))
        .find_map(|x| {
            let known = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0);
            let (min, max) = (known(x.min_value), known(x.max_value));
            (min.is_some() || max.is_some()).then(|| Salary {
                min,
                max,
                currency: x.currency_code.as_deref().and_then(non_empty),
                period: x.interval.as_deref().and_then(period),
                origin: SalaryOrigin::Structured,
                text: text.clone(),
            })
        })
}

/// `interval`: `"1 YEAR"`, `"1 MONTH"`, `"1 WEEK"`, `"1 DAY"`, `"1 HOUR"`;
/// `"NONE"` or any other count has no period.
fn period(interval: &str) -> Option<SalaryPeriod> {
    let mut words = interval.split_whitespace();
    let (Some("1"), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return None;
    };
    Some(match unit.to_ascii_uppercase().as_str() {
        "YEAR" => SalaryPeriod::Year,
        "MONTH" => SalaryPeriod::Month,
        "WEEK" => SalaryPeriod::Week,
        "DAY" => SalaryPeriod::Day,
        "HOUR" => SalaryPeriod::Hour,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
