//! A fixture HTTP server on 127.0.0.1:0: serves files from `fixtures/` with
//! ETag and Last-Modified (answering conditional requests with 304), plus
//! endpoints that misbehave: fixed error statuses, a hang, a huge body.
//! API paths (`/v1/boards/acme/jobs?content=true`) are mapped to fixture files
//! with [`FixtureServer::route`], so sources can be pointed at it by `base_url`.
//! POST APIs that page by a field of the JSON body (Getro's `{"page": N}`) are
//! mapped with [`FixtureServer::route_post`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub status: u16,
}

#[derive(Clone)]
struct Shared {
    root: PathBuf,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// "path?query" or "path" → fixture file name.
    routes: Arc<Mutex<HashMap<String, String>>>,
    /// path → how POSTs to it are answered.
    post_routes: Arc<Mutex<HashMap<String, PostRoute>>>,
    /// The JSON bodies of POSTs, with their paths, in order.
    posted: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
}

/// How POSTs to one path are answered: by the value of one field of the JSON body.
#[derive(Clone)]
struct PostRoute {
    field: String,
    /// The field's value as JSON text (`0`, `"abc"`) → fixture file name.
    files: HashMap<String, String>,
    /// When set, requests whose `Accept` lacks it are answered 406.
    accept: Option<String>,
}

/// The running server; stops when dropped.
pub struct FixtureServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    routes: Arc<Mutex<HashMap<String, String>>>,
    post_routes: Arc<Mutex<HashMap<String, PostRoute>>>,
    posted: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Last-Modified of every fixture: fixed, so conditional GETs are deterministic.
const LAST_MODIFIED: &str = "Wed, 25 Nov 2026 10:00:00 GMT";

impl FixtureServer {
    /// Serves `fixtures/<dir>` under `/files/`.
    pub async fn serve(dir: &str) -> FixtureServer {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(dir);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let routes = Arc::new(Mutex::new(HashMap::new()));
        let post_routes = Arc::new(Mutex::new(HashMap::new()));
        let posted = Arc::new(Mutex::new(Vec::new()));
        let state = Shared {
            root,
            seen: seen.clone(),
            routes: routes.clone(),
            post_routes: post_routes.clone(),
            posted: posted.clone(),
        };
        let app = Router::new()
            .route("/files/{*name}", get(file))
            .route("/status/{code}", get(status))
            .route("/hang", get(hang))
            .route("/huge", get(huge))
            .fallback(routed)
            .with_state(state);
        let (addr, task) = serve(app).await;
        FixtureServer {
            addr,
            seen,
            routes,
            post_routes,
            posted,
            task,
        }
    }

    /// Serves fixture `file` at `path_and_query` (e.g. `/v1/boards/acme/jobs?content=true`).
    /// A request matches on path and query exactly, else on the path alone.
    pub fn route(&self, path_and_query: &str, file: &str) -> &FixtureServer {
        self.routes
            .lock()
            .expect("lock")
            .insert(path_and_query.to_string(), file.to_string());
        self
    }

    /// Answers POSTs to `path` by the JSON body's `field`: `cases` maps its value,
    /// written as JSON (`"0"` for the number 0), to a fixture file; other values get
    /// 404. With `accept`, a request whose `Accept` header lacks it gets 406.
    pub fn route_post(
        &self,
        path: &str,
        field: &str,
        accept: Option<&str>,
        cases: &[(&str, &str)],
    ) -> &FixtureServer {
        let route = PostRoute {
            field: field.to_string(),
            files: cases
                .iter()
                .map(|(v, f)| (v.to_string(), f.to_string()))
                .collect(),
            accept: accept.map(str::to_string),
        };
        self.post_routes
            .lock()
            .expect("lock")
            .insert(path.to_string(), route);
        self
    }

    /// The JSON bodies POSTed so far to paths ending in `suffix`, in order.
    pub fn posted(&self, suffix: &str) -> Vec<serde_json::Value> {
        self.posted
            .lock()
            .expect("lock")
            .iter()
            .filter(|(p, _)| p.ends_with(suffix))
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// The server's root URL (`http://127.0.0.1:PORT`), for a source's `base_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of a fixture file.
    pub fn url(&self, name: &str) -> String {
        format!("http://{}/files/{name}", self.addr)
    }

    /// The URL of any path on the server.
    pub fn path(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests seen so far for paths ending in `suffix`.
    pub fn seen(&self, suffix: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .expect("lock")
            .iter()
            .filter(|s| s.path.ends_with(suffix))
            .cloned()
            .collect()
    }
}

/// Serves `app` on 127.0.0.1 at a free port until the task is aborted.
pub async fn serve(app: Router) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    (addr, task)
}

fn record(state: &Shared, path: String, status: u16) {
    state.seen.lock().expect("lock").push(Seen { path, status });
}

async fn file(
    State(state): State<Shared>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve_file(&state, format!("/files/{name}"), &name, &headers)
}

fn serve_file(state: &Shared, path: String, name: &str, headers: &HeaderMap) -> Response {
    let Ok(body) = std::fs::read(state.root.join(name)) else {
        record(state, path, 404);
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{:x}-{}\"", fnv(&body), body.len());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        record(state, path, 304);
        return StatusCode::NOT_MODIFIED.into_response();
    }
    record(state, path, 200);
    let content_type = match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("rdf") => "application/rdf+xml",
        Some("xml") => "application/atom+xml",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/rss+xml; charset=utf-8",
    };
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("etag"));
    h.insert(
        header::LAST_MODIFIED,
        HeaderValue::from_static(LAST_MODIFIED),
    );
    resp
}

async fn routed(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::POST {
        let route = state
            .post_routes
            .lock()
            .expect("lock")
            .get(uri.path())
            .cloned();
        if let Some(route) = route {
            return posted(&state, &route, uri.path(), &headers, &body);
        }
    }
    let full = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let file = {
        let routes = state.routes.lock().expect("lock");
        routes
            .get(&full)
            .or_else(|| routes.get(uri.path()))
            .cloned()
    };
    match file {
        Some(name) => serve_file(&state, full, &name, &headers),
        None => {
            record(&state, full, 404);
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

fn posted(
    state: &Shared,
    route: &PostRoute,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    if let Some(want) = &route.accept {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !accept.contains(want.as_str()) {
            record(state, path.to_string(), 406);
            return StatusCode::NOT_ACCEPTABLE.into_response();
        }
    }
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    state
        .posted
        .lock()
        .expect("lock")
        .push((path.to_string(), json.clone()));
    let key = json.get(&route.field).map(|v| v.to_string());
    match key.and_then(|k| route.files.get(&k)) {
        Some(file) => serve_file(state, path.to_string(), file, &HeaderMap::new()),
        None => {
            record(state, path.to_string(), 404);
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

async fn status(State(state): State<Shared>, Path(code): Path<u16>) -> Response {
    record(&state, format!("/status/{code}"), code);
    let code = StatusCode::from_u16(code).expect("status code");
    (code, format!("status {code}")).into_response()
}

async fn hang(State(state): State<Shared>) -> Response {
    record(&state, "/hang".into(), 0);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    StatusCode::OK.into_response()
}

async fn huge(State(state): State<Shared>) -> Response {
    record(&state, "/huge".into(), 200);
    let mut body =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title>");
    while body.len() < 4 << 20 {
        body.push_str("<item><title>filler</title><description>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</description></item>");
    }
    body.push_str("</channel></rss>");
    body.into_response()
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
