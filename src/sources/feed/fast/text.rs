//! Text as the two readers it replaces take it: feed-rs's `child_as_text`
//! (text, CDATA and references resolved, up to the first child element) and
//! `feed_fields`' collection (as written, CDATA with `&` escaped, decoded
//! later), both from the same events.

use quick_xml::events::Event;

use super::{Decline, Doc, Open, Step};
use crate::sources::feed::item::Item;
use crate::sources::feed_fields;

/// The text of an element as feed-rs reads it (`None` when it has none) and,
/// when asked, as `feed_fields` collects it.
#[derive(Default)]
pub(super) struct Text {
    pub xml: Option<String>,
    pub raw: Option<String>,
}

impl Doc<'_, '_> {
    /// The text of the element just opened (feed-rs's `child_as_text`), and
    /// with `raw` the text `feed_fields` collects. Markup inside declines:
    /// feed-rs would read the text before it only.
    pub(super) fn text(&mut self, o: &Open<'_>, raw: bool) -> Step<Text> {
        if o.empty {
            return Ok(Text::default());
        }
        // Escaped markup has no `<` of its own: the text usually runs to
        // the next `<`, the end tag, so one allocation holds it all.
        let rest: &[u8] = self.reader.get_ref();
        let room = memchr::memchr(b'<', rest).unwrap_or(rest.len());
        let sized = || String::with_capacity(room);
        let mut out = Text {
            xml: None,
            raw: raw.then(sized),
        };
        loop {
            match self.reader.read_event()? {
                Event::Text(t) => {
                    if !t.is_empty() {
                        out.xml.get_or_insert_with(sized).push_str(&t);
                    }
                    if let Some(r) = out.raw.as_mut() {
                        r.push_str(&t);
                    }
                }
                Event::CData(t) => {
                    if !t.is_empty() {
                        out.xml.get_or_insert_with(sized).push_str(&t);
                    }
                    if let Some(r) = out.raw.as_mut() {
                        r.push_str(&t.replace('&', "&amp;"));
                    }
                }
                Event::GeneralRef(r) => {
                    let xml = out.xml.get_or_insert_with(sized);
                    match r.resolve_char_ref()? {
                        Some(ch) => xml.push(ch),
                        None => match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => xml.push_str(s),
                            None => {
                                xml.push('&');
                                xml.push_str(&r);
                                xml.push(';');
                            }
                        },
                    }
                    if let Some(raw) = out.raw.as_mut() {
                        raw.push('&');
                        raw.push_str(&r);
                        raw.push(';');
                    }
                }
                Event::End(_) => return Ok(out),
                Event::Start(_) | Event::Empty(_) | Event::Eof => return Err(Decline),
                _ => {}
            }
        }
    }

    /// Hands a direct child's `feed_fields` text to its field; the Atom
    /// `<link href/>` of an item is one of its keys.
    pub(super) fn field(&self, item: &mut Item, o: &Open<'_>, text: &Text) {
        if !self.fields {
            return;
        }
        if let Some(raw) = &text.raw
            && let Some(name) = feed_fields::wanted(o.start.local_name().as_ref())
        {
            feed_fields::set(
                &mut item.fields,
                &mut item.keys,
                name,
                feed_fields::value(raw),
            );
        }
        if o.empty && o.start.local_name().as_ref() == "link" {
            for a in o.start.attributes().flatten() {
                if a.key.local_name().as_ref() == "href" {
                    item.keys.push(a.value.trim().to_string());
                }
            }
        }
    }

    /// Whether `feed_fields` reads this direct child of an item.
    pub(super) fn wants(&self, o: &Open<'_>) -> bool {
        self.fields && !o.empty && feed_fields::wanted(o.start.local_name().as_ref()).is_some()
    }
}
