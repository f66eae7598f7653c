//! Search over a large store, through `jobhound::search::search` (the path the
//! CLI and the API use): builds a database of `--postings` synthetic postings
//! once (kept under `target/bench/`), then times 20 representative queries
//! `--rounds` times each and prints per-query and overall latencies; then the
//! typed filters, alone and beside words; then more prefixes, and prefixes
//! straight on the index as prefixes and as the OR of their words.
//!
//! `cargo bench --bench search -- --postings 1000000 --rounds 25`
//! (`--words N` and `$JOBHOUND_BENCH_DIR`: see `support::db::database`)
//!
//! `-- --prefix-index 100000 [--words N]` instead writes the first 100,000
//! postings' index terms into FTS5 tables without and with prefix indexes
//! (one file each, beside the database) and prints their sizes and the time
//! of prefix queries of one to six characters on each.

mod support;

use std::time::{Duration, Instant};

use chrono::Duration as Days;
use jobhound::alerts::Query;
use jobhound::search::{Request, search};
use jobhound::store::Store;
use rusqlite::{Connection, OpenFlags};

use support::corpus::Corpus;
use support::db::{QUERIES, database, directory, epoch};
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

/// Prefixes beyond `embed*`: one that expands to thousands of words (`ka*`:
/// the synthetic vocabulary is built from a few syllables), a few words, one
/// word, none, and prefixes under a field, beside a negation, in an OR and at
/// the end of a phrase.
const PREFIXES: &[&str] = &[
    "e*",
    "ka*",
    "kalo*",
    "kalomi*",
    "emb*",
    "embeddings*",
    "zzzz*",
    "title:eng*",
    "title:mach* -senior",
    "embed* -senior",
    "rust OR embed*",
    "pyt* kube*",
    "\"machine learn\"*",
    "location:ber*",
];

fn main() {
    let index_size: usize = arg("--prefix-index", 0);
    if index_size > 0 {
        return prefix_index(index_size, arg("--words", 0), arg("--rounds", 25));
    }
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
    println!();
    header();
    for q in PREFIXES {
        time(&store, q, q, None, rounds, now);
    }
    println!();
    words_or_prefix(&path, rounds);
}

/// Prefixes from one word to hundreds, by how many words the index holds
/// with them; the syllables make up the synthetic vocabulary.
const SWEEP: &[&str] = &[
    "embed", "tr", "kalomi", "kalos", "kalo", "kal", "ber", "ka", "k",
];

/// The newest page of a prefix straight from the index, as a prefix and as
/// the OR of its words (listed by `fts5vocab`, untimed): how many words an
/// OR can take before it costs more than the prefix.
fn words_or_prefix(path: &std::path::Path, rounds: usize) {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open read-only");
    conn.execute_batch("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, postings_fts, row)")
        .expect("vocabulary table");
    println!(
        "{:<12} {:>6} {:>12} {:>12} {:>12}",
        "prefix", "words", "prefix p50", "OR p50 ms", "vocab p50"
    );
    for p in SWEEP {
        let list = || -> Vec<String> {
            conn.prepare_cached(
                "SELECT term FROM vocab WHERE term >= ?1 AND term < ?1 || char(1114111)",
            )
            .and_then(|mut s| {
                s.query_map([p], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("words")
        };
        let words = list();
        // What listing the words through `fts5vocab` costs (design (a)).
        let mut v: Vec<Duration> = (0..rounds.min(5))
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(list());
                t.elapsed()
            })
            .collect();
        let or = words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        let page = |expr: &str| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?1
                     ORDER BY rowid DESC LIMIT 20",
                )
                .expect("prepare");
            let t = Instant::now();
            let rows: Vec<i64> = stmt
                .query_map([expr], |r| r.get(0))
                .and_then(|r| r.collect())
                .expect("page");
            (t.elapsed(), rows)
        };
        let prefix = format!("\"{p}\" *");
        assert_eq!(page(&prefix).1, page(&or).1, "{p}: the same page");
        let mut a: Vec<Duration> = (0..rounds).map(|_| page(&prefix).0).collect();
        let mut b: Vec<Duration> = (0..rounds).map(|_| page(&or).0).collect();
        println!(
            "{:<12} {:>6} {:>12.2} {:>12.2} {:>12.2}",
            format!("{p}*"),
            words.len(),
            ms(quantile(&mut a, 0.5)),
            ms(quantile(&mut b, 0.5)),
            ms(quantile(&mut v, 0.5))
        );
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

/// FTS5 prefix indexes: what they cost per 100,000 postings and what they
/// save, on the corpus's first `n` postings (see the module header).
fn prefix_index(n: usize, words: usize, rounds: usize) {
    let dir = directory();
    let variants = [("none", ""), ("2 3", "2 3"), ("2-6", "2 3 4 5 6")];
    let prefixes = ["e", "ka", "kal", "kalo", "embed", "kalomi"];
    println!(
        "{:<6} {:>10} {}",
        "prefix",
        "MB/100k",
        prefixes.map(|p| format!("{:>9}", format!("{p}*"))).join("")
    );
    for (name, lengths) in variants {
        let path = dir.join(format!("prefix-index-{n}-{}.db", name.replace(' ', "")));
        let _ = std::fs::remove_file(&path);
        let mut conn = Connection::open(&path).expect("create");
        let option = match lengths {
            "" => String::new(),
            l => format!("prefix = '{l}',"),
        };
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE VIRTUAL TABLE postings_fts USING fts5(words,
                content = '', contentless_delete = 1, detail = none, {option}
                tokenize = 'unicode61 remove_diacritics 2');
             INSERT INTO postings_fts (postings_fts, rank) VALUES ('automerge', 8);"
        ))
        .expect("fts5 table");
        let mut corpus = match words {
            0 => Corpus::new(42),
            w => Corpus::new(42).with_words(w),
        };
        let source = jobhound::model::SourceName("bench".into());
        for start in (0..n).step_by(5_000) {
            let tx = conn.transaction().expect("begin");
            for i in start..(start + 5_000).min(n) {
                let p = corpus.posting(i, &source);
                let t = jobhound::pipeline::search_terms(&p);
                let day = p.posted_at.map_or(0, |d| d.timestamp() / 86_400);
                tx.execute(
                    "INSERT INTO postings_fts (rowid, words) VALUES (?1, ?2)",
                    rusqlite::params![day << 29 | i as i64, t.line()],
                )
                .expect("insert");
            }
            tx.commit().expect("commit");
        }
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoint");
        let bytes: i64 = conn
            .query_row(
                "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                [],
                |r| r.get(0),
            )
            .expect("size");
        let times: Vec<String> = prefixes
            .iter()
            .map(|p| {
                let mut stmt = conn
                    .prepare_cached(
                        "SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?1
                         ORDER BY rowid DESC LIMIT 20",
                    )
                    .expect("prepare");
                let expr = format!("\"{p}\" *");
                let mut t: Vec<Duration> = (0..rounds)
                    .map(|_| {
                        let started = Instant::now();
                        let rows: Vec<i64> = stmt
                            .query_map([&expr], |r| r.get(0))
                            .and_then(|r| r.collect())
                            .expect("page");
                        std::hint::black_box(rows);
                        started.elapsed()
                    })
                    .collect();
                format!("{:>9.2}", ms(quantile(&mut t, 0.5)))
            })
            .collect();
        println!(
            "{name:<6} {:>10.1} {}",
            bytes as f64 / 1e6 / n as f64 * 100_000.0,
            times.join("")
        );
    }
}
