//! `kind = "imap"`: a mailbox of job-alert emails. The IMAP URL (implicit TLS,
//! STARTTLS, or plain to this machine only), the login with its password from
//! the environment or a file, which senders' alerts to read, how far back the
//! first fetch looks, and `[source.email_selectors]` for one other sender.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::super::check::Checker;
use super::super::email::is_loopback;
use super::super::raw::{RawEmailSelectors, RawSource};
use super::super::secret::Secret;
use super::super::selectors::{Pick, pick};

/// A validated `imap` source.
#[derive(Debug, Clone, PartialEq)]
pub struct Mailbox {
    /// Where the server is and how to secure the connection.
    pub server: ImapServer,
    /// The login.
    pub username: String,
    /// The password (from `password` or `password_file`).
    pub password: Secret<String>,
    /// The mailbox (folder) to read, `INBOX` by default.
    pub mailbox: String,
    /// The job boards whose alert emails are read.
    pub senders: Vec<Board>,
    /// How far back the first fetch (and a reread after `UIDVALIDITY` changed) looks.
    pub since: Duration,
    /// Whether emails read are flagged `\Seen` (never, by default).
    pub mark_seen: bool,
    /// A PEM file of certificate authorities trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    /// How to read alerts from one other sender.
    pub selectors: Option<EmailSelectors>,
}

/// An IMAP server's address and transport security.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapServer {
    /// Host name or IP address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: ImapTls,
}

impl std::fmt::Display for ImapServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = match self.tls {
            ImapTls::Implicit => "imaps",
            ImapTls::StartTls | ImapTls::Plain => "imap",
        };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(f, "{scheme}://{host}:{}", self.port)
    }
}

/// How an IMAP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImapTls {
    /// TLS from the first byte (`imaps://`, port 993).
    Implicit,
    /// Plain, upgraded with `STARTTLS` before logging in (`?tls=starttls`).
    StartTls,
    /// No TLS: only to a loopback address.
    Plain,
}

/// A job board whose alert emails jobhound reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Board {
    /// LinkedIn job alerts.
    LinkedIn,
    /// Indeed job alerts.
    Indeed,
    /// Glassdoor job alerts.
    Glassdoor,
    /// Wellfound (formerly AngelList Talent) job alerts.
    Wellfound,
    /// ZipRecruiter job alerts.
    ZipRecruiter,
}

impl Board {
    /// Every board, in the order `senders` lists them by default.
    pub const ALL: [Board; 5] = [
        Board::LinkedIn,
        Board::Indeed,
        Board::Glassdoor,
        Board::Wellfound,
        Board::ZipRecruiter,
    ];

    /// The name used in `senders`.
    pub fn name(self) -> &'static str {
        match self {
            Board::LinkedIn => "linkedin",
            Board::Indeed => "indeed",
            Board::Glassdoor => "glassdoor",
            Board::Wellfound => "wellfound",
            Board::ZipRecruiter => "ziprecruiter",
        }
    }
}

/// `[source.email_selectors]`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailSelectors {
    /// The sender: an address (`jobs@board.example`) or a domain (`board.example`), lower case.
    pub from: String,
    /// One element per job.
    pub item: Pick,
    /// The title, inside an item.
    pub title: Pick,
    /// The job's link, inside an item (reads `href` unless an attribute is given).
    pub link: Pick,
    /// The company, inside an item.
    pub company: Option<Pick>,
    /// The location, inside an item.
    pub location: Option<Pick>,
    /// The salary, inside an item.
    pub salary: Option<Pick>,
}

/// How far back a first fetch may look: a day to ten years.
const SINCE: (Duration, Duration) = (
    Duration::from_secs(86_400),
    Duration::from_secs(3650 * 86_400),
);

/// Checks the keys of an `imap` source at `at`.
pub(super) fn check(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<Mailbox> {
    let enabled = r.enabled.unwrap_or(true);
    let key = |k: &str| format!("{at}.{k}");
    // A disabled source may name variables that are not set yet.
    let value = |c: &mut Checker<'_>, k: &str, raw: &str, placeholder: &str| {
        if enabled {
            c.expand(&key(k), raw)
        } else if raw.contains('$') {
            Some(placeholder.to_string())
        } else {
            Some(raw.to_string())
        }
    };
    let server = c
        .required(&key("imap_url"), &r.imap_url)
        .and_then(|u| value(c, "imap_url", &u, "imap://127.0.0.1"))
        .and_then(|u| match parse_imap_url(&u) {
            Ok(s) => Some(s),
            Err(e) => {
                c.problem(key("imap_url"), e);
                None
            }
        });
    let username = c
        .required(&key("username"), &r.username)
        .and_then(|u| value(c, "username", &u, "disabled"));
    let password = match (&r.password, &r.password_file) {
        (Some(_), Some(_)) => {
            c.problem(
                key("password_file"),
                "set `password` or `password_file`, not both",
            );
            None
        }
        (Some(p), None) => value(c, "password", p, "").map(Secret::new),
        (None, Some(path)) => read_password_file(c, &key("password_file"), path, enabled),
        (None, None) => {
            c.problem(
                key("password"),
                "is required: `password = \"${VAR}\"` or `password_file = \"/path\"`",
            );
            None
        }
    };
    let mailbox = match r.mailbox.as_deref().map(str::trim) {
        None => Some("INBOX".to_string()),
        Some("") => {
            c.problem(key("mailbox"), "must not be empty (leave it out for INBOX)");
            None
        }
        Some(m) if m.chars().any(|ch| ch.is_control()) => {
            c.problem(key("mailbox"), "must not contain control characters");
            None
        }
        Some(m) => Some(m.to_string()),
    };
    let senders = senders(c, &key("senders"), r.senders.as_deref());
    let since = c.duration(
        &key("since"),
        &r.since,
        Duration::from_secs(30 * 86_400),
        SINCE,
    );
    let ca_file = r.ca_file.as_deref().and_then(|p| {
        let p = c.expand(&key("ca_file"), p)?;
        let path = PathBuf::from(&p);
        if enabled && !path.is_file() {
            c.problem(key("ca_file"), format!("{p} is not a readable file"));
            return None;
        }
        Some(path)
    });
    let ca_ok = r.ca_file.is_none() || ca_file.is_some();
    let selectors = match &r.email_selectors {
        None => Some(None),
        Some(raw) => email_selectors(c, &key("email_selectors"), raw).map(Some),
    };
    if !ca_ok {
        return None;
    }
    Some(Mailbox {
        server: server?,
        username: username?,
        password: password?,
        mailbox: mailbox?,
        senders: senders?,
        since,
        mark_seen: r.mark_seen.unwrap_or(false),
        ca_file,
        selectors: selectors?,
    })
}

/// The `senders` list; every known board when left out.
fn senders(c: &mut Checker<'_>, path: &str, raw: Option<&[String]>) -> Option<Vec<Board>> {
    let Some(raw) = raw else {
        return Some(Board::ALL.to_vec());
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (i, name) in raw.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        match Board::ALL.iter().find(|b| b.name() == name) {
            Some(b) if !out.contains(b) => out.push(*b),
            Some(_) => {}
            None => {
                let known: Vec<&str> = Board::ALL.iter().map(|b| b.name()).collect();
                c.problem(
                    format!("{path}[{i}]"),
                    format!(
                        "unknown sender `{name}` (known: {}; for another sender use [source.email_selectors])",
                        known.join(", ")
                    ),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A disabled source's password file is not read: it may not exist yet.
fn read_password_file(
    c: &mut Checker<'_>,
    path_key: &str,
    path: &str,
    enabled: bool,
) -> Option<Secret<String>> {
    let path = c.expand(path_key, path)?;
    if !enabled {
        return Some(Secret::new(String::new()));
    }
    match std::fs::read_to_string(&path) {
        // Files written by editors and `echo` end in a newline that is not part of the password.
        Ok(s) => Some(Secret::new(s.trim_end_matches(['\r', '\n']).to_string())),
        Err(e) => {
            c.problem(path_key, format!("cannot read {path}: {e}"));
            None
        }
    }
}

fn email_selectors(
    c: &mut Checker<'_>,
    at: &str,
    raw: &RawEmailSelectors,
) -> Option<EmailSelectors> {
    let from = c
        .required(&format!("{at}.from"), &raw.from)
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| {
            let ok = !f.contains(char::is_whitespace) && !f.starts_with('@') && f.contains('.');
            if !ok {
                c.problem(
                    format!("{at}.from"),
                    format!("`{f}` is not an address or a domain (e.g. \"jobs@board.example\" or \"board.example\")"),
                );
            }
            ok
        });
    let mut need = |key: &str, v: &Option<String>| {
        let path = format!("{at}.{key}");
        c.required(&path, v).and_then(|v| pick(c, &path, &v))
    };
    let item = need("item", &raw.item);
    let title = need("title", &raw.title);
    let link = need("link", &raw.link);
    let mut may = |key: &str, v: &Option<String>| -> Result<Option<Pick>, ()> {
        match v {
            None => Ok(None),
            Some(v) => pick(c, &format!("{at}.{key}"), v).map(Some).ok_or(()),
        }
    };
    let company = may("company", &raw.company);
    let location = may("location", &raw.location);
    let salary = may("salary", &raw.salary);
    let item = item?;
    if item.attr.is_some() || item.selector.is_none() {
        c.problem(
            format!("{at}.item"),
            "must be a CSS selector only: an item is an element, not an attribute",
        );
        return None;
    }
    Some(EmailSelectors {
        from: from?,
        item,
        title: title?,
        link: link?,
        company: company.ok()?,
        location: location.ok()?,
        salary: salary.ok()?,
    })
}

/// Reads `imaps://host[:port]`, `imap://host[:port]?tls=starttls` or
/// `imap://127.0.0.1[:port]` (plain, to this machine only).
pub fn parse_imap_url(s: &str) -> Result<ImapServer, String> {
    let url = Url::parse(s).map_err(|e| format!("not a URL ({e})"))?;
    let host = match url.host() {
        Some(url::Host::Ipv6(a)) => a.to_string(),
        Some(h) => h.to_string(),
        None => return Err("has no host".into()),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("put the login in `username` and `password`, not in the URL".into());
    }
    if !matches!(url.path(), "" | "/") {
        return Err("has a path: name the folder in `mailbox`, not in the URL".into());
    }
    let mut starttls = false;
    for (k, v) in url.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("tls", "starttls") => starttls = true,
            ("tls", other) => {
                return Err(format!("tls=`{other}`: the only option is tls=starttls"));
            }
            (other, _) => return Err(format!("unknown parameter `{other}` (known: tls)")),
        }
    }
    let tls = match (url.scheme(), starttls) {
        ("imaps", false) => ImapTls::Implicit,
        ("imaps", true) => {
            return Err("imaps:// is TLS already: drop ?tls=starttls, or use imap://".into());
        }
        ("imap", true) => ImapTls::StartTls,
        ("imap", false) if is_loopback(&host) => ImapTls::Plain,
        ("imap", false) => {
            return Err(format!(
                "plain imap:// would send the password unencrypted to {host}: use imaps://{host} or imap://{host}?tls=starttls"
            ));
        }
        (other, _) => return Err(format!("`{other}://`: use imaps:// or imap://")),
    };
    let port = url.port().unwrap_or(match tls {
        ImapTls::Implicit => 993,
        ImapTls::StartTls | ImapTls::Plain => 143,
    });
    Ok(ImapServer { host, port, tls })
}

#[cfg(test)]
mod tests;
