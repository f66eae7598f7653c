//! `kind = "feed"`: RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.x, parsed by
//! feed-rs. Each entry maps to one posting; job feeds often pack company and
//! location into the title, so postings are marked for title splitting (which
//! the source's `split_title` allows or not), and carry non-standard fields
//! beside the standard ones (`feed_fields`).

use futures::FutureExt;
use futures::future::BoxFuture;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::RawPosting;

/// A feed at a URL.
pub struct Feed {
    url: Url,
}

impl Feed {
    /// A feed source reading `url`.
    pub fn new(url: Url) -> Feed {
        Feed { url }
    }
}

impl Source for Feed {
    fn kind(&self) -> &'static str {
        "feed"
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url, parse).await }.boxed()
    }
}

/// Parses a feed document into postings.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .sanitize_content(false)
        .build()
        .parse(bytes)
        .map_err(|e| SourceError::parse(url, format!("not a valid RSS, Atom or JSON feed: {e}")))?;
    let extras = super::feed_fields::item_fields(bytes);
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let mut p = entry(e, url);
            let fields = extras
                .get(&p.external_id)
                .or_else(|| p.url.as_ref().and_then(|u| extras.get(u)));
            if let Some(f) = fields {
                f.apply(&mut p);
            }
            p
        })
        .collect())
}

fn entry(e: feed_rs::model::Entry, feed_url: &Url) -> RawPosting {
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(e.links.first())
        .map(|l| absolute(feed_url, &l.href));
    let title = e
        .title
        .map(|t| {
            if t.content_type.subty() == "html" {
                crate::normalize::html_to_text(&t.content)
            } else {
                t.content
            }
        })
        .unwrap_or_default();
    // Prefer the full content over the summary when a feed carries both.
    let body = e
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty());
    let summary = e
        .summary
        .map(|s| s.content)
        .filter(|s| !s.trim().is_empty());
    let external_id = if e.id.is_empty() {
        link.clone().unwrap_or_default()
    } else {
        e.id
    };
    RawPosting {
        external_id,
        title,
        url: link,
        author: e
            .authors
            .into_iter()
            .filter_map(|a| a.name)
            .find(|n| !n.trim().is_empty()),
        tags: e
            .categories
            .into_iter()
            .map(|c| c.label.unwrap_or(c.term))
            .filter(|t| !t.trim().is_empty())
            .collect(),
        posted_at: e.published.or(e.updated),
        updated_at: e.updated,
        description_html: body.or(summary),
        title_packs_fields: true,
        ..RawPosting::default()
    }
}

fn absolute(base: &Url, href: &str) -> String {
    base.join(href.trim())
        .map(String::from)
        .unwrap_or_else(|_| href.trim().to_string())
}
