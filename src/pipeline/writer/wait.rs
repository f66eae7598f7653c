//! How the writer waits for more fetches before it commits: while a pass is
//! in flight it may hand over a write soon, so the writer waits for it (up
//! to `QUIET`); once none is, more waiting only delays the commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use super::Message;

/// The passes that may hand the writer a write soon: it commits at once
/// when none is left and its queue is empty, instead of waiting `QUIET`.
#[derive(Clone, Default)]
pub(super) struct InFlight(Arc<Passes>);

#[derive(Default)]
struct Passes {
    count: AtomicUsize,
    /// Notified when the count falls to zero.
    none_left: Notify,
}

impl InFlight {
    /// Counts one more pass in flight.
    pub(super) fn pass(&self) -> Pass {
        self.0.count.fetch_add(1, Ordering::AcqRel);
        Pass(self.clone())
    }

    fn idle(&self) -> bool {
        self.0.count.load(Ordering::Acquire) == 0
    }
}

/// A pass counted among those in flight until dropped ([`Writer::pass`](super::Writer::pass)).
pub struct Pass(InFlight);

impl Drop for Pass {
    fn drop(&mut self) {
        let passes = &(self.0).0;
        if passes.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            // Wakes a wait already begun and stores nothing for a later one.
            passes.none_left.notify_waiters();
        }
    }
}

/// How the writer waits for the next fetch of a group.
pub(super) struct Waits {
    /// The runtime whose timer it waits on.
    pub(super) runtime: tokio::runtime::Handle,
    pub(super) in_flight: InFlight,
}

impl Waits {
    /// The next message; when none is queued, waits up to `wait` for one
    /// while a pass is in flight. `None`: nothing more is coming soon (or
    /// the queue is closed), so commit.
    pub(super) fn next(&self, rx: &mut mpsc::Receiver<Message>, wait: Duration) -> Option<Message> {
        match rx.try_recv() {
            Ok(message) => return Some(message),
            Err(mpsc::error::TryRecvError::Disconnected) => return None,
            Err(mpsc::error::TryRecvError::Empty) => {}
        }
        let none_left = &self.in_flight.0.none_left;
        self.runtime
            .block_on(async {
                // Made before the count is read: a pass ending in between
                // still wakes this wait.
                let became_idle = none_left.notified();
                if self.in_flight.idle() {
                    return None;
                }
                tokio::select! {
                    message = rx.recv() => message,
                    () = became_idle => None,
                    () = tokio::time::sleep(wait) => None,
                }
            })
            // The last pass may have queued its write just before it ended.
            .or_else(|| rx.try_recv().ok())
    }
}

#[cfg(test)]
mod tests;
