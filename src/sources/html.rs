//! `kind = "html"`: any job list page, read with the CSS selectors of
//! `[source.selectors]` (parsed by `scraper`, which reads broken HTML the way a
//! browser does, without failing).
//!
//! Input: the list page at `url`, then the pages its `next` link leads to (up to
//! `max_pages`, never one URL twice), and each item's detail page when
//! `detail_description` is set. Output: one posting per item, identified by its
//! resolved link.
//!
//! Links read from a page (`next`, detail links) are followed only on the
//! host and port of `url` or the source's `allow_hosts`; any other is skipped
//! with a warning naming it, and the rest of the source still works.
//!
//! The site's robots.txt is asked before every page (see [`crate::http::robots`])
//! unless the source sets `ignore_robots`: a first list page it disallows
//! fails the source ("robots.txt of example.com disallows /jobs for jobhound"),
//! and so does one it cannot read (a transient failure, retried later); a
//! later list page or a detail page it disallows is skipped and counted.
//!
//! Failures are loud, never a silent empty success: an `item` selector matching
//! nothing on the first page is a source error ("0 items: selector `X` matched
//! nothing"). An item whose `title` or `link` selector matches nothing is skipped
//! with a warning naming the selector, so that one odd card (an ad, a banner)
//! does not hide the other jobs; when no item on a page is usable, the page fails
//! with that message. On later pages, no items at all ends the pagination.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::config::{Pick, Selectors};
use crate::http::robots::Verdict;
use crate::model::RawPosting;
use crate::store::Validators;

mod page;

pub use page::parse;
pub(super) use page::value;
use page::{Description, detail_description, read_page};

/// A list page and what to read from it.
pub struct Html {
    url: Url,
    selectors: Selectors,
    max_pages: u32,
    delay: Duration,
}

impl Html {
    /// A source reading `url` with `selectors`, following at most `max_pages` pages.
    pub fn new(url: Url, selectors: Selectors, max_pages: u32, delay: Duration) -> Html {
        Html {
            url,
            selectors,
            max_pages,
            delay,
        }
    }

    /// One page and nothing else: the only case where a conditional GET can
    /// tell whether anything changed.
    fn single_request(&self) -> bool {
        self.selectors.next.is_none() && self.selectors.detail_description.is_none()
    }
}

impl Source for Html {
    fn kind(&self) -> &'static str {
        "html"
    }

    fn home(&self) -> Option<Url> {
        Some(self.url.clone())
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            // The first list page: robots.txt decides whether the source runs at all.
            match cx.robots(&self.url).await {
                Verdict::Allowed => {}
                Verdict::Disallowed(message) => {
                    return Err(SourceError::Robots {
                        message,
                        transient: false,
                    });
                }
                Verdict::Postponed(message) => {
                    return Err(SourceError::Robots {
                        message,
                        transient: true,
                    });
                }
            }
            if self.single_request() {
                return super::get_all(cx, &self.url, |bytes, url| {
                    Ok(parse(bytes, url, &self.selectors)?.postings)
                })
                .await;
            }
            let mut postings = self.list(cx).await?;
            if let Some(pick) = &self.selectors.detail_description {
                self.details(cx, pick, &mut postings).await?;
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

impl Html {
    /// Follows the list pages.
    async fn list(&self, cx: &Context<'_>) -> Result<Vec<RawPosting>, SourceError> {
        let mut postings = Vec::new();
        let mut visited = HashSet::new();
        let mut seen = HashSet::new();
        let mut next = Some(self.url.clone());
        while let Some(url) = next.take() {
            if visited.len() as u32 >= self.max_pages || !visited.insert(url.to_string()) {
                break;
            }
            if visited.len() > 1 {
                if let Some(why) = refused(cx.robots(&url).await) {
                    tracing::warn!(url = %url, reason = %why, "next page skipped: the list ends here");
                    cx.skipped_by_robots();
                    break;
                }
                tokio::time::sleep(self.delay).await;
            }
            // The first page is the configured URL; later ones passed `follow`.
            let body = super::get_link(cx, &self.url, &url).await?;
            let page = if visited.len() == 1 {
                parse(&body.bytes, &body.url, &self.selectors)?
            } else {
                read_page(&body.bytes, &body.url, &self.selectors)?
            };
            if page.items == 0 {
                tracing::info!(url = %url, "no items on this page: end of the list");
                break;
            }
            // Boards repeat featured jobs on every page; keep the first sighting.
            let fresh = page
                .postings
                .into_iter()
                .filter(|p| seen.insert(p.external_id.clone()));
            postings.extend(fresh);
            next = page.next.filter(
                |link| match super::follow(cx.allow_hosts, &self.url, link) {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::warn!(source_url = %self.url, error = %e, "next page skipped");
                        false
                    }
                },
            );
        }
        Ok(postings)
    }

    /// Replaces each posting's description with the one on its detail page. A
    /// detail page that fails keeps the list's description, with a warning; when
    /// no detail page gives one, the source fails.
    async fn details(
        &self,
        cx: &Context<'_>,
        pick: &Pick,
        postings: &mut [RawPosting],
    ) -> Result<(), SourceError> {
        let mut found: HashMap<String, Option<Description>> = HashMap::new();
        let mut refused_links: HashSet<String> = HashSet::new();
        let mut first_problem: Option<SourceError> = None;
        for p in postings.iter_mut() {
            let Some(link) = p.url.clone() else { continue };
            if refused_links.contains(&link) {
                continue;
            }
            if !found.contains_key(&link) {
                let parsed =
                    Url::parse(&link).map_err(|e| SourceError::parse(&link, e.to_string()));
                if let Err(e) = parsed.and_then(|u| super::follow(cx.allow_hosts, &self.url, &u)) {
                    // Not a failure of the page: the list's own description is kept.
                    tracing::warn!(error = %e, "detail page skipped");
                    refused_links.insert(link);
                    continue;
                }
                if let Some(why) = refused(cx.robots(&url_of(&link)?).await) {
                    // Not a failure of the source: the list's own description is kept.
                    tracing::warn!(url = %link, reason = %why, "detail page skipped");
                    cx.skipped_by_robots();
                    refused_links.insert(link);
                    continue;
                }
                // The list pages came first, so every detail request follows another.
                tokio::time::sleep(self.delay).await;
                let got = match self.detail(cx, &link, pick).await {
                    Ok(d) => Some(d),
                    Err(e) => {
                        tracing::warn!(url = %link, error = %e, "detail page skipped");
                        first_problem.get_or_insert(e);
                        None
                    }
                };
                found.insert(link.clone(), got);
            }
            if let Some(Some(d)) = found.get(&link) {
                d.apply(p);
            }
        }
        if !found.is_empty() && found.values().all(Option::is_none) {
            // A failed request is returned as is, so that a site that is down
            // stays a transient failure; anything else is a selector problem.
            return Err(match first_problem {
                Some(SourceError::Fetch(e)) => SourceError::Fetch(e),
                other => SourceError::parse(
                    &self.url,
                    format!(
                        "no detail page gave a description (first problem: {})",
                        other.map(|e| e.to_string()).unwrap_or_default()
                    ),
                ),
            });
        }
        Ok(())
    }

    async fn detail(
        &self,
        cx: &Context<'_>,
        link: &str,
        pick: &Pick,
    ) -> Result<Description, SourceError> {
        let url = Url::parse(link).map_err(|e| SourceError::parse(link, e.to_string()))?;
        let body = super::get_link(cx, &self.url, &url).await?;
        detail_description(&body.bytes, &body.url, pick)
    }
}

/// Why robots.txt keeps a page from being fetched, if it does.
fn refused(verdict: Verdict) -> Option<String> {
    match verdict {
        Verdict::Allowed => None,
        Verdict::Disallowed(why) | Verdict::Postponed(why) => Some(why),
    }
}

/// `link` as a URL (it passed `follow`, so it parses).
fn url_of(link: &str) -> Result<Url, SourceError> {
    Url::parse(link).map_err(|e| SourceError::parse(link, e.to_string()))
}

#[cfg(test)]
mod tests;
