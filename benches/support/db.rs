//! The database of synthetic postings the search and API benchmarks share,
//! built once per size under `target/bench/`, and the queries they time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use jobhound::model::SourceName;
use jobhound::pipeline::search_terms;
use jobhound::store::Store;

use super::corpus::Corpus;

/// Words, phrases, fields, negation, OR, prefix, and `--since`.
pub const QUERIES: &[(&str, Option<u64>)] = &[
    ("python", None),
    ("rust", None),
    ("kubernetes terraform", None),
    ("\"machine learning\"", None),
    ("\"large language models\"", None),
    ("title:\"machine learning\"", None),
    (
        "title:(\"machine learning\" OR ML OR \"deep learning\") -senior",
        None,
    ),
    ("title:engineer location:remote", None),
    ("company:acme pytorch", None),
    ("location:berlin title:(data OR ML)", None),
    ("pytorch OR jax OR tensorflow", None),
    ("-senior", None),
    ("title:scientist -title:(staff OR principal)", None),
    ("embed*", None),
    ("llm", Some(7)),
    ("title:engineer", Some(30)),
    ("\"distributed systems\" -java", None),
    ("kalomi", None),
    ("text:(cuda inference) title:engineer", None),
    ("zzzznotaword", None),
];

/// The corpus's postings are dated up to this day (2026-11-01).
pub fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// The database of `n` postings, built first if it is not there yet: under
/// `target/bench/`, or `$JOBHOUND_BENCH_DIR` (a tmpfs, say, when the disk is
/// short: a million postings take 7.4 GB). `words` (`--words N` on the
/// command line; 0 for the default of 275) sets the descriptions' average
/// length, for a smaller database with the same postings otherwise.
pub fn database(n: usize, words: usize) -> PathBuf {
    let dir = directory();
    let path = match words {
        0 => dir.join(format!("search-{n}.db")),
        w => dir.join(format!("search-{n}-w{w}.db")),
    };
    build(&path, n, words);
    path
}

/// Where the benchmark databases live: `$JOBHOUND_BENCH_DIR` or
/// `target/bench/`, created if needed.
pub fn directory() -> PathBuf {
    let dir = std::env::var_os("JOBHOUND_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("bench")
        });
    std::fs::create_dir_all(&dir).expect("create the benchmark directory");
    dir
}

/// Writes `n` postings into a fresh database at `path`, unless it holds them already.
fn build(path: &Path, n: usize, words: usize) {
    if path.exists()
        && let Ok(s) = Store::open_read_only(path)
        && s.count_postings().ok() == Some(n as u64)
    {
        return;
    }
    let _ = std::fs::remove_file(path);
    let started = Instant::now();
    let mut store = Store::open(path).expect("create database");
    let mut corpus = match words {
        0 => Corpus::new(42),
        w => Corpus::new(42).with_words(w),
    };
    let source = SourceName("bench".into());
    let mut i = 0;
    while i < n {
        let mut tx = store.begin_ingest(Utc::now()).expect("begin");
        tx.set_source(&source);
        for _ in 0..5_000.min(n - i) {
            let p = corpus.posting(i, &source);
            tx.upsert(
                &p,
                &jobhound::normalize::identity::Keys::of(&p),
                search_terms(&p),
            )
            .expect("upsert");
            i += 1;
        }
        tx.commit().expect("commit");
    }
    store.checkpoint().expect("checkpoint");
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "built {n} postings in {:.1} s: {:.1} MB ({:.1} MB per 100k)",
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        size as f64 / 1e6 / n as f64 * 100_000.0
    );
}
