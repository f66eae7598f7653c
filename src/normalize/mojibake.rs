//! Undoing UTF-8 that was encoded twice, as some sources send it. Input: a
//! string as a source hands it over; output: the same string with each
//! double-encoded sequence decoded once, or borrowed when there is none.

use std::borrow::Cow;

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
