//! Keeping one fault one fault: a panic in a source's pass, in sending one
//! message, or in a long-running loop is caught where that work runs, turned
//! into that work's failure with its cause, and logged loudly; the rest of the
//! daemon goes on. A thread that must not die (the database writer) reports
//! its death, so the daemon can exit and be restarted rather than look healthy
//! while doing nothing.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// What a caught panic said.
pub fn cause(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Runs `work`; a panic in it becomes `Err(cause)`. Whatever `work` shared
/// stays consistent: the store's lock recovers from poisoning and SQLite
/// rolls back a transaction dropped mid-way.
pub async fn caught<T>(work: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .map_err(|p| cause(&*p))
}

/// Runs the loop `run` makes until it returns (it returns when `cancel`
/// fires); when it panics, logs the cause and starts it again after `pause`.
/// Returns how many times it panicked.
pub async fn supervise<F, Fut>(
    what: &str,
    pause: Duration,
    cancel: &CancellationToken,
    mut run: F,
) -> u32
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut panics = 0u32;
    loop {
        let Err(cause) = caught(run()).await else {
            return panics;
        };
        panics = panics.saturating_add(1);
        tracing::error!(task = what, %cause, restart_in_ms = pause.as_millis() as u64, panics, "PANIC: the task died; restarting it");
        tokio::select! {
            () = cancel.cancelled() => return panics,
            () = tokio::time::sleep(pause) => {}
        }
    }
}

/// A thread whose panic is reported: [`Died::wait`] completes with the cause.
#[derive(Clone)]
pub struct Died(watch::Receiver<Option<String>>);

impl Died {
    /// Completes when the thread panicked, with the cause; never when it ended normally.
    pub async fn wait(mut self) -> String {
        match self.0.wait_for(Option::is_some).await {
            Ok(cause) => cause.clone().unwrap_or_default(),
            // The thread ended without panicking: nothing to report, ever.
            Err(_) => std::future::pending().await,
        }
    }
}

/// Spawns thread `name` running `f`; its panic is logged with the cause and
/// reported through the returned [`Died`].
pub fn spawn_thread(
    name: &str,
    f: impl FnOnce() + Send + 'static,
) -> std::io::Result<(std::thread::JoinHandle<()>, Died)> {
    let (tx, rx) = watch::channel(None);
    let thread = name.to_string();
    let handle = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            if let Err(p) = std::panic::catch_unwind(AssertUnwindSafe(f)) {
                let cause = cause(&*p);
                tracing::error!(%thread, %cause, "PANIC: the thread died");
                let _ = tx.send(Some(cause));
            }
        })?;
    Ok((handle, Died(rx)))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_an_error_with_its_cause() {
        let n = 7;
        assert_eq!(caught(async { n * 6 }).await, Ok(42));
        let got = caught(async {
            if n > 0 {
                panic!("index {n} out of range");
            }
        })
        .await;
        assert_eq!(got, Err("index 7 out of range".to_string()));
        let got = caught(async { std::panic::panic_any(3u8) }).await;
        assert_eq!(got, Err("a panic without a message".to_string()));
    }

    #[tokio::test]
    async fn a_supervised_loop_is_restarted_after_a_pause_until_it_returns() {
        let runs = AtomicU32::new(0);
        let cancel = CancellationToken::new();
        let started = tokio::time::Instant::now();
        let panics = supervise("test loop", Duration::from_millis(50), &cancel, || async {
            if runs.fetch_add(1, Ordering::SeqCst) < 2 {
                panic!("boom");
            }
        })
        .await;
        assert_eq!(panics, 2);
        assert_eq!(runs.load(Ordering::SeqCst), 3, "restarted twice");
        assert!(
            started.elapsed() >= Duration::from_millis(100),
            "a pause each time"
        );
    }

    #[tokio::test]
    async fn a_supervised_loop_stops_restarting_when_cancelled() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let panics = supervise("test loop", Duration::from_secs(3600), &cancel, || async {
            panic!("always")
        })
        .await;
        assert_eq!(panics, 1);
    }

    #[tokio::test]
    async fn a_thread_that_panics_reports_its_cause_and_one_that_ends_does_not() {
        let (handle, died) = spawn_thread("test-writer", || panic!("disk on fire")).expect("spawn");
        let cause = tokio::time::timeout(Duration::from_secs(10), died.wait())
            .await
            .expect("reported");
        assert_eq!(cause, "disk on fire");
        assert!(handle.join().is_ok(), "the panic was caught");
        let (handle, died) = spawn_thread("test-quiet", || ()).expect("spawn");
        handle.join().expect("ends");
        let waited = tokio::time::timeout(Duration::from_millis(50), died.wait()).await;
        assert!(waited.is_err(), "a normal end is not a death");
    }
}
