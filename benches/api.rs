//! Search through the HTTP API under load: serves the daemon's real API
//! (`jobhound::api::serve`, the router `jobhound run` serves) on 127.0.0.1
//! over the search benchmark's database of `--postings` synthetic postings,
//! and runs `--clients` concurrent clients, each on its own keep-alive
//! connection, issuing `--requests` searches apiece
//! (`GET /api/postings?q=...&limit=20`) from the search benchmark's query
//! mix, each client starting at a different query. Prints latency p50/p99/max
//! over all requests and per query, and the throughput.
//!
//! Clients and server share the machine (and its cores): the figures are
//! what one box does serving and loading itself.
//!
//! `cargo bench --bench api -- --postings 1000000 --clients 50 --requests 40`
//! (`--words N` and `$JOBHOUND_BENCH_DIR`: see `support::db::database`)

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use jobhound::api::{Api, serve};
use jobhound::config::Config;
use jobhound::store::Store;
use jobhound::telemetry::Telemetry;
use tokio_util::sync::CancellationToken;

use support::db::{QUERIES, database, epoch};
use support::{arg, quantile};

fn main() {
    let n: usize = arg("--postings", 1_000_000);
    let clients: usize = arg("--clients", 50);
    let requests: usize = arg("--requests", 40);
    let path = database(n, arg("--words", 0));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(path, clients, requests));
}

async fn run(path: std::path::PathBuf, clients: usize, requests: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "[database]\npath = \"{}\"\n\n[server]\nlisten = \"127.0.0.1:0\"\n",
        path.display()
    );
    let config =
        Config::parse(&text, &dir.path().join("jobhound.toml"), &|_| None).expect("bench config");
    let store = Store::open(&path).expect("open the database");
    // The daemon hands the API a watch on its config (SIGHUP replaces it); nothing changes it here.
    let (_config_tx, config_rx) = tokio::sync::watch::channel(Arc::new(config));
    let api = Api::new(
        config_rx,
        Arc::new(Mutex::new(store)),
        Arc::new(Telemetry::new(Utc::now())),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let cancel = CancellationToken::new();
    let server = tokio::spawn(serve(listener, api, cancel.clone()));

    // The API measures ages from the real clock, the corpus ends at its
    // epoch: `--since Nd` windows are widened by the days since then, so they
    // hold what they hold in the search benchmark.
    let behind = (Utc::now() - epoch()).num_days().max(0) as u64 + 1;
    let paths: Vec<(String, String)> = QUERIES
        .iter()
        .map(|(q, since)| {
            let mut url = url::Url::parse(&format!("http://{addr}/api/postings")).expect("url");
            url.query_pairs_mut()
                .append_pair("q", q)
                .append_pair("limit", "20");
            let label = match since {
                Some(d) => {
                    url.query_pairs_mut()
                        .append_pair("since", &format!("{}d", d + behind));
                    format!("{q} --since {d}d")
                }
                None => q.to_string(),
            };
            (label, url.to_string())
        })
        .collect();
    let paths = Arc::new(paths);

    // One warm-up pass: every query once, as a running server would have seen.
    let warm = client();
    for (label, url) in paths.iter() {
        let r = warm.get(url).send().await.expect("warm-up request");
        assert_eq!(r.status().as_u16(), 200, "{label}");
        let body: serde_json::Value = r.json().await.expect("json");
        let hits = body["postings"].as_array().map_or(0, Vec::len);
        println!("warm-up {label:<62} {hits:>3} hits");
    }

    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let paths = paths.clone();
            tokio::spawn(async move {
                let http = client();
                let mut times = Vec::with_capacity(requests);
                for k in 0..requests {
                    let q = (c + k) % paths.len();
                    let t = Instant::now();
                    let r = http.get(&paths[q].1).send().await.expect("request");
                    let status = r.status().as_u16();
                    let body = r.bytes().await.expect("body");
                    let elapsed = t.elapsed();
                    assert_eq!(status, 200, "{}: {}", paths[q].0, body.len());
                    times.push((q, elapsed));
                }
                times
            })
        })
        .collect();
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); paths.len()];
    let mut all = Vec::new();
    for t in tasks {
        for (q, d) in t.await.expect("client task") {
            per_query[q].push(d);
            all.push(d);
        }
    }
    let wall = started.elapsed();
    cancel.cancel();
    let _ = server.await;

    println!();
    println!("{:<62} {:>6} {:>9} {:>9}", "query", "n", "p50 ms", "p99 ms");
    for ((label, _), times) in paths.iter().zip(per_query.iter_mut()) {
        println!(
            "{label:<62} {:>6} {:>9.2} {:>9.2}",
            times.len(),
            ms(quantile(times, 0.5)),
            ms(quantile(times, 0.99))
        );
    }
    let total = all.len();
    println!(
        "{total} requests from {clients} concurrent clients over {}: p50 {:.2} ms, p99 {:.2} ms, \
         max {:.2} ms; {:.0} requests/s ({:.1} s)",
        path.display(),
        ms(quantile(&mut all, 0.5)),
        ms(quantile(&mut all, 0.99)),
        ms(quantile(&mut all, 1.0)),
        total as f64 / wall.as_secs_f64(),
        wall.as_secs_f64()
    );
}

/// A client with its own connection pool, so each keeps its own connection.
fn client() -> reqwest::Client {
    // reqwest is built without a TLS provider of its own (plain HTTP here).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1)
        .build()
        .expect("HTTP client")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
