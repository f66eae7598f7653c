//! A webhook receiver on 127.0.0.1:0 that records every request and answers
//! from a script (e.g. 500 twice, then 200), so retries can be observed.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One request the receiver got, and what it answered.
#[derive(Debug, Clone)]
pub struct Hit {
    pub body: serde_json::Value,
    pub idempotency_key: Option<String>,
    pub answered: u16,
}

#[derive(Clone, Default)]
struct Shared {
    script: Arc<Mutex<VecDeque<u16>>>,
    hits: Arc<Mutex<Vec<Hit>>>,
}

/// The running receiver; stops when dropped.
pub struct WebhookSink {
    addr: SocketAddr,
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WebhookSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WebhookSink {
    /// A receiver that answers 200 to everything.
    pub async fn start() -> WebhookSink {
        WebhookSink::scripted(&[]).await
    }

    /// A receiver that answers `first` statuses in order, then 200.
    pub async fn scripted(first: &[u16]) -> WebhookSink {
        let shared = Shared::default();
        shared
            .script
            .lock()
            .expect("lock")
            .extend(first.iter().copied());
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        WebhookSink { addr, shared, task }
    }

    /// Where to POST.
    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().expect("lock").clone()
    }

    /// The requests answered 2xx.
    pub fn delivered(&self) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| (200..300).contains(&h.answered))
            .collect()
    }
}

async fn hook(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let answer = s.script.lock().expect("lock").pop_front().unwrap_or(200);
    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    s.hits.lock().expect("lock").push(Hit {
        body,
        idempotency_key,
        answered: answer,
    });
    StatusCode::from_u16(answer).expect("status")
}
