//! Timestamps: every form sources send, read into UTC.
//!
//! Input: a timestamp string (ISO 8601 with or without a zone, `… UTC`, a bare
//! date, RFC 822/2822 from RSS, or epoch digits) or an epoch number. Output:
//! `DateTime<Utc>`, or `None` when the text is not a time we can trust.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Epoch values at or above this are milliseconds. 1e11 seconds is the year 5138,
/// while 1e11 milliseconds is March 1973, before any job board existed, so the two
/// ranges cannot be confused for real postings.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// Times from 3000-01-01 on are absurd for a job posting, in either unit.
const LIMIT_SECS: i64 = 32_503_680_000;

/// Parses any timestamp form the sources use (see the module docs); `None` otherwise.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return from_epoch(s.parse().ok()?);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit) && s.as_bytes().get(4) == Some(&b'-') {
        return parse_iso_like(s);
    }
    parse_rfc2822(s)
}

/// A Unix epoch in seconds, or in milliseconds from 1e11 on (1e11 s is the year
/// 5138, 1e11 ms is 1973); `None` for zero, negative, or the year 3000 and later.
pub fn from_epoch(n: i64) -> Option<DateTime<Utc>> {
    // Sources use 0 for "unknown"; no posting predates 1970.
    if n <= 0 {
        return None;
    }
    let t = if n >= MILLIS_THRESHOLD {
        DateTime::from_timestamp_millis(n)?
    } else {
        DateTime::from_timestamp(n, 0)?
    };
    (t.timestamp() < LIMIT_SECS).then_some(t)
}

/// ISO-8601 variants RFC 3339 does not accept: no zone, `+0000` offsets, a
/// ` UTC` suffix (Recruitee), or a bare date.
fn parse_iso_like(s: &str) -> Option<DateTime<Utc>> {
    let s = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix('Z'))
        .unwrap_or(s);
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?))
}

/// RFC 822/2822/1123 as found in RSS. chrono handles named zones, single-digit
/// days and a missing weekday; a weekday that contradicts the date (seen in
/// hand-rolled feeds) makes it fail, so the weekday is dropped and it tries again.
fn parse_rfc2822(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    let (_, rest) = s.split_once(',')?;
    DateTime::parse_from_rfc2822(rest.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test timestamp")
            .with_timezone(&Utc)
    }

    #[test]
    fn parse_time_reads_every_source_form() {
        let cases = [
            // Greenhouse updated_at, local offset.
            ("2026-06-30T05:26:14-04:00", "2026-06-30T09:26:14Z"),
            // Ashby publishedAt, ms and +00:00.
            ("2026-03-27T20:34:36.547+00:00", "2026-03-27T20:34:36.547Z"),
            // SmartRecruiters releasedDate, ms and Z.
            ("2026-01-15T10:00:00.000Z", "2026-01-15T10:00:00Z"),
            // HN Algolia search / items.
            ("2025-12-02T18:05:44Z", "2025-12-02T18:05:44Z"),
            ("2025-12-02T15:01:52.000Z", "2025-12-02T15:01:52Z"),
            // RemoteOK date, Jobicy pubDate.
            ("2026-03-16T00:00:03+00:00", "2026-03-16T00:00:03Z"),
            ("2026-08-15T15:28:49+00:00", "2026-08-15T15:28:49Z"),
            // Remotive publication_date: no zone, read as UTC.
            ("2026-07-26T20:49:11", "2026-07-26T20:49:11Z"),
            ("2026-07-26T20:49:11.123456", "2026-07-26T20:49:11.123456Z"),
            // Recruitee.
            ("2026-08-11 20:45:29 UTC", "2026-08-11T20:45:29Z"),
            ("2026-08-11 20:45:29", "2026-08-11T20:45:29Z"),
            ("2026-08-11 20:45", "2026-08-11T20:45:00Z"),
            // Workable, LinkedIn: a bare date is midnight UTC.
            ("2026-05-04", "2026-05-04T00:00:00Z"),
            // Offsets without a colon.
            ("2026-05-04T10:00:00+0200", "2026-05-04T08:00:00Z"),
            // RSS pubDate (WWR, hnrss), RFC 822/1123.
            ("Tue, 10 Jun 2025 14:05:00 +0000", "2025-06-10T14:05:00Z"),
            ("Tue, 10 Jun 2025 14:05:00 GMT", "2025-06-10T14:05:00Z"),
            ("Tue, 10 Jun 2025 14:05:00 UT", "2025-06-10T14:05:00Z"),
            ("Tue, 10 Jun 2025 10:05:00 EDT", "2025-06-10T14:05:00Z"),
            ("Mon, 13 Jan 2025 09:05:00 EST", "2025-01-13T14:05:00Z"),
            ("Mon, 13 Jan 2025 08:05:00 CST", "2025-01-13T14:05:00Z"),
            ("Tue, 10 Jun 2025 09:05:00 CDT", "2025-06-10T14:05:00Z"),
            ("Mon, 13 Jan 2025 07:05:00 MST", "2025-01-13T14:05:00Z"),
            ("Tue, 10 Jun 2025 08:05:00 MDT", "2025-06-10T14:05:00Z"),
            ("Mon, 13 Jan 2025 06:05:00 PST", "2025-01-13T14:05:00Z"),
            ("Tue, 10 Jun 2025 07:05:00 PDT", "2025-06-10T14:05:00Z"),
            ("Tue, 3 Jun 2025 14:05:00 +0000", "2025-06-03T14:05:00Z"),
            ("3 Jun 2025 14:05:00 +0000", "2025-06-03T14:05:00Z"),
            ("Tue, 03 Jun 2025 14:05 +0000", "2025-06-03T14:05:00Z"),
            // 2025-06-03 was a Tuesday, not a Friday.
            ("Fri, 03 Jun 2025 14:05:00 +0000", "2025-06-03T14:05:00Z"),
            // Epoch digits: HN Firebase / RemoteOK seconds, Lever / Indeed ms.
            ("1773619203", "2026-03-16T00:00:03Z"),
            ("1764205361939", "2025-11-27T01:02:41.939Z"),
            ("  2026-05-04  ", "2026-05-04T00:00:00Z"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_time(input), Some(utc(want)), "input {input:?}");
        }
    }

    #[test]
    fn parse_time_rejects_what_is_not_a_time() {
        let cases = [
            "",
            "   ",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-02-03T25:00:00Z",
            "Tue, 32 Jun 2025 14:05:00 +0000",
            "0",
            "-1773619203",
            "not, a date",
        ];
        for input in cases {
            assert_eq!(parse_time(input), None, "input {input:?}");
        }
    }

    #[test]
    fn from_epoch_decides_unit_by_magnitude() {
        let cases = [
            // Arbeitnow / Himalayas seconds (Himalayas docs say ms; real data is s).
            (1_786_813_232, Some("2026-08-15T17:00:32Z")),
            // Lever createdAt ms.
            (1_764_205_361_939, Some("2025-11-27T01:02:41.939Z")),
            (1, Some("1970-01-01T00:00:01Z")),
            (32_503_679_999, Some("2999-12-31T23:59:59Z")),
            (32_503_680_000, None),
            (99_999_999_999, None),
            (100_000_000_000, Some("1973-03-03T09:46:40Z")),
            (32_503_679_999_999, Some("2999-12-31T23:59:59.999Z")),
            (0, None),
            (-5, None),
            (i64::MAX, None),
            (100_000_000_000_000, None),
        ];
        for (input, want) in cases {
            assert_eq!(from_epoch(input), want.map(utc), "input {input}");
        }
    }
}
