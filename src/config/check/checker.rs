//! The problem collector every config section is checked with: it reads
//! values (URLs, durations, numbers, schedules, names, secrets) and records
//! each problem with its key path instead of stopping at the first.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::secret::expand;
use crate::scheduler::Schedule;
use crate::units;

/// Whether the secrets a delivery needs must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrets {
    /// Every `${VAR}` must be set and every secret file readable (commands that deliver).
    Required,
    /// Unset secret variables and unreadable secret files are no problem
    /// (commands that only read what is stored): secrets are often only in
    /// the daemon's environment, or in files only its user can read.
    Optional,
}

/// Collects problems while the sections are checked.
pub(in crate::config) struct Checker<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    pub(super) problems: Vec<(String, String)>,
    pub(super) secrets: Secrets,
    /// How many secrets were missing (and replaced by placeholders) so far.
    missing_secrets: usize,
    /// The config file's directory: relative paths in the config start there.
    pub(super) base: PathBuf,
}

impl<'a> Checker<'a> {
    /// A checker with no problems yet, expanding `${VAR}` through `env`.
    pub fn new(env: &'a dyn Fn(&str) -> Option<String>) -> Checker<'a> {
        Checker {
            env,
            problems: Vec::new(),
            secrets: Secrets::Required,
            missing_secrets: 0,
            base: PathBuf::new(),
        }
    }

    /// Whether secrets may be missing (see [`Secrets::Optional`]).
    pub fn secrets_optional(&self) -> bool {
        self.secrets == Secrets::Optional
    }

    /// Expands a secret value: like [`Checker::expand`], except that with
    /// [`Secrets::Optional`] an unset variable gives `placeholder` and no problem.
    pub fn secret(&mut self, path: &str, value: &str, placeholder: &str) -> Option<String> {
        if self.secrets_optional() {
            return Some(expand(value, self.env).unwrap_or_else(|_| {
                self.missing_secrets += 1;
                placeholder.to_string()
            }));
        }
        self.expand(path, value)
    }

    /// How many secrets were missing so far (only ever with [`Secrets::Optional`]).
    pub fn missing_secrets(&self) -> usize {
        self.missing_secrets
    }

    /// Notes a secret that is missing (a file that cannot be read), with [`Secrets::Optional`].
    pub fn secret_missing(&mut self) {
        self.missing_secrets += 1;
    }

    /// A path from the config, `${VAR}`-expanded, relative to the config file's
    /// directory (so the same config means the same files from any working directory).
    pub fn file_path(&mut self, path: &str, value: &str) -> Option<PathBuf> {
        let expanded = PathBuf::from(self.expand(path, value)?);
        Some(resolve(&self.base, &expanded))
    }

    /// The problems recorded so far, as `(path, message)`.
    #[cfg(test)]
    pub fn problems(&self) -> &[(String, String)] {
        &self.problems
    }

    /// Records a problem at `path`.
    pub fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }

    /// A required string, `${VAR}`-expanded when `expand_env` is set.
    pub fn required(&mut self, path: &str, value: &Option<String>) -> Option<String> {
        match value {
            Some(v) if !v.trim().is_empty() => Some(v.clone()),
            Some(_) => {
                self.problem(path, "must not be empty");
                None
            }
            None => {
                self.problem(path, "is required");
                None
            }
        }
    }

    /// Expands `${VAR}` references; an unset variable is a problem at `path`.
    pub fn expand(&mut self, path: &str, value: &str) -> Option<String> {
        match expand(value, self.env) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(path, e);
                None
            }
        }
    }

    /// Parses an absolute http(s) URL.
    pub fn url(&mut self, path: &str, value: &str) -> Option<url::Url> {
        match url::Url::parse(value) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
            Ok(u) => {
                self.problem(
                    path,
                    format!("`{}` URL: only http and https are supported", u.scheme()),
                );
                None
            }
            Err(e) => {
                self.problem(path, format!("not a URL ({e})"));
                None
            }
        }
    }

    /// Parses a URL that may hold a secret: the value never appears in a message.
    pub fn secret_url(&mut self, path: &str, value: &str) -> Option<url::Url> {
        match url::Url::parse(value) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
            _ => {
                self.problem(
                    path,
                    "not an absolute http(s) URL (value hidden: it may be secret)",
                );
                None
            }
        }
    }

    /// Parses an optional duration within `range`, with a default.
    pub fn duration(
        &mut self,
        path: &str,
        value: &Option<String>,
        default: Duration,
        range: (Duration, Duration),
    ) -> Duration {
        match value {
            None => default,
            Some(v) => units::parse_duration_in(v, range.0, range.1).unwrap_or_else(|e| {
                self.problem(path, e);
                default
            }),
        }
    }

    /// An optional whole number within `min..=max`, with a default.
    pub fn number(
        &mut self,
        path: &str,
        value: Option<i64>,
        default: u32,
        min: u32,
        max: u32,
    ) -> u32 {
        match value {
            None => default,
            Some(n) => match u32::try_from(n) {
                Ok(n) if (min..=max).contains(&n) => n,
                _ => {
                    self.problem(path, format!("{n} is out of range ({min} to {max})"));
                    default
                }
            },
        }
    }

    /// Records a problem when a section's `retry_base` exceeds its `retry_max`.
    pub(super) fn retry_order(&mut self, section: &str, base: Duration, max: Duration) {
        if base > max {
            self.problem(
                format!("{section}.retry_base"),
                format!(
                    "`{}` is longer than {section}.retry_max (`{}`)",
                    units::describe(base),
                    units::describe(max)
                ),
            );
        }
    }

    /// Parses a cron schedule.
    pub fn schedule(&mut self, path: &str, value: &str) -> Option<Schedule> {
        Schedule::parse(value)
            .map_err(|e| self.problem(path, e))
            .ok()
    }

    /// Records a problem at `{at}.{key}` for every kind-specific key that is
    /// set (`keys` pairs each key with whether it is) but not among those `kind` uses.
    pub fn unused_keys(
        &mut self,
        at: &str,
        kind: &str,
        keys: impl IntoIterator<Item = (&'static str, bool)>,
        uses: &[&str],
    ) {
        for (key, set) in keys {
            if set && !uses.contains(&key) {
                let uses = if uses.is_empty() {
                    "none".to_string()
                } else {
                    uses.join(", ")
                };
                self.problem(
                    format!("{at}.{key}"),
                    format!("not used by kind `{kind}` (it uses: {uses})"),
                );
            }
        }
    }

    /// Checks that a name is usable as an identifier in queries, the CLI and the database.
    pub fn name(
        &mut self,
        path: &str,
        value: &Option<String>,
        seen: &mut HashSet<String>,
    ) -> Option<String> {
        let name = self.required(path, value)?;
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            self.problem(
                path,
                format!("`{name}`: use only letters, digits, '-', '_' and '.'"),
            );
            return None;
        }
        if !seen.insert(name.clone()) {
            self.problem(path, format!("`{name}` is used twice"));
            return None;
        }
        Some(name)
    }
}

/// `path` when absolute, else `base/path`.
pub(in crate::config) fn resolve(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}
