//! Why a message was not delivered, and whether trying again may help.
//! Messages never carry a secret: webhook URLs are hidden, passwords never appear.

use std::time::Duration;

use crate::http::FetchError;

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The request did not complete: connection refused or reset, timeout.
    #[error(transparent)]
    Http(#[from] FetchError),
    /// The receiver answered, but not with a 2xx.
    #[error("HTTP {status}{}", detail_suffix(.detail))]
    Rejected {
        /// The status code.
        status: u16,
        /// How long the receiver asked us to wait (`Retry-After`, Discord's `retry_after`).
        retry_after: Option<Duration>,
        /// The start of the receiver's explanation, on one line.
        detail: String,
    },
    /// The SMTP server refused the mail or could not be reached.
    #[error("SMTP: {message}")]
    Smtp {
        /// Whether the server said to try later (4xx) or the connection failed.
        transient: bool,
        /// What went wrong.
        message: String,
    },
    /// The message could not be put together (a bad address, say): retrying cannot help.
    #[error("cannot build the message: {0}")]
    Build(String),
    /// Sending panicked (a bug): counted as a failed attempt, so a message that
    /// always does so ends up failed instead of wedging the deliverer.
    #[error("internal error (panic): {0}")]
    Panicked(String),
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

impl NotifyError {
    /// Whether a later attempt may succeed: connection errors, timeouts, 5xx,
    /// 408 and 429, and SMTP 4xx are transient; other answers are not.
    pub fn is_transient(&self) -> bool {
        match self {
            NotifyError::Http(e) => e.is_transient(),
            NotifyError::Rejected { status, .. } => {
                *status >= 500 || *status == 408 || *status == 429
            }
            NotifyError::Smtp { transient, .. } => *transient,
            NotifyError::Build(_) => false,
            NotifyError::Panicked(_) => true,
        }
    }

    /// How long the receiver asked us to wait before the next attempt.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            NotifyError::Rejected { retry_after, .. } => *retry_after,
            NotifyError::Http(FetchError::Status { retry_after, .. }) => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_and_permanent_failures_are_told_apart() {
        let rejected = |status| NotifyError::Rejected {
            status,
            retry_after: None,
            detail: String::new(),
        };
        let cases: Vec<(NotifyError, bool)> = vec![
            (rejected(500), true),
            (rejected(503), true),
            (rejected(429), true),
            (rejected(408), true),
            (rejected(404), false),
            (rejected(400), false),
            (rejected(401), false),
            (rejected(410), false),
            (
                NotifyError::Http(FetchError::Timeout {
                    url: "<hidden url>".into(),
                    after: Duration::from_secs(30),
                }),
                true,
            ),
            (
                NotifyError::Http(FetchError::Connect {
                    url: "<hidden url>".into(),
                    reason: "reset".into(),
                }),
                true,
            ),
            (
                NotifyError::Smtp {
                    transient: true,
                    message: "451".into(),
                },
                true,
            ),
            (
                NotifyError::Smtp {
                    transient: false,
                    message: "550".into(),
                },
                false,
            ),
            (NotifyError::Build("bad".into()), false),
        ];
        for (e, want) in cases {
            assert_eq!(e.is_transient(), want, "{e}");
        }
        let e = NotifyError::Rejected {
            status: 404,
            retry_after: None,
            detail: "no_service".into(),
        };
        assert_eq!(e.to_string(), "HTTP 404: no_service");
    }
}
