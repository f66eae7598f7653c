//! Joining by links against a real SQLite file: an apply link or a link in
//! the description joins copies of a job, links to two job ids on one site
//! keep two requisitions apart, and a link reposted on many boards still
//! joins.

use super::*;

// Found by the labelled set: an Ashby board named from its slug
// ("Brightwater") and the boards that copy it ("Brightwater Health", with the
// Ashby apply URL as their apply link). The link is the strongest evidence
// there is, but the guessed company key vetoes it.
#[test]
fn an_apply_link_joins_despite_a_company_named_from_the_slug() {
    let mut db = db();
    let mut ats = listing("ashby-bw", "ashby", "64d3");
    ats.company = Some("Brightwater");
    ats.url = "https://jobs.ashbyhq.com/brightwater/64d3".into();
    ats.apply_url = Some("https://jobs.ashbyhq.com/brightwater/64d3/application".into());
    let mut board = listing("remoteok", "remoteok", "1152099");
    board.company = Some("Brightwater Health");
    board.apply_url = Some("https://jobs.ashbyhq.com/brightwater/64d3/application".into());
    let a = db.fetch(day(0), &[&ats])[0];
    let b = db.fetch(day(1), &[&board])[0];
    assert_eq!(a.id, b.id);
}

#[test]
fn links_to_two_job_ids_on_one_site_conflict() {
    let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let conflict = crate::store::dedupe::links_conflict;
    assert!(conflict(
        &l(&["https://careers.acme.example/jobs/256"]),
        &l(&[
            "https://careers.acme.example/jobs/300",
            "https://acme.example/"
        ])
    ));
    assert!(!conflict(
        &l(&["https://jobs.lever.co/acme/5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70/apply"]),
        &l(&["https://jobs.lever.co/acme/5f2d8c1e-7a4b-4f0e-9b1a-2c3d4e5f6a70"])
    ));
    assert!(!conflict(
        &l(&["https://www.larkspur.example/careers?gh_jid=4003438154"]),
        &l(&["https://boards.greenhouse.io/larkspur/jobs/4003438154"])
    ));
    assert!(!conflict(
        &l(&["https://a.example/jobs/256"]),
        &l(&["https://b.example/jobs/300"])
    ));
    assert!(!conflict(&l(&[]), &l(&["https://a.example/jobs/300"])));
}

#[test]
fn two_requisitions_from_one_template_stay_apart_by_their_links() {
    let mut db = db();
    let mut a = listing("board-a", "remotive", "1");
    a.html =
        format!(r#"<p>{TEXT}</p><p><a href="https://careers.hf.example/jobs/256">Apply</a></p>"#);
    let mut b = listing("board-b", "remoteok", "2");
    b.html =
        format!(r#"<p>{TEXT}</p><p><a href="https://careers.hf.example/jobs/300">Apply</a></p>"#);
    db.fetch(day(0), &[&a]);
    assert_eq!(db.fetch(day(1), &[&b])[0].change, Change::New);
}

/// A board name that lives as long as the test's listings.
fn board(i: usize) -> &'static str {
    Box::leak(format!("board{i}").into_boxed_str())
}

#[test]
fn a_link_on_more_listings_than_one_probe_reads_still_joins_its_job() {
    // 55 boards repost one job, each with the employer's apply link and a
    // link to its posting in the description: more listings than a probe
    // reads at once (50), so the probes read the newest 50 in order.
    let ats_page = "https://jobs.ashbyhq.com/acme/7f3a";
    let mut db = db();
    let reposts: Vec<Listing> = (0..55)
        .map(|i| {
            let mut l = listing(board(i), "remoteok", "r1");
            l.apply_url = Some(format!("{ats_page}/application"));
            l.html = format!("<p>{TEXT}</p><p><a href=\"{ats_page}\">Apply</a></p>");
            l
        })
        .collect();
    let first = db.fetch(day(0), &[&reposts[0]])[0];
    for (i, l) in reposts.iter().enumerate().skip(1) {
        let r = db.fetch(day(0) + Duration::minutes(i as i64), &[l])[0];
        assert_eq!(r.id, first.id, "repost {i}");
    }
    // Another board with the same apply link: joined through it.
    let mut late = listing("late-board", "remoteok", "x9");
    late.apply_url = Some(format!("{ats_page}/application"));
    assert_eq!(db.fetch(day(1), &[&late])[0].id, first.id);
    // The employer's own page, which 55 descriptions link to.
    let mut ats = listing("ashby-acme", "ashby", "7f3a");
    ats.url = ats_page.into();
    assert_eq!(db.fetch(day(2), &[&ats])[0].id, first.id);
    assert_eq!(db.jobs(), 1);
    let sightings = db.store.sightings(first.id).expect("sightings");
    assert_eq!(sightings.len(), 57);
}
