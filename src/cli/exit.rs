//! The documented exit codes, the error type commands return with the code
//! it maps to, and how an error is said on one line.

use std::process::ExitCode;

use crate::config::ConfigError;

/// Documented exit codes (see the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// A runtime error: database, network set-up, I/O.
    Failure = 1,
    /// Bad command-line usage or a bad search query.
    Usage = 2,
    /// The config file is missing or invalid.
    Config = 3,
    /// `fetch`: at least one source failed (the others were stored).
    SourcesFailed = 4,
    /// The posting or alert named does not exist.
    NotFound = 5,
    /// `run`: another `jobhound run` holds the database.
    AlreadyRunning = 6,
    /// `fetch`: every source was stored, but some deliveries failed for good.
    DeliveriesFailed = 7,
    /// Interrupted by Ctrl-C (SIGINT), as shells report it: 128 + 2.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub code: Exit,
    /// What went wrong.
    pub error: anyhow::Error,
}

impl CliError {
    /// An error with a specific exit code.
    pub fn new(code: Exit, error: impl Into<anyhow::Error>) -> CliError {
        CliError {
            code,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> CliError {
        CliError {
            code: Exit::Failure,
            error,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError {
            code: Exit::Failure,
            error: anyhow::Error::new(e).context("cannot write output"),
        }
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone
/// (`| head`): the command then ends quietly with success, as Unix tools do.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes on one line, each said once: a cause whose text
/// the line already holds (SQLite's "unable to open database file", repeated
/// by each layer that wraps it) is not added again.
pub fn message(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        // SQLite's own error repeats the message after its code.
        let said = text
            .strip_prefix("Error code ")
            .and_then(|t| t.split_once(": "))
            .map_or(text.as_str(), |(_, m)| m);
        if line.contains(said.trim()) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> CliError {
        CliError {
            code: Exit::Config,
            error: e.into(),
        }
    }
}

impl From<crate::store::StoreError> for CliError {
    fn from(e: crate::store::StoreError) -> CliError {
        CliError {
            code: Exit::Failure,
            error: e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_said_is_not_said_again() {
        let inner = anyhow::anyhow!("unable to open database file");
        let e = inner
            .context("database error: unable to open database file")
            .context("cannot open /x/j.db");
        assert_eq!(
            message(&e),
            "cannot open /x/j.db: database error: unable to open database file"
        );
        let coded = anyhow::anyhow!("Error code 1544: attempt to write a readonly database")
            .context("database error: attempt to write a readonly database");
        assert_eq!(
            message(&coded),
            "database error: attempt to write a readonly database"
        );
        let distinct = anyhow::anyhow!("disk full").context("cannot write /x");
        assert_eq!(message(&distinct), "cannot write /x: disk full");
    }
}
