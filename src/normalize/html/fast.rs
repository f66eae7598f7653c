//! A fast reader for the HTML most descriptions are made of: well-formed
//! tags with plain attributes, text, and the common character references.
//! It feeds the same two writers as html5ever's tokenizer, with the same
//! tokens split at the same places, and gives up ([`Decline`]) on anything
//! else: comments, doctypes, `<![CDATA[`, dropped or raw-text elements,
//! unusual tag or attribute names, carriage returns and NULs, references it
//! does not know. The caller then renders the input with html5ever.
//!
//! Where a character run is cut matters, not only what it holds: the HTML
//! writer drops whitespace-only runs inside lists and tables. html5ever
//! (0.40, on x86 and ARM, where it scans text with SIMD) cuts a run at `<`,
//! `&`, CR and NUL, hands a line feed met at the start of a run out alone,
//! and does the same with the char right after a named reference (its
//! reference reader pushes that char back as its own buffer). The reader
//! below does likewise; `differential.rs` holds the two readers to the same
//! output, and is what catches an html5ever upgrade that cuts otherwise.

use html5ever::tokenizer::TagKind;

use super::plain::PlainWriter;
use super::safe::SafeWriter;
use super::{Rendered, is_dropped, raw_kind};
use crate::normalize::text::is_unsafe_char;

/// The input needs html5ever.
pub(super) struct Decline;

/// Renders `input` (CDATA markers already removed) without html5ever, or
/// declines.
pub(super) fn render(input: &str, want_html: bool) -> Result<Rendered, Decline> {
    // html5ever drops a leading byte-order mark; rare enough to leave to it.
    if input.starts_with('\u{feff}') {
        return Err(Decline);
    }
    let mut out = Writers {
        plain: PlainWriter::with_capacity(input.len() / 2),
        safe: want_html.then(|| SafeWriter::with_capacity(input.len())),
    };
    read(input, &mut out)?;
    Ok(Rendered {
        text: out.plain.finish(),
        html: out.safe.map(SafeWriter::finish).unwrap_or_default(),
    })
}

struct Writers {
    plain: PlainWriter,
    safe: Option<SafeWriter>,
}

impl Writers {
    fn chars(&mut self, run: &str) {
        self.plain.chars(run);
        if let Some(safe) = self.safe.as_mut() {
            safe.chars(run);
        }
    }

    fn tag(&mut self, kind: TagKind, name: &str, href: Option<&str>) {
        self.plain.tag(kind, name);
        if let Some(safe) = self.safe.as_mut() {
            safe.tag(kind, name, href);
        }
    }
}

/// Reads the data state: character runs, references and tags.
fn read(input: &str, out: &mut Writers) -> Result<(), Decline> {
    let bytes = input.as_bytes();
    let mut i = 0;
    // The next char follows a named reference: it is a run of its own.
    let mut alone = false;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                i = tag(input, i, out)?;
                alone = false;
            }
            b'&' => {
                let (end, named) = reference(input, i, out)?;
                i = end;
                alone = named;
            }
            b'\r' | 0 => return Err(Decline),
            b'\n' => {
                out.chars("\n");
                i += 1;
                alone = false;
            }
            b if alone => {
                let end = i + utf8_len(b);
                out.chars(&input[i..end]);
                i = end;
                alone = false;
            }
            _ => {
                // Two vector scans beat one byte loop: NULs are rare.
                let end =
                    memchr::memchr3(b'<', b'&', b'\r', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                if memchr::memchr(0, &bytes[i..end]).is_some() {
                    return Err(Decline);
                }
                out.chars(&input[i..end]);
                i = end;
            }
        }
    }
    Ok(())
}

/// The length of the UTF-8 sequence that starts with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
}

/// The named references read here: one code point each, and in html5ever's
/// table under the same name.
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("hellip", '\u{2026}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("bull", '\u{2022}'),
    ("middot", '\u{b7}'),
    ("copy", '\u{a9}'),
    ("reg", '\u{ae}'),
    ("trade", '\u{2122}'),
    ("euro", '\u{20ac}'),
    ("pound", '\u{a3}'),
    ("eacute", '\u{e9}'),
];

/// Reads the `&` at `at`: a reference (`&amp;`, `&#39;`, `&#x2F;`) or a
/// literal ampersand. Returns where reading goes on and whether it was a
/// named reference (whose next char html5ever hands out alone).
fn reference(input: &str, at: usize, out: &mut Writers) -> Result<(usize, bool), Decline> {
    let bytes = input.as_bytes();
    let mut buf = [0u8; 4];
    match bytes.get(at + 1) {
        Some(b'#') => {
            let (digits, radix) = match bytes.get(at + 2) {
                Some(b'x' | b'X') => (at + 3, 16),
                _ => (at + 2, 10),
            };
            let len = bytes[digits..]
                .iter()
                .take_while(|b| char::from(**b).is_digit(radix))
                .count();
            // Without digits or a semicolon html5ever reads on in ways not
            // worth copying; more than seven digits may overflow.
            if len == 0 || len > 7 || bytes.get(digits + len) != Some(&b';') {
                return Err(Decline);
            }
            let n =
                u32::from_str_radix(&input[digits..digits + len], radix).map_err(|_| Decline)?;
            // A reference to a char the store removes (a bidi control) is
            // left to html5ever, whose output is cleaned: this reader's
            // output has no such char unless its input had one.
            let c = clean_code_point(n)
                .filter(|c| !is_unsafe_char(*c))
                .ok_or(Decline)?;
            out.chars(c.encode_utf8(&mut buf));
            Ok((digits + len + 1, false))
        }
        Some(b) if b.is_ascii_alphanumeric() => {
            let len = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let name = &input[at + 1..at + 1 + len];
            if bytes.get(at + 1 + len) != Some(&b';') {
                return Err(Decline);
            }
            let (_, c) = NAMED.iter().find(|(n, _)| *n == name).ok_or(Decline)?;
            out.chars(c.encode_utf8(&mut buf));
            Ok((at + len + 2, true))
        }
        // Not a reference: the `&` is text, handed out alone.
        _ => {
            out.chars("&");
            Ok((at + 1, false))
        }
    }
}

/// `n` as a char, unless html5ever would report it and replace or keep it
/// (NUL, surrogates, the C1 range, other controls but tab, line feed and
/// form feed, noncharacters, past U+10FFFF).
fn clean_code_point(n: u32) -> Option<char> {
    let bad = matches!(n, 0..=0x08 | 0x0b | 0x0d..=0x1f | 0x7f..=0x9f | 0xfdd0..=0xfdef)
        || n & 0xfffe == 0xfffe;
    if bad { None } else { char::from_u32(n) }
}

/// Whitespace between a tag's parts.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b' ')
}

/// The longest tag name read here (`blockquote`, `figcaption`).
const NAME_MAX: usize = 16;

/// Reads the tag at `at` (`<`) and hands it on; returns the offset after it.
fn tag(input: &str, at: usize, out: &mut Writers) -> Result<usize, Decline> {
    let bytes = input.as_bytes();
    let (kind, start) = match bytes.get(at + 1) {
        Some(b) if b.is_ascii_alphabetic() => (TagKind::StartTag, at + 1),
        Some(b'/') if bytes.get(at + 2).is_some_and(u8::is_ascii_alphabetic) => {
            (TagKind::EndTag, at + 2)
        }
        // Comments, doctypes, `</>`, a lone `<`: html5ever's.
        _ => return Err(Decline),
    };
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len > NAME_MAX {
        return Err(Decline);
    }
    let mut lower = [0u8; NAME_MAX];
    for (l, b) in lower.iter_mut().zip(&bytes[start..start + len]) {
        *l = b.to_ascii_lowercase();
    }
    // html5ever's names run to a space, `/` or `>`; this reader's are
    // letters and digits only.
    match bytes.get(start + len) {
        Some(&b) if is_space(b) || matches!(b, b'/' | b'>') => {}
        _ => return Err(Decline),
    }
    let name = std::str::from_utf8(&lower[..len]).map_err(|_| Decline)?;
    // Elements the sink drops or reads as raw text change the tokenizer's
    // state; `plaintext` is left to html5ever too.
    if is_dropped(name) || raw_kind(name).is_some() || name == "plaintext" {
        return Err(Decline);
    }
    let (end, href) = attributes(input, start + len)?;
    out.tag(kind, name, href);
    Ok(end)
}

/// Reads a tag's attributes from `at` (just after its name) to its `>`, and
/// returns the offset after the tag and the value of its first `href`.
fn attributes(input: &str, mut at: usize) -> Result<(usize, Option<&str>), Decline> {
    let bytes = input.as_bytes();
    let mut href = None;
    loop {
        while bytes.get(at).copied().is_some_and(is_space) {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'>') => return Ok((at + 1, href)),
            // A self-closing flag matters only to dropped elements.
            Some(b'/') if bytes.get(at + 1) == Some(&b'>') => return Ok((at + 2, href)),
            Some(b) if b.is_ascii_alphabetic() || matches!(b, b'_' | b':') => {}
            _ => return Err(Decline),
        }
        let len = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
            .count();
        let name = &input[at..at + len];
        at += len;
        match bytes.get(at) {
            Some(&b) if is_space(b) || matches!(b, b'=' | b'>' | b'/') => {}
            _ => return Err(Decline),
        }
        while bytes.get(at).copied().is_some_and(is_space) {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            // A name alone; what follows is read by the loop.
            continue;
        }
        at += 1;
        while bytes.get(at).copied().is_some_and(is_space) {
            at += 1;
        }
        let (value, end) = value(input, at)?;
        at = end;
        // html5ever keeps the first of repeated attributes.
        if href.is_none() && name.eq_ignore_ascii_case("href") {
            href = Some(value);
        }
    }
}

/// Reads an attribute value at `at`; returns it and the offset after it.
/// Values with references, CR or NUL are html5ever's.
fn value(input: &str, at: usize) -> Result<(&str, usize), Decline> {
    let bytes = input.as_bytes();
    match bytes.get(at) {
        Some(&quote @ (b'"' | b'\'')) => {
            let len = bytes[at + 1..]
                .iter()
                .position(|&b| b == quote || matches!(b, b'&' | b'\r' | 0))
                .ok_or(Decline)?;
            let end = at + 1 + len;
            if bytes[end] != quote {
                return Err(Decline);
            }
            // After the quote: a space, `/` or `>` (else html5ever reports a
            // missing space and reads on).
            match bytes.get(end + 1) {
                Some(&b) if is_space(b) || matches!(b, b'/' | b'>') => {
                    Ok((&input[at + 1..end], end + 1))
                }
                _ => Err(Decline),
            }
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .take_while(|&&b| {
                    !is_space(b)
                        && !matches!(b, b'>' | b'"' | b'\'' | b'<' | b'=' | b'`' | b'&')
                        && !matches!(b, b'\r' | 0)
                })
                .count();
            match bytes.get(at + len) {
                Some(&b) if len > 0 && (is_space(b) || b == b'>') => {
                    Ok((&input[at..at + len], at + len))
                }
                _ => Err(Decline),
            }
        }
    }
}
