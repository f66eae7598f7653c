use super::*;
use chrono::TimeZone;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0)
        .single()
        .expect("valid")
}

fn state(last: DateTime<Utc>, fails: u32) -> SourceState {
    SourceState {
        name: "s".into(),
        kind: "feed".into(),
        validators: Default::default(),
        last_attempt_at: Some(last),
        last_success_at: None,
        last_status: None,
        last_error: None,
        fail_count: fails,
        failed_status: None,
        retry_after: None,
        fetch_count: 1,
        last_new: 0,
        last_updated: 0,
        last_unchanged: 0,
    }
}

fn answered(last: DateTime<Utc>, fails: u32, status: u16, retry_after: Option<u64>) -> SourceState {
    SourceState {
        failed_status: Some(status),
        retry_after: retry_after.map(Duration::from_secs),
        ..state(last, fails)
    }
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let (b, c) = (Duration::from_secs(60), Duration::from_secs(600));
    let got: Vec<u64> = (0..7).map(|f| backoff(b, c, f).as_secs()).collect();
    assert_eq!(got, [0, 60, 120, 240, 480, 600, 600]);
    assert_eq!(backoff(b, c, u32::MAX), c);
    assert_eq!(backoff(Duration::MAX, Duration::MAX, 40), Duration::MAX);
}

type Case = (
    &'static str,
    Option<SourceState>,
    DateTime<Utc>,
    DateTime<Utc>,
);

fn check(schedule: &str, cases: &[Case]) {
    let schedule = Schedule::parse(schedule).expect("valid");
    let retry = (Duration::from_secs(60), Duration::from_secs(6 * 3600));
    let j = Duration::from_secs(90);
    for (what, st, now, want) in cases {
        assert_eq!(
            next_due(&schedule, st.as_ref(), *now, j, retry),
            *want,
            "{what}"
        );
    }
}

fn secs(s: i64) -> chrono::Duration {
    chrono::Duration::seconds(s)
}

#[test]
fn due_times_follow_cron_jitter_and_backoff() {
    check(
        "*/30 * * * *",
        &[
            ("never fetched: now", None, at(10, 5), at(10, 5)),
            (
                "next tick plus jitter",
                Some(state(at(10, 0), 0)),
                at(10, 5),
                at(10, 31) + secs(30),
            ),
            (
                "missed while down: now",
                Some(state(at(7, 0), 0)),
                at(10, 5),
                at(10, 5),
            ),
            (
                "one failure: after the backoff",
                Some(state(at(10, 0), 1)),
                at(10, 0),
                at(10, 2) + secs(30),
            ),
            (
                "many failures: never later than the next tick",
                Some(state(at(10, 0), 8)),
                at(10, 5),
                at(10, 31) + secs(30),
            ),
        ],
    );
}

#[test]
fn a_failed_daily_source_is_retried_after_the_backoff_not_tomorrow() {
    check(
        "0 8 * * *",
        &[
            (
                "first failure: retry_base",
                Some(state(at(8, 0), 1)),
                at(8, 0),
                at(8, 2) + secs(30),
            ),
            (
                "third failure: 4 × retry_base",
                Some(state(at(8, 0), 3)),
                at(8, 0),
                at(8, 5) + secs(30),
            ),
            (
                "many failures: retry_max",
                Some(state(at(8, 0), 40)),
                at(8, 0),
                at(14, 1) + secs(30),
            ),
            (
                "a success waits for tomorrow",
                Some(state(at(8, 0), 0)),
                at(8, 0),
                at(8, 1) + secs(30) + chrono::Duration::days(1),
            ),
        ],
    );
}

#[test]
fn retry_after_is_honoured_within_retry_max_and_permanent_answers_wait_long() {
    check(
        "*/30 * * * *",
        &[
            (
                "503 with Retry-After 2h: past the next tick",
                Some(answered(at(10, 0), 1, 503, Some(7200))),
                at(10, 0),
                at(12, 0),
            ),
            (
                "429 with Retry-After 10s: the backoff is longer",
                Some(answered(at(10, 0), 1, 429, Some(10))),
                at(10, 0),
                at(10, 2) + secs(30),
            ),
            (
                "Retry-After of a year: clamped to retry_max",
                Some(answered(at(10, 0), 1, 429, Some(365 * 86_400))),
                at(10, 0),
                at(16, 0),
            ),
            (
                "404: retry_max, not every tick",
                Some(answered(at(10, 0), 1, 404, None)),
                at(10, 0),
                at(16, 1) + secs(30),
            ),
            (
                "410 even on the first failure",
                Some(answered(at(10, 0), 1, 410, None)),
                at(10, 0),
                at(16, 1) + secs(30),
            ),
            (
                "500 is transient",
                Some(answered(at(10, 0), 1, 500, None)),
                at(10, 0),
                at(10, 2) + secs(30),
            ),
        ],
    );
}

#[test]
fn huge_delays_saturate_instead_of_panicking() {
    let daily = Schedule::parse("0 8 * * *").expect("valid");
    let huge = (Duration::MAX, Duration::MAX);
    let st = answered(at(8, 0), 3, 404, Some(u64::MAX));
    let due = next_due(&daily, Some(&st), at(8, 0), Duration::MAX, huge);
    assert_eq!(due, DateTime::<Utc>::MAX_UTC);
    let st = answered(at(8, 0), 3, 503, Some(u64::MAX));
    let due = next_due(&daily, Some(&st), at(8, 0), Duration::ZERO, huge);
    assert_eq!(
        due,
        DateTime::<Utc>::MAX_UTC,
        "Retry-After clamped to a huge cap"
    );
}

#[test]
fn jitter_never_exceeds_a_quarter_period() {
    let every_minute = Schedule::parse("* * * * *").expect("valid");
    let hourly = Schedule::parse("0 * * * *").expect("valid");
    let j = Duration::from_secs(120);
    assert_eq!(
        jitter_cap(&every_minute, j, at(1, 0)),
        Duration::from_secs(15)
    );
    assert_eq!(jitter_cap(&hourly, j, at(1, 0)), j);
    for _ in 0..100 {
        assert!(draw_jitter(Duration::from_secs(15)) < Duration::from_secs(15));
    }
}
