//! Several processes on one database: opening a fresh file at once, read
//! commands beside writers (they never migrate or write), two senders that
//! never send one message twice, and one daemon per database.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;

/// The database and WAL bytes, to show that a command wrote nothing.
fn snapshot(app: &TestApp) -> (Vec<u8>, Option<Vec<u8>>) {
    let db = app.db_path();
    let wal = db.with_extension("db-wal");
    (
        std::fs::read(&db).expect("database"),
        std::fs::read(wal).ok().filter(|w| !w.is_empty()),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn processes_opening_one_fresh_database_at_once_all_succeed() {
    let app = TestApp::new();
    let runs =
        futures::future::join_all((0..6).map(|_| app.run(&["notifications", "retry"]))).await;
    for run in &runs {
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert_eq!(app.count("PRAGMA user_version"), head().await);
}

/// The schema version a fully migrated database has, as the binary makes it.
async fn head() -> i64 {
    let fresh = TestApp::new();
    let run = fresh.run(&["notifications", "retry"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    fresh.count("PRAGMA user_version")
}

#[tokio::test(flavor = "multi_thread")]
async fn read_commands_on_an_older_database_say_so_and_change_nothing() {
    let app = TestApp::new()
        .feed("gen", "http://127.0.0.1:9/feed.xml")
        .block(
            "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/\"\n",
        );
    {
        // As jobhound at schema 2 left it.
        let mut db = app.db();
        let tx = db.transaction().expect("tx");
        tx.execute_batch(include_str!("../../src/store/migrations/0001_init.sql"))
            .expect("0001");
        tx.execute_batch(include_str!("../../src/store/migrations/0002_messages.sql"))
            .expect("0002");
        tx.pragma_update(None, "user_version", 2).expect("version");
        tx.commit().expect("commit");
    }
    let before = snapshot(&app);
    let commands: &[&[&str]] = &[
        &["search", "rust"],
        &["show", "1"],
        &["sources"],
        &["alerts", "test", "--query", "rust"],
        &["notifications"],
        &["digest", "--notifier", "hook", "--preview"],
    ];
    // `alerts` lists the config's alerts, and their counts only when it can read them.
    assert_eq!(app.run(&["alerts"]).await.code, 0);
    assert_eq!(snapshot(&app), before, "alerts changed the database");
    for args in commands {
        let run = app.run(args).await;
        assert_ne!(run.code, 0, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("schema 2") && run.stderr.contains("`jobhound fetch`"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&app), before, "{args:?} changed the database");
    }
    assert_eq!(app.count("PRAGMA user_version"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_fetches_beside_each_other_send_each_message_once() {
    const JOBS: usize = 16;
    let items: Vec<Item> = (0..JOBS)
        .map(|i| Item::new(&format!("job-{i}"), &format!("ML Engineer {i:02}")))
        .collect();
    let feed = FeedServer::serve(&items).await;
    // Slow to answer, so the second process starts while the first is sending.
    let hook = WebhookSink::with(&[], 200, Duration::from_millis(250)).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", "title:ML", &["hook"])
        .webhook("hook", &hook.url());
    let spawn = |app: &TestApp| {
        app.command(&["fetch"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn fetch")
    };
    let first = spawn(&app);
    until(30, "the first fetch is sending", || !hook.hits().is_empty()).await;
    let second = spawn(&app);
    for (what, child) in [("first", first), ("second", second)] {
        let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("finishes")
            .expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_each_key_once(&hook, JOBS);
    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'"),
        JOBS as i64
    );
}

/// Asserts that `jobs` messages reached the receiver, each under its own key, once.
fn assert_each_key_once(hook: &WebhookSink, jobs: usize) {
    let mut per_key: BTreeMap<String, usize> = BTreeMap::new();
    for h in hook.hits() {
        *per_key
            .entry(h.idempotency_key.expect("every request has a key"))
            .or_default() += 1;
    }
    let repeated: Vec<_> = per_key.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "sent twice: {repeated:?}");
    assert_eq!(per_key.len(), jobs, "every match sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fetch_beside_the_daemon_sends_nothing_the_daemon_sends() {
    const JOBS: usize = 12;
    let items: Vec<Item> = (0..JOBS)
        .map(|i| Item::new(&format!("job-{i}"), &format!("ML Engineer {i:02}")))
        .collect();
    let feed = FeedServer::serve(&items).await;
    let hook = WebhookSink::with(&[], 200, Duration::from_millis(250)).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", "title:ML", &["hook"])
        .webhook("hook", &hook.url());
    let daemon = Daemon::start(&app, &[], "daemon.log");
    until(30, "the daemon is sending", || !hook.hits().is_empty()).await;
    let fetch = app.run(&["fetch"]).await;
    assert_eq!(fetch.code, 0, "{fetch:?}");
    until(60, "every message confirmed", || {
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'") == JOBS as i64
    })
    .await;
    daemon.stop().await;
    assert_each_key_once(&hook, JOBS);
}

/// The pid written in the database's lock file, once there is one.
fn lock_pid(app: &TestApp) -> Option<String> {
    let path = app.db_path().with_file_name("jobhound.db.lock");
    let pid = std::fs::read_to_string(path).ok()?.trim().to_string();
    (!pid.is_empty()).then_some(pid)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_daemon_on_one_database_is_refused_and_a_killed_one_blocks_nothing() {
    let feed = FeedServer::serve(&[Item::new("job-1", "ML Engineer")]).await;
    let app = TestApp::new().feed("gen", &feed.url());
    let mut first = Daemon::start(&app, &[], "first.log");
    until(30, "the first daemon holds the lock", || {
        lock_pid(&app).is_some()
    })
    .await;
    let pid = lock_pid(&app).expect("pid");

    let started = Instant::now();
    let second = app.run(&["run"]).await;
    assert_eq!(second.code, 6, "{second:?}");
    assert!(
        second.stderr.contains(&format!("pid {pid}")) && second.stderr.contains("already running"),
        "{}",
        second.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused at once"
    );

    // One-shot and read commands may run beside the daemon.
    let fetch = app.run(&["fetch"]).await;
    assert_eq!(fetch.code, 0, "{fetch:?}");
    let sources = app.run(&["sources"]).await;
    assert_eq!(sources.code, 0, "{sources:?}");

    // A daemon killed outright leaves nothing that blocks the next one.
    assert_eq!(first.signal("KILL").await, None);
    let third = Daemon::start(&app, &[], "third.log");
    until(30, "the restarted daemon holds the lock", || {
        lock_pid(&app).is_some_and(|p| p != pid)
    })
    .await;
    third.stop().await;
}
