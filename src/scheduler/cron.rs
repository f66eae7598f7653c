//! Five-field cron schedules (`"*/30 * * * *"`), read as crontab reads them:
//! weekdays 0–7 with 0 and 7 both Sunday, month and day names, ranges, steps,
//! lists, the `@daily` family, and Vixie cron's day rule (when neither
//! day-of-month nor day-of-week starts with `*`, a day matching *either* fires).
//! Sources are scheduled in UTC; digests in the notifier's time zone
//! ([`Schedule::next_after_in`]), so "0 8 * * 1-5" means 08:00 on the user's
//! clock in summer and in winter.
//!
//! Hand-written rather than wrapping a cron crate: errors must name the field
//! and the token the user wrote, which means parsing every field here anyway;
//! once parsed, matching is a few bit tests, and the daylight-saving rule we
//! need (a time that happens twice fires once, at the first; a time the clock
//! skips fires when the clock resumes) is not what the crates do.

use std::fmt;
use std::str::FromStr;

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc,
};

use self::field::{DAY, HOUR, MINUTE, MONTH, WEEKDAY};

mod field;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

/// A parsed schedule that remembers how the user wrote it.
#[derive(Clone)]
pub struct Schedule {
    text: String,
    spec: Spec,
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
    /// (`@hourly`, `@daily`/`@midnight`, `@weekly`, `@monthly`, `@yearly`/`@annually`).
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let text = s.trim().to_string();
        let not_cron = |e: String| format!("`{text}` is not a cron expression: {e}");
        let expanded = match text.to_ascii_lowercase().as_str() {
            "@hourly" => "0 * * * *",
            "@daily" | "@midnight" => "0 0 * * *",
            "@weekly" => "0 0 * * 0",
            "@monthly" => "0 0 1 * *",
            "@yearly" | "@annually" => "0 0 1 1 *",
            t if t.starts_with('@') => {
                return Err(not_cron(format!(
                    "unknown shortcut `{text}` (known: @hourly, @daily, @midnight, @weekly, \
                     @monthly, @yearly, @annually)"
                )));
            }
            _ => text.as_str(),
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = fields[..] else {
            return Err(not_cron(format!(
                "expected 5 fields (minute hour day-of-month month day-of-week), found {}",
                fields.len()
            )));
        };
        let spec = Spec {
            minutes: MINUTE.parse(minute).map_err(not_cron)?,
            hours: HOUR.parse(hour).map_err(not_cron)?,
            days: DAY.parse(day).map_err(not_cron)?,
            months: MONTH.parse(month).map_err(not_cron)?,
            // Bit 7 (crontab's second Sunday) is Sunday, bit 0.
            weekdays: {
                let w = WEEKDAY.parse(weekday).map_err(not_cron)?;
                (w | w >> 7) & 0x7f
            },
            any_day: day.starts_with(['*', '?']),
            any_weekday: weekday.starts_with(['*', '?']),
        };
        if (spec.any_day || spec.any_weekday)
            && !(1..=12)
                .any(|m| spec.months & (1 << m) != 0 && spec.days & days_upto(max_day(m)) != 0)
        {
            return Err(format!(
                "`{text}` never fires: no month in `{month}` has a day in `{day}`"
            ));
        }
        let schedule = Schedule { text, spec };
        // The check above is the whole rule; this one guards the search's bound.
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        if schedule.next_after(epoch).is_none() {
            return Err(format!("`{}` never fires", schedule.text));
        }
        Ok(schedule)
    }

    /// The first time strictly after `t` that the schedule fires.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_after_in(t, &Utc)
    }

    /// The first time strictly after `t` that the schedule fires, reading the
    /// fields as wall-clock time in `tz`. A local time that happens twice (the
    /// autumn change) fires once, at its first occurrence; one the clock skips
    /// (the spring change) fires at the first instant after the gap, once
    /// however many skipped times the schedule names.
    pub fn next_after_in<Z: TimeZone>(&self, t: DateTime<Utc>, tz: &Z) -> Option<DateTime<Utc>> {
        // Firing times are a non-decreasing function of their local time, and
        // `t`'s own local time maps to `t` or (in a repeated hour) before it: so
        // walk local times forward from there until one lands after `t`. Only
        // times inside a repeated hour or a gap can land at or before `t`.
        let mut local = local_time(tz, t)?;
        for _ in 0..MAX_SKIPPED {
            local = self.spec.next_local(local)?;
            let at = instant(tz, local)?;
            if at > t {
                return Some(at);
            }
        }
        None
    }

    /// The last time at or before `t` that the schedule fired, reading the fields
    /// as wall-clock time in `tz` (the same instants as [`Self::next_after_in`]):
    /// several firings missed in a row count as one.
    pub fn last_at_or_before_in<Z: TimeZone>(
        &self,
        t: DateTime<Utc>,
        tz: &Z,
    ) -> Option<DateTime<Utc>> {
        // In the second pass of a repeated hour, local times later than `t`'s
        // own fired (in the first pass) before `t`: start as far ahead as the
        // clock went back during the last day.
        let offset = |u: DateTime<Utc>| tz.offset_from_utc_datetime(&u.naive_utc()).fix();
        let back = t
            .checked_sub_signed(chrono::Duration::hours(26))
            .map_or(0, |day_before| {
                (offset(day_before).local_minus_utc() - offset(t).local_minus_utc()).max(0)
            });
        let mut local =
            local_time(tz, t)?.checked_add_signed(chrono::Duration::seconds(i64::from(back)))?;
        for _ in 0..MAX_SKIPPED {
            local = self.spec.last_local(local)?;
            let at = instant(tz, local)?;
            if at <= t {
                return Some(at);
            }
            local = local.checked_sub_signed(chrono::Duration::minutes(1))?;
        }
        None
    }

    /// The schedule's period around `t`: the gap between its next two firings.
    pub fn period_near(&self, t: DateTime<Utc>) -> Option<chrono::Duration> {
        let a = self.next_after(t)?;
        let b = self.next_after(a)?;
        Some(b - a)
    }

    /// The expression as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// How many schedule times at or before the start a search may pass over: a
/// repeated stretch of local time holds at most a day of minutes.
const MAX_SKIPPED: usize = 2 * 1440 + 2;

/// How far ahead a search looks before deciding a schedule never fires: a
/// whole Gregorian cycle, so `0 0 29 2 *` is found, and `0 0 29 2 */7` (the
/// 29th of February when it is a Sunday) too.
const MAX_YEARS: i32 = 401;

/// A schedule's fields as sets of values (bit `v` set when `v` matches).
#[derive(Clone, Copy, Debug)]
struct Spec {
    minutes: u64,
    hours: u64,
    /// Bits 1–31.
    days: u64,
    /// Bits 1–12.
    months: u64,
    /// Bits 0–6, Sunday 0.
    weekdays: u64,
    /// Day-of-month starts with `*`: only day-of-week restricts the day.
    any_day: bool,
    /// Day-of-week starts with `*`: only day-of-month restricts the day.
    any_weekday: bool,
}

impl Spec {
    /// Whether the schedule fires on `date` (at some time of its day).
    fn on(&self, date: NaiveDate) -> bool {
        let day = self.days & (1 << date.day()) != 0;
        let weekday = self.weekdays & (1 << date.weekday().num_days_from_sunday()) != 0;
        // Vixie cron's rule: with both fields restricted, either may match.
        let day_ok = if self.any_day || self.any_weekday {
            day && weekday
        } else {
            day || weekday
        };
        self.months & (1 << date.month()) != 0 && day_ok
    }

    /// The first minute of the day (counted from midnight) at or after `from` that fires.
    fn first_minute_from(&self, from: u32) -> Option<u32> {
        (from / 60..24).find_map(|h| {
            if self.hours & (1 << h) == 0 {
                return None;
            }
            let start = if h == from / 60 { from % 60 } else { 0 };
            let rest = self.minutes & (u64::MAX << start);
            (rest != 0).then(|| h * 60 + rest.trailing_zeros())
        })
    }

    /// The last minute of the day at or before `to` that fires.
    fn last_minute_to(&self, to: u32) -> Option<u32> {
        (0..=to / 60).rev().find_map(|h| {
            if self.hours & (1 << h) == 0 {
                return None;
            }
            let end = if h == to / 60 { to % 60 } else { 59 };
            let upto = self.minutes & (u64::MAX >> (63 - end));
            (upto != 0).then(|| h * 60 + 63 - upto.leading_zeros())
        })
    }

    /// The first local time that fires in a minute after the one `after` falls in.
    fn next_local(&self, after: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut date = after.date();
        let mut from = after.hour() * 60 + after.minute() + 1;
        let limit = date.year().checked_add(MAX_YEARS)?;
        while date.year() <= limit {
            if self.months & (1 << date.month()) == 0 {
                // Skip the month.
                date = date.with_day(1)?.checked_add_months(Months::new(1))?;
                from = 0;
                continue;
            }
            if self.on(date)
                && let Some(m) = self.first_minute_from(from)
            {
                return date.and_hms_opt(m / 60, m % 60, 0);
            }
            date = date.succ_opt()?;
            from = 0;
        }
        None
    }

    /// The last local time that fires at or before the minute `at` falls in.
    fn last_local(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut date = at.date();
        let mut to = Some(at.hour() * 60 + at.minute());
        let limit = date.year().checked_sub(MAX_YEARS)?;
        while date.year() >= limit {
            if self.months & (1 << date.month()) == 0 {
                // Skip to the last day of the month before.
                date = date.with_day(1)?.pred_opt()?;
                to = None;
                continue;
            }
            if self.on(date)
                && let Some(m) = self.last_minute_to(to.unwrap_or(24 * 60 - 1))
            {
                return date.and_hms_opt(m / 60, m % 60, 0);
            }
            date = date.pred_opt()?;
            to = None;
        }
        None
    }
}

/// The wall-clock time in `tz` at `t`, if the calendar reaches it (not at
/// the very ends of time, where `with_timezone` would panic).
fn local_time<Z: TimeZone>(tz: &Z, t: DateTime<Utc>) -> Option<NaiveDateTime> {
    let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc().checked_add_offset(offset)
}

/// The instant a schedule time in local time `local` fires: the first of two
/// when the clock shows it twice, and the instant the clock resumes when it
/// skips it.
fn instant<Z: TimeZone>(tz: &Z, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.with_timezone(&Utc).min(b.with_timezone(&Utc))),
        LocalResult::None => {
            // In a gap: the first local minute after it is when the clock
            // resumed (real transitions fall on whole minutes).
            let mut later = local;
            for _ in 0..MAX_SKIPPED {
                later = later.checked_add_signed(chrono::Duration::minutes(1))?;
                match tz.from_local_datetime(&later) {
                    LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
                    LocalResult::Ambiguous(a, b) => {
                        return Some(a.with_timezone(&Utc).min(b.with_timezone(&Utc)));
                    }
                    LocalResult::None => {}
                }
            }
            None
        }
    }
}

/// The number of days month `m` can have (February: 29).
fn max_day(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Bits 1 to `n`.
fn days_upto(n: u32) -> u64 {
    (u64::MAX >> (63 - n)) & !1
}
