//! Incremental ingest as the store grows: listings from 200 sources, a fifth
//! of them copies of a job another source listed before (another URL, the
//! title respelled, the text cut short), go through identity and the write
//! path in batches of `--batch`, into one database, up to `--postings`
//! listings. Prints the time per 1,000 listings at each size: identity finds
//! candidates through indexes, so the time per listing must not grow with the
//! store (linear ingest).
//!
//! `cargo bench --bench ingest -- --postings 1000000 --batch 10000`

mod support;

use std::path::PathBuf;
use std::time::Instant;

use chrono::Utc;
use jobhound::model::SourceName;
use jobhound::normalize::identity::Keys;
use jobhound::pipeline::search_terms;
use jobhound::store::{Change, Store};

use support::arg;
use support::corpus::Corpus;

fn main() {
    let n: usize = arg("--postings", 1_000_000);
    let batch: usize = arg("--batch", 10_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let path = dir.join("ingest.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = Store::open(&path).expect("create database");
    let mut corpus = Corpus::new(7);
    let mut rng = fastrand::Rng::with_seed(11);
    let sources: Vec<SourceName> = (0..200).map(|i| SourceName(format!("board-{i}"))).collect();
    // The originals copies are drawn from: the last 20,000, as boards repost fresh jobs.
    let mut recent: Vec<jobhound::model::Posting> = Vec::new();
    println!(
        "{:>10} {:>12} {:>10} {:>8} {:>8}",
        "stored", "ms per 1k", "jobs", "joined", "new"
    );
    let started = Instant::now();
    let mut i = 0;
    let mut rows = Vec::new();
    while i < n {
        let t = Instant::now();
        let mut joined = 0;
        let mut new = 0;
        let mut tx = store.begin_ingest(Utc::now()).expect("begin");
        tx.set_terms_of(search_terms);
        let size = batch.min(n - i);
        // One source per slice of the batch, as the writer's group commits do.
        for chunk in 0..size.div_ceil(500) {
            let source = &sources[rng.usize(0..sources.len())];
            tx.set_source(source);
            tx.set_kind(
                if chunk % 3 == 0 {
                    "greenhouse"
                } else {
                    "remotive"
                },
                true,
            );
            for _ in 0..500.min(size - chunk * 500) {
                let p = if !recent.is_empty() && rng.u32(0..5) == 0 {
                    copy(&recent[rng.usize(0..recent.len())], source, i)
                } else {
                    let p = corpus.posting(i, source);
                    if recent.len() < 20_000 {
                        recent.push(p.clone());
                    } else {
                        recent[rng.usize(0..20_000)] = p.clone();
                    }
                    p
                };
                let up = tx
                    .upsert(&p, &Keys::of(&p), search_terms(&p))
                    .expect("upsert");
                match up.change {
                    Change::New => new += 1,
                    _ if up.new_sighting => joined += 1,
                    _ => {}
                }
                i += 1;
            }
        }
        tx.commit().expect("commit");
        let per_k = t.elapsed().as_secs_f64() * 1000.0 / size as f64 * 1000.0;
        let jobs = store.count_postings().expect("count");
        rows.push((i, per_k));
        if i == size || i % (n / 10).max(batch) < batch || i == n {
            println!("{i:>10} {per_k:>12.1} {jobs:>10} {joined:>8} {new:>8}");
        }
    }
    let first: Vec<f64> = rows.iter().take(5).map(|r| r.1).collect();
    let last: Vec<f64> = rows.iter().rev().take(5).map(|r| r.1).collect();
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "{n} listings in {:.1} s; median ms per 1k: first five batches {:.1}, last five {:.1}",
        started.elapsed().as_secs_f64(),
        median(first),
        median(last)
    );
}

/// Another board's copy of `p`: its own id and URL, the title respelled, the
/// text cut to two thirds.
fn copy(p: &jobhound::model::Posting, source: &SourceName, i: usize) -> jobhound::model::Posting {
    let mut c = p.clone();
    c.source = source.clone();
    c.external_id = format!("copy-{i}");
    c.url = Some(format!("https://{}.example/jobs/{i}", source.as_str()));
    c.title = c.title.replace("Senior ", "Sr. ") + " (Remote)";
    let cut = c.text.char_indices().nth(c.text.chars().count() * 2 / 3);
    if let Some((at, _)) = cut {
        c.text.truncate(at);
    }
    c.description_html = format!("<p>{}</p>", c.text);
    c
}
