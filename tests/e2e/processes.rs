//! Several processes on one database: opening a fresh file at once, read
//! commands beside writers (they never migrate or write), two senders that
//! never send one message twice, and one daemon per database.

use crate::support::app::TestApp;

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
