//! `Retry-After`, read the ways servers write it, with every number checked:
//! a server must not be able to overflow our time arithmetic.

use std::time::Duration;

use reqwest::header::{self, HeaderMap};

/// The longest `Retry-After` taken from a server; consumers clamp further
/// (to `retry_max`), but no server gets to push a date past this.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(30 * 86_400);

/// Reads `Retry-After` (seconds or an HTTP date), at most [`RETRY_AFTER_MAX`].
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(v, chrono::Utc::now())
}

/// Reads a `Retry-After` value at `now`: delay-seconds, or an HTTP date in
/// any of the three forms RFC 9110 lets a recipient accept; a date in the
/// past is no wait. At most [`RETRY_AFTER_MAX`].
pub fn parse_retry_after(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        let secs = v.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(RETRY_AFTER_MAX));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v)
        .map(|d| d.with_timezone(&chrono::Utc))
        .ok()
        .or_else(|| {
            // RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
            ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
                .iter()
                .find_map(|f| chrono::NaiveDateTime::parse_from_str(v, f).ok())
                .map(|n| n.and_utc())
        })?;
    let delta = when.signed_duration_since(now);
    Some(
        delta
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(RETRY_AFTER_MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_reads_seconds_and_dates_and_clamps() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 12, 0, 0)
            .single()
            .expect("valid");
        let cases: &[(&str, Option<u64>)] = &[
            ("120", Some(120)),
            (" 0 ", Some(0)),
            ("9000000000000", Some(RETRY_AFTER_MAX.as_secs())),
            (
                "99999999999999999999999999",
                Some(RETRY_AFTER_MAX.as_secs()),
            ),
            ("Mon, 30 Nov 2026 12:02:00 GMT", Some(120)),
            ("Monday, 30-Nov-26 12:00:30 GMT", Some(30)),
            ("Mon Nov 30 12:01:00 2026", Some(60)),
            ("Mon, 30 Nov 2026 11:00:00 GMT", Some(0)),
            (
                "Fri, 31 Dec 9999 23:59:59 GMT",
                Some(RETRY_AFTER_MAX.as_secs()),
            ),
            ("-5", None),
            ("soon", None),
            ("", None),
        ];
        for (v, want) in cases {
            assert_eq!(
                parse_retry_after(v, now).map(|d| d.as_secs()),
                *want,
                "{v:?}"
            );
        }
    }
}
