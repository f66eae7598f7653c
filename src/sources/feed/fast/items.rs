//! The children of one RSS `<item>` or Atom `<entry>`, read as feed-rs's
//! `rss2::handle_item` and `atom::handle_entry` read them (a later title,
//! summary or date replaces an earlier one, even with nothing; links,
//! authors and categories add up), with `feed_fields`' view of each child.

use super::{Decline, Doc, Next, Ns, Open, Step, Text, attr, attrs, text_type, values};
use crate::sources::feed::item::{Item, Link};

impl<'i> Doc<'i, '_> {
    /// The next child of the item being read, `None` at its end. Media,
    /// iTunes and podcast elements decline: feed-rs reads them.
    fn item_child(&mut self) -> Step<Option<Open<'i>>> {
        match self.next()? {
            Next::Open(o) if matches!(o.ns, Ns::Media | Ns::Itunes | Ns::Podcast) => Err(Decline),
            Next::Open(o) => Ok(Some(o)),
            Next::Close => Ok(None),
            Next::Eof => Err(Decline),
        }
    }

    pub(super) fn rss_item(&mut self) -> Step<Item> {
        let mut item = Item::default();
        loop {
            let Some(o) = self.item_child()? else {
                return Ok(item);
            };
            let reads = matches!(
                (o.ns, o.name()),
                (
                    Ns::Rss,
                    "title"
                        | "link"
                        | "description"
                        | "author"
                        | "category"
                        | "guid"
                        | "pubDate"
                        | "updated"
                        | "comments",
                ) | (Ns::Atom, "updated")
                    | (Ns::Dc, "date" | "creator")
                    | (Ns::Content, "encoded")
                    | (Ns::Wfw, "commentRss" | "commentRSS")
            );
            let text = self.child(&o, reads)?;
            self.field(&mut item, &o, &text);
            let Text { xml, .. } = text;
            match (o.ns, o.name()) {
                (Ns::Rss, "title") => item.title = xml.map(|t| (trimmed(t), false)),
                (Ns::Rss, "link") => {
                    if let Some(href) = xml {
                        item.links.push(Link::new(&href, self.base, None));
                    }
                }
                (Ns::Rss, "comments") => {
                    if let Some(href) = xml {
                        let mut link = Link::new(&href, self.base, None);
                        link.comments = true;
                        item.links.push(link);
                    }
                }
                (Ns::Wfw, _) => {
                    if let Some(href) = xml {
                        item.links.push(Link::new(&href, self.base, None));
                    }
                }
                (Ns::Rss, "description") => item.summary = xml.map(trimmed),
                (Ns::Rss, "author") | (Ns::Dc, "creator") => {
                    if let Some(raw) = xml {
                        item.authors.push(values::person_name(&raw)?);
                    }
                }
                (Ns::Rss, "category") => {
                    if let Some(term) = xml {
                        item.tags.push(term.trim().to_string());
                    }
                }
                (Ns::Rss, "guid") => {
                    if let Some(id) = xml {
                        item.id = id.trim().to_string();
                    }
                }
                (Ns::Rss, "pubDate") | (Ns::Dc, "date") => {
                    item.published = values::timestamp(xml.as_deref())?
                }
                (Ns::Rss | Ns::Atom, "updated") => {
                    item.updated = values::timestamp(xml.as_deref())?
                }
                (Ns::Content, "encoded") => item.content = xml.filter(|s| !s.is_empty()),
                _ => {}
            }
        }
    }

    pub(super) fn atom_entry(&mut self) -> Step<Item> {
        let mut item = Item::default();
        loop {
            let Some(o) = self.item_child()? else {
                return Ok(item);
            };
            match (o.ns, o.name()) {
                (Ns::Atom, "author") => {
                    if let Some(name) = self.person(&o)? {
                        item.authors.push(name);
                    }
                    continue;
                }
                (Ns::Atom, "contributor") => {
                    self.person(&o)?;
                    continue;
                }
                _ => {}
            }
            let reads = matches!(
                (o.ns, o.name()),
                (
                    Ns::Atom,
                    "id" | "title" | "updated" | "summary" | "published" | "pubDate" | "content"
                ) | (Ns::Wfw, "commentRss" | "commentRSS")
            );
            // Checked before reading: feed-rs fails on these whatever the text.
            let html = match (o.ns, o.name()) {
                (Ns::Atom, "title" | "summary" | "rights") => text_type(&o.start)?,
                (Ns::Atom, "content") => {
                    if attr(&o.start, "src").is_some() {
                        return Err(Decline);
                    }
                    text_type(&o.start)?
                }
                _ => false,
            };
            let text = self.child(&o, reads)?;
            self.field(&mut item, &o, &text);
            let Text { xml, .. } = text;
            match (o.ns, o.name()) {
                (Ns::Atom, "id") => {
                    if let Some(id) = xml {
                        item.id = id;
                    }
                }
                // Atom texts are never absent: feed-rs reads an empty one as "".
                (Ns::Atom, "title") => {
                    item.title = Some((xml.unwrap_or_default().trim().to_string(), html));
                }
                (Ns::Atom, "summary") => item.summary = Some(trimmed(xml.unwrap_or_default())),
                (Ns::Atom, "content") => item.content = Some(trimmed(xml.unwrap_or_default())),
                (Ns::Atom, "updated") if xml.is_some() => {
                    item.updated = values::timestamp(xml.as_deref())?
                }
                (Ns::Atom, "published" | "pubDate") if xml.is_some() => {
                    item.published = values::timestamp(xml.as_deref())?
                }
                (Ns::Atom, "link") => {
                    if let Some(href) = attr(&o.start, "href") {
                        let rel = attrs(&o.start)
                            .filter(|(k, _)| k == "rel")
                            .last()
                            .map(|(_, v)| v)
                            .unwrap_or_else(|| "alternate".to_string());
                        item.links.push(Link::new(&href, self.base, Some(rel)));
                    }
                }
                (Ns::Atom, "category") => {
                    if let Some(term) = attr(&o.start, "term") {
                        let label = attrs(&o.start).filter(|(k, _)| k == "label").last();
                        item.tags.push(
                            label
                                .map(|(_, v)| v)
                                .unwrap_or_else(|| term.trim().to_string()),
                        );
                    }
                }
                (Ns::Wfw, _) => {
                    if let Some(href) = xml {
                        item.links.push(Link::new(&href, self.base, None));
                    }
                }
                _ => {}
            }
        }
    }

    /// A direct child of an item: its text when feed-rs or `feed_fields`
    /// reads it, else skipped.
    fn child(&mut self, o: &Open<'_>, reads: bool) -> Step<Text> {
        let raw = self.wants(o);
        if reads || raw {
            self.text(o, raw)
        } else {
            if !o.empty {
                self.skip(false)?;
            }
            Ok(Text::default())
        }
    }

    /// An Atom person: the text of its last `name` child that has one (any
    /// namespace, as feed-rs matches it); `Some` when it has a name or an e-mail.
    fn person(&mut self, o: &Open<'_>) -> Step<Option<Option<String>>> {
        if o.empty {
            return Ok(None);
        }
        let (mut name, mut email) = (None, None);
        loop {
            let child = match self.next()? {
                Next::Open(c) => c,
                Next::Close => break,
                Next::Eof => return Err(Decline),
            };
            if matches!(child.ns, Ns::Media | Ns::Itunes | Ns::Podcast)
                || super::item_like(&child.start)
            {
                return Err(Decline);
            }
            let text = self.text(&child, false)?.xml;
            match child.name() {
                "name" if text.is_some() => name = text,
                "email" => email = text,
                _ => {}
            }
        }
        Ok((name.is_some() || email.is_some()).then_some(name))
    }
}

/// The text without surrounding whitespace (`str::trim`, as feed-rs's
/// `Text`), without a copy when there is none: descriptions are large.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}
