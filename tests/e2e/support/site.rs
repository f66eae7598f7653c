//! A web site on 127.0.0.1:0 that records how it is crawled: when each
//! request started, how many were in flight at once, and which carried
//! validators. It serves a generated feed at `/feed/NAME.xml`, HTML pages a
//! test sets, and a `/robots.txt` whose answer a test sets (and may change);
//! every answer is held for `hold` first, so that requests overlap when the
//! client lets them. Two sites are two hosts (each has its own port).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::server::serve;

/// One request the site saw.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub at: Instant,
    /// Whether it carried `If-None-Match`.
    pub conditional: bool,
    pub status: u16,
}

#[derive(Default)]
struct State {
    hold: Duration,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    hits: Mutex<Vec<Hit>>,
    pages: Mutex<HashMap<String, String>>,
    /// The status and body of `/robots.txt`; `None`: 404.
    robots: Mutex<Option<(u16, String)>>,
}

/// The running site; stops when dropped.
pub struct Site {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Counts a request in flight until dropped (also when the client goes away).
struct InFlight(Arc<State>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Site {
    /// A site holding every answer for `hold`.
    pub async fn start(hold: Duration) -> Site {
        let state = Arc::new(State {
            hold,
            ..State::default()
        });
        let shared = state.clone();
        let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
            let state = shared.clone();
            async move { answer(state, uri, headers).await }
        });
        let (addr, task) = serve(app).await;
        Site { addr, state, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The host as jobhound names it in messages: `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Serves `html` at `path`.
    pub fn page(&self, path: &str, html: &str) -> &Site {
        self.state
            .pages
            .lock()
            .expect("lock")
            .insert(path.to_string(), html.to_string());
        self
    }

    /// Answers `/robots.txt` with `status` and `body` (for a 3xx, the
    /// `Location`); `None` answers 404.
    pub fn robots(&self, answer: Option<(u16, &str)>) -> &Site {
        *self.state.robots.lock().expect("lock") = answer.map(|(s, b)| (s, b.to_string()));
        self
    }

    /// Every request so far, in the order they started.
    pub fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().expect("lock").clone()
    }

    /// The requests for `path`.
    pub fn hits_of(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// The shortest time between the starts of two requests (`None` with fewer than two).
    pub fn min_gap(&self) -> Option<Duration> {
        let hits = self.hits();
        hits.windows(2)
            .map(|w| w[1].at.saturating_duration_since(w[0].at))
            .min()
    }
}

async fn answer(state: Arc<State>, uri: Uri, headers: HeaderMap) -> Response {
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let _in_flight = InFlight(state.clone());
    let at = Instant::now();
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let conditional = headers.contains_key(header::IF_NONE_MATCH);
    // Recorded at once, so the order of the hits is the order requests came in.
    let index = {
        let mut hits = state.hits.lock().expect("lock");
        hits.push(Hit {
            path: path.clone(),
            at,
            conditional,
            status: 0,
        });
        hits.len() - 1
    };
    tokio::time::sleep(state.hold).await;
    let (status, content_type, body, etag) = if path == "/robots.txt" {
        match state.robots.lock().expect("lock").clone() {
            None => (404, "text/plain", String::new(), None),
            Some((status, body)) => {
                let etag = format!("\"{}\"", body.len());
                let same = headers
                    .get(header::IF_NONE_MATCH)
                    .and_then(|v| v.to_str().ok())
                    == Some(etag.as_str());
                if status == 200 && same {
                    (304, "text/plain", String::new(), None)
                } else {
                    (status, "text/plain", body, Some(etag))
                }
            }
        }
    } else if let Some(name) = path.strip_prefix("/feed/") {
        (200, "application/rss+xml", feed(name), None)
    } else {
        match state.pages.lock().expect("lock").get(&path).cloned() {
            Some(html) => (200, "text/html; charset=utf-8", html, None),
            None => (404, "text/plain", String::new(), None),
        }
    };
    state.hits.lock().expect("lock")[index].status = status;
    let mut resp = (
        StatusCode::from_u16(status).expect("status"),
        [(header::CONTENT_TYPE, content_type)],
        body,
    )
        .into_response();
    if (300..400).contains(&status) && status != 304 && path == "/robots.txt" {
        let to = state.robots.lock().expect("lock").clone().map(|(_, b)| b);
        if let Some(to) = to {
            resp.headers_mut()
                .insert(header::LOCATION, to.parse().expect("location"));
        }
    }
    if let Some(etag) = etag.filter(|_| status == 200) {
        resp.headers_mut()
            .insert(header::ETAG, etag.parse().expect("etag"));
    }
    resp
}

/// A feed with one item named after the feed.
fn feed(name: &str) -> String {
    let name = name.trim_end_matches(".xml");
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <item><title>ML Engineer {name}</title><guid>{name}-1</guid>\
         <link>https://example.com/jobs/{name}-1</link>\
         <description>Train models at {name}.</description></item></channel></rss>"
    )
}
