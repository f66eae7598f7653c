//! Deliveries: a POST to a receiver, answered whatever its status, never
//! redirected (see the header of [`super`]), with the start of the answer's
//! body kept for the error a receiver explains there.

use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::{FetchError, Http, classify, retry_after, shown};

/// The answer to [`Http::post`], whatever its status.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The `Retry-After` delay the server asked for, if any.
    pub retry_after: Option<Duration>,
    /// The start of the body (at most [`ANSWER_LIMIT`] bytes): receivers explain errors there.
    pub body: Vec<u8>,
}

/// How much of an answer's body [`Http::post`] keeps.
pub const ANSWER_LIMIT: usize = 64 * 1024;

impl Http {
    /// POSTs `body` as given (a signature may cover its exact bytes) and returns
    /// the answer whatever its status: the caller decides what counts as confirmed.
    /// A redirect is not followed but returned as [`FetchError::Redirect`]: the
    /// delivery goes to its configured URL or nowhere.
    pub async fn post(
        &self,
        url: &Url,
        mut headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<Answer, FetchError> {
        headers
            .entry(header::CONTENT_TYPE)
            .or_insert(HeaderValue::from_static("application/json"));
        let mut resp = self
            .client
            .post(url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|e| classify(url, &e, self.limits))?;
        let status = resp.status();
        if status.is_redirection() {
            return Err(FetchError::Redirect {
                url: shown(url),
                status: status.as_u16(),
                reason: "not followed: a delivery goes to its configured URL only".into(),
            });
        }
        let retry_after = retry_after(resp.headers());
        let mut body = Vec::new();
        while body.len() < ANSWER_LIMIT {
            match resp.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                // The status is what counts; a body cut off after a 2xx still confirms.
                Err(_) => break,
            }
        }
        body.truncate(ANSWER_LIMIT);
        Ok(Answer {
            status: status.as_u16(),
            retry_after,
            body,
        })
    }
}
