//! Closed jobs against a real SQLite file: a job closes when every board
//! that can tell has stopped listing it, reopens when it comes back (under
//! its old id or a new one), and a closed job is never notified.

use super::*;

#[test]
fn a_job_closes_after_two_complete_fetches_without_it_and_reopens() {
    let mut db = db();
    let a = listing("gh", "greenhouse", "1");
    let b = listing("gh", "greenhouse", "2");
    let ups = db.fetch(day(0), &[&a, &b]);
    db.fetch(day(1), &[&b]);
    assert!(db.closed_at(ups[0].id).is_none(), "one miss proves nothing");
    // A truncated fetch proves nothing either.
    db.fetch_as(day(2), &[&b], false);
    assert!(db.closed_at(ups[0].id).is_none());
    db.fetch(day(3), &[&b]);
    assert_eq!(db.closed_at(ups[0].id), Some(day(3)));
    assert!(db.closed_at(ups[1].id).is_none());
    let back = db.fetch(day(4), &[&a, &b]);
    assert!(back[0].reopened);
    let job = db.store.posting(ups[0].id).expect("read").expect("job");
    assert_eq!((job.closed_at, job.reopened_at), (None, Some(day(4))));
}

#[test]
fn a_job_that_closes_before_its_digest_is_never_notified() {
    let mut db = db();
    let a = listing("gh", "greenhouse", "1");
    let id = db.fetch(day(0), &[&a])[0].id;
    let mut tx = db.store.begin_ingest(day(0)).expect("begin");
    assert!(
        tx.record_match("ml", id, &["digest".into()], true)
            .expect("match")
    );
    tx.commit().expect("commit");
    assert_eq!(
        db.store
            .unassigned_deliveries("digest", 10)
            .expect("outbox")
            .len(),
        1
    );
    db.empty_fetch(day(1), "gh", "greenhouse");
    db.empty_fetch(day(2), "gh", "greenhouse");
    assert!(
        db.store
            .unassigned_deliveries("digest", 10)
            .expect("outbox")
            .is_empty()
    );
    // Back again: the alert already matched it, so it stays quiet.
    let up = db.fetch(day(3), &[&a])[0];
    assert!(up.reopened);
    let mut tx = db.store.begin_ingest(day(3)).expect("begin");
    assert!(
        !tx.record_match("ml", id, &["digest".into()], true)
            .expect("match")
    );
    tx.commit().expect("commit");
}

#[test]
fn a_closed_job_reposted_under_a_new_id_is_the_same_job_reopened() {
    let mut db = db();
    let a = listing("gh", "greenhouse", "1");
    let first = db.fetch(day(0), &[&a])[0];
    db.empty_fetch(day(1), "gh", "greenhouse");
    db.empty_fetch(day(2), "gh", "greenhouse");
    let mut repost = listing("gh", "greenhouse", "77");
    repost.title = "Senior ML Engineer";
    let up = db.fetch(day(3), &[&repost])[0];
    assert_eq!(up.id, first.id);
    assert!(up.reopened);
    assert_eq!(db.jobs(), 1);
}

#[test]
fn a_job_stays_open_while_any_tracked_listing_is_open() {
    let mut db = db();
    let ats = listing("gh", "greenhouse", "1");
    let mut agg = listing("agg", "remotive", "9");
    agg.title = "Senior ML Engineer";
    let id = db.fetch(day(0), &[&ats])[0].id;
    db.fetch(day(0), &[&agg]);
    db.empty_fetch(day(1), "gh", "greenhouse");
    db.empty_fetch(day(2), "gh", "greenhouse");
    assert!(db.closed_at(id).is_none());
    db.empty_fetch(day(3), "agg", "remotive");
    db.empty_fetch(day(4), "agg", "remotive");
    assert_eq!(db.closed_at(id), Some(day(4)));
}

#[test]
fn feeds_never_close_jobs() {
    let mut db = db();
    let item = listing("blog", "feed", "1");
    let id = db.fetch(day(0), &[&item])[0].id;
    for n in 1..4 {
        let other = listing("blog", "feed", "2");
        db.fetch(day(n), &[&other]);
    }
    assert!(db.closed_at(id).is_none());
}
