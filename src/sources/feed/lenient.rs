//! feed-rs's lenient readers of dates and of "name <email>" authors, ported
//! so the streaming reader ([`super::fast`]) reads these fields exactly as the
//! feed-rs fallback does (feed-rs 3.0.0, `parser/util/mod.rs`, MIT licensed;
//! feed-rs keeps them crate-private). Same patterns, same order, same chrono
//! calls: a date one path reads and the other does not would make the same
//! feed give different postings depending on which path took it.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use regex::Regex;

/// A pattern and its replacement, applied once (`Regex::replace`).
struct Fix(Regex, &'static str);

fn fixes(cell: &'static OnceLock<Vec<Fix>>, table: &[(&str, &'static str)]) -> &'static [Fix] {
    cell.get_or_init(|| {
        table
            .iter()
            // The patterns are constants, tested below; a bad one is skipped rather than a panic.
            .filter_map(|(p, r)| Regex::new(p).ok().map(|re| Fix(re, r)))
            .collect()
    })
}

fn rfc1123() -> &'static [Fix] {
    static CELL: OnceLock<Vec<Fix>> = OnceLock::new();
    fixes(&CELL, &[(" Z$", " +0000"), ("^[[:alpha:]]{3}, ", "")])
}

fn rfc2822() -> &'static [Fix] {
    static CELL: OnceLock<Vec<Fix>> = OnceLock::new();
    fixes(
        &CELL,
        &[
            ("(UTC|-0000$)", "+0000"),
            ("(Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*, ", ""),
            (
                "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*",
                "$1",
            ),
            (
                "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\\d{1,2}) (\\d{4})",
                "$2 $1 $3",
            ),
            (" 24:", " 00:"),
            (" ([0-9]):", " 0${1}:"),
        ],
    )
}

fn rfc3339() -> &'static [Fix] {
    static CELL: OnceLock<Vec<Fix>> = OnceLock::new();
    fixes(
        &CELL,
        &[
            (r"(\+|-)(\d{2})(\d{2})", "${1}${2}:${3}"),
            (r"-\d{2}$", "${0}T00:00:00+00:00"),
        ],
    )
}

fn cleaned(original: &str, fixes: &[Fix]) -> String {
    let mut s = original.trim().to_string();
    for Fix(re, with) in fixes {
        s = re.replace(&s, *with).to_string();
    }
    s
}

/// A timestamp as feed-rs's default parser reads it: RFC 3339, then RFC 2822,
/// then RFC 1123, each after its repairs of what real feeds get wrong.
///
/// The repairs cost eight regex replacements per date, so a date that is
/// already valid is read without them: a valid RFC 3339 date has nothing the
/// repairs match; a valid RFC 2822 date is one the RFC 3339 attempt cannot
/// read (it does not start with four digits) and that its repairs leave the
/// same instant (a checked weekday dropped, `-0000` for `+0000`). The test
/// below holds both ways to the full repair on generated dates.
pub(crate) fn timestamp(original: &str) -> Option<DateTime<Utc>> {
    let trimmed = original.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(t.with_timezone(&Utc));
    }
    let year_first = trimmed.len() >= 4 && trimmed.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if !year_first && let Ok(t) = DateTime::parse_from_rfc2822(trimmed) {
        return Some(t.with_timezone(&Utc));
    }
    repaired(original)
}

/// feed-rs's `parse_timestamp_lenient`, every repair applied.
fn repaired(original: &str) -> Option<DateTime<Utc>> {
    let utc = |t: DateTime<chrono::FixedOffset>| t.with_timezone(&Utc);
    DateTime::parse_from_rfc3339(cleaned(original, rfc3339()).trim())
        .map(utc)
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc2822(&cleaned(original, rfc2822()))
                .map(utc)
                .ok()
        })
        .or_else(|| {
            DateTime::parse_from_str(&cleaned(original, rfc1123()), "%d %b %Y %H:%M:%S %z")
                .map(utc)
                .ok()
        })
}

fn email() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(r"\b(<\[\()?(mailto:)?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})(>]\))?\b")
            .ok()
    })
    .as_ref()
}

/// The name feed-rs reads from an RSS `author` or `dc:creator` text: the
/// text around an e-mail address (the longer side), else the whole text.
/// The outer `None` is a text feed-rs itself would panic on (a cut inside a
/// character), which the caller declines.
pub(crate) fn person_name(raw: &str) -> Option<Option<String>> {
    let Some(caps) = email()?.captures(raw) else {
        return Some(Some(raw.trim().to_string()));
    };
    if caps.get(3).is_none() {
        return Some(Some(raw.trim().to_string()));
    }
    let Some(span) = caps.get(0) else {
        return Some(None);
    };
    let prefix = span.start();
    let suffix = raw.len().checked_sub(span.end())?;
    let name = if prefix > suffix {
        raw.get(..prefix.checked_sub(1)?)?
    } else if span.end() < raw.len() {
        raw.get(span.end().checked_add(1)?..)?
    } else {
        ""
    };
    let name = name.trim();
    Some((!name.is_empty()).then(|| name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(rfc1123().len(), 2);
        assert_eq!(rfc2822().len(), 6);
        assert_eq!(rfc3339().len(), 2);
        assert!(email().is_some());
    }

    #[test]
    fn dates_in_the_forms_feeds_write_them() {
        let cases = [
            ("2026-11-30T10:00:00Z", Some("2026-11-30T10:00:00+00:00")),
            (
                "2026-11-30T10:00:00+0100",
                Some("2026-11-30T09:00:00+00:00"),
            ),
            ("2026-11-30", Some("2026-11-30T00:00:00+00:00")),
            (
                "Mon, 30 Nov 2026 10:00:00 GMT",
                Some("2026-11-30T10:00:00+00:00"),
            ),
            (
                "Thurs, 3 Dec 2026 7:05:00 UTC",
                Some("2026-12-03T07:05:00+00:00"),
            ),
            (
                "December 3 2026 07:05:00 -0000",
                Some("2026-12-03T07:05:00+00:00"),
            ),
            (
                "Tue, 15 Nov 2022 20:15:04 Z",
                Some("2022-11-15T20:15:04+00:00"),
            ),
            ("yesterday", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                timestamp(text).map(|t| t.to_rfc3339()).as_deref(),
                want,
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn valid_dates_read_without_repairs_as_with_them(
            secs in 0i64..4_000_000_000,
            offset in -720i32..720,
            form in 0usize..8,
            weekday in proptest::sample::select(vec!["", "Mon, ", "Sun, ", "Thursday, ", "Fri,"]),
            zone in proptest::sample::select(vec!["GMT", "UT", "UTC", "-0000", "+0000", "EST", "Z", "z", "A", "(GMT)"]),
        ) {
            let tz = chrono::FixedOffset::east_opt(offset * 60).expect("offset within a day");
            let t = DateTime::from_timestamp(secs, 0).unwrap_or_default().with_timezone(&tz);
            let text = match form {
                0 => t.to_rfc3339(),
                1 => t.to_rfc2822(),
                2 => format!("{weekday}{}", t.format("%-d %b %Y %H:%M:%S %z")),
                3 => format!("{weekday}{}", t.format(&format!("%d %B %Y %-H:%M:%S {zone}"))),
                4 => format!("{weekday}{}", t.format(&format!("%d %b %y %H:%M {zone}"))),
                5 => t.format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string(),
                6 => format!("  {}\n", t.format("%Y-%m-%d")),
                _ => format!("{}", t.format(&format!("%b %-d %Y %H:%M:%S {zone}"))),
            };
            proptest::prop_assert_eq!(timestamp(&text), repaired(&text), "{}", text);
        }
    }

    #[test]
    fn author_names_around_an_address() {
        let cases = [
            ("Acme Corp", Some("Acme Corp")),
            ("jobs@acme.example (Acme Hiring)", Some("(Acme Hiring)")),
            ("Acme Hiring <jobs@acme.example>", Some("Acme Hiring")),
            ("jobs@acme.example", None),
        ];
        for (raw, want) in cases {
            assert_eq!(person_name(raw), Some(want.map(String::from)), "{raw}");
        }
    }
}
