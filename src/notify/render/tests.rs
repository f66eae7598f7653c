//! Rendering tests, and the jobs and batches other tests render.

use chrono::TimeZone;

use super::*;
use crate::model::{Posting, PostingId, Salary, SalaryOrigin, SalaryPeriod, SourceName, Workplace};

/// A stored job for rendering tests.
pub fn job(id: i64, title: &str, company: Option<&str>) -> StoredPosting {
    let t = Utc
        .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("time");
    StoredPosting {
        id: PostingId(id),
        posting: Posting {
            source: SourceName("wwr".into()),
            external_id: format!("x{id}"),
            title: title.into(),
            raw_title: title.into(),
            company: company.map(String::from),
            department: None,
            locations: vec!["Berlin, Germany".into()],
            workplace: Workplace::Remote,
            employment_type: None,
            salary: Some(Salary {
                min: Some(70000.0),
                max: Some(90000.0),
                currency: Some("EUR".into()),
                period: Some(SalaryPeriod::Year),
                origin: SalaryOrigin::Structured,
                text: None,
            }),
            posted_at: Some(t),
            updated_at: None,
            url: Some(format!("https://jobs.example/{id}")),
            apply_url: None,
            description_html: "<p>Build models.</p>".into(),
            text: "Build models.".into(),
            tags: vec![],
            author: None,
        },
        sources: vec!["wwr".into()],
        first_seen: t,
        last_seen: t,
        changed_at: t,
        state: crate::store::JobState::Open,
        closed_at: None,
        reopened_at: None,
        sightings: vec![],
        user_state: None,
    }
}

/// The time test batches are written at: 2026-11-30 07:00 UTC.
pub fn written() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0)
        .single()
        .expect("time")
}

/// A batch of (alert, job) items.
pub fn batch(items: &[(&str, StoredPosting)], digest: bool) -> Batch {
    Batch {
        key: "jobhound-m7-1795600800".into(),
        digest: digest.then(|| DigestTime {
            at: written(),
            timezone: chrono_tz::Europe::Berlin,
        }),
        at: written(),
        view: View::default(),
        items: items
            .iter()
            .enumerate()
            .map(|(i, (alert, p))| Item {
                delivery_id: i as i64 + 1,
                alert: alert.to_string(),
                posting: p.clone(),
            })
            .collect(),
    }
}

/// `b` with `queries` for its alerts, a cap, and a web page.
pub fn viewed(mut b: Batch, queries: &[(&str, &str)], cap: Option<usize>) -> Batch {
    b.view = View {
        queries: queries
            .iter()
            .map(|(a, q)| (a.to_string(), Query::parse(q).expect("query")))
            .collect(),
        max_per_alert: cap,
        web: Some("http://127.0.0.1:8080/".into()),
    };
    b
}

#[test]
fn the_text_groups_jobs_by_alert_newest_first_with_their_facts() {
    let mut old = job(3, "Research Engineer", Some("Initech"));
    old.posting.posted_at = old.posting.posted_at.map(|t| t - chrono::Duration::days(2));
    let b = batch(
        &[
            ("ml", old),
            ("data", job(2, "Data Scientist", None)),
            ("ml", job(1, "ML Engineer", Some("Acme"))),
        ],
        true,
    );
    let b = viewed(b, &[("ml", "title:(ml OR research)")], None);
    let want = "\
jobhound digest for 2026-11-30 08:00 Europe/Berlin: 3 new jobs

== data · 1 new job ==

* Data Scientist
  Berlin, Germany · Remote
  €70k–€90k / year · 9 days ago
  Build models.
  https://jobs.example/2

== ml · 2 new jobs ==

* *ML* Engineer
  Acme · Berlin, Germany · Remote
  €70k–€90k / year · 9 days ago
  Build models.
  https://jobs.example/1

* *Research* Engineer
  Initech · Berlin, Germany · Remote
  €70k–€90k / year · 11 days ago
  Build models.
  https://jobs.example/3

-- 
Sent by jobhound.
";
    assert_eq!(b.text(), want);
}

#[test]
fn a_cap_per_alert_keeps_the_newest_and_says_how_to_see_the_rest() {
    let items: Vec<(&str, StoredPosting)> = (0..5)
        .map(|i| {
            let mut p = job(i, &format!("ML Engineer {i}"), Some("Acme"));
            p.posting.posted_at = p.posting.posted_at.map(|t| t + chrono::Duration::hours(i));
            ("ml", p)
        })
        .collect();
    let b = viewed(
        batch(&items, true),
        &[("ml", r#"title:ml -"it's""#)],
        Some(2),
    );
    let groups = b.groups();
    let shown: Vec<i64> = groups[0].items.iter().map(|i| i.posting.id.0).collect();
    assert_eq!(shown, [4, 3], "the newest two");
    assert_eq!(groups[0].title(), "ml · newest 2 of 5");
    let more = b.more(&groups[0]).expect("more");
    assert_eq!(
        more.sentence(),
        r#"…and 3 more: run `jobhound search 'title:ml -"it'\''s"'` or open http://127.0.0.1:8080/?q=title%3Aml+-%22it%27s%22"#
    );
    assert!(b.text().contains(&more.sentence()), "{}", b.text());
}

#[test]
fn subjects_say_what_is_inside() {
    let mk =
        |alert: &'static str, id: i64, company: Option<&str>| (alert, job(id, "Engineer", company));
    let names = [
        "Anthropic",
        "Mistral AI",
        "Hugging Face",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
    ];
    type Case<'a> = (Vec<(&'a str, StoredPosting)>, bool, &'a str);
    let cases: Vec<Case> = vec![
        (vec![], true, "No new jobs · jobhound digest 2026-11-30"),
        (
            vec![mk("ml", 1, Some("Acme"))],
            false,
            "New ML job: Engineer at Acme",
        ),
        (
            vec![mk("rust-remote", 1, None)],
            true,
            "New rust remote job: Engineer",
        ),
        (
            (0..12)
                .map(|i| mk("ml", i, Some(names[i as usize % 9])))
                .collect(),
            true,
            "12 new ML jobs: Anthropic, Mistral AI, Hugging Face and 6 more",
        ),
        (
            vec![mk("ml", 1, None), mk("ai", 2, None)],
            true,
            "2 new AI and ML jobs",
        ),
        (
            vec![
                mk("a", 1, Some("X")),
                mk("b", 2, Some("X")),
                mk("c", 3, Some("Y")),
            ],
            true,
            "3 new jobs: X, Y",
        ),
    ];
    for (items, digest, want) in cases {
        assert_eq!(batch(&items, digest).subject(), want);
    }
    let long = batch(&[mk("ml", 1, Some(&"Ω".repeat(400)))], false).subject();
    assert_eq!(long.chars().count(), MAX_SUBJECT);
    let line = batch(&[("ml", job(1, "A\r\nBcc: x@example.com", None))], false).subject();
    assert!(!line.contains(['\r', '\n']), "{line}");
}

#[test]
fn alert_names_read_as_words() {
    for (name, want) in [
        ("ml", "ML"),
        ("ai-ux", "AI UX"),
        ("data_science", "data science"),
        ("Rust", "Rust"),
    ] {
        assert_eq!(label(name), want);
    }
    assert_eq!(truncate("abcdef", 4), "abc…");
    assert_eq!(truncate("abc", 4), "abc");
}

#[test]
fn a_notifiers_view_knows_its_alerts_cap_and_search_page() {
    let parse = |server: &str, schedule: &str| {
        let text = format!(
            "{server}\n[[alert]]\nname = \"ml\"\nquery = \"ml\"\nnotifiers = [\"n\"]\n\
             [[notifier]]\nname = \"n\"\nkind = \"slack\"\nurl = \"https://h/x\"\n{schedule}\n"
        );
        let c = Config::parse(&text, std::path::Path::new("t.toml"), &|_| None).expect("config");
        View::new(&c, &c.notifiers[0])
    };
    let v = parse("", "schedule = \"@daily\"\ndigest_max_per_alert = 3");
    assert_eq!(v.max_per_alert, Some(3));
    assert_eq!(v.web, None);
    assert_eq!(v.queries.get("ml").map(Query::as_str), Some("ml"));
    assert_eq!(parse("", "").max_per_alert, None, "immediate: no cap");
    let cases = [
        ("127.0.0.1:8080", "http://127.0.0.1:8080/"),
        ("0.0.0.0:8080", "http://localhost:8080/"),
        ("[::1]:9000", "http://[::1]:9000/"),
    ];
    for (listen, want) in cases {
        let server = format!("[server]\nlisten = \"{listen}\"\ntoken = \"t\"");
        assert_eq!(parse(&server, "").web.as_deref(), Some(want), "{listen}");
    }
    let any_port = "[server]\nlisten = \"127.0.0.1:0\"";
    assert_eq!(parse(any_port, "").web, None, "no link to port 0");
}
