//! Five-field cron schedules (`"*/30 * * * *"`), as crontab users write them,
//! on top of the `cron` crate (which wants a seconds field and numbers weekdays
//! 1–7 from Sunday, where crontab numbers them 0–7 with 0 and 7 both Sunday).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

/// A parsed schedule that remembers how the user wrote it.
#[derive(Clone)]
pub struct Schedule {
    text: String,
    inner: cron::Schedule,
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Schedule({:?})", self.text)
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Schedule) -> bool {
        self.text == other.text
    }
}

impl FromStr for Schedule {
    type Err = String;

    fn from_str(s: &str) -> Result<Schedule, String> {
        Schedule::parse(s)
    }
}

impl Schedule {
    /// Parses `minute hour day-of-month month day-of-week`, or a shortcut
    /// (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`).
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let text = s.trim().to_string();
        let expr = match text.as_str() {
            "@hourly" => "0 0 * * * *".to_string(),
            "@daily" | "@midnight" => "0 0 0 * * *".to_string(),
            "@weekly" => "0 0 0 * * 1".to_string(),
            "@monthly" => "0 0 0 1 * *".to_string(),
            "@yearly" | "@annually" => "0 0 0 1 1 *".to_string(),
            _ => {
                let fields: Vec<&str> = text.split_whitespace().collect();
                if fields.len() != 5 {
                    return Err(format!(
                        "`{text}` is not a cron expression: expected 5 fields \
                         (minute hour day-of-month month day-of-week), found {}",
                        fields.len()
                    ));
                }
                let dow = weekdays_for_cron_crate(fields[4])
                    .map_err(|e| format!("`{text}`: day-of-week: {e}"))?;
                format!(
                    "0 {} {} {} {} {dow}",
                    fields[0], fields[1], fields[2], fields[3]
                )
            }
        };
        let inner = cron::Schedule::from_str(&expr)
            .map_err(|e| format!("`{text}` is not a cron expression: {e}"))?;
        if inner.upcoming(Utc).next().is_none() {
            return Err(format!("`{text}` never fires"));
        }
        Ok(Schedule { text, inner })
    }

    /// The first time strictly after `t` that the schedule fires.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.inner.after(&t).next()
    }

    /// The schedule's period around `t`: the gap between its next two firings.
    pub fn period_near(&self, t: DateTime<Utc>) -> Option<chrono::Duration> {
        let mut it = self.inner.after(&t);
        let a = it.next()?;
        let b = it.next()?;
        Some(b - a)
    }

    /// The expression as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Rewrites a crontab day-of-week field (0–7, 0 and 7 = Sunday, names allowed)
/// into the `cron` crate's numbering (1–7 from Sunday) as an explicit list.
fn weekdays_for_cron_crate(field: &str) -> Result<String, String> {
    if field == "*" || field == "?" {
        return Ok(field.to_string());
    }
    let mut days = [false; 7];
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => {
                let step: usize = s.parse().map_err(|_| format!("bad step `{s}`"))?;
                if step == 0 {
                    return Err("step must be at least 1".into());
                }
                (r, step)
            }
            None => (item, 1),
        };
        let (lo, hi) = match range {
            "*" => (0, 6),
            r => match r.split_once('-') {
                Some((a, b)) => (weekday(a)?, weekday(b)?),
                None if step > 1 => (weekday(r)?, 6),
                None => {
                    let d = weekday(r)?;
                    (d, d)
                }
            },
        };
        if lo > hi {
            return Err(format!("range `{range}` runs backwards"));
        }
        // 7 is Sunday again, so "5-7" is Friday to Sunday.
        for d in (lo..=hi).step_by(step) {
            days[d % 7] = true;
        }
    }
    let list: Vec<String> = (0..7)
        .filter(|&d| days[d])
        .map(|d| (d + 1).to_string())
        .collect();
    Ok(list.join(","))
}

fn weekday(s: &str) -> Result<usize, String> {
    let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    if let Some(i) = names.iter().position(|n| s.eq_ignore_ascii_case(n)) {
        return Ok(i);
    }
    match s.parse::<usize>() {
        Ok(n) if n <= 7 => Ok(n),
        _ => Err(format!("`{s}` is not a weekday (0-7 or sun-sat)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn five_field_expressions_fire_when_crontab_would() {
        // 2026-11-27 is a Friday.
        let cases: &[(&str, DateTime<Utc>, DateTime<Utc>)] = &[
            (
                "*/30 * * * *",
                at(2026, 11, 27, 10, 5),
                at(2026, 11, 27, 10, 30),
            ),
            (
                "0 8 * * 1-5",
                at(2026, 11, 27, 9, 0),
                at(2026, 11, 30, 8, 0),
            ),
            ("0 8 * * 0", at(2026, 11, 27, 9, 0), at(2026, 11, 29, 8, 0)),
            ("0 8 * * 7", at(2026, 11, 27, 9, 0), at(2026, 11, 29, 8, 0)),
            (
                "0 8 * * 6-7",
                at(2026, 11, 27, 9, 0),
                at(2026, 11, 28, 8, 0),
            ),
            (
                "0 8 * * mon,wed",
                at(2026, 11, 27, 9, 0),
                at(2026, 11, 30, 8, 0),
            ),
            ("15 3 1 * *", at(2026, 11, 27, 9, 0), at(2026, 12, 1, 3, 15)),
            ("@hourly", at(2026, 11, 27, 9, 10), at(2026, 11, 27, 10, 0)),
        ];
        for (expr, from, want) in cases {
            let s = Schedule::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
            assert_eq!(s.next_after(*from), Some(*want), "{expr}");
        }
    }

    #[test]
    fn malformed_expressions_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            ("* * * *", "expected 5 fields"),
            ("0 0 * * * *", "expected 5 fields"),
            ("61 * * * *", "is not a cron expression"),
            ("0 8 * * 9", "is not a weekday"),
            ("0 8 * * 5-1", "runs backwards"),
            ("every hour", "expected 5 fields"),
        ];
        for (expr, want) in cases {
            let err = Schedule::parse(expr).expect_err(expr);
            assert!(err.contains(want), "{expr}: {err}");
        }
    }

    #[test]
    fn period_is_the_gap_between_firings() {
        let s = Schedule::parse("*/30 * * * *").expect("valid");
        assert_eq!(
            s.period_near(at(2026, 1, 1, 0, 0)),
            Some(chrono::Duration::minutes(30))
        );
    }
}
