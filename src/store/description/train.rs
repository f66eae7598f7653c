//! Training a database's own description dictionary, and re-encoding the
//! rows written before it. Looked after at each ingest commit ([`maintain`]);
//! on every commit but a few it costs two indexed look-ups. The sample is
//! read in the commit; the writer trains on a thread of its own and records
//! the dictionary at a later commit ([`Trainer`]).
//!
//! - When: once the store holds [`Policy::train_at`] postings, and again each
//!   time it has grown tenfold since the last training (a store's sources and
//!   their boilerplate change as it grows). A retraining keeps the older
//!   dictionaries: rows compressed with them stay as they are.
//! - On what: [`Policy::samples`] descriptions at evenly spaced ids, so a
//!   grown store's sample spans its whole history, read by rowid (no scan).
//! - The rows written with the shipped dictionary before the first training
//!   are re-encoded [`Policy::batch`] at a time, one batch per commit, so a
//!   large store upgraded to this version never stalls the writer for long.
//!   The first dictionary's row records how far that has got (`reencode.rs`).
//! - The first training runs in the commit even for the writer (tens of
//!   milliseconds at [`Policy::train_at`] postings, once per store): a row
//!   the shipped dictionary compressed shrinks to a quarter when re-encoded,
//!   and its page keeps the difference empty for good, so the fewer such
//!   rows the better: the writer ends a store's first transactions at
//!   [`Policy::train_at`] postings for it ([`Ingest::batch_limit`](crate::store::Ingest::batch_limit)),
//!   rather than thousands later. Later trainings run beside the writer: the rows
//!   written meanwhile use the previous trained dictionary and stay as they
//!   are.

mod reencode;

use rusqlite::{Connection, OptionalExtension, params};

use super::{DescriptionError, LEVEL, expand, register};
use crate::store::StoreError;
use reencode::recompress;

/// When and how much to train and re-encode.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Postings (by highest id) a store needs before its first training.
    pub train_at: i64,
    /// Growth factor after which a store trains again.
    pub growth: i64,
    /// Descriptions a training reads.
    pub samples: i64,
    /// The most sample text a training reads, in bytes: each sample is cut
    /// to its share. zstd's trainer needs several times its input in memory,
    /// all at once.
    pub sample_bytes: usize,
    /// The largest dictionary, in bytes.
    pub dict_size: usize,
    /// Rows re-encoded per commit.
    pub batch: i64,
}

impl Policy {
    /// What the writer uses (figures in BENCHMARKS.md, section 6a).
    pub(crate) const DEFAULT: Policy = Policy {
        train_at: 250,
        growth: 10,
        samples: 1_000,
        sample_bytes: 2 << 20,
        dict_size: 64 << 10,
        batch: 1_000,
    };
}

/// Where a store's trainings run. In the caller's commit by default; the
/// writer runs all but the first on a thread of their own
/// ([`Trainer::background`]): a retraining on 1,000 samples takes 150-250 ms,
/// which inside its commit held every fetch waiting for that commit. The
/// samples are still read in the commit (a consistent view, a few
/// milliseconds); the dictionary is recorded by the first commit after the
/// training ends.
#[derive(Default)]
pub(crate) struct Trainer {
    background: bool,
    /// A training under way on its thread.
    pending: Option<Pending>,
    /// Whether the next commit waits for the training under way.
    wait: bool,
}

impl Trainer {
    /// Trains on a thread of its own from now on.
    pub(crate) fn background(&mut self) {
        self.background = true;
    }

    /// Whether a training is under way; if so, the next commit waits for it
    /// and records it (so closing the store loses none).
    pub(crate) fn finish(&mut self) -> bool {
        self.wait = self.pending.is_some();
        self.wait
    }
}

/// A training under way: what its record needs, and its result to come.
struct Pending {
    about: Drawn,
    result: std::sync::mpsc::Receiver<Option<Vec<u8>>>,
}

/// What a training reads: descriptions end to end, as zstd takes them.
struct Sample {
    data: Vec<u8>,
    sizes: Vec<usize>,
    about: Drawn,
}

/// When and how much a sample was read, for the training's record.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    /// The store's size (highest posting id) when it was read.
    top: i64,
    samples: usize,
    bytes: usize,
    started: std::time::Instant,
}

/// Trains when due and re-encodes the next batch of old rows, with the
/// writer's open transaction. Errors leave the stored rows readable: every
/// row is either untouched or re-encoded whole.
pub(crate) fn maintain(
    conn: &Connection,
    now: i64,
    policy: &Policy,
    trainer: &mut Trainer,
) -> Result<(), StoreError> {
    use std::sync::mpsc::TryRecvError;
    if let Some(pending) = &trainer.pending {
        let result = if trainer.wait {
            trainer.wait = false;
            pending
                .result
                .recv()
                .map_err(|_| TryRecvError::Disconnected)
        } else {
            pending.result.try_recv()
        };
        match result {
            Err(TryRecvError::Empty) => return recompress(conn, policy),
            Ok(dict) => {
                if let Some(pending) = trainer.pending.take() {
                    record(conn, &pending.about, dict, now)?;
                }
            }
            // The thread ended without an answer (it panicked): the next
            // commit that finds a training due tries again.
            Err(TryRecvError::Disconnected) => {
                tracing::warn!("a description dictionary training ended without a result");
                trainer.pending = None;
            }
        }
        return recompress(conn, policy);
    }
    let latest: Option<i64> = conn
        .prepare_cached("SELECT postings FROM description_dicts ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let top = top(conn)?;
    let due = match latest {
        None => top >= policy.train_at,
        Some(at) => top >= at.saturating_mul(policy.growth).max(policy.train_at),
    };
    if due {
        let sample = sample(conn, top, policy)?;
        let capacity = policy.dict_size;
        let about = sample.about;
        // The first training runs in the commit (see the module's notes).
        if trainer.background && trained(conn)? {
            let (done, result) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("jobhound-train".into())
                .spawn(move || {
                    let _ = done.send(build(&sample, capacity));
                });
            match spawned {
                Ok(_) => trainer.pending = Some(Pending { about, result }),
                // Tried again at the next commit.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot start a thread to train a description dictionary")
                }
            }
        } else {
            record(conn, &about, build(&sample, capacity), now)?;
        }
    }
    recompress(conn, policy)
}

/// How many more postings the store takes before its first training is
/// due under `policy` (at least one), or `None` once it has tried one.
pub(crate) fn first_training_in(
    conn: &Connection,
    policy: &Policy,
) -> Result<Option<i64>, StoreError> {
    let tried: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM description_dicts)")?
        .query_row([], |r| r.get(0))?;
    if tried {
        return Ok(None);
    }
    Ok(Some((policy.train_at - top(conn)?).max(1)))
}

/// Whether the store has a dictionary of its own.
fn trained(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM description_dicts WHERE dict IS NOT NULL)")?
        .query_row([], |r| r.get(0))?)
}

/// The store's size: its highest posting id.
fn top(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM postings")?
        .query_row([], |r| r.get(0))?)
}

/// Reads [`Policy::samples`] descriptions at evenly spaced ids over
/// `1..=top`, each cut to its share of [`Policy::sample_bytes`].
fn sample(conn: &Connection, top: i64, policy: &Policy) -> Result<Sample, StoreError> {
    let started = std::time::Instant::now();
    let n = policy.samples.clamp(1, top.max(1));
    let mut read = conn.prepare_cached("SELECT description FROM postings WHERE id = ?1")?;
    let share = policy.sample_bytes / usize::try_from(n).unwrap_or(usize::MAX).max(1);
    let mut data = Vec::new();
    let mut sizes = Vec::new();
    for i in 1..=n {
        // Evenly spaced ids over 1..=top (i·top/n never exceeds top).
        let id = i.saturating_mul(top) / n;
        let blob: Option<Option<Vec<u8>>> = read.query_row([id], |r| r.get(0)).optional()?;
        if let Some(Some(blob)) = blob {
            let sample = expand(&blob).map_err(|e| corrupt(id, &e))?;
            let sample = &sample[..sample.len().min(share)];
            data.extend_from_slice(sample);
            sizes.push(sample.len());
        }
    }
    let about = Drawn {
        top,
        samples: sizes.len(),
        bytes: data.len(),
        started,
    };
    Ok(Sample { data, sizes, about })
}

/// A dictionary of at most `capacity` bytes trained on `sample`, or `None`
/// when the sample is too small to train one worth having (or training failed).
fn build(sample: &Sample, capacity: usize) -> Option<Vec<u8>> {
    // zstd wants samples of several times the dictionary's size to train
    // one worth having; with less, the shipped dictionary does as well.
    if sample.data.len() < capacity.saturating_mul(8) {
        return None;
    }
    match fast_cover(&sample.data, &sample.sizes, capacity) {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(error = %e, "could not train a description dictionary");
            None
        }
    }
}

/// Records a training of the sample `about` describes: the dictionary it
/// gave, or that the store had too little text, so the next try waits for
/// the same growth as a retraining would.
fn record(
    conn: &Connection,
    about: &Drawn,
    dict: Option<Vec<u8>>,
    now: i64,
) -> Result<(), StoreError> {
    let mut id = match &dict {
        Some(d) => Some(register(d).map_err(|e| corrupt(0, &e))?.id),
        None => None,
    };
    // The same dictionary again (a store whose text has not changed): record
    // the attempt only, so the next waits for the same growth.
    let known: Option<i64> = conn
        .prepare_cached("SELECT seq FROM description_dicts WHERE dict_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let dict = match known {
        Some(_) => {
            id = None;
            None
        }
        None => dict,
    };
    conn.prepare_cached(
        "INSERT INTO description_dicts (dict_id, postings, trained_at, dict) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, about.top, now, dict])?;
    tracing::info!(
        postings = about.top,
        samples = about.samples,
        sample_bytes = about.bytes,
        dict_bytes = dict.as_ref().map_or(0, Vec::len),
        ms = about.started.elapsed().as_millis() as u64,
        "trained a description dictionary"
    );
    Ok(())
}

/// A dictionary of at most `capacity` bytes trained on `samples` (end to
/// end, of `sizes`), by zstd's fastCover with tables of 2^16 entries. zstd's
/// default trainer (`ZDICT_trainFromBuffer`, the one the `zstd` crate wraps)
/// takes 2^20, about 10 MB more at the peak of a cold ingest, for
/// descriptions 1.8 % larger (BENCHMARKS.md, 6a). No safe wrapper takes these
/// parameters, hence the crate's one `unsafe` block.
#[allow(unsafe_code)]
fn fast_cover(samples: &[u8], sizes: &[usize], capacity: usize) -> Result<Vec<u8>, String> {
    use zstd::zstd_safe::zstd_sys;
    if sizes.iter().try_fold(0usize, |a, &n| a.checked_add(n)) != Some(samples.len()) {
        return Err("sample sizes do not add up to the samples".into());
    }
    let count = u32::try_from(sizes.len()).map_err(|_| "too many samples".to_string())?;
    let mut params = zstd_sys::ZDICT_fastCover_params_t {
        // k (segment size) is searched in 50..=2000 in 4 steps, on a quarter
        // of the samples held out; d = 8 as zstd's default trainer.
        k: 0,
        d: 8,
        f: 16,
        steps: 4,
        nbThreads: 1,
        splitPoint: 0.0,
        accel: 1,
        shrinkDict: 0,
        shrinkDictMaxRegression: 0,
        zParams: zstd_sys::ZDICT_params_t {
            compressionLevel: LEVEL,
            notificationLevel: 0,
            dictID: 0,
        },
    };
    let mut dict = vec![0u8; capacity];
    // SAFETY: each pointer is valid for the length passed with it: `dict`
    // for `capacity` bytes of writing, `samples` for the sum of `sizes`
    // (checked above) of reading, `sizes` for `count` entries, `params` for
    // one struct; zstd keeps none of them after returning.
    let (written, failed) = unsafe {
        let written = zstd_sys::ZDICT_optimizeTrainFromBuffer_fastCover(
            dict.as_mut_ptr().cast(),
            dict.len(),
            samples.as_ptr().cast(),
            sizes.as_ptr(),
            count,
            &mut params,
        );
        (written, zstd_sys::ZDICT_isError(written) != 0)
    };
    if failed {
        return Err(zstd::zstd_safe::get_error_name(written).to_string());
    }
    dict.truncate(written);
    Ok(dict)
}

/// A stored description that does not decode, as a store error.
fn corrupt(id: i64, e: &DescriptionError) -> StoreError {
    StoreError::Corrupt(format!("description of posting {id}: {e}"))
}

#[cfg(test)]
mod tests;
