//! The deliverer's time arithmetic and its handling of a panicking send.

use chrono::TimeZone;

use super::attempt::{Attempt, retry_at};
use super::*;

#[test]
fn retry_times_round_up_to_whole_seconds() {
    let now = Utc.timestamp_opt(100, 700_000_000).single().expect("time");
    let cases: &[(u64, i64)] = &[(0, 100), (300, 101), (1000, 102), (1300, 102)];
    for (ms, want) in cases {
        let got = retry_at(now, Duration::from_millis(*ms));
        let want_t = if *ms == 0 {
            now
        } else {
            Utc.timestamp_opt(*want, 0).single().expect("t")
        };
        assert_eq!(got, want_t, "{ms} ms");
    }
}

/// A deliverer over a fresh database with one webhook notifier, and a
/// message of it claimed by the deliverer.
fn claimed(dir: &std::path::Path, max_attempts: u32) -> (Deliverer, Message) {
    let text = format!(
        "[database]\npath = \"{}\"\n[delivery]\nmax_attempts = {max_attempts}\n\n\
         [[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/\"\n",
        dir.join("d.db").display()
    );
    let config = Config::parse(&text, &dir.join("j.toml"), &|_| None).expect("config");
    let mut store = Store::open(&config.database.path).expect("store");
    let now = Utc::now();
    let id = store
        .create_messages("hook", &[Vec::new()], None, now)
        .expect("message")[0];
    let d = Deliverer::new(
        &config,
        Http::new(&config.http).expect("http"),
        std::sync::Arc::new(std::sync::Mutex::new(store)),
    );
    let m = crate::pipeline::lock(&d.store)
        .claim_message(id, &d.claimer, now, later(now, d.lease))
        .expect("claim")
        .expect("claimed");
    (d, m)
}

async fn panicking() -> Result<Attempt, StoreError> {
    panic!("renderer bug")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_whose_sending_panics_counts_a_failed_attempt_and_is_let_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (d, m) = claimed(dir.path(), 12);
    let n = d.notifiers[0].clone();
    let mut report = DeliveryReport::default();
    d.settle(&n, &m, Utc::now(), panicking(), &mut report)
        .await
        .expect("settled");
    let after = &crate::pipeline::lock(&d.store)
        .pending_messages("hook")
        .expect("pending")[0];
    assert_eq!(after.attempts, 1);
    assert_eq!(
        after.last_error.as_deref(),
        Some("internal error (panic): renderer bug")
    );
    // Its claim is released: it is retried like any failed attempt.
    let again = crate::pipeline::lock(&d.store)
        .claim_message(
            m.id,
            "another sender",
            after.next_attempt_at,
            after.next_attempt_at,
        )
        .expect("claim");
    assert!(again.is_some());

    // With no attempts left, it fails for good instead of wedging the deliverer.
    let dir = tempfile::tempdir().expect("tempdir");
    let (d, m) = claimed(dir.path(), 1);
    let mut report = DeliveryReport::default();
    d.settle(
        &d.notifiers[0].clone(),
        &m,
        Utc::now(),
        panicking(),
        &mut report,
    )
    .await
    .expect("settled");
    let mut store = crate::pipeline::lock(&d.store);
    assert!(store.pending_messages("hook").expect("pending").is_empty());
    store.retry_failed(None, Utc::now()).expect("retry by hand");
    let m = &store.pending_messages("hook").expect("pending")[0];
    assert_eq!(
        m.last_error.as_deref(),
        Some("internal error (panic): renderer bug"),
        "it was failed, with the cause"
    );
}

#[test]
fn waits_past_the_end_of_time_do_not_panic() {
    let now = Utc.timestamp_opt(100, 700_000_000).single().expect("time");
    for wait in [
        Duration::from_secs(9_000_000_000_000),
        Duration::from_secs(u64::MAX),
        Duration::MAX,
    ] {
        assert_eq!(retry_at(now, wait), DateTime::<Utc>::MAX_UTC, "{wait:?}");
    }
    let end = DateTime::<Utc>::MAX_UTC;
    assert_eq!(retry_at(end, Duration::from_millis(1)), end);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_digest_sent_by_hand_in_the_second_its_clock_started_is_still_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "[database]\npath = \"{}\"\n\n[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\n\
         url = \"http://127.0.0.1:9/\"\nschedule = \"0 8 * * *\"\nsend_empty = true\n",
        dir.path().join("d.db").display()
    );
    let config = Config::parse(&text, &dir.path().join("j.toml"), &|_| None).expect("config");
    let mut store = Store::open(&config.database.path).expect("store");
    let now = Utc
        .timestamp_opt(1_796_043_600, 400_000_000)
        .single()
        .expect("time");
    // A pass in this same second started the notifier's digest clock.
    store.digest_clock("hook", now).expect("clock");
    let d = Deliverer::new(
        &config,
        Http::new(&config.http).expect("http"),
        std::sync::Arc::new(std::sync::Mutex::new(store)),
    );
    for _ in 0..2 {
        let (made, _) = d
            .send_digest_now("hook", now)
            .await
            .expect("outbox")
            .expect("a digest notifier");
        assert_eq!(made, 1, "one (empty) digest each time");
    }
    let tick = crate::pipeline::lock(&d.store)
        .last_digest_tick("hook")
        .expect("clock")
        .expect("set");
    assert_eq!(tick.timestamp(), now.timestamp() + 2);
}
