//! Search over a large store, through `jobhound::search::search` (the path the
//! CLI and the API use): builds a database of `--postings` synthetic postings
//! once (kept under `target/bench/`), then times 20 representative queries
//! `--rounds` times each and prints per-query and overall latencies.
//!
//! `cargo bench --bench search -- --postings 1000000 --rounds 25`

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use jobhound::alerts::Query;
use jobhound::model::SourceName;
use jobhound::pipeline::search_terms;
use jobhound::search::{Request, search};
use jobhound::store::Store;

use support::corpus::Corpus;
use support::{arg, quantile};

/// Words, phrases, fields, negation, OR, prefix, and `--since`.
const QUERIES: &[(&str, Option<u64>)] = &[
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

fn main() {
    let n: usize = arg("--postings", 1_000_000);
    let rounds: usize = arg("--rounds", 25);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let path = dir.join(format!("search-{n}.db"));
    build(&path, n);
    let store = Store::open_read_only(&path).expect("open read-only");
    // The corpus is dated up to its epoch (2026-11-01): search as of the day
    // after, so `--since` windows hold postings.
    let now = Utc
        .with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
        .single()
        .expect("valid date");
    let mut all = Vec::new();
    println!(
        "{:<62} {:>6} {:>9} {:>9}",
        "query", "hits", "p50 ms", "p99 ms"
    );
    for (q, since_days) in QUERIES {
        let req = Request {
            query: Some(Query::parse(q).expect("bench query parses")),
            since: since_days.map(|d| Duration::from_secs(d * 86_400)),
            source: None,
            limit: 20,
            ..Request::default()
        };
        let hits = search(&store, &req, now).expect("search").len();
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(search(&store, &req, now).expect("search"));
                t.elapsed()
            })
            .collect();
        all.extend_from_slice(&times);
        let label = match since_days {
            Some(d) => format!("{q} --since {d}d"),
            None => q.to_string(),
        };
        println!(
            "{label:<62} {hits:>6} {:>9.2} {:>9.2}",
            ms(quantile(&mut times, 0.5)),
            ms(quantile(&mut times, 0.99))
        );
    }
    println!(
        "all {} searches over {n} postings: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        ms(quantile(&mut all, 0.5)),
        ms(quantile(&mut all, 0.99)),
        ms(quantile(&mut all, 1.0))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Writes `n` postings into a fresh database at `path`, unless it holds them already.
fn build(path: &std::path::Path, n: usize) {
    if path.exists()
        && let Ok(s) = Store::open_read_only(path)
        && s.count_postings().ok() == Some(n as u64)
    {
        return;
    }
    let _ = std::fs::remove_file(path);
    let started = Instant::now();
    let mut store = Store::open(path).expect("create database");
    let mut corpus = Corpus::new(42);
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
