//! Hostile input from flags, config files and postings: numbers out of range
//! and queries nested too deep are errors that name them, never panics or
//! aborts; a reader that closes the pipe ends a command quietly; control and
//! bidi characters and spreadsheet formulas in postings reach no terminal or
//! CSV file.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use serde_json::{Value, json};

use crate::email::parts;
use crate::support::app::{Run, TestApp};
use crate::support::server::serve;
use crate::support::sink::WebhookSink;
use crate::support::smtp::SmtpSink;

/// The line of the config that starts with `prefix` (1-based).
fn line_of(app: &TestApp, file: &str, prefix: &str) -> usize {
    let dir = app.config().parent().expect("dir").to_path_buf();
    let text = std::fs::read_to_string(dir.join(file)).expect("config");
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix}"))
        + 1
}

fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("overflow"),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn overflowing_config_numbers_are_config_errors_with_their_line() {
    let app = TestApp::new();
    let bad = "[http]\ntimeout = \"18446744073709551615s1s\"\n\
               connect_timeout = \"307445734561825861m\"\nconcurrency = 99999999999\n\
               max_body_size = \"99999999999GB\"\n\
               [scheduler]\nretry_base = \"100000000d\"\n\
               [delivery]\nmax_attempts = -1\nretry_max = \"1000w\"\n\
               [[source]]\nname = \"a\"\nkind = \"himalayas\"\nmax_pages = 4294967297\n";
    app.config();
    let dir = app.config().parent().expect("dir").to_path_buf();
    std::fs::write(dir.join("bad.toml"), bad).expect("write");
    let run = app
        .run_bare(&["--config", "bad.toml", "check-config"])
        .await;
    assert_eq!(run.code, 3, "{run:?}");
    assert_no_panic(&run);
    for (prefix, key) in [
        ("timeout", "http.timeout"),
        ("connect_timeout", "http.connect_timeout"),
        ("concurrency", "http.concurrency"),
        ("max_body_size", "http.max_body_size"),
        ("retry_base", "scheduler.retry_base"),
        ("max_attempts", "delivery.max_attempts"),
        ("retry_max", "delivery.retry_max"),
        ("max_pages", "source[0].max_pages"),
    ] {
        let line = line_of(&app, "bad.toml", prefix);
        assert!(
            run.stderr.contains(&format!("bad.toml:{line}: {key}: ")),
            "{key} at line {line}:\n{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn out_of_range_flags_are_usage_errors_naming_the_flag() {
    let app = TestApp::new();
    let cases: &[(&[&str], &str)] = &[
        (&["search", "--since", "100000000d"], "--since"),
        (&["search", "--since", "18446744073709551615s1s"], "--since"),
        (&["search", "--limit", "0"], "--limit"),
        (&["search", "--limit", "99999999999999999999999"], "--limit"),
        (
            &["alerts", "test", "-q", "rust", "--since", "99999999w"],
            "--since",
        ),
        (&["notifications", "--limit=-3"], "--limit"),
    ];
    for (args, flag) in cases {
        let run = app.run(args).await;
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_no_panic(&run);
        assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn deep_or_long_queries_are_refused_with_their_position() {
    let app = TestApp::new();
    let cases = [
        (
            format!("{}a{}", "(".repeat(7000), ")".repeat(7000)),
            "at column 4097: query is longer than 4096 bytes",
        ),
        ("(".repeat(10_000), "at column 4097: query is longer"),
        (
            format!("{}a{}", "(".repeat(100), ")".repeat(100)),
            "at column 65: nested too deeply",
        ),
        (
            format!("{}a", "NOT ".repeat(1000)),
            "at column 257: nested too deeply",
        ),
        (
            format!("{}a", "-(".repeat(500)),
            "at column 65: nested too deeply",
        ),
    ];
    for (query, want) in &cases {
        let run = app.run(&["search", "--", query]).await;
        assert_eq!(run.code, 2, "{}: {run:?}", &query[..20]);
        assert_no_panic(&run);
        assert!(run.stderr.contains(want), "{}", run.stderr);
    }

    let deep = format!("{}rust{}", "(".repeat(7000), ")".repeat(7000));
    let app = TestApp::new().alert("deep", &deep, &[]).alert(
        "nested",
        &format!("{}rust{}", "(".repeat(65), ")".repeat(65)),
        &[],
    );
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    assert_no_panic(&run);
    let config = std::fs::read_to_string(app.config()).expect("config");
    let lines: Vec<usize> = config
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("query"))
        .map(|(i, _)| i + 1)
        .collect();
    for (i, (line, want)) in lines
        .iter()
        .zip(["longer than 4096 bytes", "nested too deeply"])
        .enumerate()
    {
        assert!(
            run.stderr.contains(&format!(
                "jobhound.toml:{line}: alert[{i}].query: at column"
            )),
            "alert[{i}] at line {line}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(want), "{}", run.stderr);
    }
}

/// A JSON Feed with `items`, served on 127.0.0.1; the task stops when dropped.
struct JsonFeed {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for JsonFeed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn json_feed(items: Vec<Value>) -> JsonFeed {
    let body = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hostile jobs",
        "items": items,
    })
    .to_string();
    let app = Router::new().route(
        "/feed.json",
        get(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/feed+json")], body) }
        }),
    );
    let (addr, task) = serve(app).await;
    JsonFeed {
        url: format!("http://{addr}/feed.json"),
        task,
    }
}

/// Hostile titles and companies, and 300 long postings so that JSON output
/// is far larger than a pipe's buffer.
async fn stocked() -> (JsonFeed, WebhookSink, TestApp) {
    let mut items = vec![
        json!({
            "id": "esc",
            "url": "https://jobs.example/esc",
            "title": "\u{1b}[2J\u{1b}[31mRust\u{1b}[0m Engineer\r\u{7}",
            "content_html": "<p>Hello \u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7}</p>",
            "authors": [{ "name": "Acme\u{202E}gnp.exe\u{2066}" }],
            "tags": ["rust\u{1b}[5m"],
            "date_published": "2026-11-20T09:00:00Z",
        }),
        json!({
            "id": "formula",
            "url": "https://jobs.example/formula",
            "title": "=HYPERLINK(\"http://evil.example\",\"Rust Engineer\")",
            "content_html": "<p>Click it.</p>",
            "date_published": "2026-11-20T08:00:00Z",
        }),
        json!({
            "id": "markup",
            "url": "https://jobs.example/markup",
            "title": "Platform Engineer",
            "content_html": "<p>Intro words</p><svg/><p>Middle words</p><math/><p>Later words</p>\
                             <script>hidden()</script><form><p>Words after an unclosed form</p>",
            "date_published": "2026-11-20T06:00:00Z",
        }),
        json!({
            "id": "dde",
            "url": "https://jobs.example/dde",
            "title": "@SUM(1+1)*cmd|' /C calc'!A0 Rust",
            "content_html": "<p>Click it.</p>",
            "date_published": "2026-11-20T07:00:00Z",
        }),
    ];
    let filler = "Build and ship models. ".repeat(60);
    items.extend((0..300).map(|i| {
        json!({
            "id": format!("bulk-{i}"),
            "url": format!("https://jobs.example/bulk-{i}"),
            "title": format!("Data Engineer {i}"),
            "content_html": format!("<p>{filler}</p>"),
            "date_published": "2026-11-19T09:00:00Z",
        })
    }));
    let feed = json_feed(items).await;
    let sink = WebhookSink::start().await;
    let app = TestApp::new()
        .feed("hostile", &feed.url)
        .webhook("hook", &sink.url())
        .alert("rust", "rust", &["hook"]);
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    (feed, sink, app)
}

/// Runs `args` with stdout (and, with `stderr_too`, stderr) on a pipe whose
/// reader is already closed, so the first write fails with EPIPE.
async fn run_into_closed_pipe(app: &TestApp, args: &[&str], stderr_too: bool) -> Run {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = app.command(args);
    if stderr_too {
        cmd.stderr(Stdio::from(writer.try_clone().expect("clone")));
    } else {
        cmd.stderr(Stdio::piped());
    }
    cmd.stdout(Stdio::from(writer)).stdin(Stdio::null());
    // Not `output()`: it would replace stdout and stderr with pipes of its own.
    let child = cmd.spawn().expect("spawn");
    // The parent's copies of the writer are gone with `cmd`: the child holds the only ones.
    drop(cmd);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("finished within 60 s")
        .expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_ends_every_printing_command_quietly() {
    let (_feed, _sink, app) = stocked().await;
    let commands: &[&[&str]] = &[
        &["search"],
        &["search", "--format", "json"],
        &["search", "--format", "jsonl"],
        &["search", "--format", "csv"],
        &["show", "1"],
        &["show", "1", "--format", "json"],
        &["sources"],
        &["alerts"],
        &["alerts", "test", "rust"],
        &["notifications"],
        &["notifications", "--format", "json"],
        &["digest", "--notifier", "hook", "--preview"],
        &["check-config"],
        &["--help"],
        // Logs at info (the tests' RUST_LOG) as it fetches: into the closed stderr too.
        &["fetch"],
    ];
    for args in commands {
        let run = run_into_closed_pipe(&app, args, false).await;
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("Broken pipe"),
            "{args:?}: {}",
            run.stderr
        );
        // `2>&1 | head`: the error report and the logs meet a closed stderr too.
        let run = run_into_closed_pipe(&app, args, true).await;
        assert_eq!(
            run.code, 0,
            "{args:?} with stderr closed: exit {}",
            run.code
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reading_one_line_then_closing_ends_search_quietly() {
    let (_feed, _sink, app) = stocked().await;
    let mut child = app
        .command(&["search", "--format", "json", "--limit", "1000"])
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let stdout = stdout.into_owned_fd().expect("fd");
    let mut lines = BufReader::new(std::fs::File::from(stdout));
    let mut first = String::new();
    lines.read_line(&mut first).expect("one line");
    assert_eq!(first.trim(), "[");
    drop(lines);
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("finished within 60 s")
        .expect("wait");
    let mut err = String::new();
    std::fs::File::from(stderr.into_owned_fd().expect("fd"))
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn control_and_bidi_chars_and_formulas_reach_no_terminal_or_csv() {
    let (_feed, sink, app) = stocked().await;
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    let table = app.run(&["search", "rust"]).await;
    assert_eq!(table.code, 0, "{table:?}");
    assert!(
        table.stdout.contains("  Rust Engineer  "),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.chars().any(unsafe_char), "{:?}", table.stdout);

    let jsonl = app.run(&["search", "rust", "--format", "jsonl"]).await;
    for line in jsonl.stdout.lines() {
        let v: Value = serde_json::from_str(line).expect("json");
        let id = v["id"].as_i64().expect("id").to_string();
        let show = app.run(&["show", &id]).await;
        assert_eq!(show.code, 0, "{show:?}");
        assert!(!show.stdout.chars().any(unsafe_char), "{:?}", show.stdout);
    }
    assert_eq!(jsonl.stdout.lines().count(), 3, "{}", jsonl.stdout);

    let csv = app.run(&["search", "rust", "--format", "csv"]).await;
    assert_eq!(csv.code, 0, "{csv:?}");
    let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
    let mut titles = Vec::new();
    for row in rows.records() {
        let row = row.expect("csv row");
        for cell in &row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {row:?}"
            );
        }
        titles.push(row[3].to_string());
    }
    assert!(titles.contains(&"'=HYPERLINK".to_string()), "{titles:?}");
    assert!(
        titles.contains(&"'@SUM(1+1)*cmd|' /C calc'!A0 Rust".to_string()),
        "{titles:?}"
    );

    // What the webhook was sent is clean too.
    let sent = serde_json::to_string(&sink.hits().iter().map(|h| &h.body).collect::<Vec<_>>())
        .expect("json");
    assert!(sent.contains("Engineer"), "{sent}");
    for bad in ["\\u001b", "\\u0007", "\u{202E}", "\u{2066}", "\\r"] {
        assert!(!sent.contains(bad), "{bad} in {sent}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_markup_takes_no_text_after_it() {
    let (_feed, _sink, app) = stocked().await;
    let p = app.show("markup").await;
    let text = p["text"].as_str().expect("text");
    let html = p["description_html"].as_str().expect("html");
    for words in [
        "Intro words",
        "Middle words",
        "Later words",
        "Words after an unclosed form",
    ] {
        assert!(text.contains(words), "{words:?} lost from {text:?}");
        assert!(html.contains(words), "{words:?} lost from {html:?}");
    }
    assert!(
        !text.contains("hidden") && !html.contains("hidden"),
        "{html}"
    );
    assert!(!html.contains("<svg") && !html.contains("<form"), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mail_carries_no_control_or_bidi_chars() {
    let feed = json_feed(vec![json!({
        "id": "esc",
        "url": "https://jobs.example/esc",
        "title": "\u{1b}[31mRust\u{1b}[0m Engineer\r\nBcc: victim@example.com",
        "content_html": "<p>Hello \u{1b}]8;;http://evil.example\u{7}click\u{202E}gnp.exe</p>",
        "authors": [{ "name": "Acme\u{202E}gnp.exe\u{2066}" }],
        "date_published": "2026-11-20T09:00:00Z",
    })])
    .await;
    let smtp = SmtpSink::start();
    let app = TestApp::new()
        .feed("hostile", &feed.url)
        .alert("rust", "rust", &["mail"])
        .block(&format!(
            "[[notifier]]\nname = \"mail\"\nkind = \"email\"\nsmtp_url = \"{}\"\n\
             from = \"jobhound <jobhound@example.com>\"\nto = [\"me@example.com\"]\n",
            smtp.url()
        ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{run:?}");
    assert_eq!(mails[0].to, ["me@example.com"]);
    let (subject, text, html, _) = parts(&mails[0]);
    assert!(text.contains("*Rust* Engineer"), "{text}");
    // SMTP carries CRLF line ends; the parts' own text is what is checked.
    let html = html.replace("\r\n", "\n");
    assert!(html.contains("Hello clickgnp.exe"), "{html}");
    assert!(text.contains("Bcc: victim@example.com"), "one line: {text}");
    for part in [&subject, &text, &html] {
        assert!(
            !part
                .chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\t')
                    || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
            "{part:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receivers_answer_shows_no_bidi_chars_in_notifications() {
    let feed = json_feed(vec![json!({
        "id": "rust",
        "url": "https://jobs.example/rust",
        "title": "Rust Engineer",
        "date_published": "2026-11-20T09:00:00Z",
    })])
    .await;
    let receiver = Router::new().route(
        "/hook",
        axum::routing::post(|| async {
            (
                axum::http::StatusCode::BAD_REQUEST,
                "bad \u{202E}gnp.exe\u{2066} payload",
            )
        }),
    );
    let (addr, task) = serve(receiver).await;
    let app = TestApp::new()
        .feed("jobs", &feed.url)
        .webhook("hook", &format!("http://{addr}/hook"))
        .alert("rust", "rust", &["hook"]);
    app.run(&["fetch"]).await;
    task.abort();
    for args in [
        &["notifications"][..],
        &["notifications", "--status", "failed"],
    ] {
        let run = app.run(args).await;
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains("gnp.exe"), "{}", run.stdout);
        assert!(
            !run.stdout.contains(['\u{202E}', '\u{2066}']),
            "{:?}",
            run.stdout
        );
    }
}
