//! Sending a JSON body to a webhook-style receiver (webhook, Slack, Discord),
//! with the message's idempotency key, and reading its answer: only a 2xx confirms; the rest becomes a
//! [`NotifyError`] that says whether to retry and when. The URL is a secret and
//! never appears in an error.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

use super::NotifyError;
use super::webhook::IDEMPOTENCY_HEADER;
use crate::config::ChatHook;
use crate::http::{Answer, Http};

/// POSTs a chat message (Slack, Discord) to its incoming webhook, with the
/// message's idempotency key.
pub async fn chat(
    http: &Http,
    hook: &ChatHook,
    key: &str,
    message: &Value,
) -> Result<(), NotifyError> {
    let body = json(message)?;
    let mut headers = HeaderMap::new();
    set_key(&mut headers, key);
    post(http, hook.url.expose(), headers, body).await
}

/// The JSON text of a message.
pub fn json(message: &Value) -> Result<Vec<u8>, NotifyError> {
    serde_json::to_vec(message).map_err(|e| NotifyError::Build(e.to_string()))
}

/// Sets the header carrying the message's idempotency key, the same on every
/// attempt; a key that is not a valid header value is left out.
pub fn set_key(headers: &mut HeaderMap, key: &str) {
    if let Ok(key) = HeaderValue::from_str(key) {
        headers.insert(HeaderName::from_static(IDEMPOTENCY_HEADER), key);
    }
}

/// POSTs `body` to `url`; `Ok` only when the receiver answered 2xx.
pub async fn post(
    http: &Http,
    url: &Url,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Result<(), NotifyError> {
    let answer = http
        .post(url, headers, body)
        .await
        .map_err(|e| NotifyError::Http(e.redacted()))?;
    check(&answer)
}

/// Reads an answer: 2xx confirms; a 429 or 503 says how long to wait in
/// `Retry-After` or, as Discord does, in the JSON body's `retry_after` seconds.
pub fn check(answer: &Answer) -> Result<(), NotifyError> {
    if (200..300).contains(&answer.status) {
        return Ok(());
    }
    Err(NotifyError::Rejected {
        status: answer.status,
        retry_after: answer
            .retry_after
            .or_else(|| json_retry_after(&answer.body)),
        detail: detail(&answer.body),
    })
}

fn json_retry_after(body: &[u8]) -> Option<Duration> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let secs = v.get("retry_after")?.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// The start of the receiver's explanation, on one line.
fn detail(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, retry_after: Option<u64>, body: &str) -> Answer {
        Answer {
            status,
            retry_after: retry_after.map(Duration::from_secs),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_2xx_confirms_and_waits_are_read_from_header_or_body() {
        type Case = (Answer, Option<(u16, Option<Duration>, &'static str)>);
        let cases: Vec<Case> = vec![
            (answer(200, None, "ok"), None),
            (answer(204, None, ""), None),
            (
                answer(404, None, "no_service"),
                Some((404, None, "no_service")),
            ),
            (
                answer(429, Some(3), ""),
                Some((429, Some(Duration::from_secs(3)), "")),
            ),
            (
                answer(
                    429,
                    None,
                    r#"{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}"#,
                ),
                Some((
                    429,
                    Some(Duration::from_millis(1500)),
                    "{\"message\": \"You are being rate limited.\", \"retry_after\": 1.5, \"global\": false}",
                )),
            ),
            (
                answer(500, None, "boom\n  at line 3"),
                Some((500, None, "boom at line 3")),
            ),
            (answer(302, None, ""), Some((302, None, ""))),
        ];
        for (a, want) in cases {
            let got = check(&a).err().map(|e| match e {
                NotifyError::Rejected {
                    status,
                    retry_after,
                    detail,
                } => (status, retry_after, detail),
                other => panic!("{other}"),
            });
            let want = want.map(|(s, r, d)| (s, r, d.to_string()));
            assert_eq!(got, want, "{}", a.status);
        }
    }
}
