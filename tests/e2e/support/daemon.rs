//! `jobhound run` as a child process: started with extra environment, stopped
//! with SIGTERM (clean) or SIGKILL (a crash), its log kept in a file.

use std::process::Stdio;
use std::time::Duration;

use super::app::TestApp;

/// A running daemon.
pub struct Daemon {
    child: tokio::process::Child,
    log: std::path::PathBuf,
}

impl Daemon {
    /// Starts `jobhound run` with the app's config and `env` set.
    pub fn start(app: &TestApp, env: &[(&str, &str)], log_name: &str) -> Daemon {
        let log = app.db_path().with_file_name(log_name);
        let file = std::fs::File::create(&log).expect("log file");
        let mut cmd = app.command(&["run"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("spawn daemon");
        Daemon { child, log }
    }

    /// The daemon's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The address the daemon's API listens on, once it has logged it.
    pub async fn api_addr(&self) -> std::net::SocketAddr {
        let mut found = None;
        until(30, "the daemon logs its API address", || {
            found = self.log().lines().find_map(|l| {
                let rest = l.split("API listening").nth(1)?;
                let addr = rest.split("addr=").nth(1)?;
                addr.split_whitespace().next()?.parse().ok()
            });
            found.is_some()
        })
        .await;
        found.expect("address")
    }

    /// Sends `signal` (`HUP`) and returns at once: the daemon goes on.
    pub fn send(&self, signal: &str) {
        let pid = self.child.id().expect("pid").to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill -{signal} {pid}");
    }

    /// Whether the daemon is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `signal` (`TERM`, `KILL`) and waits for the exit; returns the exit code.
    pub async fn signal(&mut self, signal: &str) -> Option<i32> {
        let pid = self.child.id().expect("pid").to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill -{signal} {pid}");
        let status = tokio::time::timeout(Duration::from_secs(15), self.child.wait())
            .await
            .expect("exits within seconds of the signal")
            .expect("wait");
        status.code()
    }

    /// Stops the daemon cleanly (SIGTERM) and checks it exited 0.
    pub async fn stop(mut self) {
        let code = self.signal("TERM").await;
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        assert_eq!(code, Some(0), "{log}");
    }
}

/// Waits until `done` holds, at most `secs` seconds; panics with `what` otherwise.
pub async fn until(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let waited = tokio::time::timeout(Duration::from_secs(secs), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "timed out after {secs}s waiting for: {what}"
    );
}
