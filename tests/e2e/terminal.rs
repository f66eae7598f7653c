//! `jobhound fetch` as a person at a terminal sees it (a real pty: progress,
//! colour, each source's line as it finishes, Ctrl-C) and as a pipe gets it
//! (plain lines as each source finishes, no escape codes).

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;

use crate::support::app::TestApp;
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;

/// A server that accepts connections and never answers: a source that is
/// still being fetched for as long as the test wants.
struct Stuck {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Stuck {
    async fn start() -> Stuck {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/feed.xml", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        Stuck { url, task }
    }
}

impl Drop for Stuck {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Three sources: `fast` stores a posting, `gone` fails at once (nothing
/// listens on port 9), `stuck` never finishes.
async fn three_sources() -> (FeedServer, Stuck, TestApp) {
    let feed = FeedServer::serve(&[Item::new("g1", "Rust Engineer")]).await;
    let stuck = Stuck::start().await;
    let app = TestApp::new()
        .http_block("connect_timeout = \"2s\"\ntimeout = \"300s\"")
        .feed("fast", &feed.url())
        .feed("gone", "http://127.0.0.1:9/feed.xml")
        .feed("stuck", &stuck.url);
    (feed, stuck, app)
}

fn interrupt(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill -INT {pid}");
}

/// `jobhound fetch` on a pseudo-terminal: everything it writes, as it writes it.
struct OnPty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    seen: Arc<Mutex<Vec<u8>>>,
}

impl OnPty {
    fn spawn(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> OnPty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 160,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let config = app.config();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jobhound"));
        cmd.arg("--config");
        cmd.arg(&config);
        cmd.args(args);
        cmd.cwd(app.dir());
        for var in [
            "http_proxy",
            "https_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("NO_PROXY", "*");
        cmd.env("RUST_LOG", "warn");
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn on pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        std::thread::spawn(move || {
            // Keeps the master open until the child is gone.
            let _master = pair.master;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        });
        OnPty { child, seen }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen.lock().expect("lock")).into_owned()
    }

    /// Waits (at most 30 s) until the output passes `test`.
    fn until(&self, what: &str, test: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !test(&self.text()) {
            assert!(Instant::now() < deadline, "no {what} in {:?}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait(mut self) -> (u32, String) {
        let status = self.child.wait().expect("wait");
        // The reader thread drains what is left once the child closes the pty.
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = self.text().len();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.text().len();
            if now == last || Instant::now() > deadline {
                break;
            }
            last = now;
        }
        (status.exit_code(), self.text())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fetch_on_a_terminal_shows_progress_and_lines_and_stops_on_ctrl_c() {
    let (_feed, _stuck, app) = three_sources().await;
    let (code, out) = tokio::task::spawn_blocking(move || {
        let pty = OnPty::spawn(&app, &["fetch"], &[]);
        pty.until("finished lines and the one in flight", |t| {
            t.contains("\u{1b}[1;31mFAILED\u{1b}[0m")
                && t.lines().any(|l| l.contains("fast") && l.contains(" ok "))
                && t.contains("2/3 sources")
                && t.contains("stuck")
        });
        let pid = pty.child.process_id().expect("pid");
        interrupt(pid);
        pty.wait()
    })
    .await
    .expect("pty thread");
    assert_eq!(code, 130, "{out:?}");
    assert!(
        out.contains("interrupted: 2 of 3 sources done (1 failed); deliveries not attempted"),
        "{out:?}"
    );
    // Log lines (the failed source's warning) go above the bar, never into it.
    assert!(out.contains("WARN"), "{out:?}");
    assert!(
        !out.split(['\r', '\n'])
            .any(|seg| seg.contains("/3 sources") && seg.contains("WARN")),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_color_turns_colour_off_on_a_terminal() {
    let feed = FeedServer::serve(&[Item::new("g1", "Rust Engineer")]).await;
    let app = TestApp::new()
        .feed("fast", &feed.url())
        .feed("gone", "http://127.0.0.1:9/feed.xml");
    let (code, out) = tokio::task::spawn_blocking(move || {
        OnPty::spawn(&app, &["fetch"], &[("NO_COLOR", "1")]).wait()
    })
    .await
    .expect("pty thread");
    assert_eq!(code, 4, "{out:?}");
    assert!(out.contains("FAILED"), "{out:?}");
    assert!(!out.contains("\u{1b}[1;31m"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn fetch_into_a_pipe_prints_plain_lines_as_sources_finish_and_stops_on_sigint() {
    let (_feed, _stuck, app) = three_sources().await;
    let mut cmd = app.command(&["fetch"]);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .env_remove("NO_COLOR");
    let mut child = cmd.spawn().expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut out = Vec::new();
    // `stuck` never finishes: these lines can only come as each source does.
    while !(out.iter().any(|l: &String| l.starts_with("fast "))
        && out.iter().any(|l| l.starts_with("gone ")))
    {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("a line within 30 s")
            .expect("read")
            .expect("not the end");
        out.push(line);
    }
    interrupt(child.id().expect("pid"));
    while let Some(line) = lines.next_line().await.expect("read") {
        out.push(line);
    }
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("exits")
        .expect("wait");
    assert_eq!(status.code(), Some(130), "{out:?}");
    let text = out.join("\n");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("gone   FAILED"), "{text:?}");
    assert!(
        text.contains("interrupted: 2 of 3 sources done (1 failed)"),
        "{text:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn color_always_colours_a_pipe_too() {
    let app = TestApp::new().feed("gone", "http://127.0.0.1:9/feed.xml");
    let run = app.run(&["--color", "always", "fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(
        run.stdout.contains("\u{1b}[1;31mFAILED\u{1b}[0m"),
        "{run:?}"
    );
    let plain = app.run(&["fetch"]).await;
    assert!(!plain.stdout.contains('\u{1b}'), "{plain:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_delivering_stops_fetch_with_130() {
    let feed = FeedServer::serve(&[Item::new("g1", "Rust Engineer")]).await;
    // Answers after a minute: the delivery is in flight when SIGINT comes.
    let sink = WebhookSink::with(&[], 200, Duration::from_secs(60)).await;
    let app = TestApp::new()
        .http_block("connect_timeout = \"2s\"\ntimeout = \"300s\"")
        .feed("fast", &feed.url())
        .alert("rust", "rust", &["hook"])
        .webhook("hook", &sink.url());
    let mut cmd = app.command(&["fetch"]);
    cmd.stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.hits().is_empty() {
        assert!(Instant::now() < deadline, "no delivery attempt within 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    interrupt(child.id().expect("pid"));
    let mut out = String::new();
    let mut stdout = child.stdout.take().expect("stdout");
    tokio::io::AsyncReadExt::read_to_string(&mut stdout, &mut out)
        .await
        .expect("read");
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("exits")
        .expect("wait");
    assert_eq!(status.code(), Some(130), "{out}");
    assert!(out.contains("fast "), "{out}");
    assert!(
        out.contains("interrupted: 1 of 1 sources done (0 failed); deliveries stopped"),
        "{out}"
    );
}
