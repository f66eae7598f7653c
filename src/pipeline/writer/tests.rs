//! How the writer cuts a burst of fetches into transactions.

use std::sync::Arc;

use super::{Write, Writer};
use crate::config::Config;
use crate::model::{RawPosting, SourceName};
use crate::normalize::normalize;
use crate::pipeline::Matcher;
use crate::store::{Store, Validators};

/// A posting of about 2.5 KB of description, the size of a typical one,
/// from words that repeat across postings as boards' boilerplate does.
fn raw(i: usize) -> RawPosting {
    const WORDS: &[&str] = &[
        "model",
        "training",
        "pipeline",
        "research",
        "production",
        "latency",
        "team",
        "benefits",
        "remote",
        "inference",
        "data",
        "evaluation",
        "python",
        "rust",
    ];
    let mut html = format!("<h2>Role {i}</h2>");
    for k in 0..40 {
        let words: Vec<&str> = (0..8)
            .map(|w| WORDS[(i * 7 + k * 3 + w * 5) % WORDS.len()])
            .collect();
        html.push_str(&format!(
            "<p>{} {}.</p>",
            words.join(" "),
            (i * 31 + k) % 997
        ));
    }
    RawPosting {
        external_id: format!("job-{i}"),
        title: format!("Machine learning engineer {i}"),
        company: Some(format!("Company {}", i % 40)),
        url: Some(format!("https://jobs.example/{i}")),
        description_html: Some(html),
        ..RawPosting::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_without_a_dictionary_commits_at_the_training_threshold_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.db");
    let text = format!("[database]\npath = \"{}\"\n", path.display());
    let config =
        Config::parse(&text, &dir.path().join("jobhound.toml"), &|_| None).expect("config");
    let matcher = Arc::new(Matcher::new(&config));
    let writer = Writer::spawn(
        Store::open(&path).expect("store"),
        Store::open(&path).expect("store"),
        tokio::runtime::Handle::current(),
    )
    .expect("writer");
    // A pass in flight throughout, so the writer keeps its transaction open
    // for more fetches: without a training to come, all 400 would share it.
    let pass = writer.pass();
    let mut pending = Vec::new();
    for f in 0..8 {
        let source = SourceName(format!("board-{f}"));
        let postings = (f * 50..f * 50 + 50)
            .map(|i| {
                let p = normalize(raw(i), &source);
                let prepared = matcher.prepare(&p, &source);
                (p, prepared)
            })
            .collect();
        let write = Write::Postings {
            kind: "feed",
            postings,
            matcher: matcher.clone(),
            validators: Validators::default(),
            notify: false,
            tracked: false,
            complete: false,
        };
        pending.push(writer.submit(&source, write).await.expect("queued"));
    }
    drop(pass);
    for p in pending {
        p.committed().await.expect("committed");
    }
    writer.close();
    let db = rusqlite::Connection::open(&path).expect("open");
    let trainings: Vec<(i64, bool)> = db
        .prepare("SELECT postings, dict IS NOT NULL FROM description_dicts ORDER BY seq")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    // The first transaction ended at the fetch that reached 250 postings,
    // and its commit trained on them.
    assert_eq!(trainings, vec![(250, true)]);
    let shipped: i64 = db
        .query_row(
            "SELECT count(*) FROM postings WHERE substr(description, 1, 1) <> x'02'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        shipped, 0,
        "the commit after the training re-encoded the rows before it"
    );
}
