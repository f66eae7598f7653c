//! Runs the real `jobhound` binary against a config and database of its own,
//! in a temporary directory, with proxies disabled so nothing leaves 127.0.0.1.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

/// What a finished command printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The line `jobhound fetch` printed for source `name`.
    pub fn line(&self, name: &str) -> &str {
        self.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name} in\n{}", self.stdout))
    }

    /// How many postings source `name` listed: new, updated and unchanged together.
    pub fn listed(&self, name: &str) -> usize {
        let words: Vec<&str> = self.line(name).split_whitespace().collect();
        words
            .windows(2)
            .filter(|w| ["new", "updated", "unchanged"].contains(&w[1].trim_end_matches(',')))
            .filter_map(|w| w[0].parse::<usize>().ok())
            .sum()
    }

    /// Asserts that source `name` failed, with `want` in its line.
    pub fn assert_failed(&self, name: &str, want: &str) {
        let l = self.line(name);
        assert!(l.contains("FAILED") && l.contains(want), "{name}: {l}");
    }
}

/// The per-host limits of tests that are not about them.
const LOOSE: &str = "per_host_concurrency = 64\nper_host_interval = \"0s\"\n";

/// A test installation: config blocks plus a directory for the database.
pub struct TestApp {
    dir: TempDir,
    blocks: Vec<String>,
}

impl TestApp {
    /// An installation with short timeouts and immediate retries.
    pub fn new() -> TestApp {
        TestApp {
            dir: tempfile::tempdir().expect("tempdir"),
            blocks: vec![
                "[database]\npath = \"jobhound.db\"\n".into(),
                // The per-host limits are raised (every peer is one loopback host)
                // but for the tests of politeness, which set their own ([`TestApp::polite`]).
                format!(
                    "[http]\nconnect_timeout = \"2s\"\ntimeout = \"2s\"\nmax_body_size = \"1MB\"\n{LOOSE}"
                ),
                "[scheduler]\nnotify_first_fetch = true\njitter = \"0s\"\n".into(),
                "[delivery]\nretry_base = \"0s\"\n".into(),
            ],
        }
    }

    /// Sets the per-host limits (instead of the raised ones every other test uses).
    pub fn polite(mut self, concurrency: usize, interval: &str) -> TestApp {
        self.blocks[1] = self.blocks[1].replace(
            LOOSE,
            &format!("per_host_concurrency = {concurrency}\nper_host_interval = \"{interval}\"\n"),
        );
        self
    }

    /// Adds keys to the `[http]` block.
    pub fn http(mut self, toml: &str) -> TestApp {
        self.blocks[1] = format!("{}{toml}\n", self.blocks[1]);
        self
    }

    /// Replaces the `[http]` block.
    pub fn http_block(mut self, toml: &str) -> TestApp {
        self.blocks[1] = format!("[http]\n{toml}\n");
        self
    }

    /// The installation's directory (config, database).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Replaces the `[scheduler]` block.
    pub fn scheduler(mut self, toml: &str) -> TestApp {
        self.blocks[2] = format!("[scheduler]\n{toml}\n");
        self
    }

    /// Replaces the `[delivery]` block.
    pub fn delivery(mut self, toml: &str) -> TestApp {
        self.blocks[3] = format!("[delivery]\n{toml}\n");
        self
    }

    /// Adds a feed source.
    pub fn feed(self, name: &str, url: &str) -> TestApp {
        // The fixture feeds are job feeds served from loopback, where the
        // known job-feed hosts cannot turn title splitting on by themselves.
        self.block(&format!(
            "[[source]]\nname = \"{name}\"\nkind = \"feed\"\nurl = \"{url}\"\nsplit_title = true\n"
        ))
    }

    /// Adds a source of `kind` whose endpoints are rebased onto `base_url`,
    /// without a pause between its requests, with its kind-specific `keys`.
    pub fn source(self, name: &str, kind: &str, base_url: &str, keys: &str) -> TestApp {
        self.block(&format!(
            "[[source]]\nname = \"{name}\"\nkind = \"{kind}\"\nbase_url = \"{base_url}\"\n\
             page_delay = \"0s\"\n{keys}\n"
        ))
    }

    /// Adds an alert.
    pub fn alert(self, name: &str, query: &str, notifiers: &[&str]) -> TestApp {
        let list: Vec<String> = notifiers.iter().map(|n| format!("\"{n}\"")).collect();
        self.block(&format!(
            "[[alert]]\nname = \"{name}\"\nquery = '{query}'\nnotifiers = [{}]\n",
            list.join(", ")
        ))
    }

    /// Adds a webhook notifier.
    pub fn webhook(self, name: &str, url: &str) -> TestApp {
        self.block(&format!(
            "[[notifier]]\nname = \"{name}\"\nkind = \"webhook\"\nurl = \"{url}\"\n"
        ))
    }

    /// Adds any TOML.
    pub fn block(mut self, toml: &str) -> TestApp {
        self.blocks.push(toml.to_string());
        self
    }

    /// The config text the blocks make.
    pub fn text(&self) -> String {
        self.blocks.join("\n")
    }

    /// Replaces the config file with `other`'s blocks (a config edited for a reload).
    pub fn rewrite(&self, other: &TestApp) {
        let path = self.dir.path().join("jobhound.toml");
        std::fs::write(&path, other.text()).expect("rewrite config");
    }

    /// Replaces the config file with `text`.
    pub fn rewrite_text(&self, text: &str) {
        let path = self.dir.path().join("jobhound.toml");
        std::fs::write(&path, text).expect("rewrite config");
    }

    /// Writes the config; returns its path.
    pub fn config(&self) -> PathBuf {
        let path = self.dir.path().join("jobhound.toml");
        std::fs::write(&path, self.blocks.join("\n")).expect("write config");
        path
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("jobhound.db")
    }

    /// Opens the database to inspect it.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db_path()).expect("open db")
    }

    /// Counts rows of a query returning one integer.
    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    /// `jobhound show` of the posting stored under `external_id` (by any source), as JSON.
    pub async fn show(&self, external_id: &str) -> Value {
        let id: i64 = self
            .db()
            .query_row(
                "SELECT id FROM postings WHERE external_id = ?1",
                [external_id],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{external_id}: {e}"));
        self.show_id(id).await
    }

    /// `jobhound show` of the posting source `source` stored under `external_id`, as JSON.
    pub async fn show_from(&self, source: &str, external_id: &str) -> Value {
        let id: i64 = self
            .db()
            .query_row(
                "SELECT id FROM postings WHERE source = ?1 AND external_id = ?2",
                [source, external_id],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{source}/{external_id}: {e}"));
        self.show_id(id).await
    }

    async fn show_id(&self, id: i64) -> Value {
        let run = self
            .run(&["show", &id.to_string(), "--format", "json"])
            .await;
        assert_eq!(run.code, 0, "{run:?}");
        let doc: Value = serde_json::from_str(&run.stdout).expect("show prints JSON");
        doc["posting"].clone()
    }

    /// Every stored posting, as `jobhound search --format jsonl` prints them.
    pub async fn stored(&self) -> Vec<Value> {
        self.search(&["search", "--format", "jsonl", "--limit", "200"])
            .await
    }

    /// The titles `jobhound search` finds for `query`, sorted.
    pub async fn titles(&self, query: &str) -> Vec<String> {
        let hits = self
            .search(&["search", query, "--format", "jsonl", "--limit", "100"])
            .await;
        let mut titles: Vec<String> = hits
            .iter()
            .map(|p| p["title"].as_str().unwrap_or_default().to_string())
            .collect();
        titles.sort();
        titles
    }

    /// Runs a `search` command line that prints JSON lines; one value per hit.
    async fn search(&self, args: &[&str]) -> Vec<Value> {
        let run = self.run(args).await;
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        run.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }

    /// A command for the binary, in the app's directory, with its config.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let config = self.config();
        let mut cmd = self.bare_command(&[]);
        cmd.arg("--config").arg(&config).args(args);
        cmd
    }

    /// A command for the binary in the app's directory, without `--config`.
    pub fn bare_command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobhound"));
        cmd.args(args).current_dir(self.dir.path());
        for var in [
            "http_proxy",
            "https_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "JOBHOUND_CONFIG",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("NO_PROXY", "*")
            .env("RUST_LOG", "info")
            .kill_on_drop(true);
        cmd
    }

    /// Runs the binary with the app's config to completion (at most 60 s).
    pub async fn run(&self, args: &[&str]) -> Run {
        finish(self.command(args)).await
    }

    /// Runs the binary without `--config` to completion (at most 60 s).
    pub async fn run_bare(&self, args: &[&str]) -> Run {
        finish(self.bare_command(args)).await
    }
}

/// Runs a command to completion (at most 60 s) and collects its output.
async fn finish(mut cmd: tokio::process::Command) -> Run {
    let child = cmd.stdin(Stdio::null()).output();
    let out = tokio::time::timeout(Duration::from_secs(60), child)
        .await
        .expect("jobhound finished within 60 s")
        .expect("spawn jobhound");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
