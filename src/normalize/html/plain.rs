//! The readable-text half of rendering: tokens in, plain text out.
//!
//! Input: character runs and tag names from the tokenizer (dropped elements are
//! already filtered out). Output: text where blocks become line breaks, paragraphs
//! and headings are separated by one blank line, list items start with "- ", and
//! whitespace within a line is folded to one space.

use html5ever::tokenizer::TagKind;

use super::scan;

/// Builds the plain text as tokens stream in.
#[derive(Default)]
pub(super) struct PlainWriter {
    out: String,
    /// Newlines owed before the next visible char (0, 1, or 2 for a blank line).
    pending_break: u8,
    /// A space is owed before the next visible char on the same line.
    pending_space: bool,
    /// A list marker is owed, indented this many levels.
    pending_bullet: Option<usize>,
    list_depth: usize,
    li_depth: usize,
    pre_depth: usize,
}

/// How much vertical space an element puts around itself.
enum Block {
    Line,
    Paragraph,
}

fn block_of(name: &str) -> Option<Block> {
    Some(match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "hr" | "table" => {
            Block::Paragraph
        }
        "div" | "tr" | "section" | "article" | "header" | "footer" | "main" | "nav" | "aside"
        | "address" | "figure" | "figcaption" | "details" | "summary" | "caption" | "dl" | "dt"
        | "dd" | "center" | "fieldset" | "tbody" | "thead" | "tfoot" => Block::Line,
        _ => return None,
    })
}

impl PlainWriter {
    pub(super) fn with_capacity(n: usize) -> Self {
        PlainWriter {
            out: String::with_capacity(n),
            ..PlainWriter::default()
        }
    }

    /// Appends a character run.
    pub(super) fn chars(&mut self, s: &str) {
        // Visible chars are copied in runs; only whitespace and invisible chars
        // are looked at one by one.
        let bytes = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            if scan::copied_as_is::<false>(bytes, i, i > run) {
                i += 8;
                continue;
            }
            let b = bytes[i];
            // A single space between words stays in the run: the common case, fast.
            let word_gap =
                b == b' ' && i > run && bytes.get(i + 1).is_some_and(|n| (0x21..0x7f).contains(n));
            if (0x21..0x7f).contains(&b) || word_gap {
                i += 1;
                continue;
            }
            let c = if b < 0x80 {
                char::from(b)
            } else {
                s[i..].chars().next().unwrap_or(' ')
            };
            let visible =
                !c.is_whitespace() && !c.is_control() && c != '\u{200b}' && c != '\u{feff}';
            if visible {
                i += c.len_utf8();
                continue;
            }
            self.push_run(&s[run..i]);
            if c == '\n' && self.pre_depth > 0 {
                self.line_break();
            } else if c.is_whitespace() {
                self.pending_space = true;
            }
            i += c.len_utf8();
            run = i;
        }
        self.push_run(&s[run..]);
    }

    fn push_run(&mut self, run: &str) {
        if !run.is_empty() {
            self.flush();
            self.out.push_str(run);
        }
    }

    /// Reacts to a start or end tag.
    pub(super) fn tag(&mut self, kind: TagKind, name: &str) {
        let start = kind == TagKind::StartTag;
        match name {
            "br" => self.line_break(),
            "li" => {
                self.want_break(1);
                if start {
                    self.li_depth = self.list_depth.max(1);
                    self.pending_bullet = Some(self.list_depth.saturating_sub(1));
                } else {
                    self.li_depth = self.li_depth.saturating_sub(1);
                    // An empty item must not lend its marker to what follows.
                    self.pending_bullet = None;
                }
            }
            "ul" | "ol" => {
                self.want_break(1);
                if start {
                    self.list_depth += 1;
                } else {
                    self.list_depth = self.list_depth.saturating_sub(1);
                    // Items left open by sloppy markup end with their list.
                    self.li_depth = self.li_depth.min(self.list_depth);
                    self.pending_bullet = None;
                }
            }
            "td" | "th" if start => self.pending_space = true,
            _ => {
                if name == "pre" {
                    self.pre_depth = if start {
                        self.pre_depth + 1
                    } else {
                        self.pre_depth.saturating_sub(1)
                    };
                }
                match block_of(name) {
                    // Inside a list item a paragraph is one line, so items stay compact.
                    Some(Block::Paragraph) if self.li_depth == 0 => self.want_break(2),
                    Some(_) => self.want_break(1),
                    None => {}
                }
            }
        }
    }

    /// The finished text.
    pub(super) fn finish(self) -> String {
        self.out
    }

    fn want_break(&mut self, n: u8) {
        self.pending_break = self.pending_break.max(n);
    }

    /// `<br>` and newlines in `<pre>`: each one counts, up to one blank line.
    fn line_break(&mut self) {
        self.pending_break = (self.pending_break + 1).min(2);
    }

    /// Pays what is owed before a visible char: breaks, or a space, then a marker.
    fn flush(&mut self) {
        if !self.out.is_empty() {
            if self.pending_break > 0 {
                for _ in 0..self.pending_break {
                    self.out.push('\n');
                }
            } else if self.pending_space {
                self.out.push(' ');
            }
        }
        if let Some(indent) = self.pending_bullet.take() {
            for _ in 0..indent {
                self.out.push_str("  ");
            }
            self.out.push_str("- ");
        }
        self.pending_break = 0;
        self.pending_space = false;
    }
}
