//! Plain-text clean-up shared by every normalizer: whitespace folding, tidying
//! multi-line text, removing characters no reader should get, and undoing
//! UTF-8 that was encoded twice.
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

/// Undoes UTF-8 that was decoded as Latin-1/cp1252 and encoded again (RemoteOK):
/// `"Youâ\u{80}\u{99}ll"` → `"You’ll"`. Correct text comes back borrowed, unchanged.
///
/// Each suspicious sequence (a lead byte followed by the right number of
/// continuation bytes, read back through Latin-1 or cp1252) is repaired only when
/// it decodes as valid UTF-8, so legitimate "café", "Zürich" or "€" stay as they are.
pub fn repair_mojibake(s: &str) -> Cow<'_, str> {
    // A double-encoded sequence always starts with a char in U+00C2..=U+00F4.
    let Some(first) = s.char_indices().find(|&(_, c)| lead_len(c).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first.0]);
    let mut changed = false;
    let mut rest = &s[first.0..];
    while let Some(c) = rest.chars().next() {
        if let Some((decoded, used)) = decode_sequence(rest) {
            out.push(decoded);
            rest = &rest[used..];
            changed = true;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// If `s` starts with a double-encoded UTF-8 sequence, the char it stands for and
/// how many bytes of `s` it spans.
fn decode_sequence(s: &str) -> Option<(char, usize)> {
    let mut chars = s.char_indices();
    let (_, lead) = chars.next()?;
    let len = lead_len(lead)?;
    let mut bytes = [0u8; 4];
    bytes[0] = to_byte(lead)?;
    let mut end = lead.len_utf8();
    for slot in bytes.iter_mut().take(len).skip(1) {
        let (i, c) = chars.next()?;
        let b = to_byte(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
        end = i + c.len_utf8();
    }
    // from_utf8 rejects overlong forms and surrogates, which the lead check alone allows.
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    Some((decoded, end))
}

/// How many bytes a UTF-8 sequence has when `c`, read as a Latin-1 byte, is its lead.
fn lead_len(c: char) -> Option<usize> {
    match c as u32 {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// The byte a char stood for when bytes were decoded as Latin-1 or cp1252.
fn to_byte(c: char) -> Option<u8> {
    let b = match c as u32 {
        n @ 0..=0xFF => n as u8,
        // cp1252 puts printable characters where Latin-1 has C1 controls.
        0x20AC => 0x80,
        0x201A => 0x82,
        0x0192 => 0x83,
        0x201E => 0x84,
        0x2026 => 0x85,
        0x2020 => 0x86,
        0x2021 => 0x87,
        0x02C6 => 0x88,
        0x2030 => 0x89,
        0x0160 => 0x8A,
        0x2039 => 0x8B,
        0x0152 => 0x8C,
        0x017D => 0x8E,
        0x2018 => 0x91,
        0x2019 => 0x92,
        0x201C => 0x93,
        0x201D => 0x94,
        0x2022 => 0x95,
        0x2013 => 0x96,
        0x2014 => 0x97,
        0x02DC => 0x98,
        0x2122 => 0x99,
        0x0161 => 0x9A,
        0x203A => 0x9B,
        0x0153 => 0x9C,
        0x017E => 0x9E,
        0x0178 => 0x9F,
        _ => return None,
    };
    Some(b)
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

    #[test]
    fn repair_mojibake_fixes_double_encoding_and_leaves_good_text() {
        let cases = [
            // The real RemoteOK strings.
            ("What You\u{e2}\u{80}\u{99}ll Do", "What You\u{2019}ll Do"),
            ("\u{c2}\u{a0}", "\u{a0}"),
            ("About CMI:\u{c2}\u{a0}Central", "About CMI:\u{a0}Central"),
            ("anywhere \u{e2}\u{80}\u{93} work", "anywhere \u{2013} work"),
            ("Caf\u{c3}\u{a9}", "Café"),
            // The same text read through cp1252 instead of Latin-1.
            ("You\u{e2}\u{20ac}\u{2122}ll", "You\u{2019}ll"),
            ("\u{c3}\u{a9}t\u{c3}\u{a9} \u{e2}\u{82}\u{ac}", "été €"),
            // Four-byte sequences (emoji).
            ("\u{f0}\u{9f}\u{9a}\u{80} launch", "\u{1f680} launch"),
        ];
        for (input, want) in cases {
            let got = repair_mojibake(input);
            assert_eq!(got, want, "input {input:?}");
            assert!(
                matches!(got, Cow::Owned(_)),
                "input {input:?} should change"
            );
        }
    }

    #[test]
    fn repair_mojibake_borrows_correct_text() {
        let cases = [
            "",
            "plain ascii",
            "café",
            "Zürich",
            "€ 80.000",
            "You’ll",
            "naïve résumé",
            "Â la carte",
            "ÀÉÎ",
            "Ã",
            // A lead followed by too few continuation chars is not touched.
            "\u{e2}\u{80}",
        ];
        for input in cases {
            let got = repair_mojibake(input);
            assert!(
                matches!(got, Cow::Borrowed(_)),
                "input {input:?} changed to {got:?}"
            );
        }
    }
}
