//! `kind = "remoteok"`: RemoteOK's public API (`GET https://remoteok.com/api`,
//! optionally `?tag=`), the whole board in one JSON array, fetched with a
//! conditional GET.
//!
//! Input: the array as RemoteOK sends it. Output: one [`RawPosting`] per job.
//! Its quirks are undone here: element 0 is a legal notice, not a job; every
//! text is UTF-8 encoded twice (mojibake); every description ends with an
//! anti-spam line meant for applicants; a salary of 0 means unknown.
//! RemoteOK's terms ask for a link back, so the job's RemoteOK `url` is kept.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::boards::{self, amount, id, strings, text};
use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Workplace};
use crate::normalize::repair_mojibake;

/// The public endpoint (sources.md §8).
const ENDPOINT: &str = "https://remoteok.com/api";

/// RemoteOK, optionally filtered by tag.
pub struct RemoteOk {
    tag: Option<String>,
    base: Option<Url>,
}

impl RemoteOk {
    /// RemoteOK's board (only jobs tagged `tag` when given), at `base` instead
    /// of remoteok.com when given.
    pub fn new(tag: Option<String>, base: Option<Url>) -> RemoteOk {
        RemoteOk { tag, base }
    }

    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            ENDPOINT,
            &[],
            &[("tag", self.tag.as_deref())],
            self.base.as_ref(),
        )
    }
}

impl Source for RemoteOk {
    fn kind(&self) -> &'static str {
        "remoteok"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// One job as RemoteOK sends it (the fields jobhound uses).
#[derive(Deserialize)]
struct Job {
    id: Value,
    position: Option<String>,
    company: Option<String>,
    location: Option<String>,
    #[serde(default)]
    tags: Value,
    description: Option<String>,
    epoch: Option<Value>,
    date: Option<String>,
    url: Option<String>,
    apply_url: Option<String>,
    #[serde(default)]
    salary_min: Value,
    #[serde(default)]
    salary_max: Value,
}

/// Parses RemoteOK's array into postings, skipping the legal notice.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let items = match super::json::<Value>(bytes, url)? {
        Value::Array(items) => items,
        other => {
            return Err(SourceError::parse(
                url,
                format!(
                    "expected a JSON array of jobs, got {}",
                    boards::kind(&other)
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        if is_legal_notice(&item) {
            continue;
        }
        let job: Job = serde_json::from_value(item)
            .map_err(|e| SourceError::parse(url, format!("element {i} is not a job: {e}")))?;
        let Some(external_id) = id(&job.id) else {
            return Err(SourceError::parse(
                url,
                format!("element {i} has no job id"),
            ));
        };
        out.push(posting(job, external_id));
    }
    Ok(out)
}

/// The `{last_updated, legal}` element RemoteOK puts first: it has no `id`.
fn is_legal_notice(item: &Value) -> bool {
    item.get("legal").is_some() && item.get("id").is_none()
}

fn posting(job: Job, external_id: String) -> RawPosting {
    // Repaired before trimming: trimming first would cut a double-encoded
    // no-break space ("Â" + U+00A0) in half and leave a stray "Â".
    let fix = |s: Option<String>| s.and_then(|s| text(Some(&repair_mojibake(&s))));
    let salary = boards::salary(
        amount(&job.salary_min),
        amount(&job.salary_max),
        // RemoteOK sends bare numbers; sources.md documents no currency or
        // period for them, so both stay unknown rather than assumed.
        None,
        None,
    );
    RawPosting {
        external_id,
        title: fix(job.position).unwrap_or_default(),
        url: text(job.url.as_deref()),
        apply_url: text(job.apply_url.as_deref()),
        company: fix(job.company),
        locations: fix(job.location).into_iter().collect(),
        // RemoteOK lists remote jobs only; `location` says where the remote
        // worker may (or must) be, not where an office is.
        workplace: Workplace::Remote,
        salary,
        posted_at: job
            .epoch
            .as_ref()
            .and_then(boards::time)
            .or_else(|| job.date.as_deref().and_then(crate::normalize::parse_time)),
        description_html: fix(job.description).map(|d| strip_anti_spam(&d)),
        tags: strings(&job.tags)
            .into_iter()
            .filter_map(|t| fix(Some(t)))
            .collect(),
        ..RawPosting::default()
    }
}

/// Where RemoteOK's anti-spam paragraph starts: "Please mention the word
/// **WORD** and tag RM…= when applying … see they're human." It asks
/// applicants to quote a word; it says nothing about the job.
const ANTI_SPAM: &str = "Please mention the word **";

/// Removes the anti-spam paragraph and the line breaks before it; text after
/// its last sentence (none in real payloads) is kept.
fn strip_anti_spam(html: &str) -> String {
    let Some(start) = html.rfind(ANTI_SPAM) else {
        return html.to_string();
    };
    let tail = &html[start..];
    if !tail.contains(" when applying") {
        return html.to_string();
    }
    let end = tail
        .find("human.")
        .map(|i| start + i + "human.".len())
        .unwrap_or(html.len());
    let mut head = html[..start].trim_end();
    while let Some(rest) = ["<br/>", "<br />", "<br>"]
        .iter()
        .find_map(|br| head.strip_suffix(br))
    {
        head = rest.trim_end();
    }
    format!("{head}{}", &html[end..])
}

#[cfg(test)]
mod tests;
