//! Identity in a store made by an older schema: its jobs and matches are
//! kept through the migrations, and new listings join them as they would
//! join jobs stored today.

use super::*;

#[test]
fn a_version_4_store_keeps_its_jobs_and_matches_and_joins_new_listings_to_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).expect("open");
        crate::store::migrations::migrate_to(&mut conn, 4);
        conn.execute_batch(&format!(
            "INSERT INTO sources (name, kind) VALUES ('gh', 'greenhouse');
             INSERT INTO postings (id, source, external_id, url_key, url, title, raw_title, company,
                locations, text, description_html, content_hash, first_seen, last_seen, changed_at, sort_at)
             VALUES (7, 'gh', '1', 'https://gh.example/jobs/1', 'https://gh.example/jobs/1',
                'Senior Machine Learning Engineer', 'Senior Machine Learning Engineer', 'Hugging Face',
                '[\"San Francisco, CA\"]', '{TEXT}', '<p>{TEXT}</p>', 1, 100, 100, 100, 100);
             INSERT INTO sightings (source, external_id, posting_id, url, first_seen, last_seen)
             VALUES ('gh', '1', 7, 'https://gh.example/jobs/1', 100, 100);
             INSERT INTO matches (alert, posting_id, matched_at, notified) VALUES ('ml', 7, 100, 1);"
        ))
        .expect("rows");
    }
    let store = Store::open(&path).expect("migrates");
    let mut db = Db { _dir: dir, store };
    assert_eq!(db.jobs(), 1);
    assert_eq!(db.store.matches_of(PostingId(7)).expect("matches").len(), 1);
    let mut agg = listing("agg", "remotive", "9");
    agg.title = "Sr. ML Engineer";
    let up = db.fetch(day(0), &[&agg])[0];
    assert_eq!(up.id, PostingId(7), "joined by content to the migrated job");
    let mut tx = db.store.begin_ingest(day(0)).expect("begin");
    assert!(
        !tx.record_match("ml", up.id, &["hook".into()], true)
            .expect("match")
    );
    tx.commit().expect("commit");
}
