//! `kind = "hn_whoishiring"`: the monthly "Ask HN: Who is hiring?" threads on
//! Hacker News, read through the Algolia HN API.
//!
//! Input: one search for the threads (`/search_by_date`, newest first), then one
//! `/items/{id}` per thread, which returns the whole comment tree at once.
//! Output: one posting per top-level comment, linked to the comment on HN, with
//! the whole comment as the description and the "Company | Role | Location |
//! REMOTE | Salary | URL" header read by [`header`]. Replies and deleted
//! comments are not postings.

pub(crate) mod header;

use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::RawPosting;
use crate::normalize::{from_epoch, parse_time};
use crate::store::Validators;

/// The search for the hiring threads, newest first: stories of the
/// `whoishiring` account matching the title. `hitsPerPage` follows.
const SEARCH: &str = "https://hn.algolia.com/api/v1/search_by_date\
                      ?query=%22Ask%20HN%3A%20Who%20is%20hiring%3F%22&tags=story,author_whoishiring";

/// One item with its whole comment tree; the item id follows.
const ITEMS: &str = "https://hn.algolia.com/api/v1/items";

/// How the hiring threads' titles start ("Ask HN: Who is hiring? (December 2026)").
const TITLE_PREFIX: &str = "ask hn: who is hiring?";

/// The same account posts three threads a month ("Who is hiring?", "Who wants
/// to be hired?", "Freelancer? Seeking freelancer?"); asking for this many hits
/// per wanted month leaves room for the siblings that the search may return too.
const HITS_PER_MONTH: u32 = 3;

/// The latest hiring threads.
pub struct HnWhoIsHiring {
    months: u32,
    base: Option<Url>,
    delay: Duration,
}

impl HnWhoIsHiring {
    /// Reads the latest `months` threads; `base` replaces the API's origin.
    pub fn new(months: u32, base: Option<Url>, delay: Duration) -> HnWhoIsHiring {
        HnWhoIsHiring {
            months,
            base,
            delay,
        }
    }

    /// The search for the latest threads, with room for their siblings.
    fn search_url(&self) -> Result<Url, SourceError> {
        let hits = (self.months * HITS_PER_MONTH).to_string();
        super::endpoint(
            SEARCH,
            &[],
            &[("hitsPerPage", Some(&hits))],
            self.base.as_ref(),
        )
    }

    /// Thread `id` with its comments.
    fn item_url(&self, id: &str) -> Result<Url, SourceError> {
        super::endpoint(ITEMS, &[id], &[], self.base.as_ref())
    }
}

impl Source for HnWhoIsHiring {
    fn kind(&self) -> &'static str {
        "hn_whoishiring"
    }

    fn home(&self) -> Option<Url> {
        self.search_url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            let search = self.search_url()?;
            let body = super::get(cx, &search).await?;
            let threads = threads(&body.bytes, &body.url, self.months)?;
            let mut postings = Vec::new();
            for id in threads {
                tokio::time::sleep(self.delay).await;
                let url = self.item_url(&id)?;
                let body = super::get(cx, &url).await?;
                postings.extend(parse(&body.bytes, &body.url)?);
            }
            Ok(Fetched::Postings {
                // Pages and threads show what they show: absence proves nothing.
                complete: false,
                postings,
                validators: Validators::default(),
            })
        }
        .boxed()
    }
}

/// A `/search_by_date` answer; an error answer has `message` instead of `hits`.
#[derive(Deserialize)]
struct Search {
    hits: Option<Vec<Hit>>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Hit {
    #[serde(rename = "objectID")]
    object_id: String,
    title: Option<String>,
}

/// The ids of the newest `months` hiring threads in a search answer, newest
/// first. No hiring thread at all is an error: the account posts one every month.
pub fn threads(bytes: &[u8], url: &Url, months: u32) -> Result<Vec<String>, SourceError> {
    let search: Search = super::json(bytes, url)?;
    let Some(hits) = search.hits else {
        let why = search.message.unwrap_or_else(|| "no `hits`".into());
        return Err(SourceError::parse(url, format!("Algolia error: {why}")));
    };
    let ids: Vec<String> = hits
        .into_iter()
        .filter(|h| {
            h.title
                .as_deref()
                .is_some_and(|t| t.trim().to_lowercase().starts_with(TITLE_PREFIX))
        })
        .map(|h| h.object_id)
        .take(months as usize)
        .collect();
    if ids.is_empty() {
        return Err(SourceError::parse(
            url,
            "no \"Ask HN: Who is hiring?\" thread in the search results",
        ));
    }
    Ok(ids)
}

/// An `/items/{id}` answer for a thread. Only the story's direct children are
/// read; deeper replies are skipped unparsed, so no reply chain is too deep.
#[derive(Deserialize)]
struct Thread {
    id: i64,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    children: Vec<Comment>,
}

#[derive(Deserialize)]
struct Comment {
    id: i64,
    author: Option<String>,
    created_at: Option<String>,
    created_at_i: Option<i64>,
    text: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Maps one thread (an `/items/{id}` answer) to postings: one per live top-level comment.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let thread: Thread = super::json(bytes, url)?;
    if thread.kind.as_deref().is_some_and(|k| k != "story") {
        return Err(SourceError::parse(
            url,
            format!("item {} is not a story", thread.id),
        ));
    }
    Ok(thread.children.into_iter().filter_map(posting).collect())
}

fn posting(c: Comment) -> Option<RawPosting> {
    if c.kind.as_deref().is_some_and(|k| k != "comment") {
        return None;
    }
    // Deleted and dead comments come without author or text.
    let author = c.author.filter(|a| !a.trim().is_empty())?;
    let text = c.text.filter(|t| !t.trim().is_empty())?;
    let h = header::parse(&text);
    Some(RawPosting {
        external_id: c.id.to_string(),
        title: h.title,
        url: Some(format!("https://news.ycombinator.com/item?id={}", c.id)),
        apply_url: h.apply_url,
        company: h.company,
        locations: h.locations,
        workplace: h.workplace,
        employment_type: h.employment_type,
        salary_text: h.salary_text,
        posted_at: c
            .created_at
            .as_deref()
            .and_then(parse_time)
            .or_else(|| c.created_at_i.and_then(from_epoch)),
        description_html: Some(text),
        author: Some(author),
        ..RawPosting::default()
    })
}

#[cfg(test)]
mod tests;
