//! Human units: durations ("30s", "15m", "2h", "1d") and sizes ("512KB",
//! "10MB") in the config, ages in flags and in queries (`--since 7d`,
//! `posted<7d`). Pure parsing, no I/O, and no dependency on any other module,
//! so the config, the query language and the CLI can all use it.
//!
//! Every number is checked: a value too large for its unit, or a sum past
//! [`MAX_DURATION`], is an error, never a wrapped or saturated value. The keys
//! that read these put tighter bounds of their own on top (see `config::check`).

use std::time::Duration;

/// The longest duration any key or flag accepts: 100 years. Far beyond any
/// sane setting, and small enough that adding it to a date never overflows.
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 365 * 86_400);

/// Parses a duration such as `"30s"`, `"15m"`, `"2h"`, `"1d"`, `"500ms"` or a
/// sum like `"1h30m"`. A bare number is rejected: the unit is never guessed.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    sum(s)?.ok_or_else(|| {
        format!(
            "`{}` is too long (at most {})",
            s.trim(),
            describe(MAX_DURATION)
        )
    })
}

/// Parses a duration that must lie in `min..=max`; the message names both ends.
pub fn parse_duration_in(s: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    match sum(s)? {
        Some(d) if (min..=max).contains(&d) => Ok(d),
        _ => Err(format!(
            "`{}` is out of range ({} to {})",
            s.trim(),
            describe(min),
            describe(max)
        )),
    }
}

/// The duration `s` writes, `None` when it exceeds [`MAX_DURATION`].
fn sum(s: &str) -> Result<Option<Duration>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "`{s}` is not a duration (expected e.g. \"30s\", \"15m\", \"2h\")"
            ));
        }
        // More digits than a u64 holds is past any limit too.
        let Ok(n) = rest[..digits].parse::<u64>() else {
            return Ok(None);
        };
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        rest = &rest[unit_len..];
        let secs_per = match unit {
            "ms" => None,
            "s" | "sec" | "secs" => Some(1),
            "m" | "min" | "mins" => Some(60),
            "h" | "hr" | "hrs" => Some(3600),
            "d" | "day" | "days" => Some(86_400),
            "w" | "wk" | "week" | "weeks" => Some(7 * 86_400),
            "" => return Err(format!("`{s}` has no unit (use ms, s, m, h, d or w)")),
            other => {
                return Err(format!(
                    "`{s}`: unknown unit `{other}` (use ms, s, m, h, d or w)"
                ));
            }
        };
        let part = match secs_per {
            None => Some(Duration::from_millis(n)),
            Some(k) => n.checked_mul(k).map(Duration::from_secs),
        };
        match part
            .and_then(|p| total.checked_add(p))
            .filter(|t| *t <= MAX_DURATION)
        {
            Some(t) => total = t,
            None => return Ok(None),
        }
    }
    Ok(Some(total))
}

/// A duration the way the config writes it: `"90s"`, `"6h"`, `"2d"`, `"1h30m"`.
pub fn describe(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    let mut secs = d.as_secs();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    let millis = d.subsec_millis();
    if millis > 0 {
        out.push_str(&format!("{millis}ms"));
    }
    out
}

/// Parses a size such as `"10MB"`, `"512KB"`, `"1GiB"` or a plain byte count `"1048576"`.
/// KB/MB/GB are powers of 1024, as users of these limits expect.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if digits == 0 {
        return Err(format!("`{s}` is not a size (expected e.g. \"10MB\")"));
    }
    let n: u64 = t[..digits]
        .parse()
        .map_err(|_| format!("`{s}`: number too large"))?;
    let mult: u64 = match t[digits..].trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        other => {
            return Err(format!(
                "`{s}`: unknown unit `{other}` (use B, KB, MB or GB)"
            ));
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{s}`: size too large"))
}

/// Parses a `--since` style age: `"7d"`, `"12h"`, `"30m"`, `"2w"` (any duration).
pub fn parse_age(s: &str) -> Result<Duration, String> {
    parse_duration(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_and_reject_bare_numbers() {
        let cases: &[(&str, Option<u64>)] = &[
            ("30s", Some(30_000)),
            ("15m", Some(900_000)),
            ("2h", Some(7_200_000)),
            ("1d", Some(86_400_000)),
            ("500ms", Some(500)),
            ("1h30m", Some(5_400_000)),
            ("30", None),
            ("", None),
            ("5 parsecs", None),
            ("m", None),
        ];
        for (input, want) in cases {
            let got = parse_duration(input).ok().map(|d| d.as_millis() as u64);
            assert_eq!(got, *want, "{input:?}");
        }
    }

    #[test]
    fn sizes_use_binary_multiples() {
        let cases: &[(&str, Option<u64>)] = &[
            ("10MB", Some(10 << 20)),
            ("512KB", Some(512 << 10)),
            ("1GiB", Some(1 << 30)),
            ("1048576", Some(1 << 20)),
            ("10 mb", Some(10 << 20)),
            ("ten", None),
            ("5TB", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_size(input).ok(), *want, "{input:?}");
        }
    }

    #[test]
    fn ages_accept_weeks() {
        assert_eq!(parse_age("2w").ok(), Some(Duration::from_secs(14 * 86_400)));
        assert_eq!(parse_age("7d").ok(), Some(Duration::from_secs(7 * 86_400)));
        assert!(parse_age("soon").is_err());
    }

    #[test]
    fn huge_durations_are_errors_not_panics_or_wraps() {
        let cases = [
            "18446744073709551615s1s",
            "18446744073709551615s",
            "307445734561825861m",
            "100000000d",
            "99999999999999999999999ms",
            "36501d",
            "36500d1s",
            "5300w",
        ];
        for input in cases {
            let err = parse_duration(input).expect_err(input);
            assert_eq!(err, format!("`{input}` is too long (at most 36500d)"));
            assert!(parse_age(input).is_err(), "{input:?}");
        }
        assert_eq!(parse_duration("36500d").ok(), Some(MAX_DURATION));
    }

    #[test]
    fn ranges_and_descriptions_speak_config_units() {
        let s = Duration::from_secs;
        let cases = [
            (s(0), "0s"),
            (s(90), "1m30s"),
            (s(6 * 3600), "6h"),
            (s(2 * 86_400 + 1), "2d1s"),
            (Duration::from_millis(1500), "1s500ms"),
        ];
        for (d, want) in cases {
            assert_eq!(describe(d), want);
            assert_eq!(parse_duration(want).ok(), Some(d), "{want}");
        }
        assert_eq!(parse_duration_in("5s", s(1), s(10)), Ok(s(5)));
        let err = parse_duration_in(" 60m", s(1), s(600)).expect_err("too long");
        assert_eq!(err, "`60m` is out of range (1s to 10m)");
        let err = parse_duration_in("100000000d", s(0), s(86_400)).expect_err("too long");
        assert_eq!(err, "`100000000d` is out of range (0s to 1d)");
        assert!(parse_duration_in("5 parsecs", s(0), s(1)).is_err());
    }
}
