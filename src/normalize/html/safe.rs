//! The sanitized-HTML half of rendering: an allow-list re-serialization.
//!
//! Input: character runs and tags from the tokenizer (dropped elements are already
//! filtered out). Output: HTML that is safe to embed in a page or an email: only
//! allowed elements, no attributes but a checked `href` on links, every text and
//! attribute value escaped, every element closed.
//!
//! Safety rests on two things only: nothing is written unescaped except the fixed
//! tag names below, and `href` values must have an http, https or mailto scheme.
//! The tree repairs (closing an open `<p>` before a block, and so on) and the
//! dropping of empty elements only make the output tidy; safety does not need them.

use std::borrow::Cow;

use html5ever::tokenizer::TagKind;

use super::{escape_into, scan};

/// Builds the sanitized HTML as tokens stream in.
pub(super) struct SafeWriter {
    out: String,
    /// Open elements, innermost last.
    stack: Vec<Open>,
    /// Start tags of the open elements that have no content yet. They are written
    /// when content arrives, and forgotten if the element closes empty (`<p></p>`).
    pending: String,
    /// The last thing written was whitespace, or a block edge (runs fold to one space).
    after_space: bool,
    /// Whitespace seen and not yet written (see [`SafeWriter::space`]).
    owed_space: bool,
    /// How many `<pre>` are open (whitespace is kept inside them).
    pre_depth: usize,
}

/// An open element: its output name and where its start tag sits in `pending`
/// ([`WRITTEN`] once it is in the output).
struct Open {
    name: &'static str,
    at: usize,
    /// `after_space` and `owed_space` before its start tag: an element that
    /// closes empty vanishes and must not change the spacing around it
    /// (`a <table></table> b` is `a b`, not `ab`).
    spacing: (bool, bool),
}

const WRITTEN: usize = usize::MAX;

/// The output name of an allowed element; `None` drops the tag and keeps its content.
///
/// Headings shift down two levels (h1 → h3, h4..h6 → h6) so that a description never
/// outranks the page it is embedded in. Sectioning elements become `div`.
fn allowed(name: &str) -> Option<&'static str> {
    Some(match name {
        "p" => "p",
        "br" => "br",
        "ul" => "ul",
        "ol" => "ol",
        "li" => "li",
        "strong" => "strong",
        "b" => "b",
        "em" => "em",
        "i" => "i",
        "u" => "u",
        "a" => "a",
        "h1" => "h3",
        "h2" => "h4",
        "h3" => "h5",
        "h4" | "h5" | "h6" => "h6",
        "blockquote" => "blockquote",
        "pre" => "pre",
        "code" => "code",
        "table" => "table",
        "thead" => "thead",
        "tbody" => "tbody",
        "tr" => "tr",
        "th" => "th",
        "td" => "td",
        "hr" => "hr",
        "div" | "section" | "article" | "header" | "footer" | "main" => "div",
        "span" => "span",
        "sub" => "sub",
        "sup" => "sup",
        _ => return None,
    })
}

/// Elements whose start closes an open `<p>`, as in the HTML parser.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "ul"
            | "ol"
            | "li"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "table"
            | "hr"
    )
}

/// Elements that break the line: whitespace at their edges is noise.
fn is_block(name: &str) -> bool {
    !matches!(
        name,
        "strong" | "b" | "em" | "i" | "u" | "a" | "code" | "span" | "sub" | "sup"
    )
}

/// Elements that may only hold other elements; whitespace inside them is noise.
fn holds_no_text(name: &str) -> bool {
    matches!(name, "ul" | "ol" | "table" | "thead" | "tbody" | "tr")
}

impl SafeWriter {
    pub(super) fn with_capacity(n: usize) -> Self {
        SafeWriter {
            out: String::with_capacity(n),
            // Room for the usual nesting and a link's start tag, so neither
            // grows by steps.
            stack: Vec::with_capacity(8),
            pending: String::with_capacity(128),
            after_space: false,
            owed_space: false,
            pre_depth: 0,
        }
    }

    /// Appends a character run, escaped.
    pub(super) fn chars(&mut self, s: &str) {
        let in_pre = self.pre_depth > 0;
        if !in_pre
            && self.stack.last().is_some_and(|top| holds_no_text(top.name))
            && s.chars().all(char::is_whitespace)
        {
            return;
        }
        // Plain chars are copied in runs; only specials are looked at one by one.
        let bytes = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            if scan::copied_as_is::<true>(bytes, i, i > run) {
                i += 8;
                continue;
            }
            let b = bytes[i];
            // A single space between words stays in the run: the common case, fast.
            let word_gap =
                b == b' ' && i > run && bytes.get(i + 1).is_some_and(|n| (0x21..0x7f).contains(n));
            let plain =
                (0x21..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
            if plain || word_gap {
                i += 1;
                continue;
            }
            let c = if b < 0x80 {
                char::from(b)
            } else {
                s[i..].chars().next().unwrap_or(' ')
            };
            let len = c.len_utf8();
            if b >= 0x80 && !c.is_whitespace() && !c.is_control() {
                i += len;
                continue;
            }
            self.text(&s[run..i]);
            if c.is_whitespace() && !in_pre {
                self.space();
            } else {
                let escaped = match c {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&#39;",
                    '\n' => "\n",
                    '\t' => "\t",
                    // Other whitespace in <pre> keeps its place as a space.
                    c if c.is_whitespace() => " ",
                    // Control chars have no business in a page or an email.
                    _ => "",
                };
                self.text(escaped);
            }
            i += len;
            run = i;
        }
        self.text(&s[run..]);
    }

    /// Writes an allowed tag (start or end), with its `href` if it is a
    /// link; others are dropped.
    pub(super) fn tag(&mut self, kind: TagKind, name: &str, href: Option<&str>) {
        let Some(out_name) = allowed(name) else {
            return;
        };
        match kind {
            TagKind::StartTag => self.start(out_name, href),
            // A stray end tag (nothing of that name open) is ignored; `</br>` too.
            TagKind::EndTag => {
                if let Some(at) = self.stack.iter().rposition(|open| open.name == out_name) {
                    self.close_down_to(at);
                }
            }
        }
    }

    /// The finished HTML, with whatever is still open closed.
    pub(super) fn finish(mut self) -> String {
        self.close_down_to(0);
        self.out
    }

    /// Writes escaped, visible content, after the start tags waiting for it.
    fn text(&mut self, escaped: &str) {
        if escaped.is_empty() {
            return;
        }
        self.write_pending();
        self.out.push_str(escaped);
        self.after_space = false;
    }

    /// Whitespace is owed, not written: it is only shown if content follows
    /// before the end of the block.
    fn space(&mut self) {
        if !self.after_space {
            self.owed_space = true;
        }
    }

    fn write_pending(&mut self) {
        if !self.pending.is_empty() {
            self.out.push_str(&self.pending);
            self.pending.clear();
            for open in self.stack.iter_mut().rev() {
                if open.at == WRITTEN {
                    break;
                }
                open.at = WRITTEN;
            }
        }
        if self.owed_space {
            self.out.push(' ');
            self.owed_space = false;
            self.after_space = true;
        }
    }

    fn start(&mut self, name: &'static str, href: Option<&str>) {
        if closes_p(name) {
            self.close_in_scope("p", &["td", "th", "table"]);
        }
        match name {
            "li" => self.close_in_scope("li", &["ul", "ol", "td", "th", "table"]),
            "tr" => self.close_in_scope("tr", &["table"]),
            "td" | "th" => {
                self.close_in_scope("td", &["tr", "table"]);
                self.close_in_scope("th", &["tr", "table"]);
            }
            // Links do not nest.
            "a" => self.close_in_scope("a", &["td", "th", "table"]),
            // Headings do not nest either.
            "h3" | "h4" | "h5" | "h6"
                if self
                    .stack
                    .last()
                    .is_some_and(|top| top.name.starts_with('h')) =>
            {
                self.close_down_to(self.stack.len() - 1);
            }
            _ => {}
        }
        let spacing = (self.after_space, self.owed_space);
        if is_block(name) {
            // Whitespace at a block's edge is not shown; don't write it.
            self.owed_space = false;
            self.after_space = true;
        } else if self.owed_space && self.pending.is_empty() {
            // "a <b>x": the space belongs before the tag.
            self.out.push(' ');
            self.owed_space = false;
            self.after_space = true;
        }

        let at = self.pending.len();
        self.pending.push('<');
        self.pending.push_str(name);
        if name == "a"
            && let Some(href) = href.and_then(safe_href)
        {
            self.pending.push_str(" href=\"");
            escape_into(&mut self.pending, &href);
            self.pending.push_str("\" rel=\"nofollow noopener\"");
        }
        self.pending.push('>');
        match name {
            // Void elements are content in themselves.
            "br" | "hr" => self.write_pending(),
            _ => {
                self.stack.push(Open { name, at, spacing });
                if name == "pre" {
                    self.pre_depth += 1;
                }
                // An empty table cell still holds its column.
                if matches!(name, "td" | "th") {
                    self.write_pending();
                }
            }
        }
    }

    /// Closes the innermost open `target`, unless a `boundary` comes first.
    fn close_in_scope(&mut self, target: &str, boundaries: &[&str]) {
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i].name;
            if open == target {
                self.close_down_to(i);
                return;
            }
            if boundaries.contains(&open) {
                return;
            }
        }
    }

    /// Closes every open element from the top down to index `at`, inclusive;
    /// elements that never got content vanish.
    fn close_down_to(&mut self, at: usize) {
        while self.stack.len() > at {
            let Some(open) = self.stack.pop() else {
                break;
            };
            if open.name == "pre" {
                self.pre_depth -= 1;
            }
            if open.at != WRITTEN {
                self.pending.truncate(open.at);
                // Whitespace owed inside it (`a<b> </b>c`) is still owed.
                self.after_space = open.spacing.0;
                self.owed_space |= open.spacing.1;
                continue;
            }
            let block = is_block(open.name);
            if self.owed_space && !block {
                self.out.push(' ');
            }
            self.owed_space = false;
            self.out.push_str("</");
            self.out.push_str(open.name);
            self.out.push('>');
            self.after_space = block;
        }
    }
}

/// The link target if it is an absolute http, https or mailto URL.
///
/// Browsers ignore tabs and newlines inside URLs and leading control chars, so
/// `"java\tscript:"` is `javascript:`; they are removed before the scheme is read.
/// Relative links are dropped: the description will be shown far from its page.
fn safe_href(value: &str) -> Option<Cow<'_, str>> {
    let trimmed = value.trim_matches(|c: char| c <= ' ');
    let cleaned: Cow<'_, str> = if trimmed.contains(['\t', '\n', '\r']) {
        trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect()
    } else {
        Cow::Borrowed(trimmed)
    };
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let ok = ["http", "https", "mailto"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    (ok && colon + 1 < cleaned.len()).then_some(cleaned)
}
