//! One job as every channel shows it: the facts of a stored posting put into
//! words (through [`super::format`]), the best link, a two-line snippet of
//! the description, and where the alert's words occur in the title and the
//! snippet. Channels only escape and lay out a card; what it says is decided
//! here, once. Strings are unescaped source text.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::format;
use crate::alerts::{Field, Query};
use crate::store::StoredPosting;

/// Characters of description a snippet shows: about two lines of a message.
pub const SNIPPET_CHARS: usize = 200;

/// Text with the byte ranges to highlight in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// The text.
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text` (on char boundaries).
    pub marks: Vec<Range<usize>>,
}

impl Marked {
    /// `text` with `query`'s words in `field` marked.
    pub fn new(text: String, query: Option<&Query>, field: Field) -> Marked {
        let marks = query.map_or_else(Vec::new, |q| q.highlights(field, &text));
        Marked { text, marks }
    }

    /// The pieces of the text in order, each with whether it is highlighted.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for r in &self.marks {
            let (Some(before), Some(mark)) = (self.text.get(at..r.start), self.text.get(r.clone()))
            else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((mark, true));
            at = r.end;
        }
        if let Some(rest) = self.text.get(at..).filter(|r| !r.is_empty()) {
            out.push((rest, false));
        }
        out
    }

    /// Renders the pieces: `plain` for unmarked text, `mark` for marked.
    pub fn render(&self, plain: impl Fn(&str) -> String, mark: impl Fn(&str) -> String) -> String {
        self.pieces()
            .into_iter()
            .map(|(s, m)| if m { mark(s) } else { plain(s) })
            .collect()
    }
}

/// A job as a message shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The title, with the alert's words marked.
    pub title: Marked,
    /// The best web link: the employer's apply page when known, else the
    /// posting's page, else a board's; only `http(s)` URLs.
    pub link: Option<String>,
    /// The company.
    pub company: Option<String>,
    /// Every location, joined with "; ".
    pub location: Option<String>,
    /// "Remote", "Hybrid", "On-site"; nothing when unknown.
    pub workplace: Option<&'static str>,
    /// The pay ("$150k–$190k / year").
    pub salary: Option<String>,
    /// The contract ("Full-time").
    pub employment: Option<&'static str>,
    /// How long ago it was posted ("3 days ago"), or first seen when the
    /// source gives no date ("seen 3 days ago").
    pub age: String,
    /// How many boards list it.
    pub boards: usize,
    /// About two lines of the description, around the first of the alert's
    /// words in it, with those marked.
    pub snippet: Option<Marked>,
}

impl Card {
    /// The card of `p` for an alert with `query`, its age as seen at `now`.
    pub fn new(p: &StoredPosting, query: Option<&Query>, now: DateTime<Utc>) -> Card {
        let post = &p.posting;
        let nonempty = |s: &Option<String>| s.as_deref().map(clean).filter(|s| !s.is_empty());
        let link = [&post.apply_url, &post.url]
            .into_iter()
            .flatten()
            .chain(p.sightings.iter().filter_map(|s| s.url.as_ref()))
            .find(|u| is_web_link(u))
            .map(|u| u.trim().to_string());
        let locations: Vec<String> = post
            .locations
            .iter()
            .map(|l| clean(l))
            .filter(|l| !l.is_empty())
            .collect();
        let age = match post.posted_at {
            Some(t) => format::age(t, now),
            None => format!("seen {}", format::age(p.first_seen, now)),
        };
        Card {
            title: Marked::new(clean(&post.title), query, Field::Title),
            link,
            company: nonempty(&post.company),
            location: (!locations.is_empty()).then(|| locations.join("; ")),
            workplace: format::workplace(post.workplace),
            salary: post.salary.as_ref().and_then(crate::model::pay::salary),
            employment: post.employment_type.map(format::employment),
            age,
            boards: p.sources.len().max(1),
            snippet: snippet(&post.text, query),
        }
    }

    /// Where: locations and workplace ("Berlin, Germany · Remote"); empty when both are unknown.
    pub fn place(&self) -> String {
        [self.location.as_deref(), self.workplace]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The line under the title: company and place.
    pub fn who(&self) -> String {
        let place = self.place();
        [self.company.as_deref(), Some(place.as_str())]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The facts line: pay, contract, age, boards ("$150k–$190k / year · Full-time · 3 days ago · on 2 boards").
    pub fn facts(&self) -> String {
        let boards = format::boards(self.boards);
        [
            self.salary.as_deref(),
            self.employment,
            Some(self.age.as_str()),
            boards.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// Whitespace folded to single spaces, control characters and bidi
/// overrides dropped, so a source's text cannot break a line layout or a
/// plain-text part, nor reverse what follows it ("gnp.exe").
pub fn clean(s: &str) -> String {
    s.split(|c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
    .filter(|w| !w.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// Only web links: a `javascript:` or `data:` URL from a hostile source never becomes a link.
pub fn is_web_link(l: &str) -> bool {
    let lower = l.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !l.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// About [`SNIPPET_CHARS`] characters of `text`, cut at spaces, starting a
/// little before the first of the query's words when that is further in.
fn snippet(text: &str, query: Option<&Query>) -> Option<Marked> {
    let text = clean(text);
    if text.is_empty() {
        return None;
    }
    let first = query
        .and_then(|q| q.highlights(Field::Text, &text).first().cloned())
        .unwrap_or(0..0);
    let chars_before = text[..first.start].chars().count();
    let mut start = 0;
    // Start further in only when the first match would not show otherwise.
    if text[..first.end].chars().count() > SNIPPET_CHARS - 20 {
        // Back up about a third of the snippet, to the start of a word.
        let back = text
            .char_indices()
            .nth(chars_before.saturating_sub(SNIPPET_CHARS / 3))
            .map_or(0, |(i, _)| i);
        start = text[..back].rfind(' ').map_or(back, |i| i + 1);
    }
    let rest = &text[start..];
    let mut end = rest.len();
    if rest.chars().count() > SNIPPET_CHARS {
        let limit = rest
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        end = rest[..limit].rfind(' ').filter(|&i| i > 0).unwrap_or(limit);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(rest[..end].trim_end());
    if end < rest.len() {
        out.push('…');
    }
    Some(Marked::new(out, query, Field::Text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::render::tests::job;

    #[test]
    fn the_link_prefers_the_employers_apply_page_and_only_web_links() {
        let mut p = job(1, "ML", None);
        let now = p.first_seen;
        assert_eq!(
            Card::new(&p, None, now).link.as_deref(),
            Some("https://jobs.example/1")
        );
        p.posting.apply_url = Some("https://acme.example/apply/1".into());
        assert_eq!(
            Card::new(&p, None, now).link.as_deref(),
            Some("https://acme.example/apply/1")
        );
        p.posting.apply_url = Some("javascript:alert(1)".into());
        p.posting.url = Some(" JavaScript:alert(1)".into());
        assert_eq!(Card::new(&p, None, now).link, None);
        p.posting.url = Some("data:text/html,x".into());
        assert_eq!(Card::new(&p, None, now).link, None);
    }

    #[test]
    fn snippets_are_two_lines_around_the_first_match() {
        let q = Query::parse("kubernetes").expect("query");
        let mut p = job(1, "Platform Engineer", None);
        let filler = "We build things together every day. ".repeat(20);
        p.posting.text = format!("{filler}You will run Kubernetes clusters at scale.\n\n{filler}");
        let s = Card::new(&p, Some(&q), p.first_seen)
            .snippet
            .expect("snippet");
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert!(s.text.chars().count() <= SNIPPET_CHARS + 2, "{}", s.text);
        assert_eq!(
            s.pieces()
                .iter()
                .filter(|(_, m)| *m)
                .map(|(t, _)| *t)
                .collect::<Vec<_>>(),
            ["Kubernetes"]
        );
        p.posting.text = "Short text.".into();
        let s = Card::new(&p, Some(&q), p.first_seen)
            .snippet
            .expect("snippet");
        assert_eq!(s.text, "Short text.");
        p.posting.text = " \n ".into();
        assert_eq!(Card::new(&p, Some(&q), p.first_seen).snippet, None);
    }

    #[test]
    fn missing_facts_leave_no_stray_separators() {
        let mut p = job(1, "ML", None);
        p.posting.locations.clear();
        p.posting.workplace = crate::model::Workplace::Unknown;
        p.posting.salary = None;
        p.posting.posted_at = None;
        let c = Card::new(&p, None, p.first_seen + chrono::Duration::days(3));
        assert_eq!(c.who(), "");
        assert_eq!(c.facts(), "seen 3 days ago");
    }
}
