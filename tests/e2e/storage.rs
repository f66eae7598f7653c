//! The storage migration that compresses descriptions, run on a database that
//! jobhound at schema 7 built from the fixtures through its real ingest path
//! (fixtures/store/schema7.db: feeds, Remotive, Greenhouse and Lever, with
//! alert matches and pending deliveries). `show` output was captured from
//! that jobhound too, and must come back byte for byte.

use crate::support::app::TestApp;
use crate::support::feed::{FeedServer, Item};

/// A sketch as schema 7 stored it: little-endian u32s.
fn sketch_le(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Every row of the tables the migration must keep, as text; sketches as
/// the hashes `sketch` reads from their stored form.
fn dump(db: &rusqlite::Connection, sketch: fn(&[u8]) -> Vec<u32>) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT id, source, external_id, title, raw_title, company, department, locations, workplace,
            employment_type, salary_min, salary_max, salary_currency, salary_period, salary_origin,
            salary_text, posted_at, updated_at, url, apply_url, tags, author, content_hash, first_seen,
            last_seen, changed_at, sort_at, owner_rank, closed_at, reopened_at FROM postings ORDER BY id",
        "SELECT * FROM sightings ORDER BY source, external_id",
        "SELECT * FROM sighting_links ORDER BY url, source, external_id",
        "SELECT * FROM matches ORDER BY alert, posting_id",
        "SELECT * FROM deliveries ORDER BY id",
        "SELECT * FROM messages ORDER BY id",
        "SELECT rowid FROM postings_fts ORDER BY rowid",
    ] {
        let mut stmt = db.prepare(sql).expect(sql);
        let n = stmt.column_count();
        let sketch_at = stmt.column_names().position(|c| c == "sketch");
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| match r.get_ref(i).expect("cell") {
                        rusqlite::types::ValueRef::Blob(b) if Some(i) == sketch_at => {
                            format!("sketch {:?}", sketch(b))
                        }
                        v => format!("{v:?}"),
                    })
                    .collect();
                Ok(cells.join("|"))
            })
            .expect(sql);
        out.extend(rows.map(|r| r.expect("row")));
        out.push(format!("-- end of {sql}"));
    }
    out
}

/// `show ID --format FORMAT` for every posting, as the fixture files hold it.
async fn shows(app: &TestApp, ids: &[i64], format: &str) -> String {
    let mut all = String::new();
    for id in ids {
        let out = app
            .run(&["show", &id.to_string(), "--format", format])
            .await;
        assert_eq!(out.code, 0, "show {id}: {}", out.stderr);
        all.push_str(&format!("=== {id}\n{}", out.stdout));
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schema_7_database_is_converted_in_place_and_shows_the_same() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/store");
    let app = TestApp::new()
        .webhook("hook", "http://127.0.0.1:9/hook")
        .alert("ml", "learning OR engineer OR research", &["hook"])
        .alert("everything-remote", "remote", &["hook"]);
    std::fs::copy(fixtures.join("schema7.db"), app.db_path()).expect("copy fixture db");
    let (before, ids, old_bytes) = {
        let db = app.db();
        let version: i64 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(
            version, 7,
            "the fixture is at the schema before the migration"
        );
        let mut stmt = db
            .prepare("SELECT id FROM postings ORDER BY id")
            .expect("ids");
        let ids: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .expect("ids")
            .map(|r| r.expect("id"))
            .collect();
        let bytes: i64 = db
            .query_row(
                "SELECT sum(length(description_html) + length(text)) FROM postings",
                [],
                |r| r.get(0),
            )
            .expect("bytes");
        (dump(&db, sketch_le), ids, bytes)
    };
    assert_eq!(ids.len(), 22);

    // Any command that writes migrates; this one changes no row here.
    let out = app.run(&["notifications", "retry"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);

    let db = app.db();
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(
        version,
        jobhound::store::schema_version(),
        "migrated to the head"
    );
    let after = dump(&db, jobhound::normalize::identity::sketch_from_bytes);
    assert_eq!(before.len(), after.len());
    // Later migrations may add columns (at the end of a row): the old ones stay as they were.
    for (b, a) in before.iter().zip(&after) {
        assert!(
            a == b || a.starts_with(&format!("{b}|")),
            "row kept unchanged:\n{b}\n{a}"
        );
    }
    let columns: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('postings')")
        .expect("columns")
        .query_map([], |r| r.get(0))
        .expect("columns")
        .map(|r| r.expect("name"))
        .collect();
    for gone in ["description_html", "text", "url_key"] {
        assert!(
            !columns.iter().any(|c| c == gone),
            "{gone} dropped: {columns:?}"
        );
    }
    let (full, packed): (i64, i64) = db
        .query_row(
            "SELECT count(*), max(length(sketch)) FROM sightings WHERE length(sketch) > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("sketches");
    assert!(
        full > 0 && packed < 256,
        "sketches packed: {full} rows, longest {packed} bytes"
    );
    let new_bytes: i64 = db
        .query_row("SELECT sum(length(description)) FROM postings", [], |r| {
            r.get(0)
        })
        .expect("bytes");
    assert!(
        new_bytes * 2 < old_bytes,
        "descriptions stored in {new_bytes} bytes, were {old_bytes}"
    );
    let free: i64 = db
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .expect("freelist");
    assert_eq!(free, 0, "the freed pages were given back");
    drop(db);

    // The search index was rebuilt from the stored postings: searches the
    // index narrows find what a scan of every posting finds (an OR with a
    // `source:` branch narrows nothing).
    let mut narrowed = 0;
    for query in [
        "learning",
        "title:engineer",
        "title:(machine learning)",
        "company:anthropic OR company:huggingface",
        "location:remote",
        "text:python",
        "research*",
        "title:eng*",
        "remote -senior",
    ] {
        let found = |q: String| {
            let app = &app;
            async move {
                let out = app
                    .run(&[
                        "search", "--all", "--limit", "100", "--format", "jsonl", "--", &q,
                    ])
                    .await;
                assert_eq!(out.code, 0, "{q}: {}", out.stderr);
                out.stdout
                    .lines()
                    .map(|l| {
                        serde_json::from_str::<serde_json::Value>(l).expect("jsonl")["id"].clone()
                    })
                    .collect::<Vec<_>>()
            }
        };
        let indexed = found(query.to_string()).await;
        let scanned = found(format!("({query}) OR source:no-such-source")).await;
        assert_eq!(indexed, scanned, "{query}");
        narrowed += usize::from(!indexed.is_empty() && indexed.len() < ids.len());
    }
    assert!(narrowed >= 6, "only {narrowed} queries found some postings");

    for format in ["text", "json"] {
        let want = std::fs::read_to_string(fixtures.join(format!("schema7-show.{format}")))
            .expect("expected output");
        let got = shows(&app, &ids, format).await;
        for (w, g) in want.split("=== ").zip(got.split("=== ")) {
            assert_eq!(w, g, "show --format {format}");
        }
        assert_eq!(want, got, "show --format {format}");
    }
}

/// A job-board description: shared boilerplate in varying order and words
/// of its own, so a dictionary trained on some of them helps the others.
fn board_item(i: usize) -> Item {
    const LINES: &[&str] = &[
        "We are an equal opportunity employer and value diversity at our company.",
        "Benefits include health, dental and vision insurance and a 401(k) match.",
        "You will work closely with product, design and infrastructure teams.",
        "Our stack: Rust, PostgreSQL, Kubernetes and Terraform.",
        "Remote-friendly within European time zones; offsites in Berlin.",
    ];
    let mut description = format!("<h2>Role {i}</h2>");
    for k in 0..(4 + i % 5) {
        description.push_str(&format!(
            "<p>{} Team {}, budget {}.</p>",
            LINES[(i * 7 + k * 3) % LINES.len()],
            (i * 31 + k) % 97,
            (i * 7919 + k * 104_729) % 1_000_003
        ));
    }
    description.push_str("<ul><li>Naïve — “quoted” 日本</li></ul>");
    Item {
        guid: format!("job-{i}"),
        title: format!("Engineer {i}"),
        description,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_trains_its_dictionary_and_other_processes_read_every_description_the_same() {
    let items: Vec<Item> = (0..1_100).map(board_item).collect();
    let feed = FeedServer::serve(&items[..200]).await;
    let app = TestApp::new().feed("board", &feed.url());
    let out = app.run(&["fetch"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let probes = ["job-0", "job-1", "job-99", "job-199"];
    let mut before = Vec::new();
    for guid in probes {
        let p = app.show(guid).await;
        before.push((p["description_html"].clone(), p["text"].clone()));
    }
    assert!(before[0].1.as_str().is_some_and(|t| t.contains("Role 0")));
    assert!(
        before[0]
            .0
            .as_str()
            .is_some_and(|h| h.contains("Role 0</h4><p>We are")),
        "{:?}",
        before[0]
    );
    assert_eq!(app.count("SELECT count(*) FROM description_dicts"), 0);

    // Past 250 postings the store trains its own dictionary and starts
    // re-encoding the older rows; the next commit finishes them.
    feed.set(&items);
    for _ in 0..2 {
        let out = app.run(&["fetch"]).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert_eq!(
        app.count("SELECT count(*) FROM description_dicts WHERE dict IS NOT NULL"),
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM postings"), 1_100);
    assert_eq!(
        app.count("SELECT count(*) FROM postings WHERE substr(description, 1, 1) = x'02'"),
        1_100,
        "every row uses the trained dictionary"
    );
    // `show` and `search` run in processes that never saw the training.
    for (guid, want) in probes.iter().zip(&before) {
        let p = app.show(guid).await;
        assert_eq!(
            &(p["description_html"].clone(), p["text"].clone()),
            want,
            "{guid}"
        );
    }
    let newest = app.show("job-1099").await;
    assert!(
        newest["text"]
            .as_str()
            .is_some_and(|t| t.contains("Role 1099")),
        "{newest}"
    );
    let hits = app
        .run(&["search", "budget", "--format", "jsonl", "--limit", "2000"])
        .await;
    assert_eq!(hits.code, 0, "{}", hits.stderr);
    assert_eq!(hits.stdout.lines().count(), 1_100);
}
