//! The streaming reader of the common feeds: RSS 2.0 and Atom 1.0, read in
//! one quick-xml pass straight into postings, with the job fields of
//! `feed_fields` read in the same pass. feed-rs builds a model of every
//! element (and copies every description twice) before we see an entry, and
//! `feed_fields` then read the body again; on a cold ingest of job feeds the
//! two were about a tenth of the CPU (BENCHMARKS.md).
//!
//! It reads exactly what feed-rs with [`super::entry`] and `feed_fields`
//! read, or declines (`None`) and lets feed-rs decide: any XML error, another
//! encoding than UTF-8, `xml:base`, XHTML or out-of-line Atom content, an
//! Atom text type feed-rs rejects, media/iTunes/podcast elements (feed-rs
//! parses them and can fail on them), markup inside a text element, an
//! element named like an item where feed-rs reads none (the job fields would
//! be read from it), an item with neither id, link nor title.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use url::Url;

use super::item::Item;
use crate::model::RawPosting;
use crate::sources::feed_fields;

/// The namespaces feed-rs tells apart (`xml::NS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Atom,
    Rss,
    Unknown,
    Content,
    Dc,
    Media,
    Itunes,
    Podcast,
    Wfw,
}

impl Ns {
    fn parse(uri: &str) -> Ns {
        match uri {
            "http://purl.org/rss/1.0/" => Ns::Rss,
            "http://www.w3.org/2005/Atom" => Ns::Atom,
            "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
            "http://purl.org/dc/elements/1.1/" => Ns::Dc,
            "http://search.yahoo.com/mrss/" => Ns::Media,
            "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "https://podcastindex.org/namespace/1.0" => Ns::Podcast,
            "http://wellformedweb.org/CommentAPI/" => Ns::Wfw,
            _ => Ns::Unknown,
        }
    }
}

/// The reader declines: feed-rs reads this document.
#[derive(Debug, PartialEq, Eq)]
struct Decline;

type Step<T> = Result<T, Decline>;

impl From<quick_xml::Error> for Decline {
    fn from(_: quick_xml::Error) -> Decline {
        Decline
    }
}

/// Postings of an RSS 2.0 or Atom 1.0 document, or `None` when the document
/// is anything else or anything in it is read differently by feed-rs.
pub(crate) fn parse(bytes: &[u8], url: &Url) -> Option<Vec<RawPosting>> {
    // feed-rs looks for the first `<` or `{` in its first buffer (8 KiB).
    let head = &bytes[..bytes.len().min(8 << 10)];
    if head.iter().find(|b| **b == b'<' || **b == b'{') != Some(&b'<')
        || memchr::memmem::find(bytes, b"xml:base").is_some()
        // No XML has NUL; UTF-16 without a byte-order mark does (feed-rs decodes it).
        || memchr::memchr(0, bytes).is_some()
    {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut doc = Doc::new(text, url, feed_fields::has_markers(bytes));
    doc.read().ok()?;
    let mut out = Vec::with_capacity(doc.items.len());
    let mut extras = Vec::new();
    for item in doc.items {
        let (posting, fields, keys) = item.posting(url)?;
        out.push(posting);
        extras.push((fields, keys));
    }
    if doc.fields {
        apply_fields(&mut out, &extras);
    }
    Some(out)
}

/// `feed_fields::item_fields` and its lookup in `super::parse`: every key of
/// every item maps to its fields (a later item wins a shared key); a posting
/// takes the fields of its id, else of its link.
fn apply_fields(postings: &mut [RawPosting], extras: &[(feed_fields::ItemFields, Vec<String>)]) {
    let mut by_key = std::collections::HashMap::new();
    for (i, (_, keys)) in extras.iter().enumerate() {
        for k in keys.iter().filter(|k| !k.is_empty()) {
            by_key.insert(k.as_str(), i);
        }
    }
    for p in postings {
        let at = by_key
            .get(p.external_id.as_str())
            .or_else(|| p.url.as_deref().and_then(|u| by_key.get(u)));
        if let Some(&i) = at {
            extras[i].0.apply(p);
        }
    }
}

struct Doc<'i, 'u> {
    reader: NsReader<&'i [u8]>,
    base: &'u Url,
    /// How an element without a namespace is read: RSS or Atom, by the root.
    default: Ns,
    /// Whether the body has the job fields' markers (`feed_fields::has_markers`).
    fields: bool,
    items: Vec<Item>,
}

/// An element start: its namespace (as feed-rs maps it), its name without
/// prefix, whether it is empty, and the event for its attributes.
struct Open<'i> {
    ns: Ns,
    empty: bool,
    start: BytesStart<'i>,
}

impl Open<'_> {
    /// The element's name without its prefix.
    fn name(&self) -> &str {
        let name = self.start.name().0;
        name.rsplit(':').next().unwrap_or(name)
    }
}

enum Next<'i> {
    Open(Open<'i>),
    Close,
    Eof,
}

impl<'i, 'u> Doc<'i, 'u> {
    fn new(text: &'i str, base: &'u Url, fields: bool) -> Self {
        let mut reader = NsReader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = false;
        config.trim_markup_names_in_closing_tags = true;
        config.trim_text(false);
        Doc {
            reader,
            base,
            default: Ns::Unknown,
            fields,
            items: Vec::new(),
        }
    }

    /// The next element start or end at this level, skipping what feed-rs
    /// skips between elements (text, comments) and checking what it checks.
    fn next(&mut self) -> Step<Next<'i>> {
        loop {
            let (ns, event) = self.reader.read_resolved_event()?;
            let ns = match ns {
                ResolveResult::Bound(n) => Some(Ns::parse(n.as_ref())),
                _ => None,
            };
            let (start, empty) = match event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => return Ok(Next::Close),
                Event::Eof => return Ok(Next::Eof),
                Event::GeneralRef(r) => {
                    r.resolve_char_ref()?;
                    continue;
                }
                Event::Decl(d) => {
                    if let Some(enc) = d.encoding() {
                        let enc = enc.map_err(|_| Decline)?;
                        if !enc.eq_ignore_ascii_case("utf-8") {
                            return Err(Decline);
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            return Ok(Next::Open(Open {
                ns: ns.unwrap_or(self.default),
                empty,
                start,
            }));
        }
    }

    fn read(&mut self) -> Step<()> {
        let root = match self.next()? {
            Next::Open(o) if !o.empty => o,
            _ => return Err(Decline),
        };
        match root.name() {
            "rss" if matches!(attr(&root.start, "version").as_deref(), Some("2.0" | "")) => {
                self.default = Ns::Rss;
                self.rss()?;
            }
            "feed" => {
                self.default = Ns::Atom;
                self.atom()?;
            }
            _ => return Err(Decline),
        }
        // What follows the root: feed-rs stops reading, `feed_fields` does not.
        match self.next()? {
            Next::Eof => Ok(()),
            _ => Err(Decline),
        }
    }

    /// The children of `<rss>`: the first `<channel>` is read, the rest skipped.
    fn rss(&mut self) -> Step<()> {
        let mut channel = false;
        loop {
            match self.next()? {
                Next::Open(o) if o.name() == "channel" && !channel && !o.empty => {
                    channel = true;
                    self.channel()?;
                }
                Next::Open(o) => self.ignore(&o)?,
                // Without a channel feed-rs fails ("no root element").
                Next::Close if channel => return Ok(()),
                Next::Close | Next::Eof => return Err(Decline),
            }
        }
    }

    fn channel(&mut self) -> Step<()> {
        loop {
            match self.next()? {
                Next::Open(o) if o.ns == Ns::Rss && o.name() == "item" && !o.empty => {
                    let mut item = self.rss_item()?;
                    item.finish_rss();
                    self.items.push(item);
                }
                Next::Open(o) => self.ignore(&o)?,
                Next::Close => return Ok(()),
                Next::Eof => return Err(Decline),
            }
        }
    }

    /// The children of `<feed>`: entries, and feed-level texts feed-rs checks.
    fn atom(&mut self) -> Step<()> {
        loop {
            match self.next()? {
                Next::Open(o) if o.ns == Ns::Atom && o.name() == "entry" && !o.empty => {
                    let item = self.atom_entry()?;
                    self.items.push(item);
                }
                Next::Open(o)
                    if o.ns == Ns::Atom && matches!(o.name(), "title" | "subtitle" | "rights") =>
                {
                    text_type(&o.start)?;
                    self.ignore(&o)?;
                }
                Next::Open(o) => self.ignore(&o)?,
                Next::Close => return Ok(()),
                Next::Eof => return Err(Decline),
            }
        }
    }

    /// An element outside the items that feed-rs does not read into
    /// postings: skipped, unless it is one feed-rs could fail on or one
    /// `feed_fields` would take for an item.
    fn ignore(&mut self, o: &Open<'_>) -> Step<()> {
        if matches!(o.ns, Ns::Media | Ns::Itunes | Ns::Podcast) || item_like(&o.start) {
            return Err(Decline);
        }
        if o.empty { Ok(()) } else { self.skip(true) }
    }

    /// Reads to the end of the element just opened. With `watch`, an element
    /// named like an item inside it declines (`feed_fields` would read it).
    fn skip(&mut self, watch: bool) -> Step<()> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Next::Open(o) => {
                    if watch
                        && (item_like(&o.start)
                            || matches!(o.ns, Ns::Media | Ns::Itunes | Ns::Podcast))
                    {
                        return Err(Decline);
                    }
                    if !o.empty {
                        depth = depth.checked_add(1).ok_or(Decline)?;
                    }
                }
                Next::Close => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return Ok(()),
                },
                Next::Eof => return Err(Decline),
            }
        }
    }
}

/// `feed_fields` takes any element named `item` or `entry` (any case, any
/// prefix) for an item.
fn item_like(start: &BytesStart<'_>) -> bool {
    let name = start.local_name();
    let name: &str = name.as_ref();
    name.eq_ignore_ascii_case("item") || name.eq_ignore_ascii_case("entry")
}

/// The value of the first attribute of this exact name, unescaped (or as
/// written when that fails), as feed-rs's `attr_value`.
fn attr(start: &BytesStart<'_>, name: &str) -> Option<String> {
    attrs(start).find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Every readable attribute as feed-rs keeps them: name as written, value unescaped.
fn attrs<'a>(start: &'a BytesStart<'_>) -> impl Iterator<Item = (String, String)> + 'a {
    start.attributes().filter_map(Result::ok).map(|a| {
        let value = quick_xml::escape::unescape(&a.value)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string());
        (a.key.as_ref().to_string(), value)
    })
}

/// An Atom text construct's type: `Ok(true)` for HTML, `Ok(false)` for plain
/// text; XHTML (serialized by feed-rs) and the types it rejects decline.
fn text_type(start: &BytesStart<'_>) -> Step<bool> {
    match attr(start, "type").as_deref() {
        None | Some("text") => Ok(false),
        Some("html" | "text/html") => Ok(true),
        Some(_) => Err(Decline),
    }
}

mod items;
mod text;
mod values;

use text::Text;
