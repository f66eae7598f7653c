//! Sources: where postings come from. One file per kind, all behind the
//! [`Source`] trait: given the HTTP client and the last validators, a source
//! returns the postings it lists now (as [`RawPosting`]s) or "not modified".
//! Sources only fetch and map fields; normalization happens downstream.

mod ashby;
mod boards;
mod error;
mod feed;
mod feed_fields;
mod getro;
mod greenhouse;
mod himalayas;
mod hn_whoishiring;
mod html;
mod jobicy;
mod lever;
mod mail;
mod recruitee;
mod remoteok;
mod remotive;
mod smartrecruiters;
mod workable;

#[cfg(test)]
mod proptests;

use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;

pub use error::{MailProblem, SourceError};
pub use mail::{LastEmail, MailState};

use crate::config::{self, HostPort, SourceKind};
use crate::http::robots::{Robots, Verdict};
use crate::http::{self, Hosts, Http};
use crate::model::RawPosting;
use crate::store::Validators;

/// Postings handed over in batches: called once, it reads the body and passes
/// each batch (at most [`BATCH`] postings) to the sink as it goes; an error
/// may come after some batches, which the caller then discards.
pub type Batches =
    Box<dyn FnOnce(&mut dyn FnMut(Vec<RawPosting>)) -> Result<(), SourceError> + Send>;

/// The most postings a source hands over at once when a fetch is large.
pub const BATCH: usize = 1_000;

/// What a source hands to the pipeline.
pub enum Fetched {
    /// The server said nothing changed (conditional GET answered 304).
    NotModified,
    /// Everything the source lists now.
    Postings {
        /// The postings, in the source's order.
        postings: Vec<RawPosting>,
        /// Validators for the next conditional GET (empty for multi-request kinds).
        validators: Validators,
        /// Whether this is everything the source lists: false when paging
        /// stopped at `max_pages`, so a job missing from it proves nothing.
        complete: bool,
    },
    /// Everything the source lists now, read batch by batch so that a large
    /// body's postings never all live in memory at once.
    Batches {
        /// Reads the postings.
        batches: Batches,
        /// Validators for the next conditional GET.
        validators: Validators,
    },
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fetched::NotModified => f.write_str("NotModified"),
            Fetched::Postings { postings, .. } => write!(f, "Postings({})", postings.len()),
            Fetched::Batches { .. } => f.write_str("Batches"),
        }
    }
}

/// What a fetch may use.
pub struct Context<'a> {
    /// The shared client.
    pub http: &'a Http,
    /// The validators stored from the last fetch.
    pub validators: Option<&'a Validators>,
    /// The source's `allow_hosts`: where links and redirects may lead besides its own host.
    pub allow_hosts: &'a [HostPort],
    /// robots.txt, for the kinds that crawl pages; `None` when the source ignores it.
    pub robots: Option<&'a Robots>,
    /// Pages robots.txt kept this pass from fetching (and that did not fail it).
    pub robots_skipped: AtomicUsize,
}

impl Context<'_> {
    /// The hosts a request to `home` (a URL the source was configured with, or
    /// built from its config) may be redirected to, and its links may lead to.
    pub fn hosts(&self, home: &url::Url) -> Hosts {
        Hosts::new(home, self.allow_hosts)
    }

    /// Whether robots.txt lets this source fetch `url` (always, when it ignores robots.txt).
    pub async fn robots(&self, url: &url::Url) -> Verdict {
        match self.robots {
            Some(r) => r.check(self.http, url, self.allow_hosts).await,
            None => Verdict::Allowed,
        }
    }

    /// Counts a page robots.txt kept this pass from fetching.
    pub fn skipped_by_robots(&self) {
        self.robots_skipped.fetch_add(1, Ordering::Relaxed);
    }
}

/// One kind of source.
pub trait Source: Send + Sync {
    /// The `kind = "..."` name.
    fn kind(&self) -> &'static str;

    /// The URL of its first request: the host whose turn its pass waits for
    /// (see [`crate::http::Gate::source_turn`]); `None` if it cannot be built.
    fn home(&self) -> Option<url::Url>;

    /// Fetches everything the source lists now.
    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>>;
}

/// Parses a JSON body into `T`, tolerating the UTF-8 byte-order mark some
/// servers put first; a mismatch is a parse error naming the URL.
pub fn json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    url: &url::Url,
) -> Result<T, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes)
        .map_err(|e| SourceError::parse(url, format!("unexpected JSON: {e}")))
}

/// Runs CPU work of a fetch (parsing a large body) on a blocking thread, so
/// that it neither stalls the other passes polled on the same async thread
/// nor waits for them. A panic in `work` resumes here, where the pipeline's
/// guard records it as the source's failure.
pub async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// The whole fetch of a kind that lists everything in one response: one
/// conditional GET of `url`, the body mapped by `parse`, the validators kept.
pub async fn get_all(
    cx: &Context<'_>,
    url: &url::Url,
    parse: impl FnOnce(&[u8], &url::Url) -> Result<Vec<RawPosting>, SourceError>,
) -> Result<Fetched, SourceError> {
    match cx.http.get(url, cx.validators, &cx.hosts(url)).await? {
        http::Fetched::NotModified => Ok(Fetched::NotModified),
        http::Fetched::Body(body) => Ok(Fetched::Postings {
            complete: true,
            postings: parse(&body.bytes, &body.url)?,
            validators: body.validators,
        }),
    }
}

/// A kind's endpoint: the default `api` URL (which may carry a fixed query)
/// with `segments` appended, each percent-encoded as one path segment, and the
/// `query` pairs that are set appended, then rebased onto the user's
/// `base_url`. Fails only if `api` is not an absolute URL, which would be a bug.
pub fn endpoint(
    api: &str,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
    base: Option<&url::Url>,
) -> Result<url::Url, SourceError> {
    let bad = |why: String| SourceError::parse(api, format!("not a valid endpoint: {why}"));
    let mut url = url::Url::parse(api).map_err(|e| bad(e.to_string()))?;
    if !segments.is_empty() {
        url.path_segments_mut()
            .map_err(|()| bad("it cannot have a path".into()))?
            .pop_if_empty()
            .extend(segments);
    }
    let set: Vec<(&str, &str)> = query
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect();
    if !set.is_empty() {
        url.query_pairs_mut().extend_pairs(set);
    }
    Ok(config::rebase(&url, base))
}

/// One unconditional GET of `url`, as the requests of a paged or multi-request
/// fetch are made: its body. `url` is one the source built from its config;
/// a link read from a response goes through [`follow`] instead.
pub(crate) async fn get(cx: &Context<'_>, url: &url::Url) -> Result<Box<http::Body>, SourceError> {
    body(cx.http.get(url, None, &cx.hosts(url)).await?, url)
}

/// A link read from fetched content, checked before it is requested: it must
/// stay on the host (and port) of `home`, the source's configured URL, or on
/// one of its `allow_hosts`, or a hostile page could send us to internal
/// addresses and have the answer mailed out as a description.
pub(crate) fn follow(
    allow_hosts: &[HostPort],
    home: &url::Url,
    link: &url::Url,
) -> Result<(), SourceError> {
    Hosts::new(home, allow_hosts)
        .check(link)
        .map_err(|why| SourceError::Refused {
            url: http::shown(link),
            reason: why,
        })
}

/// GET a link read from fetched content (see [`follow`]): its body.
pub(crate) async fn get_link(
    cx: &Context<'_>,
    home: &url::Url,
    link: &url::Url,
) -> Result<Box<http::Body>, SourceError> {
    follow(cx.allow_hosts, home, link)?;
    body(cx.http.get(link, None, &cx.hosts(home)).await?, link)
}

/// The body of a response to a request sent without validators; a 304 to such
/// a request makes no sense and is reported as an error.
pub(crate) fn body(fetched: http::Fetched, url: &url::Url) -> Result<Box<http::Body>, SourceError> {
    match fetched {
        http::Fetched::Body(body) => Ok(body),
        http::Fetched::NotModified => Err(SourceError::parse(
            url,
            "answered 304 Not Modified to a request that was not conditional",
        )),
    }
}

/// Builds the source for a configured `[[source]]`.
pub fn build(cfg: &config::Source) -> Box<dyn Source> {
    let base = cfg.base_url.as_ref();
    match &cfg.kind {
        SourceKind::Feed { url } => Box::new(feed::Feed::new(config::rebase(url, base))),
        SourceKind::RemoteOk { tag } => {
            Box::new(remoteok::RemoteOk::new(tag.clone(), base.cloned()))
        }
        SourceKind::Remotive { category, search } => Box::new(remotive::Remotive::new(
            category.clone(),
            search.clone(),
            base.cloned(),
        )),
        SourceKind::Jobicy {
            tag,
            region,
            category,
        } => Box::new(jobicy::Jobicy::new(
            tag.clone(),
            region.clone(),
            category.clone(),
            base.cloned(),
        )),
        SourceKind::Himalayas => Box::new(himalayas::Himalayas::new(
            base.cloned(),
            cfg.max_pages,
            cfg.page_delay,
        )),
        SourceKind::HnWhoIsHiring { months } => Box::new(hn_whoishiring::HnWhoIsHiring::new(
            *months,
            base.cloned(),
            cfg.page_delay,
        )),
        SourceKind::Getro { collection } => Box::new(getro::Getro::new(
            collection.clone(),
            base.cloned(),
            cfg.max_pages,
            cfg.page_delay,
        )),
        SourceKind::Workable { account } => {
            Box::new(workable::Workable::new(account.clone(), base.cloned()))
        }
        SourceKind::SmartRecruiters { company } => {
            Box::new(smartrecruiters::SmartRecruiters::new(company.clone(), cfg))
        }
        SourceKind::Recruitee { company } => {
            Box::new(recruitee::Recruitee::new(company.clone(), base.cloned()))
        }
        SourceKind::Greenhouse { board } => {
            Box::new(greenhouse::Greenhouse::new(board.clone(), base.cloned()))
        }
        SourceKind::Lever { site, eu } => {
            Box::new(lever::Lever::new(site.clone(), *eu, base.cloned()))
        }
        SourceKind::Ashby { board } => Box::new(ashby::Ashby::new(board.clone(), base.cloned())),
        SourceKind::Html { url, selectors } => Box::new(html::Html::new(
            config::rebase(url, base),
            selectors.as_ref().clone(),
            cfg.max_pages,
            cfg.page_delay,
        )),
        SourceKind::Imap(mailbox) => Box::new(mail::Mail::new(mailbox.as_ref().clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_show_urls_without_credentials() {
        let e = SourceError::parse("https://user:secret@jobs.example/feed", "broken");
        assert_eq!(e.to_string(), "https://jobs.example/feed: broken");
        let e = SourceError::parse("not a url", "broken");
        assert_eq!(e.to_string(), "not a url: broken");
    }

    #[test]
    fn endpoint_adds_the_set_query_pairs_and_rebases() {
        let base = url::Url::parse("http://127.0.0.1:9000").expect("url");
        let cases = [
            (vec![("tag", None)], None, "https://remoteok.com/api"),
            (
                vec![("tag", Some("machine learning"))],
                None,
                "https://remoteok.com/api?tag=machine+learning",
            ),
            (
                vec![("a", Some("x&y")), ("b", None), ("c", Some("z"))],
                Some(&base),
                "http://127.0.0.1:9000/api?a=x%26y&c=z",
            ),
        ];
        for (query, base, want) in cases {
            let got = endpoint("https://remoteok.com/api", &[], &query, base).expect("endpoint");
            assert_eq!(got.as_str(), want);
        }
    }

    #[test]
    fn endpoint_appends_encoded_segments_after_a_fixed_path_and_query() {
        type Case<'a> = (
            &'a str,
            &'a [&'a str],
            &'a [(&'a str, Option<&'a str>)],
            &'a str,
        );
        let cases: &[Case] = &[
            (
                "https://jobicy.com/api/v2/remote-jobs?count=50",
                &[],
                &[("geo", Some("usa"))],
                "https://jobicy.com/api/v2/remote-jobs?count=50&geo=usa",
            ),
            (
                "https://apply.workable.com/api/v1/widget/accounts/",
                &["a b/c"],
                &[("details", Some("true"))],
                "https://apply.workable.com/api/v1/widget/accounts/a%20b%2Fc?details=true",
            ),
            (
                "https://tidewater.recruitee.com/api/offers/",
                &[],
                &[],
                "https://tidewater.recruitee.com/api/offers/",
            ),
        ];
        for (api, segments, query, want) in cases {
            let got = endpoint(api, segments, query, None).expect("endpoint");
            assert_eq!(got.as_str(), *want);
        }
        let err = endpoint("not a url", &[], &[], None).expect_err("bad api");
        assert!(
            err.to_string()
                .starts_with("not a url: not a valid endpoint"),
            "{err}"
        );
    }
}
