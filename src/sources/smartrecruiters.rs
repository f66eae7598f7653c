//! `kind = "smartrecruiters"`: a company's public postings on SmartRecruiters.
//!
//! Input: the paged list
//! `GET https://api.smartrecruiters.com/v1/companies/{company}/postings?limit=100&offset=N`
//! (`{offset, limit, totalFound, content}`), then each posting's detail (its `ref`),
//! because the list has no description and no posting or apply URL. Output: one
//! posting per listed id.
//!
//! Politeness and bounds: pages are read until `totalFound` is reached or a page
//! comes back short, at most `max_pages` of them; then one detail request per
//! listed posting, so at most `max_pages × 100` details. Every request after the
//! first waits `page_delay`. A detail that fails (HTTP error, broken JSON) is
//! logged and the posting is kept with its list fields; a list page that fails
//! fails the source. Validators are not kept: a paged source is read in full.

mod detail;

use std::collections::HashSet;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

pub use detail::{Detail, parse_detail};

use super::{Context, Fetched, Source, SourceError};
use crate::config;
use crate::model::{RawPosting, Workplace};
use crate::normalize::text::non_empty;
use crate::normalize::{clean_location, parse_time};
use crate::store::Validators;

/// The companies API; `{company}/postings[/{id}]` follow.
const API: &str = "https://api.smartrecruiters.com/v1/companies";

/// Postings asked for per page: the API's maximum.
const LIMIT: usize = 100;

/// A SmartRecruiters company.
pub struct SmartRecruiters {
    company: String,
    base: Option<Url>,
    max_pages: u32,
    delay: Duration,
}

impl SmartRecruiters {
    /// A source for `company`, with the base URL, page bound and delay of `cfg`.
    pub fn new(company: String, cfg: &config::Source) -> SmartRecruiters {
        SmartRecruiters {
            company,
            base: cfg.base_url.clone(),
            max_pages: cfg.max_pages,
            delay: cfg.page_delay,
        }
    }

    /// The list page starting at `offset`.
    fn page_url(&self, offset: usize) -> Result<Url, SourceError> {
        let (limit, offset) = (LIMIT.to_string(), offset.to_string());
        super::endpoint(
            API,
            &[&self.company, "postings"],
            &[("limit", Some(&limit)), ("offset", Some(&offset))],
            self.base.as_ref(),
        )
    }

    /// Where a posting's detail is: its `ref` (rebased like the list), else the
    /// documented `…/postings/{id}`.
    /// A `ref` off the API's host (or `allow_hosts`) is not followed: the
    /// documented URL is used instead, with a warning naming the `ref`.
    fn detail_url(
        &self,
        allow_hosts: &[config::HostPort],
        listed: &Listed,
    ) -> Result<Url, SourceError> {
        let home = self.page_url(0)?;
        let reference = match listed.reference.as_deref().map(Url::parse) {
            Some(Ok(u)) if matches!(u.scheme(), "http" | "https") => {
                let u = config::rebase(&u, self.base.as_ref());
                match super::follow(allow_hosts, &home, &u) {
                    Ok(()) => Some(u),
                    Err(e) => {
                        tracing::warn!(company = %self.company, error = %e, "posting `ref` skipped");
                        None
                    }
                }
            }
            _ => None,
        };
        match reference {
            Some(u) => Ok(u),
            None => super::endpoint(
                API,
                &[&self.company, "postings", &listed.posting.external_id],
                &[],
                self.base.as_ref(),
            ),
        }
    }

    /// Reads the list, page by page, within `max_pages`.
    /// The whole list, and whether it is whole (not cut at `max_pages`).
    async fn list(&self, cx: &Context<'_>) -> Result<(Vec<Listed>, bool), SourceError> {
        let mut out: Vec<Listed> = Vec::new();
        let mut seen = HashSet::new();
        let mut offset = 0;
        for n in 0..self.max_pages {
            if n > 0 {
                tokio::time::sleep(self.delay).await;
            }
            let url = self.page_url(offset)?;
            let body = super::get(cx, &url).await?;
            let page = parse_page(&body.bytes, &body.url)?;
            let got = page.items.len();
            offset += got;
            for item in page.items {
                // A posting published while paging shifts the rest by one;
                // the one seen twice is kept once.
                if seen.insert(item.posting.external_id.clone()) {
                    out.push(item);
                }
            }
            if got == 0 || got < page.limit.unwrap_or(LIMIT) || offset >= page.total {
                return Ok((out, true));
            }
        }
        tracing::warn!(
            company = %self.company,
            listed = offset,
            max_pages = self.max_pages,
            "stopped at max_pages before the end of the list"
        );
        Ok((out, false))
    }

    /// Fetches the detail of posting `id`; any failure is returned for the caller to log.
    async fn detail(&self, cx: &Context<'_>, url: &Url, id: &str) -> Result<Detail, SourceError> {
        let body = super::get(cx, url).await?;
        let detail = parse_detail(&body.bytes, &body.url)?;
        if detail.id() != id {
            return Err(SourceError::parse(
                &body.url,
                format!("detail is for posting {}, not {id}", detail.id()),
            ));
        }
        Ok(detail)
    }

    async fn fetch_all(&self, cx: &Context<'_>) -> Result<(Vec<RawPosting>, bool), SourceError> {
        let (mut listed, complete) = self.list(cx).await?;
        for item in &mut listed {
            tokio::time::sleep(self.delay).await;
            let url = self.detail_url(cx.allow_hosts, item)?;
            match self.detail(cx, &url, &item.posting.external_id).await {
                Ok(d) => d.apply(&mut item.posting),
                Err(e) => tracing::warn!(
                    company = %self.company,
                    id = %item.posting.external_id,
                    error = %e,
                    "posting detail unavailable; kept with its list fields"
                ),
            }
        }
        Ok((listed.into_iter().map(|l| l.posting).collect(), complete))
    }
}

impl Source for SmartRecruiters {
    fn kind(&self) -> &'static str {
        "smartrecruiters"
    }

    fn home(&self) -> Option<Url> {
        self.page_url(0).ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            let (postings, complete) = self.fetch_all(cx).await?;
            Ok(Fetched::Postings {
                postings,
                validators: Validators::default(),
                complete,
            })
        }
        .boxed()
    }
}

/// One list page, mapped.
#[derive(Debug)]
pub struct Page {
    /// `totalFound`: postings the company lists in all.
    pub total: usize,
    /// `limit`: the page size the server used.
    pub limit: Option<usize>,
    /// The page's postings, in order.
    pub items: Vec<Listed>,
}

/// A posting from the list, with where its detail is.
#[derive(Debug)]
pub struct Listed {
    /// The list fields, mapped.
    pub posting: RawPosting,
    /// The item's `ref`: its detail URL.
    pub reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    total_found: usize,
    #[serde(default)]
    limit: Option<usize>,
    content: Vec<Item>,
}

/// The id is a numeric string in every capture; a number is read too.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(u64),
}

impl Id {
    fn text(&self) -> String {
        match self {
            Id::Text(s) => s.trim().to_string(),
            Id::Number(n) => n.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: Id,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    company: Option<Label>,
    #[serde(default)]
    released_date: Option<String>,
    #[serde(default)]
    location: Option<Location>,
    #[serde(default)]
    department: Option<Label>,
    #[serde(default)]
    function: Option<Label>,
    #[serde(default)]
    industry: Option<Label>,
    #[serde(default)]
    type_of_employment: Option<Label>,
    #[serde(default)]
    experience_level: Option<Label>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
}

/// `{id, label}` objects (`department` may be `{}`); the company is `{identifier, name}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Label {
    label: Option<String>,
    name: Option<String>,
}

impl Label {
    fn text(l: &Option<Label>) -> Option<String> {
        let l = l.as_ref()?;
        l.label.as_deref().or(l.name.as_deref()).and_then(non_empty)
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Location {
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    remote: Option<bool>,
    hybrid: Option<bool>,
    full_location: Option<String>,
}

impl Location {
    /// `fullLocation` with its empty parts dropped, else the parts themselves.
    fn place(&self) -> Option<String> {
        if let Some(full) = self.full_location.as_deref().and_then(clean_location) {
            return Some(full);
        }
        let country = self.country.as_deref().map(str::to_uppercase);
        let parts = [
            self.city.as_deref(),
            self.region.as_deref(),
            country.as_deref(),
        ];
        clean_location(&parts.into_iter().flatten().collect::<Vec<_>>().join(", "))
    }

    /// Both flags are SmartRecruiters' own choice of workplace: neither set is on-site.
    fn workplace(&self) -> Workplace {
        match (self.remote, self.hybrid) {
            (Some(true), _) => Workplace::Remote,
            (_, Some(true)) => Workplace::Hybrid,
            (Some(false), Some(false)) => Workplace::Onsite,
            _ => Workplace::Unknown,
        }
    }
}

/// Parses one list page.
pub fn parse_page(bytes: &[u8], url: &Url) -> Result<Page, SourceError> {
    let env: Envelope = super::json(bytes, url)?;
    let items = env.content.into_iter().map(listed).collect();
    Ok(Page {
        total: env.total_found,
        limit: env.limit,
        items,
    })
}

fn listed(item: Item) -> Listed {
    let location = item.location.unwrap_or_default();
    let posting = RawPosting {
        external_id: item.id.text(),
        title: item.name.unwrap_or_default(),
        company: Label::text(&item.company),
        department: Label::text(&item.department),
        locations: location.place().into_iter().collect(),
        workplace: location.workplace(),
        employment_type: Label::text(&item.type_of_employment),
        posted_at: item.released_date.as_deref().and_then(parse_time),
        tags: [&item.function, &item.industry, &item.experience_level]
            .into_iter()
            .filter_map(Label::text)
            .collect(),
        ..RawPosting::default()
    };
    Listed {
        posting,
        reference: item.reference.filter(|r| !r.trim().is_empty()),
    }
}

#[cfg(test)]
mod tests;
