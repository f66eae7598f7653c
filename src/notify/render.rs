//! What a message says, independent of the channel: the matches it carries
//! grouped by alert (newest first, at most the notifier's cap per alert, with
//! how to see the rest), each job as a [`Card`], a subject line that says
//! what is inside, and the plain-text body that email and `jobhound digest
//! --preview` use, the twin of the HTML part. Pure functions.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::card::{Card, Marked, clean};
use crate::alerts::Query;
use crate::config::{Config, Mode, Notifier};
use crate::store::StoredPosting;

/// Companies a subject line names before "and N more".
const SUBJECT_COMPANIES: usize = 3;

/// Characters in a subject line.
const MAX_SUBJECT: usize = 150;

/// One match in a message.
#[derive(Debug, Clone)]
pub struct Item {
    /// The delivery it fulfils.
    pub delivery_id: i64,
    /// The alert that matched.
    pub alert: String,
    /// The job.
    pub posting: StoredPosting,
}

/// A digest's schedule time, shown in the notifier's time zone.
#[derive(Debug, Clone, Copy)]
pub struct DigestTime {
    /// The schedule time.
    pub at: DateTime<Utc>,
    /// The notifier's zone.
    pub timezone: chrono_tz::Tz,
}

impl DigestTime {
    /// "2026-11-30 08:00 Europe/Berlin".
    pub fn label(&self) -> String {
        format!(
            "{} {}",
            self.at
                .with_timezone(&self.timezone)
                .format("%Y-%m-%d %H:%M"),
            self.timezone.name()
        )
    }
}

/// What a notifier's messages know beyond their matches: each alert's query
/// (to mark why a job matched, and to say how to see the jobs left out), the
/// cap per alert, and the web page, when there is one.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The alerts' queries, by alert name.
    pub queries: BTreeMap<String, Query>,
    /// At most this many jobs per alert (digests); `None`: all of them.
    pub max_per_alert: Option<usize>,
    /// The search page's address (`[server]`, unless it listens on port 0),
    /// to which `?q=` and the query are appended: the web page's search
    /// route and parameter (`GET /?q=`, see `web::search`).
    pub web: Option<String>,
}

impl View {
    /// The view of notifier `n` under `config`.
    pub fn new(config: &Config, n: &Notifier) -> View {
        View {
            queries: config
                .alerts
                .iter()
                .map(|a| (a.name.clone(), a.query.clone()))
                .collect(),
            max_per_alert: match &n.mode {
                Mode::Digest(d) => Some(d.max_per_alert),
                Mode::Immediate => None,
            },
            // Port 0 is "any free port": only the running daemon knows which,
            // so a link to it would lead nowhere.
            web: config
                .server
                .as_ref()
                .filter(|s| s.listen.port() != 0)
                .map(|s| {
                    // A wildcard address is this machine's: name it so a link can be opened here.
                    let host = match s.listen.ip() {
                        ip if ip.is_unspecified() => "localhost".to_string(),
                        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                        ip => ip.to_string(),
                    };
                    format!("http://{host}:{}/", s.listen.port())
                }),
        }
    }
}

/// Everything one message carries.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The stable idempotency key: the same on every attempt of this message.
    pub key: String,
    /// The digest it is, or `None` for matches sent as they come.
    pub digest: Option<DigestTime>,
    /// When the message was written: ages are counted to it, so every
    /// attempt of a message says the same.
    pub at: DateTime<Utc>,
    /// Queries, cap and web page of its notifier.
    pub view: View,
    /// The matches, in delivery order.
    pub items: Vec<Item>,
}

/// One alert's part of a message.
#[derive(Debug, Clone)]
pub struct Group<'b> {
    /// The alert's name.
    pub alert: &'b str,
    /// Its query, when the config still has the alert.
    pub query: Option<&'b Query>,
    /// The jobs shown, newest first.
    pub items: Vec<&'b Item>,
    /// How many more matched than are shown.
    pub more: usize,
}

impl Group<'_> {
    /// Every match of the alert in the message.
    pub fn total(&self) -> usize {
        self.items.len().saturating_add(self.more)
    }

    /// The heading of the group: "ml · 3 new jobs" (or "· newest 25 of 40").
    pub fn title(&self) -> String {
        let n = self.total();
        if self.more == 0 {
            format!("{} · {n} new job{}", clean(self.alert), plural(n))
        } else {
            format!("{} · newest {} of {n}", clean(self.alert), self.items.len())
        }
    }
}

impl Batch {
    /// The matches grouped by alert (alerts in name order, jobs newest first),
    /// at most the cap of each.
    pub fn groups(&self) -> Vec<Group<'_>> {
        self.grouped(self.view.max_per_alert.unwrap_or(usize::MAX))
    }

    /// The matches grouped by alert, at most `cap` of each.
    fn grouped(&self, cap: usize) -> Vec<Group<'_>> {
        let mut by: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
        for item in &self.items {
            by.entry(item.alert.as_str()).or_default().push(item);
        }
        by.into_iter()
            .map(|(alert, mut items)| {
                items.sort_by_key(|i| {
                    let p = &i.posting;
                    (
                        std::cmp::Reverse(p.posting.posted_at.unwrap_or(p.first_seen)),
                        i.delivery_id,
                    )
                });
                let more = items.len().saturating_sub(cap);
                items.truncate(cap);
                Group {
                    alert,
                    query: self.view.queries.get(alert),
                    items,
                    more,
                }
            })
            .collect()
    }

    /// The card of a match.
    pub fn card(&self, item: &Item) -> Card {
        Card::new(&item.posting, self.view.queries.get(&item.alert), self.at)
    }

    /// A subject that says what is inside: "12 new ML jobs: Anthropic, Mistral
    /// AI, Hugging Face and 6 more", or the job itself when it is the only one.
    pub fn subject(&self) -> String {
        let n = self.items.len();
        let mut alerts: Vec<&str> = self.items.iter().map(|i| i.alert.as_str()).collect();
        alerts.sort_unstable();
        alerts.dedup();
        let what = match alerts.as_slice() {
            [one] => format!("{} ", label(one)),
            [a, b] => format!("{} and {} ", label(a), label(b)),
            _ => String::new(),
        };
        let subject = match self.items.as_slice() {
            [] => match &self.digest {
                Some(d) => format!(
                    "No new jobs · jobhound digest {}",
                    d.at.with_timezone(&d.timezone).format("%Y-%m-%d")
                ),
                None => "No new jobs".to_string(),
            },
            [one] => {
                let c = self.card(one);
                match &c.company {
                    Some(co) => format!("New {what}job: {} at {co}", c.title.text),
                    None => format!("New {what}job: {}", c.title.text),
                }
            }
            _ => {
                let companies = self.companies();
                let mut s = format!("{n} new {what}jobs");
                if !companies.is_empty() {
                    let named = &companies[..companies.len().min(SUBJECT_COMPANIES)];
                    let rest = companies.len() - named.len();
                    let _ = write!(s, ": {}", named.join(", "));
                    if rest > 0 {
                        let _ = write!(s, " and {rest} more");
                    }
                }
                s
            }
        };
        truncate(&clean(&subject), MAX_SUBJECT)
    }

    /// The distinct companies of the message's jobs, in the order its groups
    /// list them (those past the cap last in their group).
    pub fn companies(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in self.grouped(usize::MAX) {
            for item in &g.items {
                if let Some(c) = self.card(item).company
                    && !out.contains(&c)
                {
                    out.push(c);
                }
            }
        }
        out
    }

    /// The heading above the jobs.
    pub fn heading(&self) -> String {
        let n = self.items.len();
        match &self.digest {
            Some(d) if n == 0 => format!("jobhound digest for {}: nothing new", d.label()),
            Some(d) => format!(
                "jobhound digest for {}: {n} new job{}",
                d.label(),
                plural(n)
            ),
            None => format!("jobhound: {n} new job{}", plural(n)),
        }
    }

    /// How to see the jobs of `g` left out: "and 15 more: jobhound search
    /// 'ml' (or http://host:port/?q=ml)"; `None` when none are.
    pub fn more(&self, g: &Group<'_>) -> Option<More> {
        if g.more == 0 {
            return None;
        }
        let q = g.query.map(Query::as_str);
        Some(More {
            count: g.more,
            command: match q {
                Some(q) => format!("jobhound search {}", shell_quote(q)),
                None => "jobhound search".to_string(),
            },
            web: self.view.web.as_ref().map(|base| match q {
                Some(q) => format!(
                    "{base}?{}",
                    url::form_urlencoded::Serializer::new(String::new())
                        .append_pair("q", q)
                        .finish()
                ),
                None => base.clone(),
            }),
        })
    }

    /// The plain-text body: heading, then per alert its jobs, each with its
    /// facts, snippet and link (the alert's words between `*`), and how to
    /// see the jobs left out: the twin of the HTML part.
    pub fn text(&self) -> String {
        let mut out = self.heading();
        out.push('\n');
        if self.items.is_empty() {
            out.push_str("\nNo new jobs matched since the last digest.\n");
        }
        for g in self.groups() {
            let _ = write!(out, "\n== {} ==\n", g.title());
            for item in &g.items {
                let c = self.card(item);
                let _ = writeln!(out, "\n* {}", starred(&c.title));
                for line in [c.who(), c.facts()] {
                    if !line.is_empty() {
                        let _ = writeln!(out, "  {line}");
                    }
                }
                if let Some(s) = &c.snippet {
                    let _ = writeln!(out, "  {}", starred(s));
                }
                if let Some(link) = &c.link {
                    let _ = writeln!(out, "  {link}");
                }
            }
            if let Some(m) = self.more(&g) {
                let _ = writeln!(out, "\n{}", m.sentence());
            }
        }
        out.push_str("\n-- \nSent by jobhound.\n");
        out
    }
}

/// Where to see the jobs a group leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct More {
    /// How many.
    pub count: usize,
    /// The command that lists them: `jobhound search '<query>'`.
    pub command: String,
    /// The web page that lists them, when `[server]` is configured.
    pub web: Option<String>,
}

impl More {
    /// "and 15 more: run `jobhound search 'ml'` or open http://…".
    pub fn sentence(&self) -> String {
        let mut s = format!("…and {} more: run `{}`", self.count, self.command);
        if let Some(w) = &self.web {
            let _ = write!(s, " or open {w}");
        }
        s
    }
}

/// An alert's name as a subject says it: two-letter words are acronyms
/// ("ml" → "ML", "ai-ux" → "AI UX"), `-` and `_` are spaces.
pub fn label(alert: &str) -> String {
    clean(&alert.replace(['-', '_'], " "))
        .split(' ')
        .map(|w| {
            if w.chars().count() <= 2 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                w.to_ascii_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text with its marks between `*`, as plain-text mail shows emphasis.
fn starred(m: &Marked) -> String {
    m.render(str::to_string, |s| format!("*{s}*"))
}

/// `s` between single quotes for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Cuts `s` to at most `max` characters, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
pub(crate) mod tests;
