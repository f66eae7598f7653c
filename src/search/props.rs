//! Agreement of the two ways a query meets postings: the alert matcher at
//! ingest (a fresh posting's doc and facts, with the state the store keeps)
//! and a search of the stored postings (full-text prefilter, stored columns,
//! closed jobs left out unless asked for). Random queries of words, fields,
//! typed filters and operators must select the same postings both ways.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::{Request, search};
use crate::alerts::{Doc, Facts, Lifecycle, Mark, Query};
use crate::model::{
    EmploymentType, Posting, PostingId, Salary, SalaryOrigin, SalaryPeriod, SourceName, Workplace,
};
use crate::store::{Store, UserState};

const TITLES: &[&str] = &[
    "Senior Rust Engineer",
    "Data Engineer",
    "ML Engineer",
    "Python Developer",
    "Frontend Developer",
];
const PLACES: &[&str] = &["Berlin", "Remote", "London", "Remote; Berlin"];
const WORKPLACES: &[Workplace] = &[
    Workplace::Remote,
    Workplace::Hybrid,
    Workplace::Onsite,
    Workplace::Unknown,
];
const TYPES: &[Option<EmploymentType>] = &[
    Some(EmploymentType::FullTime),
    Some(EmploymentType::Contract),
    None,
    Some(EmploymentType::Internship),
    Some(EmploymentType::PartTime),
];

/// How many postings the store holds.
const N: usize = 36;

/// The `i`-th posting: every combination of title, place, workplace, type,
/// pay (yearly, monthly, hourly, without period, none) and age comes up.
fn posting(i: usize, seen: DateTime<Utc>) -> Posting {
    let title = TITLES[i % TITLES.len()];
    let salary = match i % 7 {
        0 => None,
        1 => Some((Some(120_000.0), Some(160_000.0), Some(SalaryPeriod::Year))),
        2 => Some((Some(9_000.0), None, Some(SalaryPeriod::Month))),
        3 => Some((Some(40.0), Some(70.0), Some(SalaryPeriod::Hour))),
        4 => Some((None, Some(90_000.0), None)),
        5 => Some((Some(5_000.0), Some(6_000.0), None)),
        _ => Some((Some(150_000.0), Some(150_000.0), Some(SalaryPeriod::Year))),
    };
    // From 40 days old to a day in the future (clamped to when first seen).
    let posted = (i % 9 != 4).then(|| seen - Duration::days((i as i64 * 5) % 41 - 1));
    Posting {
        source: SourceName("a".into()),
        external_id: format!("job-{i}"),
        title: format!("{title} {i}"),
        raw_title: title.into(),
        company: (!i.is_multiple_of(4)).then(|| ["Acme", "Globex", "Initech"][i % 3].to_string()),
        department: None,
        locations: vec![PLACES[i % PLACES.len()].to_string()],
        workplace: WORKPLACES[i % WORKPLACES.len()],
        employment_type: TYPES[i % TYPES.len()],
        salary: salary.map(|(min, max, period)| Salary {
            min,
            max,
            currency: Some("EUR".into()),
            period,
            origin: SalaryOrigin::Structured,
            text: None,
        }),
        posted_at: posted,
        updated_at: None,
        url: Some(format!("https://jobs.example/{i}")),
        apply_url: None,
        description_html: String::new(),
        text: format!("{title} role using rust and python, senior team"),
        tags: vec![],
        author: None,
    }
}

/// A store of [`N`] postings, some closed, one reopened, some marked; and
/// per posting its id and the state the store keeps for it.
struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    seen: DateTime<Utc>,
    postings: Vec<(PostingId, Posting, Lifecycle, Option<Mark>)>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("s.db")).expect("store");
    let seen = Utc
        .with_ymd_and_hms(2026, 11, 27, 0, 0, 0)
        .single()
        .expect("date");
    let source = SourceName("a".into());
    let all: Vec<Posting> = (0..N).map(|i| posting(i, seen)).collect();
    let closing = |i: usize| i % 5 == 2;
    let reopening = 7;
    // Three complete fetches: the third closes what the last two missed;
    // a fourth lists one of them again.
    let mut ids = Vec::new();
    for fetch in 0..4 {
        let mut tx = store
            .begin_ingest(seen + Duration::minutes(fetch))
            .expect("begin");
        tx.set_source(&source);
        tx.set_kind("greenhouse", true);
        for (i, p) in all.iter().enumerate() {
            let listed = match fetch {
                0 => true,
                3 => i == reopening,
                _ => !closing(i),
            };
            if listed {
                let up = tx
                    .upsert(
                        p,
                        &crate::normalize::identity::Keys::of(p),
                        crate::pipeline::search_terms(p),
                    )
                    .expect("upsert");
                if fetch == 0 {
                    ids.push(up.id);
                }
            }
        }
        if fetch < 3 {
            tx.close_missing().expect("close");
        }
        tx.commit().expect("commit");
    }
    let marks = [
        None,
        Some(UserState::Saved),
        None,
        Some(UserState::Dismissed),
    ];
    let mut postings = Vec::new();
    for (i, p) in all.into_iter().enumerate() {
        let mark = marks[i % marks.len()].filter(|_| i % 3 != 0);
        if let Some(m) = mark {
            assert!(store.set_user_state(ids[i], Some(m), seen).expect("mark"));
        }
        let lifecycle = match (closing(i), i == reopening) {
            (true, true) => Lifecycle::Reopened,
            (true, false) => Lifecycle::Closed,
            _ => Lifecycle::Open,
        };
        postings.push((ids[i], p, lifecycle, mark.map(Mark::from)));
    }
    Fixture {
        _dir: dir,
        store,
        seen,
        postings,
    }
}

/// Queries of words, fields, typed filters and operators, mostly valid.
fn query() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("rust"),
        Just("engineer"),
        Just("python"),
        Just("remote"),
        Just("title:ml"),
        Just("location:berlin"),
        Just("company:acme"),
        Just("senior"),
        Just("salary>=150k"),
        Just("salary>=100000"),
        Just("salary>100k"),
        Just("salary<=90k"),
        Just("salary<85"),
        Just("workplace:remote"),
        Just("workplace:hybrid"),
        Just("workplace:onsite"),
        Just("type:full-time"),
        Just("type:contract"),
        Just("type:internship"),
        Just("posted<7d"),
        Just("posted>20d"),
        Just("posted<=30d"),
        Just("posted>=14d"),
        Just("state:saved"),
        Just("state:dismissed"),
        Just("state:open"),
        Just("state:closed"),
        Just("state:reopened"),
    ]
    .prop_map(String::from);
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("({})", v.join(" "))),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(" OR "))),
            inner.prop_map(|q| format!("-({q})")),
        ]
    })
}

/// The ids the alert matcher picks for `q` at time `now`, by the rule search
/// follows for closed jobs.
fn matched(f: &Fixture, q: &Query, now: DateTime<Utc>, include_closed: bool) -> BTreeSet<i64> {
    f.postings
        .iter()
        .filter(|(_, p, lifecycle, mark)| {
            let mut doc = Doc::from_posting(p, &["a"]);
            doc.set_facts(Facts {
                lifecycle: *lifecycle,
                mark: *mark,
                ..Facts::of(p, f.seen, now)
            });
            q.matches(&doc)
                && (*lifecycle != Lifecycle::Closed || include_closed || q.mentions_closed())
        })
        .map(|(id, ..)| id.0)
        .collect()
}

fn found(f: &Fixture, q: &Query, now: DateTime<Utc>, include_closed: bool) -> BTreeSet<i64> {
    let req = Request {
        query: Some(q.clone()),
        limit: 1000,
        include_closed,
        ..Request::default()
    };
    search(&f.store, &req, now)
        .expect("search")
        .iter()
        .map(|p| p.id.0)
        .collect()
}

#[test]
fn the_fixture_has_every_state() {
    let f = fixture();
    let now = f.seen + Duration::days(1);
    for (query, want) in [
        ("state:closed", 6),
        ("state:reopened", 1),
        ("state:saved", 5),
        ("state:dismissed", 6),
    ] {
        let q = Query::parse(query).expect("parses");
        assert_eq!(found(&f, &q, now, false).len(), want, "{query}");
        assert_eq!(matched(&f, &q, now, false).len(), want, "{query}");
    }
}

#[test]
fn matcher_and_search_select_the_same_postings() {
    let f = fixture();
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(query(), any::<bool>(), 0i64..50), |(text, all, days)| {
            let q = Query::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            let now = f.seen + Duration::days(days);
            prop_assert_eq!(
                found(&f, &q, now, all),
                matched(&f, &q, now, all),
                "{} (all: {}, {} days later)",
                text,
                all,
                days
            );
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
