//! Raw config → typed [`Config`]: parse the TOML, then check every section,
//! collecting all problems (with key path and line) before giving up.

use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use super::error::{ConfigError, Problem, line_of_path};
use super::raw::{RawAlert, RawConfig};
use super::{Alert, Config, Database, Delivery, Http, Scheduler};
use crate::alerts::Query;
use crate::scheduler::Schedule;
use crate::units;

mod checker;

pub use checker::Secrets;
pub(super) use checker::{Checker, resolve};

/// Parses and validates config text: structural problems (unknown keys,
/// wrong types) and semantic ones are reported together.
pub(super) fn parse(
    text: &str,
    file: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    secrets: Secrets,
) -> Result<Config, ConfigError> {
    let (raw, structural) = match super::shape::read(text) {
        Ok(read) => read,
        Err((path, line, message)) => {
            return Err(ConfigError {
                file: file.to_path_buf(),
                problems: vec![Problem {
                    path,
                    line,
                    message,
                }],
            });
        }
    };
    let mut c = Checker::new(env);
    c.secrets = secrets;
    // `Path::parent` of a bare file name is "", the working directory; the
    // directory is canonical so that `../x/j.toml` gives paths without `..`.
    c.base = std::path::absolute(file)
        .ok()
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .map(|dir| dir.canonicalize().unwrap_or(dir))
        .unwrap_or_default();
    let config = check_all(&mut c, raw, file);
    if c.problems.is_empty()
        && structural.is_empty()
        && let Some(config) = config
    {
        return Ok(config);
    }
    let doc = toml_edit::Document::parse(text.to_string()).ok();
    let mut problems: Vec<Problem> = structural
        .iter()
        .map(|(path, line, message)| Problem {
            path: path.clone(),
            line: *line,
            message: message.clone(),
        })
        .collect();
    // A key taken out for its type is then missing: that is the same problem.
    let semantic = c.problems.into_iter().filter(|(path, _)| {
        !structural
            .iter()
            .any(|(taken, _, _)| !taken.is_empty() && super::shape::is_within(path, taken))
    });
    problems.extend(semantic.map(|(path, message)| Problem {
        line: doc.as_ref().and_then(|d| line_of_path(text, d, &path)),
        path,
        message,
    }));
    problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    Err(ConfigError {
        file: file.to_path_buf(),
        problems,
    })
}

fn check_all(c: &mut Checker<'_>, raw: RawConfig, file: &Path) -> Option<Config> {
    let database = Database {
        path: raw
            .database
            .and_then(|d| d.path)
            .and_then(|p| c.file_path("database.path", &p))
            .unwrap_or_else(|| resolve(&c.base, Path::new("jobhound.db"))),
    };
    let h = raw.http.unwrap_or_default();
    let concurrency = c.number("http.concurrency", h.concurrency, 8, 1, 256) as usize;
    let max_body_size = match &h.max_body_size {
        None => 10 << 20,
        Some(v) => units::parse_size(v)
            .and_then(|n| {
                if (1 << 10..=1 << 30).contains(&n) {
                    Ok(n)
                } else {
                    Err(format!("`{v}` is out of range (1KB to 1GB)"))
                }
            })
            .unwrap_or_else(|e| {
                c.problem("http.max_body_size", e);
                10 << 20
            }),
    };
    let http = Http {
        user_agent: h.user_agent.unwrap_or_else(default_user_agent),
        connect_timeout: c.duration(
            "http.connect_timeout",
            &h.connect_timeout,
            Duration::from_secs(10),
            TIMEOUTS,
        ),
        timeout: c.duration(
            "http.timeout",
            &h.timeout,
            Duration::from_secs(30),
            TIMEOUTS,
        ),
        concurrency,
        max_body_size,
        per_host_concurrency: c.number(
            "http.per_host_concurrency",
            h.per_host_concurrency,
            2,
            1,
            256,
        ) as usize,
        per_host_interval: c.duration(
            "http.per_host_interval",
            &h.per_host_interval,
            Duration::from_secs(1),
            PAGE_DELAY,
        ),
    };
    let s = raw.scheduler.unwrap_or_default();
    let default_schedule = s
        .default_schedule
        .as_deref()
        .and_then(|v| c.schedule("scheduler.default_schedule", v))
        .unwrap_or_else(|| Schedule::parse(DEFAULT_SCHEDULE).expect("the default schedule parses"));
    let scheduler = Scheduler {
        default_schedule,
        jitter: c.duration(
            "scheduler.jitter",
            &s.jitter,
            Duration::from_secs(120),
            JITTER,
        ),
        notify_first_fetch: s.notify_first_fetch.unwrap_or(false),
        retry_base: c.duration(
            "scheduler.retry_base",
            &s.retry_base,
            Duration::from_secs(60),
            RETRY,
        ),
        retry_max: c.duration(
            "scheduler.retry_max",
            &s.retry_max,
            Duration::from_secs(6 * 3600),
            RETRY,
        ),
    };
    c.retry_order("scheduler", scheduler.retry_base, scheduler.retry_max);
    let d = raw.delivery.unwrap_or_default();
    let max_attempts = c.number("delivery.max_attempts", d.max_attempts, 12, 1, 1000);
    let delivery = Delivery {
        retry_base: c.duration(
            "delivery.retry_base",
            &d.retry_base,
            Duration::from_secs(30),
            RETRY,
        ),
        retry_max: c.duration(
            "delivery.retry_max",
            &d.retry_max,
            Duration::from_secs(6 * 3600),
            RETRY,
        ),
        max_attempts,
    };

    c.retry_order("delivery", delivery.retry_base, delivery.retry_max);

    let server = raw.server.as_ref().and_then(|r| super::server::check(c, r));

    let mut names = HashSet::new();
    let sources: Vec<_> = raw
        .sources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            super::source::check(c, &format!("source[{i}]"), r, &scheduler, &mut names)
        })
        .collect();
    let mut names = HashSet::new();
    let notifiers: Vec<_> = raw
        .notifiers
        .iter()
        .enumerate()
        .filter_map(|(i, r)| super::notifier::check(c, &format!("notifier[{i}]"), r, &mut names))
        .collect();
    let mut names = HashSet::new();
    let declared: HashSet<&str> = raw
        .notifiers
        .iter()
        .filter_map(|n| n.name.as_deref())
        .collect();
    let alerts: Vec<_> = raw
        .alerts
        .iter()
        .enumerate()
        .filter_map(|(i, r)| check_alert(c, &format!("alert[{i}]"), r, &declared, &mut names))
        .collect();
    let health = raw
        .health
        .as_ref()
        .and_then(|r| super::health::check(c, r, &declared));

    Some(Config {
        file: file.to_path_buf(),
        database,
        http,
        scheduler,
        delivery,
        server,
        health,
        sources,
        alerts,
        notifiers,
    })
}

/// Bounds of the HTTP timeouts: a zero timeout fails every request.
const TIMEOUTS: (Duration, Duration) = (Duration::from_millis(1), Duration::from_secs(3600));
/// Bounds of the scheduler's jitter.
const JITTER: (Duration, Duration) = (Duration::ZERO, Duration::from_secs(86_400));
/// Bounds of retry delays (sources and deliveries): a month at most, so that
/// the time of the next attempt is always a representable date.
const RETRY: (Duration, Duration) = (Duration::ZERO, Duration::from_secs(30 * 86_400));
/// Bounds of the pause between two requests of one fetch.
pub(super) const PAGE_DELAY: (Duration, Duration) = (Duration::ZERO, Duration::from_secs(600));

/// The schedule of a source that sets none and a config that sets no default.
pub const DEFAULT_SCHEDULE: &str = "*/30 * * * *";

fn default_user_agent() -> String {
    format!(
        "jobhound/{} (self-hosted job alerts)",
        env!("CARGO_PKG_VERSION")
    )
}

fn check_alert(
    c: &mut Checker<'_>,
    at: &str,
    r: &RawAlert,
    declared: &HashSet<&str>,
    names: &mut HashSet<String>,
) -> Option<Alert> {
    let name = c.name(&format!("{at}.name"), &r.name, names);
    let query = c.required(&format!("{at}.query"), &r.query).and_then(|q| {
        Query::from_str(&q)
            .map_err(|e| {
                c.problem(
                    format!("{at}.query"),
                    format!("{e}\n      {}", e.caret().replace('\n', "\n      ")),
                )
            })
            .ok()
    });
    let notifiers = r.notifiers.clone().unwrap_or_default();
    for (j, n) in notifiers.iter().enumerate() {
        if !declared.contains(n.as_str()) {
            c.problem(
                format!("{at}.notifiers[{j}]"),
                format!("no [[notifier]] is named `{n}`"),
            );
        }
    }
    Some(Alert {
        name: name?,
        query: query?,
        notifiers,
        enabled: r.enabled.unwrap_or(true),
    })
}

#[cfg(test)]
mod tests;
