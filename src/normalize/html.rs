//! Descriptions: HTML in, readable text and sanitized HTML out, in one pass.
//!
//! Input: a description as HTML (escaping undone, possibly broken: unclosed `<p>`,
//! stray end tags, scripts). Output: [`Rendered`], the plain text for search and
//! alerts and the allow-listed HTML for pages and emails.
//!
//! html5ever's streaming tokenizer does the parsing (no DOM is built), so entities
//! and broken markup are handled the way a browser handles them. This module sorts
//! tokens: dropped elements (scripts, styles, forms, embedded objects) are skipped
//! with their content, everything else goes to both writers.

mod entities;
mod plain;
mod safe;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::LocalName;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use plain::PlainWriter;
use safe::SafeWriter;

/// A description rendered both ways.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// Readable plain text: blocks on their own lines, list items as "- ".
    pub text: String,
    /// Sanitized HTML, safe to embed in a web page or an email.
    pub html: String,
}

/// Renders `input` to readable text and sanitized HTML in one tokenizer pass.
pub fn render_html(input: &str) -> Rendered {
    run(input, true)
}

/// The readable text of `input`; the same as `render_html(input).text`, cheaper.
pub fn html_to_text(input: &str) -> String {
    run(input, false).text
}

/// Decodes HTML character references once: `&lt;p&gt;` → `<p>`, `&amp;nbsp;` → `&nbsp;`.
pub fn decode_entities(input: &str) -> String {
    if input.contains('&') {
        entities::decode(input)
    } else {
        input.to_owned()
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` so that `input` is safe as HTML text or attribute.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    escape_into(&mut out, input);
    out
}

fn escape_into(out: &mut String, input: &str) {
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&input[last..]);
}

fn run(input: &str, want_html: bool) -> Rendered {
    let input = unwrap_cdata(input);
    let sink = Sink(RefCell::new(State {
        skip: None,
        plain: PlainWriter::with_capacity(input.len() / 2),
        safe: want_html.then(|| SafeWriter::with_capacity(input.len())),
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(&input));
    // The sink never asks to pause for a script, so one feed consumes everything.
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let state = tokenizer.sink.0.into_inner();
    Rendered {
        text: state.plain.finish(),
        html: state.safe.map(SafeWriter::finish).unwrap_or_default(),
    }
}

/// Feeds carry HTML inside `<![CDATA[…]]>`; in HTML content the tokenizer would
/// read that as a bogus comment, so the markers are removed and the inside kept.
fn unwrap_cdata(input: &str) -> Cow<'_, str> {
    if !input.contains("<![CDATA[") {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(start) = rest.find("<![CDATA[") {
        out.push_str(&rest[..start]);
        let inner = &rest[start + "<![CDATA[".len()..];
        let end = inner.find("]]>").unwrap_or(inner.len());
        out.push_str(&inner[..end]);
        rest = inner.get(end + "]]>".len()..).unwrap_or("");
    }
    out.push_str(rest);
    Cow::Owned(out)
}

struct Sink(RefCell<State>);

struct State {
    /// Inside a dropped element: its name and how deeply it is nested in itself.
    skip: Option<(LocalName, u32)>,
    plain: PlainWriter,
    safe: Option<SafeWriter>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(text) if state.skip.is_none() => {
                state.plain.chars(&text);
                if let Some(safe) = state.safe.as_mut() {
                    safe.chars(&text);
                }
            }
            Token::TagToken(tag) => return state.tag(tag),
            // Comments, doctypes, NULs, parse errors and skipped text are dropped.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let start = tag.kind == TagKind::StartTag;
        // Whatever we do with the element, the tokenizer must read a script's or a
        // style's content as text, or a `</p>` inside a JS string would end a paragraph.
        let next = match raw_kind(&tag.name) {
            Some(kind) if start => TokenSinkResult::RawData(kind),
            _ => TokenSinkResult::Continue,
        };

        if let Some((name, depth)) = &mut self.skip {
            if *name == tag.name {
                if start {
                    *depth += 1;
                } else {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip = None;
                    }
                }
            }
            return next;
        }
        if is_dropped(&tag.name) {
            if start && !is_void(&tag.name) {
                self.skip = Some((tag.name, 1));
            }
            return next;
        }

        self.plain.tag(tag.kind, &tag.name);
        if let Some(safe) = self.safe.as_mut() {
            safe.tag(tag.kind, &tag.name, &tag.attrs);
        }
        next
    }
}

/// Elements the tokenizer must read as raw text, the way a browser's parser does.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        // noscript is raw text when scripting is on, as in every browser.
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Elements dropped together with their content, in the text and in the HTML.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "applet"
            | "svg"
            | "math"
            | "form"
            | "input"
            | "button"
            | "textarea"
            | "select"
            | "title"
            | "xmp"
            | "noembed"
            | "noframes"
    )
}

/// Dropped elements that have no content (and no end tag) to skip.
fn is_void(name: &str) -> bool {
    matches!(name, "embed" | "input")
}
