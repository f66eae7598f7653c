//! Human units in the config: durations ("30s", "15m", "2h", "1d") and sizes
//! ("512KB", "10MB"). Pure parsing, no I/O.

use std::time::Duration;

/// Parses a duration such as `"30s"`, `"15m"`, `"2h"`, `"1d"`, `"500ms"` or a
/// sum like `"1h30m"`. A bare number is rejected: the unit is never guessed.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
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
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("`{s}`: number too large"))?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        rest = &rest[unit_len..];
        let part = match unit {
            "ms" => Duration::from_millis(n),
            "s" | "sec" | "secs" => Duration::from_secs(n),
            "m" | "min" | "mins" => Duration::from_secs(n * 60),
            "h" | "hr" | "hrs" => Duration::from_secs(n * 3600),
            "d" | "day" | "days" => Duration::from_secs(n * 86_400),
            "" => return Err(format!("`{s}` has no unit (use ms, s, m, h or d)")),
            other => {
                return Err(format!(
                    "`{s}`: unknown unit `{other}` (use ms, s, m, h or d)"
                ));
            }
        };
        total += part;
    }
    Ok(total)
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

/// Parses a `--since` style age: `"7d"`, `"12h"`, `"30m"`, `"2w"`.
pub fn parse_age(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if let Some(weeks) = t.strip_suffix('w') {
        let n: u64 = weeks
            .parse()
            .map_err(|_| format!("`{s}` is not an age (expected e.g. \"7d\", \"12h\", \"2w\")"))?;
        return Ok(Duration::from_secs(n * 7 * 86_400));
    }
    parse_duration(t)
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
}
