//! Five-field cron schedules (`"*/30 * * * *"`), as crontab users write them,
//! on top of the `cron` crate (which wants a seconds field and numbers weekdays
//! 1–7 from Sunday, where crontab numbers them 0–7 with 0 and 7 both Sunday).
//! Sources are scheduled in UTC; digests in the notifier's time zone
//! ([`Schedule::next_after_in`]), so "0 8 * * 1-5" means 08:00 on the user's clock
//! in summer and in winter.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeZone, Utc};

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

    /// The first time strictly after `t` that the schedule fires, reading the
    /// fields as wall-clock time in `tz`. A time skipped by a daylight-saving
    /// jump does not fire; one that happens twice fires at its first occurrence.
    pub fn next_after_in<Z: TimeZone>(&self, t: DateTime<Utc>, tz: &Z) -> Option<DateTime<Utc>> {
        let local = t.with_timezone(tz);
        let mut it = self.inner.after(&local);
        let first = it.next()?;
        Some(first.with_timezone(&Utc))
    }

    /// The last time at or before `t` that the schedule fired, reading the fields
    /// as wall-clock time in `tz`: several firings missed in a row count as one.
    pub fn last_at_or_before_in<Z: TimeZone>(
        &self,
        t: DateTime<Utc>,
        tz: &Z,
    ) -> Option<DateTime<Utc>> {
        // Firings fall on whole seconds; the iterator looks strictly before its start.
        let local = (t + chrono::Duration::seconds(1)).with_timezone(tz);
        self.inner
            .after(&local)
            .next_back()
            .map(|p| p.with_timezone(&Utc))
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
    fn zoned_schedules_fire_on_the_local_clock_across_daylight_saving() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
        let weekdays8 = Schedule::parse("0 8 * * 1-5").expect("valid");
        // (from, next firing in UTC): CET is UTC+1, CEST is UTC+2.
        let cases: &[(DateTime<Utc>, DateTime<Utc>)] = &[
            // Friday 27 Nov 2026, 09:00 UTC = 10:00 CET: next is Monday 08:00 CET.
            (at(2026, 11, 27, 9, 0), at(2026, 11, 30, 7, 0)),
            // Friday 27 Nov 2026, 06:30 UTC = 07:30 CET: today 08:00 CET.
            (at(2026, 11, 27, 6, 30), at(2026, 11, 27, 7, 0)),
            // Summer: Monday 6 Jul 2026 05:00 UTC = 07:00 CEST: 08:00 CEST = 06:00 UTC.
            (at(2026, 7, 6, 5, 0), at(2026, 7, 6, 6, 0)),
            // Clocks go forward on Sunday 29 Mar 2026: Monday 08:00 is CEST.
            (at(2026, 3, 27, 9, 0), at(2026, 3, 30, 6, 0)),
        ];
        for (from, want) in cases {
            assert_eq!(
                weekdays8.next_after_in(*from, &berlin),
                Some(*want),
                "{from}"
            );
        }
        // In UTC the zoned form agrees with the plain one.
        let t = at(2026, 11, 27, 9, 0);
        assert_eq!(weekdays8.next_after_in(t, &Utc), weekdays8.next_after(t));
    }

    #[test]
    fn the_last_firing_collapses_missed_ones() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
        let daily8 = Schedule::parse("0 8 * * *").expect("valid");
        let cases: &[(DateTime<Utc>, DateTime<Utc>)] = &[
            // Down from Monday to Thursday 12:00 CET: only Thursday's 08:00 counts.
            (at(2026, 11, 26, 11, 0), at(2026, 11, 26, 7, 0)),
            // Exactly at a firing: that firing.
            (at(2026, 11, 26, 7, 0), at(2026, 11, 26, 7, 0)),
            // Just before: the day before.
            (at(2026, 11, 26, 6, 59), at(2026, 11, 25, 7, 0)),
        ];
        for (now, want) in cases {
            assert_eq!(
                daily8.last_at_or_before_in(*now, &berlin),
                Some(*want),
                "{now}"
            );
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
