//! `[[notifier]]`: where alert matches are delivered, and its validation.
//! Every string may use `${VAR}`; URLs and header values are secrets.

use std::collections::HashSet;

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use super::check::Checker;
use super::raw::RawNotifier;
use super::secret::Secret;

/// A validated notifier.
#[derive(Debug, Clone)]
pub struct Notifier {
    /// Unique name, referenced by alerts.
    pub name: String,
    /// A disabled notifier queues nothing; matches are still recorded.
    pub enabled: bool,
    /// The channel and its settings.
    pub kind: NotifierKind,
}

/// The channel of a notifier.
#[derive(Debug, Clone)]
pub enum NotifierKind {
    /// A JSON POST to any URL.
    Webhook(Webhook),
}

impl NotifierKind {
    /// The `kind = "..."` name.
    pub fn name(&self) -> &'static str {
        match self {
            NotifierKind::Webhook(_) => "webhook",
        }
    }
}

/// `kind = "webhook"`: POST a JSON document per match.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Where to POST (secret: such URLs often embed a token).
    pub url: Secret<Url>,
    /// Extra request headers (values secret: often `Authorization`).
    pub headers: Vec<(HeaderName, Secret<HeaderValue>)>,
}

const KINDS: &[&str] = &["webhook"];

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
    let kind = match kind.as_str() {
        "webhook" => check_webhook(c, at, r, enabled).map(NotifierKind::Webhook),
        other => {
            c.problem(
                format!("{at}.kind"),
                format!("unknown kind `{other}` (known kinds: {})", KINDS.join(", ")),
            );
            None
        }
    };
    Some(Notifier {
        name: name?,
        enabled,
        kind: kind?,
    })
}

fn check_webhook(c: &mut Checker<'_>, at: &str, r: &RawNotifier, enabled: bool) -> Option<Webhook> {
    let path = format!("{at}.url");
    let raw_url = c.required(&path, &r.url)?;
    // A disabled notifier may name variables that are not set yet: keep it
    // checkable without them, and never send anything through it.
    let url = if enabled {
        let expanded = c.expand(&path, &raw_url)?;
        c.secret_url(&path, &expanded)?
    } else {
        Url::parse("http://disabled.invalid/").ok()?
    };
    let mut headers = Vec::new();
    for (k, v) in r.headers.iter().flatten() {
        let hpath = format!("{at}.headers.{k}");
        let Ok(name) = HeaderName::from_bytes(k.as_bytes()) else {
            c.problem(hpath, "not a valid HTTP header name");
            continue;
        };
        let value = if enabled {
            c.expand(&hpath, v)
        } else {
            Some(String::new())
        };
        match value.map(|v| HeaderValue::from_str(&v)) {
            Some(Ok(mut value)) => {
                value.set_sensitive(true);
                headers.push((name, Secret::new(value)));
            }
            Some(Err(_)) => c.problem(hpath, "not a valid HTTP header value (value hidden)"),
            None => {}
        }
    }
    Some(Webhook {
        url: Secret::new(url),
        headers,
    })
}
