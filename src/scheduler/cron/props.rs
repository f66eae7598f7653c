//! Property tests: generated schedules against an oracle written from the
//! crontab rules (man 5 crontab, Vixie cron's day rule) that steps minute by
//! minute, and arbitrary text that must never panic the parser.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Timelike, Utc};
use proptest::prelude::*;

use super::Schedule;

/// How far the oracle steps (a week and a day): a firing further away is only
/// checked to match and to have nothing before it within the window.
const WINDOW_MINUTES: i64 = 8 * 24 * 60;

/// How far the zoned oracle steps: from up to two days before a change to a
/// day after it, three days cover the change.
const ZONED_WINDOW_MINUTES: i64 = 3 * 24 * 60;

/// One list item as generated: its meaning, kept beside the text it renders to.
#[derive(Debug, Clone)]
enum Base {
    Star,
    Question,
    One(u32),
    Range(u32, u32),
}

#[derive(Debug, Clone)]
struct Item {
    base: Base,
    step: Option<u32>,
    /// Write values as names where the field has them.
    names: bool,
    upper: bool,
}

/// A field's rules, as crontab(5) states them.
#[derive(Debug, Clone, Copy)]
struct Rules {
    lo: u32,
    hi: u32,
    names: &'static [&'static str],
    question: bool,
    weekday: bool,
}

const MINUTE: Rules = Rules {
    lo: 0,
    hi: 59,
    names: &[],
    question: false,
    weekday: false,
};
const HOUR: Rules = Rules {
    lo: 0,
    hi: 23,
    ..MINUTE
};
const DAY: Rules = Rules {
    lo: 1,
    hi: 31,
    question: true,
    ..MINUTE
};
const MONTH: Rules = Rules {
    lo: 1,
    hi: 12,
    names: &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
    ..MINUTE
};
const WEEKDAY: Rules = Rules {
    lo: 0,
    hi: 7,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    question: true,
    weekday: true,
};

impl Rules {
    /// The last value `*` covers: Sunday is 0, so `*` in day-of-week is 0–6.
    fn star_hi(&self) -> u32 {
        if self.weekday { 6 } else { self.hi }
    }

    fn render_value(&self, v: u32, item: &Item) -> String {
        let name = usize::try_from(v - self.lo)
            .ok()
            .and_then(|i| self.names.get(i))
            .filter(|_| item.names);
        match name {
            Some(n) if item.upper => n.to_uppercase(),
            Some(n) => (*n).to_string(),
            None => v.to_string(),
        }
    }

    fn render(&self, items: &[Item]) -> String {
        let rendered: Vec<String> = items
            .iter()
            .map(|item| {
                let base = match item.base {
                    Base::Star => "*".to_string(),
                    Base::Question => "?".to_string(),
                    Base::One(v) => self.render_value(v, item),
                    Base::Range(a, b) => {
                        format!(
                            "{}-{}",
                            self.render_value(a, item),
                            self.render_value(b, item)
                        )
                    }
                };
                match item.step {
                    Some(s) => format!("{base}/{s}"),
                    None => base,
                }
            })
            .collect();
        rendered.join(",")
    }

    /// The values the items select: `*` is the whole field, `N-M` the values
    /// between, `/S` every S-th from the first, `N/S` from N to the end; in
    /// day-of-week, 7 is Sunday like 0.
    fn values(&self, items: &[Item]) -> Vec<bool> {
        let mut set = vec![false; 32 * 2];
        for item in items {
            let (from, to) = match item.base {
                Base::Star | Base::Question => (self.lo, self.star_hi()),
                Base::One(v) if item.step.is_some() => (v, self.star_hi().max(v)),
                Base::One(v) => (v, v),
                Base::Range(a, b) => (a, b),
            };
            let step = item.step.unwrap_or(1);
            let mut v = from;
            while v <= to {
                let v_ = if self.weekday && v == 7 { 0 } else { v };
                set[v_ as usize] = true;
                v += step;
            }
        }
        set
    }

    fn items(self) -> impl Strategy<Value = Vec<Item>> {
        let count = self.star_hi() - self.lo + 1;
        let value = self.lo..=self.hi;
        let base = prop_oneof![
            3 => Just(Base::Star),
            1 => Just(if self.question { Base::Question } else { Base::Star }),
            4 => value.clone().prop_map(Base::One),
            3 => (value.clone(), value).prop_map(|(a, b)| Base::Range(a.min(b), a.max(b))),
        ];
        let step = prop_oneof![3 => Just(None), 1 => (1..=count).prop_map(Some)];
        let item =
            (base, step, any::<bool>(), any::<bool>()).prop_map(|(base, step, names, upper)| {
                Item {
                    base,
                    step,
                    names,
                    upper,
                }
            });
        proptest::collection::vec(item, 1..=3)
    }
}

/// A generated schedule: its text and the oracle's view of it.
#[derive(Debug, Clone)]
struct Expr {
    text: String,
    minutes: Vec<bool>,
    hours: Vec<bool>,
    days: Vec<bool>,
    months: Vec<bool>,
    weekdays: Vec<bool>,
    /// Vixie cron: a day field whose text starts with `*` does not widen the
    /// other; when neither does, a day matching either field fires.
    either_day: bool,
}

impl Expr {
    fn matches(&self, t: NaiveDateTime) -> bool {
        let day = self.days[t.day() as usize];
        let weekday = self.weekdays[t.weekday().num_days_from_sunday() as usize];
        self.minutes[t.minute() as usize]
            && self.hours[t.hour() as usize]
            && self.months[t.month() as usize]
            && if self.either_day {
                day || weekday
            } else {
                day && weekday
            }
    }

    /// Whether some date the months and days name exists (29 February does).
    fn has_a_date(&self) -> bool {
        let lengths = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        self.either_day
            || (1..=12).any(|m| self.months[m] && (1..=lengths[m]).any(|d| self.days[d]))
    }
}

fn exprs() -> impl Strategy<Value = Expr> {
    (
        MINUTE.items(),
        HOUR.items(),
        DAY.items(),
        MONTH.items(),
        WEEKDAY.items(),
    )
        .prop_map(|(mi, h, d, mo, w)| {
            let texts = [
                MINUTE.render(&mi),
                HOUR.render(&h),
                DAY.render(&d),
                MONTH.render(&mo),
                WEEKDAY.render(&w),
            ];
            let starred = |s: &str| s.starts_with('*') || s.starts_with('?');
            Expr {
                either_day: !starred(&texts[2]) && !starred(&texts[4]),
                text: texts.join(" "),
                minutes: MINUTE.values(&mi),
                hours: HOUR.values(&h),
                days: DAY.values(&d),
                months: MONTH.values(&mo),
                weekdays: WEEKDAY.values(&w),
            }
        })
}

/// A time between 2000 and 2100, to the second.
fn times() -> impl Strategy<Value = DateTime<Utc>> {
    (946_684_800i64..4_102_444_800).prop_map(|s| DateTime::from_timestamp(s, 0).expect("in range"))
}

/// Any time chrono can hold, the ends included, or one between 2000 and 2100.
fn any_times() -> impl Strategy<Value = DateTime<Utc>> {
    let (min, max) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    prop_oneof![
        1 => Just(DateTime::<Utc>::MIN_UTC),
        1 => Just(DateTime::<Utc>::MAX_UTC),
        2 => (min..=max).prop_map(|s| DateTime::from_timestamp(s, 0).expect("in range")),
        4 => times(),
    ]
}

fn floor_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t - Duration::seconds(i64::from(t.second()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn any_text_parses_or_is_refused_without_panicking(text in "\\PC{0,40}", t in times()) {
        if let Ok(s) = Schedule::parse(&text) {
            prop_assert!(s.next_after(t).is_some_and(|n| n > t));
        }
    }

    #[test]
    fn any_five_fields_parse_or_are_refused_without_panicking(
        fields in proptest::collection::vec("[0-9*/,?a-zA-Z-]{1,7}", 5),
        t in any_times(),
    ) {
        let text = fields.join(" ");
        match Schedule::parse(&text) {
            Ok(s) => {
                let berlin = chrono_tz::Europe::Berlin;
                let next = s.next_after(t);
                prop_assert!(next.is_none_or(|n| n > t));
                // Away from the ends of time every valid schedule fires again.
                prop_assert!(next.is_some() || !(1..=9999).contains(&t.year()), "{text} after {t}");
                prop_assert!(s.next_after_in(t, &berlin).is_none_or(|n| n > t));
                prop_assert!(s.last_at_or_before_in(t, &berlin).is_none_or(|l| l <= t));
                prop_assert!(s.last_at_or_before_in(t, &Utc).is_none_or(|l| l <= t));
                let _ = s.period_near(t);
            }
            Err(e) => prop_assert!(e.starts_with(&format!("`{text}` ")), "{e}"),
        }
    }

    #[test]
    fn the_next_firing_is_the_first_minute_crontab_would_fire(expr in exprs(), t in times()) {
        let s = match Schedule::parse(&expr.text) {
            Ok(s) => s,
            Err(e) => {
                prop_assert!(!expr.has_a_date(), "{}: {e}", expr.text);
                prop_assert!(e.contains("never fires"), "{e}");
                return Ok(());
            }
        };
        prop_assert!(expr.has_a_date(), "{} parsed but names no date", expr.text);
        let next = s.next_after(t);
        let start = floor_minute(t);
        let oracle = (1..=WINDOW_MINUTES)
            .map(|m| start + Duration::minutes(m))
            .find(|u| expr.matches(u.naive_utc()));
        match (next, oracle) {
            (Some(n), Some(o)) => prop_assert_eq!(n, o, "{} after {}", expr.text, t),
            (Some(n), None) => {
                prop_assert!(n > start + Duration::minutes(WINDOW_MINUTES), "{} after {t}: {n}", expr.text);
                prop_assert!(expr.matches(n.naive_utc()) && n.second() == 0, "{} after {t}: {n}", expr.text);
            }
            (None, _) => prop_assert!(false, "{} after {t}: none", expr.text),
        }
        // Backwards, the same minutes.
        let last = s.last_at_or_before_in(t, &Utc);
        let oracle = (0..WINDOW_MINUTES)
            .map(|m| start - Duration::minutes(m))
            .find(|u| expr.matches(u.naive_utc()));
        if let Some(o) = oracle {
            prop_assert_eq!(last, Some(o), "{} before {}", expr.text, t);
        } else if let Some(l) = last {
            prop_assert!(l < start - Duration::minutes(WINDOW_MINUTES - 1) && expr.matches(l.naive_utc()));
        }
    }
}

/// Instants near the 2026 daylight-saving changes of Berlin and New York.
fn near_changes() -> impl Strategy<Value = (chrono_tz::Tz, DateTime<Utc>)> {
    let changes = [
        (chrono_tz::Europe::Berlin, 1_774_746_000i64), // 2026-03-29 01:00 UTC
        (chrono_tz::Europe::Berlin, 1_792_890_000),    // 2026-10-25 01:00 UTC
        (chrono_tz::America::New_York, 1_772_953_200), // 2026-03-08 07:00 UTC
        (chrono_tz::America::New_York, 1_793_512_800), // 2026-11-01 06:00 UTC
    ];
    (0..changes.len(), -2 * 86_400i64..86_400).prop_map(move |(i, d)| {
        let (tz, at) = changes[i];
        (tz, DateTime::from_timestamp(at + d, 0).expect("in range"))
    })
}

/// Whether a zoned schedule fires at instant `u` (a whole minute), by the
/// rule: at the first instant the clock shows a time that matches, and, when
/// the clock has just jumped forward over a time that matches, at the jump.
fn fires_at<Z: TimeZone>(expr: &Expr, tz: &Z, u: DateTime<Utc>) -> bool {
    let local = |v: DateTime<Utc>| v.with_timezone(tz).naive_local();
    let now = local(u);
    let before = local(u - Duration::minutes(1));
    let first_showing = tz
        .from_local_datetime(&now)
        .earliest()
        .is_some_and(|e| e.with_timezone(&Utc) == u);
    if first_showing && expr.matches(now) {
        return true;
    }
    let skipped = (1..)
        .map(|m| before + Duration::minutes(m))
        .take_while(|&l| l < now);
    now - before > Duration::minutes(1) && skipped.into_iter().any(|l| expr.matches(l))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn zoned_firings_follow_the_daylight_saving_rule(expr in exprs(), (tz, t) in near_changes()) {
        let Ok(s) = Schedule::parse(&expr.text) else { return Ok(()) };
        let start = floor_minute(t);
        let oracle = (1..=ZONED_WINDOW_MINUTES)
            .map(|m| start + Duration::minutes(m))
            .find(|&u| fires_at(&expr, &tz, u));
        let next = s.next_after_in(t, &tz);
        if let Some(o) = oracle {
            prop_assert_eq!(next, Some(o), "{} after {} in {}", expr.text, t, tz);
        }
        if let Some(n) = next {
            prop_assert!(n > t);
            prop_assert_eq!(s.last_at_or_before_in(n, &tz), Some(n), "{} at {} in {}", expr.text, n, tz);
        }
        let last = s.last_at_or_before_in(t, &tz);
        let oracle = (0..ZONED_WINDOW_MINUTES)
            .map(|m| start - Duration::minutes(m))
            .find(|&u| fires_at(&expr, &tz, u));
        if let Some(o) = oracle {
            prop_assert_eq!(last, Some(o), "{} before {} in {}", expr.text, t, tz);
        }
    }
}
