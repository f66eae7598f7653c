//! How the writer waits for more of a group: never when nothing is in
//! flight, and only until the last pass in flight ends.

use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::super::Message;
use super::{InFlight, Pass, Waits};

/// Far longer than any of these waits should take: a wait that runs out is
/// the bug.
const FOREVER: Duration = Duration::from_secs(60);

/// Whether a wait returned long before it could have run out.
fn cut_short(began: Instant) -> bool {
    began.elapsed() < FOREVER / 2
}

fn waits(runtime: &tokio::runtime::Runtime) -> Waits {
    Waits {
        runtime: runtime.handle().clone(),
        in_flight: InFlight::default(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .build()
        .expect("runtime")
}

fn pass(waits: &Waits) -> Pass {
    waits.in_flight.pass()
}

#[test]
fn with_no_pass_in_flight_the_group_ends_at_once() {
    let runtime = runtime();
    let waits = waits(&runtime);
    let (_tx, mut rx) = mpsc::channel::<Message>(1);
    let began = Instant::now();

    assert!(waits.next(&mut rx, FOREVER).is_none());
    assert!(cut_short(began), "waited with nothing in flight");
}

#[test]
fn a_queued_message_is_taken_whether_or_not_a_pass_is_in_flight() {
    let runtime = runtime();
    let waits = waits(&runtime);
    let (tx, mut rx) = mpsc::channel::<Message>(2);
    let (done, _) = oneshot::channel();
    tx.try_send(Message::Release(done)).expect("queued");

    assert!(matches!(
        waits.next(&mut rx, FOREVER),
        Some(Message::Release(_))
    ));

    let _pass = pass(&waits);
    let (done, _) = oneshot::channel();
    tx.try_send(Message::Release(done)).expect("queued");
    assert!(matches!(
        waits.next(&mut rx, FOREVER),
        Some(Message::Release(_))
    ));
}

#[test]
fn the_wait_ends_when_the_last_pass_in_flight_ends() {
    let runtime = runtime();
    let waits = waits(&runtime);
    let (_tx, mut rx) = mpsc::channel::<Message>(1);
    let first = pass(&waits);
    let second = pass(&waits);
    let ended = std::thread::spawn(move || {
        drop(first);
        std::thread::sleep(Duration::from_millis(100));
        let ended = Instant::now();
        drop(second);
        ended
    });

    let began = Instant::now();
    let none = waits.next(&mut rx, FOREVER);
    let woke = Instant::now();

    assert!(none.is_none());
    assert!(cut_short(began), "waited on after the last pass ended");
    let ended = ended.join().expect("the passes end");
    assert!(woke >= ended, "woke before the last pass ended");
}

#[test]
fn a_write_queued_by_the_last_pass_as_it_ends_is_still_taken() {
    let runtime = runtime();
    let waits = waits(&runtime);
    let (tx, mut rx) = mpsc::channel::<Message>(1);
    let last = pass(&waits);
    let ends = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        let (done, _) = oneshot::channel();
        tx.try_send(Message::Release(done)).expect("queued");
        drop(last);
    });

    let message = waits.next(&mut rx, FOREVER);

    ends.join().expect("the pass ends");
    assert!(matches!(message, Some(Message::Release(_))));
}

#[test]
fn a_pass_in_flight_that_queues_nothing_holds_the_group_open_only_for_the_wait() {
    let runtime = runtime();
    let waits = waits(&runtime);
    let (_tx, mut rx) = mpsc::channel::<Message>(1);
    let _pass = pass(&waits);
    let began = Instant::now();

    assert!(waits.next(&mut rx, Duration::from_millis(30)).is_none());
    assert!(began.elapsed() >= Duration::from_millis(30));
}
