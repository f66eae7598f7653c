//! Matching many alerts against many postings on one core: tokenizes
//! `--postings` synthetic postings (in chunks, to bound memory), then times
//! `AlertSet::matching` with 10, 100, 1,000 and `--alerts` alerts, and the
//! same 1,000 alerts evaluated one by one without the trigger-word prefilter.
//!
//! `cargo bench --bench matching -- --alerts 1000 --postings 100000`

mod support;

use std::time::{Duration, Instant};

use jobhound::alerts::{AlertSet, Doc, Query};
use jobhound::model::SourceName;

use support::arg;
use support::corpus::Corpus;

const CHUNK: usize = 10_000;

fn main() {
    let n_alerts: usize = arg("--alerts", 1_000);
    let n_docs: usize = arg("--postings", 100_000);
    let mut corpus = Corpus::new(7);
    let queries: Vec<Query> = (0..n_alerts.max(1_000))
        .map(|_| Query::parse(&corpus.query()).expect("generated query parses"))
        .collect();
    let mut sizes = vec![10, 100, 1_000];
    if !sizes.contains(&n_alerts) {
        sizes.push(n_alerts);
    }
    let sets: Vec<(usize, AlertSet)> = sizes
        .iter()
        .map(|&k| (k, AlertSet::new(queries[..k].to_vec())))
        .collect();
    let naive = &queries[..1_000];
    let source = SourceName("bench".into());
    let mut tokenize = Duration::ZERO;
    let mut timed = vec![(Duration::ZERO, 0usize); sets.len()];
    let mut naive_time = Duration::ZERO;
    let mut naive_hits = 0usize;
    let mut done = 0;
    while done < n_docs {
        let take = CHUNK.min(n_docs - done);
        let postings: Vec<_> = (0..take)
            .map(|i| corpus.posting(done + i, &source))
            .collect();
        let t = Instant::now();
        let docs: Vec<Doc> = postings
            .iter()
            .map(|p| Doc::from_posting(p, &["bench"]))
            .collect();
        tokenize += t.elapsed();
        for ((_, set), (time, hits)) in sets.iter().zip(timed.iter_mut()) {
            let t = Instant::now();
            for d in &docs {
                *hits += std::hint::black_box(set.matching(d)).len();
            }
            *time += t.elapsed();
        }
        // Without the prefilter, on a tenth of the docs (it is slow by design).
        let t = Instant::now();
        for d in docs.iter().step_by(10) {
            naive_hits += naive.iter().filter(|q| q.matches(d)).count();
        }
        naive_time += t.elapsed();
        done += take;
    }
    println!(
        "tokenizing {n_docs} postings: {:.2} s ({:.1} µs per posting)",
        tokenize.as_secs_f64(),
        tokenize.as_secs_f64() * 1e6 / n_docs as f64
    );
    println!(
        "{:>8} {:>12} {:>10} {:>16} {:>14}",
        "alerts", "matches", "seconds", "pairs per second", "µs per posting"
    );
    for ((k, _), (time, hits)) in sets.iter().zip(&timed) {
        let pairs = (*k * n_docs) as f64;
        println!(
            "{k:>8} {hits:>12} {:>10.3} {:>16.0} {:>14.2}",
            time.as_secs_f64(),
            pairs / time.as_secs_f64(),
            time.as_secs_f64() * 1e6 / n_docs as f64
        );
    }
    let naive_docs = n_docs.div_ceil(10);
    println!(
        "1000 alerts one by one (no prefilter), {naive_docs} postings: {naive_hits} matches, {:.0} pairs per second",
        (1_000 * naive_docs) as f64 / naive_time.as_secs_f64()
    );
}
