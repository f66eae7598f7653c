//! Cron schedules as the user sees them: errors in the five-field form they
//! wrote, naming the field and the token, from the config and from a flag.

use crate::support::app::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn bad_schedules_in_the_config_name_the_field_and_the_token() {
    let app = TestApp::new()
        .block("[[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"http://127.0.0.1:9/a\"\nschedule = \"61 * * * *\"\n")
        .block("[[source]]\nname = \"b\"\nkind = \"feed\"\nurl = \"http://127.0.0.1:9/b\"\nschedule = \"0 8 * * mon-fry\"\n")
        .block("[[notifier]]\nname = \"n\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\nschedule = \"*/0 8 * * *\"\n");
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    for want in [
        "source[0].schedule: `61 * * * *` is not a cron expression: minute `61` is out of range 0–59",
        "source[1].schedule: `0 8 * * mon-fry` is not a cron expression: day-of-week `fry` is not a day name (sun–sat) or a number 0–7",
        "notifier[0].schedule: `*/0 8 * * *` is not a cron expression: minute step `0` in `*/0` is out of range 1–60",
    ] {
        assert!(run.stderr.contains(want), "want {want}\n{}", run.stderr);
    }
    // Nothing of the old six-field translation leaks out.
    assert!(!run.stderr.contains("0 61"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_schedule_flag_is_a_usage_error_naming_the_field() {
    let app = TestApp::new();
    let list = app
        .db_path()
        .parent()
        .expect("the test directory")
        .join("feeds.txt");
    std::fs::write(&list, "http://127.0.0.1:9/feed.xml\n").expect("write list");
    let path = list.to_str().expect("utf-8 path");
    let run = app
        .run_bare(&["import", path, "--schedule", "0 5-2 * * *"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "--schedule: `0 5-2 * * *` is not a cron expression: hour range `5-2` runs backwards"
        ),
        "{}",
        run.stderr
    );
}
