//! `jobhound check-config`: validate and summarize, or list every problem.

use std::path::Path;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::{CliError, Exit};
use crate::config::{Config, locate};

/// `jobhound check-config` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Output formats of `check-config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A summary line, or every problem on stderr.
    Text,
    /// One JSON object on stdout, valid or not (see the README for its keys).
    Json,
}

/// Validates the config; prints a summary, or every problem (exit code 3).
pub fn run(explicit: Option<&Path>, args: &CheckArgs) -> Result<Exit, CliError> {
    if args.format == CheckFormat::Json {
        // Even a config that cannot be found is reported as JSON.
        let (path, loaded) = match locate(explicit) {
            Ok(path) => {
                let loaded = Config::load(&path);
                (path, loaded)
            }
            Err(e) => (e.file.clone(), Err(e)),
        };
        return json(&path, &loaded);
    }
    let path = locate(explicit)?;
    let loaded = Config::load(&path);
    let config = loaded?;
    let enabled = config.sources.iter().filter(|s| s.enabled).count();
    outln!(
        "{}: ok ({} sources, {} enabled; {} alerts; {} notifiers; database {})",
        path.display(),
        config.sources.len(),
        enabled,
        config.alerts.len(),
        config.notifiers.len(),
        config.database.path.display()
    )?;
    for w in config.idle_warnings() {
        note!("warning: {w}");
    }
    Ok(Exit::Ok)
}

/// The JSON report: `file`, `ok`, `problems` (`path`, `line`, `message`),
/// and when valid `database`, `sources`, `enabled_sources`, `alerts`, `notifiers`.
fn json(
    path: &Path,
    loaded: &Result<Config, crate::config::ConfigError>,
) -> Result<Exit, CliError> {
    let file = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let doc = match loaded {
        Ok(config) => json!({
            "file": file,
            "ok": true,
            "problems": [],
            "database": config.database.path,
            "sources": config.sources.len(),
            "enabled_sources": config.sources.iter().filter(|s| s.enabled).count(),
            "alerts": config.alerts.len(),
            "notifiers": config.notifiers.len(),
        }),
        Err(e) => json!({
            "file": file,
            "ok": false,
            "problems": e.problems.iter().map(|p| json!({
                "path": p.path,
                "line": p.line,
                "message": p.message,
            })).collect::<Vec<_>>(),
        }),
    };
    outln!(
        "{}",
        serde_json::to_string_pretty(&doc).map_err(anyhow::Error::new)?
    )?;
    Ok(if loaded.is_ok() {
        Exit::Ok
    } else {
        Exit::Config
    })
}
