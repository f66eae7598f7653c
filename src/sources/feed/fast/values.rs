//! Dates and author names as the streaming reader accepts them. It reads only
//! the standard forms itself: an RFC 3339 or RFC 2822 date, an author that is
//! a plain name. Anything else (a date real feeds get wrong, an author with an
//! e-mail address) declines the document, and feed-rs, with its own repairs
//! of such values, reads it; so both paths give one feed the same postings.

use chrono::{DateTime, Utc};

use super::{Decline, Step};

/// An RFC 3339 date, or an RFC 2822 one that does not start with a year; no
/// text is no date.
pub(super) fn timestamp(text: Option<&str>) -> Step<Option<DateTime<Utc>>> {
    let Some(text) = text.map(str::trim) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    // A year first is an RFC 3339 date written loosely ("2026-11-30",
    // "+0100" offsets), which feed-rs repairs its own way.
    let year_first = text.len() >= 4 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if !year_first && let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    Err(Decline)
}

/// An RSS `author` or `dc:creator` that is a name alone, trimmed. One with an
/// e-mail address in it declines: feed-rs splits those.
pub(super) fn person_name(raw: &str) -> Step<Option<String>> {
    if raw.contains('@') {
        return Err(Decline);
    }
    Ok(Some(raw.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_dates_are_read_and_others_decline() {
        let read = [
            ("2026-11-30T10:00:00Z", "2026-11-30T10:00:00+00:00"),
            ("2026-11-30T10:00:00+01:00", "2026-11-30T09:00:00+00:00"),
            (
                " Mon, 30 Nov 2026 10:00:00 GMT\n",
                "2026-11-30T10:00:00+00:00",
            ),
            ("30 Nov 2026 10:00:00 -0500", "2026-11-30T15:00:00+00:00"),
        ];
        for (text, want) in read {
            let got = timestamp(Some(text)).map(|t| t.map(|t| t.to_rfc3339()));
            assert_eq!(got, Ok(Some(want.to_string())), "{text}");
        }
        for text in [
            "2026-11-30",
            "2026-11-30T10:00:00+0100",
            "Thurs, 3 Dec 2026 7:05:00 UTC",
            "yesterday",
        ] {
            assert_eq!(timestamp(Some(text)), Err(Decline), "{text}");
        }
        assert_eq!(timestamp(None), Ok(None));
    }

    #[test]
    fn plain_names_are_read_and_addresses_decline() {
        assert_eq!(person_name(" Acme Hiring "), Ok(Some("Acme Hiring".into())));
        assert_eq!(person_name("Acme Hiring <jobs@acme.example>"), Err(Decline));
    }
}
