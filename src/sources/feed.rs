//! `kind = "feed"`: RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.x, parsed by
//! feed-rs. Each entry maps to one posting; job feeds often pack company and
//! location into the title, so postings are marked for title splitting (which
//! the source's `split_title` allows or not), and carry non-standard fields
//! beside the standard ones (`feed_fields`).
//!
//! Memory: feed-rs builds its whole model (about 1 KB per entry, whatever the
//! entry's size) before we see the first entry, so a 10 MB feed of 180,000
//! tiny items took hundreds of megabytes. A large XML body is therefore cut
//! into documents of [`BATCH`](super::BATCH) items each (the text before the
//! first item, the items, the text after the last), parsed one at a time and
//! handed over as [`Fetched::Batches`].
//!
//! Speed: RSS 2.0 and Atom 1.0 documents are read by [`fast`] in one pass
//! straight into postings; feed-rs (and the job fields read beside it) stays
//! for every other format and for whatever that reader declines.

use futures::FutureExt;
use futures::future::BoxFuture;
use quick_xml::events::Event;
use url::Url;

use super::{BATCH, Context, Fetched, Source, SourceError};
use crate::http;
use crate::model::RawPosting;

mod fast;
mod item;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod props;
#[cfg(test)]
mod timing;

/// Bodies at least this large are parsed in batches.
const LARGE: usize = 256 << 10;

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

    fn home(&self) -> Option<Url> {
        Some(self.url.clone())
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            let fetched = cx
                .http
                .get(&self.url, cx.validators, &cx.hosts(&self.url))
                .await?;
            let body = match fetched {
                http::Fetched::NotModified => return Ok(Fetched::NotModified),
                http::Fetched::Body(body) => *body,
            };
            let (bytes, url) = (body.bytes, body.url);
            if bytes.len() < LARGE {
                return Ok(Fetched::Postings {
                    postings: super::off_thread(move || parse(&bytes, &url)).await?,
                    validators: body.validators,
                    complete: true,
                });
            }
            Ok(Fetched::Batches {
                batches: Box::new(move |sink| parse_batches(&bytes, &url, sink)),
                validators: body.validators,
            })
        }
        .boxed()
    }
}

/// Parses a feed document and hands its postings to `sink` in batches of at
/// most [`BATCH`], never holding more than one batch's model at a time. A
/// broken document may fail after some batches were handed over; the caller
/// discards them.
pub fn parse_batches(
    bytes: &[u8],
    url: &Url,
    sink: &mut dyn FnMut(Vec<RawPosting>),
) -> Result<(), SourceError> {
    let items = match item_spans(bytes) {
        Some(items) if items.len() > BATCH => items,
        // Small, JSON, or not well-formed XML: feed-rs reads it whole (and says what is wrong).
        _ => {
            sink(parse(bytes, url)?);
            return Ok(());
        }
    };
    let (first, last) = match (items.first(), items.last()) {
        (Some(f), Some(l)) => (f.0, l.1),
        _ => return Ok(()),
    };
    let (head, tail) = (&bytes[..first], &bytes[last..]);
    let mut doc = Vec::new();
    for chunk in items.chunks(BATCH) {
        let (start, end) = match (chunk.first(), chunk.last()) {
            (Some(f), Some(l)) => (f.0, l.1),
            _ => continue,
        };
        doc.clear();
        doc.extend_from_slice(head);
        doc.extend_from_slice(&bytes[start..end]);
        doc.extend_from_slice(tail);
        sink(parse(&doc, url)?);
    }
    Ok(())
}

/// The byte spans of the feed's items (`<item>` of RSS, `<entry>` of Atom):
/// every such element at the depth of the first one. `None` when the body is
/// not well-formed XML or the items are not siblings, which feed-rs then judges.
fn item_spans(bytes: &[u8]) -> Option<Vec<(usize, usize)>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut item_depth: Option<usize> = None;
    let mut open: Option<usize> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).ok()?;
        let event = reader.read_event().ok()?;
        let after = usize::try_from(reader.buffer_position()).ok()?;
        match event {
            Event::Start(e) => {
                let is_item = matches!(e.local_name().into_inner(), "item" | "entry");
                if is_item && open.is_none() && item_depth.is_none_or(|d| d == depth) {
                    item_depth = Some(depth);
                    open = Some(before);
                }
                depth = depth.checked_add(1)?;
            }
            Event::End(e) => {
                depth = depth.checked_sub(1)?;
                let is_item = matches!(e.local_name().into_inner(), "item" | "entry");
                if is_item && Some(depth) == item_depth {
                    spans.push((open.take()?, after));
                }
            }
            Event::Empty(e) => {
                let is_item = matches!(e.local_name().into_inner(), "item" | "entry");
                if is_item && open.is_none() && item_depth.is_none_or(|d| d == depth) {
                    item_depth = Some(depth);
                    spans.push((before, after));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Items must be siblings in one run, or cutting the document between them would change it.
    let contiguous_parent = depth == 0 && open.is_none();
    contiguous_parent.then_some(spans)
}

/// Parses a feed document into postings: RSS 2.0 and Atom 1.0 in one
/// streaming pass ([`fast`]), anything that reader declines with feed-rs.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    match fast::parse(bytes, url) {
        Some(postings) => Ok(postings),
        None => parse_with_feed_rs(bytes, url),
    }
}

/// Parses a feed document with feed-rs, then reads the job fields beside it
/// (`feed_fields`): every format, and the errors that name what is wrong.
fn parse_with_feed_rs(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rss(items: usize, odd: Option<(usize, &str)>) -> Vec<u8> {
        let mut s = String::from(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <channel><title>t</title><link>http://x.example/</link>\n",
        );
        for i in 0..items {
            let title = match odd {
                Some((at, t)) if at == i => t.to_string(),
                _ => format!("Engineer {i}"),
            };
            s.push_str(&format!(
                "<item><title>{title}</title><guid>g{i}</guid><dc:creator>Acme</dc:creator></item>\n"
            ));
        }
        s.push_str("<!-- after --></channel></rss>\n");
        s.into_bytes()
    }

    fn atom(items: usize) -> Vec<u8> {
        let mut s = String::from(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><id>f</id>\
             <updated>2026-11-30T10:00:00Z</updated>",
        );
        for i in 0..items {
            s.push_str(&format!(
                "<entry><title>Job {i}</title><id>e{i}</id><updated>2026-11-30T10:00:00Z</updated>\
                 <link href=\"/jobs/{i}\"/></entry>"
            ));
        }
        s.push_str("</feed>");
        s.into_bytes()
    }

    fn batched(bytes: &[u8]) -> (Result<(), SourceError>, Vec<usize>, Vec<RawPosting>) {
        let url = Url::parse("http://x.example/feed").expect("url");
        let (mut sizes, mut all) = (Vec::new(), Vec::new());
        let got = parse_batches(bytes, &url, &mut |b| {
            sizes.push(b.len());
            all.extend(b);
        });
        (got, sizes, all)
    }

    #[test]
    fn a_large_feed_is_parsed_in_batches_to_the_same_postings() {
        let url = Url::parse("http://x.example/feed").expect("url");
        for (bytes, n) in [(rss(2_500, None), 2_500), (atom(1_001), 1_001)] {
            let (got, sizes, all) = batched(&bytes);
            got.expect("parses");
            assert!(sizes.iter().all(|&s| s <= BATCH), "{sizes:?}");
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.len() > 1, "{sizes:?}");
            let whole = parse(&bytes, &url).expect("whole");
            let key = |p: &RawPosting| {
                (
                    p.external_id.clone(),
                    p.title.clone(),
                    p.url.clone(),
                    p.author.clone(),
                )
            };
            assert_eq!(
                all.iter().map(key).collect::<Vec<_>>(),
                whole.iter().map(key).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn small_json_and_broken_feeds_are_read_whole() {
        let (got, sizes, _) = batched(&rss(10, None));
        got.expect("parses");
        assert_eq!(sizes, [10]);
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"Job"}]}"#;
        let (got, sizes, _) = batched(json);
        got.expect("parses");
        assert_eq!(sizes, [1]);
        let mut cut = rss(2_000, None);
        cut.truncate(cut.len() / 2);
        let (got, sizes, _) = batched(&cut);
        assert!(got.is_err() || sizes.iter().sum::<usize>() < 2_000);
    }

    #[test]
    fn a_bad_item_in_a_later_batch_fails_the_parse() {
        let mut bytes = rss(2_500, Some((1_700, "MARK")));
        let at = bytes.windows(4).position(|w| w == b"MARK").expect("marker");
        // Bytes that are not UTF-8 in the middle of a large feed.
        bytes.splice(at..at + 4, [0xff, 0xfe, 0xfd, 0xfc]);
        let (got, sizes, _) = batched(&bytes);
        let err = got.expect_err("a broken item is an error");
        assert!(err.to_string().contains("not a valid RSS"), "{err}");
        assert!(
            sizes.len() <= 1,
            "at most the batch before the bad one: {sizes:?}"
        );
    }
}
