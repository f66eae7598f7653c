//! Tables of schedules and the times crontab fires them, and the messages bad
//! ones get; the daylight-saving rule is `tests/zoned.rs`.

use chrono::TimeZone;
use chrono_tz::Europe::Berlin;

use super::*;

mod zoned;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid time")
}

fn parse(expr: &str) -> Schedule {
    Schedule::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"))
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
            "*/30 * * * *",
            at(2026, 11, 27, 10, 30),
            at(2026, 11, 27, 11, 0),
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
            "0 8 * * 5-7",
            at(2026, 11, 28, 9, 0),
            at(2026, 11, 29, 8, 0),
        ),
        (
            "0 8 * * mon,wed",
            at(2026, 11, 27, 9, 0),
            at(2026, 11, 30, 8, 0),
        ),
        (
            "0 8 * * Sat-SUN",
            at(2026, 11, 27, 9, 0),
            at(2026, 11, 28, 8, 0),
        ),
        (
            "0 8 * * 6-0",
            at(2026, 11, 28, 9, 0),
            at(2026, 11, 29, 8, 0),
        ),
        (
            "0 8 * * 0-0",
            at(2026, 11, 27, 9, 0),
            at(2026, 11, 29, 8, 0),
        ),
        (
            "0 8 * * sun-sun",
            at(2026, 11, 29, 9, 0),
            at(2026, 12, 6, 8, 0),
        ),
        ("0 8 * * ?", at(2026, 11, 27, 9, 0), at(2026, 11, 28, 8, 0)),
        ("15 3 1 * *", at(2026, 11, 27, 9, 0), at(2026, 12, 1, 3, 15)),
        ("0 0 1 jan *", at(2026, 11, 27, 9, 0), at(2027, 1, 1, 0, 0)),
        (
            "0 0 1 mar-may *",
            at(2026, 11, 27, 9, 0),
            at(2027, 3, 1, 0, 0),
        ),
        ("0 0 1 */5 *", at(2026, 11, 27, 9, 0), at(2027, 1, 1, 0, 0)),
        (
            "5,10-12,40-50/5 * * * *",
            at(2026, 11, 27, 9, 10),
            at(2026, 11, 27, 9, 11),
        ),
        (
            "5,10-12,40-50/5 * * * *",
            at(2026, 11, 27, 9, 12),
            at(2026, 11, 27, 9, 40),
        ),
        (
            "5,10-12,40-50/5 * * * *",
            at(2026, 11, 27, 9, 50),
            at(2026, 11, 27, 10, 5),
        ),
        (
            "10/20 * * * *",
            at(2026, 11, 27, 9, 50),
            at(2026, 11, 27, 10, 10),
        ),
        (
            "0 22/3 * * *",
            at(2026, 11, 27, 22, 0),
            at(2026, 11, 28, 22, 0),
        ),
        (
            "59 23 31 12 *",
            at(2026, 11, 27, 9, 0),
            at(2026, 12, 31, 23, 59),
        ),
        ("0 0 29 2 *", at(2026, 11, 27, 9, 0), at(2028, 2, 29, 0, 0)),
        // Seconds past a firing minute: the next minute that fires.
        (
            "* * * * *",
            at(2026, 11, 27, 9, 0) + chrono::Duration::seconds(30),
            at(2026, 11, 27, 9, 1),
        ),
        ("@hourly", at(2026, 11, 27, 9, 10), at(2026, 11, 27, 10, 0)),
        ("@daily", at(2026, 11, 27, 9, 10), at(2026, 11, 28, 0, 0)),
        ("@midnight", at(2026, 11, 27, 9, 10), at(2026, 11, 28, 0, 0)),
        ("@weekly", at(2026, 11, 27, 9, 10), at(2026, 11, 29, 0, 0)),
        ("@monthly", at(2026, 11, 27, 9, 10), at(2026, 12, 1, 0, 0)),
        ("@yearly", at(2026, 11, 27, 9, 10), at(2027, 1, 1, 0, 0)),
        ("@annually", at(2026, 11, 27, 9, 10), at(2027, 1, 1, 0, 0)),
    ];
    for (expr, from, want) in cases {
        assert_eq!(
            parse(expr).next_after(*from),
            Some(*want),
            "{expr} after {from}"
        );
    }
}

#[test]
fn a_day_fires_when_either_day_field_matches_if_both_are_restricted() {
    // Vixie cron: `0 8 1,15 * 1` is 08:00 on the 1st, the 15th, and every Monday.
    // 2026-11-30 and 2026-12-07 are Mondays; 2026-12-01 a Tuesday.
    let cases: &[(&str, DateTime<Utc>, DateTime<Utc>)] = &[
        (
            "0 8 1,15 * 1",
            at(2026, 11, 27, 9, 0),
            at(2026, 11, 30, 8, 0),
        ),
        (
            "0 8 1,15 * 1",
            at(2026, 11, 30, 9, 0),
            at(2026, 12, 1, 8, 0),
        ),
        ("0 8 1,15 * 1", at(2026, 12, 1, 9, 0), at(2026, 12, 7, 8, 0)),
        (
            "0 8 1,15 * 1",
            at(2026, 12, 14, 9, 0),
            at(2026, 12, 15, 8, 0),
        ),
        (
            "0 8 1,15 * mon",
            at(2026, 11, 27, 9, 0),
            at(2026, 11, 30, 8, 0),
        ),
        // Within the months named only.
        ("0 8 1 feb 1", at(2026, 11, 27, 9, 0), at(2027, 2, 1, 8, 0)),
        ("0 8 1 feb 1", at(2027, 2, 1, 9, 0), at(2027, 2, 8, 8, 0)),
        // One field `*`: only the other counts.
        (
            "0 8 1,15 * *",
            at(2026, 11, 27, 9, 0),
            at(2026, 12, 1, 8, 0),
        ),
        ("0 8 * * 1", at(2026, 11, 30, 9, 0), at(2026, 12, 7, 8, 0)),
        ("0 8 ? * 1", at(2026, 11, 30, 9, 0), at(2026, 12, 7, 8, 0)),
        // A field starting with `*` counts as unrestricted, as in Vixie cron:
        // then both must match: odd days that are Mondays (in 2026-12: the 7th and 21st),
        // the 1st when it is a Sunday.
        ("0 8 */2 * 1", at(2026, 11, 30, 9, 0), at(2026, 12, 7, 8, 0)),
        ("0 8 */2 * 1", at(2026, 12, 7, 9, 0), at(2026, 12, 21, 8, 0)),
        ("0 8 1 * */7", at(2026, 11, 27, 9, 0), at(2027, 8, 1, 8, 0)),
    ];
    for (expr, from, want) in cases {
        assert_eq!(
            parse(expr).next_after(*from),
            Some(*want),
            "{expr} after {from}"
        );
    }
}

#[test]
fn malformed_expressions_name_the_field_and_the_token() {
    let cases: &[(&str, &str)] = &[
        (
            "61 * * * *",
            "`61 * * * *` is not a cron expression: minute `61` is out of range 0–59",
        ),
        (
            "0 24 * * *",
            "`0 24 * * *` is not a cron expression: hour `24` is out of range 0–23",
        ),
        ("0 0 0 * *", "day-of-month `0` is out of range 1–31"),
        ("0 0 32 * *", "day-of-month `32` is out of range 1–31"),
        ("0 0 * 13 *", "month `13` is out of range 1–12"),
        ("0 8 * * 8", "day-of-week `8` is out of range 0–7"),
        ("0-60 * * * *", "minute `60` is out of range 0–59"),
        (
            "99999999999999999999 * * * *",
            "minute `99999999999999999999` is out of range 0–59",
        ),
        (
            "*/0 * * * *",
            "minute step `0` in `*/0` is out of range 1–60",
        ),
        (
            "0 */25 * * *",
            "hour step `25` in `*/25` is out of range 1–24",
        ),
        ("*/x * * * *", "minute step `x` in `*/x` is not a number"),
        ("*/ * * * *", "minute step `` in `*/` is not a number"),
        (
            "5-2 * * * *",
            "minute range `5-2` runs backwards (write it as a list, e.g. `5-59,0-2`)",
        ),
        ("0 8 * * 5-1", "day-of-week range `5-1` runs backwards"),
        (
            "0 8 * * fri-mon",
            "day-of-week range `fri-mon` runs backwards (write it as a list, e.g. `5-7,0-1`)",
        ),
        (
            "0 22-2 * * *",
            "hour range `22-2` runs backwards (write it as a list, e.g. `22-23,0-2`)",
        ),
        (
            "0 0 * 12-1 *",
            "month range `12-1` runs backwards (write it as a list, e.g. `12,1`)",
        ),
        ("-5 * * * *", "minute `-5` is not a range (write `N-M`)"),
        (
            "1-2-3 * * * *",
            "minute `1-2-3` is not a range (write `N-M`)",
        ),
        (
            "0 8 * * mun",
            "day-of-week `mun` is not a day name (sun–sat) or a number 0–7",
        ),
        (
            "0 8 * jam *",
            "month `jam` is not a month name (jan–dec) or a number 1–12",
        ),
        (
            "0 8 * * monday",
            "day-of-week `monday` is not a day name (sun–sat)",
        ),
        ("mon 8 * * *", "minute `mon` is not a number (0–59)"),
        ("0 8 L * *", "day-of-month `L` is not a number (1–31)"),
        ("? 8 * * *", "minute `?` is not a number (0–59)"),
        (
            "0,,5 * * * *",
            "minute `0,,5` has an empty item in its list",
        ),
        (
            "0 8 * * 1,",
            "day-of-week `1,` has an empty item in its list",
        ),
        ("0 8 * * ,", "day-of-week `,` has an empty item in its list"),
        (
            "* * * *",
            "`* * * *` is not a cron expression: expected 5 fields (minute hour day-of-month month day-of-week), found 4",
        ),
        ("0 0 * * * *", "expected 5 fields"),
        ("", "found 0"),
        ("every hour", "expected 5 fields"),
        ("@reboot", "unknown shortcut `@reboot`"),
        ("@every 5m", "unknown shortcut `@every 5m`"),
        (
            "0 0 30 2 *",
            "`0 0 30 2 *` never fires: no month in `2` has a day in `30`",
        ),
        ("0 0 31 apr,jun *", "never fires"),
        ("0 0 31 2 */2", "never fires"),
    ];
    for (expr, want) in cases {
        let err = Schedule::parse(expr).expect_err(expr);
        assert!(err.contains(want), "{expr}:\n got: {err}\nwant: {want}");
    }
}

#[test]
fn restricted_days_that_need_the_other_field_still_fire() {
    // With day-of-week restricted too, the 30th of February is no obstacle:
    // Mondays in February fire.
    let s = parse("0 0 30 2 1");
    assert_eq!(
        s.next_after(at(2026, 11, 27, 0, 0)),
        Some(at(2027, 2, 1, 0, 0))
    );
    // The 29th of February on a Sunday is rare, but it comes (2032-02-29).
    let s = parse("0 0 29 2 */7");
    assert_eq!(
        s.next_after(at(2026, 11, 27, 0, 0)),
        Some(at(2032, 2, 29, 0, 0))
    );
}

#[test]
fn the_last_firing_collapses_missed_ones() {
    let daily8 = parse("0 8 * * *");
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
            daily8.last_at_or_before_in(*now, &Berlin),
            Some(*want),
            "{now}"
        );
    }
    let s = parse("0 8 1 feb *");
    assert_eq!(
        s.last_at_or_before_in(at(2026, 11, 26, 0, 0), &Utc),
        Some(at(2026, 2, 1, 8, 0))
    );
}

#[test]
fn period_is_the_gap_between_firings() {
    let s = parse("*/30 * * * *");
    assert_eq!(
        s.period_near(at(2026, 1, 1, 0, 0)),
        Some(chrono::Duration::minutes(30))
    );
}

#[test]
fn the_ends_of_time_give_no_firing_rather_than_a_panic() {
    let s = parse("*/5 * * * *");
    for t in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
        let _ = s.next_after(t);
        let _ = s.next_after_in(t, &Berlin);
        let _ = s.last_at_or_before_in(t, &Berlin);
        let _ = s.last_at_or_before_in(t, &Utc);
        let _ = s.period_near(t);
    }
    assert_eq!(s.next_after(DateTime::<Utc>::MAX_UTC), None);
}
