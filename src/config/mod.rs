//! Configuration: one TOML file, read into raw serde shapes (`raw`), then
//! validated into the typed [`Config`] that the rest of the program receives.
//! Validation collects every problem with its key path and line, so a user
//! fixes a broken config in one go.

mod check;
mod email;
mod error;
mod health;
mod notifier;
mod raw;
mod secret;
mod selectors;
mod server;
mod shape;
mod source;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use check::Secrets;
pub use email::parse_smtp_url;
pub use error::{ConfigError, Problem};
pub use health::Health;
pub use notifier::{ChatHook, Digest, Email, Mode, Notifier, NotifierKind, Smtp, SmtpTls, Webhook};
pub use secret::Secret;
pub use selectors::{Pick, Selectors};
pub use server::Server;
pub use source::{
    Board, EmailSelectors, HostPort, ImapServer, ImapTls, Mailbox, Source, SourceKind,
    parse_imap_url, rebase,
};

use crate::alerts::Query;
use crate::scheduler::Schedule;

/// The starter config written by `jobhound init`, and the example in the repository.
pub const EXAMPLE: &str = include_str!("../../config/jobhound.example.toml");

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    /// `[database]`
    pub database: Database,
    /// `[http]`
    pub http: Http,
    /// `[scheduler]`
    pub scheduler: Scheduler,
    /// `[delivery]`
    pub delivery: Delivery,
    /// `[server]`: the HTTP API, when configured.
    pub server: Option<Server>,
    /// `[health]`: where failing sources are reported, when configured.
    pub health: Option<Health>,
    /// `[[source]]`, in file order.
    pub sources: Vec<Source>,
    /// `[[alert]]`, in file order.
    pub alerts: Vec<Alert>,
    /// `[[notifier]]`, in file order.
    pub notifiers: Vec<Notifier>,
}

/// `[database]`: where the SQLite file lives.
#[derive(Debug, Clone)]
pub struct Database {
    /// Path of the database file (a relative `path` in the file is taken from the config file's directory).
    pub path: PathBuf,
}

/// `[http]`: how every request is made.
#[derive(Debug, Clone)]
pub struct Http {
    /// The User-Agent header; should carry a contact.
    pub user_agent: String,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub timeout: Duration,
    /// How many sources are fetched at once.
    pub concurrency: usize,
    /// Responses larger than this are cut off and the fetch fails.
    pub max_body_size: u64,
    /// Requests in flight to one host (host and port) at a time, across all sources.
    pub per_host_concurrency: usize,
    /// Least time between the starts of two requests to one host.
    pub per_host_interval: Duration,
}

/// `[scheduler]`: defaults for when sources are fetched.
#[derive(Debug, Clone)]
pub struct Scheduler {
    /// The schedule of sources that do not set their own.
    pub default_schedule: Schedule,
    /// The most a fetch is delayed past its cron time, so hosts are not hit in lockstep.
    pub jitter: Duration,
    /// Whether a source's first fetch notifies (default false: no flood).
    pub notify_first_fetch: bool,
    /// The first retry delay after a failed fetch or delivery.
    pub retry_base: Duration,
    /// The longest retry delay.
    pub retry_max: Duration,
}

/// `[delivery]`: how failed deliveries are retried.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The first retry delay.
    pub retry_base: Duration,
    /// The longest retry delay.
    pub retry_max: Duration,
    /// Attempts before a delivery is marked failed (it can be retried by hand).
    pub max_attempts: u32,
}

/// `[[alert]]`: a saved query and where its matches go.
#[derive(Debug, Clone)]
pub struct Alert {
    /// Unique name; the key under which its matches are remembered.
    pub name: String,
    /// The parsed query.
    pub query: Query,
    /// Names of the notifiers to deliver matches to.
    pub notifiers: Vec<String>,
    /// A disabled alert matches nothing.
    pub enabled: bool,
}

impl Config {
    /// Reads and validates the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with(path, Secrets::Required)
    }

    /// Reads and validates the file at `path` for a command that only reads
    /// what is stored: delivery secrets may be missing (see [`Secrets::Optional`]).
    pub fn load_to_read(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with(path, Secrets::Optional)
    }

    fn load_with(path: &Path, secrets: Secrets) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::file(path.to_path_buf(), format!("cannot read: {e}")))?;
        check::parse(&text, path, &|name| std::env::var(name).ok(), secrets)
    }

    /// Validates config text; `env` looks up `${VAR}` references.
    pub fn parse(
        text: &str,
        file: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        check::parse(text, file, env, Secrets::Required)
    }

    /// The source with this name.
    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name.as_str() == name)
    }

    /// The notifier with this name.
    pub fn notifier(&self, name: &str) -> Option<&Notifier> {
        self.notifiers.iter().find(|n| n.name == name)
    }

    /// What makes a valid config do nothing useful: no enabled source (the
    /// daemon idles), no enabled notifier (matches are never sent). Warned
    /// about by `run` and `check-config`.
    pub fn idle_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.sources.iter().any(|s| s.enabled) {
            out.push(
                "no enabled [[source]]: there is nothing to fetch (add one, or `jobhound import` a list)"
                    .to_string(),
            );
        }
        if !self.notifiers.iter().any(|n| n.enabled) {
            out.push("no enabled [[notifier]]: matches are recorded but never sent".to_string());
        }
        out
    }
}

/// Finds the config file: `explicit` (from `--config` or `$JOBHOUND_CONFIG`),
/// else `./jobhound.toml`, else `$XDG_CONFIG_HOME/jobhound/jobhound.toml`
/// (or `~/.config/jobhound/jobhound.toml`).
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let candidates = default_locations();
    for c in &candidates {
        if c.is_file() {
            return Ok(c.clone());
        }
    }
    let tried: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
    Err(ConfigError::file(
        PathBuf::from("jobhound.toml"),
        format!(
            "no config file found (looked in {}); write one with `jobhound init` or pass --config",
            tried.join(", ")
        ),
    ))
}

/// The places a config is looked for when none is named, in order.
pub fn default_locations() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("jobhound.toml")];
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(dir) = xdg {
        out.push(dir.join("jobhound").join("jobhound.toml"));
    }
    out
}
