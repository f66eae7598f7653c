//! A generated RSS feed on 127.0.0.1:0 whose items a test chooses (and can
//! change between fetches): for tests that need many matches at once or a
//! hostile title, which no fixture file should carry.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::server::serve;

/// One feed item.
#[derive(Debug, Clone)]
pub struct Item {
    pub guid: String,
    pub title: String,
    pub description: String,
}

impl Item {
    /// An item with a made-up description and a link derived from `guid`.
    pub fn new(guid: &str, title: &str) -> Item {
        Item {
            guid: guid.to_string(),
            title: title.to_string(),
            description: format!("<p>About {guid}: build and ship models.</p>"),
        }
    }
}

/// The running server; stops when dropped.
pub struct FeedServer {
    addr: SocketAddr,
    answer: Arc<Answer>,
    task: tokio::task::JoinHandle<()>,
}

/// What the server answers, as a test last set it.
struct Answer {
    xml: Mutex<String>,
    status: AtomicU16,
    /// How long each answer waits before it is sent, in milliseconds.
    delay_ms: AtomicU64,
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FeedServer {
    /// Serves `items` as RSS 2.0 at `/feed.xml`.
    pub async fn serve(items: &[Item]) -> FeedServer {
        let answer = Arc::new(Answer {
            xml: Mutex::new(rss(items)),
            status: AtomicU16::new(200),
            delay_ms: AtomicU64::new(0),
        });
        let app = Router::new()
            .route("/feed.xml", get(feed))
            .with_state(answer.clone());
        let (addr, task) = serve(app).await;
        FeedServer { addr, answer, task }
    }

    /// Replaces the items served from now on.
    pub fn set(&self, items: &[Item]) {
        *self.answer.xml.lock().expect("lock") = rss(items);
    }

    /// Serves `xml` as it is from now on: for a document no item list makes.
    pub fn set_document(&self, xml: String) {
        *self.answer.xml.lock().expect("lock") = xml;
    }

    /// Holds every answer for `delay` before sending it, from now on.
    pub fn delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).expect("a test's delay");
        self.answer.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Answers every request with `status` from now on (200: the feed again).
    pub fn answer(&self, status: u16) {
        self.answer.status.store(status, Ordering::SeqCst);
    }

    /// The feed's URL.
    pub fn url(&self) -> String {
        format!("http://{}/feed.xml", self.addr)
    }
}

async fn feed(State(answer): State<Arc<Answer>>) -> axum::response::Response {
    let delay = answer.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let status = answer.status.load(Ordering::SeqCst);
    if status != 200 {
        let code = axum::http::StatusCode::from_u16(status).expect("a status code");
        return (code, "scripted failure").into_response();
    }
    let body = answer.xml.lock().expect("lock").clone();
    (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An RSS 2.0 document with `items`.
pub fn rss(items: &[Item]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Generated jobs</title><link>https://jobs.example/</link><description>test</description>\n",
    );
    for i in items {
        out.push_str(&format!(
            "<item><guid isPermaLink=\"false\">{g}</guid><title>{t}</title>\
             <link>https://jobs.example/{g}</link><pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate>\
             <description>{d}</description></item>\n",
            g = esc(&i.guid),
            t = esc(&i.title),
            d = esc(&i.description),
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}
