//! Identity against a real SQLite file: listings go through `Ingest` as the
//! writer sends them, and the jobs that come out are counted.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::model::{Posting, PostingId, SourceName, Workplace};
use crate::store::{Change, Store, Upsert};

mod lifecycle;
mod links;
mod upgrade;

const TEXT: &str = "We are looking for a machine learning engineer to join our inference team. \
You will build and operate the systems that serve our largest models to millions of users, \
work closely with researchers on new architectures, profile GPU kernels, and make training and \
serving faster and cheaper. You have shipped production ML systems, know PyTorch well, and enjoy \
debugging distributed systems. Benefits include equity, health insurance and a learning budget.";

const OTHER_TEXT: &str = "Join the pretraining team to scale our next generation of foundation \
models across thousands of accelerators. You will design data pipelines, tune large scale \
optimizers, run ablations on architecture choices, and own the reliability of multi week runs. \
Experience with JAX or Megatron and with debugging numerical instability is a strong plus here.";

struct Listing {
    source: &'static str,
    kind: &'static str,
    id: &'static str,
    title: &'static str,
    company: Option<&'static str>,
    locations: &'static [&'static str],
    url: String,
    apply_url: Option<String>,
    text: String,
    html: String,
    salary: bool,
}

fn listing(source: &'static str, kind: &'static str, id: &'static str) -> Listing {
    Listing {
        source,
        kind,
        id,
        title: "Senior Machine Learning Engineer",
        company: Some("Hugging Face"),
        locations: &["San Francisco, CA"],
        url: format!("https://{source}.example/jobs/{id}"),
        apply_url: None,
        text: TEXT.to_string(),
        html: format!("<p>{TEXT}</p>"),
        salary: false,
    }
}

impl Listing {
    fn posting(&self) -> Posting {
        Posting {
            source: SourceName(self.source.into()),
            external_id: self.id.into(),
            title: self.title.into(),
            raw_title: self.title.into(),
            company: self.company.map(String::from),
            department: None,
            locations: self.locations.iter().map(|s| s.to_string()).collect(),
            workplace: Workplace::Unknown,
            employment_type: None,
            salary: self.salary.then(|| crate::model::Salary {
                min: Some(150_000.0),
                max: Some(190_000.0),
                currency: Some("USD".into()),
                period: Some(crate::model::SalaryPeriod::Year),
                origin: crate::model::SalaryOrigin::Structured,
                text: None,
            }),
            posted_at: None,
            updated_at: None,
            url: Some(self.url.clone()),
            apply_url: self.apply_url.clone(),
            description_html: self.html.clone(),
            text: self.text.clone(),
            tags: Vec::new(),
            author: None,
        }
    }
}

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0)
        .single()
        .expect("date")
        + Duration::days(n)
}

struct Db {
    _dir: tempfile::TempDir,
    store: Store,
}

fn db() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("identity.db")).expect("store");
    Db { _dir: dir, store }
}

impl Db {
    /// One complete fetch of one source at `at`; returns each listing's result.
    fn fetch(&mut self, at: DateTime<Utc>, listings: &[&Listing]) -> Vec<Upsert> {
        self.fetch_as(at, listings, true)
    }

    fn fetch_as(
        &mut self,
        at: DateTime<Utc>,
        listings: &[&Listing],
        complete: bool,
    ) -> Vec<Upsert> {
        let mut tx = self.store.begin_ingest(at).expect("begin");
        tx.set_terms_of(crate::pipeline::search_terms);
        let mut out = Vec::new();
        if let Some(first) = listings.first() {
            tx.set_source(&SourceName(first.source.into()));
            let tracked = first.kind != "feed";
            tx.set_kind(first.kind, tracked);
            if tracked && complete {
                tx.set_listing(listings.iter().map(|l| l.id.to_string()));
            }
            for l in listings {
                let p = l.posting();
                out.push(tx.upsert_whole(&p).expect("upsert"));
            }
            if tracked && complete {
                tx.close_missing().expect("close");
            }
        }
        tx.commit().expect("commit");
        out
    }

    /// A complete fetch of `source` that lists nothing.
    fn empty_fetch(&mut self, at: DateTime<Utc>, source: &str, kind: &str) {
        let mut tx = self.store.begin_ingest(at).expect("begin");
        tx.set_source(&SourceName(source.into()));
        tx.set_kind(kind, true);
        tx.close_missing().expect("close");
        tx.commit().expect("commit");
    }

    fn jobs(&self) -> u64 {
        self.store.count_postings().expect("count")
    }

    /// When the stored job `id` closed, if it is closed.
    fn closed_at(&self, id: PostingId) -> Option<DateTime<Utc>> {
        self.store
            .posting(id)
            .expect("read")
            .expect("job")
            .closed_at
    }
}

#[test]
fn one_job_on_three_boards_under_three_urls_and_spellings_is_one_posting() {
    let mut db = db();
    let ats = listing("hf-lever", "lever", "abc");
    let mut board = listing("remoteok", "remoteok", "r1");
    board.title = "Sr. ML Engineer (Remote)";
    board.company = Some("HuggingFace");
    board.locations = &["Remote"];
    board.text = format!("{} Apply through RemoteOK.", &TEXT[..300]);
    board.salary = true;
    let mut wwr = listing("wwr", "feed", "w1");
    wwr.title = "Machine Learning Engineer, Senior";
    wwr.company = Some("Hugging Face, Inc.");
    let a = db.fetch(day(0), &[&ats])[0];
    let b = db.fetch(day(1), &[&board])[0];
    let c = db.fetch(day(2), &[&wwr])[0];
    assert_eq!(db.jobs(), 1);
    assert_eq!((b.id, c.id), (a.id, a.id));
    assert!(b.new_sighting && c.new_sighting);
    let job = db.store.posting(a.id).expect("read").expect("stored");
    // The ATS owns the fields; the aggregator's salary fills the gap.
    assert_eq!(job.posting.title, "Senior Machine Learning Engineer");
    assert_eq!(job.posting.locations, ["San Francisco, CA"]);
    assert!(job.posting.salary.is_some(), "salary filled from the board");
    let sightings = db.store.sightings(a.id).expect("sightings");
    let reasons: Vec<&str> = sightings.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["first", "content", "content"]);
}

#[test]
fn the_ats_takes_over_a_job_an_aggregator_listed_first() {
    let mut db = db();
    let mut board = listing("remotive", "remotive", "9");
    board.title = "Senior ML Engineer";
    board.salary = true;
    board.apply_url = Some("https://jobs.lever.co/hf/abc/apply".into());
    let mut ats = listing("hf", "lever", "abc");
    ats.url = "https://jobs.lever.co/hf/abc".into();
    ats.apply_url = Some("https://jobs.lever.co/hf/abc/apply".into());
    ats.text = OTHER_TEXT.into();
    ats.html = format!("<p>{OTHER_TEXT}</p>");
    let a = db.fetch(day(0), &[&board])[0];
    let b = db.fetch(day(1), &[&ats])[0];
    assert_eq!(a.id, b.id, "same apply link: one job even with other text");
    let job = db.store.posting(a.id).expect("read").expect("stored");
    assert_eq!(job.posting.source.as_str(), "hf");
    assert_eq!(
        job.posting.url.as_deref(),
        Some("https://jobs.lever.co/hf/abc")
    );
    assert!(job.posting.text.starts_with("Join the pretraining"));
    assert!(job.posting.salary.is_some(), "the board's salary stays");
}

#[test]
fn an_aggregator_linking_the_ats_posting_joins_it() {
    let mut db = db();
    let ats = listing("gh", "greenhouse", "42");
    let mut agg = listing("getro", "getro", "g1");
    agg.title = "Staff Research Engineer";
    agg.text = "Short blurb.".into();
    agg.html = format!(
        r#"<p>Short blurb. <a href="{}?utm_source=getro">Apply</a></p>"#,
        ats.url
    );
    agg.title = "Senior Machine Learning Engineer - San Francisco";
    let a = db.fetch(day(0), &[&ats])[0];
    let b = db.fetch(day(0), &[&agg])[0];
    assert_eq!(a.id, b.id);
    let s = db.store.sightings(a.id).expect("sightings");
    let joined = s
        .iter()
        .find(|s| s.source == "getro")
        .expect("getro listing");
    assert_eq!(joined.reason, "link");
    assert!(
        joined
            .detail
            .as_deref()
            .is_some_and(|d| d.contains(&ats.url)),
        "{:?}",
        joined.detail
    );
}

#[test]
fn hard_negatives_stay_apart() {
    let mut db = db();
    let base = listing("gh", "greenhouse", "1");
    // Same title, same company, another city, on an aggregator.
    let mut ny = listing("agg", "himalayas", "2");
    ny.locations = &["New York, NY"];
    // A level apart.
    let mut level = listing("agg2", "remotive", "3");
    level.title = "Machine Learning Engineer II";
    // Another specialisation.
    let mut spec = listing("agg3", "jobicy", "4");
    spec.title = "Senior Machine Learning Engineer, Pretraining";
    // The same title at another company.
    let mut other = listing("agg4", "remoteok", "5");
    other.company = Some("Mistral AI");
    // Same company, title and place, but another description.
    let mut text = listing("agg5", "getro", "6");
    text.text = OTHER_TEXT.into();
    text.html = format!("<p>{OTHER_TEXT}</p>");
    db.fetch(day(0), &[&base]);
    for l in [&ny, &level, &spec, &other, &text] {
        let up = db.fetch(day(1), &[l])[0];
        assert_eq!(up.change, Change::New, "{} stays apart", l.source);
    }
    assert_eq!(db.jobs(), 6);
}

#[test]
fn two_open_requisitions_on_one_board_are_two_jobs() {
    let mut db = db();
    let a = listing("gh", "greenhouse", "1");
    let b = listing("gh", "greenhouse", "2");
    let ups = db.fetch(day(0), &[&a, &b]);
    assert_ne!(ups[0].id, ups[1].id);
    // An aggregator copy fits both equally: a doubt, so it stays apart.
    let mut agg = listing("agg", "remotive", "x");
    agg.title = "Sr ML Engineer";
    let up = db.fetch(day(1), &[&agg])[0];
    assert_eq!(up.change, Change::New);
    // One in another city is no doubt: it joins the one it fits.
    let mut ny = listing("gh", "greenhouse", "3");
    ny.locations = &["New York, NY"];
    let ny_id = db.fetch(day(2), &[&a, &b, &ny])[2].id;
    let mut copy = listing("agg2", "jobicy", "y");
    copy.locations = &["NYC"];
    assert_eq!(db.fetch(day(3), &[&copy])[0].id, ny_id);
}

#[test]
fn a_job_reposted_under_a_new_id_in_one_fetch_stays_one_job() {
    let mut db = db();
    let old = listing("gh", "greenhouse", "1");
    let other = listing("gh", "greenhouse", "2");
    let first = db.fetch(day(0), &[&old])[0];
    // The board drops id 1 and lists the same job as id 2 in the same fetch.
    let up = db.fetch(day(1), &[&other])[0];
    assert_eq!(up.id, first.id);
    // While a fetch lists both, they are two requisitions.
    let both = db.fetch(day(2), &[&listing("gh", "greenhouse", "3"), &old]);
    assert_ne!(both[0].id, first.id);
}

#[test]
fn a_listing_joined_on_content_that_diverges_splits_off_without_renotifying() {
    let mut db = db();
    let ats = listing("gh", "greenhouse", "1");
    let mut agg = listing("agg", "remotive", "9");
    agg.title = "Senior ML Engineer";
    let id = db.fetch(day(0), &[&ats])[0].id;
    assert_eq!(db.fetch(day(0), &[&agg])[0].id, id);
    {
        let mut tx = db.store.begin_ingest(day(0)).expect("begin");
        tx.record_match("ml", id, &["hook".into()], true)
            .expect("match");
        tx.commit().expect("commit");
    }
    // The board reuses its id for another job.
    agg.title = "Account Executive";
    agg.text = OTHER_TEXT.into();
    agg.html = format!("<p>{OTHER_TEXT}</p>");
    let up = db.fetch(day(1), &[&agg])[0];
    assert_ne!(up.id, id);
    assert_eq!(up.change, Change::New);
    assert_eq!(db.store.sightings(up.id).expect("s")[0].reason, "split");
    let matched = db.store.matches_of(up.id).expect("matches");
    assert_eq!(
        matched.len(),
        1,
        "the alert that notified the job stays notified"
    );
    let mut tx = db.store.begin_ingest(day(1)).expect("begin");
    assert!(
        !tx.record_match("ml", up.id, &["hook".into()], true)
            .expect("match")
    );
    tx.commit().expect("commit");
}

// Found by the labelled set (fixtures/identity): the ATS lists one title in
// two cities (two requisitions, one text); a board copies one of them with
// only a region ("USA", "UK"). Both jobs pass the content test, and the
// newest wins, so the copy joins the wrong requisition half of the time.
// When two jobs fit equally, it is a doubt: the listing should stay apart.
#[test]
fn a_copy_that_fits_two_requisitions_stays_apart() {
    let mut db = db();
    let sf = listing("ats", "greenhouse", "1");
    let mut nyc = listing("ats", "greenhouse", "2");
    nyc.locations = &["New York, NY"];
    let mut copy = listing("remotive", "remotive", "r1");
    copy.locations = &["USA"];
    let jobs = db.fetch(day(0), &[&sf, &nyc]);
    let c = db.fetch(day(1), &[&copy])[0];
    assert_eq!(db.jobs(), 3, "joined job {:?} of {jobs:?}", c.id);
}

// Found by the labelled set: a region-only copy joined the San Francisco job
// (rightly, it was the only one); a second board's copy in "Boston, MA" then
// joins the job through that copy's sighting ("USA" fits Boston), though the
// employer's own listing says San Francisco. Content is compared with one
// sighting of the candidate job, never with all of them.
#[test]
fn a_copy_in_another_city_does_not_join_through_a_region_only_sighting() {
    let mut db = db();
    let sf = listing("ats", "greenhouse", "1");
    let mut region = listing("remotive", "remotive", "r1");
    region.locations = &["USA"];
    let mut boston = listing("remoteok", "remoteok", "k1");
    boston.locations = &["Boston, MA"];
    let a = db.fetch(day(0), &[&sf])[0];
    let b = db.fetch(day(1), &[&region])[0];
    assert_eq!(a.id, b.id);
    let c = db.fetch(day(2), &[&boston])[0];
    assert_ne!(c.id, a.id, "Boston is not San Francisco");
}
