//! One pass of HTML character-reference decoding over text, using the named
//! entity table html5ever's own tokenizer uses.
//!
//! Input: text with `&name;`, `&#NN;` or `&#xHH;` references (Greenhouse sends
//! its HTML escaped once more). Output: the text with each reference replaced once;
//! `&amp;lt;` becomes `&lt;`, not `<`.

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// The longest entity name in the table ("CounterClockwiseContourIntegral;") is 32 bytes.
const MAX_NAME: usize = 32;

/// Decodes every character reference in `input` once.
pub(super) fn decode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after) {
            Some((first, second, used)) => {
                out.push(first);
                if let Some(c) = second {
                    out.push(c);
                }
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The reference at the start of `s` (just after the `&`): its one or two chars
/// and how many bytes of `s` it used.
fn reference(s: &str) -> Option<(char, Option<char>, usize)> {
    if let Some(num) = s.strip_prefix('#') {
        let (digits, radix, prefix) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (&num[1..], 16, 2),
            _ => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|&b| (b as char).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        // Saturate: anything past U+10FFFF becomes U+FFFD, however long.
        let value = digits[..len].chars().fold(0u32, |acc, c| {
            let d = c.to_digit(radix).unwrap_or(0);
            acc.saturating_mul(radix).saturating_add(d).min(0x11_0000)
        });
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((numeric_char(value), None, prefix + len + semi));
    }

    let name_len = s
        .bytes()
        .take(MAX_NAME)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if name_len == 0 {
        return None;
    }
    if s[name_len..].starts_with(';')
        && let Some((a, b)) = entity(&s[..=name_len])
    {
        return Some((a, b, name_len + 1));
    }
    // Legacy references without `;` ("&amp", "&copy2024"): the longest known prefix.
    (1..=name_len)
        .rev()
        .find_map(|len| entity(&s[..len]).map(|(a, b)| (a, b, len)))
}

/// The chars of a named entity. The table also holds every prefix of every name,
/// mapped to `(0, 0)`, for the tokenizer's incremental matching; those are not entities.
fn entity(name: &str) -> Option<(char, Option<char>)> {
    match NAMED_ENTITIES.get(name) {
        Some(&(a, b)) if a != 0 => Some((char_of(a), (b != 0).then(|| char_of(b)))),
        _ => None,
    }
}

fn char_of(code: u32) -> char {
    char::from_u32(code).unwrap_or('\u{fffd}')
}

/// The char a numeric reference stands for, with the HTML spec's repairs.
fn numeric_char(value: u32) -> char {
    match value {
        0 => '\u{fffd}',
        // Windows-1252 numbers sent as if they were Unicode (`&#146;` for ’).
        0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize].unwrap_or_else(|| char_of(value)),
        _ => char_of(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_replaces_each_reference_once() {
        let cases = [
            ("", ""),
            ("no refs", "no refs"),
            ("&lt;p&gt;", "<p>"),
            ("&amp;nbsp;", "&nbsp;"),
            ("&amp;lt;p&amp;gt;", "&lt;p&gt;"),
            ("it&#39;s", "it's"),
            ("a&#x2F;b&#X2f;c", "a/b/c"),
            ("&quot;x&quot;", "\"x\""),
            ("caf&eacute;", "café"),
            ("a&nbsp;b", "a\u{a0}b"),
            ("&#8217;", "\u{2019}"),
            ("&#146;", "\u{2019}"),
            ("&#0;", "\u{fffd}"),
            ("&#xD800;", "\u{fffd}"),
            ("&#99999999999;", "\u{fffd}"),
            ("&#128512;", "\u{1f600}"),
            ("&#39", "'"),
            ("AT&T", "AT&T"),
            ("R&D; fish & chips", "R&D; fish & chips"),
            ("&amp", "&"),
            ("&copy2024", "\u{a9}2024"),
            ("&notin;", "\u{2209}"),
            ("&notit;", "\u{ac}it;"),
            ("&acE;", "\u{223e}\u{333}"),
            ("&#;", "&#;"),
            ("&#x;", "&#x;"),
            ("&", "&"),
            ("trailing &", "trailing &"),
            (
                "&lt;p style=&quot;a&quot;&gt;Who&amp;nbsp;",
                "<p style=\"a\">Who&nbsp;",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(decode(input), want, "input {input:?}");
        }
    }
}
