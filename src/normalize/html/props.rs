//! Property tests of rendering: whatever the input, the sanitized HTML, read
//! again by an HTML tokenizer, holds only allowed elements and only checked
//! http, https or mailto links; and no text outside dropped elements is lost.
//! Case count: proptest's default (256) or `PROPTEST_CASES`.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use proptest::prelude::*;

use super::render_html;
use crate::normalize::text::{is_unsafe_char, strip_unsafe};

/// What the sanitizer may write.
const OUTPUT_ELEMENTS: &[&str] = &[
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "div",
    "span",
    "sub",
    "sup",
];

/// Everything an HTML tokenizer sees in `html`: tags, and any other token.
#[derive(Default)]
struct Seen {
    tags: Vec<Tag>,
    other: Vec<String>,
}

struct Collect(RefCell<Seen>);

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut seen = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => seen.tags.push(tag),
            Token::CharacterTokens(_) | Token::EOFToken => {}
            other => seen.other.push(format!("{other:?}")),
        }
        TokenSinkResult::Continue
    }
}

fn tokens_of(html: &str) -> Seen {
    let tokenizer = Tokenizer::new(Collect(RefCell::default()), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Asserts the sanitizer's promise about `html`.
fn assert_safe(input: &str, html: &str) -> Result<(), TestCaseError> {
    let seen = tokens_of(html);
    // No comments, doctypes or stray NULs either (parse errors are not tokens here).
    let other: Vec<&String> = seen
        .other
        .iter()
        .filter(|o| !o.starts_with("ParseError"))
        .collect();
    prop_assert!(other.is_empty(), "{input:?} gave {html:?}: {other:?}");
    for tag in &seen.tags {
        let name = &*tag.name;
        prop_assert!(
            OUTPUT_ELEMENTS.contains(&name),
            "{input:?} gave <{name}> in {html:?}"
        );
        for attr in &tag.attrs {
            let (key, value) = (&*attr.name.local, &*attr.value);
            prop_assert!(name == "a", "{input:?} gave {key}= on <{name}> in {html:?}");
            match key {
                "rel" => prop_assert_eq!(value, "nofollow noopener"),
                "href" => {
                    let scheme = value.split(':').next().unwrap_or("").to_ascii_lowercase();
                    prop_assert!(
                        value.contains(':')
                            && ["http", "https", "mailto"].contains(&scheme.as_str()),
                        "{input:?} gave href={value:?}"
                    );
                }
                _ => prop_assert!(false, "{input:?} gave {key}= in {html:?}"),
            }
        }
        prop_assert!(tag.kind == TagKind::EndTag || !tag.self_closing, "{html:?}");
    }
    Ok(())
}

/// Pieces of hostile HTML.
fn piece() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("p"),
        Just("a"),
        Just("b"),
        Just("div"),
        Just("li"),
        Just("ul"),
        Just("pre"),
        Just("table"),
        Just("td"),
        Just("script"),
        Just("style"),
        Just("svg"),
        Just("math"),
        Just("iframe"),
        Just("noscript"),
        Just("textarea"),
        Just("title"),
        Just("template"),
        Just("form"),
        Just("select"),
        Just("button"),
        Just("object"),
        Just("img"),
        Just("xmp"),
        Just("plaintext"),
        Just("h1"),
        Just("br"),
        Just("SCRIPT"),
        Just("foreignObject"),
    ];
    let attr = prop_oneof![
        Just(""),
        Just(" href=\"https://ok.example/\""),
        Just(" href=\"javascript:alert(1)\""),
        Just(" href=\"java\tscript:alert(1)\""),
        Just(" href=' mailto:a@b'"),
        Just(" href=/relative"),
        Just(" onclick=alert(1)"),
        Just(" style=\"x\""),
        Just(" src=x onerror=alert(1)"),
        Just(" title=\"</noscript><img src=x onerror=alert(1)>\""),
    ];
    prop_oneof![
        (name.clone(), attr, any::<bool>())
            .prop_map(|(n, a, sc)| { format!("<{n}{a}{}>", if sc { "/" } else { "" }) }),
        name.prop_map(|n| format!("</{n}>")),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<![CDATA[".to_string()),
        Just("]]>".to_string()),
        Just("<!DOCTYPE html>".to_string()),
        Just("&lt;script&gt;".to_string()),
        Just("&amp;".to_string()),
        Just("&#0;&#x1b;".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        "[a-z ]{1,8}",
        any::<char>().prop_map(String::from),
    ]
}

/// Pieces of markup, with references to the chars the store removes
/// (bidi controls, C0 and C1 controls, an escape sequence's start).
fn piece_with_references() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => piece(),
        1 => prop_oneof![
            Just("&#x202E;"),
            Just("&#8238;"),
            Just("&#x2066;"),
            Just("&lrm;"),
            Just("&rlm;"),
            Just("&#27;[31m"),
            Just("&#x1b;]8;;x&#7;"),
            Just("&#x85;"),
            Just("&#x9b;"),
            Just("&#1;"),
            Just("&#x61C;"),
        ]
        .prop_map(str::to_string),
    ]
}

/// A fragment of well-formed-enough input whose visible words are known.
#[derive(Debug, Clone)]
enum Frag {
    /// Visible text: must survive.
    Word,
    /// An allowed element around nothing (opened or closed).
    Open(&'static str),
    Close(&'static str),
    /// A self-closed dropped element.
    SelfClosed(&'static str),
    /// A dropped element, closed, around one word.
    Dropped(&'static str),
    /// A dropped element left open (at most one, near the end is fine too).
    Unclosed(&'static str),
}

fn frag() -> impl Strategy<Value = Frag> {
    let allowed = prop_oneof![
        Just("p"),
        Just("b"),
        Just("div"),
        Just("ul"),
        Just("li"),
        Just("a"),
        Just("pre"),
        Just("table"),
        Just("tr"),
        Just("td"),
        Just("h2"),
        Just("span"),
        Just("blockquote"),
    ];
    let dropped = prop_oneof![
        Just("script"),
        Just("style"),
        Just("svg"),
        Just("math"),
        Just("iframe"),
        Just("noscript"),
        Just("textarea"),
        Just("template"),
        Just("form"),
        Just("select"),
        Just("button"),
        Just("object"),
        Just("title"),
        Just("xmp"),
    ];
    // Not SVG or MathML: text directly inside them is not shown, and an HTML
    // tag ends them (unit tests cover both).
    let markup_content = prop_oneof![
        Just("template"),
        Just("form"),
        Just("select"),
        Just("button"),
        Just("object"),
        Just("iframe"),
        Just("noscript"),
        Just("textarea"),
    ];
    prop_oneof![
        4 => Just(Frag::Word),
        2 => allowed.clone().prop_map(Frag::Open),
        2 => allowed.prop_map(Frag::Close),
        1 => dropped.clone().prop_map(Frag::SelfClosed),
        1 => dropped.prop_map(Frag::Dropped),
        1 => markup_content.prop_map(Frag::Unclosed),
    ]
}

/// The input for `frags`, the words that must show, and those inside code.
fn build(frags: &[Frag]) -> (String, Vec<String>, Vec<String>) {
    let mut html = String::new();
    let (mut visible, mut hidden) = (Vec::new(), Vec::new());
    let mut unclosed: Option<&str> = None;
    for (i, f) in frags.iter().enumerate() {
        match f {
            Frag::Word => {
                let w = format!("w{i}x");
                html.push_str(&format!(" {w} "));
                visible.push(w);
            }
            Frag::Open(n) => html.push_str(&format!("<{n}>")),
            Frag::Close(n) => html.push_str(&format!("</{n}>")),
            Frag::SelfClosed(n) if matches!(*n, "script" | "style") => {}
            Frag::SelfClosed(n) => html.push_str(&format!("<{n}/>")),
            // Once an element is left open, a later one of its name would
            // close it; and only an element left open is read again.
            Frag::Dropped(n) | Frag::Unclosed(n) if unclosed.is_some() => {
                let _ = n;
            }
            Frag::Dropped(n) => {
                let w = format!("h{i}x");
                html.push_str(&format!("<{n}> {w} </{n}>"));
                if matches!(*n, "script" | "style") {
                    hidden.push(w);
                }
            }
            Frag::Unclosed(n) => {
                html.push_str(&format!("<{n}>"));
                unclosed = Some(n);
            }
        }
    }
    (html, visible, hidden)
}

fn words(text: &str) -> HashSet<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).collect()
}

proptest! {
    #[test]
    fn any_input_gives_only_allowed_markup(pieces in prop::collection::vec(piece(), 0..40)) {
        let input = pieces.concat();
        let r = render_html(&input);
        assert_safe(&input, &r.html)?;
        // What is allowed stays allowed when rendered again.
        assert_safe(&r.html, &render_html(&r.html).html)?;
    }

    #[test]
    fn references_never_bring_unsafe_chars(
        pieces in prop::collection::vec(piece_with_references(), 0..30)
    ) {
        // What normalize hands the renderer: the input already stripped.
        let input = strip_unsafe(&pieces.concat()).into_owned();
        let r = render_html(&input);
        for out in [&r.text, &r.html] {
            prop_assert!(!out.chars().any(is_unsafe_char), "{input:?} -> {out:?}");
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        let r = render_html(&input);
        assert_safe(&input, &r.html)?;
    }

    #[test]
    fn no_text_outside_dropped_elements_is_lost(frags in prop::collection::vec(frag(), 0..30)) {
        let (input, visible, hidden) = build(&frags);
        let r = render_html(&input);
        assert_safe(&input, &r.html)?;
        let (text_words, html_words) = (words(&r.text), words(&r.html));
        for w in &visible {
            prop_assert!(text_words.contains(w.as_str()), "{w} lost from text of {input:?}: {:?}", r.text);
            prop_assert!(html_words.contains(w.as_str()), "{w} lost from html of {input:?}: {:?}", r.html);
        }
        for w in &hidden {
            prop_assert!(!text_words.contains(w.as_str()), "code {w} shown: {input:?} → {:?}", r.text);
            prop_assert!(!html_words.contains(w.as_str()), "code {w} shown: {input:?} → {:?}", r.html);
        }
    }
}
