//! `kind = "recruitee"`: a company's Recruitee careers-site API,
//! `GET https://{company}.recruitee.com/api/offers/`.
//!
//! Input: one JSON document `{"offers": [...]}` holding every published offer
//! (no paging), fetched with a conditional GET; `base_url` replaces the
//! `https://{company}.recruitee.com` part. Output: one posting per offer, with
//! `description` and `requirements` joined, the structured salary (amounts are
//! strings such as `"95.00"`), and times read from `"2026-08-11 20:45:29 UTC"`.
//! Offers whose `status` is present and not `published` are skipped.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Salary, SalaryOrigin, SalaryPeriod, Workplace};
use crate::normalize::text::non_empty;
use crate::normalize::{parse_time, workplace_from_text};

/// A Recruitee careers site.
pub struct Recruitee {
    company: String,
    base: Option<Url>,
}

impl Recruitee {
    /// A source for the careers site `company`, rebased onto `base` when given.
    pub fn new(company: String, base: Option<Url>) -> Recruitee {
        Recruitee { company, base }
    }

    /// `https://{company}.recruitee.com/api/offers/`, rebased.
    fn url(&self) -> Result<Url, SourceError> {
        let api = format!("https://{}.recruitee.com/api/offers/", self.company);
        super::endpoint(&api, &[], &[], self.base.as_ref())
    }
}

impl Source for Recruitee {
    fn kind(&self) -> &'static str {
        "recruitee"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// The envelope; `offers` is required, so `{"error":"Not Found"}` is not an empty board.
#[derive(Deserialize)]
struct Offers {
    offers: Vec<Offer>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Offer {
    id: Option<serde_json::Value>,
    slug: Option<String>,
    title: Option<String>,
    company_name: Option<String>,
    department: Option<String>,
    description: Option<String>,
    requirements: Option<String>,
    location: Option<String>,
    city: Option<String>,
    state_name: Option<String>,
    country: Option<String>,
    locations: Option<Vec<Place>>,
    remote: Option<bool>,
    hybrid: Option<bool>,
    on_site: Option<bool>,
    employment_type_code: Option<String>,
    salary: Option<Pay>,
    careers_url: Option<String>,
    careers_apply_url: Option<String>,
    created_at: Option<String>,
    published_at: Option<String>,
    updated_at: Option<String>,
    status: Option<String>,
    tags: Option<Vec<serde_json::Value>>,
}

/// One of an offer's `locations`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Place {
    name: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
}

/// `salary`: every part may be null; amounts are decimal strings.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Pay {
    min: Option<serde_json::Value>,
    max: Option<serde_json::Value>,
    period: Option<String>,
    currency: Option<String>,
}

/// Parses an offers document into postings, skipping unpublished offers.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let doc: Offers = super::json(bytes, url)?;
    Ok(doc
        .offers
        .into_iter()
        .filter(|o| {
            o.status
                .as_deref()
                .is_none_or(|s| s.trim().eq_ignore_ascii_case("published"))
        })
        .map(posting)
        .collect())
}

fn posting(o: Offer) -> RawPosting {
    let text = |v: &Option<String>| v.as_deref().and_then(non_empty);
    let external_id = match &o.id {
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => text(&o.slug).unwrap_or_default(),
    };
    let mut locations: Vec<String> = o
        .locations
        .iter()
        .flatten()
        .filter_map(|l| place(&[&l.city, &l.state, &l.country]).or_else(|| text(&l.name)))
        .collect();
    if locations.is_empty() {
        locations.extend(place(&[&o.city, &o.state_name, &o.country]));
    }
    let workplace = match (o.remote, o.hybrid, o.on_site) {
        (Some(true), _, _) => Workplace::Remote,
        (_, Some(true), _) => Workplace::Hybrid,
        (_, _, Some(true)) => Workplace::Onsite,
        // `location` is free text ("Remote job") that names no place.
        _ => workplace_from_text(o.location.as_deref().unwrap_or_default()),
    };
    let description: String = [&o.description, &o.requirements]
        .into_iter()
        .flatten()
        .filter(|h| !h.trim().is_empty())
        .map(String::as_str)
        .collect();
    RawPosting {
        external_id,
        title: o.title.clone().unwrap_or_default(),
        url: text(&o.careers_url),
        apply_url: text(&o.careers_apply_url),
        company: text(&o.company_name),
        department: text(&o.department),
        locations,
        workplace,
        employment_type: text(&o.employment_type_code),
        salary: o.salary.as_ref().and_then(salary),
        posted_at: [&o.published_at, &o.created_at]
            .into_iter()
            .flatten()
            .find_map(|t| parse_time(t)),
        updated_at: o.updated_at.as_deref().and_then(parse_time),
        description_html: (!description.is_empty()).then_some(description),
        tags: o
            .tags
            .iter()
            .flatten()
            .filter_map(|t| t.as_str().and_then(non_empty))
            .collect(),
        ..RawPosting::default()
    }
}

/// "City, State, Country" from the parts that are known; `None` when none is.
fn place(parts: &[&Option<String>]) -> Option<String> {
    let known: Vec<String> = parts
        .iter()
        .filter_map(|p| p.as_deref().and_then(non_empty))
        .collect();
    (!known.is_empty()).then(|| known.join(", "))
}

/// The structured salary; `None` when no amount is known (null, empty or 0).
fn salary(p: &Pay) -> Option<Salary> {
    let (min, max) = (amount(&p.min), amount(&p.max));
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Salary {
        min,
        max,
        currency: p
            .currency
            .as_deref()
            .and_then(non_empty)
            .map(|c| c.to_uppercase()),
        period: p.period.as_deref().and_then(period),
        origin: SalaryOrigin::Structured,
        text: None,
    })
}

/// A decimal string (`"95.00"`) or a number; `None` for null, junk or 0.
fn amount(v: &Option<serde_json::Value>) -> Option<f64> {
    let n = match v.as_ref()? {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (n.is_finite() && n > 0.0).then_some(n)
}

/// Recruitee's period words ("year", "month", "hour", …); unknown words stay unknown.
fn period(s: &str) -> Option<SalaryPeriod> {
    let key = s.trim().to_lowercase();
    let key = key.trim_start_matches("per_").trim_start_matches("per ");
    Some(match key {
        "hour" | "hourly" => SalaryPeriod::Hour,
        "day" | "daily" => SalaryPeriod::Day,
        "week" | "weekly" => SalaryPeriod::Week,
        "month" | "monthly" => SalaryPeriod::Month,
        "year" | "yearly" | "annual" | "annually" => SalaryPeriod::Year,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
