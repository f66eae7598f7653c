//! Training against a real SQLite file, through the real ingest path: the
//! trained dictionary is stored and used, and every description written
//! before or after it reads back byte for byte.

use chrono::{DateTime, Utc};

use super::{Policy, Trainer, maintain};
use crate::model::{PostingId, RawPosting, SourceName};
use crate::normalize::normalize;
use crate::store::{SearchTerms, Store, from_unix};

fn now() -> DateTime<Utc> {
    from_unix(1_795_600_000)
}

const BOILERPLATE: &[&str] = &[
    "We are an equal opportunity employer and value diversity at our company.",
    "Benefits include health, dental and vision insurance, a 401(k) match and flexible hours.",
    "You will work closely with product, design and infrastructure teams.",
    "Our stack: Rust, PostgreSQL, Kubernetes, Terraform and a little Python.",
    "Remote-friendly within European time zones; quarterly offsites in Berlin.",
];
const WORDS: &[&str] = &[
    "pipelines",
    "latency",
    "models",
    "storage",
    "customers",
    "search",
    "billing",
    "compilers",
    "observability",
    "security",
    "mobile",
    "payments",
    "ranking",
    "embedded",
    "firmware",
];

/// A listing with a description of a few paragraphs: shared boilerplate in
/// varying order and words of its own, as job boards write them.
fn raw(i: usize, rng: &mut fastrand::Rng) -> RawPosting {
    let mut html = format!("<h2>About the role #{i}</h2>");
    for _ in 0..rng.usize(4..9) {
        let b = BOILERPLATE[rng.usize(..BOILERPLATE.len())];
        let w: Vec<&str> = (0..rng.usize(3..12))
            .map(|_| WORDS[rng.usize(..WORDS.len())])
            .collect();
        html.push_str(&format!(
            "<p>{b} Focus: {} ({}).</p>",
            w.join(", "),
            rng.u32(..100_000)
        ));
    }
    html.push_str("<ul><li>Naïve — “quoted” 日本</li></ul>");
    RawPosting {
        external_id: format!("job-{i}"),
        title: format!("Engineer {i}"),
        url: Some(format!("https://jobs.example/{i}")),
        description_html: Some(html),
        ..RawPosting::default()
    }
}

/// A store at `dir` holding `n` generated listings (from `seed`), stored
/// in one fetch: the store, the listings and their ids.
fn store_of(
    dir: &std::path::Path,
    n: usize,
    seed: u64,
) -> (Store, Vec<RawPosting>, Vec<PostingId>) {
    let mut store = Store::open(&dir.join("j.db")).expect("open");
    let mut rng = fastrand::Rng::with_seed(seed);
    let raws: Vec<RawPosting> = (0..n).map(|i| raw(i, &mut rng)).collect();
    let ids = ingest(&mut store, &raws);
    (store, raws, ids)
}

/// A policy for small stores: an 8 KB dictionary trained once the store
/// holds `train_at` postings, from `samples` samples of `sample_bytes` in all.
fn small(train_at: i64, samples: i64, sample_bytes: usize) -> Policy {
    Policy {
        train_at,
        growth: 10,
        samples,
        sample_bytes,
        dict_size: 8 << 10,
        batch: 1_000,
    }
}

/// `n` listings whose descriptions are one word: too little text to train on.
fn short_postings(n: usize) -> Vec<RawPosting> {
    (0..n)
        .map(|i| RawPosting {
            external_id: format!("j{i}"),
            title: format!("Job {i}"),
            description_text: Some("short".into()),
            ..RawPosting::default()
        })
        .collect()
}

/// Stores `raws` in one ingest transaction; returns each one's id.
fn ingest(store: &mut Store, raws: &[RawPosting]) -> Vec<PostingId> {
    let name = SourceName("board".into());
    let mut tx = store.begin_ingest(now()).expect("begin");
    tx.set_source(&name);
    let ids = raws
        .iter()
        .map(|r| {
            let p = normalize(r.clone(), &name);
            let keys = crate::normalize::identity::Keys::of(&p);
            tx.upsert(&p, &keys, SearchTerms::default())
                .expect("upsert")
                .id
        })
        .collect();
    tx.commit().expect("commit");
    ids
}

/// Each stored row's encoding byte, by id.
fn tags(store: &Store) -> Vec<u8> {
    let mut stmt = store
        .conn
        .prepare("SELECT description FROM postings ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))
        .expect("query")
        .map(|b| b.expect("row")[0])
        .collect()
}

fn stored_bytes(store: &Store) -> i64 {
    store
        .conn
        .query_row("SELECT sum(length(description)) FROM postings", [], |r| {
            r.get(0)
        })
        .expect("sum")
}

/// Asserts every stored description reads back as normalizing its listing gives.
fn assert_round_trip(store: &Store, raws: &[RawPosting], ids: &[PostingId]) {
    let name = SourceName("board".into());
    for (r, id) in raws.iter().zip(ids) {
        let want = normalize(r.clone(), &name);
        let got = store.posting(*id).expect("read").expect("stored").posting;
        assert_eq!(
            got.description_html, want.description_html,
            "html of {id:?}"
        );
        assert_eq!(got.text, want.text, "text of {id:?}");
    }
}

#[test]
fn a_store_with_a_trained_dictionary_round_trips_every_description() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("t.db")).expect("open");
    let mut rng = fastrand::Rng::with_seed(7);
    let raws: Vec<RawPosting> = (0..1_150).map(|i| raw(i, &mut rng)).collect();
    let mut ids = Vec::new();
    for chunk in raws.chunks(100) {
        ids.extend(ingest(&mut store, chunk));
    }
    let (trained_at, dict_len): (i64, i64) = store
        .conn
        .query_row(
            "SELECT postings, length(dict) FROM description_dicts",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("one dictionary");
    assert_eq!(trained_at, 300, "trained at the commit that passed 250");
    assert!(dict_len > 1_000, "{dict_len}");
    // The first 300 were re-encoded in that commit, the rest written with it.
    assert!(tags(&store).iter().all(|&t| t == 2), "{:?}", tags(&store));
    assert_round_trip(&store, &raws, &ids);
    // A changed description is written with the trained dictionary too.
    let mut changed = raws[3].clone();
    changed.description_html = Some("<p>Now a different text, with its own words.</p>".into());
    ingest(&mut store, std::slice::from_ref(&changed));
    assert_round_trip(&store, &[changed], &ids[3..4]);
}

#[test]
fn rows_written_before_training_are_recompressed_in_batches_and_read_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Fewer than the store's own policy trains at.
    let (store, raws, ids) = store_of(dir.path(), 240, 11);
    assert!(tags(&store).iter().all(|&t| t == 1), "shipped dictionary");
    let before = stored_bytes(&store);
    let policy = Policy {
        train_at: 200,
        growth: 10,
        samples: 200,
        sample_bytes: 2 << 20,
        dict_size: 8 << 10,
        batch: 120,
    };
    let step = |store: &Store| {
        maintain(&store.conn, 0, &policy, &mut Trainer::default()).expect("maintain")
    };

    step(&store);
    let t = tags(&store);
    assert_eq!(t.iter().filter(|&&t| t == 2).count(), 120, "one batch");
    assert_round_trip(&store, &raws, &ids);
    step(&store);
    step(&store);
    assert!(tags(&store).iter().all(|&t| t == 2), "{:?}", tags(&store));
    assert_round_trip(&store, &raws, &ids);
    let after = stored_bytes(&store);
    assert!(after * 3 < before * 2, "{before} -> {after} bytes");
    let done: i64 = store
        .conn
        .query_row("SELECT recompressed_to FROM description_dicts", [], |r| {
            r.get(0)
        })
        .expect("cursor");
    assert_eq!(done, 240);
    // Nothing more to do: a further commit trains nothing and rewrites nothing.
    step(&store);
    let dicts: i64 = store
        .conn
        .query_row("SELECT count(*) FROM description_dicts", [], |r| r.get(0))
        .expect("count");
    assert_eq!((dicts, stored_bytes(&store)), (1, after));
}

#[test]
fn a_store_without_enough_text_waits_to_grow_before_trying_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("s.db")).expect("open");
    ingest(&mut store, &short_postings(30));
    let policy = Policy {
        train_at: 20,
        growth: 10,
        samples: 30,
        sample_bytes: 2 << 20,
        dict_size: 8 << 10,
        batch: 100,
    };
    maintain(&store.conn, 0, &policy, &mut Trainer::default()).expect("maintain");
    maintain(&store.conn, 0, &policy, &mut Trainer::default()).expect("maintain");
    let rows: Vec<(i64, Option<i64>)> = store
        .conn
        .prepare("SELECT postings, dict_id FROM description_dicts")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows, vec![(30, None)], "one attempt, no dictionary");
    assert!(tags(&store).iter().all(|&t| t == 1));
}

#[test]
fn training_again_on_the_same_text_records_the_attempt_and_keeps_the_dictionary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, raws, ids) = store_of(dir.path(), 200, 5);
    // Growth 1: due again at once, on the same sample, giving the same dictionary.
    let policy = Policy {
        train_at: 100,
        growth: 1,
        samples: 200,
        sample_bytes: 2 << 20,
        dict_size: 8 << 10,
        batch: 1_000,
    };
    maintain(&store.conn, 0, &policy, &mut Trainer::default()).expect("first training");
    maintain(&store.conn, 0, &policy, &mut Trainer::default()).expect("second training");
    let rows: Vec<(i64, bool)> = store
        .conn
        .prepare("SELECT seq, dict IS NOT NULL FROM description_dicts ORDER BY seq")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows, vec![(1, true), (2, false)]);
    assert!(tags(&store).iter().all(|&t| t == 2));
    assert_round_trip(&store, &raws, &ids);
}

#[test]
fn a_training_reads_no_more_than_its_sample_bytes() {
    let trains = |sample_bytes: usize| {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _, _) = store_of(dir.path(), 200, 9);
        maintain(
            &store.conn,
            0,
            &small(100, 200, sample_bytes),
            &mut Trainer::default(),
        )
        .expect("maintain");
        store
            .conn
            .query_row("SELECT dict IS NOT NULL FROM description_dicts", [], |r| {
                r.get::<_, bool>(0)
            })
            .expect("one attempt")
    };
    assert!(trains(2 << 20), "the store has text enough");
    // Cut to just under what training needs (8 times the dictionary): the
    // cap, not the store, decides.
    assert!(!trains((8 << 10) * 8 - 1));
}

#[test]
fn a_description_compressed_before_the_writer_uses_the_stores_dictionary() {
    use crate::store::{CurrentDictionary, Encoded};
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _, _) = store_of(dir.path(), 300, 13);
    maintain(
        &store.conn,
        0,
        &small(200, 200, 2 << 20),
        &mut Trainer::default(),
    )
    .expect("train");
    let name = SourceName("board".into());
    let current = CurrentDictionary::default();
    let mut rng = fastrand::Rng::with_seed(14);
    let fresh: Vec<RawPosting> = (300..302).map(|i| raw(i, &mut rng)).collect();
    let mut tx = store.begin_ingest(now()).expect("begin");
    tx.set_source(&name);
    // What the preparing threads saw before this transaction: no dictionary.
    let p = normalize(fresh[0].clone(), &name);
    let keys = crate::normalize::identity::Keys::of(&p);
    let stale = Encoded::of(&p, &keys, &current, None).expect("encode");
    tx.publish_dictionary(&current);
    assert!(
        current.get().is_some(),
        "the trained dictionary is published"
    );
    let a = tx
        .upsert_encoded(&p, &keys, SearchTerms::default(), stale)
        .expect("upsert")
        .id;
    // Compressed with the published one.
    let q = normalize(fresh[1].clone(), &name);
    let keys = crate::normalize::identity::Keys::of(&q);
    let ready = Encoded::of(&q, &keys, &current, None).expect("encode");
    let b = tx
        .upsert_encoded(&q, &keys, SearchTerms::default(), ready)
        .expect("upsert")
        .id;
    tx.commit().expect("commit");
    assert_eq!(
        tags(&store)[300..],
        [2, 2],
        "both with the trained dictionary"
    );
    assert_round_trip(&store, &fresh, &[a, b]);
    // Fetched again: the stored hash says unchanged, nothing is compressed,
    // and what was stored stays.
    let hashes = store.listing_hashes(&name).expect("hashes");
    let before = stored_bytes(&store);
    let mut tx = store.begin_ingest(now()).expect("begin");
    tx.set_source(&name);
    tx.publish_dictionary(&current);
    for raw in &fresh {
        let p = normalize(raw.clone(), &name);
        let keys = crate::normalize::identity::Keys::of(&p);
        let known = hashes.get(&p.external_id).copied();
        assert!(known.is_some(), "{}", p.external_id);
        let enc = Encoded::of(&p, &keys, &current, known).expect("encode");
        let up = tx
            .upsert_encoded(&p, &keys, SearchTerms::default(), enc)
            .expect("upsert");
        assert_eq!(up.change, crate::store::Change::Unchanged);
    }
    tx.commit().expect("commit");
    assert_eq!(stored_bytes(&store), before);
    assert_round_trip(&store, &fresh, &[a, b]);
}

#[test]
fn a_background_retraining_is_recorded_by_a_later_commit_as_an_inline_one_would_be() {
    // Trains at 200 postings and again at twice the size of the last training.
    let policy = Policy {
        growth: 2,
        ..small(200, 200, 2 << 20)
    };
    let dict_rows = |store: &Store| -> Vec<(i64, Option<Vec<u8>>)> {
        store
            .conn
            .prepare("SELECT postings, dict FROM description_dicts ORDER BY seq")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let grow =
        |store: &mut Store, raws: &mut Vec<RawPosting>, ids: &mut Vec<PostingId>, to, seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            let more: Vec<RawPosting> = (raws.len()..to).map(|i| raw(i, &mut rng)).collect();
            ids.extend(ingest(store, &more));
            raws.extend(more);
        };
    // Both stores stay below the size their own commits train at (250).
    let inline_dir = tempfile::tempdir().expect("tempdir");
    let (mut inline, mut inline_raws, mut inline_ids) = store_of(inline_dir.path(), 240, 21);
    maintain(&inline.conn, 0, &policy, &mut Trainer::default()).expect("first");
    grow(&mut inline, &mut inline_raws, &mut inline_ids, 480, 22);
    maintain(&inline.conn, 0, &policy, &mut Trainer::default()).expect("second");
    let want = dict_rows(&inline);
    assert_eq!(want.len(), 2, "two inline trainings");
    assert!(
        want[1].1.is_some(),
        "the inline retraining gave a dictionary"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, mut raws, mut ids) = store_of(dir.path(), 240, 21);
    let mut trainer = Trainer::default();
    trainer.background();
    maintain(&store.conn, 0, &policy, &mut trainer).expect("first");
    assert_eq!(
        dict_rows(&store).len(),
        1,
        "the first training runs in the commit all the same"
    );
    assert!(tags(&store).iter().all(|&t| t == 2), "{:?}", tags(&store));
    grow(&mut store, &mut raws, &mut ids, 480, 22);
    maintain(&store.conn, 0, &policy, &mut trainer).expect("start");
    assert_eq!(
        dict_rows(&store).len(),
        1,
        "nothing recorded while it trains"
    );
    // Listings stored meanwhile use the first trained dictionary.
    grow(&mut store, &mut raws, &mut ids, 520, 23);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while dict_rows(&store).len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the training never landed"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
        maintain(&store.conn, 0, &policy, &mut trainer).expect("later commit");
    }
    let got = dict_rows(&store);
    assert_eq!(
        got[1].1, want[1].1,
        "the same sample gives the same dictionary"
    );
    assert_eq!(
        got[1].0, 480,
        "recorded as of the store's size when sampled"
    );
    assert!(tags(&store).iter().all(|&t| t == 2), "{:?}", tags(&store));
    assert_round_trip(&store, &raws, &ids);
}

#[test]
fn a_transaction_stops_for_the_first_training_only_while_none_was_tried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("l.db")).expect("open");
    let first = usize::try_from(Policy::DEFAULT.train_at).expect("a count");
    let limit = |store: &mut Store, most: usize| {
        let tx = store.begin_ingest(now()).expect("begin");
        tx.batch_limit(most).expect("limit")
    };
    assert_eq!(limit(&mut store, 4_000), first);
    assert_eq!(limit(&mut store, 100), 100, "never more than the caller's");
    // Stored postings count towards the training; an attempt that found too
    // little text counts as the first training: later transactions are as
    // large as the caller wants, and the next training waits for growth.
    ingest(&mut store, &short_postings(30));
    assert_eq!(
        limit(&mut store, 4_000),
        first - 30,
        "the rest up to the training"
    );
    maintain(
        &store.conn,
        0,
        &small(20, 30, 2 << 20),
        &mut Trainer::default(),
    )
    .expect("maintain");
    assert_eq!(limit(&mut store, 4_000), 4_000);
}
