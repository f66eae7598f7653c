//! Plain-text clean-up shared by every normalizer: whitespace folding, tidying
//! multi-line text, and removing characters no reader should get. (Undoing
//! UTF-8 that was encoded twice is `mojibake.rs`'s.)
//!
//! Input: strings as sources hand them over. Output: cleaned strings; nothing here
//! knows about HTML or about any one source.
//!
//! Postings come from strangers and end up on terminals (`search`, `show`), in
//! mails and in web pages. Control characters (ESC starts terminal escape
//! sequences, CR rewrites a line) and the bidirectional overrides, isolates and
//! marks (which make text display in another order than it reads) are removed
//! here, once, from every text field; the folding and tidying functions below
//! do it as part of their work.

use std::borrow::Cow;
use std::ops::RangeInclusive;

/// Whether `c` is removed from every text: a control character other than
/// `\n` and `\t` (which multi-line text keeps), or a bidirectional formatting
/// character (U+202A–U+202E embeddings and overrides, U+2066–U+2069
/// isolates, and the U+200E, U+200F and U+061C marks).
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// `s` without the characters of [`is_unsafe_char`], and without the whole of
/// each terminal escape sequence (`ESC [ 31 m`, `ESC ] 8 ; ; url BEL`), so that
/// no `[31m` debris is left between words; borrowed when there is nothing to remove.
pub fn strip_unsafe(s: &str) -> Cow<'_, str> {
    if !has_unsafe_char(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\u{1b}' | '\u{9b}' | '\u{9d}' => rest = after_escape(c, rest),
            // A CR or form feed still parts the words on either side.
            c if is_unsafe_char(c) && c.is_whitespace() => out.push(' '),
            c if is_unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `s` has a char of [`is_unsafe_char`], read from its UTF-8 bytes:
/// this runs over every description of every fetch, where decoding each char
/// cost more than the rest of the cleaning. Eight bytes at a time: a word of
/// printable ASCII (most of any text) is passed over whole.
fn has_unsafe_char(s: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether a byte of `x` is below `n` (n <= 0x80), or is 0: the classic
    // "has less" bit trick, exact for bytes below 0x80, which is all it is
    // asked about once high bytes are looked at anyway.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH != 0;
    let b = s.as_bytes();
    let mut chunks = b.chunks_exact(8);
    let mut start = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        // A control, DEL (0x7F) or a byte of a multi-byte char: look closer.
        let closer = x & HIGH != 0 || below(x, 0x20) || below(x ^ (ONES * 0x7F), 1);
        if closer && (start..start + 8).any(|i| unsafe_at(b, i)) {
            return true;
        }
        start += 8;
    }
    (start..b.len()).any(|i| unsafe_at(b, i))
}

/// Whether the char starting at byte `i` of `b` is of [`is_unsafe_char`]
/// (false for a byte inside a char: no lead byte below matches one).
fn unsafe_at(b: &[u8], i: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match at(i) {
        b'\n' | b'\t' => false,
        0x00..=0x1F | 0x7F => true,
        // U+0080–U+009F, the C1 controls.
        0xC2 => (0x80..=0x9F).contains(&at(i + 1)),
        // U+061C, the Arabic letter mark.
        0xD8 => at(i + 1) == 0x9C,
        // U+200E, U+200F, U+202A–U+202E; U+2066–U+2069.
        0xE2 => match at(i + 1) {
            0x80 => matches!(at(i + 2), 0x8E | 0x8F | 0xAA..=0xAE),
            0x81 => matches!(at(i + 2), 0xA6..=0xA9),
            _ => false,
        },
        _ => false,
    }
}

/// What follows the escape sequence that `intro` (ESC, or the C1 CSI or OSC)
/// starts, `rest` being the text right after `intro`. ECMA-48 shapes: CSI is
/// parameters, intermediates and a final byte; OSC runs to BEL or ST (an
/// unterminated one loses only its introducer); other escapes are
/// intermediates and a final byte.
fn after_escape(intro: char, rest: &str) -> &str {
    let (kind, body) = match (intro, rest.chars().next()) {
        ('\u{9b}', _) => ('[', rest),
        ('\u{9d}', _) => (']', rest),
        (_, Some(c @ ('[' | ']'))) => (c, &rest[1..]),
        _ => ('\0', rest),
    };
    match kind {
        '[' => final_in(skip_in(skip_in(body, '0'..='?'), ' '..='/'), '@'..='~'),
        ']' => {
            let end = body
                .char_indices()
                .find(|&(i, c)| c == '\u{7}' || c == '\u{9c}' || body[i..].starts_with("\u{1b}\\"));
            match end {
                Some((i, '\u{1b}')) => &body[i + 2..],
                Some((i, c)) => &body[i + c.len_utf8()..],
                None => body,
            }
        }
        _ => final_in(skip_in(body, ' '..='/'), '0'..='~'),
    }
}

/// `s` after its leading chars in `range`.
fn skip_in(s: &str, range: RangeInclusive<char>) -> &str {
    s.trim_start_matches(|c: char| range.contains(&c))
}

/// `s` after its first char if that is in `range` (an ASCII range).
fn final_in(s: &str, range: RangeInclusive<char>) -> &str {
    match s.chars().next() {
        Some(c) if range.contains(&c) => &s[c.len_utf8()..],
        _ => s,
    }
}

/// Trims `s`, turns every whitespace run (including U+00A0 and line breaks)
/// into one space, and removes the characters of [`is_unsafe_char`].
pub fn fold_whitespace(s: &str) -> String {
    let s = strip_unsafe(s);
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `s` lower-cased in `buf` when it is ASCII, else `None`: a caller that
/// lowers many short strings reuses one buffer instead of allocating each.
pub(crate) fn ascii_lowered<'a>(s: &str, buf: &'a mut String) -> Option<&'a str> {
    if !s.is_ascii() {
        return None;
    }
    buf.clear();
    buf.push_str(s);
    buf.make_ascii_lowercase();
    Some(buf)
}

/// Folds whitespace and returns `None` when nothing is left.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let folded = fold_whitespace(s);
    (!folded.is_empty()).then_some(folded)
}

/// Tidies plain multi-line text: whitespace folded within each line, at most one
/// blank line in a row, trimmed at both ends, [`is_unsafe_char`]s removed.
pub(crate) fn tidy_lines(s: &str) -> String {
    let s = strip_unsafe(s);
    let mut out = String::with_capacity(s.len());
    let mut blank_pending = false;
    for line in s.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            blank_pending = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_check_agrees_with_the_char_rule_on_every_char() {
        // Every char from U+0000 to U+FFFF and a sample above, alone and between letters.
        let chars = (0u32..0x1_0000)
            .chain((0x1_0000..0x11_0000).step_by(97))
            .filter_map(char::from_u32);
        for c in chars {
            // At each offset of an 8-byte word, with a word to either side.
            let long = (0..9).map(|n| format!("{}{c}{}", "x".repeat(8 + n), "y".repeat(9)));
            for s in [c.to_string(), format!("a{c}b"), format!("é{c}")]
                .into_iter()
                .chain(long)
            {
                assert_eq!(
                    has_unsafe_char(&s),
                    s.chars().any(is_unsafe_char),
                    "U+{:04X} in {s:?}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn fold_whitespace_trims_and_folds_runs() {
        let cases = [
            ("", ""),
            ("   ", ""),
            ("a", "a"),
            ("  Senior   Engineer \n", "Senior Engineer"),
            ("a\u{a0}\u{a0}b", "a b"),
            ("a\t\r\nb", "a b"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_whitespace(input), want, "input {input:?}");
        }
    }

    #[test]
    fn unsafe_chars_are_removed_and_whitespace_folded() {
        let cases = [
            ("\u{1b}[31mRed\u{1b}[0m Job", "Red Job"),
            ("\u{1b}[1;31;48;5;196mA\u{9b}2JB", "AB"),
            (
                "\u{1b}]8;;http://evil\u{7}link\u{1b}]8;;\u{1b}\\ here",
                "link here",
            ),
            ("\u{1b}]0;a whole title\u{7}Job", "Job"),
            ("\u{1b}]0;title", "0;title"),
            ("\u{1b}(Bx\u{1b}7y\u{1b}", "xy"),
            ("Admin\u{202E}gnp.exe", "Admingnp.exe"),
            ("a\u{2066}b\u{2069}c \u{200E}d\u{200F}\u{061C}", "abc d"),
            ("over\rwrite", "over write"),
            ("bell\u{7}\u{0}\u{7f}\u{85}\u{9b}", "bell"),
            ("\u{202E} \u{202E} x", "x"),
            // Not bidi controls: kept (ZWJ joins emoji, ZWNJ is Persian spelling).
            ("👩\u{200D}💻 \u{200C}", "👩\u{200D}💻 \u{200C}"),
            ("Zürich – café €", "Zürich – café €"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_whitespace(input), want, "input {input:?}");
        }
        assert_eq!(strip_unsafe("a\tb\nc\u{1b}d"), "a\tb\nc");
        assert_eq!(strip_unsafe("a\tb\nc\u{7}d"), "a\tb\ncd");
        assert!(matches!(strip_unsafe("plain – text"), Cow::Borrowed(_)));
        assert_eq!(
            tidy_lines("one\u{1b}[2J\r\n\u{202E}\n\ntwo\u{7}"),
            "one\n\ntwo"
        );
    }

    #[test]
    fn tidy_lines_keeps_one_blank_line_at_most() {
        let cases = [
            ("", ""),
            ("  a  b  ", "a b"),
            ("a\nb", "a\nb"),
            ("a\n\n\n\nb", "a\n\nb"),
            ("\n\n a \r\n \u{a0} \r\n b\n\n", "a\n\nb"),
        ];
        for (input, want) in cases {
            assert_eq!(tidy_lines(input), want, "input {input:?}");
        }
    }
}
