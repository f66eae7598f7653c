//! Descriptions: HTML in, readable text and sanitized HTML out, in one pass.
//!
//! Input: a description as HTML (escaping undone, possibly broken: unclosed `<p>`,
//! stray end tags, scripts). Output: [`Rendered`], the plain text for search and
//! alerts and the allow-listed HTML for pages and emails.
//!
//! html5ever's streaming tokenizer does the parsing (no DOM is built), so entities
//! and broken markup are handled the way a browser handles them. Plain markup,
//! most descriptions, is read by a faster reader of its own (`fast.rs`) that
//! gives the same tokens and leaves everything else to html5ever. This module
//! sorts tokens: dropped elements (scripts, styles, forms, embedded objects) are skipped
//! with their content, everything else goes to both writers.
//!
//! Dropping must never take text outside the dropped element with it: a
//! self-closed `<svg/>` or `<iframe/>` is empty, an HTML element such as `<p>`
//! ends an SVG or MathML island (as in browsers), and an element left unclosed
//! (`<form>`, `<select>`, `<template>`, `<textarea>`…) has the rest of the input
//! read again with its tags ignored. Only scripts and styles, whose content is
//! code, stay dropped to the end, as a browser would.

#[cfg(all(
    test,
    any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")
))]
mod differential;
mod entities;
mod fast;
mod plain;
#[cfg(test)]
mod props;
mod safe;
mod scan;
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

use super::text::strip_unsafe;
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
/// The characters `normalize::text` removes (controls, bidi controls) come
/// out only if `input` has them: character references to them are dropped.
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
    // The fast reader cuts text where html5ever does on the targets where it
    // scans text with SIMD; elsewhere html5ever cuts differently, so it reads all.
    let fast = if cfg!(any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "aarch64"
    )) {
        fast::render(&input, want_html)
    } else {
        Err(fast::Decline)
    };
    fast.unwrap_or_else(|fast::Decline| {
        // html5ever decodes every reference, `&#x202E;` too.
        let Rendered { text, html } = slow(&input, want_html);
        Rendered {
            text: without_unsafe_chars(text),
            html: without_unsafe_chars(html),
        }
    })
}

/// `s` without what [`strip_unsafe`] removes, not copied when there is
/// nothing to remove (the usual case).
fn without_unsafe_chars(s: String) -> String {
    match strip_unsafe(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(clean) => clean,
    }
}

/// Renders with html5ever's tokenizer: any input.
fn slow(input: &str, want_html: bool) -> Rendered {
    let mut state = State {
        skip: None,
        transparent: Vec::new(),
        plain: PlainWriter::with_capacity(input.len() / 2),
        safe: want_html.then(|| SafeWriter::with_capacity(input.len())),
    };
    state = tokenize(state, input);
    // A dropped element left open swallowed the rest of the input. Unless its
    // content is code (a browser shows none of an unclosed script either), the
    // rest is read again with that element's tags ignored. Each round makes one
    // more name transparent, so there are only as many rounds as dropped names.
    while let Some(skip) = state.skip.take() {
        let Some(buffered) = skip.buffered else {
            break;
        };
        state.transparent.push(skip.name.clone());
        if raw_kind(&skip.name).is_some() {
            // Its content was read as raw text: that text is the markup to read.
            let text: String = buffered
                .iter()
                .filter_map(|t| match t {
                    Buffered::Chars(c) => Some(&**c),
                    Buffered::Tag(_) => None,
                })
                .collect();
            state = tokenize(state, &text);
        } else {
            for token in buffered {
                match token {
                    Buffered::Chars(text) => state.chars(&text),
                    // Read in the right mode the first time: nothing to switch.
                    Buffered::Tag(tag) => {
                        let _ = state.tag(tag);
                    }
                }
            }
        }
    }
    Rendered {
        text: state.plain.finish(),
        html: state.safe.map(SafeWriter::finish).unwrap_or_default(),
    }
}

/// Runs the tokenizer over `input`, feeding `state`.
fn tokenize(state: State, input: &str) -> State {
    let tokenizer = Tokenizer::new(Sink(RefCell::new(state)), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(input));
    // The sink never asks to pause for a script, so one feed consumes everything.
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
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
    /// Inside a dropped element.
    skip: Option<Skip>,
    /// Dropped elements found unclosed: from then on only their tags are dropped.
    transparent: Vec<LocalName>,
    plain: PlainWriter,
    safe: Option<SafeWriter>,
}

/// A dropped element being skipped.
struct Skip {
    name: LocalName,
    /// How deeply it is nested in itself.
    depth: u32,
    /// What was skipped, to read again should the element never close;
    /// `None` for code (scripts, styles), which is never shown.
    buffered: Option<Vec<Buffered>>,
}

/// A token skipped inside a dropped element.
enum Buffered {
    Chars(StrTendril),
    Tag(Tag),
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(text) => state.chars(&text),
            Token::TagToken(tag) => return state.tag(tag),
            // Comments, doctypes, NULs and parse errors are dropped.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn chars(&mut self, text: &StrTendril) {
        match &mut self.skip {
            Some(skip) => {
                if let Some(buffered) = &mut skip.buffered {
                    buffered.push(Buffered::Chars(text.clone()));
                }
            }
            None => {
                self.plain.chars(text);
                if let Some(safe) = self.safe.as_mut() {
                    safe.chars(text);
                }
            }
        }
    }

    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let start = tag.kind == TagKind::StartTag;
        let transparent = self.transparent.contains(&tag.name);
        // A self-closed dropped element (`<svg/>`, `<iframe/>`) is empty; only
        // code keeps the browser's reading, where `<script/>` still opens.
        let empty = tag.self_closing && !is_code(&tag.name);
        // Whatever we do with the element, the tokenizer must read a script's or a
        // style's content as text, or a `</p>` inside a JS string would end a paragraph.
        let next = match raw_kind(&tag.name) {
            Some(kind) if start && !empty && !transparent => TokenSinkResult::RawData(kind),
            _ => TokenSinkResult::Continue,
        };

        if let Some(skip) = &mut self.skip {
            if skip.name == tag.name {
                if !start {
                    skip.depth -= 1;
                    if skip.depth == 0 {
                        self.skip = None;
                    }
                    return next;
                }
                if !empty {
                    skip.depth += 1;
                }
            } else if start && is_foreign(&skip.name) && breaks_out_of_foreign(&tag) {
                // As in a browser, an HTML element ends the SVG or MathML it
                // appears in, and what follows is shown.
                self.skip = None;
            }
            if let Some(skip) = &mut self.skip {
                if let Some(buffered) = &mut skip.buffered {
                    buffered.push(Buffered::Tag(tag));
                }
                return next;
            }
        }
        if is_dropped(&tag.name) && !transparent {
            if start && !empty && !is_void(&tag.name) {
                self.skip = Some(Skip {
                    buffered: (!is_code(&tag.name)).then(Vec::new),
                    name: tag.name,
                    depth: 1,
                });
            }
            return next;
        }

        self.plain.tag(tag.kind, &tag.name);
        if let Some(safe) = self.safe.as_mut() {
            // html5ever has dropped repeated attributes: the first `href` is the one.
            let href = tag.attrs.iter().find(|a| &*a.name.local == "href");
            safe.tag(tag.kind, &tag.name, href.map(|a| &*a.value));
        }
        next
    }
}

/// Dropped elements whose content is code, never text to show.
fn is_code(name: &str) -> bool {
    matches!(name, "script" | "style")
}

/// SVG and MathML: foreign content, which HTML elements break out of.
fn is_foreign(name: &str) -> bool {
    matches!(name, "svg" | "math")
}

/// The start tags that end foreign content in the HTML parser (§13.2.6.5).
fn breaks_out_of_foreign(tag: &Tag) -> bool {
    match &*tag.name {
        "b" | "big" | "blockquote" | "body" | "br" | "center" | "code" | "dd" | "div" | "dl"
        | "dt" | "em" | "embed" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "head" | "hr" | "i"
        | "img" | "li" | "listing" | "menu" | "meta" | "nobr" | "ol" | "p" | "pre" | "ruby"
        | "s" | "small" | "span" | "strong" | "strike" | "sub" | "sup" | "table" | "tt" | "u"
        | "ul" | "var" => true,
        "font" => tag
            .attrs
            .iter()
            .any(|a| matches!(&*a.name.local, "color" | "face" | "size")),
        _ => false,
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
            | "keygen"
            | "param"
    )
}

/// Dropped elements that have no content (and no end tag) to skip.
fn is_void(name: &str) -> bool {
    matches!(name, "embed" | "input" | "keygen" | "param")
}
