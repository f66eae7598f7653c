//! Where the CLI reads from and what it needs: read commands without
//! delivery secrets or write access, paths relative to the config file, a
//! clear word for a missing database, and error messages that say each thing once.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::cli::{fetched, finish_with};
use crate::support::app::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn read_commands_work_without_delivery_secrets_but_delivering_ones_do_not() {
    let (_feed, app) = fetched(3).await;
    for args in [
        &["search", "rust"][..],
        &["show", "1"],
        &["sources"],
        &["alerts"],
        &["alerts", "test", "rust"],
        &["notifications"],
    ] {
        let run = finish_with(&app, args, &[]).await;
        assert_eq!(run.code, 0, "{args:?} without HOOK_URL: {run:?}");
    }
    for args in [&["fetch"][..], &["notify", "test", "hook"]] {
        let run = finish_with(&app, args, &[]).await;
        assert_eq!(run.code, 3, "{args:?}: {run:?}");
        assert!(run.stderr.contains("HOOK_URL is not set"), "{run:?}");
    }
    // check-config reports it as a problem, with its place, and exits 3.
    let check = finish_with(&app, &["check-config"], &[]).await;
    assert_eq!(check.code, 3, "{check:?}");
    assert!(
        check
            .stderr
            .contains("notifier[0].url: environment variable HOOK_URL is not set"),
        "{check:?}"
    );
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread")]
async fn search_works_on_a_database_it_cannot_write() {
    let (_feed, app) = fetched(2).await;
    let config = app.config();
    // Root writes anywhere: it runs the command as nobody instead.
    let root = is_root();
    let (dir_mode, file_mode) = if root { (0o755, 0o644) } else { (0o555, 0o444) };
    let set = |path: &std::path::Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    set(&config, 0o644);
    set(&app.db_path(), file_mode);
    set(app.dir(), dir_mode);
    let mut cmd = app.bare_command(&["--config", config.to_str().expect("utf-8"), "search"]);
    cmd.env_remove("HOOK_URL");
    if root {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().await.expect("spawn");
    set(app.dir(), 0o755);
    set(&app.db_path(), 0o644);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Rust Engineer 1"), "{stdout}");
    assert!(!stderr.contains("readonly"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_database_gives_a_hint_and_an_uncreatable_directory_is_named() {
    let app = TestApp::new();
    let run = app.run(&["search"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("no database yet at")
            && run
                .stderr
                .contains("run `jobhound fetch` or `jobhound run` first"),
        "{run:?}"
    );
    // A file where the database's directory should be.
    std::fs::write(app.dir().join("blocker"), "").expect("write");
    let app = app.block("");
    let config = app.config();
    let text = std::fs::read_to_string(&config)
        .expect("config")
        .replace("path = \"jobhound.db\"", "path = \"blocker/sub/j.db\"");
    std::fs::write(&config, text).expect("write");
    let mut cmd = app.bare_command(&["--config", config.to_str().expect("utf-8"), "fetch"]);
    let out = cmd.output().await.expect("spawn");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let dir = app.dir().join("blocker").join("sub");
    assert!(
        stderr.contains(&format!("cannot create the directory {}", dir.display())),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_error_says_its_cause_once() {
    let app = TestApp::new();
    // A directory where the database file should be: SQLite cannot open it.
    std::fs::create_dir(app.db_path()).expect("mkdir");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("jobhound:"))
        .expect("error line");
    assert_eq!(
        line.matches("unable to open database file").count(),
        1,
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn relative_paths_start_at_the_config_and_check_config_shows_them() {
    let (_feed, app) = fetched(2).await;
    // From another directory, with the config named by a relative path.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let config = app.config();
    let rel = pathdiff(&config, elsewhere.path());
    let mut cmd = app.bare_command(&["--config", &rel, "search", "--format", "jsonl"]);
    cmd.current_dir(elsewhere.path());
    let out = cmd.output().await.expect("spawn");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        2,
        "{out:?}"
    );
    assert!(
        std::fs::read_dir(elsewhere.path())
            .expect("dir")
            .next()
            .is_none(),
        "nothing created in the working directory"
    );
    let mut cmd = app.bare_command(&["--config", &rel, "check-config", "--format", "json"]);
    cmd.current_dir(elsewhere.path())
        .env("HOOK_URL", "http://127.0.0.1:9/");
    let out = cmd.output().await.expect("spawn");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["database"],
        app.db_path().to_str().expect("utf-8"),
        "{doc}"
    );
    let mut cmd = app.bare_command(&["--config", &rel, "check-config"]);
    cmd.current_dir(elsewhere.path())
        .env("HOOK_URL", "http://127.0.0.1:9/");
    let out = cmd.output().await.expect("spawn");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("database {}", app.db_path().display())),
        "{text}"
    );
}

/// `to` as seen from `from` (`../../x/jobhound.toml`).
fn pathdiff(to: &std::path::Path, from: &std::path::Path) -> String {
    let depth = from.components().count() - 1;
    let up = "../".repeat(depth);
    format!("{up}{}", to.strip_prefix("/").expect("absolute").display())
}
