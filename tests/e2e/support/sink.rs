//! A webhook receiver on 127.0.0.1:0 that records every request and answers
//! from a script, so retries can be observed: plain statuses (500, 404), a 429
//! with `Retry-After` (Slack's way) or with a JSON `retry_after` (Discord's),
//! a connection dropped without an answer, then its success status. It speaks
//! just enough HTTP/1.1 itself (one request per connection) to be able to
//! drop a connection mid-request, which a framework would not allow.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reply {
    /// This status, empty body.
    Status(u16),
    /// 429 with `Retry-After: N` seconds.
    RetryAfter(u64),
    /// 429 with Discord's JSON body `{"retry_after": S, "global": false}`.
    DiscordLimit(f64),
    /// Read the request, then close the connection without answering.
    Reset,
}

/// One request the receiver got, and what it answered (0: dropped).
#[derive(Debug, Clone)]
pub struct Hit {
    pub body: serde_json::Value,
    pub idempotency_key: Option<String>,
    pub headers: HashMap<String, String>,
    pub raw: Vec<u8>,
    pub answered: u16,
    pub at: Instant,
}

#[derive(Clone)]
struct Shared {
    script: Arc<Mutex<VecDeque<Reply>>>,
    hits: Arc<Mutex<Vec<Hit>>>,
    success: u16,
    delay: Duration,
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
        let script: Vec<Reply> = first.iter().map(|s| Reply::Status(*s)).collect();
        WebhookSink::with(&script, 200, Duration::ZERO).await
    }

    /// A receiver that answers `script` in order, then `success`, each after `delay`.
    pub async fn with(script: &[Reply], success: u16, delay: Duration) -> WebhookSink {
        let shared = Shared {
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            hits: Arc::default(),
            success,
            delay,
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let s = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, s.clone()));
            }
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

    /// The posting titles of the webhook payloads answered 2xx, sorted.
    pub fn titles(&self) -> Vec<String> {
        let mut titles: Vec<String> = self
            .delivered()
            .iter()
            .map(|h| {
                h.body["posting"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        titles.sort();
        titles
    }
}

async fn serve(mut stream: TcpStream, s: Shared) {
    let Some((headers, raw)) = read_request(&mut stream).await else {
        return;
    };
    let reply = s
        .script
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or(Reply::Status(s.success));
    let answered = match reply {
        Reply::Status(code) => code,
        Reply::RetryAfter(_) | Reply::DiscordLimit(_) => 429,
        Reply::Reset => 0,
    };
    s.hits.lock().expect("lock").push(Hit {
        body: serde_json::from_slice(&raw).unwrap_or(serde_json::Value::Null),
        idempotency_key: headers.get("idempotency-key").cloned(),
        headers,
        raw,
        answered,
        at: Instant::now(),
    });
    if !s.delay.is_zero() {
        tokio::time::sleep(s.delay).await;
    }
    let (extra, body) = match reply {
        Reply::Reset => return, // dropped: the sender sees the connection close unanswered
        Reply::RetryAfter(secs) => (format!("Retry-After: {secs}\r\n"), String::new()),
        Reply::DiscordLimit(secs) => (
            "Content-Type: application/json\r\n".to_string(),
            format!(
                r#"{{"message": "You are being rate limited.", "retry_after": {secs}, "global": false}}"#
            ),
        ),
        Reply::Status(200) => (String::new(), "ok".to_string()),
        Reply::Status(_) => (String::new(), String::new()),
    };
    let head = format!(
        "HTTP/1.1 {answered} X\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Reads one request's headers (lower-cased names) and body.
async fn read_request(stream: &mut TcpStream) -> Option<(HashMap<String, String>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((headers, body))
}
