//! The one HTTP client: user agent, timeouts, a cap on body size, and
//! conditional GET. Every source and notifier goes through it, so politeness
//! and limits live in one place.
//!
//! Redirects are followed here, hop by hop, rather than by reqwest, so that
//! each target can be checked against the [`Hosts`] the request may reach: a
//! page must not send jobhound to `http://169.254.169.254/` or `file:///`.
//! Deliveries ([`Http::post`]) never follow a redirect: the receiver would get
//! the webhook's signature and headers, and a 302 would turn the POST into a
//! GET whose 200 looks like a delivery. No request carries a `Referer`.
//!
//! Every request of a source ([`Http::get`], [`Http::request`], each redirect
//! hop) waits for its host's turn at the one [`Gate`] all clones share: the
//! per-host limits count requests, whichever source makes them. Deliveries
//! ([`Http::post`]) go to their receivers at once: they are not crawling.

mod error;
mod gate;
mod hosts;
mod post;
mod retry_after;
pub mod robots;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

pub use error::{FetchError, PERMANENT_STATUSES, shown};
use error::{Limits, classify};
pub use gate::{CRAWL_DELAY_MAX, Gate, HostLimits, Turn, label};
pub use hosts::Hosts;
pub use post::{ANSWER_LIMIT, Answer};
pub use retry_after::{RETRY_AFTER_MAX, parse_retry_after, retry_after};

use crate::config;
use crate::store::Validators;

/// Redirects followed at most for one request.
const MAX_REDIRECTS: usize = 5;

/// A successful response.
#[derive(Debug)]
pub enum Fetched {
    /// 304: the resource did not change since the validators were issued.
    NotModified,
    /// 2xx with its body.
    Body(Box<Body>),
}

/// A complete, size-checked response body.
#[derive(Debug)]
pub struct Body {
    /// The bytes (decompressed).
    pub bytes: Vec<u8>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// Validators to send next time.
    pub validators: Validators,
    /// The URL after redirects.
    pub url: Url,
}

/// The shared client.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    max_body: u64,
    limits: Limits,
    gate: Arc<Gate>,
    /// Where the time spent waiting for hosts' turns is added up (see [`Http::metered`]).
    waited: Option<Arc<AtomicU64>>,
}

/// The time one user of a [`Http::metered`] client waited for hosts' turns.
#[derive(Debug, Clone, Default)]
pub struct Waited(Arc<AtomicU64>);

impl Waited {
    /// The total so far.
    pub fn total(&self) -> Duration {
        Duration::from_micros(self.0.load(Ordering::Relaxed))
    }

    /// Adds `d` to the total.
    pub fn add(&self, d: Duration) {
        let micros = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        // Saturating: a sum of waits cannot overflow in practice, but must not wrap.
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                Some(v.saturating_add(micros))
            });
    }
}

impl Http {
    /// Builds the client from `[http]`.
    pub fn new(cfg: &config::Http) -> Result<Http, FetchError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            // Redirects are followed (and checked) in `send`, never by reqwest.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| FetchError::Other {
                url: String::new(),
                reason: format!("cannot build HTTP client: {e}"),
            })?;
        Ok(Http {
            client,
            max_body: cfg.max_body_size,
            limits: Limits {
                connect: cfg.connect_timeout,
                total: cfg.timeout,
            },
            gate: Arc::new(Gate::new(cfg.per_host_concurrency, cfg.per_host_interval)),
            waited: None,
        })
    }

    /// The per-host limits every clone of this client shares.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// A clone that adds the time its requests wait for their hosts' turns
    /// to the returned [`Waited`].
    pub fn metered(&self) -> (Http, Waited) {
        let waited = Waited::default();
        let mut http = self.clone();
        http.waited = Some(waited.0.clone());
        (http, waited)
    }

    /// Waits for `url`'s host's turn, counting the wait.
    async fn turn(&self, url: &Url) -> Turn {
        let asked = tokio::time::Instant::now();
        let turn = self.gate.turn(url).await;
        if let Some(w) = &self.waited {
            Waited(w.clone()).add(asked.elapsed());
        }
        turn
    }

    /// GET `url`, conditionally when `validators` are given; redirects may
    /// lead only to `hosts`.
    pub async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        hosts: &Hosts,
    ) -> Result<Fetched, FetchError> {
        let mut headers = HeaderMap::new();
        if let Some(v) = validators.filter(|v| v.url.as_deref() == Some(url.as_str())) {
            if let Some(etag) = v
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v
                .last_modified
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(header::IF_MODIFIED_SINCE, lm);
            }
        }
        self.request(Method::GET, url, headers, None, hosts).await
    }

    /// Sends a request with optional JSON body and reads the answer within the
    /// limits; redirects may lead only to `hosts`.
    pub async fn request(
        &self,
        method: Method,
        url: &Url,
        headers: HeaderMap,
        json: Option<&serde_json::Value>,
        hosts: &Hosts,
    ) -> Result<Fetched, FetchError> {
        let body = json
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| FetchError::Other {
                url: shown(url),
                reason: format!("cannot encode the request body: {e}"),
            })?;
        // The turn is held until the body is read: the request is in flight until then.
        let (resp, final_url, _turn) = self.send(method, url, headers, body, hosts).await?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: shown(url),
                status: status.as_u16(),
                retry_after: retry_after(resp.headers()),
            });
        }
        let text_header = |name: header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            url: Some(url.to_string()),
            etag: text_header(header::ETAG),
            last_modified: text_header(header::LAST_MODIFIED),
            state: None,
        };
        let content_type = text_header(header::CONTENT_TYPE);
        let bytes = self.read_body(&final_url, resp).await?;
        Ok(Fetched::Body(Box::new(Body {
            bytes,
            content_type,
            validators,
            url: final_url,
        })))
    }

    /// Sends the request and follows redirects within `hosts`, at most
    /// [`MAX_REDIRECTS`]: the answer that is not a redirect, its URL, and the
    /// turn of its host (each hop waits for its host's turn).
    async fn send(
        &self,
        mut method: Method,
        url: &Url,
        headers: HeaderMap,
        mut body: Option<Vec<u8>>,
        hosts: &Hosts,
    ) -> Result<(reqwest::Response, Url, Turn), FetchError> {
        let mut current = url.clone();
        let mut hops = 0;
        loop {
            let turn = self.turn(&current).await;
            let mut req = self
                .client
                .request(method.clone(), current.clone())
                .headers(headers.clone());
            if let Some(b) = &body {
                if !headers.contains_key(header::CONTENT_TYPE) {
                    req = req.header(header::CONTENT_TYPE, "application/json");
                }
                req = req.body(b.clone());
            }
            let resp = req
                .send()
                .await
                .map_err(|e| classify(&current, &e, self.limits))?;
            let status = resp.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                return Ok((resp, current, turn));
            }
            drop(turn);
            let refused = |reason: String| FetchError::Redirect {
                url: shown(url),
                status: status.as_u16(),
                reason,
            };
            let location = resp
                .headers()
                .get(header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let Some(location) = location else {
                return Err(refused("without a Location header".into()));
            };
            let target = current.join(location.trim()).map_err(|e| {
                refused(format!("to `{}` refused: not a URL ({e})", clip(&location)))
            })?;
            hosts
                .check(&target)
                .map_err(|why| refused(format!("to {} refused: {why}", clip(&shown(&target)))))?;
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(refused(format!(
                    "to {} refused: more than {MAX_REDIRECTS} redirects",
                    clip(&shown(&target))
                )));
            }
            // What browsers do: 303 always, and 301/302 after a POST, continue as a GET.
            if status == StatusCode::SEE_OTHER
                || (method == Method::POST
                    && matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND))
            {
                method = Method::GET;
                body = None;
            }
            current = target;
        }
    }

    async fn read_body(
        &self,
        url: &Url,
        mut resp: reqwest::Response,
    ) -> Result<Vec<u8>, FetchError> {
        let too_large = || FetchError::TooLarge {
            url: shown(url),
            limit: self.max_body,
        };
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(
            resp.content_length()
                .unwrap_or(16 * 1024)
                .min(self.max_body)
                .try_into()
                .unwrap_or(16 * 1024),
        );
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| classify(url, &e, self.limits))?
        {
            if (bytes.len() as u64).saturating_add(chunk.len() as u64) > self.max_body {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// A URL or header from a server, cut to a length that fits a log line.
fn clip(s: &str) -> String {
    const MAX: usize = 200;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX).collect();
    out.push('…');
    out
}

/// rustls needs one process-wide crypto provider; `ring` is the one built in.
fn install_crypto_provider() {
    // Fails only when one is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
