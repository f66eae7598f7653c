//! `jobhound run` under systemd's `Type=notify`: a Unix datagram socket bound
//! here stands in for systemd's notify socket (`NOTIFY_SOCKET`), with a small
//! `WATCHDOG_USEC`, and receives what the daemon tells systemd.

use std::time::Duration;

use tokio::net::UnixDatagram;

use crate::support::app::TestApp;
use crate::support::daemon::Daemon;
use crate::support::server::FixtureServer;

/// Reads datagrams until one contains `want` (at most `secs` seconds); every
/// line read on the way is appended to `seen`.
async fn read_until(sock: &UnixDatagram, seen: &mut Vec<String>, want: &str, secs: u64) {
    let found = tokio::time::timeout(Duration::from_secs(secs), async {
        let mut buf = vec![0u8; 4096];
        loop {
            let n = sock.recv(&mut buf).await.expect("recv");
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            let hit = text.lines().any(|l| l == want);
            seen.extend(text.lines().map(str::to_string));
            if hit {
                return;
            }
        }
    })
    .await;
    assert!(found.is_ok(), "no {want} within {secs}s; got {seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn systemd_hears_ready_status_watchdog_pings_and_stopping() {
    let server = FixtureServer::serve("feed").await;
    let app = TestApp::new()
        .feed("wwr", &server.url("wwr-programming.rss"))
        .block("[server]\nlisten = \"127.0.0.1:0\"\n");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&path).expect("bind the notify socket");
    let path = path.to_str().expect("utf-8 path");
    // 600 ms: pings every 300 ms. The only source is next due in half an
    // hour, so only a loop that wakes for the watchdog pings more than once.
    let mut daemon = Daemon::start(
        &app,
        &[("NOTIFY_SOCKET", path), ("WATCHDOG_USEC", "600000")],
        "systemd.log",
    );
    let mut seen = Vec::new();
    read_until(&sock, &mut seen, "READY=1", 30).await;
    // While the database opened (an upgrade can take minutes), systemd was
    // asked for more start-up time than its default 90 s.
    let extend = seen
        .iter()
        .position(|l| l == "EXTEND_TIMEOUT_USEC=60000000");
    let ready = seen.iter().position(|l| l == "READY=1");
    assert!(
        matches!((extend, ready), (Some(e), Some(r)) if e < r),
        "{seen:?}"
    );
    // Ready means serving: the API answers at once.
    let log = daemon.log();
    assert!(log.contains("API listening"), "{log}");
    let addr = daemon.api_addr().await;
    // reqwest is built without a TLS provider of its own (plain HTTP here).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .expect("the API answers once READY=1 is sent");
    assert!(health.status().is_success(), "{health:?}");
    // The first pass (the source is new) shows up in the status line.
    let status = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Some(s) = seen
                .iter()
                .find(|l| l.starts_with("STATUS=") && l.contains("last pass wwr: 2 listed"))
            {
                return s.clone();
            }
            read_until(&sock, &mut seen, "WATCHDOG=1", 10).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no STATUS= with the last pass; got {seen:?}"));
    assert!(
        status.contains("1 sources, 0 fetching, next wwr at"),
        "{status}"
    );
    let before = seen.iter().filter(|l| *l == "WATCHDOG=1").count();
    for _ in 0..3 {
        read_until(&sock, &mut seen, "WATCHDOG=1", 10).await;
    }
    let pings = seen.iter().filter(|l| *l == "WATCHDOG=1").count();
    assert!(pings >= before + 3, "{seen:?}");

    daemon.send("TERM");
    read_until(&sock, &mut seen, "STOPPING=1", 15).await;
    let code = daemon.signal("TERM").await;
    assert_eq!(code, Some(0), "{}", daemon.log());
}
