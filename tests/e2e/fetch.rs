//! `jobhound fetch` over feeds in every format and over servers that fail.

use crate::support::app::TestApp;
use crate::support::server::FixtureServer;

const GOOD: &[&str] = &[
    "wwr-programming.rss",
    "rss2-cdata-entities.rss",
    "rss1.rdf",
    "atom.xml",
    "jsonfeed.json",
];

fn with_good_feeds(app: TestApp, server: &FixtureServer) -> TestApp {
    GOOD.iter()
        .fold(app, |app, f| app.feed(&f.replace('.', "-"), &server.url(f)))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_feed_format_is_stored_once_across_two_fetches() {
    let server = FixtureServer::serve("feed").await;
    let app = with_good_feeds(TestApp::new(), &server);
    let first = app.run(&["fetch"]).await;
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(
        app.count("SELECT count(*) FROM postings"),
        9,
        "{}",
        first.stdout
    );
    let second = app.run(&["fetch"]).await;
    assert_eq!(second.code, 0, "{second:?}");
    assert_eq!(
        app.count("SELECT count(*) FROM postings"),
        9,
        "a second fetch adds no rows"
    );
    assert_eq!(
        second.stdout.matches("not modified").count(),
        GOOD.len(),
        "{}",
        second.stdout
    );
    for f in GOOD {
        let statuses: Vec<u16> = server.seen(f).iter().map(|s| s.status).collect();
        assert_eq!(
            statuses,
            [200, 304],
            "{f}: conditional GET on the second fetch"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_sources_fail_clearly_while_the_others_are_stored() {
    let server = FixtureServer::serve("feed").await;
    let app = with_good_feeds(TestApp::new(), &server)
        .feed("malformed", &server.url("malformed.rss"))
        .feed("missing", &server.url("no-such-feed.rss"))
        .feed("error500", &server.path("/status/500"))
        .feed("hung", &server.path("/hang"))
        .feed("huge", &server.path("/huge"))
        .feed("refused", "http://127.0.0.1:9/feed.rss");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "exit code 4: some sources failed\n{run:?}");
    assert_eq!(
        app.count("SELECT count(*) FROM postings"),
        9,
        "good feeds stored"
    );
    let line = |name: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name} in\n{}", run.stdout))
            .to_string()
    };
    let cases = [
        ("malformed", "not a valid RSS, Atom or JSON feed"),
        ("missing", "HTTP 404"),
        ("error500", "HTTP 500"),
        ("hung", "timed out after 2s"),
        ("huge", "larger than 1048576 bytes"),
        ("refused", "connection refused"),
    ];
    for (name, want) in cases {
        let l = line(name);
        assert!(l.contains("FAILED") && l.contains(want), "{name}: {l}");
    }
    let errors = app.count(
        "SELECT count(*) FROM sources WHERE last_status = 'failed' AND last_error IS NOT NULL",
    );
    assert_eq!(errors, 6, "each failure is recorded with its error");
}

#[tokio::test(flavor = "multi_thread")]
async fn feed_fields_are_mapped_and_normalized() {
    let server = FixtureServer::serve("feed").await;
    let app = TestApp::new()
        .feed("wwr", &server.url("wwr-programming.rss"))
        .feed("acme", &server.url("rss2-cdata-entities.rss"));
    assert_eq!(app.run(&["fetch"]).await.code, 0);
    let db = app.db();
    let row = |sql: &str| -> (String, Option<String>, String, i64) {
        db.query_row(sql, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect(sql)
    };
    // The description is stored compressed: read its text as `show` prints it.
    let text_of = |id: i64| {
        let app = &app;
        async move {
            let out = app
                .run(&["show", &id.to_string(), "--format", "json"])
                .await;
            assert_eq!(out.code, 0, "{}", out.stderr);
            let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
            v["posting"]["text"].as_str().expect("text").to_string()
        }
    };
    let (title, company, url, id) = row(
        "SELECT title, company, coalesce(url, ''), id FROM postings WHERE external_id LIKE '%lumen-labs%'",
    );
    let text = text_of(id).await;
    assert_eq!(title, "Machine Learning Engineer");
    assert_eq!(company.as_deref(), Some("Lumen Labs"));
    assert_eq!(
        url,
        "https://weworkremotely.com/remote-jobs/lumen-labs-machine-learning-engineer"
    );
    assert!(
        text.contains("medical imaging & need"),
        "entities decoded: {text}"
    );
    assert!(
        text.contains("- PyTorch in production"),
        "list items kept: {text}"
    );
    let (title, company, url, id) = row(
        "SELECT title, company, coalesce(url, ''), id FROM postings WHERE external_id = 'acme-101'",
    );
    let text = text_of(id).await;
    assert_eq!(title, "Deep Learning Researcher");
    assert_eq!(company.as_deref(), Some("Acme AI"));
    assert_eq!(
        url, "https://careers.acme.example/jobs/101",
        "tracking parameters and fragment dropped"
    );
    assert!(text.contains("deep learning group & publish"), "{text}");
    let location: String = db
        .query_row(
            "SELECT locations FROM postings WHERE external_id = 'acme-101'",
            [],
            |r| r.get(0),
        )
        .expect("locations");
    assert_eq!(location, r#"["Remote, EU"]"#);
    let posted: i64 = db
        .query_row(
            "SELECT posted_at FROM postings WHERE external_id = 'acme-101'",
            [],
            |r| r.get(0),
        )
        .expect("posted");
    assert_eq!(
        posted, 1_795_600_800,
        "Wed, 25 Nov 2026 10:00:00 GMT as UTC seconds"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn base_url_points_a_source_at_another_server() {
    let server = FixtureServer::serve("feed").await;
    server.route(
        "/categories/remote-programming-jobs.rss",
        "wwr-programming.rss",
    );
    let app = TestApp::new().block(&format!(
        "[[source]]\nname = \"wwr\"\nkind = \"feed\"\n\
         url = \"https://weworkremotely.com/categories/remote-programming-jobs.rss\"\n\
         base_url = \"{}\"\n",
        server.base_url()
    ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(app.count("SELECT count(*) FROM postings"), 2);
    assert_eq!(server.seen("remote-programming-jobs.rss").len(), 1);
}
