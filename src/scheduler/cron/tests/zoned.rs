//! Schedules in a time zone: they fire on the local clock, a repeated local
//! time fires once, and a skipped one fires when the clock resumes.

use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;

use super::*;

#[test]
fn zoned_schedules_fire_on_the_local_clock_across_daylight_saving() {
    let weekdays8 = parse("0 8 * * 1-5");
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
            weekdays8.next_after_in(*from, &Berlin),
            Some(*want),
            "{from}"
        );
    }
    // In UTC the zoned form agrees with the plain one.
    let t = at(2026, 11, 27, 9, 0);
    assert_eq!(weekdays8.next_after_in(t, &Utc), weekdays8.next_after(t));
}

#[test]
fn a_repeated_local_time_fires_once_at_its_first_occurrence() {
    // Berlin, Sunday 25 Oct 2026: 03:00 CEST (01:00 UTC) becomes 02:00 CET, so
    // 02:30 is 00:30 UTC (CEST) and again 01:30 UTC (CET).
    let s = parse("30 2 * * *");
    let cases: &[(&str, DateTime<Utc>, DateTime<Utc>)] = &[
        (
            "the day before",
            at(2026, 10, 24, 12, 0),
            at(2026, 10, 25, 0, 30),
        ),
        (
            "after the first 02:30: tomorrow",
            at(2026, 10, 25, 0, 30),
            at(2026, 10, 26, 1, 30),
        ),
        (
            "during the repeated hour",
            at(2026, 10, 25, 1, 10),
            at(2026, 10, 26, 1, 30),
        ),
        (
            "in the second 02:30",
            at(2026, 10, 25, 1, 30),
            at(2026, 10, 26, 1, 30),
        ),
    ];
    for (what, from, want) in cases {
        assert_eq!(s.next_after_in(*from, &Berlin), Some(*want), "{what}");
    }
    // The last firing, seen from inside and after the repeated hour, is the first 02:30.
    for now in [
        at(2026, 10, 25, 0, 30),
        at(2026, 10, 25, 1, 10),
        at(2026, 10, 25, 1, 45),
        at(2026, 10, 25, 12, 0),
    ] {
        assert_eq!(
            s.last_at_or_before_in(now, &Berlin),
            Some(at(2026, 10, 25, 0, 30)),
            "{now}"
        );
    }
    assert_eq!(
        s.last_at_or_before_in(at(2026, 10, 25, 0, 29), &Berlin),
        Some(at(2026, 10, 24, 0, 30))
    );
    // New York, Sunday 1 Nov 2026: 02:00 EDT (06:00 UTC) becomes 01:00 EST.
    let s = parse("30 1 * * *");
    assert_eq!(
        s.next_after_in(at(2026, 11, 1, 0, 0), &New_York),
        Some(at(2026, 11, 1, 5, 30))
    );
    assert_eq!(
        s.next_after_in(at(2026, 11, 1, 5, 30), &New_York),
        Some(at(2026, 11, 2, 6, 30))
    );
    assert_eq!(
        s.last_at_or_before_in(at(2026, 11, 1, 6, 45), &New_York),
        Some(at(2026, 11, 1, 5, 30))
    );
}

#[test]
fn a_skipped_local_time_fires_when_the_clock_resumes() {
    // Berlin, Sunday 29 Mar 2026: 02:00 CET (01:00 UTC) becomes 03:00 CEST.
    let s = parse("30 2 * * *");
    assert_eq!(
        s.next_after_in(at(2026, 3, 28, 12, 0), &Berlin),
        Some(at(2026, 3, 29, 1, 0))
    );
    assert_eq!(
        s.next_after_in(at(2026, 3, 29, 1, 0), &Berlin),
        Some(at(2026, 3, 30, 0, 30))
    );
    assert_eq!(
        s.last_at_or_before_in(at(2026, 3, 29, 1, 0), &Berlin),
        Some(at(2026, 3, 29, 1, 0))
    );
    assert_eq!(
        s.last_at_or_before_in(at(2026, 3, 29, 0, 59), &Berlin),
        Some(at(2026, 3, 28, 1, 30))
    );
    // Every time in the skipped hour comes down to one firing, as does 03:00 itself.
    let s = parse("0,20,40 2,3 * * *");
    assert_eq!(
        s.next_after_in(at(2026, 3, 29, 0, 0), &Berlin),
        Some(at(2026, 3, 29, 1, 0))
    );
    assert_eq!(
        s.next_after_in(at(2026, 3, 29, 1, 0), &Berlin),
        Some(at(2026, 3, 29, 1, 20))
    );
    // New York, Sunday 8 Mar 2026: 02:00 EST (07:00 UTC) becomes 03:00 EDT.
    let s = parse("30 2 * * *");
    assert_eq!(
        s.next_after_in(at(2026, 3, 8, 0, 0), &New_York),
        Some(at(2026, 3, 8, 7, 0))
    );
    assert_eq!(
        s.next_after_in(at(2026, 3, 8, 7, 0), &New_York),
        Some(at(2026, 3, 9, 6, 30))
    );
}
