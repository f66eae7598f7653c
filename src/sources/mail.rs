//! `kind = "imap"`: job-alert emails from LinkedIn, Indeed, Glassdoor,
//! Wellfound and ZipRecruiter (and one other sender through
//! `[source.email_selectors]`), read from the user's own mailbox.
//!
//! Input: the emails of the configured senders that arrived since the last
//! fetch (the first fetch, and a reread after the mailbox's `UIDVALIDITY`
//! changed, look back `since`). Output: one posting per job, identified by the
//! board's canonical job URL, so that the same job in two emails (or in a
//! reread) is one posting; identity then merges it with the same job seen on
//! the company's own board.
//!
//! jobhound only reads: the mailbox is opened with `EXAMINE` and emails are
//! fetched with `BODY.PEEK[]`, unless `mark_seen = true`. What it has read is
//! kept as the mailbox's `UIDVALIDITY` and the last UID read, in the source's
//! state, written in the same transaction as the postings.
//!
//! An email from a known board that is not a job alert (a message, a
//! newsletter, "your application was viewed") is skipped and counted; an alert
//! in which no job is found is a warning (its layout has probably changed),
//! kept with the counts for `jobhound sources`.

mod boards;
mod cards;
mod imap;
mod message;
mod state;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;

use super::{Context, Fetched, Source, SourceError};
use crate::config::{EmailSelectors, Mailbox};
use crate::model::RawPosting;
use crate::normalize::canonical_url;
use crate::store::Validators;

pub use state::{LastEmail, MailState};

/// Emails read at most in one fetch; the rest wait for the next one.
const MAX_EMAILS: usize = 500;

/// Emails larger than this are skipped: alerts are a few hundred kilobytes.
const MAX_EMAIL_BYTES: u32 = 5 * 1024 * 1024;

/// A mailbox of job-alert emails.
pub struct Mail {
    cfg: Mailbox,
}

impl Mail {
    /// The mailbox `cfg` describes.
    pub fn new(cfg: Mailbox) -> Mail {
        Mail { cfg }
    }

    /// What the kept state is valid for: another server, login, mailbox or
    /// set of senders starts afresh (rereading `since`; the jobs already
    /// stored are found again by their ids, not duplicated).
    fn identity(&self) -> String {
        let mut senders: Vec<&str> = self.cfg.senders.iter().map(|b| b.name()).collect();
        if let Some(s) = &self.cfg.selectors {
            senders.push(&s.from);
        }
        format!(
            "{}/{}?user={}&senders={}",
            self.cfg.server,
            self.cfg.mailbox,
            self.cfg.username,
            senders.join(",")
        )
    }
}

impl Source for Mail {
    fn kind(&self) -> &'static str {
        "imap"
    }

    /// None: a mailbox is read over IMAP, not HTTP, so no web host's limits apply.
    fn home(&self) -> Option<url::Url> {
        None
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move {
            let identity = self.identity();
            let kept = cx
                .validators
                .and_then(|v| MailState::from_validators(v, Some(&identity)));
            let mut session = imap::Session::open(&self.cfg).await?;
            let read = self.read(&mut session, kept.as_ref()).await;
            session.logout().await;
            let Some((state, postings)) = read? else {
                return Ok(Fetched::NotModified);
            };
            let state_json = serde_json::to_string(&state)
                .map_err(|e| SourceError::parse(&identity, e.to_string()))?;
            Ok(Fetched::Postings {
                postings,
                validators: Validators {
                    url: Some(identity),
                    state: Some(state_json),
                    ..Validators::default()
                },
                // Alerts show new jobs only: a job missing from them proves nothing.
                complete: false,
            })
        }
        .boxed()
    }
}

impl Mail {
    /// Reads what arrived since `kept`; `None` when nothing did.
    async fn read(
        &self,
        session: &mut imap::Session,
        kept: Option<&MailState>,
    ) -> Result<Option<(MailState, Vec<RawPosting>)>, SourceError> {
        let opened = session
            .mailbox(&self.cfg.mailbox, self.cfg.mark_seen)
            .await?;
        let resume = kept.filter(|k| k.uidvalidity == opened.uidvalidity);
        if let Some(k) = kept
            && resume.is_none()
        {
            tracing::warn!(
                mailbox = %self.cfg.mailbox, old = k.uidvalidity, new = opened.uidvalidity,
                "UIDVALIDITY changed: rereading the emails of the last `since`"
            );
        }
        let criteria = match resume {
            Some(k) => format!(
                "UID {}:* {}",
                k.last_uid.saturating_add(1),
                self.sender_terms()
            ),
            None => format!("SINCE {} {}", self.since_date(), self.sender_terms()),
        };
        let mut uids = session.search(&criteria).await?;
        // `N:*` always matches the last message, even one below N.
        if let Some(k) = resume {
            uids.retain(|u| *u > k.last_uid);
        }
        if uids.is_empty() {
            if resume.is_some() {
                return Ok(None);
            }
            let state = MailState {
                uidvalidity: opened.uidvalidity,
                ..kept.cloned().unwrap_or_default()
            };
            return Ok(Some((state, Vec::new())));
        }
        uids.truncate(MAX_EMAILS);
        let sizes = session.sizes(&uids).await?;
        let mut state = MailState {
            uidvalidity: opened.uidvalidity,
            last_uid: uids.last().copied().unwrap_or(0),
            ..MailState::default()
        };
        let (small, large): (Vec<u32>, Vec<u32>) = uids
            .iter()
            .partition(|u| sizes.get(u).is_none_or(|s| *s <= MAX_EMAIL_BYTES));
        for uid in large {
            state.warn(format!(
                "email UID {uid} skipped: larger than {} MB",
                MAX_EMAIL_BYTES / (1024 * 1024)
            ));
        }
        let mut postings = Postings::default();
        let mut seen_alerts = Vec::new();
        for (uid, body) in session.bodies(&small).await? {
            if self.email(&body, &mut state, &mut postings) {
                seen_alerts.push(uid);
            }
        }
        if self.cfg.mark_seen && !seen_alerts.is_empty() {
            session.mark_seen(&seen_alerts).await?;
        }
        tracing::info!(
            mailbox = %self.cfg.mailbox, read = state.read, alerts = state.alerts,
            skipped = state.skipped, jobs = state.jobs, "emails read"
        );
        Ok(Some((state, postings.list)))
    }

    /// Reads one email into `postings`; whether it was a job alert.
    fn email(&self, body: &[u8], state: &mut MailState, postings: &mut Postings) -> bool {
        state.read = state.read.saturating_add(1);
        let Some(email) = message::read(body) else {
            state.warn("an email that is not a MIME message was skipped".into());
            return false;
        };
        let board = boards::board_of(&email.from, &self.cfg.senders);
        let custom = self
            .cfg
            .selectors
            .as_ref()
            .filter(|s| from_matches(&email.from, &s.from));
        let from = match (board, custom) {
            (Some(b), _) => b.name().to_string(),
            (None, Some(_)) => email
                .from
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .to_string(),
            // Found by the server's substring search, but not from a sender we read.
            (None, None) => return false,
        };
        state.last_email = Some(LastEmail {
            date: email.date.map(|d| d.to_rfc3339()),
            from: from.clone(),
            subject: email.subject.chars().take(120).collect(),
        });
        let jobs = match (board, custom) {
            (Some(b), _) => {
                if !boards::is_alert(b, &email.from, &email.subject) {
                    state.skipped = state.skipped.saturating_add(1);
                    return false;
                }
                match (&email.html, &email.text) {
                    (Some(html), _) => cards::from_html(html, b, email.date),
                    (None, Some(text)) => cards::from_text(text, b, email.date),
                    (None, None) => Vec::new(),
                }
            }
            (None, Some(sel)) => email
                .html
                .as_deref()
                .map(|h| by_selectors(h, sel, &from))
                .unwrap_or_default(),
            (None, None) => Vec::new(),
        };
        state.alerts = state.alerts.saturating_add(1);
        if jobs.is_empty() {
            let warning = format!(
                "no job found in an alert from {from} ({:?}, {}): its layout may have changed",
                email.subject.chars().take(80).collect::<String>(),
                email
                    .date
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            );
            tracing::warn!(mailbox = %self.cfg.mailbox, "{warning}");
            state.warn(warning);
        }
        state.jobs = state.jobs.saturating_add(jobs.len() as u32);
        for job in jobs {
            postings.add(job);
        }
        true
    }

    /// `OR FROM "linkedin.com" FROM "indeed.com"`: the configured senders.
    fn sender_terms(&self) -> String {
        let mut terms: Vec<String> = self
            .cfg
            .senders
            .iter()
            .flat_map(|b| boards::search_terms(*b))
            .map(|t| t.to_string())
            .collect();
        if let Some(s) = &self.cfg.selectors {
            terms.push(s.from.clone());
        }
        let quoted: Vec<String> = terms
            .iter()
            .map(|t| format!("FROM \"{}\"", t.replace(['\\', '"'], "")))
            .collect();
        match quoted.split_last() {
            None => String::new(),
            Some((last, rest)) => {
                let mut out = last.clone();
                for t in rest.iter().rev() {
                    out = format!("OR {t} {out}");
                }
                out
            }
        }
    }

    /// The first day `since` reaches, as IMAP writes dates (`01-Nov-2026`).
    fn since_date(&self) -> String {
        let since = chrono::Duration::from_std(self.cfg.since).unwrap_or(chrono::Duration::MAX);
        let day = Utc::now()
            .checked_sub_signed(since)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        day.format("%d-%b-%Y").to_string()
    }
}

/// The postings of one fetch, one per job: a job in two emails is kept once,
/// with what either email says of it.
#[derive(Default)]
struct Postings {
    list: Vec<RawPosting>,
    index: HashMap<String, usize>,
}

impl Postings {
    fn add(&mut self, p: RawPosting) {
        match self.index.get(&p.external_id) {
            Some(&i) => {
                let kept = &mut self.list[i];
                if kept.company.is_none() {
                    kept.company = p.company;
                }
                if kept.locations.is_empty() {
                    kept.locations = p.locations;
                }
                if kept.salary_text.is_none() {
                    kept.salary_text = p.salary_text;
                }
                if kept.posted_at.is_none() {
                    kept.posted_at = p.posted_at;
                }
            }
            None => {
                self.index.insert(p.external_id.clone(), self.list.len());
                self.list.push(p);
            }
        }
    }
}

/// Whether the sender `address` is the `from` of `[source.email_selectors]`:
/// that address, or any address at that domain or its subdomains.
fn from_matches(address: &str, from: &str) -> bool {
    if from.contains('@') {
        return address == from;
    }
    address
        .rsplit_once('@')
        .is_some_and(|(_, domain)| boards::within(domain, from))
}

/// The jobs of an email from the `[source.email_selectors]` sender.
fn by_selectors(html: &str, sel: &EmailSelectors, from: &str) -> Vec<RawPosting> {
    use super::html::value;
    let doc = scraper::Html::parse_document(html);
    let Some(item) = &sel.item.selector else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for el in doc.select(item) {
        let title = value(el, &sel.title, None);
        let link = value(el, &sel.link, Some("href")).and_then(|l| canonical_url(&l));
        let (Some(title), Some(link)) = (title, link) else {
            continue;
        };
        let text = |p: &Option<crate::config::Pick>| p.as_ref().and_then(|p| value(el, p, None));
        out.push(RawPosting {
            external_id: link.clone(),
            url: Some(link),
            title,
            company: text(&sel.company),
            locations: text(&sel.location).into_iter().collect(),
            salary_text: text(&sel.salary),
            tags: vec![from.to_string()],
            ..RawPosting::default()
        });
    }
    out
}

#[cfg(test)]
mod tests;
