//! The command line as a Unix user meets it: completions and man page, JSON
//! reports, one check-config run for every problem, honest counts,
//! `--since`/`--source`/`--`, fetch's exit codes and import's checks (read
//! access, paths and error messages are in `cli_access.rs`).

use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;

/// The subcommands `jobhound --help` lists.
async fn subcommands(app: &TestApp) -> Vec<String> {
    let help = app.run_bare(&["--help"]).await;
    assert_eq!(help.code, 0, "{help:?}");
    let list: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped help text is indented further than the command names.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .filter(|c| c != "help")
        .collect();
    assert!(list.len() >= 14, "{list:?}");
    list
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_for_every_shell_and_the_man_page_cover_every_subcommand() {
    let app = TestApp::new();
    let subs = subcommands(&app).await;
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = app.run_bare(&["completions", shell]).await;
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        for sub in &subs {
            assert!(run.stdout.contains(sub.as_str()), "{shell}: no `{sub}`");
        }
    }
    let man = app.run_bare(&["man"]).await;
    assert_eq!(man.code, 0, "{man:?}");
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH jobhound"));
    for sub in &subs {
        let heading = format!(".SS \"jobhound {}\"", sub.replace('-', "\\-"));
        assert!(man.stdout.contains(&heading), "man: no {heading}");
    }
    let bad = app.run_bare(&["completions", "tcsh"]).await;
    assert_eq!(bad.code, 2, "{bad:?}");
}

/// An installation with a feed of `n` postings fetched, and a webhook whose URL is `${HOOK_URL}`.
pub(crate) async fn fetched(n: usize) -> (FeedServer, TestApp) {
    let items: Vec<Item> = (0..n)
        .map(|i| Item::new(&format!("g{i}"), &format!("Rust Engineer {i}")))
        .collect();
    let feed = FeedServer::serve(&items).await;
    let app = TestApp::new()
        .feed("jobs", &feed.url())
        .alert("rust", "rust", &["hook"])
        .block("[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"${HOOK_URL}\"\n");
    let sink = WebhookSink::start().await;
    let run = finish_with(&app, &["fetch"], &[("HOOK_URL", &sink.url())]).await;
    assert_eq!(run.code, 0, "{run:?}");
    (feed, app)
}

pub(crate) async fn finish_with(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = app.command(args);
    cmd.env_remove("HOOK_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), cmd.output())
        .await
        .expect("finished in 60 s")
        .expect("spawn");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[derive(Debug)]
pub(crate) struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn sources_alerts_and_check_config_print_json() {
    let (_feed, app) = fetched(3).await;
    let sources = finish_with(&app, &["sources", "--format", "json"], &[]).await;
    let doc: Value = serde_json::from_str(&sources.stdout).expect("sources json");
    assert_eq!(doc[0]["name"], "jobs");
    assert_eq!(doc[0]["postings"], 3);
    assert_eq!(doc[0]["last_status"], "ok");
    let alerts = finish_with(&app, &["alerts", "--format", "json"], &[]).await;
    let doc: Value = serde_json::from_str(&alerts.stdout).expect("alerts json");
    assert_eq!(doc[0]["name"], "rust");
    assert_eq!(doc[0]["query"], "rust");
    assert_eq!(doc[0]["enabled"], true);
    assert_eq!(doc[0]["notifiers"][0], "hook");
    assert_eq!(doc[0]["matches"], 3);
    assert_eq!(doc[0]["notified"], 3);
    let ok = finish_with(
        &app,
        &["check-config", "--format", "json"],
        &[("HOOK_URL", "http://127.0.0.1:9/")],
    )
    .await;
    assert_eq!(ok.code, 0, "{ok:?}");
    let doc: Value = serde_json::from_str(&ok.stdout).expect("check json");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["sources"], 1);
    assert_eq!(doc["problems"], Value::Array(vec![]));
    let bad = finish_with(&app, &["check-config", "--format", "json"], &[]).await;
    assert_eq!(bad.code, 3, "{bad:?}");
    let doc: Value = serde_json::from_str(&bad.stdout).expect("check json");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["problems"][0]["path"], "notifier[0].url");
    assert!(doc["problems"][0]["line"].as_u64().is_some(), "{doc}");
    // A config that is not there is a JSON report too.
    let missing = app.dir().join("nope.toml");
    let missing = missing.to_str().expect("utf-8");
    let run = app
        .run_bare(&["--config", missing, "check-config", "--format", "json"])
        .await;
    assert_eq!(run.code, 3, "{run:?}");
    let doc: Value = serde_json::from_str(&run.stdout).expect("check json");
    assert_eq!(
        (doc["ok"].clone(), doc["file"].clone()),
        (Value::Bool(false), Value::from(missing))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_config_lists_unknown_keys_type_errors_and_the_rest_in_one_run() {
    let app = TestApp::new().block(
        "[[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"https://x.example/f\"\nbogus = 1\n\
         max_pages = \"ten\"\nschedule = \"* *\"\n\n\
         [[alert]]\nname = \"x\"\nquery = \"title:(\"\nnotifiers = [\"ghost\"]\n",
    );
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    let config = std::fs::read_to_string(app.config()).expect("config");
    let line = |prefix: &str| {
        config
            .lines()
            .position(|l| l.starts_with(prefix))
            .expect(prefix)
            + 1
    };
    for (key, path) in [
        ("bogus", "source[0].bogus"),
        ("max_pages", "source[0].max_pages"),
        ("schedule", "source[0].schedule"),
        ("query", "alert[0].query"),
        ("notifiers = [\"ghost\"]", "alert[0].notifiers[0]"),
    ] {
        let want = format!("jobhound.toml:{}: {path}: ", line(key));
        assert!(run.stderr.contains(&want), "no `{want}` in\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("unknown field `bogus`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("5 problems"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn limited_listings_say_how_many_there_are() {
    let (_feed, app) = fetched(27).await;
    let search = finish_with(&app, &["search", "rust"], &[]).await;
    assert_eq!(search.code, 0, "{search:?}");
    assert_eq!(search.stdout.lines().count(), 21, "header and 20 rows");
    assert!(
        search.stderr.contains("20 of 27 shown (use --limit"),
        "{search:?}"
    );
    let all = finish_with(&app, &["search", "rust", "--limit", "30"], &[]).await;
    assert!(!all.stderr.contains(" of "), "{all:?}");
    let test = finish_with(&app, &["alerts", "test", "rust"], &[]).await;
    assert!(
        test.stderr
            .contains("20 of 27 postings match `rust` (use --limit"),
        "{test:?}"
    );
    let list = finish_with(&app, &["alerts"], &[]).await;
    assert!(list.stdout.contains("27 recorded"), "{list:?}");
    let zero = finish_with(&app, &["search", "--limit", "0"], &[]).await;
    assert_eq!(zero.code, 2, "{zero:?}");
    assert!(zero.stderr.contains("0 would show nothing"), "{zero:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn search_takes_a_dash_query_after_double_dash_dates_and_repeated_sources() {
    let senior = FeedServer::serve(&[
        Item::new("s1", "Senior Rust Engineer"),
        Item::new("s2", "Senior Go Engineer"),
    ])
    .await;
    let junior = FeedServer::serve(&[
        Item::new("j1", "Rust Engineer"),
        Item::new("j2", "Go Engineer"),
        Item::new("j3", "Python Engineer"),
    ])
    .await;
    let other = FeedServer::serve(&[Item::new("o1", "Data Engineer")]).await;
    let app = TestApp::new()
        .feed("senior", &senior.url())
        .feed("junior", &junior.url())
        .feed("other", &other.url());
    assert_eq!(app.run(&["fetch"]).await.code, 0);
    let titles = |run: &crate::support::app::Run| -> Vec<String> {
        run.stdout
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("json line");
                v["title"].as_str().unwrap_or_default().to_string()
            })
            .collect()
    };
    let run = app
        .run(&[
            "search", "--format", "jsonl", "--limit", "2", "--", "-senior",
        ])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    let got = titles(&run);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|t| !t.contains("Senior")), "{got:?}");
    let run = app
        .run(&[
            "search", "--format", "jsonl", "--source", "senior", "--source", "other",
        ])
        .await;
    let mut got = titles(&run);
    got.sort();
    assert_eq!(
        got,
        [
            "Data Engineer",
            "Senior Go Engineer",
            "Senior Rust Engineer"
        ]
    );
    // The generated feed dates every posting Fri, 20 Nov 2026 09:00:00 GMT.
    for (since, want) in [
        ("2026-11-20", 6),
        ("2026-11-21", 0),
        ("2026-11-20T08:59:59Z", 6),
        ("2026-11-20T09:59:59+01:00", 6),
        ("2026-11-20T09:00:01Z", 0),
    ] {
        let run = app
            .run(&["search", "--format", "jsonl", "--since", since])
            .await;
        assert_eq!(
            (run.code, titles(&run).len()),
            (0, want),
            "{since}: {run:?}"
        );
    }
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let future = app.run(&["search", "--since", &tomorrow]).await;
    assert_eq!(future.code, 2, "{future:?}");
    assert!(future.stderr.contains("in the future"), "{future:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn fetch_exits_7_when_deliveries_failed_for_good() {
    let feed = FeedServer::serve(&[Item::new("g1", "Rust Engineer")]).await;
    let sink = WebhookSink::scripted(&[400]).await;
    let app = TestApp::new()
        .delivery("retry_base = \"0s\"\nmax_attempts = 1")
        .feed("jobs", &feed.url())
        .alert("rust", "rust", &["hook"])
        .webhook("hook", &sink.url());
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 7, "{run:?}");
    assert!(
        run.stdout
            .contains("deliveries: 0 sent, 0 to retry, 1 failed"),
        "{run:?}"
    );
    // A failed source still says so first.
    let broken = TestApp::new()
        .delivery("retry_base = \"0s\"\nmax_attempts = 1")
        .feed("jobs", &feed.url())
        .feed("gone", "http://127.0.0.1:9/feed.xml")
        .alert("rust", "rust", &["hook"])
        .webhook("hook", &WebhookSink::scripted(&[400]).await.url());
    assert_eq!(broken.run(&["fetch"]).await.code, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn import_skips_what_is_not_a_feed_and_what_the_config_has() {
    let app = TestApp::new();
    let opml = app.dir().join("feeds.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><body>
        <outline type="rss" text="Zürich Jobs" xmlUrl="https://zurich.example/jobs.rss"/>
        <outline type="rss" text="Files" xmlUrl="ftp://files.example/jobs.rss"/>
        <outline type="rss" text="Local" xmlUrl="javascript:alert(1)"/>
        <outline type="rss" text="Berlin" xmlUrl="https://berlin.example/jobs.rss"/>
        </body></opml>"#,
    )
    .expect("write");
    let opml = opml.to_str().expect("utf-8");
    let first = app.run(&["import", opml]).await;
    assert_eq!(first.code, 0, "{first:?}");
    let blocks: toml::Table = toml::from_str(&first.stdout).expect("toml");
    let names: Vec<&str> = blocks["source"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["zurich-jobs", "berlin"]);
    assert!(
        first
            .stderr
            .contains("skipped ftp://files.example/jobs.rss"),
        "{first:?}"
    );
    assert!(
        first.stderr.contains("skipped javascript:alert(1)"),
        "{first:?}"
    );
    // Appended to the config, a second import adds nothing.
    let app = app.block(&first.stdout);
    let check = app.run(&["check-config"]).await;
    assert_eq!(check.code, 0, "{check:?}");
    let second = app.run(&["import", opml]).await;
    assert_eq!(second.code, 2, "{second:?}");
    assert_eq!(second.stdout, "", "{second:?}");
    assert!(
        second
            .stderr
            .contains("already in the config as `zurich-jobs`"),
        "{second:?}"
    );
    // A config file is not a list of feeds.
    let config = app.config();
    let wrong = app.run(&["import", config.to_str().expect("utf-8")]).await;
    assert_eq!(wrong.code, 2, "{wrong:?}");
    assert!(wrong.stderr.contains("no new feed URLs"), "{wrong:?}");
}
