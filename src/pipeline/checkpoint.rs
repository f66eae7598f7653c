//! Copying the WAL back into the database file, on a thread of its own
//! beside the writer ([`super::Writer`]), so the writer never waits for it.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::store::Store;

/// Least time between two checkpoints. Many pages (index interiors, the
/// full-text index's segments) are rewritten by commit after commit; a burst
/// of commits checkpointed together copies each of them once.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Checkpoints after commits, at most once per [`CHECKPOINT_EVERY`],
/// coalescing the commits that arrived meanwhile; ends when the writer does.
pub(super) fn after_commits(store: &Store, commits: &Receiver<()>) {
    let checkpoint = || {
        if let Err(e) = store.checkpoint_passive() {
            tracing::warn!(error = %e, "checkpoint failed; retried after the next commit");
        }
    };
    let mut pending = false;
    loop {
        if !pending && commits.recv().is_err() {
            return;
        }
        pending = false;
        let started = Instant::now();
        checkpoint();
        while let Some(left) = (started + CHECKPOINT_EVERY).checked_duration_since(Instant::now()) {
            match commits.recv_timeout(left) {
                Ok(()) => pending = true,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    if pending {
                        checkpoint();
                    }
                    return;
                }
            }
        }
    }
}
