//! The pure arithmetic of delivery: when a digest is due (with `now` passed
//! in, so tests drive the clock), how long to wait before a retry (exponential
//! backoff with jitter, at least what the receiver asked for), and how many
//! matches one message of each channel may carry.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{self, Digest, Mode, NotifierKind};
use crate::scheduler::backoff;

/// Whether a digest is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestDue {
    /// Due now: the digest of this schedule time (the latest one passed, when
    /// several were missed while the daemon was down: they make one digest).
    Now(DateTime<Utc>),
    /// The next one falls due at this time.
    At(DateTime<Utc>),
    /// The schedule never fires again.
    Never,
}

/// Whether the digest after the one of `last_tick` is due at `now`.
pub fn digest_due(d: &Digest, last_tick: DateTime<Utc>, now: DateTime<Utc>) -> DigestDue {
    let Some(next) = d.schedule.next_after_in(last_tick, &d.timezone) else {
        return DigestDue::Never;
    };
    if next > now {
        return DigestDue::At(next);
    }
    DigestDue::Now(
        d.schedule
            .last_at_or_before_in(now, &d.timezone)
            .unwrap_or(next),
    )
}

/// The wait before attempt `attempts + 1` after a transient failure:
/// `min(retry_base · 2^(attempts-1), retry_max)` plus up to a quarter of that
/// as jitter (`unit` in `[0, 1)`, drawn by the caller), so receivers that come
/// back are not hit by every sender at once; never less than `retry_after`,
/// which the receiver chose and so is held to `retry_max` (an absurd
/// `Retry-After: 9000000000000` must not park a message for ever).
pub fn retry_delay(
    policy: &config::Delivery,
    attempts: u32,
    retry_after: Option<Duration>,
    unit: f64,
) -> Duration {
    let base = backoff(policy.retry_base, policy.retry_max, attempts);
    let jitter = base.mul_f64(unit.clamp(0.0, 1.0) / 4.0);
    let asked = retry_after.unwrap_or_default().min(policy.retry_max);
    base.saturating_add(jitter).max(asked)
}

/// How many matches one message may carry, within each service's limits:
/// Slack allows 50 blocks per message (a job takes one, each alert heading
/// one, the header one), Discord 10 embeds (one per job). An immediate
/// webhook posts each match on its own, as its receivers expect. A digest
/// mail is one message however many matched: it shows at most the cap of
/// each alert and says how to see the rest.
pub fn capacity(kind: &NotifierKind, mode: &Mode) -> usize {
    match (kind, mode) {
        (NotifierKind::Webhook(_), Mode::Immediate) => 1,
        (NotifierKind::Webhook(_), Mode::Digest(_)) => 100,
        (NotifierKind::Slack(_), _) => 20,
        (NotifierKind::Discord(_), _) => 10,
        (NotifierKind::Email(_), Mode::Immediate) => 200,
        (NotifierKind::Email(_), Mode::Digest(_)) => usize::MAX,
    }
}

/// Splits ids into groups of at most `size` (at least one per group).
pub fn chunks(ids: &[i64], size: usize) -> Vec<Vec<i64>> {
    ids.chunks(size.max(1)).map(<[i64]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::scheduler::Schedule;

    fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Berlin
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn digests_fall_due_on_the_local_clock_and_missed_ones_collapse() {
        let d = Digest {
            schedule: Schedule::parse("0 8 * * 1-5").expect("valid"),
            timezone: chrono_tz::Europe::Berlin,
            send_empty: false,
            max_per_alert: 25,
        };
        // 2026-11-27 is a Friday; 2026-11-30 a Monday.
        let cases: &[(&str, DateTime<Utc>, DateTime<Utc>, DigestDue)] = &[
            (
                "before the time: wait for it",
                berlin(2026, 11, 26, 8, 0),
                berlin(2026, 11, 27, 7, 59),
                DigestDue::At(berlin(2026, 11, 27, 8, 0)),
            ),
            (
                "at the time: due",
                berlin(2026, 11, 26, 8, 0),
                berlin(2026, 11, 27, 8, 0),
                DigestDue::Now(berlin(2026, 11, 27, 8, 0)),
            ),
            (
                "the weekend is skipped",
                berlin(2026, 11, 27, 8, 0),
                berlin(2026, 11, 29, 12, 0),
                DigestDue::At(berlin(2026, 11, 30, 8, 0)),
            ),
            (
                "down Thursday to Monday noon: one digest, Monday's",
                berlin(2026, 11, 26, 8, 0),
                berlin(2026, 11, 30, 12, 0),
                DigestDue::Now(berlin(2026, 11, 30, 8, 0)),
            ),
            (
                "a fresh clock waits for the next time",
                berlin(2026, 11, 27, 9, 30),
                berlin(2026, 11, 27, 9, 31),
                DigestDue::At(berlin(2026, 11, 30, 8, 0)),
            ),
        ];
        for (what, last, now, want) in cases {
            assert_eq!(digest_due(&d, *last, *now), *want, "{what}");
        }
    }

    /// Drives `digest_due` as the deliverer does, one minute at a time from
    /// `from` to `to`, with the digest clock starting at `from`: the ticks it
    /// records, each checked to be neither in the future nor a repeat.
    fn ticks(
        expr: &str,
        zone: chrono_tz::Tz,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let d = Digest {
            schedule: Schedule::parse(expr).expect("valid"),
            timezone: zone,
            send_empty: true,
            max_per_alert: 25,
        };
        let (mut last, mut now, mut out) = (from, from, Vec::new());
        while now <= to {
            if let DigestDue::Now(tick) = digest_due(&d, last, now) {
                assert!(
                    tick <= now,
                    "{expr}: at {now} the clock would hold {tick}, in the future"
                );
                assert!(
                    tick > last,
                    "{expr}: at {now} the tick {tick} repeats or precedes {last}"
                );
                out.push(tick);
                last = tick;
            }
            now += chrono::Duration::minutes(1);
        }
        out
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn a_daily_digest_goes_out_once_a_day_across_daylight_saving_changes() {
        use chrono_tz::{America::New_York, Europe::Berlin};
        // (what, schedule, zone, from, to, the digests in between)
        type Case = (
            &'static str,
            &'static str,
            chrono_tz::Tz,
            DateTime<Utc>,
            DateTime<Utc>,
            Vec<DateTime<Utc>>,
        );
        let cases: &[Case] = &[
            (
                // 02:30 happens twice on Sunday 25 Oct 2026 (CEST, then CET): the first.
                "Berlin, autumn: the earlier 02:30, once",
                "30 2 * * *",
                Berlin,
                utc(2026, 10, 24, 0, 0),
                utc(2026, 10, 27, 0, 0),
                vec![
                    utc(2026, 10, 24, 0, 30),
                    utc(2026, 10, 25, 0, 30),
                    utc(2026, 10, 26, 1, 30),
                ],
            ),
            (
                // 02:30 does not exist on Sunday 29 Mar 2026: 03:00 CEST, when the clock resumes.
                "Berlin, spring: 03:00 on the day 02:30 is skipped",
                "30 2 * * *",
                Berlin,
                utc(2026, 3, 28, 0, 0),
                utc(2026, 3, 31, 0, 0),
                vec![
                    utc(2026, 3, 28, 1, 30),
                    utc(2026, 3, 29, 1, 0),
                    utc(2026, 3, 30, 0, 30),
                ],
            ),
            (
                // 01:30 happens twice on Sunday 1 Nov 2026 (EDT, then EST).
                "New York, autumn: the earlier 01:30, once",
                "30 1 * * *",
                New_York,
                utc(2026, 10, 31, 0, 0),
                utc(2026, 11, 3, 0, 0),
                vec![
                    utc(2026, 10, 31, 5, 30),
                    utc(2026, 11, 1, 5, 30),
                    utc(2026, 11, 2, 6, 30),
                ],
            ),
            (
                // 02:30 does not exist on Sunday 8 Mar 2026: 03:00 EDT.
                "New York, spring: 03:00 on the day 02:30 is skipped",
                "30 2 * * *",
                New_York,
                utc(2026, 3, 7, 0, 0),
                utc(2026, 3, 10, 0, 0),
                vec![
                    utc(2026, 3, 7, 7, 30),
                    utc(2026, 3, 8, 7, 0),
                    utc(2026, 3, 9, 6, 30),
                ],
            ),
            (
                // Four times inside the gap make one digest, not four.
                "Berlin, spring: times inside the gap make one digest",
                "*/15 2 * * *",
                Berlin,
                utc(2026, 3, 29, 0, 0),
                utc(2026, 3, 29, 12, 0),
                vec![utc(2026, 3, 29, 1, 0)],
            ),
            (
                // 02:00–02:45 CEST, and not again when 02:00–02:45 comes round in CET.
                "Berlin, autumn: the repeated hour fires once",
                "*/15 2 * * *",
                Berlin,
                utc(2026, 10, 24, 23, 0),
                utc(2026, 10, 25, 12, 0),
                vec![
                    utc(2026, 10, 25, 0, 0),
                    utc(2026, 10, 25, 0, 15),
                    utc(2026, 10, 25, 0, 30),
                    utc(2026, 10, 25, 0, 45),
                ],
            ),
        ];
        for (what, expr, zone, from, to, want) in cases {
            assert_eq!(&ticks(expr, *zone, *from, *to), want, "{what}");
        }
    }

    #[test]
    fn retries_back_off_exponentially_with_bounded_jitter() {
        let p = config::Delivery {
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            max_attempts: 12,
        };
        let s = |n| Duration::from_secs(n);
        let cases: &[(u32, Option<Duration>, f64, Duration)] = &[
            (1, None, 0.0, s(30)),
            (2, None, 0.0, s(60)),
            (3, None, 0.0, s(120)),
            (
                3,
                None,
                0.999_999,
                Duration::from_secs_f64(120.0 + 120.0 * 0.999_999 / 4.0),
            ),
            (20, None, 0.0, s(3600)),
            (1, Some(s(90)), 0.5, s(90)),
            (4, Some(s(90)), 0.0, s(240)),
            (1, Some(s(9_000_000_000_000)), 0.0, s(3600)),
            (1, Some(Duration::MAX), 0.9, s(3600)),
            (30, Some(Duration::MAX), 0.0, s(3600)),
        ];
        for (attempts, after, unit, want) in cases {
            assert_eq!(
                retry_delay(&p, *attempts, *after, *unit),
                *want,
                "{attempts} {after:?}"
            );
        }
        for _ in 0..100 {
            let d = retry_delay(&p, 2, None, fastrand::f64());
            assert!(d >= s(60) && d < s(75), "{d:?}");
        }
        let zero = config::Delivery {
            retry_base: Duration::ZERO,
            ..p
        };
        assert_eq!(retry_delay(&zero, 5, None, 0.9), Duration::ZERO);
    }

    #[test]
    fn chunks_respect_the_capacity() {
        let ids: Vec<i64> = (1..=25).collect();
        let sizes: Vec<usize> = chunks(&ids, 10).iter().map(Vec::len).collect();
        assert_eq!(sizes, [10, 10, 5]);
        assert!(chunks(&[], 10).is_empty());
    }
}
