//! `[[notifier]]`: where alert matches are delivered (the channel, one variant
//! per `kind`) and when (at once, or as a digest on a cron schedule in a time
//! zone), and its validation. Every string may use `${VAR}`; URLs, header
//! values, signing secrets and passwords are secrets.

use std::collections::HashSet;

use lettre::message::Mailbox;
use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use super::check::Checker;
use super::raw::RawNotifier;
use super::secret::Secret;
use crate::scheduler::Schedule;

/// A validated notifier.
#[derive(Debug, Clone)]
pub struct Notifier {
    /// Unique name, referenced by alerts.
    pub name: String,
    /// A disabled notifier queues nothing; matches are still recorded.
    pub enabled: bool,
    /// The channel and its settings.
    pub kind: NotifierKind,
    /// At once, or batched into digests.
    pub mode: Mode,
}

/// The channel of a notifier.
#[derive(Debug, Clone)]
pub enum NotifierKind {
    /// A JSON POST to any URL, optionally signed.
    Webhook(Webhook),
    /// A Slack incoming webhook.
    Slack(ChatHook),
    /// A Discord webhook.
    Discord(ChatHook),
    /// Mail through an SMTP server.
    Email(Email),
}

impl NotifierKind {
    /// The `kind = "..."` name.
    pub fn name(&self) -> &'static str {
        match self {
            NotifierKind::Webhook(_) => "webhook",
            NotifierKind::Slack(_) => "slack",
            NotifierKind::Discord(_) => "discord",
            NotifierKind::Email(_) => "email",
        }
    }
}

/// When a notifier sends.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Each new match as soon as it is stored (several at once may share a message).
    Immediate,
    /// Everything new since the last digest, on a schedule.
    Digest(Box<Digest>),
}

/// `schedule`, `timezone`, `send_empty`: a digest notifier's clock.
#[derive(Debug, Clone)]
pub struct Digest {
    /// When digests go out, read as wall-clock time in `timezone`.
    pub schedule: Schedule,
    /// The zone of the schedule ("Europe/Berlin"; default UTC).
    pub timezone: chrono_tz::Tz,
    /// Whether a digest with nothing new is sent anyway (default false).
    pub send_empty: bool,
    /// At most this many jobs per alert, newest first; the message says how
    /// to see the rest (`digest_max_per_alert`, default 25).
    pub max_per_alert: usize,
}

/// `kind = "webhook"`: POST a JSON document per match (or per digest).
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Where to POST (secret: such URLs often embed a token).
    pub url: Secret<Url>,
    /// Extra request headers (values secret: often `Authorization`).
    pub headers: Vec<(HeaderName, Secret<HeaderValue>)>,
    /// Key for the `X-Jobhound-Signature` HMAC-SHA256 of each body.
    pub secret: Option<Secret<String>>,
}

/// `kind = "slack"` or `"discord"`: the channel's incoming-webhook URL.
#[derive(Debug, Clone)]
pub struct ChatHook {
    /// The webhook URL (secret: it is the credential).
    pub url: Secret<Url>,
}

/// `kind = "email"`: an SMTP submission.
#[derive(Debug, Clone)]
pub struct Email {
    /// The server and how the connection is secured.
    pub smtp: Smtp,
    /// The login, when the server wants one.
    pub username: Option<String>,
    /// The password (from `password` or `password_file`).
    pub password: Option<Secret<String>>,
    /// The `From:` mailbox.
    pub from: Mailbox,
    /// The recipients.
    pub to: Vec<Mailbox>,
}

/// Where the SMTP server is and how to talk to it, from `smtp_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    /// Host name or address.
    pub host: String,
    /// Port (defaults: 465 for smtps, 587 for STARTTLS, 25 for plain).
    pub port: u16,
    /// Transport security.
    pub tls: SmtpTls,
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://…?tls=starttls`: upgraded with STARTTLS, which must succeed.
    StartTls,
    /// `smtp://` to this machine only: no encryption.
    Plain,
}

/// Jobs per alert a digest shows unless `digest_max_per_alert` says otherwise.
pub const DEFAULT_MAX_PER_ALERT: u32 = 25;

const KINDS: &[&str] = &["webhook", "slack", "discord", "email"];

/// Checks one `[[notifier]]`; `None` when it has problems (already recorded).
pub(super) fn check(
    c: &mut Checker<'_>,
    at: &str,
    r: &RawNotifier,
    names: &mut HashSet<String>,
) -> Option<Notifier> {
    let name = c.name(&format!("{at}.name"), &r.name, names);
    let kind = c.required(&format!("{at}.kind"), &r.kind)?;
    let enabled = r.enabled.unwrap_or(true);
    let mode = check_mode(c, at, r);
    let missing = c.missing_secrets();
    let mut f = Fields { c, at, enabled };
    let kind = match kind.as_str() {
        "webhook" => {
            f.only(&kind, r, &["url", "headers", "secret"]);
            check_webhook(&mut f, r).map(NotifierKind::Webhook)
        }
        "slack" => {
            f.only(&kind, r, &["url"]);
            check_chat(&mut f, r).map(NotifierKind::Slack)
        }
        "discord" => {
            f.only(&kind, r, &["url"]);
            check_chat(&mut f, r).map(NotifierKind::Discord)
        }
        "email" => {
            f.only(
                &kind,
                r,
                &[
                    "smtp_url",
                    "username",
                    "password",
                    "password_file",
                    "from",
                    "to",
                ],
            );
            super::email::check(&mut f, r).map(NotifierKind::Email)
        }
        other => {
            c.problem(
                format!("{at}.kind"),
                format!("unknown kind `{other}` (known kinds: {})", KINDS.join(", ")),
            );
            None
        }
    };
    // Read commands load the config without the delivery secrets; a notifier
    // missing one holds placeholders, and counts as disabled so that nothing
    // is ever sent through them.
    let enabled = enabled && c.missing_secrets() == missing;
    Some(Notifier {
        name: name?,
        enabled,
        kind: kind?,
        mode: mode?,
    })
}

fn check_mode(c: &mut Checker<'_>, at: &str, r: &RawNotifier) -> Option<Mode> {
    let Some(expr) = &r.schedule else {
        for (key, set) in [
            ("timezone", r.timezone.is_some()),
            ("send_empty", r.send_empty.is_some()),
            ("digest_max_per_alert", r.digest_max_per_alert.is_some()),
        ] {
            if set {
                c.problem(
                    format!("{at}.{key}"),
                    "only applies to a digest (set `schedule` too)",
                );
            }
        }
        return Some(Mode::Immediate);
    };
    let schedule = c.schedule(&format!("{at}.schedule"), expr);
    let timezone = match r.timezone.as_deref() {
        None => Some(chrono_tz::UTC),
        Some(tz) => tz
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                c.problem(
                    format!("{at}.timezone"),
                    format!("`{tz}` is not an IANA time zone (e.g. \"Europe/Berlin\", \"UTC\")"),
                )
            })
            .ok(),
    };
    let max_per_alert = c.number(
        &format!("{at}.digest_max_per_alert"),
        r.digest_max_per_alert,
        DEFAULT_MAX_PER_ALERT,
        1,
        10_000,
    );
    Some(Mode::Digest(Box::new(Digest {
        schedule: schedule?,
        timezone: timezone?,
        send_empty: r.send_empty.unwrap_or(false),
        max_per_alert: max_per_alert as usize,
    })))
}

/// Reads one notifier's fields: expands `${VAR}` when the notifier is enabled.
/// A disabled notifier may name variables that are not set yet: it stays
/// checkable without them (their values are replaced by inert placeholders),
/// and nothing is ever sent through it.
pub(super) struct Fields<'c, 'a> {
    pub c: &'c mut Checker<'a>,
    pub at: &'c str,
    pub enabled: bool,
}

impl Fields<'_, '_> {
    /// The key path of `key` in this notifier.
    pub fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.at)
    }

    /// A required value, expanded (or `placeholder` for a disabled notifier that uses variables).
    pub fn required(
        &mut self,
        key: &str,
        raw: &Option<String>,
        placeholder: &str,
    ) -> Option<String> {
        let path = self.path(key);
        let v = self.c.required(&path, raw)?;
        self.value(key, &v, placeholder)
    }

    /// An optional value, expanded like [`Fields::required`].
    pub fn optional(
        &mut self,
        key: &str,
        raw: &Option<String>,
        placeholder: &str,
    ) -> Option<Option<String>> {
        match raw {
            None => Some(None),
            Some(v) => self.value(key, v, placeholder).map(Some),
        }
    }

    /// One value, expanded.
    pub fn value(&mut self, key: &str, raw: &str, placeholder: &str) -> Option<String> {
        if self.enabled {
            let path = self.path(key);
            self.c.secret(&path, raw, placeholder)
        } else if raw.contains('$') {
            Some(placeholder.to_string())
        } else {
            Some(raw.to_string())
        }
    }

    /// Records a problem at `key`.
    pub fn problem(&mut self, key: &str, message: impl Into<String>) {
        let path = self.path(key);
        self.c.problem(path, message);
    }

    /// Records a problem for every kind-specific key set that `kind` does not use.
    fn only(&mut self, kind: &str, r: &RawNotifier, uses: &[&str]) {
        self.c.unused_keys(self.at, kind, r.kind_keys(), uses);
    }
}

/// Where disabled notifiers "point": never contacted.
const PLACEHOLDER_URL: &str = "http://disabled.invalid/";

fn check_url(f: &mut Fields<'_, '_>, r: &RawNotifier) -> Option<Url> {
    let expanded = f.required("url", &r.url, PLACEHOLDER_URL)?;
    let path = f.path("url");
    f.c.secret_url(&path, &expanded)
}

fn check_chat(f: &mut Fields<'_, '_>, r: &RawNotifier) -> Option<ChatHook> {
    check_url(f, r).map(|url| ChatHook {
        url: Secret::new(url),
    })
}

fn check_webhook(f: &mut Fields<'_, '_>, r: &RawNotifier) -> Option<Webhook> {
    let url = check_url(f, r);
    let mut headers = Vec::new();
    for (k, v) in r.headers.iter().flatten() {
        let key = format!("headers.{k}");
        let Ok(name) = HeaderName::from_bytes(k.as_bytes()) else {
            f.problem(&key, "not a valid HTTP header name");
            continue;
        };
        match f.value(&key, v, "").map(|v| HeaderValue::from_str(&v)) {
            Some(Ok(mut value)) => {
                value.set_sensitive(true);
                headers.push((name, Secret::new(value)));
            }
            Some(Err(_)) => f.problem(&key, "not a valid HTTP header value (value hidden)"),
            None => {}
        }
    }
    let secret = match f.optional("secret", &r.secret, "disabled")? {
        Some(s) if s.is_empty() => {
            f.problem("secret", "must not be empty (value hidden)");
            None
        }
        s => s.map(Secret::new),
    };
    Some(Webhook {
        url: Secret::new(url?),
        headers,
        secret,
    })
}

#[cfg(test)]
mod tests;
