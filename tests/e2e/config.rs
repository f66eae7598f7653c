//! Config checking: the example validates, broken configs name their lines.

use crate::support::app::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn the_example_config_validates() {
    let app = TestApp::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config/jobhound.example.toml");
    let run = app.run_bare(&["--config", example, "check-config"]).await;
    assert_eq!(run.code, 0, "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_config_lists_every_problem_with_its_line() {
    let app = TestApp::new()
        .block("[[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"not a url\"\nschedule = \"*/5 * *\"\n")
        .block("[[alert]]\nname = \"x\"\nquery = \"title:(\"\nnotifiers = [\"ghost\"]\n");
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    let config = std::fs::read_to_string(app.config()).expect("config");
    for (key, needle) in [
        ("url = \"not a url\"", "source[0].url"),
        ("schedule", "source[0].schedule"),
        ("query", "alert[0].query"),
        ("notifiers", "alert[0].notifiers[0]"),
    ] {
        let line = config.lines().position(|l| l.starts_with(key)).expect(key) + 1;
        assert!(
            run.stderr
                .contains(&format!("jobhound.toml:{line}: {needle}")),
            "{needle} at line {line}:\n{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_toml_syntax_error_and_an_unknown_key_name_their_line() {
    let app =
        TestApp::new().block("[[source]]\nname = \"a\"\nkind = \"feed\"\nurll = \"http://x\"\n");
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("unknown field `urll`"),
        "{}",
        run.stderr
    );
    let config = std::fs::read_to_string(app.config()).expect("config");
    let line = config
        .lines()
        .position(|l| l.starts_with("urll"))
        .expect("line")
        + 1;
    assert!(
        run.stderr.contains(&format!("jobhound.toml:{line}:")),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn init_writes_the_starter_config_once() {
    let app = TestApp::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("jobhound.toml");
    let path = path.to_str().expect("utf-8 path");
    assert_eq!(app.run_bare(&["init", path]).await.code, 0);
    assert_eq!(
        app.run_bare(&["--config", path, "check-config"]).await.code,
        0
    );
    let again = app.run_bare(&["init", path]).await;
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}
