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
use scraper::{ElementRef, Html as Document};
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::config::{Pick, Selectors};
use crate::http::robots::Verdict;
use crate::model::RawPosting;
use crate::normalize::{fold_whitespace, parse_time, resolve_url};
use crate::store::Validators;

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

/// One list page, read.
#[derive(Debug, Default)]
pub struct Page {
    /// The usable items.
    pub postings: Vec<RawPosting>,
    /// How many elements the item selector matched.
    pub items: usize,
    /// The next page's URL, when the `next` selector found one.
    pub next: Option<Url>,
}

/// Reads a list page; no items at all is an error ("0 items: selector `X` matched nothing").
pub fn parse(bytes: &[u8], url: &Url, sel: &Selectors) -> Result<Page, SourceError> {
    let page = read_page(bytes, url, sel)?;
    if page.items == 0 {
        return Err(SourceError::parse(
            url,
            format!("0 items: selector `{}` matched nothing", sel.item.written()),
        ));
    }
    Ok(page)
}

/// Reads a list page; `items == 0` when the item selector matched nothing.
fn read_page(bytes: &[u8], url: &Url, sel: &Selectors) -> Result<Page, SourceError> {
    let doc = Document::parse_document(&String::from_utf8_lossy(bytes));
    let mut page = Page::default();
    let mut problems = Vec::new();
    if let Some(item_sel) = &sel.item.selector {
        for (i, el) in doc.select(item_sel).enumerate() {
            page.items += 1;
            match item(el, url, sel) {
                Ok(p) => page.postings.push(p),
                Err(why) => {
                    tracing::warn!(url = %url, item = i + 1, "item skipped: {why}");
                    problems.push(format!("item {}: {why}", i + 1));
                }
            }
        }
    }
    if page.items > 0 && page.postings.is_empty() {
        return Err(SourceError::parse(
            url,
            format!(
                "{} items, none usable ({})",
                page.items,
                problems.first().map(String::as_str).unwrap_or("")
            ),
        ));
    }
    page.next = sel
        .next
        .as_ref()
        .and_then(|p| value(doc.root_element(), p, Some("href")))
        .and_then(|href| resolve_url(url, &href))
        .and_then(|u| Url::parse(&u).ok());
    Ok(page)
}

/// One item; `Err` says which required selector found nothing.
fn item(el: ElementRef<'_>, page: &Url, sel: &Selectors) -> Result<RawPosting, String> {
    let title = value(el, &sel.title, None)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("title selector `{}` matched nothing", sel.title.written()))?;
    let href = value(el, &sel.link, Some("href")).ok_or_else(|| {
        format!(
            "link selector `{}` matched nothing (or no `{}` attribute)",
            sel.link.written(),
            sel.link.attr.as_deref().unwrap_or("href")
        )
    })?;
    let link = resolve_url(page, &href)
        .ok_or_else(|| format!("link `{href}` does not lead to an http(s) page"))?;
    let text = |p: &Option<Pick>| p.as_ref().and_then(|p| value(el, p, None));
    let mut posting = RawPosting {
        external_id: link.clone(),
        title,
        url: Some(link),
        company: text(&sel.company),
        locations: text(&sel.location).into_iter().collect(),
        posted_at: text(&sel.date).as_deref().and_then(parse_time),
        ..RawPosting::default()
    };
    if let Some(d) = sel.description.as_ref().and_then(|p| description(el, p)) {
        d.apply(&mut posting);
    }
    Ok(posting)
}

/// A description read from a page: HTML of an element, or an attribute's text.
#[derive(Debug, Clone)]
enum Description {
    Html(String),
    Text(String),
}

impl Description {
    fn apply(&self, p: &mut RawPosting) {
        match self {
            Description::Html(h) => {
                p.description_html = Some(h.clone());
                p.description_text = None;
            }
            Description::Text(t) => {
                p.description_html = None;
                p.description_text = Some(t.clone());
            }
        }
    }
}

fn description(scope: ElementRef<'_>, pick: &Pick) -> Option<Description> {
    let el = element(scope, pick)?;
    let d = match &pick.attr {
        Some(a) => Description::Text(el.attr(a)?.trim().to_string()),
        None => Description::Html(el.inner_html()),
    };
    Some(d)
}

/// The description on a detail page; matching nothing is an error.
fn detail_description(bytes: &[u8], url: &Url, pick: &Pick) -> Result<Description, SourceError> {
    let doc = Document::parse_document(&String::from_utf8_lossy(bytes));
    description(doc.root_element(), pick).ok_or_else(|| {
        SourceError::parse(
            url,
            format!(
                "detail_description selector `{}` matched nothing",
                pick.written()
            ),
        )
    })
}

/// The first element `pick` selects inside `scope` (or `scope` itself for a bare `@attr`).
fn element<'a>(scope: ElementRef<'a>, pick: &Pick) -> Option<ElementRef<'a>> {
    match &pick.selector {
        Some(s) => scope.select(s).next(),
        None => Some(scope),
    }
}

/// The attribute (`pick`'s own, else `default_attr`) or the whitespace-folded text.
pub(super) fn value(
    scope: ElementRef<'_>,
    pick: &Pick,
    default_attr: Option<&str>,
) -> Option<String> {
    let el = element(scope, pick)?;
    let v = match pick.attr.as_deref().or(default_attr) {
        Some(a) => fold_whitespace(el.attr(a)?),
        None => fold_whitespace(&el.text().collect::<String>()),
    };
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests;
