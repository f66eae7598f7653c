//! The one HTTP client: user agent, timeouts, a cap on body size, and
//! conditional GET. Every source and notifier goes through it, so politeness
//! and limits live in one place.

use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::config;
use crate::store::Validators;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer (or no complete body) within the configured time.
    #[error("{url}: timed out")]
    Timeout {
        /// The URL requested.
        url: String,
    },
    /// The connection could not be made or broke off.
    #[error("{url}: connection failed: {reason}")]
    Connect {
        /// The URL requested.
        url: String,
        /// The underlying error.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL requested.
        url: String,
        /// The status code.
        status: u16,
        /// The `Retry-After` delay the server asked for, if any.
        retry_after: Option<Duration>,
    },
    /// The body is larger than `[http] max_body_size`.
    #[error("{url}: response body larger than {limit} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The configured limit.
        limit: u64,
    },
    /// Anything else (bad redirect, broken encoding).
    #[error("{url}: {reason}")]
    Other {
        /// The URL requested.
        url: String,
        /// The underlying error.
        reason: String,
    },
}

impl FetchError {
    /// Whether trying again later may succeed: timeouts, connection errors,
    /// 5xx, 408 and 429 are transient; other 4xx and oversized bodies are not.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Connect { .. } | FetchError::Other { .. } => {
                true
            }
            FetchError::Status { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            FetchError::TooLarge { .. } => false,
        }
    }

    /// The same error with the URL replaced, for URLs that are secrets (webhooks).
    pub fn redacted(self) -> FetchError {
        let hide = |_: String| "<hidden url>".to_string();
        match self {
            FetchError::Timeout { url } => FetchError::Timeout { url: hide(url) },
            FetchError::Connect { url, reason } => FetchError::Connect {
                url: hide(url.clone()),
                reason: reason.replace(&url, "<hidden url>"),
            },
            FetchError::Status {
                url,
                status,
                retry_after,
            } => FetchError::Status {
                url: hide(url),
                status,
                retry_after,
            },
            FetchError::TooLarge { url, limit } => FetchError::TooLarge {
                url: hide(url),
                limit,
            },
            FetchError::Other { url, reason } => FetchError::Other {
                url: hide(url.clone()),
                reason: reason.replace(&url, "<hidden url>"),
            },
        }
    }
}

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
}

impl Http {
    /// Builds the client from `[http]`.
    pub fn new(cfg: &config::Http) -> Result<Http, FetchError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| FetchError::Other {
                url: String::new(),
                reason: format!("cannot build HTTP client: {e}"),
            })?;
        Ok(Http {
            client,
            max_body: cfg.max_body_size,
        })
    }

    /// GET `url`, conditionally when `validators` are given.
    pub async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
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
        self.request(Method::GET, url, headers, None).await
    }

    /// Sends a request with optional JSON body and reads the answer within the limits.
    pub async fn request(
        &self,
        method: Method,
        url: &Url,
        headers: HeaderMap,
        json: Option<&serde_json::Value>,
    ) -> Result<Fetched, FetchError> {
        let mut req = self.client.request(method, url.clone()).headers(headers);
        if let Some(body) = json {
            req = req.json(body);
        }
        let resp = req.send().await.map_err(|e| classify(url, e))?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
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
        };
        let content_type = text_header(header::CONTENT_TYPE);
        let final_url = resp.url().clone();
        let bytes = self.read_body(url, resp).await?;
        Ok(Fetched::Body(Box::new(Body {
            bytes,
            content_type,
            validators,
            url: final_url,
        })))
    }

    async fn read_body(
        &self,
        url: &Url,
        mut resp: reqwest::Response,
    ) -> Result<Vec<u8>, FetchError> {
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: self.max_body,
        };
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(
            resp.content_length()
                .unwrap_or(16 * 1024)
                .min(self.max_body) as usize,
        );
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(url, e))? {
            if bytes.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// The answer to [`Http::post`], whatever its status.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The `Retry-After` delay the server asked for, if any.
    pub retry_after: Option<Duration>,
    /// The start of the body (at most [`ANSWER_LIMIT`] bytes): receivers explain errors there.
    pub body: Vec<u8>,
}

/// How much of an answer's body [`Http::post`] keeps.
pub const ANSWER_LIMIT: usize = 64 * 1024;

impl Http {
    /// POSTs `body` as given (a signature may cover its exact bytes) and returns
    /// the answer whatever its status: the caller decides what counts as confirmed.
    pub async fn post(
        &self,
        url: &Url,
        mut headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<Answer, FetchError> {
        headers
            .entry(header::CONTENT_TYPE)
            .or_insert(HeaderValue::from_static("application/json"));
        let mut resp = self
            .client
            .post(url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|e| classify(url, e))?;
        let status = resp.status().as_u16();
        let retry_after = retry_after(resp.headers());
        let mut body = Vec::new();
        while body.len() < ANSWER_LIMIT {
            match resp.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                // The status is what counts; a body cut off after a 2xx still confirms.
                Err(_) => break,
            }
        }
        body.truncate(ANSWER_LIMIT);
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }
}

fn classify(url: &Url, e: reqwest::Error) -> FetchError {
    let url = url.to_string();
    if e.is_timeout() {
        FetchError::Timeout { url }
    } else if e.is_connect() || e.is_request() || e.is_body() {
        FetchError::Connect {
            url,
            reason: error_chain(&e),
        }
    } else {
        FetchError::Other {
            url,
            reason: error_chain(&e),
        }
    }
}

/// The error and its causes in one line ("error sending request: connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cause = c.source();
    }
    out
}

/// Reads `Retry-After` as seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// rustls needs one process-wide crypto provider; `ring` is the one built in.
fn install_crypto_provider() {
    // Fails only when one is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
