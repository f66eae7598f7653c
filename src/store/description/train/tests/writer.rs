//! The dictionary as the writer's transactions meet it: descriptions the
//! preparing threads compressed beforehand, a retraining on its own thread
//! recorded by a later commit, and the first training ending a transaction
//! early. The helpers are the parent module's.

use super::*;

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
