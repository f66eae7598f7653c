//! Search over a large store, through `jobhound::search::search` (the path the
//! CLI and the API use): builds a database of `--postings` synthetic postings
//! once (kept under `target/bench/`), then times 20 representative queries
//! `--rounds` times each and prints per-query and overall latencies; then the
//! typed filters, alone and beside words.
//!
//! `cargo bench --bench search -- --postings 1000000 --rounds 25`
//! (`--words N` and `$JOBHOUND_BENCH_DIR`: see `support::db::database`)

mod support;

use std::time::{Duration, Instant};

use chrono::Duration as Days;
use jobhound::alerts::Query;
use jobhound::search::{Request, search};
use jobhound::store::Store;

use support::db::{QUERIES, database, epoch};
use support::{arg, quantile};

/// Typed filters alone (a scan by date, stopping at the limit) and beside
/// words (the full-text index narrows, the filter decides).
const FILTERS: &[&str] = &[
    "workplace:remote",
    "salary>=150k",
    "type:internship",
    "posted<7d",
    "-state:dismissed",
    "state:saved",
    "salary>=200k type:contract workplace:hybrid",
    "rust salary>=150k",
    "\"machine learning\" workplace:remote -state:dismissed",
    "title:engineer type:contract posted<30d",
    "(workplace:remote OR location:berlin) salary>=120k",
    "kalomi salary>=200k",
];

fn main() {
    let n: usize = arg("--postings", 1_000_000);
    let rounds: usize = arg("--rounds", 25);
    let path = database(n, arg("--words", 0));
    let store = Store::open_read_only(&path).expect("open read-only");
    // The corpus is dated up to its epoch (2026-11-01): search as of the day
    // after, so `--since` windows hold postings.
    let now = epoch() + Days::days(1);
    let mut all = Vec::new();
    header();
    for (q, since_days) in QUERIES {
        let label = match since_days {
            Some(d) => format!("{q} --since {d}d"),
            None => q.to_string(),
        };
        let since = since_days.map(|d| Duration::from_secs(d * 86_400));
        all.extend(time(&store, &label, q, since, rounds, now));
    }
    println!(
        "all {} searches over {n} postings: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        ms(quantile(&mut all, 0.5)),
        ms(quantile(&mut all, 0.99)),
        ms(quantile(&mut all, 1.0))
    );
    println!();
    header();
    for q in FILTERS {
        time(&store, q, q, None, rounds.min(5), now);
    }
}

fn header() {
    println!(
        "{:<62} {:>6} {:>9} {:>9}",
        "query", "hits", "p50 ms", "p99 ms"
    );
}

/// Runs `q` `rounds` times; prints its line and returns the times.
fn time(
    store: &Store,
    label: &str,
    q: &str,
    since: Option<Duration>,
    rounds: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Duration> {
    let req = Request {
        query: Some(Query::parse(q).expect("bench query parses")),
        since,
        source: None,
        limit: 20,
        ..Request::default()
    };
    let hits = search(store, &req, now).expect("search").len();
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(search(store, &req, now).expect("search"));
            t.elapsed()
        })
        .collect();
    println!(
        "{label:<62} {hits:>6} {:>9.2} {:>9.2}",
        ms(quantile(&mut times, 0.5)),
        ms(quantile(&mut times, 0.99))
    );
    times
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
