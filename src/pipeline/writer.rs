//! The one database writer: a thread that applies fetch results in group
//! commits. Sources finish at their own pace and hand their normalized
//! postings here; the writer writes each as it comes into an open
//! transaction, and commits once the transaction holds `MAX_BATCH`
//! postings, or nothing more is coming (no pass is in flight, or none
//! queued a write for `QUIET`), or `LINGER` after it began. So a
//! burst of many small fetches costs a few commits (and a few full-text
//! index flushes) instead of one each, while the fetches wait in memory no
//! longer than it takes to write them. Each fetch's outcome is still all or
//! nothing: it is written in a savepoint, and a failing fetch is taken back
//! alone and only it fails. Copying the WAL back into the database
//! (checkpointing) happens on a second thread, so the writer never waits for
//! it. How a group is written is `apply.rs`; how the writer waits for
//! more of one, `wait.rs`.

mod apply;
mod wait;

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::guard::{Died, spawn_thread};
use super::matcher::{Matcher, Prepared};
use crate::model::{Posting, SourceName};
use crate::store::{CurrentDictionary, FetchRecord, HostWait, Store, StoreError, Validators};
use apply::Group;
pub use wait::Pass;
use wait::{InFlight, Waits};

/// At most this many postings go into one transaction. Fewer, larger
/// transactions write each index page to the WAL fewer times and leave the
/// full-text index fewer segments to merge (BENCHMARKS.md, *One open
/// transaction*). A store that has not trained its description dictionary
/// yet commits sooner, once, to train it ([`Ingest::batch_limit`](crate::store::Ingest::batch_limit)).
const MAX_BATCH: usize = 4_000;

/// A transaction commits when no fetch came for this long while passes were
/// in flight (at once when none is)...
const QUIET: Duration = Duration::from_millis(50);

/// ...or this long after it began, at the latest.
const LINGER: Duration = Duration::from_secs(1);

/// Fetches waiting for the writer; bounds the memory of a burst (a fetch
/// that waits for its commit holds nothing: its postings are written).
const QUEUE: usize = 2;

/// The writer's page cache, KiB. Ingest touches index pages all over the
/// file, so any cache fills up: 8 MiB rather than the 16 of other
/// connections keeps a cold ingest's peak memory 10 MB lower (71.5 -> 61.4
/// MB on the 500 x 50 benchmark), for a wall time within the runs' spread
/// (BENCHMARKS.md, *Cold ingest with identity*, fourth pass).
const CACHE_KIB: i64 = 8 << 10;

/// What a fetch hands to the writer.
pub enum Write {
    /// Store these postings, each with its search words and matches.
    Postings {
        /// The kind of source.
        kind: &'static str,
        /// Normalized postings, prepared.
        postings: Vec<(Posting, Prepared)>,
        /// The alerts that prepared them (the config's at the time: a reload
        /// swaps it, and prepared matches index into the one that made them).
        matcher: Arc<Matcher>,
        /// Validators for the next conditional GET.
        validators: Validators,
        /// Whether new matches queue deliveries.
        notify: bool,
        /// Whether the source's complete fetches list every open job it has.
        tracked: bool,
        /// Whether this fetch is complete: its missing jobs count as gone.
        complete: bool,
    },
    /// Record a fetch that stored nothing (304 or failure).
    Record(FetchRecord),
    /// Keep how long the source's pass waited for its host, or forget it.
    HostWait(Option<HostWait>),
    /// Record a 304 of a source whose complete fetches prove absence: it
    /// lists what it listed last time, so what was missing is missing again.
    Unchanged(FetchRecord),
    /// Store a large fetch's postings as they are produced, batch by batch,
    /// in one transaction, so they never all live in memory at once. Written
    /// alone, never grouped with other fetches: the stream cannot be
    /// replayed, and its batches' full-text rows are written as they come
    /// ([`Ingest::flush_search_index`](crate::store::Ingest::flush_search_index)),
    /// which would take other fetches' rows with them if it were rolled back.
    Stream {
        /// The kind of source.
        kind: &'static str,
        /// The batches; the fetch is stored only if [`Chunk::Done`] arrives.
        chunks: mpsc::Receiver<Chunk>,
        /// The alerts that prepared them.
        matcher: Arc<Matcher>,
        /// Validators for the next conditional GET.
        validators: Validators,
        /// Whether new matches queue deliveries.
        notify: bool,
        /// Whether the source's fetches list every open job it has.
        tracked: bool,
    },
}

/// One message of a [`Write::Stream`].
pub enum Chunk {
    /// Normalized postings, prepared.
    Postings(Vec<(Posting, Prepared)>),
    /// Every batch was sent: commit. A stream that ends without it is rolled back.
    Done,
}

impl Write {
    fn size(&self) -> usize {
        match self {
            Write::Postings { postings, .. } => postings.len().max(1),
            Write::Record(_) | Write::Unchanged(_) | Write::HostWait(_) | Write::Stream { .. } => 1,
        }
    }

    fn is_stream(&self) -> bool {
        matches!(self, Write::Stream { .. })
    }
}

/// What writing one fetch's postings did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Jobs not stored before.
    pub new: usize,
    /// Jobs whose content changed.
    pub updated: usize,
    /// Jobs seen again unchanged.
    pub unchanged: usize,
    /// New alert matches recorded.
    pub matched: usize,
    /// Jobs that closed: missing from two complete fetches in a row.
    pub closed: usize,
}

struct Job {
    source: SourceName,
    write: Write,
    reply: oneshot::Sender<Result<Counts, StoreError>>,
}

/// What the writer thread is sent.
enum Message {
    /// A fetch's write.
    Job(Job),
    /// Drop the connection's cached pages ([`Writer::release_memory`]).
    Release(oneshot::Sender<()>),
}

/// A write in the writer's queue ([`Writer::submit`]).
pub struct Pending(oneshot::Receiver<Result<Counts, StoreError>>);

impl Pending {
    /// Waits until the write is committed, or has failed.
    pub async fn committed(self) -> Result<Counts, StoreError> {
        self.0.await.unwrap_or(Err(StoreError::Closed))
    }
}

/// A handle to the writer thread; the thread ends when the handle is closed.
pub struct Writer {
    queue: mpsc::Sender<Message>,
    in_flight: InFlight,
    thread: JoinHandle<()>,
    checkpointer: JoinHandle<()>,
    died: Died,
    dict: CurrentDictionary,
}

impl Writer {
    /// Starts the writer and its checkpointer, each over its own connection.
    /// The writer waits on `runtime`'s timer for more of a group while the
    /// passes running on it are in flight.
    pub fn spawn(
        mut store: Store,
        checkpoints: Store,
        runtime: tokio::runtime::Handle,
    ) -> Result<Writer, StoreError> {
        store.disable_autocheckpoint()?;
        store.train_in_background();
        store.set_cache_kib(CACHE_KIB)?;
        store.keep_temporaries_in_memory()?;
        let (committed, commits) = std::sync::mpsc::channel::<()>();
        let checkpointer = std::thread::Builder::new()
            .name("jobhound-checkpoint".into())
            .spawn(move || super::checkpoint::after_commits(&checkpoints, &commits))
            .expect("the operating system can start a thread");
        let (queue, rx) = mpsc::channel(QUEUE);
        let dict = CurrentDictionary::default();
        let published = dict.clone();
        let in_flight = InFlight::default();
        let waits = Waits {
            runtime,
            in_flight: in_flight.clone(),
        };
        let (thread, died) = spawn_thread("jobhound-writer", move || {
            run(&waits, store, rx, &committed, &published);
        })
        .expect("the operating system can start a thread");
        Ok(Writer {
            queue,
            in_flight,
            thread,
            checkpointer,
            died,
            dict,
        })
    }

    /// The dictionary the store compresses new descriptions with, as of the
    /// writer's latest transaction (see [`CurrentDictionary`]).
    pub fn dictionary(&self) -> CurrentDictionary {
        self.dict.clone()
    }

    /// Completes, with the cause, if the writer thread panicked: nothing is
    /// stored from then on, so the daemon must stop (and be restarted).
    pub fn died(&self) -> Died {
        self.died.clone()
    }

    /// Counts a pass as in flight until the returned [`Pass`] is dropped: it
    /// may queue a write soon, so a transaction waits for it (up to `QUIET`).
    pub fn pass(&self) -> Pass {
        self.in_flight.pass()
    }

    /// Queues a write for `source` and waits until it is committed.
    pub async fn write(&self, source: &SourceName, write: Write) -> Result<Counts, StoreError> {
        self.submit(source, write).await?.committed().await
    }

    /// Queues a write for `source`, waiting only while the queue is full; the
    /// [`Pending`] it returns completes when the write is committed.
    pub async fn submit(&self, source: &SourceName, write: Write) -> Result<Pending, StoreError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            source: source.clone(),
            write,
            reply,
        };
        self.queue
            .send(Message::Job(job))
            .await
            .map_err(|_| StoreError::Closed)?;
        Ok(Pending(answer))
    }

    /// Drops the writer connection's cached pages once the writes queued
    /// before are done; for when a round of passes is over.
    pub async fn release_memory(&self) {
        let (done, released) = oneshot::channel();
        if self.queue.send(Message::Release(done)).await.is_ok() {
            let _ = released.await;
        }
    }

    /// Queues a write for `source` without waiting for its commit: for
    /// bookkeeping that may be lost in a crash. A failure is logged here.
    pub async fn queue(&self, source: &SourceName, write: Write) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            source: source.clone(),
            write,
            reply,
        };
        self.queue
            .send(Message::Job(job))
            .await
            .map_err(|_| StoreError::Closed)?;
        let source = source.clone();
        tokio::spawn(async move {
            if let Ok(Err(e)) = answer.await {
                tracing::warn!(%source, error = %e, "a queued write failed");
            }
        });
        Ok(())
    }

    /// Stops taking writes, finishes the queued ones and waits for the threads.
    pub fn close(self) {
        drop(self.queue);
        let _ = self.thread.join();
        let _ = self.checkpointer.join();
    }
}

fn run(
    waits: &Waits,
    mut store: Store,
    mut rx: mpsc::Receiver<Message>,
    committed: &std::sync::mpsc::Sender<()>,
    dict: &CurrentDictionary,
) {
    // A stream met while a group is open waits here to be written alone next.
    let mut held: Option<Job> = None;
    loop {
        let first = match held.take() {
            Some(job) => job,
            None => match rx.blocking_recv() {
                Some(Message::Job(job)) => job,
                Some(Message::Release(done)) => {
                    release(&store, done);
                    continue;
                }
                None => break,
            },
        };
        let alone = first.write.is_stream();
        let mut group = match Group::begin(&mut store, dict) {
            Ok(group) => group,
            Err(e) => {
                let _ = first.reply.send(Err(e));
                continue;
            }
        };
        group.add(first);
        let began = Instant::now();
        // Sent when nothing is in flight, so rarely met in a group: answered after it.
        let mut released = None;
        while !alone && !group.is_full() {
            let Some(left) = LINGER.checked_sub(began.elapsed()) else {
                break;
            };
            match waits.next(&mut rx, left.min(QUIET)) {
                Some(Message::Job(job)) if job.write.is_stream() => {
                    held = Some(job);
                    break;
                }
                Some(Message::Job(job)) => group.add(job),
                Some(Message::Release(done)) => {
                    released = Some(done);
                    break;
                }
                None => break,
            }
        }
        group.commit();
        let _ = committed.send(());
        if let Some(done) = released {
            release(&store, done);
        }
    }
    if let Err(e) = store.finish_training() {
        tracing::warn!(error = %e, "could not record the description dictionary being trained");
    }
}

/// Drops the writer connection's cached pages and says so.
fn release(store: &Store, done: oneshot::Sender<()>) {
    if let Err(e) = store.release_memory() {
        tracing::debug!(error = %e, "could not drop the writer's cached pages");
    }
    let _ = done.send(());
}

#[cfg(test)]
mod tests;
