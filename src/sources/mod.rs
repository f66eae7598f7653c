//! Sources: where postings come from. One file per kind, all behind the
//! [`Source`] trait: given the HTTP client and the last validators, a source
//! returns the postings it lists now (as [`RawPosting`]s) or "not modified".
//! Sources only fetch and map fields; normalization happens downstream.

mod ashby;
mod boards;
mod feed;
mod getro;
mod greenhouse;
mod himalayas;
mod hn_whoishiring;
mod html;
mod jobicy;
mod lever;
mod recruitee;
mod remoteok;
mod remotive;
mod smartrecruiters;
mod workable;

use futures::future::BoxFuture;

use crate::config::{self, SourceKind};
use crate::http::{self, FetchError, Http};
use crate::model::RawPosting;
use crate::store::Validators;

/// What a source hands to the pipeline.
#[derive(Debug)]
pub enum Fetched {
    /// The server said nothing changed (conditional GET answered 304).
    NotModified,
    /// Everything the source lists now.
    Postings {
        /// The postings, in the source's order.
        postings: Vec<RawPosting>,
        /// Validators for the next conditional GET (empty for multi-request kinds).
        validators: Validators,
    },
}

/// Why a source could not be read. Other sources are not affected.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The request failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The response is not what this kind of source sends.
    #[error("{url}: {message}")]
    Parse {
        /// The URL whose body failed to parse.
        url: String,
        /// What is wrong with it.
        message: String,
    },
}

impl SourceError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            SourceError::Fetch(e) => e.is_transient(),
            SourceError::Parse { .. } => false,
        }
    }

    /// A parse error for `url`.
    pub fn parse(url: impl ToString, message: impl Into<String>) -> SourceError {
        SourceError::Parse {
            url: url.to_string(),
            message: message.into(),
        }
    }

    /// A parse error prefixed with what the body should have been ("not a
    /// Lever posting list: …"), so that an error page served with 200 reads clearly.
    pub fn expected(self, what: &str) -> SourceError {
        match self {
            SourceError::Parse { url, message } => SourceError::Parse {
                url,
                message: format!("not {what}: {message}"),
            },
            other => other,
        }
    }
}

/// What a fetch may use.
pub struct Context<'a> {
    /// The shared client.
    pub http: &'a Http,
    /// The validators stored from the last fetch.
    pub validators: Option<&'a Validators>,
}

/// One kind of source.
pub trait Source: Send + Sync {
    /// The `kind = "..."` name.
    fn kind(&self) -> &'static str;

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

/// The whole fetch of a kind that lists everything in one response: one
/// conditional GET of `url`, the body mapped by `parse`, the validators kept.
pub async fn get_all(
    cx: &Context<'_>,
    url: &url::Url,
    parse: fn(&[u8], &url::Url) -> Result<Vec<RawPosting>, SourceError>,
) -> Result<Fetched, SourceError> {
    match cx.http.get(url, cx.validators).await? {
        crate::http::Fetched::NotModified => Ok(Fetched::NotModified),
        crate::http::Fetched::Body(body) => Ok(Fetched::Postings {
            postings: parse(&body.bytes, &body.url)?,
            validators: body.validators,
        }),
    }
}

/// The default endpoint `api` with `segments` appended (each percent-encoded as
/// one path segment) and `query` set, then rebased onto the user's `base_url`.
/// Fails only if `api` is not an absolute URL, which would be a bug.
pub fn endpoint(
    api: &str,
    segments: &[&str],
    query: Option<&str>,
    base: Option<&url::Url>,
) -> Result<url::Url, String> {
    let mut url = url::Url::parse(api).map_err(|e| format!("bad API URL {api}: {e}"))?;
    url.path_segments_mut()
        .map_err(|()| format!("bad API URL {api}: it cannot have a path"))?
        .pop_if_empty()
        .extend(segments);
    url.set_query(query);
    Ok(config::rebase(&url, base))
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
        SourceKind::Greenhouse { board } => Box::new(greenhouse::Greenhouse::new(board, base)),
        SourceKind::Lever { site, eu } => Box::new(lever::Lever::new(site, *eu, base)),
        SourceKind::Ashby { board } => Box::new(ashby::Ashby::new(board, base)),
        SourceKind::Html { url, selectors } => Box::new(html::Html::new(
            config::rebase(url, base),
            selectors.as_ref().clone(),
            cfg.max_pages,
            cfg.page_delay,
        )),
    }
}
