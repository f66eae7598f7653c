//! Why a source could not be read, in words a user can act on, and whether
//! trying again later may help.

use crate::http::{self, FetchError};

/// Why a source could not be read. Other sources are not affected.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The request failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A link from fetched content leads off the source's hosts; it was not requested.
    #[error("{url}: link not followed: {reason}")]
    Refused {
        /// The link.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// robots.txt disallows the page, or could not be read (then `transient`).
    #[error("{message}")]
    Robots {
        /// What robots.txt said, naming the site and the path.
        message: String,
        /// Whether it was unreadable (retried later) rather than a rule.
        transient: bool,
    },
    /// The response is not what this kind of source sends.
    #[error("{url}: {message}")]
    Parse {
        /// The URL whose body failed to parse.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// A mailbox could not be read.
    #[error("{server}: {message}")]
    Mail {
        /// The server, as `imaps://host:port` (never the login).
        server: String,
        /// What went wrong.
        message: String,
        /// What kind of problem it is.
        problem: MailProblem,
    },
}

/// What kept a mailbox from being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailProblem {
    /// No connection, a dropped one, or no answer in time.
    Unreachable,
    /// TLS could not be set up or the certificate was not trusted.
    Tls,
    /// The server refused the login.
    Login,
    /// The mailbox does not exist or cannot be opened.
    NoMailbox,
    /// The server answered something that is not IMAP as expected.
    Protocol,
}

impl SourceError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            SourceError::Fetch(e) => e.is_transient(),
            SourceError::Robots { transient, .. } => *transient,
            SourceError::Parse { .. } | SourceError::Refused { .. } => false,
            SourceError::Mail { problem, .. } => {
                matches!(problem, MailProblem::Unreachable | MailProblem::Protocol)
            }
        }
    }

    /// The HTTP status of an error answer, if the server gave one. A
    /// mailbox's refused login counts as a 401 and a missing mailbox as a
    /// 404: the scheduler retries those only every `retry_max`, since
    /// retrying a wrong password every few minutes gets accounts locked.
    pub fn status(&self) -> Option<u16> {
        match self {
            SourceError::Fetch(e) => e.status(),
            SourceError::Mail {
                problem: MailProblem::Login,
                ..
            } => Some(401),
            SourceError::Mail {
                problem: MailProblem::NoMailbox,
                ..
            } => Some(404),
            _ => None,
        }
    }

    /// The `Retry-After` delay the server asked for, if any.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            SourceError::Fetch(e) => e.retry_after(),
            _ => None,
        }
    }

    /// A parse error for `url` (shown without credentials).
    pub fn parse(url: impl ToString, message: impl Into<String>) -> SourceError {
        let url = url.to_string();
        SourceError::Parse {
            url: url::Url::parse(&url).map_or(url, |u| http::shown(&u)),
            message: message.into(),
        }
    }

    /// A parse error prefixed with what the body should have been ("not a
    /// Lever posting list: …"), so that an error page served with 200 reads clearly.
    pub fn expected(self, what: &str) -> SourceError {
        match self {
            SourceError::Parse { url, message } => SourceError::Parse {
                url,
                message: format!("not {what}: {message}"),
            },
            other => other,
        }
    }
}
