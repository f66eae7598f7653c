//! One item or entry as the streaming reader ([`super::fast`]) collects it,
//! holding only what a posting uses, and its mapping to a [`RawPosting`]: the
//! same rules, step for step, as feed-rs's model and [`super::entry`] (RSS
//! comment links dropped when they repeat another link, `updated` defaulting
//! to `published` in RSS, a missing id hashed from the first link and the
//! title as feed-rs's default generator does, `alternate` links first).

use std::hash::Hasher;

use chrono::{DateTime, Utc};
use siphasher::sip128::{Hasher128, SipHasher};
use url::Url;

use crate::model::RawPosting;
use crate::sources::feed_fields::ItemFields;

/// A link as feed-rs keeps it: resolved href, `rel`, and whether it is an RSS
/// `<comments>` link (which feed-rs drops when another link has its href).
#[derive(Debug)]
pub(super) struct Link {
    pub href: String,
    pub rel: Option<String>,
    pub comments: bool,
}

impl Link {
    /// feed-rs's `Link::new`: an absolute href as parsed, a relative one
    /// joined to the base (the feed's URL), anything else as written; trimmed.
    pub fn new(href: &str, base: &Url, rel: Option<String>) -> Link {
        let href = match Url::parse(href) {
            Ok(u) => String::from(u),
            Err(url::ParseError::RelativeUrlWithoutBase) => match base.join(href) {
                Ok(u) => String::from(u),
                Err(_) => href.to_string(),
            },
            Err(_) => href.to_string(),
        };
        Link {
            href: href.trim().to_string(),
            rel,
            comments: false,
        }
    }
}

/// The fields of one item that a posting is made of, as feed-rs would hold them.
#[derive(Debug, Default)]
pub(super) struct Item {
    /// The title's text (trimmed) and whether it is HTML.
    pub title: Option<(String, bool)>,
    pub links: Vec<Link>,
    pub id: String,
    pub summary: Option<String>,
    pub content: Option<String>,
    /// Each author's name, as feed-rs's `Person::name`.
    pub authors: Vec<Option<String>>,
    /// Each category's label, or its term.
    pub tags: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// What `feed_fields` reads from this item: its fields and its keys.
    pub fields: ItemFields,
    pub keys: Vec<String>,
}

// feed-rs's keys for the id of an entry without one (`parser/mod.rs`).
const LINK_HASH_KEY1: u64 = 0x5d78_4074_2887_2d60;
const LINK_HASH_KEY2: u64 = 0x90ee_ca4c_90a5_e228;

impl Item {
    /// What feed-rs does after reading an RSS item: drop comment links that
    /// repeat another link, and let `updated` default to `published`.
    pub fn finish_rss(&mut self) {
        if self.updated.is_none() && self.published.is_some() {
            self.updated = self.published;
        }
        let others: Vec<String> = self
            .links
            .iter()
            .filter(|l| !l.comments)
            .map(|l| l.href.clone())
            .collect();
        self.links
            .retain(|l| !l.comments || !others.contains(&l.href));
    }

    /// The posting, as [`super::entry`] maps feed-rs's entry; `None` when the
    /// item has no id, no link and no title (feed-rs then makes up a random id).
    pub fn posting(self, feed_url: &Url) -> Option<(RawPosting, ItemFields, Vec<String>)> {
        let id = if self.id.is_empty() {
            generated_id(
                &self.links,
                self.title.as_ref().map(|t| t.0.as_str()),
                feed_url,
            )?
        } else {
            self.id
        };
        let link = self
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(self.links.first())
            .map(|l| super::absolute(feed_url, &l.href));
        let title = match self.title {
            Some((t, true)) => crate::normalize::html_to_text(&t),
            Some((t, false)) => t,
            None => String::new(),
        };
        let body = self.content.filter(|b| !b.trim().is_empty());
        let summary = self.summary.filter(|s| !s.trim().is_empty());
        let external_id = if id.is_empty() {
            link.clone().unwrap_or_default()
        } else {
            id
        };
        let posting = RawPosting {
            external_id,
            title,
            url: link,
            author: self
                .authors
                .into_iter()
                .flatten()
                .find(|n| !n.trim().is_empty()),
            tags: self
                .tags
                .into_iter()
                .filter(|t| !t.trim().is_empty())
                .collect(),
            posted_at: self.published.or(self.updated),
            updated_at: self.updated,
            description_html: body.or(summary),
            title_packs_fields: true,
            ..RawPosting::default()
        };
        Some((posting, self.fields, self.keys))
    }
}

/// feed-rs's `generate_id`: a SipHash of the first link and the title, or of
/// the feed's URL and the title; `None` where feed-rs would draw a UUID.
fn generated_id(links: &[Link], title: Option<&str>, feed_url: &Url) -> Option<String> {
    let mut hasher = SipHasher::new_with_keys(LINK_HASH_KEY1, LINK_HASH_KEY2);
    match (links.first(), title) {
        (Some(link), title) => {
            hasher.write(link.href.as_bytes());
            if let Some(t) = title {
                hasher.write(t.as_bytes());
            }
        }
        (None, Some(t)) => {
            hasher.write(feed_url.as_str().as_bytes());
            hasher.write(t.as_bytes());
        }
        (None, None) => return None,
    }
    let hash = hasher.finish128();
    Some(format!("{:x}{:x}", hash.h1, hash.h2))
}
