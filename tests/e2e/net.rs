//! Requests only where they should go: links read from fetched pages and
//! redirects stay on the source's host (and port) unless `allow_hosts` lists
//! another; deliveries never follow a redirect; no request carries a
//! `Referer`; refused redirects and broken connections are said plainly.
//! Two loopback servers on different ports stand for two hosts.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::support::app::TestApp;
use crate::support::server::{FixtureServer, serve};

/// A request a [`Peer`] saw.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
}

/// A canned answer: status, headers, body.
type Page = (u16, Vec<(&'static str, String)>, String);

#[derive(Clone, Default)]
struct Shared {
    pages: Arc<Mutex<HashMap<String, Page>>>,
    seen: Arc<Mutex<Vec<Req>>>,
}

/// A loopback HTTP server answering set paths with canned pages (404 otherwise)
/// and recording every request.
pub struct Peer {
    addr: SocketAddr,
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Peer {
    pub async fn start() -> Peer {
        let shared = Shared::default();
        let app = Router::new().fallback(answer).with_state(shared.clone());
        let (addr, task) = serve(app).await;
        Peer { addr, shared, task }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    pub fn set(&self, path: &str, status: u16, headers: &[(&'static str, String)], body: &str) {
        self.shared.pages.lock().expect("lock").insert(
            path.to_string(),
            (status, headers.to_vec(), body.to_string()),
        );
    }

    pub fn html(&self, path: &str, body: &str) {
        self.set(path, 200, &[("content-type", "text/html".into())], body);
    }

    pub fn redirect(&self, path: &str, status: u16, to: &str) {
        self.set(path, status, &[("location", to.to_string())], "");
    }

    pub fn seen(&self) -> Vec<Req> {
        self.shared.seen.lock().expect("lock").clone()
    }
}

async fn answer(State(s): State<Shared>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    s.seen.lock().expect("lock").push(Req {
        method,
        path: path.clone(),
        headers,
    });
    let page = s.pages.lock().expect("lock").get(&path).cloned();
    match page {
        None => StatusCode::NOT_FOUND.into_response(),
        Some((status, headers, body)) => {
            let mut resp = (StatusCode::from_u16(status).expect("status"), body).into_response();
            for (k, v) in headers {
                resp.headers_mut()
                    .insert(k, v.parse().expect("header value"));
            }
            resp
        }
    }
}

const SELECTORS: &str = r#"[source.selectors]
item = "li.job"
title = "a"
link = "a"
description = "p"
next = "a.next"
detail_description = "div.detail"
"#;

fn list_page(items: &[(&str, &str)], next: &str) -> String {
    let lis: String = items
        .iter()
        .map(|(title, href)| {
            format!(
                r#"<li class="job"><a href="{href}">{title}</a><p>list text of {title}</p></li>"#
            )
        })
        .collect();
    format!(r#"<html><body><ul>{lis}</ul><a class="next" href="{next}">next</a></body></html>"#)
}

fn detail_page(text: &str) -> String {
    format!(r#"<html><body><div class="detail">{text}</div></body></html>"#)
}

/// A board on `home` whose second item, next link and its detail lead to `other`.
fn board(home: &Peer, other: &Peer) {
    home.html(
        "/jobs",
        &list_page(
            &[
                ("Rust Engineer", "/jobs/1"),
                (
                    "Metadata Engineer",
                    &format!("{}/latest/meta-data", other.base()),
                ),
            ],
            &format!("{}/page/2", other.base()),
        ),
    );
    home.html("/jobs/1", &detail_page("home detail"));
    other.html(
        "/page/2",
        &list_page(
            &[("Internal Admin", &format!("{}/admin", other.base()))],
            &format!("{}/jobs", home.base()),
        ),
    );
    other.html("/latest/meta-data", &detail_page("iam-role-secret"));
    other.html("/admin", &detail_page("internal admin page"));
}

fn html_source(app: TestApp, home: &Peer, extra: &str) -> TestApp {
    app.block(&format!(
        "[[source]]\nname = \"board\"\nkind = \"html\"\nurl = \"{}/jobs\"\npage_delay = \"0s\"\n{extra}\n{SELECTORS}",
        home.base()
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn html_links_to_another_host_are_skipped_and_named() {
    let (home, other) = (Peer::start().await, Peer::start().await);
    board(&home, &other);
    let app = html_source(TestApp::new(), &home, "");
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "the rest of the source still works: {run:?}");
    assert!(run.line("board").contains("2 new"), "{}", run.stdout);
    assert!(
        other.seen().is_empty(),
        "nothing is requested from the other host: {:?}",
        other.seen()
    );
    for link in ["/page/2", "/latest/meta-data"] {
        let named = format!("{}{link}", other.base());
        assert!(
            run.stderr.contains(&named) && run.stderr.contains("not the source's host"),
            "the refused link {named} is named in a warning:\n{}",
            run.stderr
        );
    }
    let texts: Vec<String> = app.stored().await.iter().map(|p| p.to_string()).collect();
    let all = texts.join("\n");
    assert!(all.contains("home detail"), "{all}");
    assert!(
        !all.contains("iam-role-secret") && !all.contains("internal admin"),
        "no content of the other host is stored: {all}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn allow_hosts_lets_links_reach_a_listed_host() {
    let (home, other) = (Peer::start().await, Peer::start().await);
    board(&home, &other);
    let app = html_source(
        TestApp::new(),
        &home,
        &format!("allow_hosts = [\"{}\"]", other.host()),
    );
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.line("board").contains("3 new"), "{}", run.stdout);
    let paths: Vec<String> = other.seen().into_iter().map(|r| r.path).collect();
    assert!(
        paths.contains(&"/page/2".to_string()) && paths.contains(&"/admin".to_string()),
        "{paths:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_allow_hosts_entry_is_a_config_error() {
    let home = Peer::start().await;
    let app = html_source(
        TestApp::new(),
        &home,
        "allow_hosts = [\"http://x.example/\"]",
    );
    let run = app.run(&["check-config"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains("source[0].allow_hosts[0]"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn redirects_stay_on_the_source_host_and_carry_no_referer() {
    let (home, other) = (Peer::start().await, Peer::start().await);
    let rss = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/feed/wwr-programming.rss"
    ))
    .expect("fixture");
    home.redirect("/moved", 301, "/feed");
    home.set(
        "/feed",
        200,
        &[("content-type", "application/rss+xml".into())],
        &rss,
    );
    home.redirect("/away", 302, &format!("{}/feed", other.base()));
    home.redirect("/file", 302, "file:///etc/passwd");
    home.redirect("/loop", 302, "/loop");
    home.set("/nowhere", 302, &[], "");
    other.set("/feed", 200, &[], &rss);
    let app = TestApp::new()
        .feed("moved", &format!("{}/moved", home.base()))
        .feed("away", &format!("{}/away", home.base()))
        .feed("file", &format!("{}/file", home.base()))
        .feed("loop", &format!("{}/loop", home.base()))
        .feed("nowhere", &format!("{}/nowhere", home.base()));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(!run.line("moved").contains("FAILED"), "{}", run.stdout);
    run.assert_failed(
        "away",
        &format!(
            "HTTP 302 redirect to {}/feed refused: {} is not the source's host",
            other.base(),
            other.host()
        ),
    );
    run.assert_failed(
        "file",
        "HTTP 302 redirect to file:///etc/passwd refused: only http and https are followed",
    );
    run.assert_failed("loop", "HTTP 302 redirect to");
    run.assert_failed("loop", "refused: more than 5 redirects");
    run.assert_failed("nowhere", "HTTP 302 redirect without a Location header");
    assert!(other.seen().is_empty(), "{:?}", other.seen());
    let feed_requests: Vec<Req> = home
        .seen()
        .into_iter()
        .filter(|r| r.path == "/feed")
        .collect();
    assert_eq!(feed_requests.len(), 1);
    assert!(
        home.seen()
            .iter()
            .all(|r| !r.headers.contains_key("referer")),
        "no Referer on any request: {:?}",
        feed_requests[0].headers
    );
}

const ML: &str = r#"title:("machine learning" OR ML OR "deep learning" OR MLOps)"#;

#[tokio::test(flavor = "multi_thread")]
async fn deliveries_do_not_follow_redirects() {
    let feeds = FixtureServer::serve("feed").await;
    for status in [307, 302] {
        let (hook, elsewhere) = (Peer::start().await, Peer::start().await);
        hook.redirect(
            "/hook/s3cr3t",
            status,
            &format!("{}/catch", elsewhere.base()),
        );
        elsewhere.set("/catch", 200, &[], "ok");
        let app = TestApp::new()
            .feed("wwr", &feeds.url("wwr-programming.rss"))
            .alert("ml", ML, &["hook"])
            .block(&format!(
                "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"{}/hook/s3cr3t\"\n\
                 secret = \"signing-key\"\nheaders = {{ X-Custom = \"private\" }}\n",
                hook.base()
            ));
        let run = app.run(&["fetch"]).await;
        assert!(
            elsewhere.seen().is_empty(),
            "{status}: the redirect target got {:?}",
            elsewhere.seen()
        );
        let tried: Vec<Method> = hook.seen().into_iter().map(|r| r.method).collect();
        assert_eq!(tried, [Method::POST], "{status}: {run:?}");
        assert_eq!(
            app.count("SELECT count(*) FROM messages WHERE status = 'sent'"),
            0,
            "{status}: a redirect is not a delivery"
        );
        let error: String = app
            .db()
            .query_row(
                "SELECT last_error FROM messages WHERE last_error IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .expect("a recorded failure");
        assert!(
            error.contains(&format!("HTTP {status} redirect not followed"))
                && !error.contains("s3cr3t")
                && !error.contains("127.0.0.1"),
            "{status}: {error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_closed_before_the_answer_is_said_plainly() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf).await;
            drop(conn);
        }
    });
    let app = TestApp::new().feed("closing", &format!("http://user:pw@{addr}/feed.rss"));
    let run = app.run(&["fetch"]).await;
    task.abort();
    run.assert_failed(
        "closing",
        &format!("http://{addr}/feed.rss: connection closed before the response"),
    );
    assert!(
        !run.stdout.contains("pw@"),
        "no credentials in errors: {}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_tls_handshake_is_said_plainly() {
    let plain = Peer::start().await;
    let app = TestApp::new().feed("tls", &format!("https://{}/feed.rss", plain.host()));
    let run = app.run(&["fetch"]).await;
    run.assert_failed("tls", "TLS handshake failed");
    assert!(
        !run.line("tls").contains("error sending request"),
        "{}",
        run.line("tls")
    );
}
