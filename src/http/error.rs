//! Why a request failed, said the way a person reads it ("connection refused",
//! "timed out after 30s", "HTTP 302 redirect to file:///etc/passwd refused: …")
//! rather than as reqwest's nested chain of causes.

use std::time::Duration;

use url::Url;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer (or no complete body) within the configured time.
    #[error("{url}: timed out after {}", secs(*.after))]
    Timeout {
        /// The URL requested.
        url: String,
        /// The limit that ran out.
        after: Duration,
    },
    /// The connection could not be made or broke off.
    #[error("{url}: {reason}")]
    Connect {
        /// The URL requested.
        url: String,
        /// What happened, in a few words ("connection refused").
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
    /// A redirect that was not followed, and why.
    #[error("{url}: HTTP {status} redirect {reason}")]
    Redirect {
        /// The URL requested.
        url: String,
        /// The redirect's status code.
        status: u16,
        /// Where it led and why it was refused.
        reason: String,
    },
    /// The body is larger than `[http] max_body_size`.
    #[error("{url}: response body larger than {limit} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The configured limit.
        limit: u64,
    },
    /// Anything else (broken encoding, a bad header).
    #[error("{url}: {reason}")]
    Other {
        /// The URL requested.
        url: String,
        /// The underlying error.
        reason: String,
    },
}

fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// HTTP statuses that say the resource is gone or closed to us: retrying soon will not help.
pub const PERMANENT_STATUSES: [u16; 4] = [401, 403, 404, 410];

impl FetchError {
    /// Whether trying again later may succeed: timeouts, connection errors,
    /// 5xx, 408 and 429 are transient; other 4xx, refused redirects and
    /// oversized bodies are not.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Connect { .. } | FetchError::Other { .. } => {
                true
            }
            FetchError::Status { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            FetchError::TooLarge { .. } | FetchError::Redirect { .. } => false,
        }
    }

    /// The HTTP status of an error answer, if the server gave one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `Retry-After` delay of an error answer, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The same error with the URL replaced, for URLs that are secrets (webhooks).
    pub fn redacted(self) -> FetchError {
        const HIDDEN: &str = "<hidden url>";
        let hide = |_: String| HIDDEN.to_string();
        match self {
            FetchError::Timeout { url: _, after } => FetchError::Timeout {
                url: HIDDEN.into(),
                after,
            },
            FetchError::Connect { url, reason } => FetchError::Connect {
                reason: reason.replace(&url, HIDDEN),
                url: hide(url),
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
            FetchError::Redirect {
                url,
                status,
                reason,
            } => FetchError::Redirect {
                reason: reason.replace(&url, HIDDEN),
                url: hide(url),
                status,
            },
            FetchError::TooLarge { url, limit } => FetchError::TooLarge {
                url: hide(url),
                limit,
            },
            FetchError::Other { url, reason } => FetchError::Other {
                reason: reason.replace(&url, HIDDEN),
                url: hide(url),
            },
        }
    }
}

/// `url` as shown in errors and logs: without a user name or password.
pub fn shown(url: &Url) -> String {
    if url.username().is_empty() && url.password().is_none() {
        return url.to_string();
    }
    let mut u = url.clone();
    // Only URLs that cannot have credentials fail these, and those have none.
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

/// The limits a request ran under, to say which one ran out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub connect: Duration,
    pub total: Duration,
}

/// Turns reqwest's error into a [`FetchError`] with a short human reason.
pub(crate) fn classify(
    url: &Url,
    e: &(dyn std::error::Error + 'static),
    limits: Limits,
) -> FetchError {
    let timeout = e
        .downcast_ref::<reqwest::Error>()
        .is_some_and(reqwest::Error::is_timeout);
    let connect = e
        .downcast_ref::<reqwest::Error>()
        .is_some_and(reqwest::Error::is_connect);
    let request = e
        .downcast_ref::<reqwest::Error>()
        .is_some_and(|r| r.is_request() || r.is_body());
    let url = shown(url);
    let chain = causes(e);
    if timeout
        || chain
            .iter()
            .any(|c| is_io(*c, std::io::ErrorKind::TimedOut))
    {
        let after = if connect {
            limits.connect
        } else {
            limits.total
        };
        return FetchError::Timeout { url, after };
    }
    match human(&chain) {
        Some(reason) => FetchError::Connect { url, reason },
        None if connect || request => FetchError::Connect {
            url,
            reason: plain_chain(&chain),
        },
        None => FetchError::Other {
            url,
            reason: plain_chain(&chain),
        },
    }
}

fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = vec![e];
    let mut cur = e.source();
    while let Some(c) = cur {
        out.push(c);
        cur = c.source();
    }
    out
}

fn is_io(e: &(dyn std::error::Error + 'static), kind: std::io::ErrorKind) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == kind)
}

/// The few words that say what happened, from the innermost cause that says it.
fn human(chain: &[&(dyn std::error::Error + 'static)]) -> Option<String> {
    use std::io::ErrorKind;
    for c in chain.iter().rev() {
        if let Some(tls) = c.downcast_ref::<rustls::Error>() {
            return Some(format!("TLS handshake failed: {tls}"));
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            // rustls reports through an io::Error that wraps (not chains) its own.
            if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                return Some(format!("TLS handshake failed: {tls}"));
            }
            let said = match io.kind() {
                ErrorKind::ConnectionRefused => "connection refused",
                ErrorKind::ConnectionReset => "connection reset by the server",
                ErrorKind::ConnectionAborted => "connection aborted",
                ErrorKind::UnexpectedEof => "connection closed before the response",
                ErrorKind::HostUnreachable => "host unreachable",
                ErrorKind::NetworkUnreachable => "network unreachable",
                ErrorKind::AddrNotAvailable => "address not available",
                _ => continue,
            };
            return Some(said.into());
        }
    }
    // hyper's and hyper-util's errors are not public types: read their messages.
    let text = plain_chain(chain).to_ascii_lowercase();
    if text.contains("dns error") || text.contains("failed to lookup address") {
        let why = chain.last().map(|c| c.to_string()).unwrap_or_default();
        return Some(format!("DNS lookup failed: {why}"));
    }
    if text.contains("connection closed before message completed")
        || text.contains("incomplete message")
    {
        return Some("connection closed before the response".into());
    }
    if text.contains("invalid http version")
        || text.contains("invalid status")
        || text.contains("invalid header")
        || text.contains("message head is too large")
    {
        return Some("the server's answer is not valid HTTP".into());
    }
    // rustls's errors can arrive boxed twice, past downcasting: read their words.
    if [
        "tls",
        "certificate",
        "corrupt message",
        "handshake",
        "peer is incompatible",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        return Some(format!(
            "TLS handshake failed: {}",
            chain.last().map(|c| c.to_string()).unwrap_or_default()
        ));
    }
    None
}

/// The messages of the chain, each once, joined by ": ".
fn plain_chain(chain: &[&(dyn std::error::Error + 'static)]) -> String {
    let mut out = String::new();
    for c in chain {
        let s = c.to_string();
        if !out.contains(&s) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error (Connect)")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn causes_become_a_few_words() {
        use std::io::{Error, ErrorKind};
        let cases = [
            (ErrorKind::ConnectionRefused, "connection refused"),
            (
                ErrorKind::UnexpectedEof,
                "connection closed before the response",
            ),
            (ErrorKind::ConnectionReset, "connection reset by the server"),
        ];
        for (kind, want) in cases {
            let e = Outer(Error::new(kind, "os error"));
            assert_eq!(human(&causes(&e)).as_deref(), Some(want));
        }
        let dns = Outer(Error::other(
            "dns error: failed to lookup address information",
        ));
        assert!(human(&causes(&dns)).is_some_and(|s| s.starts_with("DNS lookup failed")));
        let unknown = Outer(Error::other("something odd"));
        assert_eq!(human(&causes(&unknown)), None);
        assert_eq!(
            plain_chain(&causes(&unknown)),
            "client error (Connect): something odd"
        );
    }

    #[test]
    fn shown_urls_carry_no_credentials_and_redaction_hides_the_url() {
        let u = Url::parse("https://user:pw@example.com/feed?x=1").expect("url");
        assert_eq!(shown(&u), "https://example.com/feed?x=1");
        let e = FetchError::Redirect {
            url: "https://hooks.example/secret".into(),
            status: 307,
            reason: "not followed: a delivery goes to its configured URL only".into(),
        }
        .redacted();
        assert_eq!(
            e.to_string(),
            "<hidden url>: HTTP 307 redirect not followed: a delivery goes to its configured URL only"
        );
        let t = FetchError::Timeout {
            url: "u".into(),
            after: Duration::from_secs(30),
        };
        assert_eq!(t.to_string(), "u: timed out after 30s");
    }
}
