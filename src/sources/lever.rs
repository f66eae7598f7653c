//! `kind = "lever"`: a company's postings on the Lever Postings API.
//!
//! Input: `GET https://api.lever.co/v0/postings/{site}?mode=json` (or the EU
//! instance, `api.eu.lever.co`), a bare JSON array with every posting (no paging
//! without `limit`), fetched conditionally. Output: one [`RawPosting`] per posting,
//! with the structured `salaryRange` when the posting has one and the salary
//! description as text otherwise. The list names no company and has no
//! update time; those stay unknown.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Salary, SalaryOrigin, SalaryPeriod, Workplace};
use crate::normalize::text::non_empty;
use crate::normalize::{escape_html, from_epoch};

/// The global Postings API root; the site name follows.
const API: &str = "https://api.lever.co/v0/postings";
/// The EU instance's root.
const API_EU: &str = "https://api.eu.lever.co/v0/postings";

/// One Lever site.
pub struct Lever {
    site: String,
    eu: bool,
    base: Option<Url>,
}

impl Lever {
    /// The site `site` on the global or the EU instance, or rebased onto `base`.
    pub fn new(site: String, eu: bool, base: Option<Url>) -> Lever {
        Lever { site, eu, base }
    }

    /// The list endpoint, as JSON (`mode=json`).
    fn url(&self) -> Result<Url, SourceError> {
        let api = if self.eu { API_EU } else { API };
        super::endpoint(
            api,
            &[&self.site],
            &[("mode", Some("json"))],
            self.base.as_ref(),
        )
    }
}

impl Source for Lever {
    fn kind(&self) -> &'static str {
        "lever"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// One posting of the list; keys jobhound does not use are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Posting {
    id: String,
    text: String,
    categories: Option<Categories>,
    country: Option<String>,
    workplace_type: Option<String>,
    created_at: Option<i64>,
    description: Option<String>,
    description_plain: Option<String>,
    lists: Option<Vec<List>>,
    additional: Option<String>,
    hosted_url: Option<String>,
    apply_url: Option<String>,
    salary_range: Option<SalaryRange>,
    salary_description_plain: Option<String>,
}

/// Any key may be missing; `location` is the primary one of `allLocations`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Categories {
    commitment: Option<String>,
    department: Option<String>,
    team: Option<String>,
    location: Option<String>,
    all_locations: Option<Vec<String>>,
}

/// A titled list; `content` is bare `<li>` items without their `<ul>`.
#[derive(Deserialize)]
struct List {
    text: Option<String>,
    content: Option<String>,
}

#[derive(Deserialize)]
struct SalaryRange {
    currency: Option<String>,
    interval: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
}

/// Parses a site's posting list (a JSON array) into postings.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let postings: Vec<Posting> =
        super::json(bytes, url).map_err(|e| e.expected("a Lever posting list"))?;
    Ok(postings.into_iter().map(posting).collect())
}

fn posting(p: Posting) -> RawPosting {
    let cats = p.categories.unwrap_or_default();
    // Plain-text fields carry U+00A0; `non_empty` folds it with other whitespace.
    let salary_text = p.salary_description_plain.as_deref().and_then(non_empty);
    let description_html = description(p.description, p.lists, p.additional);
    RawPosting {
        external_id: p.id,
        title: non_empty(&p.text).unwrap_or_default(),
        url: p.hosted_url.as_deref().and_then(non_empty),
        apply_url: p.apply_url.as_deref().and_then(non_empty),
        department: cats
            .department
            .as_deref()
            .and_then(non_empty)
            .or_else(|| cats.team.as_deref().and_then(non_empty)),
        locations: locations(cats.location, cats.all_locations, p.country),
        workplace: workplace(p.workplace_type.as_deref()),
        employment_type: cats.commitment.as_deref().and_then(non_empty),
        salary: p
            .salary_range
            .and_then(|r| structured_salary(r, salary_text.clone())),
        salary_text,
        posted_at: p.created_at.and_then(from_epoch),
        description_text: description_html
            .is_none()
            .then(|| p.description_plain.filter(|d| !d.trim().is_empty()))
            .flatten(),
        description_html,
        ..RawPosting::default()
    }
}

/// The page as Lever renders it: the description, each list as a heading and a
/// `<ul>` (its content comes without one), then the closing text.
fn description(
    description: Option<String>,
    lists: Option<Vec<List>>,
    additional: Option<String>,
) -> Option<String> {
    fn filled(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !s.trim().is_empty())
    }
    let mut html = String::new();
    if let Some(d) = filled(&description) {
        html.push_str(d);
    }
    for list in lists.iter().flatten() {
        if let Some(title) = list.text.as_deref().and_then(non_empty) {
            html.push_str(&format!("<h3>{}</h3>", escape_html(&title)));
        }
        if let Some(items) = filled(&list.content) {
            html.push_str(&format!("<ul>{items}</ul>"));
        }
    }
    if let Some(a) = filled(&additional) {
        html.push_str(a);
    }
    (!html.is_empty()).then_some(html)
}

/// The primary location first, then the others; the country code only when
/// no location is named.
fn locations(
    primary: Option<String>,
    all: Option<Vec<String>>,
    country: Option<String>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for loc in primary.iter().chain(all.iter().flatten()) {
        if let Some(loc) = non_empty(loc)
            && !out.iter().any(|l| l.eq_ignore_ascii_case(&loc))
        {
            out.push(loc);
        }
    }
    if out.is_empty()
        && let Some(c) = country.as_deref().and_then(non_empty)
    {
        out.push(c);
    }
    out
}

/// `workplaceType`: the README lists `on-site`, real boards also send `onsite`;
/// `unspecified` (and anything new) is unknown.
fn workplace(value: Option<&str>) -> Workplace {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("remote") => Workplace::Remote,
        Some("hybrid") => Workplace::Hybrid,
        Some("on-site" | "onsite") => Workplace::Onsite,
        _ => Workplace::Unknown,
    }
}

/// `salaryRange` as a structured salary; amounts of 0 are unknown, and a range
/// with no amount at all is no salary.
fn structured_salary(r: SalaryRange, text: Option<String>) -> Option<Salary> {
    let known = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0);
    let (min, max) = (known(r.min), known(r.max));
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Salary {
        min,
        max,
        currency: r
            .currency
            .as_deref()
            .and_then(non_empty)
            .map(|c| c.to_ascii_uppercase()),
        period: r.interval.as_deref().and_then(period),
        origin: SalaryOrigin::Structured,
        text,
    })
}

/// `interval`: `per-year-salary`, `per-month-salary`, `per-week-salary`,
/// `per-day-wage`, `per-hour-wage`; `one-time` and anything else has no period.
fn period(interval: &str) -> Option<SalaryPeriod> {
    let i = interval.to_ascii_lowercase();
    let has = |unit: &str| i.split('-').any(|w| w == unit);
    [
        ("year", SalaryPeriod::Year),
        ("month", SalaryPeriod::Month),
        ("week", SalaryPeriod::Week),
        ("day", SalaryPeriod::Day),
        ("hour", SalaryPeriod::Hour),
    ]
    .into_iter()
    .find(|(unit, _)| has(unit))
    .map(|(_, p)| p)
}

#[cfg(test)]
mod tests;
